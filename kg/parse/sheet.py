"""Spreadsheets as documents: an ``.xlsx`` workbook or a ``.csv`` file → a :class:`Document`.

A spreadsheet is one cell table per worksheet; :func:`read_sheet` turns it into a
:class:`~kg.parse.document.Document` whose tables the one table reader
(:mod:`kg.parse.table`) reads, as it reads a Word, PDF or HTML table. Here only the file
is read:

- a cell's value becomes its text: empty for None, a whole number without ``.0``, a date
  in ISO form; line breaks (several units in one cell) are kept;
- a **merged range** repeats its value in every cell it covers (openpyxl gives it to the
  top-left cell alone), so a 项目 cell merged down over its section names the chapter of
  each row, and a heading merged across a row reads as that heading in every column;
- a CSV file is UTF-8 (with or without a BOM) or GBK/GB18030, and a cell that
  ``kg export`` quoted so spreadsheet programs keep it text (`'=…`, see
  :func:`kg.output.quote_cell`) reads as its own text.

Each worksheet's rows start at the document line of its first row, so a record of the
first sheet cites its row numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

from kg.errors import InputError, LayoutError
from kg.output import unquote_cell
from kg.parse.document import Document, Table
from kg.parse.result import ParseResult
from kg.parse.safety import check_size, check_zip
from kg.parse.table import EXPECTED, HEADER_ROWS, has_table, read_tables
from kg.parse.text import decode, read_bytes

__all__ = ["read_sheet", "read_workbook", "parse_sheet", "is_sheet", "cell_text", "SHEET_SUFFIXES"]

SHEET_SUFFIXES = (".xlsx", ".csv")


def is_sheet(path: str | Path) -> bool:
    """True for a file :func:`read_sheet` reads, judged by its extension (.xlsx, .csv)."""
    return Path(path).suffix.lower() in SHEET_SUFFIXES


def cell_text(value) -> str:
    """A cell value as the text a planner sees: None is empty, whole numbers without ``.0``,
    dates as ISO dates (with the time where one is set), line breaks as ``\n``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _read_xlsx(path: Path, name: str | None = None) -> list[tuple[str, list[list[str]]]]:
    """Each worksheet's title and cell texts (row by row, from A1, empty rows kept so that a
    row's number is its line), merged ranges repeated; ``name`` is the file errors name."""
    import warnings

    from openpyxl import load_workbook

    # A damaged workbook makes openpyxl (and zipfile, zlib, ElementTree under it) raise
    # almost any exception, and warn on stderr about parts it skips: all of it means
    # "not a readable workbook" here. (Read-only mode would be lighter but loses the
    # merged ranges, which carry the chapters.)
    try:
        with warnings.catch_warnings(), path.open("rb") as handle:  # a handle: openpyxl refuses other extensions
            warnings.simplefilter("ignore")
            wb = load_workbook(handle, data_only=True)
        sheets = []
        for ws in wb.worksheets:
            grid = [[cell_text(v) for v in r] for r in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row,
                                                                     max_col=ws.max_column, values_only=True)]
            for rng in ws.merged_cells.ranges:
                top = grid[rng.min_row - 1][rng.min_col - 1]
                for r in range(rng.min_row, rng.max_row + 1):
                    for c in range(rng.min_col, rng.max_col + 1):
                        grid[r - 1][c - 1] = top
            sheets.append((ws.title, grid))
    except Exception as exc:
        raise InputError(f"{name or path}: not an .xlsx workbook ({type(exc).__name__}: {str(exc)[:100]})") from None
    return sheets


def read_workbook(path: Path, name: str, fmt: str) -> Document:
    """An ``.xlsx`` workbook (whatever its file name) as one Table per non-empty sheet: the reader
    of workbooks found by content and of those LibreOffice converted (``name``: the file as the
    user gave it, ``fmt``: its format)."""
    check_zip(path, "workbook")
    return Document(name, [Table(tuple(tuple(row) for row in grid)) for _, grid in _read_xlsx(path, name) if grid],
                    fmt)


def _read_csv(path: Path, raw: bytes) -> list[tuple[str, list[list[str]]]]:
    """The file's one sheet; rows padded to the widest, as a sheet's rows are (a row is never cut short)."""
    text = decode(raw, path)
    try:
        grid = [[unquote_cell(v).strip() for v in r] for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise InputError(f"{path}: not a CSV file ({exc})") from None
    width = max((len(r) for r in grid), default=0)
    return [(path.stem, [r + [""] * (width - len(r)) for r in grid])]


def _sheets(path: Path) -> tuple[list[tuple[str, list[list[str]]]], str]:
    raw = read_bytes(path, "a spreadsheet")
    if not raw.strip():
        raise InputError(f"{path}: the file is empty, expected a spreadsheet with a header row")
    check_size(path)
    if path.suffix.lower() == ".csv":
        sheets = _read_csv(path, raw)
    else:
        if raw.startswith(b"PK"):
            check_zip(path, "workbook")  # no zip bomb, no unsafe member, no DTD
        sheets = _read_xlsx(path)
    return sheets, hashlib.sha256(raw).hexdigest()


def _document(path: Path, sheets: list[tuple[str, list[list[str]]]], digest: str) -> Document:
    tables = [Table(tuple(tuple(row) for row in grid), name=title) for title, grid in sheets if grid]
    return Document(path.name, list(tables), "csv" if path.suffix.lower() == ".csv" else "xlsx", digest)


def read_sheet(path: str | Path) -> Document:
    """The workbook or CSV file as a Document: one table per worksheet, in order.

    Raises InputError for a file that cannot be read as a spreadsheet.
    """
    path = Path(path)
    return _document(path, *_sheets(path))


def _no_header(path: Path, doc: Document) -> LayoutError:
    tables = doc.tables()
    title, grid = (tables[0].name or path.stem, tables[0].rows) if tables else (path.stem, ())
    first = next(((i + 1, row) for i, row in enumerate(grid[:HEADER_ROWS]) if any(row)), None)
    seen = (f"row {first[0]} reads {' | '.join(v for v in first[1] if v)[:80]!r}" if first
            else "the rows are empty")
    return LayoutError(str(path), None, f"no task found: no header row in the first {HEADER_ROWS} rows of sheet "
                       f"{title!r}: {seen}; expected a row naming the columns {EXPECTED}")


def parse_sheet(path: str | Path, doc: Document | None = None) -> ParseResult:
    """Read one spreadsheet (.xlsx or .csv), or its Document already read, into records and
    findings (layout ``"sheet"``).

    Raises InputError for a file that cannot be read and LayoutError where no sheet holds
    a header row, or no task under it.
    """
    path = Path(path)
    doc = doc or read_sheet(path)
    if not has_table(doc):
        raise _no_header(path, doc)
    try:
        return read_tables(doc, "sheet")
    except LayoutError as exc:
        raise LayoutError(str(path), exc.line, exc.reason) from None
