"""The one reader of cell tables: a :class:`~kg.parse.document.Document`'s tables → task records.

Every format that has cells — a workbook, a Word or PDF table, an HTML ``<table>``, a
table that arrived in text as pipe rows or one cell per line (:mod:`kg.parse.texttable`)
— is read here, so a decomposition gives the same records whichever file it came in.

- **Header.** A table's header row is the first of its first ``HEADER_ROWS`` rows whose
  cells name a task's text and at least one units column in the shared vocabulary
  (:func:`kg.parse.labels.field_of`: `目   标   与   任   务`, `牵头责任单位`), with a second
  row where a merged column has parts (`责任单位` over `牵头单位 | 配合单位`); rows above it
  are its title. A table without a header continues the columns of the table before
  it when it is as wide (a table split in two, a page of a PDF); the header repeated
  after a page break is dropped. Progress columns (进展情况 …) are never units.
- **Headings.** A row whose cells are headings (`一、…`, `（一）…`), or one text merged
  across the row, sets the chapter and section; a chapter column (项目, repeated down its
  merged range) carries, and so does a heading paragraph right above a table (a table per
  chapter). A **sub-heading** — a bare number and a short phrase with no
  unit, in a table whose tasks are numbered otherwise (`1 | 大力提振消费。` among `(1)`,
  `(2)` …) or out of their sequence — is no task.
- **Tasks.** The number is read in its usual forms (`1`, `(1)`, `1.`, `1、`, `1﹒`); a row
  with no number in a numbered table that opens a continued table or follows a text cut
  mid-sentence continues the task before (a row split over a page break). A cell's lines
  are read per column, since a PDF keeps the lines a narrow cell wrapped into: a text cell's
  are joined; a 项目 cell's line that opens no heading continues the heading before it; a
  unit cell's line break is rejoined only where it cut a name (:func:`kg.names.continues`);
  a people cell has one person or role a line, a role wrapped over lines rejoined. Units are
  split per line by :func:`kg.parse.units.split_units`; the lead column's units lead, then
  come the units and supporting columns' in their order, whichever column stands first.
  Clauses inside a cell are read too: labelled (`牵头单位：X；配合单位：Y`, `分管领导：Z`,
  a `进展情况：` clause dropped) or marked by their last word (`X牵头，Y配合`, `X（牵头）`).
  Without a lead column or a marked unit, the first one listed leads: a ``lead-convention``
  finding says so where the document states it (`列第一位的为牵头单位`, in the notice, a
  header or a note in a cell), else ``first-leads`` (the common convention), once per table.
  Heads (责任领导) pair with units by `单位：姓名` lines, else as the grid's are
  (:func:`kg.parse.people.align_heads`: in order where the counts agree, a single unit
  takes them all, otherwise where other rows show who heads which unit, the rest left
  unassigned with a ``heads-open`` finding); lead leaders (牵头领导) and supervisors
  (分管…领导) lose their titles (`朱伟县长` → 朱伟); deadlines are read by
  :func:`kg.parse.dates.parse_due`.
- A document that ends inside its table's last row (a page archived in part) has that
  row's last cell cut short: it is left out (``cut-off``).
- What fits no rule is a finding with its line and the rest is read; only a document
  without any task is an error (``LayoutError`` "no task found").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from kg import names
from kg.errors import LayoutError
from kg.parse.clauses import CONVENTION_RE
from kg.parse.dates import parse_due
from kg.parse.document import Document, Paragraph, Table
from kg.parse.labels import CLAUSE_RE, PROGRESS_FIELDS, TITLES, field_of, split_title
from kg.parse.outline import CHAPTER_RE, SECTION_RE
from kg.parse.people import Row, align_heads
from kg.parse.result import ParseResult, PlanMeta, read_meta
from kg.parse.units import UNIT_SEPARATORS, is_group, split_top, split_units, unit_ref
from kg.quality import Finding, record_findings
from kg.records import Due, Source, Task, UnitRef

__all__ = ["read_tables", "find_header", "has_table", "task_number", "Header", "HEADER_ROWS", "EXPECTED", "UNIT_FIELDS"]

#: How far down a table its header row may sit.
HEADER_ROWS = 10
UNIT_FIELDS = ("lead", "units", "support")
_PEOPLE_FIELDS = ("heads", "lead_leaders", "supervisors", "unassigned")
#: What a header must name, for messages.
EXPECTED = "目标任务 (or 任务, 重点工作, 目标与任务) and 牵头单位 (or 责任单位, 配合单位)"
#: A task number as tables write it: `1`, `01`, `(1)`, `（1）`, `1.`, `1、`, `1﹒`.
_NUMBER_RE = re.compile(r"^[(（]?\s*(\d{1,5})\s*[)）]?\s*[.、．﹒,，]?$")
_BARE_RE = re.compile(r"^\d{1,5}$")
_PEOPLE_SEP = re.compile(r"[、，,；;\s]+")
_PAIR_RE = re.compile(r"^([^：:]+)[：:](.*)$")
_HEAD_OF_RE = re.compile(r"(主要)?负责人$")
_ISO_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_YEAR_RE = re.compile(r"(20\d{2})\s*年")
#: A clause's closing word that gives all its units' role (`X、Y牵头`, `Z等负责`); a bracketed
#: mark (`X（牵头）、Y`) is one name's (_PIECE_MARK_RE).
_ROLE_MARK_RE = re.compile(r"(?:分别|共同)?(牵头|配合|协办|协同|参与|负责)$|[（(](?:分别|共同)(牵头)[）)]$")
#: A bracketed note in a cell (`（除标注“分别牵头”外，列第一位为牵头单位，下同）`).
_NOTE_RE = re.compile(r"[（(]([^（）()]*)[）)]")
_PIECE_MARK_RE = re.compile(r"[（(](牵头|配合|协办)[）)]$")
_MARKED_ROLES = {"牵头": "lead", "配合": "support", "协办": "support", "协同": "support", "参与": "support"}
_SENTENCE_END = tuple("。；;！？!?")
_HEADING_NO_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]?|[（(][一二三四五六七八九十]+[）)])$")
#: Longest piece of a unit cell read as a name without a unit's shape (`人才办`, `县供电公司`).
UNIT_MAX = 12
#: Longest heading paragraph read as the chapter or section of the table below it.
HEADING_MAX = 40
#: Longest text of a sub-heading row (`大力提振消费。`).
SUBHEADING_MAX = 30


@dataclass(frozen=True)
class Header:
    """A table's header row: where it sits and the columns of each field."""

    index: int  # its last row: a header of two rows has a second naming the parts of a merged column
    columns: dict[str, tuple[int, ...]]
    width: int
    top: int = 0  # its first row; rows above it are the table's title

    def fields(self) -> tuple[str | None, ...]:
        """The field of each column, None where the header names none."""
        out: list[str | None] = [None] * self.width
        for fld, cols in self.columns.items():
            for j in cols:
                out[j] = fld
        return tuple(out)


