"""The clause reader (kg.parse.clauses): every rule with a text in the shape real ones have.

Each example is a short notice written the way the governments of tests/data/corpus/ write
theirs; the records are checked exactly (text, units with their roles, leaders, deadline)
and so are the findings that say what the reader decided or left out. The properties at
the end feed it any text.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError, LayoutError
from kg.parse import LAYOUTS, parse_text
from kg.parse.clauses import parse
from kg.parse.outline import people
from kg.parse.units import split_units
from kg.records import Due

NOTICE = "某市人民政府办公室关于印发2023年重点工作责任分解的通知\n某政办〔2023〕1号\n各区人民政府，市直各单位：\n"


def rows(text: str) -> list[tuple]:
    """(no, text, [(unit, role)], lead leaders, supervisors) of every task."""
    return [(t.no, t.text, [(u.name, u.role[0]) for u in t.units], list(t.lead_leaders), list(t.supervisors))
            for t in parse(text, "t.txt").tasks]


def kinds(text: str) -> dict[str, list]:
    """Finding kind → [(task, first line, message)], the usual no-supervisor warnings left out."""
    out: dict[str, list] = {}
    for f in parse(text, "t.txt").findings:
        if f.kind != "no-supervisor":
            out.setdefault(f.kind, []).append((f.task, f.lines[0] if f.lines else None, f.message))
    return out


# --- the outline: item numbers in their real forms, or none --------------------------------

@pytest.mark.parametrize("first, second", [
    ("1.修路。", "2.建桥。"), ("1、修路。", "2、建桥。"), ("（1）修路。", "（2）建桥。"), ("(1)修路。", "(2)建桥。"),
    ("1﹒修路。", "2﹒建桥。"), ("  1 .  修路。", "  2 、 建桥。"), ("１．修路。", "２．建桥。"),
])
def test_item_numbers_in_every_form(first, second):
    text = NOTICE + f"一、交通\n{first}\n牵头单位：市交通局\n{second}\n牵头单位：市住建局\n"
    assert rows(text) == [(1, "修路。", [("市交通局", "l")], [], []), (2, "建桥。", [("市住建局", "l")], [], [])]


def test_a_number_alone_on_its_line_and_text_over_two_lines():
    text = NOTICE + "一、交通\n1.\n修路，\n建桥。\n责任单位：市交通局、市住建局\n2.\n通水。\n责任单位：市水利局\n"
    assert rows(text) == [(1, "修路，建桥。", [("市交通局", "l"), ("市住建局", "s")], [], []),
                          (2, "通水。", [("市水利局", "l")], [], [])]


def test_a_number_right_after_the_item_number_is_text():
    """`2.121人才梯队项目`: item 2 whose text begins with 121; `2.5G` likewise; `2.5%` is no item."""
    text = (NOTICE + "一、人才\n1.引进人才，\n2.5%的增长目标不变。\n牵头单位：市人社局\n"
            "2.121人才梯队项目年内启动。\n牵头单位：市委人才办\n")
    got = parse(text, "t.txt")
    assert [(t.no, t.text) for t in got.tasks] == [(1, "引进人才，2.5%的增长目标不变。"), (2, "121人才梯队项目年内启动。")]
    text = NOTICE + "一、通信\n1.建设数据中心。\n牵头单位：市大数据局\n2.5G基站新建500个。\n牵头单位：市工信局\n"
    assert [t.text for t in parse(text, "t.txt").tasks] == ["建设数据中心。", "5G基站新建500个。"]


def test_paragraphs_without_numbers_are_tasks():
    text = (NOTICE + "一、稳增长\n● 全年地区生产总值增长6%。\n牵头单位：市发改委\n配合单位：市统计局\n\n"
            "规上工业增加值增长8%。\n牵头单位：市经信局\n推进数字政府建设。（市大数据局牵头，市财政局配合）\n")
    assert rows(text) == [(1, "全年地区生产总值增长6%。", [("市发改委", "l"), ("市统计局", "s")], [], []),
                          (2, "规上工业增加值增长8%。", [("市经信局", "l")], [], []),
                          (3, "推进数字政府建设。", [("市大数据局", "l"), ("市财政局", "s")], [], [])]
    assert all(t.chapter == "一、稳增长" for t in parse(text, "t.txt").tasks)


def test_other_numbering_inside_a_task_is_its_text_and_numbers_restart_under_headings():
    text = (NOTICE + "一、交通\n（1）修路。\n1.其中东线10公里；\n2.西线5公里。\n责任单位：市交通局、市财政局\n"
            "二、水利\n（1）通水。\n责任单位：市水利局\n")
    got = parse(text, "t.txt")
    assert [(t.no, t.chapter, t.text) for t in got.tasks] == [
        (1, "一、交通", "修路。1.其中东线10公里；2.西线5公里。"), (2, "二、水利", "通水。")]


def test_tasks_numbered_as_headings():
    """`一、任务。（…牵头）` and `（一）任务。` over its clause: the headings' numerals number the tasks."""
    chapters = NOTICE + "一、全年地区生产总值增长7%。（县发改局牵头，县统计局配合）\n二、新增城镇就业3000人。（县人社局牵头）\n"
    assert rows(chapters) == [(1, "全年地区生产总值增长7%。", [("县发改局", "l"), ("县统计局", "s")], [], []),
                              (2, "新增城镇就业3000人。", [("县人社局", "l")], [], [])]
    sections = (NOTICE + "一、经济发展\n（一）全年地区生产总值增长7%。\n牵头单位：县发改局\n二、社会民生\n"
                "（二）新增城镇就业3000人。\n牵头单位：县人社局\n")
    got = parse(sections, "t.txt").tasks
    assert [(t.no, t.chapter, t.text) for t in got] == [(1, "一、经济发展", "全年地区生产总值增长7%。"),
                                                         (2, "二、社会民生", "新增城镇就业3000人。")]


