"""Parser for spreadsheets: an ``.xlsx`` workbook or a ``.csv`` file, one task per row.

Spreadsheets are not text, so this is a file-level parser (:func:`parse_sheet`) beside the
text layouts. A sheet reads:

- a **header row**, found within the first 10 rows (a title above it is read for the
  plan's year, as a notice's preamble is); columns are recognised by name (see
  ``COLUMNS``): 序号, 目标任务 (任务, 重点工作), 牵头单位, 配合单位 (协办单位), 责任单位,
  责任领导, 牵头领导, 分管市领导 (分管领导), 完成时限, and a chapter column 项目 (类别,
  章节, 章) with an optional section column 节. The text and at least one units column
  are required;
- **units** in a cell are separated by line breaks, and within a line by `、` `，` `；`
  outside brackets (:func:`kg.parse.units.split_units`, so `各镇政府、街道办事处` stays one
  group). Without a 牵头单位 column, the first unit of 责任单位 leads; with one, 责任单位
  and 配合单位 list the supporting units;
- **heads** (责任领导) are either lines `单位：姓名`, each giving one unit's head, or a plain
  list of names that pairs with the units in order where the counts are equal; otherwise
  they are left in ``unassigned_heads`` and reported (``heads-open``). Known role
  placeholders that contain `、` (`各镇镇长、街道办事处主任`) stay whole;
- a **chapter** cell carries down to the rows below while it is empty (a merged range's
  value sits in its top-left cell; the other cells of the range read empty), and so does a
  section cell while the chapter carries. A combined column (项目) holds chapters `一、…`
  and sections `（一）…` alike; a row without text or units whose cells are headings sets
  them;
- **deadlines** are read by :func:`kg.parse.dates.parse_due`; a 完成日期 column (written by
  :mod:`kg.views.sheet`) gives the date as is.

A CSV file is UTF-8 (with or without a BOM) or GBK/GB18030. Records name the file by its
base name; their source lines are the row numbers in the sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections import Counter
from pathlib import Path

from kg import names
from kg.errors import InputError, LayoutError
from kg.parse.dates import parse_due
from kg.parse.outline import CHAPTER_RE, SECTION_RE
from kg.parse.result import ParseResult, PlanMeta, read_meta
from kg.parse.text import decode, read_bytes
from kg.parse.units import split_units, unit_ref
from kg.quality import Finding, record_findings
from kg.records import Due, Source, Task, UnitRef

__all__ = ["parse_sheet", "is_sheet", "SHEET_SUFFIXES", "COLUMNS", "HEADER_ROWS"]

SHEET_SUFFIXES = (".xlsx", ".csv")
#: How far down a sheet its header row may sit.
HEADER_ROWS = 10
#: Each field of a row and the column names that hold it (whitespace and a bracketed note ignored).
COLUMNS = {
    "no": ("序号", "编号"),
    "chapter": ("章", "项目", "类别", "章节", "领域", "板块"),
    "section": ("节", "小节"),
    "text": ("目标任务", "任务", "重点工作", "工作任务", "任务内容", "主要任务", "重点任务"),
    "lead": ("牵头单位", "牵头部门", "主办单位", "主责单位"),
    "support": ("配合单位", "协办单位", "协助单位", "配合部门", "参与单位"),
    "units": ("责任单位", "责任部门"),
    "heads": ("责任领导",),
    "unassigned": ("未对应的责任领导",),
    "supervisors": ("分管市领导", "分管领导", "分管县领导", "分管区领导"),
    "lead_leaders": ("牵头领导", "牵头市领导", "牵头县领导"),
    "due": ("完成时限", "完成时间", "完成期限", "时间节点"),
    "due_date": ("完成日期",),
    # written by kg.views.sheet for people to trace a row back; the source of a read row is the sheet
    "file": ("来源文件",),
    "first_line": ("起始行",),
    "last_line": ("结束行",),
}
_BY_NAME = {name: fld for fld, aliases in COLUMNS.items() for name in aliases}
_UNIT_FIELDS = ("lead", "support", "units")
EXPECTED = "目标任务 (or 任务, 重点工作) and 牵头单位 (or 责任单位, 配合单位)"
_PEOPLE_SEP = re.compile(r"[、，,；;\s]+")
_PAIR_RE = re.compile(r"^([^：:]+)[：:](.*)$")
_ISO_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_YEAR_RE = re.compile(r"(20\d{2})\s*年")


def is_sheet(path: str | Path) -> bool:
    """True for a file :func:`parse_sheet` reads, judged by its extension (.xlsx, .csv)."""
    return Path(path).suffix.lower() in SHEET_SUFFIXES


def _cell(value) -> str:
    """A cell as text: None is empty, a whole float is an integer, a date is ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _lines(value: str) -> list[str]:
    return [line for line in (names.clean(x) for x in value.split("\n")) if line]


