"""Narrative documents → statements and officials (kg.parse.narrative).

The golden numbers below were counted by hand from data/raw/ (line numbers are the
files' own): 002 is the 2024 work report, 003 the Q&A digest, 000 the reading of a
report, 001 the towns' and bureaus' plans.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.parse.narrative import (
    NARRATIVE_KINDS,
    STATEMENT_KINDS,
    detect_kind,
    parse_narrative,
    parse_narrative_text,
    sentences,
)
from kg.quality import KINDS, SEVERITIES
from kg.resources import data_dir

RAW = data_dir() / "raw"
REPORT, READING, PLANS, DIGEST = (RAW / f"{n}.txt" for n in (
    "002_941dc8cd29ccd4b4", "000_c3fe6d6e6d407948", "001_2c18fd1d60448225", "003_b54906dc77918a6d"))


@pytest.fixture(scope="module")
def report():
    return parse_narrative(REPORT)


@pytest.fixture(scope="module")
def reading():
    return parse_narrative(READING)


@pytest.fixture(scope="module")
def plans():
    return parse_narrative(PLANS)


@pytest.fixture(scope="module")
def digest():
    return parse_narrative(DIGEST)


def by_key(result):
    return {s.key: s for s in result.statements}


# --- 002: the 2024 work report ------------------------------------------------------------

def test_report_metadata(report):
    assert (report.kind, report.title, report.issued, report.year) == ("work-report", "政府工作报告", "2024-12-30", 2024)
    assert report.file == "002_941dc8cd29ccd4b4.txt" and len(report.sha256) == 64


def test_report_plan_items_per_section(report):
    # counted by hand: （一） items 1–4, （二） 1–5, （三） 1–3, （四） 1–4, （五）（六）（七） 1–3 each;
    # "2.0" is the targets paragraph (line 59), "3.0" the four items of 三、建设人民满意政府
    per_section = Counter(s.key.rsplit(".", 1)[0] for s in report.statements if s.kind == "plan")
    assert per_section == {"2.0": 1, "2.1": 4, "2.2": 5, "2.3": 3, "2.4": 4, "2.5": 3, "2.6": 3, "2.7": 3, "3.0": 4}


def test_report_kinds_and_years(report):
    assert Counter((s.kind, s.year) for s in report.statements) == {("plan", 2025): 30, ("result", 2024): 7}
    results = [s for s in report.statements if s.kind == "result"]
    assert [s.key for s in results] == [f"1.0.{n}" for n in range(1, 8)]
    assert [s.lines for s in results] == [(18, 20), (22, 24), (26, 28), (30, 32), (34, 36), (38, 42), (44, 44)]
    assert results[0].title is None
    assert [s.title for s in results[1:]] == [
        "全力抓经济稳增长，向好态势持续巩固", "全力抓创新促转型，内生动力更加强劲", "全力抓改革促开放，发展潜能有效激发",
        "全力优品质提能级，城乡面貌更加靓丽", "全力强保障惠民生，人民生活更有质感", "全力抓治理优服务，政府效能不断提升"]
    assert {s.chapter for s in results} == {"一、2024年工作回顾"}
    assert all(s.subject is None for s in report.statements)


def test_report_section_one_items(report):
    s = by_key(report)
    first, third = s["2.1.1"], s["2.1.3"]
    assert first.chapter == "二、2025 年主要工作安排"
    assert first.section == "（一）在做大做强实体经济提升发展质效上再出发"
    assert (first.title, first.lines) == ("全力助企纾困解难", (67, 67))
    assert first.text == (
        "全力助企纾困解难。深入开展“千名干部进千企”“政企才早午晚餐会”等活动，健全企业需求和问题常态化收集响应、"
        "全链条服务机制，持续稳预期、提信心、增活力。完善支持民营经济发展“1+N”政策体系，新增“四上”企业500家以上。"
        "加强政银企互动，优化小微企业融资协调机制。支持龙头企业实施品牌和上下游关联企业并购，提升核心竞争力；"
        "深化“腰部企业”培育工程，“一企一策”靶向发力，助力企业跃升壮大；引导中小企业朝“专精特新”方向发展，"
        "提升产业链协作配套水平。")
    assert (third.title, third.lines) == ("扩大有效益的投资", (71, 71))
    assert third.text == (
        "扩大有效益的投资。深化“抓项目促发展”攻坚行动，实施重点项目790个，报批用地3000亩、用海800亩以上。"
        "大抓开放招商，推行“股权投资”“以投带引”等新模式，发挥政府性投资基金和“招商飞地”作用，新签约项目总投资"
        "1300亿元以上，引进超20亿元重大项目10个以上。鼓励企业紧扣“两重两新”增资扩产、提质强产，实施增资扩产项目"
        "超200个，促进工业投资增长12%以上。支持陆地港建设大宗商品资源配置枢纽，加快构建泉州大宗商品产业生态圈。")
    assert [s[f"2.1.{n}"].title for n in range(1, 5)] == ["全力助企纾困解难", "激发有潜能的消费", "扩大有效益的投资",
                                                          "促进有质效的外贸"]


def test_report_targets_and_other_chapters(report):
    s = by_key(report)
    targets = s["2.0.1"]
    assert (targets.kind, targets.year, targets.section, targets.lines) == ("plan", 2025, None, (59, 59))
    assert targets.title == "经济社会发展主要预期目标"
    assert targets.text.startswith("经济社会发展主要预期目标是：地区生产总值增长6%左右，一般公共预算总收入增长3%")
    # the half-width section heading "(二) …" is written like the others
    assert s["2.2.1"].section == "（二）在培育新质生产力构建现代化产业体系上再出发"
    assert s["2.6.1"].section == "（六）在厚植生态底色建设绿美晋江上再出发"
    # chapter 三 names no year: it continues the plan of chapter 二
    assert [(s[f"3.0.{n}"].title, s[f"3.0.{n}"].year) for n in range(1, 5)] == [
        ("坚持政治引领", 2025), ("坚持依法行政", 2025), ("坚持真抓实干", 2025), ("坚持廉洁用权", 2025)]
    assert s["3.0.1"].chapter == "三、建设人民满意政府" and s["3.0.1"].section is None
    # the self-building chapter is marked as such
    assert {k for k, st in s.items() if st.self_building} == {f"3.0.{n}" for n in range(1, 5)}
    # the closing address (line 161) is not part of item 4
    assert s["3.0.4"].lines == (159, 159)


def test_report_items_over_page_breaks_and_bold(report):
    s = by_key(report)
    assert s["2.2.1"].lines == (77, 79)
    assert "培育打造50家绿色制造标杆企业" in s["2.2.1"].text  # rejoined over the page break
    assert "。全面推进数转智改。以“智云+联盟+园区”" in s["2.2.1"].text  # bold markers gone
    assert s["2.3.2"].lines == (101, 103)
    assert "全面深化盘活利用低效用地试点。探索土地混合开发" in s["2.3.2"].text
    assert s["1.0.1"].text.endswith("分别增长1.7%、5.5%，县域经济与社会综合发展实力位居全国第三，县域经济基本竞争力保持全国第四。")


def test_report_skips_are_reported(report):
    skipped = [f for f in report.findings if f.kind == "narrative-skipped"]
    assert [f.lines for f in skipped] == [(46, 50), (54, 57), (61, 63), (149, 149), (161, 161), (163, 221)]
    assert all(f.severity == "info" for f in skipped)
    assert "29 terms" in skipped[-1].message  # the glossary (附注)
    assert not [f for f in report.findings if f.severity != "info"]


# --- 003: the Q&A digest ------------------------------------------------------------------

def test_digest_results_and_goals(digest):
    assert (digest.kind, digest.year) == ("digest", 2022)
    assert digest.title == "历经大战大考,整座城市愈加坚韧—— 交出一年成绩单 开启晋江2023"
    # results: 4 大事要事 (lines 11–14) + 6 + 29 成效 (18–73) + 11 荣誉 (235–245)
    # goals: 6 + 1 + 26 + 17 + 27 + 14 + 11 + 9 + 6 under the other nine headings
    assert Counter((s.kind, s.year) for s in digest.statements) == {("result", 2022): 50, ("goal", 2023): 117}
    per_chapter = Counter(s.key.split(".")[0] for s in digest.statements)
    assert [per_chapter[str(q)] for q in range(1, 13)] == [4, 35, 6, 1, 26, 17, 27, 14, 11, 9, 11, 6]
    assert not digest.findings and not digest.officials


def test_digest_statements(digest):
    s = by_key(digest)
    assert (s["1.0.1"].text, s["1.0.1"].chapter) == ("我们勇担历史使命,高举“晋江经验”旗帜", "过去一年,我们经历 哪些大事要事?")
    assert (s["2.1.1"].section, s["2.1.1"].text, s["2.1.1"].lines) == ("经济", "预计全年一般公共预算收入增长6.17%", (27, 27))
    goal = s["4.0.1"]
    assert (goal.kind, goal.year, goal.chapter) == ("goal", 2023, "2023年 晋江制定什么目标?")
    assert goal.text.startswith("地区生产总值增长6.5%左右,一般公共预算总收入增长7.6%")
    assert (s["5.1.1"].section, s["5.1.1"].text) == ("划重点", "坚持“三化四新”,把增资扩产、提质强产作为主攻方向")
    assert (s["11.0.1"].kind, s["11.0.1"].year, s["11.0.1"].text) == ("result", 2022, "中国陶瓷名镇区域品牌")
    assert s["12.0.1"].chapter == "坚定不移全面从严治党"
    assert [s[f"12.0.{n}"].text for n in (2, 6)] == ["加强思想政治建设。", "凝聚高质量发展合力。"]


# --- 000: the reading of a report ---------------------------------------------------------

def test_reading_goals_and_paths(reading):
    assert (reading.kind, reading.title, reading.year) == ("digest", "政府工作报告解读", None)
    assert Counter((s.kind, s.year) for s in reading.statements) == {("plan", None): 16, ("goal", None): 4}
    assert [s.key for s in reading.statements if s.kind == "goal"] == ["1.0", "2.0", "3.0", "4.0"]
    assert [s.lines for s in reading.statements if s.kind == "goal"] == [(4, 6), (102, 105), (185, 187), (248, 250)]
    s = by_key(reading)
    assert [s[f"1.{n}"].title for n in (1, 2, 3)] == ["厚植内循环优势", "做优高质效平台", "密切海内外交流"]
    assert s["1.1"].lines == (9, 19) and "立足民生消费品制造业优势" in s["1.1"].text
    assert s["2.2"].text.startswith("完善城市功能设施，新增公园绿地21公顷")
    assert [s[f"4.{n}"].title for n in (1, 2, 3)] == ["健全公共卫生应急体系", "创新基层社会治理", "提高本质安全水平"]
    no_year = [f for f in reading.findings if f.kind == "narrative-no-year"]
    assert len(no_year) == 20 and {f.severity for f in no_year} == {"warning"}
    skipped = [f.lines for f in reading.findings if f.kind == "narrative-skipped"]
    assert skipped == [(40, 98), (130, 184), (221, 247), (291, 479)]


# --- 001: plans of towns and bureaus ------------------------------------------------------

SUBJECTS = ["西园街道", "罗山街道", "灵源街道", "新塘街道", "内坑镇", "紫帽镇", "英林镇", "龙湖镇", "深沪镇", "西滨镇",
            "水利局", "城市管理局", "财政局", "民政局", "农业农村局", "卫生健康局", "教育局"]


def test_plans_subjects_in_order(plans):
    assert plans.kind == "plans" and plans.year is None
    assert list(dict.fromkeys(s.subject for s in plans.statements)) == SUBJECTS
    counts = Counter(s.subject for s in plans.statements)
    assert [counts[x] for x in SUBJECTS] == [2, 5, 2, 4, 4, 2, 2, 2, 4, 3, 1, 1, 3, 2, 1, 1, 1]
    assert {s.kind for s in plans.statements} == {"priority"}
    assert {s.year for s in plans.statements} == {None}
    assert len([f for f in plans.findings if f.kind == "narrative-no-year"]) == 40


def test_plans_statements(plans):
    s = by_key(plans)
    assert s["西园街道.1"].section == "加速现代服务业跃升发展 全力打造“产城人”融合示范区"
    assert s["西园街道.1"].lines == (7, 7) and s["西园街道.1"].chapter is None
    assert [s[f"罗山街道.{n}"].title for n in range(2, 6)] == [
        "推动转型升级，做强城市经济", "推进片区建设，做美城市面貌", "推动整合提升，做优城市配套", "推进组织建设，做好城市服务"]
    assert s["深沪镇.1"].text.endswith("深沪镇将重点做到“三个全力”：")
    assert s["水利局.1"].section == "项目带动 积极谋划强投资"
    assert s["教育局.1"].lines == (117, 117)  # the reporters' byline after it is no statement


# --- officials ----------------------------------------------------------------------------

#: Every mention of a person with a post in the four documents, checked by hand.
OFFICIALS = {
    "002": [("王明元", "市长", "市人民政府", 10)],
    "000": [
        ("蔡伟达", "局长", "商务局", 72),
        ("周士渊", "会长", "世晋青", 95),
        ("张杭", "副局长", "人社局", 224),
        ("黄东昭", "党委书记", "中医院", 237),
        ("王经勤", "副书记", "市委政法委", 305),
        ("柯荣锻", "党委书记", "应急管理局", 330),
        ("柯荣锻", "局长", "应急管理局", 330),
        ("杨雅静", "政协委员", "市政协", 348),
        ("沈荣贵", "政协委员", "市政协", 355),
        ("张海生", "政协委员", "市政协", 359),
        ("许清心", "人大代表", "市人大", 370),
        ("尤伟峰", "人大代表", "市人大", 376),
        ("许良晓", "人大代表", "市人大", 383),
        ("庄东航", "人大代表", "市人大", 391),
        ("陈德善", "政协委员", "市政协", 402),
        ("陈永记", "政协委员", "市政协", 408),
        ("李明锋", "人大代表", "市人大", 421),
        ("陈志达", "人大代表", "市人大", 427),
        ("曾福泉", "人大代表", "市人大", 435),
        ("黄月莹", "人大代表", "市人大", 446),
        ("苏达娜", "人大代表", "市人大", 452),
    ],
    "001": [],
    "003": [],
}


@pytest.mark.parametrize("name", ["report", "reading", "plans", "digest"])
def test_every_official(name, request):
    result = request.getfixturevalue(name)
    got = [(o.person, o.post, o.unit, o.line) for o in result.officials]
    assert got == OFFICIALS[result.file[:3]]
    assert not [f for f in result.findings if f.kind == "post-unsplit"]


def test_official_sentences(report, reading):
    assert report.officials[0].sentence == "晋江市人民政府市长王明元"
    first = reading.officials[0]
    assert first.sentence.startswith("“接下来，晋江将继续推动RCEP规则")
    assert first.sentence.endswith("促进晋江外贸高质量发展。”晋江市商务局局长蔡伟达表示。")
    assert reading.officials[3].sentence == "对于近年来晋江医疗卫生事业的发展，晋江市中医院党委书记黄东昭深有感触。"
    assert reading.officials[7].sentence == "（政协委员杨雅静）"


def test_officials_in_short_texts():
    text = ("西园街道： 加速发展\n\n西园街道党工委书记吴晓明表示，要加快发展。\n\n"
            "罗山街道： 汇聚优势\n\n深入学习习近平总书记重要讲话。每位市政府副市长至少1项。\n")
    result = parse_narrative_text(text, "t.txt")
    assert [(o.person, o.post, o.unit) for o in result.officials] == [("吴晓明", "党工委书记", "西园街道")]


# --- all documents ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["report", "reading", "plans", "digest"])
def test_statements_are_clean(name, request):
    result = request.getfixturevalue(name)
    keys = [s.key for s in result.statements]
    assert len(keys) == len(set(keys))
    for s in result.statements:
        assert s.kind in STATEMENT_KINDS
        assert s.text and "\n" not in s.text and "**" not in s.text
        assert not re.search(r"[\u4e00-\u9fff，。]\s|\s[\u4e00-\u9fff，。]", s.text)
        assert 1 <= s.lines[0] <= s.lines[1]
        assert (s.subject is not None) == (result.kind == "plans")
    for f in result.findings:
        assert f.kind in KINDS and f.kind in NARRATIVE_KINDS and f.severity == NARRATIVE_KINDS[f.kind]


def test_detect_kind():
    assert [detect_kind(p.read_text(encoding="utf-8")) for p in (REPORT, READING, PLANS, DIGEST)] == [
        "work-report", "digest", "plans", "digest"]
    assert detect_kind((RAW / "004_89d412a27e51e6a9.txt").read_text(encoding="utf-8")) is None
    assert detect_kind("") is None


def test_narrative_kinds_are_declared():
    for kind, severity in NARRATIVE_KINDS.items():
        assert severity in SEVERITIES and KINDS[kind]


def test_encodings_and_line_endings(tmp_path, plans):
    gbk = tmp_path / "plans-gbk.txt"
    gbk.write_bytes(PLANS.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gb18030"))
    again = parse_narrative(gbk)
    assert again.statements == plans.statements and again.officials == plans.officials
    assert again.sha256 != plans.sha256


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize("content, expected", [
    (b"", "the file is empty"),
    ("  \n\u3000\n".encode(), "the file is empty"),
    ("今天天气很好。我们去公园散步，然后回家。\n".encode(), "not a narrative document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
])
def test_bad_input(tmp_path, content, expected):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected) as info:
        parse_narrative(path)
    assert str(info.value).startswith(f"{path}:")


def test_bad_input_missing_and_table(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        parse_narrative(tmp_path / "missing.txt")
    with pytest.raises(InputError, match=r"004_89d412a27e51e6a9\.txt: not a narrative document: expected a work"):
        parse_narrative(RAW / "004_89d412a27e51e6a9.txt")
    with pytest.raises(InputError, match="^x.txt: the file is empty"):
        parse_narrative_text("\n\n", "x.txt")


# --- sentences ----------------------------------------------------------------------------

def test_sentences_examples():
    assert sentences("") == []
    assert sentences("他说：“好。走吧！”我们走了。再见") == ["他说：“好。走吧！”我们走了。", "再见"]
    assert sentences("一；二;三!四?五？！（六。）七") == ["一；", "二;", "三!", "四?", "五？！", "（六。）", "七"]
    assert sentences("增长3.5%。下一句") == ["增长3.5%。", "下一句"]


@given(st.text())
def test_sentences_give_the_text_back(text):
    pieces = sentences(text)
    assert "".join(pieces) == text
    assert all(pieces)


@given(st.text(alphabet="ab“”。；!?？！）\n "))
def test_sentences_cut_only_after_marks(text):
    pieces = sentences(text)
    assert "".join(pieces) == text
    for piece in pieces[:-1]:
        assert piece.rstrip("”’」』）)")[-1] in "。；;！!？?"


# --- robustness ---------------------------------------------------------------------------

FRAGMENTS = ["一、2024年工作回顾", "二、2025 年主要工作安排", "三、建设", "（一）在", "(二) 在", "1、全力", "2、", "12、",
             "一年来，我们", "各位代表，", "附注：", "(P1) 词", "**加快**", "预期目标是：", "西园街道： 加速", "晋江市水利局： 项目",
             "实施路径", "目标蓝图", "会场内外", "过去一年取得?", "2023年 目标?", "划重点:", "- 条目", "经济", "晋江市商务局局长蔡伟达表示",
             "（人大代表许清心）", "党委书记、局长柯", "市长 王", "。", "，", "”", "“", "", " ", "本报记者 蔡", "2024年12月30日"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=30))
def test_parse_never_fails_but_with_input_error(parts):
    text = "\n".join(parts)
    try:
        result = parse_narrative_text(text, "h.txt")
    except InputError as exc:
        assert str(exc).startswith("h.txt: ")
        return
    assert result.kind in ("work-report", "digest", "plans")
    for s in result.statements:
        assert s.kind in STATEMENT_KINDS and s.text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parse_any_string(text):
    try:
        parse_narrative_text(text)
    except InputError:
        pass
