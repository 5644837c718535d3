"""Spreadsheets in and out: kg.parse.sheet reads .xlsx and .csv, kg.views.sheet writes them.

The sheets are built here with openpyxl or the csv module, in tmp_path; none is committed.
"""

from __future__ import annotations

import csv
import dataclasses

import pytest
from openpyxl import Workbook, load_workbook

from kg.errors import LayoutError
from kg.parse import parse_text
from kg.parse.sheet import is_sheet, parse_sheet
from kg.quality import FINDING_COLUMNS
from kg.read.reading import plan_findings
from kg.records import to_json
from kg.views.sheet import FINDINGS_SHEET, TASK_COLUMNS, write_csv, write_xlsx


def records(tasks) -> list[dict]:
    """The records without their source, which a sheet replaces with its own rows."""
    out = []
    for t in tasks:
        obj = to_json(t)
        del obj["source"]
        out.append(obj)
    return out


def unit(name, role="support", heads=(), kind="unit", parent=None) -> dict:
    return {"name": name, "role": role, "kind": kind, "heads": list(heads), "parent": parent}


def record(no, text, units, chapter="", section=None, supervisors=(), unassigned=(), **extra) -> dict:
    return {"no": no, "chapter": chapter, "section": section, "text": text, "units": units,
            "supervisors": list(supervisors), "unassigned_heads": list(unassigned), **extra}


def xlsx(path, rows, merges=()):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


# ---------------------------------------------------------------- the round trip


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_seed_round_trip(seed, tmp_path, ext):
    path = tmp_path / f"tasks.{ext}"
    if ext == "xlsx":
        write_xlsx(path, seed)
    else:
        write_csv(path, seed.tasks)
    back = parse_sheet(path)
    assert back.layout == "sheet"
    assert len(back.tasks) == 173
    assert records(back.tasks) == records(seed.tasks)
    assert [t.source.lines for t in back.tasks[:2]] == [(2, 2), (3, 3)]
    assert {t.source.file for t in back.tasks} == {path.name}


INLINE = """\
2021年重点工作任务分解
一、稳增长
（一）扩大投资
1.推进数字政府建设。牵头单位：县发改局、县数据局；配合单位：各镇政府、街道办事处，县财政局；完成时限：6月底前；牵头领导：王强、李明；分管领导：张伟
2.建桥。牵头单位：县住建局；完成时限：长期坚持
二、惠民生
3.办好民生实事。牵头单位：县民政局；配合单位：县卫健局（县疾控中心）；完成时限：2022年三季度
"""


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_round_trip_keeps_deadlines_leaders_and_several_leads(tmp_path, ext):
    src = parse_text(INLINE, "plan.txt", "clauses")
    assert src.tasks[0].due.date == "2021-06-30"  # the year comes from the title, not the text
    src.tasks[1] = dataclasses.replace(src.tasks[1], text="=1+1，修路。")  # text, never a formula
    path = tmp_path / f"plan.{ext}"
    write_xlsx(path, src) if ext == "xlsx" else write_csv(path, src.tasks)
    assert records(parse_sheet(path).tasks) == records(src.tasks)


def test_xlsx_sheets_header_widths_and_findings(seed, tmp_path):
    path = tmp_path / "tasks.xlsx"
    write_xlsx(path, seed)
    wb = load_workbook(path)
    assert wb.sheetnames == ["任务", FINDINGS_SHEET]
    ws, quality = wb["任务"], wb[FINDINGS_SHEET]
    assert tuple(c.value for c in ws[1]) == TASK_COLUMNS
    assert all(c.font.bold for c in ws[1])
    assert ws.column_dimensions["D"].width == 60 and ws.column_dimensions["A"].width < 10
    assert tuple(c.value for c in quality[1]) == FINDING_COLUMNS
    assert quality.max_row - 1 == len(plan_findings(seed))
    assert {r[1] for r in quality.iter_rows(min_row=2, values_only=True)} == {f.kind for f in plan_findings(seed)}
    assert [p.name for p in tmp_path.iterdir()] == ["tasks.xlsx"]  # no temporary file left