def _people(value: str) -> list[str]:
    """The people or role placeholders of a cell, known roles that contain `、` kept whole."""
    roles = names.placeholders().roles
    out: list[str] = []
    for line in _lines(value):
        pieces = [p for p in _PEOPLE_SEP.split(line) if p]
        i = 0
        while i < len(pieces):
            j = max((j for j in range(i, len(pieces)) if "、".join(pieces[i:j + 1]) in roles), default=i)
            out.append("、".join(pieces[i:j + 1]))
            i = j + 1
    return out


def _units(value: str, file: str, row: int, column: str) -> list[str]:
    out: list[str] = []
    for line in _lines(value):
        try:
            out += split_units(line)
        except ValueError as exc:
            raise LayoutError(file, row, f"expected unit names in column {column}, found {str(exc)[:30]!r}") from None
    return out


# ---------------------------------------------------------------- reading the file's cells


def _read_xlsx(path: Path) -> list[tuple[str, list[list]]]:
    """Each worksheet's title and cells (row by row, from A1), merged ranges carried down."""
    import warnings

    from openpyxl import load_workbook

    # A damaged workbook makes openpyxl (and zipfile, zlib, ElementTree under it) raise
    # almost any exception, and warn on stderr about parts it skips: all of it means
    # "not a readable workbook" here.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path, data_only=True)
        sheets = []
        for ws in wb.worksheets:
            grid = [list(r) for r in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column,
                                                  values_only=True)]
            # Down its first column only: a range merged across a row is a heading, not a value for every column.
            for rng in ws.merged_cells.ranges:
                top = grid[rng.min_row - 1][rng.min_col - 1]
                for r in range(rng.min_row + 1, rng.max_row + 1):
                    grid[r - 1][rng.min_col - 1] = top
            sheets.append((ws.title, grid))
    except Exception as exc:
        raise InputError(f"{path}: not an .xlsx workbook ({type(exc).__name__}: {str(exc)[:100]})") from None
    return sheets


def _read_csv(path: Path, raw: bytes) -> list[tuple[str, list[list]]]:
    text = decode(raw, path)
    try:
        return [(path.stem, [list(r) for r in csv.reader(io.StringIO(text, newline=""))])]
    except csv.Error as exc:
        raise InputError(f"{path}: not a CSV file ({exc})") from None


# ---------------------------------------------------------------- the header and the rows


def _field(header: str) -> str | None:
    name = names.clean(header)
    return _BY_NAME.get(name) or _BY_NAME.get(re.sub(r"[（(][^）)]*[）)]$", "", name))


def _header(grid: list[list]) -> tuple[int, dict[str, list[int]]] | None:
    """The index of the header row within the first rows and each field's column indices."""
    for i, row in enumerate(grid[:HEADER_ROWS]):
        cols: dict[str, list[int]] = {}
        for j, value in enumerate(row):
            fld = _field(_cell(value))
            if fld:
                cols.setdefault(fld, []).append(j)
        if "text" in cols and any(f in cols for f in _UNIT_FIELDS):
            return i, cols
    return None


