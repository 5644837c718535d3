"""Parser for the grid layout: a PDF table 序号 · 项目 · 目标任务 · 责任单位 · 责任领导 · 分管市领导.

The PDF extraction turns each table row into a run of lines: the task number, the
project cell's fragments (chapter `一、…`, section `（一）…`, repeated at the top of each
page), the task text wrapped over lines, then one name per line — units, their heads,
the city leaders — or everything on one line. This module reads that shape, not any
one document's lines:

1. :func:`_scan` walks the lines once and cuts them into raw rows (number, project
   fragments, text lines, name tokens with their line numbers);
2. :func:`_names` rejoins names split over lines and splits each row's names into the
   unit column and the person column;
3. :mod:`kg.parse.people` decides, over the whole table, which people are unit heads and
   which are city leaders, and aligns heads to units;
4. :func:`parse_grid` assembles the records and the data-quality findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg import names
from kg.errors import LayoutError
from kg.parse.people import Row, assign_people
from kg.parse.result import ParseResult, read_meta
from kg.quality import Finding, record_findings
from kg.records import Source, Task, UnitRef

__all__ = ["parse_grid", "looks_like_grid", "HEADER_WORDS"]

HEADER_WORDS = ("序号", "项目", "目标任务", "责任单位", "责任领导", "分管市领导")
NUMERALS = "一二三四五六七八九十"
_CHAPTER_RE = re.compile(f"^[{NUMERALS}]+、")
_SECTION_RE = re.compile(f"^[（(][{NUMERALS}]+[）)]")
_NUMBER_RE = re.compile(r"^(\d{1,4})(?:\s+(.*))?$")
_PAGE_NO_RE = re.compile(r"^[-—–－]\s*\d+\s*[-—–－]$")
_SENTENCE_END = tuple("。；！？")
#: Longest line of a project-cell fragment (the column is a few characters wide).
FRAGMENT_MAX = 6
#: Longest plausible name token; anything longer in the name columns is not a name.
NAME_MAX = 30
#: Largest run of missing task numbers still read as a gap; more means the table broke off.
MAX_GAP = 3


@dataclass
class _Token:
    text: str
    line: int


@dataclass
class _RawRow:
    no: int
    start: int
    end: int
    page_top: bool
    chapter: list[str] | None = None
    section: list[str] | None = None
    text: list[str] = field(default_factory=list)
    tokens: list[_Token] = field(default_factory=list)
    open_cell: str | None = None  # "chapter" or "section" while fragments may follow

    @property
    def stage(self) -> str:
        if self.tokens:
            return "names"
        return "text" if self.text else "project"


def is_header(line: str) -> bool:
    """True for the table's column header row (repeated on every page)."""
    return sum(w in line for w in HEADER_WORDS) >= 4


def looks_like_grid(text: str) -> bool:
    """True if the text holds the grid table's column header."""
    return any(is_header(line) for line in text.splitlines())


def _is_fragment(s: str) -> bool:
    """A piece of the narrow project column: short, no punctuation, no inner space.

    The extraction puts spaces between Chinese and digits in task text (`新增 5G基站`),
    never inside the project column's fragments.
    """
    return len(names.clean(s)) <= FRAGMENT_MAX and not any(c in s for c in "，。；：,;:") and len(s.split()) == 1


def _merge_single_chars(parts: list[str]) -> list[str]:
    """Rejoin two-character names the extraction spaced out (`蔡 晖` → `蔡晖`)."""
    out: list[str] = []
    run: list[str] = []
    for p in parts + [""]:
        if len(p) == 1 and re.match(f"[{names.CJK}]", p):
            run.append(p)
            continue
        if run:
            out.append("".join(run)) if len(run) > 1 else out.append(run[0])
            run = []
        if p:
            out.append(p)
    return out


def _is_name_part(p: str) -> bool:
    return (
        len(p) <= NAME_MAX
        and not p[0].isdigit()
        and not any(c in p for c in "，。；：！？,;:!?")
    )