def test_short_lines_numbered_in_the_other_style_between_tasks_are_sub_headings():
    text = (NOTICE + "一、主要目标\n1.经济指标\n（1）地区生产总值增长7%。（县发改局牵头）\n（2）固定资产投资增长10%。（县发改局牵头）\n"
            "2.民生指标\n（3）新增就业3000人。（县人社局牵头）\n")
    assert [(t.no, t.chapter, t.section, t.text) for t in parse(text, "t.txt").tasks] == [
        (1, "一、主要目标", "1.经济指标", "地区生产总值增长7%。"), (2, "一、主要目标", "1.经济指标", "固定资产投资增长10%。"),
        (3, "一、主要目标", "2.民生指标", "新增就业3000人。")]


# --- clauses wherever they stand ----------------------------------------------------------

def test_clauses_on_the_line_in_every_bracket_and_under_the_task():
    text = (NOTICE + "一、任务\n1.修路。牵头单位：市交通局；配合单位：市财政局；完成时限：2023年6月底前\n"
            "2.建桥。(牵头单位:市住建局;责任单位:市审计局、市国资委)\n3.通水。[市水利局牵头]\n"
            "4.通电。【市供电公司负责，市发改委配合】\n5.通气。\n牵头责任单位：市燃气公司。\n协同责任单位：市住建局、市应急局等。\n")
    assert rows(text) == [
        (1, "修路。", [("市交通局", "l"), ("市财政局", "s")], [], []),
        (2, "建桥。", [("市住建局", "l"), ("市审计局", "s"), ("市国资委", "s")], [], []),
        (3, "通水。", [("市水利局", "l")], [], []),
        (4, "通电。", [("市供电公司", "l"), ("市发改委", "s")], [], []),
        (5, "通气。", [("市燃气公司", "l"), ("市住建局", "s"), ("市应急局", "s")], [], []),
    ]
    assert parse(text, "t.txt").tasks[0].due == Due("2023年6月底前", "2023-06-30")


def test_verb_clauses_name_leads_supports_and_leaders():
    text = (NOTICE + "一、任务\n1.修路。部门分工：市交通局牵头，市财政局、市自然资源局配合\n"
            "2.建桥。（市住建局、市交通局等负责）\n"
            "3.稳就业。（分管副省长王强负责，省人力资源社会保障厅牵头，省财政厅、省教育厅等按职责分工负责）\n"
            "4.加强稀土资源保护。(市经信委、市国土资源局牵头落实)\n5.通电。（张三副市长牵头，市发改委负责）\n")
    assert rows(text) == [
        (1, "修路。", [("市交通局", "l"), ("市财政局", "s"), ("市自然资源局", "s")], [], []),
        (2, "建桥。", [("市住建局", "l"), ("市交通局", "l")], [], []),
        (3, "稳就业。", [("省人力资源社会保障厅", "l"), ("省财政厅", "s"), ("省教育厅", "s")], [], ["王强"]),
        (4, "加强稀土资源保护。", [("市经信委", "l"), ("市国土资源局", "l")], [], []),
        (5, "通电。", [("市发改委", "l")], ["张三"], []),
    ]