def _header_of(row: tuple[str, ...]) -> dict[str, tuple[int, ...]] | None:
    cols: dict[str, list[int]] = {}
    for j, cell in enumerate(row):
        fld = field_of(cell) if cell and len(cell) <= 40 else None
        if fld:
            cols.setdefault(fld, []).append(j)
    if "text" in cols and any(f in cols for f in UNIT_FIELDS):
        return {f: tuple(js) for f, js in cols.items()}
    return None


def find_header(rows: tuple[tuple[str, ...], ...] | list, limit: int = HEADER_ROWS) -> Header | None:
    """The header row among the first ``limit`` rows, or None.

    Examples
    --------
    >>> h = find_header([("附件",), ("序号", "目   标   与   任   务", "牵头责任单位", "责任单位")])
    >>> h.index, h.columns["text"], h.columns["lead"]
    (1, (1,), (2,))
    """
    for i, row in enumerate(rows[:limit]):
        cols = _header_of(tuple(row))
        if cols:
            below = _second_row(tuple(row), tuple(rows[i + 1])) if i + 1 < len(rows) else None
            if below is not None:
                return Header(i + 1, below, max(len(row), len(rows[i + 1])), i)
            return Header(i, cols, len(row), i)
    return None


def _second_row(top: tuple[str, ...], row: tuple[str, ...]) -> dict[str, tuple[int, ...]] | None:
    """The columns of a header of two rows (`责任单位` merged over `牵头单位 | 配合单位`), or None
    if ``row`` is no second header row: every cell of it is empty, a name or the cell above."""
    cols: dict[str, list[int]] = {}
    named = False
    for j in range(max(len(top), len(row))):
        above = top[j] if j < len(top) else ""
        cell = row[j] if j < len(row) else ""
        fld = field_of(cell) if cell and len(cell) <= 40 else None
        if cell and cell != above and fld is None:
            return None
        named = named or bool(fld) and cell != above
        fld = fld or (field_of(above) if above and len(above) <= 40 else None)
        if fld:
            cols.setdefault(fld, []).append(j)
    if not named or "text" not in cols:
        return None
    return {f: tuple(js) for f, js in cols.items()}