def _trailing_names(line: str) -> tuple[str, list[str]]:
    """Split `…300家。 科技局 蒋家兴 庄天怀` into the text and the names after it.

    The line always keeps some text: a line of names alone is decided by
    :meth:`_Scanner._names_start_here`.
    The names are the longest run of name-shaped parts at the end of the line whose first
    part is a unit (the unit column comes first). The text before them must end a
    sentence, or the names must complete the row (a unit and at least one person);
    a text ending in a number is never cut (`…建设 20 个居家养老服务站` is all text).
    """
    parts = line.split()
    merged = _merge_single_chars(parts)
    for i in range(1, len(merged)):
        tail = merged[i:]
        if not (all(_is_name_part(p) for p in tail) and _starts_units(tail)):
            continue
        last = merged[i - 1]
        if last[-1].isdigit():
            return line, []
        if last.endswith(_SENTENCE_END) or any(names.is_person_like(p) and not names.is_unit_like(p) for p in tail):
            return " ".join(merged[:i]), tail
        return line, []
    return line, []


def _starts_units(parts: list[str]) -> bool:
    """True if a run of name parts begins with a unit (after rejoining a split first name)."""
    acc = ""
    for p in parts[:3]:
        acc += p
        if names.is_unit_like(acc):
            return True
        if names.is_complete(acc):
            return False
    return False


class _Scanner:
    """Cuts the lines of a grid table into raw rows; see the module docstring."""

    def __init__(self, text: str, file: str):
        self.lines = text.split("\n")
        self.file = file
        self.rows: list[_RawRow] = []
        self.findings: list[Finding] = []
        self.header_seen = False
        self.page_top = False
        self.preamble: list[str] = []

    def error(self, lineno: int, message: str) -> LayoutError:
        return LayoutError(self.file, lineno, message)

    @property
    def cur(self) -> _RawRow | None:
        return self.rows[-1] if self.rows else None

    def scan(self) -> list[_RawRow]:
        for lineno, raw in enumerate(self.lines, 1):
            s = raw.strip()
            if not s:
                continue
            if is_header(s):
                self.header_seen = True
                self.page_top = True
                continue
            if not self.header_seen:
                self.preamble.append(s)
                continue
            if _PAGE_NO_RE.match(s):
                continue
            m = _NUMBER_RE.match(s)
            if m and self._starts_row(int(m.group(1)), m.group(2), lineno):
                self._new_row(int(m.group(1)), lineno)
                if m.group(2):
                    self._feed(m.group(2).strip(), lineno)
                continue
            if self.cur is None:
                raise self.error(lineno, f"expected task 1 after the table header, found {s[:30]!r}")
            self._feed(s, lineno)
        if not self.header_seen:
            raise self.error(None, "no responsibility table found: expected a header row with "
                             + " ".join(HEADER_WORDS))
        if not self.rows:
            raise self.error(len(self.lines), "the table header is not followed by any numbered task")
        last = self.cur
        if not last.tokens:
            raise self.error(last.end, f"the file ends inside task {last.no}: expected its units, heads and city leaders")
        return self.rows

    def _starts_row(self, n: int, rest: str | None, lineno: int) -> bool:
        cur = self.cur
        if cur is None:
            return True
        if cur.stage == "project" and cur.open_cell:
            cell = "".join(getattr(cur, cur.open_cell))
            if cell.count("“") > cell.count("”"):
                return False  # a number inside a quoted name in the project cell (“4341”)
        expected = cur.no + 1
        if cur.stage == "names":
            if n < cur.no:
                raise self.error(lineno, f"the numbering breaks off: expected task {expected}, found {n}")
            if n > expected + MAX_GAP:
                raise self.error(lineno, f"the numbering breaks off: expected task {expected}, found {n} "
                                 f"({n - expected} tasks missing)")
            return True
        # Inside a task's text a line may begin with a number (`6 个，打造…`); only a bare
        # number that continues the numbering starts a row there.
        return not rest and n == expected

    def _new_row(self, n: int, lineno: int) -> None:
        self.rows.append(_RawRow(no=n, start=lineno, end=lineno, page_top=self.page_top))
        self.page_top = False

    def _feed(self, s: str, lineno: int) -> None:
        row = self.cur
        row.end = lineno
        if row.stage == "project":
            self._feed_project(row, s, lineno)
        elif row.stage == "text":
            self._feed_text(row, s, lineno)
        else:
            self._feed_names(row, s, lineno)

    def _feed_project(self, row: _RawRow, s: str, lineno: int) -> None:
        m = _SECTION_RE.match(s)
        if m:
            row.section, row.open_cell = [m.group(0)], "section"
            rest = s[m.end():].strip()
            if rest:
                self._feed_project(row, rest, lineno)
            return
        if _CHAPTER_RE.match(s) and _is_fragment(s.split()[0]):
            row.chapter, row.open_cell, row.section = [s], "chapter", None
            return
        if row.open_cell and _is_fragment(s):
            getattr(row, row.open_cell).append(s)
            return
        row.open_cell = None
        self._feed_text(row, s, lineno)

    def _feed_text(self, row: _RawRow, s: str, lineno: int) -> None:
        if row.text and self._names_start_here(row, s, lineno):
            self._feed_names(row, s, lineno)
            return
        text, tail = _trailing_names(s)
        row.text.append(text)
        row.tokens.extend(_Token(p, lineno) for p in tail)

    def _names_start_here(self, row: _RawRow, s: str, lineno: int) -> bool:
        """True if this line begins the unit column of ``row``.

        The line must consist of names and begin with a unit (rejoined with the next lines
        if the unit's name is split), and either the text before it ends a sentence or
        every line up to the next task is a name too.
        """
        parts = _merge_single_chars(s.split())
        if not all(_is_name_part(p) for p in parts):
            return False
        if not _starts_units(parts):
            if len(parts) != 1 or names.is_complete(parts[0]):
                return False
            acc = parts[0]
            for nxt in self._following(lineno, 6):
                acc += names.clean(nxt)
                if names.is_unit_like(acc):
                    break
                if names.is_complete(acc) or len(acc) > NAME_MAX:
                    return False
            else:
                return False
        if names.clean(row.text[-1]).endswith(_SENTENCE_END):
            return True
        return all(all(_is_name_part(p) for p in nxt.split()) for nxt in self._following(lineno, 80, row.no + 1))

    def _following(self, lineno: int, limit: int, next_no: int | None = None):
        """The non-empty lines after ``lineno`` (1-based), up to the next task or page header."""
        for raw in self.lines[lineno:lineno + limit]:
            s = raw.strip()
            if not s:
                continue
            m = _NUMBER_RE.match(s)
            if is_header(s) or _PAGE_NO_RE.match(s) or (next_no is not None and m and int(m.group(1)) == next_no):
                return
            yield s

    def _feed_names(self, row: _RawRow, s: str, lineno: int) -> None:
        if self.page_top and (_CHAPTER_RE.match(s) or _SECTION_RE.match(s)):
            return
        parts = _merge_single_chars(s.split())
        for p in parts:
            if not _is_name_part(p):
                raise self.error(
                    lineno,
                    f"expected a unit or person name of task {row.no}, or task {row.no + 1}, found {s[:40]!r}",
                )
            row.tokens.append(_Token(p, lineno))


