"""The outline every text layout sits in: a notice, then headings and numbered tasks.

A decomposition published as running text (not as a grid table) reads::

    XX县人民政府办公室关于印发……的通知          ← preamble: title, 文号, addressees,
    X政办〔2021〕12号                              the notice, its issuer and date,
    ……                                            the attachment's title, a note
    一、稳增长                                     ← chapter
    （一）扩大有效投资                             ← section
    1.任务文本……（units, in the layout's form）    ← task, its lines up to the next one
    2、……
    抄送：……                                       ← end matter, not a task

:func:`read_outline` cuts the text into that shape without reading the tasks' bodies:

- the **preamble** is everything before the first heading or numbered line;
- **headings** are `一、…` (chapter) and `（一）…` (section); a chapter clears the section
  in force; a line after a heading and before its first task continues the heading;
- **tasks** are numbered `1.` / `1．` / `1、` or `（1）` / `(1)`; the first task's style is
  the document's, and a line numbered in another style is text of the task it is in;
- numbers **run on** through the document or **restart** at 1 after a heading. Where they
  restart, a record's ``no`` is the task's rank in the whole document (so it stays
  unique) and numbering findings cite the printed number and its section; where they run
  on, ``no`` is the printed number and :func:`kg.quality.record_findings` reports gaps and
  duplicates. A number going back, or jumping by more than ``MAX_GAP``, stops the parse;
- **end matter** (`抄送：`, `…印发`, `（此件公开发布）`, an issuer line followed by a date)
  ends the last task.

:func:`parse_outline` then lets a layout read each task's body and assembles the records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from kg import names
from kg.errors import LayoutError
from kg.parse.grid import MAX_GAP, NUMERALS
from kg.parse.result import ParseResult, read_meta
from kg.quality import Finding, record_findings
from kg.records import Due, Source, Task, UnitRef

__all__ = ["Item", "Outline", "Body", "read_outline", "parse_outline", "CHAPTER_RE", "SECTION_RE", "task_marker"]

CHAPTER_RE = re.compile(f"^[{NUMERALS}]+[、.．]")
SECTION_RE = re.compile(f"^[（(][{NUMERALS}]+[）)]")
_NUMBERED_RE = re.compile(r"^(\d{1,3})\s*[.．、](?![\d.．])")
_BRACKETED_RE = re.compile(r"^[（(](\d{1,3})[）)]")
_END_RE = re.compile(r"^(抄送|抄报|主题词)[：:]?|印发$|^[（(]此件")
_ISSUER_RE = re.compile(f"^[{names.CJK}]{{2,24}}(人民政府|办公室|委员会)$")
_DATE_LINE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_NOTE_RE = re.compile(r"^[（(]?(说明|注|备注)[：:]")


def task_marker(line: str) -> tuple[str, int, str] | None:
    """The numbering style (``"number"`` or ``"bracket"``), number and rest of a task's first line."""
    for style, regex in (("number", _NUMBERED_RE), ("bracket", _BRACKETED_RE)):
        m = regex.match(line)
        if m:
            return style, int(m.group(1)), line[m.end():].strip()
    return None


@dataclass
class Item:
    """One numbered task before its body is read: number, headings in force, its lines."""

    printed: int
    chapter: str
    section: str | None
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text); marker removed

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def end(self) -> int:
        return self.lines[-1][0]

    @property
    def body(self) -> str:
        """The task's lines joined with line breaks (layouts need them to rejoin wrapped names)."""
        return "\n".join(text for _, text in self.lines)

    def line_at(self, offset: int) -> int:
        """The source line of a character offset into :attr:`body`."""
        return self.start + self.body.count("\n", 0, offset)


@dataclass
class Outline:
    """A text layout's document cut into preamble and numbered tasks."""

    preamble: list[str]
    items: list[Item]
    restarts: bool
    numbering: list[Finding]  # gaps and duplicates within sections, used where numbers restart


@dataclass
class Body:
    """What a layout reads from one task's body."""

    text: str
    units: tuple[UnitRef, ...] = ()
    supervisors: tuple[str, ...] = ()
    due: Due | None = None
    lead_leaders: tuple[str, ...] = ()
    findings: list[Finding] = field(default_factory=list)


def _heading(s: str) -> str:
    return names.clean(s)


