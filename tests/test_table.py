"""The one table reader (kg.parse.table) and the tables that arrive in text (kg.parse.texttable).

Tables are built here as Document objects, the way every format reader hands them over;
texts are written inline. The two corpus files with tables give their hand-checked rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError, LayoutError
from kg.parse import parse_file
from kg.parse.document import Document, Paragraph, Table
from kg.parse.table import find_header, has_table, read_tables
from kg.parse.texttable import find_table

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
HEADER = ("序号", "目   标   与   任   务", "牵头责任单位", "责任单位")


def doc(*blocks, file="plan.docx") -> Document:
    return Document(file, list(blocks), "docx")


def table(*rows) -> Table:
    return Table(tuple(tuple(r) for r in rows))


def units(task) -> list[tuple]:
    return [(u.name, u.role, *((list(u.heads),) if u.heads else ())) for u in task.units]


def brief(result) -> list[tuple]:
    """Each task as (no, chapter, section, text, units, lines)."""
    return [(t.no, t.chapter, t.section, t.text, units(t), t.source.lines) for t in result.tasks]


def kinds(result) -> list[tuple]:
    return [(f.kind, f.task, f.lines) for f in result.findings if f.kind not in ("no-supervisor",)]


# ---------------------------------------------------------------- header, title, headings


def test_spaced_header_title_row_and_headings():
    result = read_tables(doc(
        Paragraph("某县人民政府文件\n某政〔2024〕3号\n2024年2月1日"),
        table(("2024年重点工作任务分解表", "", "", ""),
              HEADER,
              ("一、稳增长", "", "", ""),
              ("（一）扩大投资", "（一）扩大投资", "（一）扩大投资", "（一）扩大投资"),
              ("1", "修路。", "县交通局", "县财政局、各镇政府"),
              ("二、惠民生", "二、惠民生", "", ""),
              ("2", "建校。", "县教育局", "")),
    ))
    assert brief(result) == [
        (1, "一、稳增长", "（一）扩大投资", "修路。",
         [("县交通局", "lead"), ("县财政局", "support"), ("各镇政府", "support")], (8, 8)),
        (2, "二、惠民生", None, "建校。", [("县教育局", "lead")], (10, 10)),
    ]
    assert (result.meta.title, result.meta.doc_number, result.meta.issued, result.meta.year) == \
        ("2024年重点工作任务分解表", "某政〔2024〕3号", "2024-02-01", 2024)
    assert result.layout == "table" and kinds(result) == []


def test_heading_numeral_in_the_number_column():
    result = read_tables(doc(table(("序号", "重点工作", "责任单位", "分管领导"), ("一", "稳增长", "", ""),
                                   ("（一）", "扩大投资", "", ""), ("1", "修路。", "县交通局", "朱伟 县长"))))
    assert [(t.chapter, t.section, t.text, t.supervisors) for t in result.tasks] == \
        [("一、稳增长", "（一）扩大投资", "修路。", ("朱伟",))]


def test_a_table_per_chapter_under_its_heading_paragraph():
    result = read_tables(doc(
        Paragraph("一、提高站位，强化领导。\n各单位要切实加强组织领导。"),
        Paragraph("一、稳增长"),
        table(HEADER, ("1", "修路。", "县交通局", "")),
        Paragraph("二、惠民生\n（一）办好实事"),
        table(HEADER, ("2", "建校。", "县教育局", "")),
    ))
    assert [(t.chapter, t.section) for t in result.tasks] == [("一、稳增长", None), ("二、惠民生", "（一）办好实事")]


def test_find_header_needs_text_and_a_units_column():
    assert find_header([("序号", "目标任务", "完成时限")]) is None
    assert find_header([("说明",), ("序 号", "重点工作", "责任单位")]).index == 1
    assert not has_table(doc(table(("姓名", "电话"), ("王强", "123"))))


def test_subheading_with_a_bare_number_is_no_task():
    result = read_tables(doc(table(
        HEADER,
        ("(一)加强经济运行调节。", "", "", ""),
        ("1", "大力提振消费。", "", ""),
        ("(1)", "发放消费券。", "市商务局", "市财政局"),
        ("(2)", "培育消费增长点。", "市商务局", ""),
        ("2", "扩大有效投资。", "", ""),
        ("(3)", "推进重大项目。", "市发展改革委", ""),
    )))
    assert [(t.no, t.section, t.text) for t in result.tasks] == [
        (1, "(一)加强经济运行调节。", "发放消费券。"), (2, "(一)加强经济运行调节。", "培育消费增长点。"),
        (3, "(一)加强经济运行调节。", "推进重大项目。")]


def test_bare_numbered_tasks_without_units_stay_tasks():
    result = read_tables(doc(table(("序号", "重点工作", "责任单位"), ("1", "修路。", "县交通局"), ("2", "建桥。", ""))))
    assert [(t.no, units(t)) for t in result.tasks] == [(1, [("县交通局", "lead")]), (2, [])]
    assert ("no-lead", 2, (3, 3)) in kinds(result)


# ---------------------------------------------------------------- units


def test_lead_column_after_the_units_column_leads_and_units_keep_their_order():
    result = read_tables(doc(table(
        ("序号", "工作任务", "责任单位", "牵头单位", "进展情况"),
        ("1", "修路。", "县财政局\n县自然资源局", "县交通局", "已完成县交通局牵头的三段"),
        ("2", "建桥。", "县交通局 县水利局", "县住建局、县交通局", ""),
    )))
    assert [units(t) for t in result.tasks] == [
        [("县交通局", "lead"), ("县财政局", "support"), ("县自然资源局", "support")],
        [("县住建局", "lead"), ("县交通局", "lead"), ("县水利局", "support")],
    ]


def test_header_of_two_rows():
    result = read_tables(doc(table(
        ("序号", "工作任务", "责任单位", "责任单位", "完成时限"),
        ("序号", "工作任务", "牵头单位", "配合单位", "完成时限"),
        ("1", "修路。", "县交通局、县住建局", "县财政局", "年底前"),
        ("", "", "牵头单位", "配合单位", ""),
        ("2", "建桥。", "县住建局", "", ""),
    )))
    assert [(t.no, units(t)) for t in result.tasks] == [
        (1, [("县交通局", "lead"), ("县住建局", "lead"), ("县财政局", "support")]), (2, [("县住建局", "lead")])]
    assert kinds(result) == []


def test_units_column_only_first_leads_once_reported():
    result = read_tables(doc(table(("序号", "重点工作", "责任单位"), ("1", "修路。", "县交通局，县财政局"),
                                   ("2", "建桥。", "县住建局（牵头）、县水利局"), ("3", "架线。", "县供电公司"))))
    assert [units(t) for t in result.tasks] == [
        [("县交通局", "lead"), ("县财政局", "support")], [("县住建局", "lead"), ("县水利局", "support")],
        [("县供电公司", "lead")]]
    [first] = [f for f in result.findings if f.kind == "first-leads"]
    assert first.severity == "info" and first.evidence == ("tasks 1, 3",)


def test_clauses_inside_a_units_cell():
    result = read_tables(doc(table(
        ("序号", "重点工作", "责任单位"),
        ("1", "修路。", "牵头单位：县交通局；配合单位：县财政局、县住建局；进展情况：已开工"),
        ("2", "建桥。", "县住建局牵头，县财政局、县水利局配合"),
        ("3", "架线。", "县发改局、县供电公司（牵头）"),
        ("4", "植树。", "县林业局、县园林局负责；分管领导：李明副县长"),
    )))
    assert [(units(t), t.supervisors) for t in result.tasks] == [
        ([("县交通局", "lead"), ("县财政局", "support"), ("县住建局", "support")], ()),
        ([("县住建局", "lead"), ("县财政局", "support"), ("县水利局", "support")], ()),
        ([("县供电公司", "lead"), ("县发改局", "support")], ()),
        ([("县林业局", "lead"), ("县园林局", "support")], ("李明",)),
    ]
    [first] = [f for f in result.findings if f.kind == "first-leads"]
    assert first.evidence == ("tasks 4",)


def test_stated_convention_and_separate_leads():
    result = read_tables(doc(table(
        ("序号", "重点工作", "责任单位"),
        ("1", "修路。", "县交通局、县财政局（除标注“分别牵头”外，列第一位为牵头单位，下同）"),
        ("2", "建桥。", "县住建局、县水利局分别牵头，县财政局配合"),
    )))
    assert [units(t) for t in result.tasks] == [
        [("县交通局", "lead"), ("县财政局", "support")],
        [("县住建局", "lead"), ("县水利局", "lead"), ("县财政局", "support")]]
    assert [(f.kind, f.evidence) for f in result.findings if "lead" in f.kind] == [("lead-convention", ("tasks 1",))]


def test_a_sentence_in_a_unit_cell_is_a_finding_and_the_rest_is_read():
    result = read_tables(doc(table(HEADER, ("1", "修路。", "县交通局", "请各单位于每月5日前报送进展情况。\n县财政局"))))
    assert units(result.tasks[0]) == [("县交通局", "lead"), ("县财政局", "support")]
    assert ("units-unread", 1, (2, 2)) in kinds(result)


# ---------------------------------------------------------------- rows: empty, missing, continued, split tables


def test_empty_and_missing_cells():
    result = read_tables(doc(table(
        ("序号", "目标任务", "牵头单位", "配合单位", "完成时限"),
        ("1", "修路。", "县交通局"),
        ("2", "建桥。", "", "县财政局", "6月底前"),
        ("", "", "", "", ""),
        ("3", "架线。", "县供电公司", "", ""),
    ), file="2021年分解.docx"))
    assert [(t.no, units(t), t.due.date if t.due else None) for t in result.tasks] == [
        (1, [("县交通局", "lead")], None), (2, [("县财政局", "support")], "2021-06-30"),
        (3, [("县供电公司", "lead")], None)]


def test_row_continued_on_the_next_page_and_repeated_header():
    result = read_tables(doc(
        table(HEADER, ("1", "推进数字政府建设，完善", "县数据局", "县财政局")),
        Paragraph("— 2 —"),
        table(HEADER, ("", "一网通办平台。", "", "各镇政府"), ("2", "建桥。", "县住建局", "")),
    ))
    assert brief(result) == [
        (1, "", None, "推进数字政府建设，完善一网通办平台。",
         [("县数据局", "lead"), ("县财政局", "support"), ("各镇政府", "support")], (2, 5)),
        (2, "", None, "建桥。", [("县住建局", "lead")], (6, 6)),
    ]
    assert ("row-continued", 1, (5, 5)) in kinds(result)


def test_table_split_in_two_continues_the_columns_and_an_unlike_table_is_left_out():
    result = read_tables(doc(
        table(HEADER, ("1", "修路。", "县交通局", "")),
        table(("2", "建桥。", "县住建局", "县财政局"), ("3", "架线。", "县供电公司", "")),
        table(("联系人", "电话"), ("王强", "5551234")),
    ))
    assert [t.no for t in result.tasks] == [1, 2, 3]
    assert ("table-skipped", None, (5, 5)) in kinds(result)


def test_merged_project_cells_carry_the_chapter():
    result = read_tables(doc(table(
        ("序号", "项目", "目标任务", "责任单位", "责任领导", "分管县领导"),
        ("1", "一、科技创新\n（一）培育主体", "培育企业。", "县科技局", "蒋家兴", "朱伟县长"),
        ("2", "一、科技创新\n（一）培育主体", "建设平台。", "县科技局\n县财政局", "县科技局：蒋家兴\n县财政局：李明", "朱伟"),
        ("3", "一、科技创新\n（二）引育人才", "引进人才。", "县人才办、县人社局", "王一", "副县长黄少伟"),
    )))
    assert [(t.chapter, t.section, units(t), t.supervisors, t.unassigned_heads) for t in result.tasks] == [
        ("一、科技创新", "（一）培育主体", [("县科技局", "lead", ["蒋家兴"])], ("朱伟",), ()),
        ("一、科技创新", "（一）培育主体", [("县科技局", "lead", ["蒋家兴"]), ("县财政局", "support", ["李明"])],
         ("朱伟",), ()),
        ("一、科技创新", "（二）引育人才", [("县人才办", "lead"), ("县人社局", "support")], ("黄少伟",), ("王一",)),
    ]
    assert ("heads-open", 3, (4, 4)) in kinds(result)


def test_heads_aligned_from_other_rows_as_the_grid_does():
    result = read_tables(doc(table(
        ("序号", "目标任务", "责任单位", "责任领导"),
        ("1", "修路。", "县交通局\n县财政局", "张三\n李四"),
        ("2", "建桥。", "县交通局、县住建局、县财政局", "李四"),
        ("3", "架线。", "县供电公司", "王五、赵六"),
    )))
    assert [units(t) for t in result.tasks] == [
        [("县交通局", "lead", ["张三"]), ("县财政局", "support", ["李四"])],
        [("县交通局", "lead"), ("县住建局", "support"), ("县财政局", "support", ["李四"])],
        [("县供电公司", "lead", ["王五", "赵六"])],
    ]
    assert [(f.kind, f.task) for f in result.findings if f.kind.startswith("heads")] == \
        [("heads-resolved", 2), ("heads-open", 2)]


def test_leaders_deadlines_and_progress_columns():
    result = read_tables(doc(table(
        ("序号", "重点工作", "牵头单位", "协同责任单位", "牵头县领导", "分管副县长", "完成时限", "完成情况"),
        ("1", "修路。", "县交通局", "县财政局", "朱伟县长", "王强、李明", "2022年三季度", "县审计局已验收"),
    )))
    [task] = result.tasks
    assert (task.lead_leaders, task.supervisors, task.due.text, task.due.date) == \
        (("朱伟",), ("王强", "李明"), "2022年三季度", "2022-09")
    assert units(task) == [("县交通局", "lead"), ("县财政局", "support")]


def test_unreadable_number_and_row_without_text_are_findings():
    result = read_tables(doc(table(HEADER, ("1", "修路。", "县交通局", ""), ("二", "建桥。", "县住建局", ""),
                                   ("3", "", "县水利局", ""), ("3", "架线。", "县供电公司", ""),
                                   ("", "植树。", "县林业局", ""))))
    assert [t.no for t in result.tasks] == [1, 2, 3, 4]
    assert kinds(result) == [("number-unread", 2, (3, 3)), ("row-skipped", None, (4, 4)), ("number-unread", 4, (6, 6))]


def test_no_task_is_a_layout_error():
    with pytest.raises(LayoutError, match="no task found: no table has a header row"):
        read_tables(doc(Paragraph("通知"), table(("姓名", "电话"))))
    with pytest.raises(LayoutError, match="no task found"):
        read_tables(doc(table(HEADER, ("一、稳增长", "", "", ""))))


# ---------------------------------------------------------------- tables in text

PIPE = """\
关于2025年重点工作及责任分解的通知
序号 | 目标与任务 | 牵头责任单位 | 责任单位 |
|---|---|---|---|
一、主要预期目标 | |||
| (1) | 地区生产总值增长6%以上。 | 市发展改革委 | 各县市区政府、 开发区管委会 |
1 | 大力提振消费。 | ||
| (2) | 居民收入增长。 | 市人力资源社会保障局 市农业农村局 | |
以上任务请认真落实。
"""


def test_pipe_rows():
    found = find_table(PIPE, "plan.txt")
    assert [len(t.rows) for t in found.document.tables()] == [5]
    result = read_tables(found.document, "table", found.line_of)
    assert brief(result) == [
        (1, "一、主要预期目标", None, "地区生产总值增长6%以上。",
         [("市发展改革委", "lead"), ("各县市区政府", "support"), ("开发区管委会", "support")], (5, 5)),
        (2, "一、主要预期目标", None, "居民收入增长。", [("市人力资源社会保障局", "lead"), ("市农业农村局", "lead")], (7, 7)),
    ]
    assert result.meta.year == 2025
    assert found.document.paragraphs()[-1].text == "以上任务请认真落实。"


FLAT = """\
2019年度重点工作任务分解表
序号
目   标   与   任   务
牵头责任单位
责任单位
完成时限
      1        
