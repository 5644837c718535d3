"""Writing records as spreadsheets people open: an ``.xlsx`` workbook or a ``.csv`` file.

One row per task with readable Chinese column names (``TASK_COLUMNS``); the workbook has a
second sheet, 数据质量, with the findings (:data:`kg.quality.FINDING_COLUMNS`). The export
reads back through :func:`kg.parse.sheet.parse_sheet` to the same records (all but their
source, which becomes the sheet's rows):

- lists go one name per line inside a cell, because names can contain `、`
  (`各镇政府、街道办事处`, `各镇镇长、街道办事处主任`) but never a line break;
- lead units and supporting units have columns of their own (so several leads survive);
- 责任领导 holds one `单位：姓名` line per unit and head, so every head stays with its unit;
  heads tied to no unit go to 未对应的责任领导;
- 完成日期 keeps the deadline's date as read from the source, which a text such as
  `6月底前` only gives with the plan's year.

The **progress template** (:func:`write_progress_template`) is the fill-in sheet a supervision
office sends each unit: the tasks it leads and supports (number, text, role, lead unit,
deadline) and empty progress columns (完成状态 with a drop-down list of the status scheme's
words, 完成比例 checked to 0–100, 进展情况, 存在问题, 下一步工作计划), under a title that cites
the plan's document number and, where given, the as-of date — so that the filled-in sheet reads
back as a progress source of that plan (:mod:`kg.parse.progress`) without a word changed.

Text that Excel or WPS would evaluate (a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return: ``=HYPERLINK(…)`` in a task's text) is written so that it stays text: in
a workbook as a string cell marked as quoted, as typing ``'`` before it in Excel does; in
a CSV file with a ``'`` before it (:func:`kg.output.quote_cell`), which the reader removes.

Files are written to a temporary file in the target's folder and renamed over it, so a
failed run never leaves a half-written file.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path
from typing import Iterable

from kg.output import is_formula_like, quote_cell, write_atomic, write_atomic_with
from kg.parse.result import ParseResult
from kg.quality import FINDING_COLUMNS, finding_row, sort_findings
from kg.read.reading import plan_findings
from kg.records import Task

__all__ = ["write_xlsx", "write_csv", "task_row", "TASK_COLUMNS", "FINDINGS_SHEET", "PROGRESS_COLUMNS",
           "STATUS_CHOICES", "progress_rows", "write_progress_template"]

TASK_COLUMNS = ("序号", "章", "节", "目标任务", "牵头单位", "配合单位", "责任领导", "未对应的责任领导", "分管市领导",
                "牵头领导", "完成时限", "完成日期", "来源文件", "起始行", "结束行")
TASKS_SHEET = "任务"
FINDINGS_SHEET = "数据质量"
#: Narrowest and widest column, in character widths (a Chinese character counts two).
WIDTH_MIN, WIDTH_MAX = 6, 60


def task_row(task: Task) -> tuple:
    """One task as a row of TASK_COLUMNS; lists one item per line."""
    return (
        task.no,
        task.chapter,
        task.section or "",
        task.text,
        "\n".join(u.name for u in task.leads),
        "\n".join(u.name for u in task.supports),
        "\n".join(f"{u.name}：{h}" for u in task.units for h in u.heads),
        "\n".join(task.unassigned_heads),
        "\n".join(task.supervisors),
        "\n".join(task.lead_leaders),
        task.due.text if task.due else "",
        (task.due.date or "") if task.due else "",
        task.source.file,
        task.source.lines[0],
        task.source.lines[1],
    )


def _width(value) -> int:
    """Display width of a cell's longest line: East Asian wide characters count two."""
    lines = str(value).split("\n") if value is not None else [""]
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines)