class _Reader:
    def __init__(self, text: str, file: str):
        self.lines = text.split("\n")
        self.file = file
        self.preamble: list[str] = []
        self.items: list[Item] = []
        self.numbering: list[Finding] = []
        self.restarts = False
        self.style: str | None = None
        self.chapter = ""
        self.section: str | None = None
        self.open_heading: str | None = None  # "chapter" or "section" until its first task
        self.heading_since = False

    def _next_line(self, i: int) -> str:
        return next((s.strip() for s in self.lines[i + 1:] if s.strip()), "")

    def read(self) -> Outline:
        started = False
        for i, raw in enumerate(self.lines):
            lineno, s = i + 1, raw.strip()
            if not s:
                continue
            if started and (_END_RE.search(s) or _ISSUER_RE.match(s) and _DATE_LINE_RE.match(self._next_line(i))):
                break
            marker = task_marker(s)
            heading = CHAPTER_RE.match(s) or SECTION_RE.match(s)
            if marker and self.style is None and not heading:
                self.style = marker[0]
            if not started and (heading or marker and marker[0] == self.style):
                started = True
            if not started:
                self.preamble.append(s)
            elif SECTION_RE.match(s):
                self.section, self.open_heading, self.heading_since = _heading(s), "section", True
            elif CHAPTER_RE.match(s):
                self.chapter, self.section = _heading(s), None
                self.open_heading, self.heading_since = "chapter", True
            elif marker and marker[0] == self.style:
                self._task(marker[1], marker[2], lineno)
            elif self.open_heading:
                if "：" in s or ":" in s:
                    raise LayoutError(self.file, lineno, f"expected a numbered task under {self._in_force()!r}, "
                                      f"found {s[:30]!r}")
                if self.open_heading == "chapter":
                    self.chapter += names.clean(s)
                else:
                    self.section += names.clean(s)
            elif self.items:
                self.items[-1].lines.append((lineno, s))
            else:
                raise LayoutError(self.file, lineno, f"expected task 1 or a heading, found {s[:30]!r}")
        if not self.items:
            raise LayoutError(self.file, None, "no numbered tasks found: expected headings 一、 / （一） and tasks "
                              "numbered 1. / 1、 / （1）")
        return Outline(self.preamble, self.items, self.restarts, self.numbering)

    def _in_force(self) -> str:
        """The heading in force, cut short for messages."""
        heading = self.section or self.chapter
        return heading if len(heading) <= 20 else heading[:20] + "…"

    def _task(self, n: int, rest: str, lineno: int) -> None:
        prev = self.items[-1] if self.items else None
        item = Item(n, self.chapter, self.section, [(lineno, rest)])
        where = self._in_force() or "the document"
        if prev is None or self.heading_since and n == 1:
            self.restarts = self.restarts or prev is not None
            if n != 1:
                self.numbering.append(Finding("numbering-gap", "error", f"{where} starts at task {n}, not 1",
                                              None, (lineno, lineno)))
        elif n == prev.printed:
            self.numbering.append(Finding("numbering-duplicate", "error", f"task number {n} is used twice in {where}",
                                          None, (lineno, lineno), (f"lines {prev.start} and {lineno}",)))
        elif n < prev.printed or n > prev.printed + 1 + MAX_GAP:
            raise LayoutError(self.file, lineno, f"the numbering breaks off: expected task {prev.printed + 1}"
                              f"{' or 1 after a heading' if self.heading_since else ''}, found {n}")
        elif n > prev.printed + 1:
            missing = ", ".join(str(k) for k in range(prev.printed + 1, n))
            self.numbering.append(Finding("numbering-gap", "error", f"task numbers missing before {n} in {where}: "
                                          f"{missing}", None, (lineno, lineno)))
        self.items.append(item)
        self.open_heading, self.heading_since = None, False


def read_outline(text: str, file: str) -> Outline:
    """Cut a text-layout document into preamble and numbered tasks (see the module docstring)."""
    return _Reader(text, file).read()


def _title(preamble: list[str]) -> str | None:
    """The attachment's title, else the notice's: the last preamble line that is not a note,
    an addressee line, a sentence, a document number, an issuer or a date."""
    for line in reversed(preamble):
        s = names.clean(line)
        if not (_NOTE_RE.match(s) or s.endswith(("：", ":", "。")) or s.startswith(("（", "("))
                or re.search(r"〔\d{4}〕", s) or _ISSUER_RE.match(s) or _DATE_LINE_RE.match(s)):
            return s
    return None


def parse_outline(text: str, file: str, layout: str, body: Callable[[Item, int | None], Body]) -> ParseResult:
    """Parse a text-layout document: the outline here, each task's body by ``body(item, year)``.

    ``body`` raises LayoutError where a task breaks the layout; ``year`` is the plan's year
    (from its document number or title) for deadlines written without one.
    """
    outline = read_outline(text, file)
    meta = read_meta("\n".join(outline.preamble), _title(outline.preamble))
    tasks: list[Task] = []
    findings: list[Finding] = []
    for rank, item in enumerate(outline.items, 1):
        b = body(item, meta.year)
        no = rank if outline.restarts else item.printed
        findings.extend(Finding(f.kind, f.severity, f.message, no, f.lines or (item.start, item.end), f.evidence)
                        for f in b.findings)
        tasks.append(Task(
            no=no,
            chapter=item.chapter,
            section=item.section,
            text=b.text,
            units=b.units,
            supervisors=b.supervisors,
            source=Source(file, (item.start, item.end)),
            due=b.due,
            lead_leaders=b.lead_leaders,
        ))
    if outline.restarts:
        by_line = {t.source.lines[0]: t.no for t in tasks}
        findings[:0] = [Finding(f.kind, f.severity, f.message, by_line.get(f.lines[0]), f.lines, f.evidence)
                        for f in outline.numbering]
        findings.extend(f for f in record_findings(tasks) if not f.kind.startswith("numbering-"))
    else:
        findings.extend(record_findings(tasks))
    return ParseResult(tasks, findings, file, layout, meta)
