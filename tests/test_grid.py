"""The grid parser on the real 2021 table: golden rows, whole-file invariants, findings."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kg.records import to_json

GOLDEN_NOS = [1, 2, 5, 6, 7, 9, 11, 13, 15, 16, 17, 18, 20, 25, 36, 37, 46, 47, 49, 52, 55, 58, 63, 71, 72, 78,
              87, 90, 95, 96, 97, 124, 130, 131, 139, 144, 145, 148, 155, 157, 161, 163, 165, 167, 170, 173]


def test_golden_file_covers_the_hard_rows(golden):
    assert sorted(golden) == GOLDEN_NOS


@pytest.mark.parametrize("no", GOLDEN_NOS)
def test_golden_row(seed, golden, no):
    """Each hand-checked row comes out exactly as written by hand from the source."""
    task = next(t for t in seed.tasks if t.no == no)
    assert to_json(task) == golden[no]


def test_all_173_tasks_numbered_1_to_173(seed):
    assert [t.no for t in seed.tasks] == list(range(1, 174))


def test_every_task_has_text_a_lead_and_a_chapter(seed):
    for t in seed.tasks:
        assert t.text and t.chapter.startswith(("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"))
        assert [u.role for u in t.units][:1] == ["lead"]
        assert all(u.role == "support" for u in t.units[1:])


def test_source_lines_are_ordered_and_inside_the_file(seed, seed_path):
    n_lines = len(seed_path.read_text(encoding="utf-8").splitlines())
    prev_end = 0
    for t in seed.tasks:
        start, end = t.source.lines
        assert prev_end < start <= end <= n_lines
        prev_end = end


def test_task_number_is_on_its_first_line(seed, seed_path):
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    for t in seed.tasks:
        assert lines[t.source.lines[0] - 1].split()[0] == str(t.no)


def test_every_name_of_the_source_block_is_accounted_for(seed, seed_path):
    """No unit or person of a row's lines is lost: every name token of the source is in the record."""
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    for t in seed.tasks:
        block = "".join("".join(l.split()) for l in lines[t.source.lines[0] - 1:t.source.lines[1]])
        names = [u.name for u in t.units] + [h for u in t.units for h in u.heads]
        names += list(t.unassigned_heads) + list(t.supervisors)
        for n in names:
            if "、" in n and n.endswith(("负责人", "主任")) and n not in block:
                continue  # one of two roles split out of a combined role; checked below
            assert n in block, (t.no, n)
        assert len(block) >= len(t.text)


def test_nobody_is_both_head_and_city_leader(seed):
    heads = {h for t in seed.tasks for u in t.units for h in u.heads} | {h for t in seed.tasks for h in t.unassigned_heads}
    leaders = {s for t in seed.tasks for s in t.supervisors}
    assert not heads & leaders


def test_city_leaders(seed):
    counts = Counter(s for t in seed.tasks for s in t.supervisors)
    assert set(counts) == {"庄天怀", "李自力", "黄少伟", "李志强", "张汉杰", "张淑语", "李森建", "吴忠刘", "潘子良",
                           "陈传芳", "薛宗炎", "郭鸿荣", "林惠玲", "黄文福", "陈长义", "王海林", "许仰东", "王明元"}


def test_tasks_per_city_leader_equal_occurrences_in_the_source(seed, seed_path):
    """A city leader is named once per task and nowhere else, so grep counts their tasks."""
    raw = seed_path.read_text(encoding="utf-8")
    counts = Counter(s for t in seed.tasks for s in t.supervisors)
    for leader, n in counts.items():
        assert len(re.findall(r"\s*".join(leader), raw)) == n, leader
    assert counts["李自力"] == 57 and counts["王明元"] == 1


def test_leads_counted_by_hand(seed):
    """Checked by reading the source: 科技局 leads tasks 1–3, 5–8 and 52; 世中运执委会办公室 71–75."""
    assert [t.no for t in seed.tasks if t.units[0].name == "科技局"] == [1, 2, 3, 5, 6, 7, 8, 52]
    assert [t.no for t in seed.tasks if t.units[0].name == "世中运执委会办公室"] == [71, 72, 73, 74, 75]
    assert [t.no for t in seed.tasks if t.units[0].name == "市政府工作部门"] == [163, 164, 165, 166, 168, 169, 172, 173]


def test_names_have_no_spaces_and_texts_no_cjk_digit_spaces(seed):
    for t in seed.tasks:
        for n in [u.name for u in t.units] + list(t.supervisors) + [h for u in t.units for h in u.heads]:
            assert " " not in n
        assert "\n" not in t.text
        assert "企业 100" not in t.text


def test_sub_offices_keep_their_name_and_record_the_parent(seed):
    units = {u.name: u for t in seed.tasks for u in t.units}
    assert units["发改局（审改办）"].parent == "发改局"
    assert units["交警大队（道安办）"].parent == "交警大队"
    assert units["发改局"].parent is None


def test_groups_and_roles(seed):
    t = next(t for t in seed.tasks if t.no == 11)
    group = t.units[-1]
    assert (group.name, group.kind, group.heads) == ("各镇政府、街道办事处", "group", ("各镇镇长、街道办事处主任",))
    everyone = {s for t in seed.tasks for s in t.supervisors} | {h for t in seed.tasks for u in t.units for h in u.heads}
    assert not any(n.startswith("各镇") and len(n) <= 4 for n in everyone)


def _findings(seed, kind, task=None):
    return [f for f in seed.findings if f.kind == kind and (task is None or f.task == task)]


def test_slip_in_row_124_is_reported_not_fixed(seed):
    t = next(t for t in seed.tasks if t.no == 124)
    assert next(u for u in t.units if u.name == "水利局").heads == ("蔡东晓",)
    [differs] = _findings(seed, "head-differs", 124)
    assert "蒋东晓" in differs.message and differs.lines == t.source.lines
    [spelling] = [f for f in _findings(seed, "rare-spelling", 124)]
    assert spelling.severity == "warning" and "水利局" in " ".join(spelling.evidence)


def test_alignment_decisions_carry_evidence(seed):
    [resolved] = _findings(seed, "heads-resolved", 161)
    assert any(e.startswith("施金钟 → 应急局") and "127" in e for e in resolved.evidence)
    [open_] = _findings(seed, "heads-open", 161)
    assert "陈荣松、陈鹏" in " ".join(open_.evidence)
    assert {f.task for f in _findings(seed, "heads-open")} == {13, 45, 50, 51, 55, 68, 122, 161}


def test_rows_without_city_leader_are_reported(seed):
    assert {f.task for f in _findings(seed, "no-supervisor")} == {163, 164, 165, 166, 168, 169, 172, 173}
    assert not _findings(seed, "numbering-gap") and not _findings(seed, "numbering-duplicate")


def test_every_finding_points_at_source_lines_of_its_task(seed):
    by_no = {t.no: t for t in seed.tasks}
    for f in seed.findings:
        if f.task is None:
            continue
        start, end = by_no[f.task].source.lines
        assert start <= f.lines[0] <= f.lines[1] <= end, f
