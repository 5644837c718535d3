"""Tables that arrive in text: pipe rows and tables flattened one cell per line.

A web page copied or archived as text keeps its table in one of two shapes:

- **pipe rows**, one row per line, cells between ``|`` (`序号 | 目标与任务 | 牵头责任单位 |
  责任单位 |`, `| (1) | 任务 | 牵头 | 责任 |`, a heading row `一、主要预期目标 | |||`);
- **one cell per line**: a header of N lines each naming a column (`序号`, `目   标   与
  任   务`, `牵头责任单位`, `责任单位`), then the rows, N lines each — except that empty
  cells leave no line, so rows are re-synchronised on their number cells (`      1     `,
  padded with spaces) and each line is placed in the next column whose kind it has: a
  list of unit names goes to a units column, a deadline to a deadline column, names of
  people to a leaders column, anything else to the text. Heading lines (`一、…`) between
  rows are heading rows.

:func:`find_table` finds them and returns a :class:`TextTable`: a
:class:`~kg.parse.document.Document` (the paragraphs before, between and after, and the
tables) for the one table reader (:mod:`kg.parse.table`), with the source line of each
document line, so that records cite the lines of the text itself. A text whose lines
form no such header has no text table (None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg import names
from kg.parse.dates import is_deadline
from kg.parse.document import Block, Document, Paragraph, Table
from kg.parse.labels import field_of
from kg.parse.outline import CHAPTER_RE, SECTION_RE
from kg.parse.progress import progress_columns
from kg.parse.table import Header, find_header
from kg.parse.units import is_group, split_units

__all__ = ["find_table", "TextTable"]

_SEPARATOR_RE = re.compile(r"^[\s|:：\-—=+]+$")
_NUMBER_RE = re.compile(r"^[(（]?(\d{1,4})[)）]?[.、．﹒]?$")
#: Kinds of line a column takes; a column of another field takes any line.
_KIND_OF_FIELD = {"text": "text", "lead": "units", "support": "units", "units": "units", "due": "due",
                  "heads": "people", "lead_leaders": "people", "supervisors": "people"}
_PEOPLE_SEP = re.compile(r"[、，,；;\s]+")


@dataclass
class TextTable:
    """A text read as a document of paragraphs and tables, and each document line's source line."""

    document: Document
    lines: list[int]

    def line_of(self, line: int) -> int:
        """The source line of a document line (1-based)."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else line


# ---------------------------------------------------------------- pipe rows


def _pipe_cells(line: str) -> tuple[str, ...]:
    cells = line.strip().split("|")
    if cells and not cells[0].strip() and line.strip().startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1].strip() and line.strip().endswith("|"):
        cells = cells[:-1]
    return tuple(c.strip() for c in cells)


def _pipe_table(lines: list[str], start: int) -> tuple[list[tuple[str, ...]], list[int], int] | None:
    """The rows and their line indices of a pipe table whose header is line ``start``, and the
    index after its last row; None if that line is no header."""
    if lines[start].count("|") < 2:
        return None
    head = [_pipe_cells(lines[start])]
    if find_header(head, 1) is None and progress_columns(head) is None:  # a plan's header or a progress source's
        return None
    rows, at = [], []
    i = end = start
    while i < len(lines):
        line = lines[i]
        if "|" in line:
            if not _SEPARATOR_RE.match(line):
                rows.append(_pipe_cells(line))
                at.append(i)
            end = i + 1
        elif line.strip():
            break
        i += 1
    return rows, at, end


# ---------------------------------------------------------------- one cell per line


def _flat_header(lines: list[str], start: int) -> Header | None:
    """The header of a flattened table starting at line ``start``: the longest run (3 or
    more lines) of column names that names a text and a units column."""
    cells: list[str] = []
    for line in lines[start:start + 16]:
        if not line.strip() or field_of(line) is None:
            break
        cells.append(line.strip())
    while len(cells) >= 3:
        header = find_header([tuple(cells)], 1)
        if header is not None:
            return header
        cells.pop()
    return None


def _kind(line: str) -> str:
    """What a line of a flattened table looks like: a unit list, a deadline, people or text."""
    text = names.clean(line)
    if len(text) <= 24 and is_deadline(text):
        return "due"
    try:
        pieces = split_units(line)
    except ValueError:
        pieces = []
    if pieces and all(names.is_unit_like(p) or is_group(p) for p in pieces):
        return "units"
    people = [p for p in _PEOPLE_SEP.split(text) if p]
    if people and all(names.is_person_like(p) and not names.is_unit_like(p) for p in people) and len(text) <= 30:
        return "people"
    return "text"


def _align(cells: list[str], kinds: list[str]) -> list[str]:
    """Place ``cells`` (in order) into columns of ``kinds``: each cell in a later column than the
    one before, or in the same one as another line of it (units one per line), as many of them
    in a column of their kind as possible; on a tie a new column wins, then an earlier one."""
    n, m = len(cells), len(kinds)
    own = [_kind(c) for c in cells]

    def place(i: int, j: int) -> float:
        return 2 if kinds[j] == own[i] else 1 if kinds[j] == "any" else 0

    def join(i: int, j: int) -> float:
        return 1.5 if own[i] == own[i - 1] == kinds[j] else -1

    # best[i][j]: the best score for cells i.. when cell i-1 went to column j-1 (j = 0: none yet)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move: dict[tuple[int, int], int] = {}
    for i in range(n - 1, -1, -1):
        for j in range(m, -1, -1):
            options = [(place(i, k) + best[i + 1][k + 1], 1, -k) for k in range(j, m)]
            if j > 0:  # on a tie a new column wins: a lead cell seldom lists several units
                options.append((join(i, j - 1) + best[i + 1][j], 0, 1 - j))
            score, _, k = max(options) if options else (-10.0 * n, 0, 0)
            best[i][j], move[i, j] = score, -k
    out: list[list[str]] = [[] for _ in range(m)]
    j = 0
    for i in range(n):
        k = move[i, j]
        out[k].append(cells[i])
        j = k + 1
    return ["\n".join(c) for c in out]


def _last_row(body: list[tuple[int, str]], width: int) -> list[tuple[int, str]]:
    """The lines of the table's last row: a row's worth, then only more unit or people lines
    (a cell listed one name per line); the rest is the text after the table."""
    end = min(len(body), width)
    while end < len(body) and _kind(body[end][1]) in ("units", "people"):
        end += 1
    return body[:end]


def _flat_table(lines: list[str], start: int, header: Header) -> tuple[list[tuple[str, ...]], list[int], int]:
    """The rows of a flattened table after its header (see the module docstring), their line
    indices and the index after the table."""
    fields = header.fields()
    rest_kinds = [_KIND_OF_FIELD.get(f or "", "any") for f in fields[1:]]
    rows: list[tuple[str, ...]] = [tuple(x.strip() for x in lines[start:start + header.width])]
    at = [start]
    i = start + header.width
    if fields[0] != "no":  # nothing to synchronise on: N lines a row
        while i < len(lines) and lines[i].strip():
            rows.append(tuple(x.strip() for x in lines[i:i + header.width]))
            at.append(i)
            i += header.width
        return rows, at, i
    last = 0
    chunks: list[tuple[int, list[tuple[int, str]]]] = []  # (line of the number, [(line, text)])
    for k in range(i, len(lines)):
        text = lines[k].strip()
        if not text:
            continue
        m = _NUMBER_RE.match(names.clean(text))
        if m and last < int(m.group(1)) <= last + 3:
            last = int(m.group(1))
            chunks.append((k, [(k, names.clean(text))]))
        elif chunks or CHAPTER_RE.match(text) or SECTION_RE.match(text):
            if not chunks:
                chunks.append((k, []))
            chunks[-1][1].append((k, text))
        else:
            break
    end = i
    width = header.width - 1
    for n, (k, chunk) in enumerate(chunks):
        number = chunk[0][1] if chunk and chunk[0][0] == k and _NUMBER_RE.match(chunk[0][1]) else None
        body = chunk[1:] if number is not None else chunk
        headings: list[tuple[int, str]] = []
        while body and (CHAPTER_RE.match(body[-1][1]) or SECTION_RE.match(body[-1][1])):
            headings.insert(0, body.pop())
        if number is None:  # heading lines before the first row
            headings, body = body, []
        if n == len(chunks) - 1:  # the text may go on after the last row
            body = _last_row(body, width)
        cells = [t for _, t in body]
        if number is not None:
            rows.append((number, *_align(cells, rest_kinds)))
            at.append(k)
            end = (body[-1][0] if body else k) + 1
        for line, text in headings:
            rows.append((text,))
            at.append(line)
            end = line + 1
    return rows, at, end


# ---------------------------------------------------------------- the document


def find_table(text: str, file: str, sha256: str | None = None) -> TextTable | None:
    """The text as a document of paragraphs and pipe or flattened tables, or None if it holds
    no such table."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    blocks: list[Block] = []
    source: list[int] = []
    para_start = 0
    i = 0
    found = False
    while i < len(lines):
        got = _pipe_table(lines, i)
        if got is None and (header := _flat_header(lines, i)) is not None:
            got = _flat_table(lines, i, header)
        if got is None:
            i += 1
            continue
        rows, at, end = got
        found = True
        if para_start < i:
            blocks.append(Paragraph("\n".join(lines[para_start:i])))
            source.extend(range(para_start + 1, i + 1))
        blocks.append(Table(tuple(rows)))
        source.extend(k + 1 for k in at)
        para_start = i = end
    if not found:
        return None
    if para_start < len(lines):
        blocks.append(Paragraph("\n".join(lines[para_start:])))
        source.extend(range(para_start + 1, len(lines) + 1))
    return TextTable(Document(file, blocks, "text", sha256), source)