def test_a_bracket_that_assigns_nothing_is_task_text():
    text = NOTICE + "一、任务\n1.上线城市运行管理平台（含智慧停车、智慧消防）。\n责任单位：市大数据局\n"
    assert rows(text) == [(1, "上线城市运行管理平台（含智慧停车、智慧消防）。", [("市大数据局", "l")], [], [])]


def test_a_label_cut_by_a_line_break():
    text = NOTICE + "一、任务\n1.全省生产总值增长7%以上，在实际工作中力\n争更好结果。\n牵头责任单\n位：省发展改革委。\n"
    assert rows(text) == [(1, "全省生产总值增长7%以上，在实际工作中力争更好结果。", [("省发展改革委", "l")], [], [])]


def test_a_bracket_over_two_lines():
    text = (NOTICE + "一、任务\n1.新建5G基站500个（市工信局牵头，\n各镇人民政府、街道办事处配合，2023年6月底前完成）。\n"
            "2.改造农贸市场6个。（市商务局牵头，市市场监管局、\n宝盖镇人民政府配合）\n")
    assert rows(text) == [(1, "新建5G基站500个。", [("市工信局", "l"), ("各镇人民政府、街道办事处", "s")], [], []),
                          (2, "改造农贸市场6个。", [("市商务局", "l"), ("市市场监管局", "s"), ("宝盖镇人民政府", "s")],
                           [], [])]


def test_progress_paragraphs_are_neither_text_nor_units():
    """A 完成情况通报: 进展情况 between the task and its units, an unclosed bracket in it."""
    text = (NOTICE + "一、目标\n1.生产总值增长6%。\n进展情况：全年增长6.5%，高于全省平均增幅(8.8%0.2个百分点。\n"
            "牵头责任单位：市发改委。\n协同责任单位：市统计局、市财政局等。\n")
    assert rows(text) == [(1, "生产总值增长6%。", [("市发改委", "l"), ("市统计局", "s"), ("市财政局", "s")], [], [])]
    assert "text-skipped" not in kinds(text)


# --- leaders ------------------------------------------------------------------------------

def test_a_leaders_heading_gives_its_leader_to_the_tasks_under_it():
    text = (NOTICE + "一、朱伟县长、陈红副县长牵头重点工作\n1.财政收入同步增长。\n责任单位：县财政局。\n"
            "二、王强副县长主抓重点工作\n（一）工业\n2.工业增加值增长8%。\n责任单位：县经信局\n"
            "三、其他工作\n3.改造老旧小区。\n责任单位：县住建局\n牵头领导：李明副县长\n")
    assert rows(text) == [(1, "财政收入同步增长。", [("县财政局", "l")], ["朱伟", "陈红"], []),
                          (2, "工业增加值增长8%。", [("县经信局", "l")], ["王强"], []),
                          (3, "改造老旧小区。", [("县住建局", "l")], ["李明"], [])]


def test_leaders_lose_their_titles():
    assert people("朱伟县长、副市长王强 李明。") == ("朱伟", "王强", "李明")
    text = NOTICE + "一、任务\n1﹒全省生产总值增长7%以上。\n牵头负责领导:刘惠。\n牵头责任单位:省发展改革委。\n分管副省长：张强\n"
    assert rows(text) == [(1, "全省生产总值增长7%以上。", [("省发展改革委", "l")], ["刘惠"], ["张强"])]


# --- who leads: markers, stated conventions, the default -----------------------------------

def test_a_convention_stated_in_the_notice():
    text = NOTICE + "（说明：责任单位中列第一位的为牵头单位）\n一、任务\n1.修路。\n责任单位：市交通局、市财政局\n"
    assert rows(text) == [(1, "修路。", [("市交通局", "l"), ("市财政局", "s")], [], [])]
    [(task, line, message)] = kinds(text)["lead-convention"]
    assert task is None and line == 4 and "applied to 1 task(s)" in message
    assert "first-leads" not in kinds(text)