def test_write_replaces_atomically(seed, tmp_path):
    path = tmp_path / "tasks.csv"
    path.write_text("old", encoding="utf-8")
    write_csv(path, seed.tasks[:1])
    assert path.read_bytes().startswith("\ufeff序号,章,节".encode("utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["tasks.csv"]


# ---------------------------------------------------------------- hand-made sheets


def test_merged_chapter_cells_and_unit_separators(tmp_path):
    path = xlsx(tmp_path / "2021年任务.xlsx", [
        ["晋江市2021年重点工作任务分解表"],
        ["序号", "项目", "目标任务", "牵头单位", "配合单位", "责任领导", "分管市领导", "完成时限"],
        ["一、狠抓科技创新"],
        [1, "（一）培育企业创新主体", "培育高新技术企业。", "科技局", "工信局、发改局", "蒋家兴", "庄天怀", "6月底前"],
        [2, None, "建设 创新\n平台。", "科技局", "财政局，市场监管局；统计局", None, "庄天怀、李自力", None],
        [3, "（二）引育人才", "引进人才。", "人才办", "人社局\n教育局;各镇政府、街道办事处",
         "人才办：王一\n各镇政府、街道办事处：各镇镇长、街道办事处主任", "黄少伟", "2021年12月"],
    ], merges=["A3:H3", "B4:B5"])
    result = parse_sheet(path)
    assert result.meta.year == 2021
    assert records(result.tasks) == [
        record(1, "培育高新技术企业。", [unit("科技局", "lead"), unit("工信局"), unit("发改局")],
               "一、狠抓科技创新", "（一）培育企业创新主体", ["庄天怀"], ["蒋家兴"],
               due={"text": "6月底前", "date": "2021-06-30"}),
        record(2, "建设创新平台。", [unit("科技局", "lead"), unit("财政局"), unit("市场监管局"), unit("统计局")],
               "一、狠抓科技创新", "（一）培育企业创新主体", ["庄天怀", "李自力"]),
        record(3, "引进人才。", [unit("人才办", "lead", ["王一"]), unit("人社局"), unit("教育局"),
                              unit("各镇政府、街道办事处", heads=["各镇镇长、街道办事处主任"], kind="group")],
               "一、狠抓科技创新", "（二）引育人才", ["黄少伟"], due={"text": "2021年12月", "date": "2021-12"}),
    ]
    assert [t.source.lines for t in result.tasks] == [(4, 4), (5, 5), (6, 6)]
    assert [(f.kind, f.task) for f in result.findings] == [("heads-open", 1)]  # 3 units, 1 head: not paired


def test_heads_pair_in_order_or_stay_open(tmp_path):
    path = xlsx(tmp_path / "heads.xlsx", [
        ["序号", "章", "节", "目标任务", "牵头单位", "配合单位", "责任领导", "分管市领导"],
        [1, "一、发展", None, "修路。", "交通局", "财政局", "甲某、乙某", "丙某"],
        [2, None, None, "建桥。", "住建局", "财政局", "丁某", "丙某"],
    ])
    result = parse_sheet(path)
    assert records(result.tasks) == [
        record(1, "修路。", [unit("交通局", "lead", ["甲某"]), unit("财政局", heads=["乙某"])], "一、发展", None, ["丙某"]),
        record(2, "建桥。", [unit("住建局", "lead"), unit("财政局")], "一、发展", None, ["丙某"], ["丁某"]),
    ]
    open_ = [f for f in result.findings if f.kind == "heads-open"]
    assert [(f.task, f.lines, f.severity) for f in open_] == [(2, (3, 3), "warning")]
    assert "2 units, 1 heads" in open_[0].message


def test_units_column_only_first_leads(tmp_path):
    path = xlsx(tmp_path / "units.xlsx", [
        ["序号", "重点工作", "责任单位", "分管领导"],
        [1, "修路。", "交通局、财政局、各镇政府、街道办事处", "丙某"],
        [2, "建桥。", "发改局（审改办）", None],
    ])
    assert records(parse_sheet(path).tasks) == [
        record(1, "修路。", [unit("交通局", "lead"), unit("财政局"), unit("各镇政府、街道办事处", kind="group")],
               supervisors=["丙某"]),
        record(2, "建桥。", [unit("发改局（审改办）", "lead", parent="发改局")]),
    ]


CSV_ROWS = [
    ["序号", "类别", "任务", "牵头单位", "协办单位", "牵头领导", "完成时限"],
    ["1", "一、稳增长", "扩大投资。", "发改局", "财政局；统计局", "王强", "2021年6月底前"],
    ["2", "", "稳定就业。", "人社局", "", "", "长期坚持"],
]
CSV_EXPECTED = [
    record(1, "扩大投资。", [unit("发改局", "lead"), unit("财政局"), unit("统计局")], "一、稳增长",
           due={"text": "2021年6月底前", "date": "2021-06-30"}, lead_leaders=["王强"]),
    record(2, "稳定就业。", [unit("人社局", "lead")], "一、稳增长", due={"text": "长期坚持", "date": None}),
]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "tasks.csv"
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(CSV_ROWS)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    assert records(parse_sheet(path).tasks) == CSV_EXPECTED


def test_no_header_row(tmp_path):
    path = xlsx(tmp_path / "notes.xlsx", [["会议纪要", "2021年"], ["修路", "交通局"]])
    with pytest.raises(LayoutError) as err:
        parse_sheet(path)
    assert str(err.value) == (
        f"{path}: no task found: no header row in the first 10 rows of sheet 'Sheet': row 1 reads '会议纪要 | 2021年'; "
        "expected a row naming the columns 目标任务 (or 任务, 重点工作, 目标与任务) and 牵头单位 (or 责任单位, 配合单位)")


def test_bad_number_is_a_finding_and_the_rest_is_read(tmp_path):
    path = xlsx(tmp_path / "bad.xlsx", [["序号", "目标任务", "牵头单位"], [1, "修路。", "交通局"], ["二", "建桥。", "住建局"],
                                        [3, "架线。", "供电局"]])
    result = parse_sheet(path)
    assert [(t.no, t.text) for t in result.tasks] == [(1, "修路。"), (2, "建桥。"), (3, "架线。")]
    [unread] = [f for f in result.findings if f.kind == "number-unread"]
    assert (unread.task, unread.lines, unread.severity) == (2, (3, 3), "warning")
    assert "'二' is not a number" in unread.message


def test_is_sheet():
    assert is_sheet("a.xlsx") and is_sheet("B.CSV") and not is_sheet("a.txt") and not is_sheet("a.xls")


def test_export_and_read_back_through_the_cli(tmp_path):
    """kg export --format xlsx|csv writes the bundled table's records; kg parse reads them back the same."""
    import json

    from click.testing import CliRunner

    from kg.cli import main

    runner = CliRunner()
    original = [json.loads(line) for line in runner.invoke(main, ["parse"], prog_name="kg").stdout.splitlines()]
    for fmt in ("xlsx", "csv"):
        path = tmp_path / f"tasks.{fmt}"
        result = runner.invoke(main, ["export", "--format", fmt, "-o", str(path)], prog_name="kg")
        assert result.exit_code == 0 and "173 tasks" in result.stderr
        back = [json.loads(line) for line in runner.invoke(main, ["parse", str(path)], prog_name="kg").stdout.splitlines()]
        assert [{k: v for k, v in r.items() if k != "source"} for r in back] == \
            [{k: v for k, v in r.items() if k != "source"} for r in original]
    missing = runner.invoke(main, ["export", "--format", "xlsx"], prog_name="kg")
    assert missing.exit_code == 2 and "needs -o FILE.xlsx" in missing.output
    wrong = runner.invoke(main, ["parse", str(tmp_path / "tasks.xlsx"), "--layout", "clauses"], prog_name="kg")
    assert wrong.exit_code == 1 and "read by its column names" in wrong.stderr
