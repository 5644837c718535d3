"""Progress sources: a table whose rows report how a plan's tasks are going → :class:`ProgressRow`.

A supervision office's fill-in sheet, a unit's return or a bulletin's table has a header row
naming the task — its number (序号), its text (目标任务 …) or both — and at least one
progress column in the shared vocabulary (:mod:`kg.parse.labels`): 进展情况 / 完成情况 /
工作进展 (text), 完成状态 / 状态 / 进度 (a status word), 完成比例 / 完成进度 (a percentage).
Such a table is progress, never a second plan, even where it also has 牵头单位 columns: it
reports on a plan's tasks, it does not assign them. 存在问题, 下一步工作计划 and 报送单位 are read
where they stand.

- **Rows.** Each row after the header that has a number or a text is one :class:`ProgressRow`
  with its source line; a heading row (`一、…` alone) and an empty row are no rows. A row whose
  progress cells are all empty is a row of the sheet not filled in: kept out, counted in one
  ``progress-empty`` finding (the task then counts as not reported).
- **Percentages** are read as written (`85%`, `85`, `0.85` of a percentage-formatted cell →
  85.0); one that is no number, or below 0 or over 100, is a ``progress-percent`` finding and
  left out (the row keeps its other cells).
- **Dating.** The title (the rows above the header, the paragraphs before the table) gives the
  as-of date (:func:`kg.parse.dates.as_of`) and the plan's document number where it cites one.

Status words are kept as written; :mod:`kg.read.progress` maps them onto the status scheme and
matches each row to its task.
"""

from __future__ import annotations

import re
from typing import Callable

from kg.names import clean
from kg.parse.dates import as_of
from kg.parse.document import Document, Paragraph, Table
from kg.parse.labels import field_of
from kg.parse.outline import CHAPTER_RE, SECTION_RE
from kg.parse.result import ProgressResult, ProgressRow, doc_numbers
from kg.parse.table import HEADER_ROWS, task_number
from kg.quality import Finding

__all__ = ["MARKS", "progress_columns", "is_progress", "read_progress"]

#: The fields of which one column makes a table a progress source.
MARKS = ("progress", "status", "percent")
_TEXT_FIELDS = ("progress", "status", "problems", "next_steps", "reporter")
_PERCENT_RE = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*[%％]?$")
#: How many paragraphs above the first table may hold its title.
_TITLE_PARAGRAPHS = 5


def progress_columns(rows) -> tuple[int, dict[str, int]] | None:
    """The header row of a progress table among its first rows, and the column of each field.

    A header names the task (序号 or a text column) and one of :data:`MARKS`; where a field has
    several columns the first counts.

    Examples
    --------
    >>> progress_columns([("进展表",), ("序号", "目标任务", "牵头单位", "完成状态", "进展情况")])
    (1, {'no': 0, 'text': 1, 'lead': 2, 'status': 3, 'progress': 4})
    >>> progress_columns([("序号", "目标任务", "牵头单位")]) is None
    True
    """
    for i, row in enumerate(rows[:HEADER_ROWS]):
        cols: dict[str, int] = {}
        for j, cell in enumerate(row):
            fld = field_of(cell) if cell and len(cell) <= 40 else None
            if fld and fld not in cols:
                cols[fld] = j
        if any(f in cols for f in MARKS) and ("no" in cols or "text" in cols):
            return i, cols
    return None


def is_progress(doc: Document) -> bool:
    """True if one of the document's tables has a progress header."""
    return any(progress_columns(t.rows) is not None for t in doc.tables())


def _percent(value: str) -> float | None:
    """A percentage cell as a number of per cent; a fraction with a decimal point below 1 is a
    percentage-formatted cell's value (0.85 → 85.0). Raises ValueError where it is no number."""
    m = _PERCENT_RE.match(value.replace(" ", ""))
    if m is None:
        raise ValueError(value)
    x = float(m.group(1))
    if "." in m.group(1) and 0 < x < 1 and not value.rstrip().endswith(("%", "％")):
        x = round(x * 100, 6)
    return x