def _no_header(file: str, sheets: list[tuple[str, list[list]]]) -> LayoutError:
    title, grid = sheets[0] if sheets else ("", [])
    first = next(((i + 1, row) for i, row in enumerate(grid[:HEADER_ROWS]) if any(_cell(v) for v in row)), None)
    seen = (f"row {first[0]} reads {' | '.join(_cell(v) for v in first[1] if _cell(v))[:80]!r}" if first
            else "the rows are empty")
    return LayoutError(file, None, f"no header row in the first {HEADER_ROWS} rows of sheet {title!r}: {seen}; "
                       f"expected a row naming the columns {EXPECTED}")


class _Rows:
    """Reads the task rows under a header into records and findings."""

    def __init__(self, file: str, cols: dict[str, list[int]], year: int | None):
        self.file, self.cols, self.year = file, cols, year
        self.tasks: list[Task] = []
        self.findings: list[Finding] = []
        self.chapter = ""
        self.section: str | None = None

    def get(self, row: list, fld: str) -> str:
        """The field's cells of a row, joined by line breaks where it has several columns."""
        values = [_cell(row[j]) for j in self.cols.get(fld, ()) if j < len(row)]
        return "\n".join(v for v in values if v)

    def _headings(self, row: list) -> None:
        """Chapter and section in force after this row's chapter and section cells."""
        chapter, section = self.get(row, "chapter"), self.get(row, "section")
        if "section" in self.cols:
            if chapter:
                self.chapter, self.section = names.clean(chapter), names.clean(section) or None
            elif section:
                self.section = names.clean(section)
            return
        for line in _lines(chapter):  # a combined column: chapters and sections told apart by their numbering
            if SECTION_RE.match(line):
                self.section = line
            else:
                self.chapter, self.section = line, None

    def row(self, row: list, number: int) -> None:
        text = names.clean_text(self.get(row, "text"))
        has_units = any(self.get(row, f) for f in _UNIT_FIELDS)
        if not text and not has_units:
            headings = [x for v in row for x in _lines(_cell(v)) if CHAPTER_RE.match(x) or SECTION_RE.match(x)]
            for line in headings:
                if SECTION_RE.match(line):
                    self.section = line
                else:
                    self.chapter, self.section = line, None
            return
        if not text:
            raise LayoutError(self.file, number, "expected the task's text in column "
                              f"{self._name('text')}, found only its units")
        self._headings(row)
        no = self._number(row, number)
        units = self._unit_refs(row, number)
        units, unassigned = self._heads(row, number, no, units)
        due = None
        due_text = self.get(row, "due")
        if due_text:
            due = parse_due(due_text, self.year)
            if "due_date" in self.cols:  # written by kg.views.sheet: the date as read from the source, or none
                date = self.get(row, "due_date")
                due = Due(due.text, date if _ISO_RE.match(date) else due.date if date else None)
        self.tasks.append(Task(
            no=no, chapter=self.chapter, section=self.section, text=text, units=tuple(units),
            supervisors=tuple(_people(self.get(row, "supervisors"))),
            source=Source(self.file, (number, number)),
            unassigned_heads=tuple(unassigned + _people(self.get(row, "unassigned"))),
            due=due, lead_leaders=tuple(_people(self.get(row, "lead_leaders"))),
        ))

    def _name(self, fld: str) -> str:
        return COLUMNS[fld][0]

    def _number(self, row: list, number: int) -> int:
        value = self.get(row, "no")
        if not value:
            return self.tasks[-1].no + 1 if self.tasks else 1
        if not re.fullmatch(r"\d{1,5}", value):
            raise LayoutError(self.file, number, f"expected a task number in column 序号, found {value[:20]!r}")
        return int(value)

    def _unit_refs(self, row: list, number: int) -> list[UnitRef]:
        found = {f: _units(self.get(row, f), self.file, number, self._name(f)) for f in _UNIT_FIELDS}
        if "lead" in self.cols:
            return ([unit_ref(u, "lead") for u in found["lead"]]
                    + [unit_ref(u, "support") for u in found["units"] + found["support"]])
        listed = found["units"] + found["support"]
        return [unit_ref(u, "lead" if i == 0 else "support") for i, u in enumerate(listed)]

    def _heads(self, row: list, number: int, no: int, units: list[UnitRef]) -> tuple[list[UnitRef], list[str]]:
        """The units with their heads, and the heads no unit could be given."""
        value = self.get(row, "heads")
        per_unit: list[list[str]] = [[] for _ in units]
        unassigned: list[str] = []
        evidence: list[str] = []
        lines = _lines(value)
        if any(_PAIR_RE.match(x) for x in lines):
            index = {}
            for i, u in enumerate(units):
                index.setdefault(u.name, i)
            for line in lines:
                m = _PAIR_RE.match(line)
                heads = _people(m.group(2) if m else line)
                if m and m.group(1) in index:
                    per_unit[index[m.group(1)]] += heads
                else:
                    unassigned += heads
                    evidence.append(f"{line!r} names no unit of the task" if m else f"{line!r} names no unit")
        else:
            heads = _people(value)
            if len(heads) == len(units):
                for slot, head in zip(per_unit, heads):
                    slot.append(head)
            elif heads:
                unassigned += heads
                evidence.append(f"{len(units)} units, {len(heads)} heads: cannot pair them in order")
        if evidence:
            self.findings.append(Finding("heads-open", "warning", f"task {no}: heads left unassigned",
                                         no, (number, number), tuple(evidence)))
        return [UnitRef(u.name, u.role, tuple(h), u.parent, u.kind) for u, h in zip(units, per_unit)], unassigned


