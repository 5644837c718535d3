"""PDF (with a text layer) → :class:`~kg.parse.document.Document`, by pdfplumber.

Ruled tables are found from the page's drawn lines with :data:`TABLE_SETTINGS` (the
"lines" strategy on both axes: a decomposition's table is ruled; text without rules is
left to the text readers rather than guessed into columns). A table is read as a grid:
the columns and rows are the distinct left and top edges of its cells, a cell merged over
several grid positions repeats its text in each (the 项目 cell over its section), and a
cell's text is its characters line by line, every line break kept (``\n``): whether a
line ended where the writer pressed Enter or wrapped at the cell's edge cannot be told
from the PDF alone — a narrow unit cell with one name a line (`福大科教办` / `科创新区项目办`)
has every line run to its edge — so the table reader decides per column (text joined,
unit names rejoined only where a break cut one, people one a line).

Across pages:

- the first table of a page continues the last one of the page before when it has the
  same columns and nothing but a page number stands between them;
- a continued table's first row is dropped when it repeats the header row (the header
  printed again on each page), with a note;
- its first row is joined to the last row before the break when its first cell is empty
  and no cell holds a bare item number (a row the page break cut in two); when the first
  column was merged down over the last rows, the empty first cell continues that merge
  instead. A cell of the cut row merged down over further rows (the 项目 cell, its text
  split by the break) gets its joined text in every row it covers, on both pages.

Text outside tables (title, document number, date) becomes Paragraphs, one per line, in
the order of the page; page numbers (``- 3 -``, ``第3页``) are dropped. A PDF whose pages
have no ruled table is all Paragraphs. A PDF with no text at all is a scan: an error says
to OCR it. No JavaScript, embedded file or link in a PDF is ever run or followed (pdfplumber
only reads text and geometry); :data:`MAX_PAGES` and :data:`TIME_LIMIT` bound the work.
"""

from __future__ import annotations

import bisect
import os
import re
import time
from pathlib import Path

from kg.errors import InputError
from kg.parse.document import Block, Document, Paragraph, Table, repeated_header
from kg.parse.safety import check_size

__all__ = ["TABLE_SETTINGS", "MAX_PAGES", "TIME_LIMIT", "read_pdf"]

TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}
MAX_PAGES = 1000
TIME_LIMIT = float(os.environ.get("RESPKG_PDF_TIMEOUT", "120"))
_PAGE_NUMBER = re.compile(r"^\s*([-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)\s*$")
_ITEM_NUMBER = re.compile(r"^\s*[(（]?\d{1,4}[)）.、．]?\s*$")


def read_pdf(path: Path, name: str | None = None) -> Document:
    """The Document of a PDF file; an :class:`InputError` for a scan, a locked, damaged or oversized PDF."""
    import pdfplumber  # imported here so that reading text never pays for it

    check_size(path)
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises PDFSyntaxError, PSEOF, PDFPasswordIncorrect, …
        raise InputError(f"{path}: this PDF cannot be opened ({_reason(exc)})") from None
    with pdf:
        try:
            return _read(pdf, path, name or path.name)
        except InputError:
            raise
        except Exception as exc:  # a damaged page: pdfminer's errors have no common base
            raise InputError(f"{path}: this PDF is damaged and cannot be read ({_reason(exc)})") from None


def _reason(exc: Exception) -> str:
    """What went wrong opening a PDF, in a planner's words where it is known."""
    if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], Exception):
        exc = exc.args[0]  # pdfplumber wraps pdfminer's error
    if "Password" in type(exc).__name__ or "encrypt" in str(exc).lower():
        return "it is password-protected: save it without a password"
    return f"{type(exc).__name__}: {exc}".strip().rstrip(":")