def test_a_convention_inside_a_unit_list_holds_onwards_with_xiatong():
    text = (NOTICE + "一、任务\n1.修路。\n责任单位：市交通局\n"
            "2.建桥。\n责任单位：市住建局、市卫生健康委(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)\n"
            "3.通水。\n责任单位：市水利局、市财政局\n4.通电。\n责任单位：市发改委、市供电公司分别牵头\n")
    assert rows(text) == [(1, "修路。", [("市交通局", "l")], [], []),
                          (2, "建桥。", [("市住建局", "l"), ("市卫生健康委", "s")], [], []),
                          (3, "通水。", [("市水利局", "l"), ("市财政局", "s")], [], []),
                          (4, "通电。", [("市发改委", "l"), ("市供电公司", "l")], [], [])]
    found = kinds(text)
    assert [m for _, _, m in found["lead-convention"]] == [
        "the document states that the first unit listed leads (line 8): applied to 2 task(s)",
        "1 task(s) say every unit listed leads its part (分别牵头/共同牵头)"]
    assert "first-leads" not in found


def test_without_a_marker_or_a_convention_the_first_leads_and_a_finding_says_so():
    text = (NOTICE + "一、任务\n1.建桥。\n责任单位：市住建局、市财政局（列第一位为牵头单位）\n2.通水。\n"
            "责任单位：市水利局、市财政局\n3.通电。\n责任单位：市发改委\n4.修路。（市交通局、市财政局）\n")
    assert [units for _, _, units, _, _ in rows(text)] == [
        [("市住建局", "l"), ("市财政局", "s")], [("市水利局", "l"), ("市财政局", "s")], [("市发改委", "l")],
        [("市交通局", "l"), ("市财政局", "s")]]
    [(_, _, message)] = kinds(text)["first-leads"]  # a note without 下同 holds for its own list only
    assert message.startswith("2 task(s) list units with no lead marker")
    assert "tasks 2, 4" in [f for f in parse(text, "t.txt").findings if f.kind == "first-leads"][0].evidence


def test_a_unit_marked_as_lead_in_its_list_leads():
    text = (NOTICE + "一、任务\n1.修路。\n责任单位：市财政局、市交通局（牵头）、市统计局（配合）\n牵头领导：王强（副市长）\n"
            "配合单位：无\n责任市领导：李明\n联系县领导：赵刚\n")
    assert rows(text) == [(1, "修路。", [("市财政局", "s"), ("市交通局", "l"), ("市统计局", "s")], ["王强", "李明"],
                           ["赵刚"])]
    assert "first-leads" not in kinds(text)


def test_labels_in_square_brackets_with_a_note_and_lists_ending_in_deng_bumen():
    text = (NOTICE + "一、由朱伟同志牵头的重点工作\n1.修路。【牵头单位】市交通局【配合单位】市财政局等部门\n"
            "2.建桥。牵头单位（部门）：市住建局；责任单位：市财政局等有关单位\n")
    assert rows(text) == [(1, "修路。", [("市交通局", "l"), ("市财政局", "s")], ["朱伟"], []),
                          (2, "建桥。", [("市住建局", "l"), ("市财政局", "s")], ["朱伟"], [])]


def test_a_sentence_where_units_belong_is_reported_not_read_as_a_unit():
    text = NOTICE + "一、任务\n1.修路。牵头单位：市交通局；配合单位：由市发改委会同有关部门研究制定、市财政局\n"
    assert rows(text) == [(1, "修路。", [("市交通局", "l"), ("市财政局", "s")], [], [])]
    assert [m for _, _, m in kinds(text)["units-unread"]] == [
        "task 1: '由市发改委会同有关部门研究制定' is no unit name, left out of its units"]


def test_a_separate_lead_field_comes_first():
    text = NOTICE + "一、任务\n1.修路。责任单位：市财政局、市交通局；牵头单位：市交通局\n"
    assert rows(text) == [(1, "修路。", [("市交通局", "l"), ("市财政局", "s")], [], [])]