def _fill(ws, header: Iterable[str], rows: list[tuple], top: int = 1) -> None:
    """The header (bold) at row ``top`` and the rows below it; text stays text, columns fit their cells."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header = list(header)
    for j, name in enumerate(header, 1):
        ws.cell(row=top, column=j, value=name).font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(rows, top + 1):
        for j, v in enumerate(row, 1):
            cell = ws.cell(row=i, column=j, value=v if v != "" else None)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl makes text starting with "=" a formula; it stays text
                cell.alignment = wrap
                if is_formula_like(cell.value):
                    cell.quotePrefix = True  # and stays text when someone edits the cell
    for j, name in enumerate(header, 1):
        width = max([_width(name)] + [_width(row[j - 1]) for row in rows])
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, WIDTH_MIN), WIDTH_MAX)
    ws.freeze_panes = f"A{top + 1}"
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(header))}{top + max(len(rows), 1)}"


def write_xlsx(path: str | Path, result: ParseResult) -> None:
    """Write the records (sheet 任务) and the findings (sheet 数据质量) as an .xlsx workbook."""
    from openpyxl import Workbook

    wb = Workbook()
    tasks = wb.active
    tasks.title = TASKS_SHEET
    _fill(tasks, TASK_COLUMNS, [task_row(t) for t in result.tasks])
    _fill(wb.create_sheet(FINDINGS_SHEET), FINDING_COLUMNS,
          [tuple("" if v is None else v for v in finding_row(f)) for f in sort_findings(plan_findings(result))])
    if result.meta.title:
        wb.properties.title = result.meta.title
    write_atomic_with(path, wb.save)


def write_csv(path: str | Path, tasks: Iterable[Task]) -> None:
    """Write the records as CSV, one row per task, UTF-8 with a BOM (so spreadsheet programs read the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TASK_COLUMNS)
    writer.writerows([quote_cell(v) for v in task_row(t)] for t in tasks)
    write_atomic(path, "\ufeff" + out.getvalue())


PROGRESS_COLUMNS = ("序号", "目标任务", "角色", "牵头单位", "完成时限", "完成状态", "完成比例", "进展情况", "存在问题",
                    "下一步工作计划", "报送单位")
#: The drop-down list of 完成状态: the preferred words of the reported statuses (ontology/respkg.ttl).
STATUS_CHOICES = ("已完成", "序时推进", "超进度", "进度滞后", "未启动")
_SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


def progress_rows(tasks: Iterable[Task], unit: str) -> list[tuple]:
    """The fill-in rows of one unit: the tasks it leads or supports, progress cells empty."""
    rows = []
    for t in tasks:
        role = "牵头" if any(u.name == unit for u in t.leads) else "配合" if any(u.name == unit for u in t.supports) \
            else None
        if role:
            rows.append((t.no, t.text, role, "\n".join(u.name for u in t.leads), t.due.text if t.due else "",
                         "", "", "", "", "", unit))
    return rows


def _progress_sheet(ws, title: str, rows: list[tuple]) -> None:
    """One unit's fill-in sheet: the title row, the header, the rows, the drop-down and the 0–100 check."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    ws["A1"] = title
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PROGRESS_COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    _fill(ws, PROGRESS_COLUMNS, rows, top=2)
    last = max(ws.max_row, 3)
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True,
                            errorTitle="完成状态", error="请从下拉列表中选择：" + "、".join(STATUS_CHOICES))
    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                             errorTitle="完成比例", error="完成比例为0到100之间的数")
    for dv, col in ((status, "F"), (percent, "G")):
        ws.add_data_validation(dv)
        dv.add(f"{col}3:{col}{last}")
    ws.freeze_panes = "C3"


def _template_title(result: ParseResult, unit: str, as_of: str | None) -> str:
    """The sheet's title: the plan, the unit, the as-of date (a blank to fill where none is given) and the
    plan's document number, which the reader takes the plan from."""
    when = (f"截至{int(as_of[:4])}年{int(as_of[5:7])}月{int(as_of[8:])}日" if as_of else "截至　　年　　月　　日")
    cite = f"，{result.meta.doc_number}" if result.meta.doc_number else ""
    return f"{result.meta.title or result.file}进展情况（{unit}，{when}{cite}）"


def write_progress_template(path: str | Path, result: ParseResult, units: list[str], as_of: str | None = None) -> None:
    """Write the fill-in sheets of ``units`` (one worksheet each) as one workbook, atomically."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for unit in units:
        ws = wb.create_sheet(unit.translate(_SHEET_NAME_BAD)[:31])
        _progress_sheet(ws, _template_title(result, unit, as_of), progress_rows(result.tasks, unit))
    write_atomic_with(path, wb.save)