扎实推进三大保卫战。
市生态环境局
各县区政府、开发区管委会
6月底前
      2        
增林地、增绿地。
市自然资源和规划局
      3
推进河长制。
年底前
二、惠民生
      4
办好民生实事。
市民政局
市财政局
市卫生健康委
"""


def test_flattened_one_cell_per_line_resynchronised_on_numbers_and_shapes():
    found = find_table(FLAT, "plan.txt")
    result = read_tables(found.document, "table", found.line_of)
    assert [(t.no, t.chapter, t.text, units(t), t.due.date if t.due else None, t.source.lines)
            for t in result.tasks] == [
        (1, "", "扎实推进三大保卫战。", [("市生态环境局", "lead"), ("各县区政府", "support"), ("开发区管委会", "support")],
         "2019-06-30", (7, 7)),
        (2, "", "增林地、增绿地。", [("市自然资源和规划局", "lead")], None, (12, 12)),
        (3, "", "推进河长制。", [], "2019-12-31", (15, 15)),
        (4, "二、惠民生", "办好民生实事。", [("市民政局", "lead"), ("市财政局", "support"), ("市卫生健康委", "support")],
         None, (19, 19)),
    ]


def test_a_text_that_ends_inside_its_last_row():
    text = PIPE.rsplit("\n", 2)[0] + "\n| (3) | 推进消费。 | 市发"
    found = find_table(text, "plan.txt")
    result = read_tables(found.document, "table", found.line_of)
    assert [(t.no, units(t)) for t in result.tasks][-1] == (3, [])
    assert ("cut-off", None, (8, 8)) in kinds(result)


def test_text_without_a_table_shape_has_no_text_table():
    assert find_table("1.修路。牵头单位：县交通局\n2.建桥。牵头单位：县住建局\n", "a.txt") is None
    assert find_table((Path(__file__).parent.parent / "data" / "raw" / "004_89d412a27e51e6a9.txt")
                      .read_text(encoding="utf-8"), "seed.txt") is None


# ---------------------------------------------------------------- the corpus and parse_file

EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
TABLE_FILES = ["wuhu_2025_zhongdian_gongzuo_zeren_fenjie_pipe_table.txt",
               "wuhu_2019_zhongdian_gongzuo_renwu_fenjiebiao_flattened.txt"]


@pytest.mark.parametrize("file", TABLE_FILES)
def test_corpus_tables_give_their_golden_rows(file):
    result = parse_file(CORPUS / file)
    assert result.layout == "table"
    got = {t.no: {"no": t.no, "leads": [u.name for u in t.leads], "units": [u.name for u in t.units],
                  "leaders": list(dict.fromkeys([*t.lead_leaders, *t.supervisors])),
                  "due": t.due.text if t.due else None} for t in result.tasks}
    assert [got.get(row["no"]) for row in EXPECTED[file]] == EXPECTED[file]


def test_corpus_source_lines_are_the_text_lines():
    path = CORPUS / TABLE_FILES[1]
    lines = path.read_text(encoding="utf-8").split("\n")
    result = parse_file(path)
    assert [lines[t.source.lines[0] - 1].strip() for t in result.tasks] == ["1", "2"]


def test_adjacent_genre_does_not_crash():
    try:
        parse_file(CORPUS / "jingyang_2016_mubiao_renwu_fenjiebiao_flattened.txt")
    except LayoutError as exc:
        assert "jingyang_2016" in str(exc)


def test_parse_file_reads_a_pipe_table_in_text(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PIPE, encoding="utf-8")
    result = parse_file(path)
    assert [t.no for t in result.tasks] == [1, 2] and result.sha256 and result.file == "plan.txt"


# ---------------------------------------------------------------- property: never a crash

cell_text = st.one_of(st.just(""), st.sampled_from(["1", "(2)", "二", "一、稳增长", "（一）投资", "修路。", "县交通局",
                                                     "县交通局、县财政局", "朱伟县长", "6月底前", "进展顺利。",
                                                     "序号", "目标任务", "责任单位", "= 1", "\n", " "]),
                      st.text(max_size=15))
rows = st.lists(st.lists(cell_text, max_size=7).map(tuple), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.permutations(["序号", "项目", "目标任务", "牵头单位", "责任单位", "责任领导", "分管县领导", "完成时限",
                               "进展情况"]).map(lambda h: tuple(h[:5]) + ("目标任务", "责任单位")),
       bodies=st.lists(rows, min_size=1, max_size=3), paragraph=st.text(max_size=30))
def test_random_tables_with_a_valid_header_never_raise_anything_else(header, bodies, paragraph):
    blocks = [Paragraph(paragraph), table(header, *bodies[0])] + [table(*b) for b in bodies[1:]]
    try:
        result = read_tables(doc(*blocks))
    except (LayoutError, InputError) as exc:
        assert "no task" in str(exc)
    else:
        assert result.tasks and all(t.text for t in result.tasks)


line = st.one_of(st.sampled_from(["序号", "目标任务", "牵头单位", "责任单位", "完成时限", "  1  ", "(2)", "3", "一、稳增长",
                                  "修路。", "县交通局", "县交通局、县财政局", "6月底前", "朱伟", "", "|", " | | ",
                                  "序号 | 目标任务 | 牵头单位 |", "| 1 | 修路。 | 县交通局 |"]),
                 st.text(max_size=12))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(line, max_size=30))
def test_random_text_tables_read_or_fail_cleanly(lines):
    found = find_table("\n".join(lines), "t.txt")
    if found is None:
        return
    assert len(found.lines) == found.document.text().count("\n")
    try:
        result = read_tables(found.document, "table", found.line_of)
    except LayoutError as exc:
        assert "no task" in str(exc)
    else:
        assert all(1 <= t.source.lines[0] <= t.source.lines[1] <= max(len(lines), 1) for t in result.tasks)


def test_the_2021_table_as_cells_gives_the_grid_records():
    """The bundled 2021 table written as a Word table would hold it — 项目 with its section,
    units one per line, heads as a plain list, city leaders — reads to the grid's 173 records."""
    from kg.records import to_json
    from kg.resources import default_source

    seed = parse_file(default_source())
    rows = [("序号", "项目", "目标任务", "责任单位", "责任领导", "分管市领导")]
    for t in seed.tasks:
        heads = [h for u in t.units for h in u.heads] + list(t.unassigned_heads)
        rows.append((str(t.no), t.chapter + (f"\n{t.section}" if t.section else ""), t.text,
                     "\n".join(u.name for u in t.units), "\n".join(heads), "\n".join(t.supervisors)))
    back = read_tables(doc(Paragraph("晋政文〔2021〕16号"), table(*rows)))
    strip = lambda t: {k: v for k, v in to_json(t).items() if k != "source"}  # noqa: E731
    assert [strip(t) for t in back.tasks] == [strip(t) for t in seed.tasks]
    assert back.meta.doc_number == "晋政文〔2021〕16号" and back.meta.year == 2021


def test_parse_file_reads_a_word_table_and_reports_what_its_reader_did(tmp_path):
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_paragraph("某政〔2023〕5号")
    for rows in ([HEADER, ("1", "修路。", "县交通局", "县财政局\n县住建局")], [HEADER, ("2", "建桥。", "县住建局", "")]):
        cells = word.add_table(rows=len(rows), cols=4)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cells.cell(i, j).text = value
    path = tmp_path / "plan.docx"
    word.save(path)
    result = parse_file(path)
    assert [(t.no, units(t)) for t in result.tasks] == [
        (1, [("县交通局", "lead"), ("县财政局", "support"), ("县住建局", "support")]), (2, [("县住建局", "lead")])]
    assert result.layout == "table" and result.meta.doc_number == "某政〔2023〕5号"
    notes = [f for f in result.findings if f.kind == "document-note"]
    assert notes and all(f.severity == "info" and f.message.startswith("docx: ") for f in notes)