def _all_labels(values: list[str]) -> bool:
    """True for two or more cells that all name columns (the second row of a header repeated)."""
    return len(values) >= 2 and all(len(v) <= 40 and field_of(v) for v in values)


def has_table(doc: Document) -> bool:
    """True if one of the document's tables has a header row this reader knows."""
    return any(find_header(t.rows) for t in doc.tables())


# ---------------------------------------------------------------- cells


def _lines(value: str) -> list[str]:
    return [line for line in (names.clean(x) for x in value.split("\n")) if line]


def _is_heading(line: str) -> bool:
    return bool(CHAPTER_RE.match(line) or SECTION_RE.match(line))


def _heading_lines(value: str) -> list[str]:
    """The headings of a cell, one a line; a line that opens no heading continues the
    numbered heading before it (`一、狠抓科` / `技创新`: a narrow PDF cell wraps its lines)."""
    out: list[str] = []
    for line in _lines(value):
        if out and _is_heading(out[-1]) and not _is_heading(line):
            out[-1] += line
        else:
            out.append(line)
    return out


def _people_lines(value: str) -> list[str]:
    """A people cell's lines, one person or role a line; a line that can only continue the
    one before (`市政府工作` / `部门主要负` / `责人`, a role wrapped in a narrow PDF cell) is rejoined."""
    lines = _lines(value)
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = _role_run(lines, i)
        line = "".join(lines[i:j + 1])
        if out and j == i and names.continues(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
        i = j + 1
    return out


def _role_run(lines: list[str], i: int) -> int:
    """The last of the lines from ``i`` that spell one role together (`集成改` / `革各专` / `项小组` /
    `负责人`, a role wrapped in a narrow PDF cell), the longest such run; or ``i``."""
    for j in range(len(lines) - 1, i, -1):
        if _one_role("".join(lines[i:j + 1])):
            return j
    return i


def _one_role(text: str) -> bool:
    """Whether a text is one role: a known one, or a unit's `（主要）负责人` (`疫情防控指挥部一办十三组负责人`)."""
    if not names.is_role(text) or len(names.placeholders().split_role(text)) != 1:
        return False
    stem = _HEAD_OF_RE.sub("", text)
    return text in names.placeholders().roles or stem != text and names.is_unit_like(stem)


def _unit_lines(value: str) -> list[str]:
    """A unit cell's lines; a line break that cut a name (`科创新区项` / `目办`, `各镇政府、` /
    `街道办事处`) is rejoined as the grid reader rejoins one (:func:`kg.names.continues`), while
    complete names one a line (`福大科教办` / `科创新区项目办`) and a clause marked by its role
    (`X牵头` / `Y配合`) stay apart."""
    out: list[str] = []
    for line in (x.strip() for x in value.split("\n")):
        if not line:
            continue
        if out and _cut_name(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
    return out


def _cut_name(before: str, after: str) -> bool:
    """Whether a line break between two lines of a unit cell cut one name in two."""
    last = split_top(before, UNIT_SEPARATORS + "，,；;")[-1].strip()
    first = split_top(after, UNIT_SEPARATORS + "，,；;")[0].strip()
    if before.rstrip().endswith(tuple(UNIT_SEPARATORS)):
        return True  # `各镇政府、` / `街道办事处`: the list goes on on the next line, one name a piece
    if not last or not first or _ROLE_MARK_RE.search(last.rstrip("。")) or _PIECE_MARK_RE.search(last):
        return False
    return names.continues(names.clean(last), names.clean(first))


def _people(value: str) -> list[str]:
    """The people or role placeholders of a cell, titles cut off (`朱伟县长` → 朱伟), known
    roles that contain `、` kept whole (`各镇镇长、街道办事处主任`)."""
    roles = names.placeholders().roles
    out: list[str] = []
    for line in _people_lines(value):
        pieces = [p for p in _PEOPLE_SEP.split(line) if p]
        i = 0
        while i < len(pieces):
            j = max((j for j in range(i, len(pieces)) if "、".join(pieces[i:j + 1]) in roles), default=i)
            name = "、".join(pieces[i:j + 1])
            if name not in TITLES:  # `朱伟 县长`: the post written apart is no second person
                out.append(name if j > i else split_title(name)[0])
            i = j + 1
    return out


def task_number(value: str) -> int | None:
    """The task number a cell writes in one of its usual forms (`1`, `(1)`, `1.`, `1、`), or None."""
    m = _NUMBER_RE.match(names.clean(value))
    return int(m.group(1)) if m else None


def _style(value: str) -> str:
    """The form of a number cell (`1` bare, `(1)` bracketed, `1.` dotted), compared within a table."""
    value = names.clean(value)
    if _BARE_RE.match(value):
        return "bare"
    return "bracket" if value[:1] in "(（" else "mark"


# ---------------------------------------------------------------- a task being read


@dataclass
class _Draft:
    """A task's cells as read so far: a continued row adds to them."""

    no: int
    chapter: str
    section: str | None
    header: Header
    cells: dict[str, list[str]]
    lines: list[int]

    def add(self, cells: dict[str, str], line: int) -> None:
        """Add a row's cells; a continued text runs on (a sentence cut by a page break)."""
        for fld, value in cells.items():
            if not value:
                continue
            got = self.cells.setdefault(fld, [])
            if fld == "text" and got:
                got[-1] += value
            else:
                got.append(value)
        self.lines.append(line)


@dataclass
class _Reader:
    """Reads the rows of a document's tables into drafts and findings."""

    file: str
    line_of: Callable[[int], int]
    drafts: list[_Draft] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    chapter: str = ""
    section: str | None = None
    header: Header | None = None
    numbered: bool = True
    task_style: str | None = None

    def where(self, line: int) -> tuple[int, int]:
        n = self.line_of(line)
        return (n, n)

    def note(self, kind: str, severity: str, message: str, line: int, evidence: tuple[str, ...] = (),
             task: int | None = None) -> None:
        self.findings.append(Finding(kind, severity, message, task, self.where(line), evidence))

    # -- a table

    def table(self, table: Table, ends: bool = False) -> list[str]:
        """Read one table; return the texts of its title rows (above its header).

        ``ends``: the document ends with this table, so a last row shorter than the header
        was cut off (a page archived in part) and its last cell is cut short."""
        header = find_header(table.rows)
        start = 0
        titles: list[str] = []
        if header is not None:
            titles = [" ".join(c for c in row if c.strip()) for row in table.rows[:header.top]]
            start = header.index + 1
            self.header = header
            self._prescan(table.rows[start:])
        elif self.header is None or not table.rows:
            return []
        elif max((len(r) for r in table.rows), default=0) != self.header.width:
            self.note("table-skipped", "info", f"a table of {max(len(r) for r in table.rows)} columns without a "
                      f"header, not the {self.header.width} of the table before: left out", table.line,
                      (" | ".join(table.rows[0])[:80],))
            return []
        last = len(table.rows) - 1
        for i, row in enumerate(table.rows[start:], start):
            row = tuple(c.strip() for c in row)
            if ends and i == last and i > start and len(row) < self.header.width and any(row[1:]):
                self.note("cut-off", "warning", f"the document ends inside its last row: {row[-1][:20]!r} is cut "
                          "short, left out", table.row_line(i), (" | ".join(row)[:80],))
                row = row[:-1]
            self.row(row, table.row_line(i), first=i == start and header is None)
        return [t for t in titles if t]

    def _prescan(self, rows) -> None:
        """How this table numbers its tasks: whether most rows with units have a number, and its form."""
        cols = self.header.columns
        if "no" not in cols:
            self.numbered, self.task_style = False, None
            return
        styles: Counter = Counter()
        unnumbered = 0
        for row in rows:
            cells = self.cells(tuple(c.strip() for c in row))
            if not cells.get("text") or not any(cells.get(f) for f in UNIT_FIELDS):
                continue
            if task_number(cells.get("no", "")) is None:
                unnumbered += 1
            else:
                styles[_style(cells["no"])] += 1
        self.numbered = sum(styles.values()) >= unnumbered
        self.task_style = styles.most_common(1)[0][0] if styles else None

    def cells(self, row: tuple[str, ...]) -> dict[str, str]:
        """A row's text per field, several columns of one field joined by line breaks."""
        out: dict[str, list[str]] = {}
        for fld, cols in self.header.columns.items():
            values = [row[j] for j in cols if j < len(row) and row[j]]
            if values:
                out[fld] = values
        return {f: "\n".join(dict.fromkeys(v)) for f, v in out.items()}

    # -- a row

    def row(self, row: tuple[str, ...], line: int, first: bool = False) -> None:
        values = [c for c in row if c]
        if not values:
            return
        if _header_of(row) is not None or _all_labels(values):  # the header repeated after a page break
            return
        cells = self.cells(row)
        if self._heading(row, values, cells) or self._numbered_heading(cells):
            return
        no_text = cells.get("no", "")
        no = task_number(no_text) if no_text else None
        has_units = any(cells.get(f) for f in UNIT_FIELDS)
        if self._subheading(cells, no, has_units):
            return
        if self.drafts and not no_text and self.numbered and self._continues(cells, first, has_units):
            draft = self.drafts[-1]
            draft.add({f: v for f, v in cells.items() if f not in ("no", "chapter", "section")}, line)
            self.note("row-continued", "info", f"a row without a number read as the rest of task {draft.no}",
                      line, task=draft.no)
            return
        if not cells.get("text"):
            self.note("row-skipped", "warning", "a row without the task's text, left out", line,
                      (" | ".join(values)[:80],))
            return
        self._chapter_cells(cells)
        if no is None:
            no = self.drafts[-1].no + 1 if self.drafts else 1
            if no_text:
                self.note("number-unread", "warning", f"task number {no_text[:20]!r} is not a number: "
                          f"read as task {no}", line, task=no)
            elif self.numbered:
                self.note("number-unread", "warning", f"a task without a number in a numbered table: read as "
                          f"task {no}", line, task=no)
        draft = _Draft(no, self.chapter, self.section, self.header, {}, [])
        draft.add({f: v for f, v in cells.items() if f not in ("no", "chapter", "section")}, line)
        self.drafts.append(draft)

    def _heading(self, row: tuple[str, ...], values: list[str], cells: dict[str, str]) -> bool:
        """Set chapter and section from a heading row; False for any other row."""
        distinct = list(dict.fromkeys(values))
        lines = [x for v in distinct for x in _heading_lines(v)]
        headings = all(CHAPTER_RE.match(x) or SECTION_RE.match(x) for x in lines)
        merged = len(distinct) == 1 and len(values) > 1 and not cells.get("no", "").strip(" ").isdigit()
        if not lines or not (headings or merged):
            return False
        if headings and any(cells.get(f) for f in UNIT_FIELDS) and len(distinct) > 1:
            return False  # a task whose text starts like a heading, with its units
        for x in lines:
            self.set_heading(x)
        return True

    def _numbered_heading(self, cells: dict[str, str]) -> bool:
        """A heading whose numeral stands in the number column (`一 | 稳增长`, `（一） | 扩大投资`)."""
        no = names.clean(cells.get("no", ""))
        if not _HEADING_NO_RE.match(no) or any(cells.get(f) for f in UNIT_FIELDS):
            return False
        rest = names.clean_text(cells.get("text", "") or cells.get("chapter", ""))
        mark = no if no.endswith(("、", "）", ")", ".", "．")) else no + "、"
        self.set_heading(rest if rest.startswith(no) else mark + rest)
        return True

    def set_heading(self, line: str) -> None:
        """Make a heading line the chapter (`一、…`) or the section (`（一）…`) in force."""
        if SECTION_RE.match(line):
            self.section = line
        else:
            self.chapter, self.section = line, None

    def _chapter_cells(self, cells: dict[str, str]) -> None:
        """Chapter and section in force after a task row's own 项目 and 节 cells."""
        chapter, section = cells.get("chapter", ""), cells.get("section", "")
        if "section" in self.header.columns:
            if chapter and names.clean(chapter) != self.chapter:
                self.chapter, self.section = names.clean(chapter), None
            if section:
                self.section = names.clean(section)
            return
        for line in _heading_lines(chapter):  # one column holds chapters and sections, told apart by their numbers
            if SECTION_RE.match(line):
                self.section = line
            elif line != self.chapter:
                self.chapter, self.section = line, None

    def _subheading(self, cells: dict[str, str], no: int | None, has_units: bool) -> bool:
        text = cells.get("text", "")
        if has_units or no is None or any(cells.get(f) for f in (*_PEOPLE_FIELDS, "due")):
            return False
        if not _BARE_RE.match(names.clean(cells["no"])) or not text or len(names.clean(text)) > SUBHEADING_MAX:
            return False
        expected = self.drafts[-1].no + 1 if self.drafts else 1
        return self.task_style not in (None, "bare") or no != expected

    def _continues(self, cells: dict[str, str], first: bool, has_units: bool) -> bool:
        """Whether a row without a number is the rest of the task before."""
        prev_text = "".join(self.drafts[-1].cells.get("text", []))
        return first or not cells.get("text") and has_units or bool(prev_text) and not prev_text.endswith(_SENTENCE_END)


# ---------------------------------------------------------------- drafts → records


def _labelled(cells: dict[str, str]) -> dict[str, str]:
    """The cells with labelled clauses inside a units or leaders cell (`牵头单位：X；配合单位：Y`)
    moved to the fields their labels name; progress clauses (`进展情况：…`) dropped."""
    out = dict(cells)
    for fld in (*UNIT_FIELDS, "heads", "lead_leaders", "supervisors"):
        value = cells.get(fld, "")
        found = list(CLAUSE_RE.finditer(value))
        if not found:
            continue
        out[fld] = value[:found[0].start()].strip(" ；;，,。\n")
        for m, nxt in zip(found, [*found[1:], None]):
            target = field_of(m.group(1))
            part = value[m.end():nxt.start() if nxt else len(value)].strip(" ；;，,。\n")
            if target in PROGRESS_FIELDS or not part:
                continue
            out[target] = "\n".join(x for x in (out.get(target, "") if target != fld else out[fld], part) if x)
    return out



@dataclass
class _Records:
    """Turns drafts into records, with the findings of their units and heads."""

    file: str
    year: int | None
    line_of: Callable[[int], int]
    findings: list[Finding] = field(default_factory=list)
    first_leads: list[int] = field(default_factory=list)
    stated: bool = False  # the document states that the first unit listed leads

    def tasks(self, drafts: list[_Draft]) -> list[Task]:
        """The records of the drafts; heads written as plain lists are aligned over the whole table."""
        read = []
        for d in drafts:
            lines = (self.line_of(d.lines[0]), self.line_of(d.lines[-1]))
            cells = _labelled({f: "\n".join(v) for f, v in d.cells.items()})
            read.append((d, lines, cells, self._units(d, cells, lines)))
        listed = [i for i, (_, _, cells, _) in enumerate(read)
                  if cells.get("heads") and not any(map(_PAIR_RE.match, _lines(cells["heads"])))]
        rows = [Row(read[i][0].no, [u.name for u in read[i][3]],
                    [(h, "role" if names.is_role(h) else "person") for h in _people(read[i][2].get("heads", ""))],
                    read[i][1]) for i in listed]
        heads = dict(zip(listed, align_heads(rows, self.findings)))
        out = []
        for i, (d, lines, cells, units) in enumerate(read):
            per_unit, unassigned = heads.get(i) or self._paired(cells.get("heads", ""), d.no, lines, units)
            get = lambda f: cells.get(f, "")  # noqa: E731 - a local reading helper
            out.append(Task(
                no=d.no, chapter=d.chapter, section=d.section, text=names.clean_text(get("text")),
                units=tuple(UnitRef(u.name, u.role, tuple(h), u.parent, u.kind) for u, h in zip(units, per_unit)),
                supervisors=tuple(_people(get("supervisors"))), source=Source(self.file, lines),
                unassigned_heads=tuple(unassigned + _people(get("unassigned"))),
                due=self._due(get("due"), get("due_date")), lead_leaders=tuple(_people(get("lead_leaders"))),
            ))
        return out

    def _due(self, text: str, date: str) -> Due | None:
        if not names.clean(text):
            return None
        due = parse_due(text, self.year)
        if date:  # written by kg.views.sheet: the date as it was read from the source, or none
            date = names.clean(date)
            return Due(due.text, date if _ISO_RE.match(date) else due.date)
        return due

    def _split(self, value: str, no: int, lines: tuple[int, int]) -> list[tuple[str, str | None]]:
        """The unit names of a cell, each with the role its clause marks (`X牵头，Y配合`,
        `X（牵头）`), else None."""
        out: list[tuple[str, str | None]] = []
        value = _NOTE_RE.sub(self._convention_note, value)
        for line in _unit_lines(value):  # spaces kept: they may separate two names
            for clause in split_top(line, "，,；;"):
                m = _ROLE_MARK_RE.search(clause.strip().rstrip("。"))
                role = _MARKED_ROLES.get(m.group(1) or m.group(2)) if m else None
                body = clause.strip().rstrip("。")[:m.start()] if m else clause
                for name in self._names(body, no, lines):
                    own = _PIECE_MARK_RE.search(name)  # `X（牵头）、Y`: the mark of one name in the list
                    out.append((name[:own.start()], _MARKED_ROLES[own.group(1)]) if own else (name, role))
        return out

    def _convention_note(self, m: re.Match) -> str:
        """A note stating who leads (`列第一位为牵头单位`) removed from a cell, the convention kept."""
        if not CONVENTION_RE.search(m.group(1)):
            return m.group(0)
        self.stated = True
        return ""

    def _names(self, text: str, no: int, lines: tuple[int, int]) -> list[str]:
        if not text.strip():
            return []
        try:
            pieces = split_units(text)
        except ValueError as exc:
            self.findings.append(Finding("units-unread", "warning", f"task {no}: a unit cell holds what is no "
                                         "unit name, left out of its units", no, lines, (str(exc)[:60],)))
            return []
        wrong = [p for p in pieces if len(p) > UNIT_MAX and not (names.is_unit_like(p) or is_group(p))]
        if wrong:
            self.findings.append(Finding("units-unread", "warning", f"task {no}: a unit cell holds what is no "
                                         "unit name, left out of its units", no, lines, (wrong[0][:60],)))
        return [p for p in pieces if p not in wrong]

    def _units(self, d: _Draft, cells: dict[str, str], lines: tuple[int, int]) -> list[UnitRef]:
        leads = [n for n, role in self._split(cells.get("lead", ""), d.no, lines) if role != "support"]
        others: list[tuple[str, str | None]] = []
        for fld in ("units", "support"):
            others += [(n, role or ("support" if fld == "support" else None))
                       for n, role in self._split(cells.get(fld, ""), d.no, lines)]
        leads += [n for n, role in others if role == "lead"]
        rest = [n for n, role in others if role != "lead"]
        if not leads and rest and "lead" not in d.header.columns and not any(r == "support" for _, r in others):
            leads, rest = rest[:1], rest[1:]
            self.first_leads.append(d.no)
        out: list[UnitRef] = []
        seen: set[str] = set()
        for name, role in [(n, "lead") for n in leads] + [(n, "support") for n in rest]:
            if name not in seen:
                seen.add(name)
                out.append(unit_ref(name, role))
        return out

    def _paired(self, value: str, no: int, lines: tuple[int, int], units: list[UnitRef]):
        """Heads written `单位：姓名`, one unit a line: heads per unit, and those naming no unit of the task."""
        index: dict[str, int] = {}
        for i, u in enumerate(units):
            index.setdefault(u.name, i)
        per_unit: list[list[str]] = [[] for _ in units]
        unassigned: list[str] = []
        evidence: list[str] = []
        for line in _lines(value):
            m = _PAIR_RE.match(line)
            heads = _people(m.group(2) if m else line)
            if m and m.group(1) in index:
                per_unit[index[m.group(1)]] += heads
            else:
                unassigned += heads
                evidence.append(f"{line!r} names no unit of the task" if m else f"{line!r} names no unit")
        if evidence:
            self.findings.append(Finding("heads-open", "warning", f"task {no}: heads left unassigned",
                                         no, lines, tuple(evidence)))
        return per_unit, unassigned


# ---------------------------------------------------------------- the document


def _meta(doc: Document, titles: list[str], drafts: list[_Draft]) -> PlanMeta:
    """The notice from the paragraphs before the first table and the title rows above its header;
    the year, where the notice gives none, from the file name, the title and the deadlines."""
    first = next((i for i, b in enumerate(doc.blocks) if isinstance(b, Table)), len(doc.blocks))
    before = [line for b in doc.blocks[:first] if isinstance(b, Paragraph) for line in b.text.split("\n")]
    before = [names.clean_text(x) for x in before if x.strip()]
    title = titles[0] if titles else next((x for word in ("分解", "任务") for x in reversed(before)
                                           if word in x and len(x) <= 60), None)
    meta = read_meta("\n".join(before + titles), title)
    if meta.year is None:
        dues = [x for d in drafts for x in d.cells.get("due", [])]
        years = Counter(int(y) for text in [doc.file, *titles, *([title] if title else []), *dues]
                        for y in _YEAR_RE.findall(text))
        if years:
            meta = PlanMeta(meta.doc_number, meta.title, meta.issuer, meta.issued, years.most_common(1)[0][0])
    return meta


def _states_convention(doc: Document) -> bool:
    """True if the notice or a table's header says the first unit listed leads (`列第一位的为牵头单位`)."""
    heads = [" ".join(row) for t in doc.tables() for row in t.rows[:HEADER_ROWS]]
    return any(CONVENTION_RE.search(x) for x in [*(p.text for p in doc.paragraphs()), *heads])


def _headings_above(paragraph: Paragraph, pending: list[str]) -> list[str]:
    """The heading lines (`一、稳增长`) standing right above the next table: a table per
    chapter, its heading a paragraph; any other text in between cancels them (a notice's
    numbered points are no chapters)."""
    for line in (names.clean_text(x) for x in paragraph.text.split("\n")):
        if not line:
            continue
        if len(line) <= HEADING_MAX and (CHAPTER_RE.match(line) or SECTION_RE.match(line)):
            pending = [*pending, line]
        else:
            pending = []
    return pending


def read_tables(doc: Document, layout: str = "table", line_of: Callable[[int], int] | None = None) -> ParseResult:
    """Read the tasks of a document's cell tables (see the module docstring).

    ``line_of`` maps a document line to the source's own line where they differ (a table
    that arrived one cell per line); records and findings cite the source's lines.
    Raises LayoutError "no task found" for a document in which no table yields a task.
    """
    line_of = line_of or (lambda n: n)
    reader = _Reader(doc.file, line_of)
    titles: list[str] = []
    headings: list[str] = []
    ends = next((b for b in reversed(doc.blocks) if not isinstance(b, Paragraph) or b.text.strip()), None)
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            headings = _headings_above(block, headings)
            continue
        for line in headings:
            reader.set_heading(line)
        headings = []
        titles = titles or reader.table(block, ends=block is ends)
    if not reader.drafts:
        if reader.header is None:
            raise LayoutError(doc.file, None, f"no task found: no table has a header row naming {EXPECTED}")
        raise LayoutError(doc.file, None, "no task found: the table's header is followed by no task row")
    meta = _meta(doc, titles, reader.drafts)
    records = _Records(doc.file, meta.year, line_of, stated=_states_convention(doc))
    tasks = records.tasks(reader.drafts)
    findings = record_findings(tasks) + reader.findings + records.findings
    if records.first_leads:
        shown = ", ".join(map(str, records.first_leads[:10])) + (" …" if len(records.first_leads) > 10 else "")
        if records.stated:
            findings.append(Finding("lead-convention", "info", f"{len(records.first_leads)} tasks: the first unit "
                                    "listed leads, as the document states", None, None, (f"tasks {shown}",)))
        else:
            findings.append(Finding("first-leads", "info", f"{len(records.first_leads)} tasks name no lead unit: "
                                    "the first unit listed leads each (the common convention)", None, None,
                                    (f"tasks {shown}",)))
    return ParseResult(tasks, findings, doc.file, layout, meta, doc.sha256)