def _join_split_names(row: _RawRow, file: str, findings: list[Finding]) -> list[_Token]:
    """Rejoin names that the extraction split over lines (or spaced within a line).

    A piece is joined to the one before it when the earlier piece cannot stand alone
    (`泉州半导体高新区` + `晋江分园区管委会`), has an open bracket or ends in `、`, or when the
    later piece can only continue a name (`（道安办）`, `办公室`, `主任`, `主要负责人…`).
    """
    out: list[_Token] = []
    for tok in row.tokens:
        text = names.clean(tok.text)
        if out:
            prev = out[-1].text
            joined = prev + text
            if names.continues(prev, text):
                findings.append(
                    Finding("names-joined", "info", f"joined {prev!r} + {text!r} → {joined!r}",
                            row.no, (out[-1].line, tok.line), (f"{prev!r} cannot stand alone as a name"
                                                               if not names.is_complete(prev) else
                                                               f"{text!r} continues the name before it",))
                )
                out[-1] = _Token(joined, out[-1].line)
                continue
        out.append(_Token(text, tok.line))
    return _join_by_role(out, row, findings)


def _join_by_role(tokens: list[_Token], row: _RawRow, findings: list[Finding]) -> list[_Token]:
    """Join unit pieces that a role in the head column names as one unit.

    `疫情防控指挥部` + `一办十三组` become one unit when the head column says
    `疫情防控指挥部一办十三组负责人`. A unit name repeated in one row followed by the
    rest of a role is that role's first piece (a row lists each unit once).
    """
    for i in range(1, len(tokens) - 1):
        piece, rest = tokens[i].text, tokens[i + 1].text
        if any(t.text == piece for t in tokens[:i]) and names.is_role(piece + rest):
            findings.append(Finding("names-joined", "info", f"joined {piece!r} + {rest!r} → {piece + rest!r}",
                                    row.no, (tokens[i].line, tokens[i + 1].line),
                                    (f"{piece!r} is already listed as a unit of this task",)))
            tokens[i:i + 2] = [_Token(piece + rest, tokens[i].line)]
            return _join_by_role(tokens, row, findings)
    for role in [t.text for t in tokens if names.is_role(t.text)]:
        stem = re.sub(r"(主要)?负责人$", "", role)
        if stem == role:
            continue
        for i in range(len(tokens)):
            acc = ""
            for j in range(i, len(tokens)):
                acc += tokens[j].text
                if not stem.startswith(acc):
                    break
                if acc == stem and j > i:
                    pieces = [t.text for t in tokens[i:j + 1]]
                    findings.append(Finding(
                        "names-joined", "info", f"joined {' + '.join(map(repr, pieces))} → {stem!r}",
                        row.no, (tokens[i].line, tokens[j].line), (f"the head column names the role {role!r}",)))
                    tokens[i:j + 1] = [_Token(stem, tokens[i].line)]
                    return _join_by_role(tokens, row, findings)
    return tokens