def _read(pdf, path: Path, name: str) -> Document:
    """The blocks of every page, tables continued across pages joined."""
    if _declared_pages(pdf) > MAX_PAGES or len(pdf.pages) > MAX_PAGES:
        raise InputError(f"{path}: this PDF has {max(_declared_pages(pdf), len(pdf.pages))} pages, "
                         f"over the limit of {MAX_PAGES}")
    started = time.monotonic()
    blocks: list[Block] = []
    grids: dict[int, _Grid] = {}  # index in blocks → the grid the table came from
    notes: list[str] = []
    chars = 0
    between: list[str] = []  # text lines since the last table
    for page in pdf.pages:
        if time.monotonic() - started > TIME_LIMIT:
            raise InputError(f"{path}: reading this PDF took over {TIME_LIMIT:g} s (page {page.page_number}); "
                             "it is too large or damaged (RESPKG_PDF_TIMEOUT sets the limit)")
        chars += len(page.chars)
        for kind, item in _page_items(page):
            if kind == "line":
                if not _PAGE_NUMBER.match(item):
                    blocks.append(Paragraph(item))
                    between.append(item)
                continue
            last = len(blocks) - 1
            if not between and last in grids and grids[last].columns_match(item):
                grids[last].extend(item, notes)
                blocks[last] = Table(grids[last].rows())
            else:
                blocks.append(Table(item.rows()))
                grids[len(blocks) - 1] = item
            between = []
    if chars == 0:
        raise InputError(f"{path}: no text in this PDF: it is a scan; OCR it first")
    if not grids:
        notes.append("no ruled table in this PDF: its text lines are read as text")
    return Document(name, blocks, "pdf", notes=_counted(notes))


def _counted(notes: list[str]) -> list[str]:
    """The notes once each, with how often they happened."""
    counts: dict[str, int] = {}
    for note in notes:
        counts[note] = counts.get(note, 0) + 1
    return [note if n == 1 else f"{note} ({n} times)" for note, n in counts.items()]


def _declared_pages(pdf) -> int:
    """The page count the PDF's page tree declares, read before pdfplumber builds every page (0 if unknown)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
    except Exception:  # a damaged page tree: pdfplumber's own page walk will report it
        return 0
    return count if isinstance(count, int) else 0


def _page_items(page):
    """The page's tables (as grids) and its other text lines, top to bottom."""
    tables = page.find_tables(TABLE_SETTINGS)
    items = []
    boxes = [t.bbox for t in tables]
    for table in tables:
        items.append((table.bbox[1], "table", _Grid.of(table, page)))
    if boxes:
        outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    else:
        outside = page
    for line in outside.extract_text_lines(return_chars=False):
        text = line["text"].strip()
        if text:
            items.append((line["top"], "line", text))
    items.sort(key=lambda item: item[0])
    return [(kind, value) for _, kind, value in items]


def _inside(char: dict, boxes) -> bool:
    """Whether a character's centre lies in one of the boxes."""
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


