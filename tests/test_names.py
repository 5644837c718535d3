"""Names: cleaning, kinds, rejoining split names (unit and property-based tests)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg import names

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
ascii_alnum = st.sampled_from("abcXYZ0123456789")


@pytest.mark.parametrize("raw, clean", [("蔡 晖", "蔡晖"), ("林 平", "林平"), (" 科技局\n", "科技局")])
def test_clean_removes_all_spaces(raw, clean):
    assert names.clean(raw) == clean


@pytest.mark.parametrize("raw, text", [
    ("认定国家高新技术企业 100家以上，确保总数突破 300家。", "认定国家高新技术企业100家以上，确保总数突破300家。"),
    ("做大阿里 Lazada分拨中心", "做大阿里Lazada分拨中心"),
    ("培育 OEM/ODM标杆企\n业 5家", "培育OEM/ODM标杆企业5家"),
    ("Lazada  Express\n5G", "Lazada Express 5G"),
])
def test_clean_text(raw, text):
    assert names.clean_text(raw) == text


@given(st.lists(st.one_of(cjk, ascii_alnum, st.sampled_from(" \n\t，。")), max_size=60).map("".join))
def test_clean_text_properties(raw):
    out = names.clean_text(raw)
    assert names.clean_text(out) == out                       # idempotent
    assert not re.search(r"\s{2,}|\n|\t", out)                 # single spaces only
    assert not re.search(r"[\u4e00-\u9fa5]\s|\s[\u4e00-\u9fa5]", out)  # none next to Chinese
    assert out.replace(" ", "") == re.sub(r"\s", "", raw)      # nothing but whitespace removed


@given(st.lists(cjk, min_size=2, max_size=3).map("".join), st.integers(0, 2))
def test_spaced_person_names_clean_to_the_name(name, pos):
    spaced = name[:pos] + " " + name[pos:] if 0 < pos < len(name) else " ".join(name)
    assert names.clean(spaced) == name and names.is_person_like(spaced)


@pytest.mark.parametrize("name", ["科技局", "人行", "编办", "团市委", "供销社", "晋江市医院", "发改局（审改办）",
                                  "泉州半导体高新区晋江分园区管委会", "各镇政府、街道办事处", "市政府工作部门",
                                  "世中运执委会办公室", "省广电网络晋江分公司"])
def test_unit_like(name):
    assert names.is_unit_like(name)


@pytest.mark.parametrize("name", ["泉州半导体高新区", "集成改革各专项", "个示范项目", "20个居家养老服务站", "推进 5个项目"])
def test_not_unit_like(name):
    assert not names.is_unit_like(name)


@pytest.mark.parametrize("name", ["各镇镇长、街道办事处主任", "集成改革各专项小组负责人", "疫情防控指挥部一办十三组负责人",
                                  "市政府工作部门主要负责人"])
def test_roles_are_never_persons(name):
    assert names.is_role(name) and not names.is_person_like(name)


def test_split_combined_role():
    assert names.placeholders().split_role("市政府工作部门主要负责人、各镇镇长、街道办事处主任") == (
        "市政府工作部门主要负责人", "各镇镇长、街道办事处主任")
    assert names.placeholders().split_role("集成改革各专项小组负责人") == ("集成改革各专项小组负责人",)


@pytest.mark.parametrize("prev, piece", [
    ("泉州半导体高新区", "晋江分园区管委会"),   # the first piece cannot stand alone
    ("军民融合发展委员会", "办公室"),            # a generic word alone
    ("交警大队", "（道安办）"),                  # a bracketed sub-office
    ("各镇镇长、街道办事处", "主任"),            # a role's tail
    ("市政府工作部门主要负责人、各镇镇长、", "街道办事处主任"),  # a list that goes on
    ("军民融合发展委员", "会办公室"),            # 委员会 cut in two
    ("行政服务中心管委", "会"),
    ("安全隐患大排查大整治指挥部综合协", "调组"),
])
def test_continues(prev, piece):
    assert names.continues(prev, piece)


@pytest.mark.parametrize("prev, piece", [("科技局", "工信局"), ("工信局", "林永红"), ("林永红", "庄天怀"),
                                         ("三创办", "洪山文创办"), ("各镇政府、街道办事处", "林永红")])
def test_does_not_continue(prev, piece):
    assert not names.continues(prev, piece)


def test_placeholders_know_the_19_towns():
    towns = names.placeholders().town_units()
    assert len(towns) == 19 and "安海镇政府" in towns and "青阳街道办事处" in towns


@given(st.text(max_size=30))
def test_name_predicates_never_raise(s):
    for predicate in (names.is_unit_like, names.is_role, names.is_person_like, names.is_complete):
        assert predicate(s) in (True, False)
