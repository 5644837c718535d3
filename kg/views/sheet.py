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

__all__ = ["write_xlsx", "write_csv", "task_row", "TASK_COLUMNS", "FINDINGS_SHEET"]

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


def _fill(ws, header: Iterable[str], rows: list[tuple]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([v if v != "" else None for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl makes text starting with "=" a formula; it stays text
                cell.alignment = wrap
                if is_formula_like(cell.value):
                    cell.quotePrefix = True  # and stays text when someone edits the cell
    for j, name in enumerate(header, 1):
        width = max([_width(name)] + [_width(row[j - 1]) for row in rows])
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, WIDTH_MIN), WIDTH_MAX)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


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