def _names(row: _RawRow, file: str, findings: list[Finding]) -> Row:
    """Split a raw row's names into the unit column and the person column."""
    tokens = _join_split_names(row, file, findings)
    units: list[str] = []
    people: list[tuple[str, str]] = []  # (name, "person" | "role")
    for tok in tokens:
        name = tok.text
        if not people and (names.is_unit_like(name) or (not names.is_complete(name) and len(name) > 4)):
            units.append(name)
            continue
        if names.is_role(name):
            people.extend((r, "role") for r in names.placeholders().split_role(name))
        elif names.is_person_like(name):
            people.append((name, "person"))
        else:
            raise LayoutError(file, tok.line, f"{name!r} in task {row.no} is neither a unit (it comes after "
                              "the heads) nor a person's name nor a role")
    return Row(no=row.no, units=units, people=people, lines=(row.start, row.end))


def parse_grid(text: str, file: str) -> ParseResult:
    """Parse the text of a grid-layout responsibility table into records and findings.

    ``file`` is the name recorded as each task's source. Raises LayoutError (with file
    and line) when the text holds no such table or the table breaks off.
    """
    scanner = _Scanner(text, file)
    raw_rows = scanner.scan()
    findings = scanner.findings
    rows = [_names(r, file, findings) for r in raw_rows]
    people = assign_people(rows, findings)
    tasks = []
    chapter, section = "", None
    for raw, row, (heads, unassigned, supervisors) in zip(raw_rows, rows, people):
        if raw.chapter:
            new_chapter = "".join(names.clean(f) for f in raw.chapter)
            if new_chapter != chapter:
                section = None
            chapter = new_chapter
        if raw.section:
            section = "".join(names.clean(f) for f in raw.section)
        units = tuple(
            UnitRef(
                name=u,
                role="lead" if i == 0 else "support",
                heads=tuple(heads[i]),
                parent=names.split_sub_office(u)[0] if names.split_sub_office(u)[1] else None,
                kind="group" if u in names.placeholders().groups else "unit",
            )
            for i, u in enumerate(row.units)
        )
        tasks.append(Task(
            no=row.no,
            chapter=chapter,
            section=section,
            text=names.clean_text("\n".join(raw.text)),
            units=units,
            supervisors=tuple(supervisors),
            source=Source(file, row.lines),
            unassigned_heads=tuple(unassigned),
        ))
    findings.extend(record_findings(tasks))
    title = scanner.preamble[-1] if scanner.preamble else None
    return ParseResult(tasks, findings, file, "grid", read_meta("\n".join(scanner.preamble), title))