def _is_heading(no: str, text: str) -> bool:
    """A row that only carries a chapter or section heading (`一、扩大有效投资`)."""
    words = clean(no or text)
    return bool(CHAPTER_RE.match(words) or SECTION_RE.match(words)) and task_number(no) is None


class _Reader:
    """Reads the progress tables of one document into rows and findings."""

    def __init__(self, doc: Document, line_of: Callable[[int], int]):
        self.doc, self.line_of = doc, line_of
        self.rows: list[ProgressRow] = []
        self.findings: list[Finding] = []
        self.empty: list[int] = []

    def table(self, table: Table, at: int, cols: dict[str, int]) -> None:
        """The rows of one table below its header row ``at``."""
        def cell(row: tuple[str, ...], fld: str) -> str:
            j = cols.get(fld)
            return clean(row[j]) if j is not None and j < len(row) else ""

        for i in range(at + 1, len(table.rows)):
            row = table.rows[i]
            line = self.line_of(table.row_line(i))
            no, text = cell(row, "no"), cell(row, "text")
            if not (no or text) or _is_heading(no, text):
                continue
            values = {f: cell(row, f) or None for f in _TEXT_FIELDS}
            percent = self._percent(cell(row, "percent"), line)
            if not any(values[f] for f in ("progress", "status", "problems", "next_steps")) and \
                    percent is None and not cell(row, "percent"):
                self.empty.append(line)
                continue
            task_no = task_number(no) if no else None
            if no and task_no is None:
                self.findings.append(Finding("number-unread", "warning", f"task number {no!r} read as no number: "
                                             "the row is matched by its text", None, (line, line), (no,)))
            self.rows.append(ProgressRow(task_no, text or None, percent=percent, lines=(line, line), **values))

    def _percent(self, value: str, line: int) -> float | None:
        """The percentage of a cell, or None with a finding where it cannot be one."""
        if not value:
            return None
        try:
            x = _percent(value)
        except ValueError:
            self.findings.append(Finding("progress-percent", "warning", f"completion {value!r} is no percentage: "
                                         "left out, the row's other cells read", None, (line, line), (value,)))
            return None
        if not 0 <= x <= 100:
            self.findings.append(Finding("progress-percent", "warning", f"completion {value!r} is outside 0–100 %: "
                                         "left out, the row's other cells read", None, (line, line), (value,)))
            return None
        return x


def _title(doc: Document) -> str:
    """The words above the first progress table: the paragraphs before it and its title rows."""
    before: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            before.extend(line for line in block.text.split("\n") if line.strip())
            continue
        found = progress_columns(block.rows)
        if found is not None:
            rows = [" ".join(dict.fromkeys(c for c in r if c.strip())) for r in block.rows[:found[0]]]  # merged cells once
            return clean(" ".join([*before[-_TITLE_PARAGRAPHS:], *rows]))
        before = []
    return ""


def read_progress(doc: Document, line_of: Callable[[int], int] | None = None) -> ProgressResult:
    """Read the progress tables of a document (see the module docstring).

    A table after a progress table that has no header of its own and is as wide continues it
    (a table split over pages). ``line_of`` maps a document line to the source's own line.
    """
    line_of = line_of or (lambda n: n)
    reader = _Reader(doc, line_of)
    last: tuple[int, dict[str, int]] | None = None
    width = 0
    for table in doc.tables():
        found = progress_columns(table.rows)
        if found is not None:
            last, width = found, max(len(r) for r in table.rows)
            reader.table(table, found[0], found[1])
        elif last is not None and table.rows and max(len(r) for r in table.rows) == width:
            reader.table(table, -1, last[1])
        else:
            last = None
    if reader.empty:
        reader.findings.append(Finding(
            "progress-empty", "info", f"{len(reader.empty)} rows name a task and report nothing (the sheet's "
            "progress cells are empty): their tasks count as not reported", None,
            (reader.empty[0], reader.empty[-1]), (f"lines {', '.join(map(str, reader.empty[:10]))}",)))
    title = _title(doc)
    date, period = as_of(title)
    numbers = doc_numbers(title)
    return ProgressResult(reader.rows, reader.findings, doc.file, title or None, date, period,
                          numbers[0] if numbers else None, doc.sha256)