class _Grid:
    """A ruled table as grid rows of cell texts, with the PDF cell each grid position belongs to."""

    def __init__(self, xs: list[float], cells: list[list[str]], owners: list[list[int]], full: set[int], count: int):
        self.xs, self.cells, self.owners, self.full, self.count = xs, cells, owners, full, count

    @classmethod
    def of(cls, table, page) -> "_Grid":
        """Read a pdfplumber table: every grid position gets the text of the cell covering it."""
        xs = sorted({round(c[0], 1) for c in table.cells})
        ys = sorted({round(c[1], 1) for c in table.cells})
        owner: dict[tuple[int, int], int] = {}
        for k, (x0, top, x1, bottom) in enumerate(table.cells):
            for r in range(bisect.bisect_left(ys, round(top, 1) - 0.5), bisect.bisect_left(ys, bottom - 0.5)):
                for c in range(bisect.bisect_left(xs, round(x0, 1) - 0.5), bisect.bisect_left(xs, x1 - 0.5)):
                    owner.setdefault((r, c), k)
        members: dict[int, list[dict]] = {}
        for char in page.chars:
            x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
            r, c = bisect.bisect_right(ys, y) - 1, bisect.bisect_right(xs, x) - 1
            k = owner.get((r, c))
            if k is not None:
                x0, top, x1, bottom = table.cells[k]
                if x0 <= x <= x1 and top <= y <= bottom:
                    members.setdefault(k, []).append(char)
        texts = {k: _cell_text(members.get(k, [])) for k in range(len(table.cells))}
        full = {k for k, chars in members.items() if table.cells[k][3] - max(ch["bottom"] for ch in chars)
                < 1.5 * max(chars[-1].get("size", 10), 1)}
        cells, owners = [], []
        for r in range(len(ys)):
            cells.append([texts[owner[(r, c)]] if (r, c) in owner else "" for c in range(len(xs))])
            owners.append([owner.get((r, c), -1) for c in range(len(xs))])
        return cls(xs, cells, owners, full, len(table.cells))

    def rows(self) -> tuple[tuple[str, ...], ...]:
        """The rows as a Table holds them."""
        return tuple(tuple(row) for row in self.cells)

    def columns_match(self, other: "_Grid") -> bool:
        """Whether another page's table has the same columns (so it continues this one)."""
        return len(self.xs) == len(other.xs) and all(abs(a - b) < 3 for a, b in zip(self.xs, other.xs))

    def extend(self, other: "_Grid", notes: list[str]) -> None:
        """Append the next page's part of the table: repeated header dropped, merges continued, a cut row joined."""
        # the next page's cells numbered on after this table's, so that no two pages' cells share a number
        cells = other.cells
        owners = [[k + self.count if k != -1 else -1 for k in row] for row in other.owners]
        self.full |= {k + self.count for k in other.full}
        self.count += other.count
        repeated = repeated_header(self.cells, cells)
        if repeated:
            cells, owners = cells[repeated:], owners[repeated:]
            notes.append("a table header repeated at the top of a PDF page was dropped")
        if not cells or not self.cells:
            return
        self._overflow(cells, owners)
        merged = [c for c in range(len(cells[0])) if self._merged_down(c) and not cells[0][c]]
        cut = not cells[0][0] and 0 not in merged and not any(_ITEM_NUMBER.match(c) for c in cells[0] if c)
        for c in merged:  # a cell merged down over the page break: its part on this page is empty
            for r in range(len(cells)):
                if owners[r][c] != owners[0][c] or cells[r][c]:
                    break
                cells[r][c] = self.cells[-1][c]
        if cut:
            self._join(cells[0])
            self._spread(cells, owners)
            cells, owners = cells[1:], owners[1:]
            notes.append("a table row cut by a PDF page break was joined")
        self.cells.extend(cells)
        self.owners.extend(owners)

    def _merged_down(self, column: int) -> bool:
        """Whether the table's last cell in a column is merged over the rows above it (one PDF cell)."""
        if len(self.owners) < 2 or not self.cells[-1][column]:
            return False
        return self.owners[-1][column] == self.owners[-2][column] != -1

    def _overflow(self, cells: list[list[str]], owners: list[list[int]]) -> None:
        """A cell merged down over the last rows whose text fills it to its bottom edge, and whose
        part on the next page is not empty, ran over the break (LibreOffice prints the rest there):
        its text is joined and given to every row it covers, on both pages."""
        last = self.cells[-1]
        for c in range(min(len(last), len(cells[0]))):
            if self._merged_down(c) and self.owners[-1][c] in self.full and cells[0][c] and cells[0][c] != last[c]:
                whole = last[c] + "\n" + cells[0][c]
                self._fill(c, whole, cells, owners)

    def _fill(self, c: int, text: str, cells: list[list[str]], owners: list[list[int]]) -> None:
        """Give column ``c``'s text to the rows of the last cell there and of the next page's first one."""
        for r in range(len(self.cells) - 1, -1, -1):
            if self.owners[r][c] != self.owners[-1][c] or self.owners[r][c] == -1:
                break
            self.cells[r][c] = text
        for r in range(len(cells)):
            if owners[r][c] != owners[0][c] or owners[r][c] == -1:
                break
            cells[r][c] = text

    def _spread(self, cells: list[list[str]], owners: list[list[int]]) -> None:
        """After a cut row is joined: a cell merged down over rows on both pages (the 项目 cell,
        its text split by the break) gets its whole text in every row it covers, on either page."""
        last = self.cells[-1]
        for c in range(min(len(last), len(cells[0]))):
            self._fill(c, last[c], cells, owners)

    def _join(self, row: list[str]) -> None:
        """Join a row's continuation on the next page into the last row, cell by cell, a line break between."""
        last = self.cells[-1]
        for c, text in enumerate(row):
            if c >= len(last) or not text or text == last[c]:
                continue
            last[c] = text if not last[c] else last[c] + "\n" + text


def _cell_text(chars: list[dict]) -> str:
    """A cell's text from its characters, one line of the PDF a line."""
    if not chars:
        return ""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda ch: (ch["top"], ch["x0"])):
        if lines and abs(char["top"] - lines[-1][0]["top"]) <= max(char.get("size", 10), 1) * 0.5:
            lines[-1].append(char)
        else:
            lines.append([char])
    out = []
    for line in lines:
        line.sort(key=lambda ch: ch["x0"])
        piece = _line_text(line).strip()
        if piece:
            out.append(piece)
    return "\n".join(out)


def _line_text(line: list[dict]) -> str:
    """The characters of one line, a space where a gap is wider than half a character."""
    out = [line[0]["text"]]
    for before, char in zip(line, line[1:]):
        gap = char["x0"] - before["x1"]
        if gap > 0.5 * max(char.get("size", 10), 1) and before["text"] != " " and char["text"] != " ":
            out.append(" ")
        out.append(char["text"])
    return "".join(out)