# --- unit lists ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("市发展改革委 市生态环境局", ["市发展改革委", "市生态环境局"]),
    ("各县市区政府、 开发区管委会。", ["各县市区政府", "开发区管委会"]),
    ("市财政局等，各县(市、区)政府(管委会);各区、县级市", ["市财政局", "各县(市、区)政府(管委会)", "各区、县级市"]),
    ("各旗、县、区人民政府，稀土高新区管委会", ["各旗、县、区人民政府", "稀土高新区管委会"]),
    ("市 发改委,市统计局；市税务局;人行合肥中心支行等。", ["市发改委", "市统计局", "市税务局", "人行合肥中心支行"]),
    ("市经济和信息化局、市水务局等,各县市区政府、开发区管委会", ["市经济和信息化局", "市水务局", "各县市区政府", "开发区管委会"]),
])
def test_unit_lists(text, expected):
    assert split_units(text) == expected


# --- what fits no rule: a finding, and the rest is read ---------------------------------------

def test_stray_notes_page_headers_and_html_are_findings():
    text = (NOTICE + "一、任务\n1.修路。\n牵头单位：市交通局\n这是一条不相干的附注\n2.建桥。\n牵头单位：市住建局\n"
            "·3·\n3.通水。\n<p>牵头单位：市水利局</p>&nbsp;\n")
    assert rows(text) == [(1, "修路。", [("市交通局", "l")], [], []), (2, "建桥。", [("市住建局", "l")], [], []),
                          (3, "通水。", [("市水利局", "l")], [], [])]
    found = kinds(text)
    assert found["text-skipped"] == [
        (None, 10, "line 10 is a page number or header: '·3·'"),
        (1, 7, "task 1: line 7 is no clause of the task, left out: '这是一条不相干的附注'")]
    assert found["markup-removed"] == [(None, 12, "HTML tags or entities removed from 1 line(s)")]
    paged = (NOTICE + "2023年重点工作责任分解\n一、任务\n1.推进重大项目建设，\n— 2 —\n2023年重点工作责任分解\n"
             "加快前期工作。\n牵头单位：市发改委\n")
    assert rows(paged) == [(1, "推进重大项目建设，加快前期工作。", [("市发改委", "l")], [], [])]
    assert [line for _, line, _ in kinds(paged)["text-skipped"]] == [7, 8]
    noted = NOTICE + "一、任务\n注：以下任务年底前完成\n1.修路。\n牵头单位：市交通局\n"
    assert kinds(noted)["text-skipped"] == [
        (None, 5, "line 5: a note that states no convention the reader knows, left out: '注：以下任务年底前完成'")]


def test_a_repost_that_lost_its_digits():
    text = (NOTICE + "一、任务\n1﹒修路。\n牵头负责领导:刘惠。\n牵头责任单位:市交通局。\n﹒建桥。\n牵头负责领导:刘惠。\n"
            "牵头责任单位:市住建局。\n通水。\n牵头负责领导:周喜安。\n牵头责任单位:市水利局。\n")
    assert rows(text) == [(1, "修路。", [("市交通局", "l")], ["刘惠"], []),
                          (2, "建桥。", [("市住建局", "l")], ["刘惠"], []),
                          (3, "通水。", [("市水利局", "l")], ["周喜安"], [])]
    assert [(task, line) for task, line, _ in kinds(text)["number-lost"]] == [(2, 8), (3, 11)]


@pytest.mark.parametrize("ending, units, message", [
    ("责任单位:县财", [], "the unit name '县财' is cut short"),
    ("（牵头单位：市人力资源社会保", [], "the unit name '市人力资源社会保' is cut short"),
    ("(市经信委牵头落实", [("市经信委", "l")], "its bracket is not closed"),
    ("牵头负责领导:杨光荣。\n牵头责", [], "'牵头责' is the start of a clause"),
    ("增长28", [], "before its responsibility"),
])
def test_a_cut_off_last_item_keeps_what_is_complete(ending, units, message):
    text = NOTICE + "一、任务\n1.修路。\n责任单位：市交通局\n2.全力防范化解风险隐患。" + ending
    got = rows(text)
    assert got[0] == (1, "修路。", [("市交通局", "l")], [], []) and got[1][2] == units
    [(task, _, said)] = kinds(text)["cut-off"]
    assert task == 2 and message in said