def _year(title_rows: list[str], file: str, dues: list[str]) -> PlanMeta:
    """The plan's title and year from the rows above the header, else the file name or the deadlines."""
    meta = read_meta("\n".join(title_rows), title_rows[0] if title_rows else None)
    if meta.year is None:
        years = Counter(int(y) for text in [file, *title_rows, *dues] for y in _YEAR_RE.findall(text))
        if years:
            meta = PlanMeta(meta.doc_number, meta.title, meta.issuer, meta.issued, years.most_common(1)[0][0])
    return meta


def parse_sheet(path: str | Path) -> ParseResult:
    """Read one spreadsheet (.xlsx or .csv) into records and findings (layout ``"sheet"``).

    Of a workbook, the first worksheet with a header row is read. Raises InputError for a
    file that cannot be read and LayoutError (file and row) where the sheet breaks the layout.
    """
    path = Path(path)
    raw = read_bytes(path, "a spreadsheet")
    if not raw.strip():
        raise InputError(f"{path}: the file is empty, expected a spreadsheet with a header row")
    sheets = _read_csv(path, raw) if path.suffix.lower() == ".csv" else _read_xlsx(path)
    found = next(((grid, h) for _, grid in sheets if (h := _header(grid))), None)
    if found is None:
        raise _no_header(str(path), sheets)
    grid, (at, cols) = found
    title_rows = [" ".join(_cell(v) for v in row if _cell(v)) for row in grid[:at]]
    dues = [_cell(row[j]) for row in grid[at + 1:] for j in cols.get("due", ()) if j < len(row)]
    meta = _year([r for r in title_rows if r], path.name, dues)
    rows = _Rows(path.name, cols, meta.year)
    try:
        for i, row in enumerate(grid[at + 1:], at + 2):
            rows.row(row, i)
    except LayoutError as exc:
        raise LayoutError(str(path), exc.line, exc.reason) from None
    findings = record_findings(rows.tasks) + rows.findings
    result = ParseResult(rows.tasks, findings, path.name, "sheet", meta)
    result.sha256 = hashlib.sha256(raw).hexdigest()
    return result