def test_a_notice_with_site_chrome_and_numbered_paragraphs_gives_only_its_tasks():
    text = ("主办单位：中共某市委宣传部\n承办单位：某网\n" + NOTICE + "各牵头单位、责任单位：\n有关责任单位：\n"
            "现将分解方案印发给你们。\n"
            "一、各牵头单位要切实履行牵头责任，统筹推进各项工作落实，确保完成任务。\n二、请各牵头单位于3月9日前报送落实措施。\n"
            "某市人民政府办公室\n2023年2月1日\n2023年重点工作责任分解方案\n一、任务\n1.修路。（牵头单位：市交通局）\n")
    got = parse(text, "t.txt")
    assert [(t.no, t.chapter, t.text, [u.name for u in t.units]) for t in got.tasks] == [
        (1, "一、任务", "修路。", ["市交通局"])]
    assert got.meta.title == "2023年重点工作责任分解方案" and got.meta.doc_number == "某政办〔2023〕1号"


def test_a_clause_in_a_pages_chrome_over_a_numbered_document_is_no_task():
    text = ("某市文化产业政策服务平台\n主办单位：中共某市委宣传部\n" + NOTICE + "某市人民政府办公厅\n2018年2月14日\n"
            "一、任务\n1.修路。（牵头单位：市交通局）\n2.建桥。（责任单位：市住建局）\n")
    got = parse(text, "t.txt")
    assert [(t.no, t.text, [u.name for u in t.units]) for t in got.tasks] == [(1, "修路。", ["市交通局"]),
                                                                              (2, "建桥。", ["市住建局"])]
    assert got.meta.title == "某市人民政府办公室关于印发2023年重点工作责任分解的通知"
    assert [f.lines for f in got.findings if f.kind == "text-skipped"] == [(1, 5)]


def test_a_notice_without_a_task_is_the_only_error():
    with pytest.raises(LayoutError, match="no task found") as exc:
        parse(NOTICE + "一、提高认识，压实责任。\n二、细化措施，合力推进。\n某市人民政府办公室\n2023年2月1日\n", "t.txt")
    assert exc.value.file == "t.txt" and exc.value.line is None


def test_layouts_name_the_readers():
    assert list(LAYOUTS) == ["grid", "clauses"]
    assert parse_text(NOTICE + "一、任务\n1.修路。牵头单位：市交通局\n", "t.txt", "clauses").layout == "clauses"


# --- properties ------------------------------------------------------------------------------

_PIECES = st.sampled_from(["1.", "2、", "（3）", "一、", "（一）", "牵头单位：", "责任单位:", "配合", "牵头", "（", "）", "(",
                           "市发改委", "各县（市、区）政府", "、", "，", "。", "\n", "进展情况：", "2021年6月底前", "﹒",
                           "<p>", "朱伟县长牵头重点工作", "列第一位的为牵头单位", "下同", " "])
_TEXTS = st.one_of(st.text(max_size=200), st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=80).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=_TEXTS)
def test_any_text_gives_records_or_a_clear_error(text):
    try:
        result = parse_text(text, "fuzz.txt")
    except (LayoutError, InputError):
        return
    lines = len(text.split("\n"))
    for task in result.tasks:
        assert 1 <= task.source.lines[0] <= task.source.lines[1] <= lines
    assert len({t.no for t in result.tasks}) == len(result.tasks)


_NAMES = st.builds(lambda pre, stem, end: pre + stem + end, st.sampled_from(["市", "县", "区", "省", ""]),
                   st.text(alphabet="发改财政统计交通住建工信商务教育卫健水利林业文旅科技", min_size=2, max_size=5),
                   st.sampled_from(["局", "委", "办", "中心", "管委会", "厅"]))
_GROUPS = st.sampled_from(["各县（市、区）政府", "各县(市、区)政府(管委会)", "各区、县级市", "各镇政府、街道办事处",
                           "市直有关单位"])


@settings(max_examples=200, deadline=None)
@given(units=st.lists(st.one_of(_NAMES, _GROUPS), min_size=1, max_size=8, unique=True),
       seps=st.lists(st.sampled_from(["、", "，", ",", "；", ";", " ", "、 "]), min_size=8, max_size=8),
       end=st.sampled_from(["", "等", "。", "等。"]))
def test_a_unit_list_splits_back_into_its_names(units, seps, end):
    text = units[0] + "".join(sep + u for sep, u in zip(seps, units[1:])) + end
    assert "、".join(split_units(text)) == "、".join(units)
