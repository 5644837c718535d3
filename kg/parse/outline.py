"""The outline of a decomposition published as text: notice, headings, and the items that are tasks.

A decomposition in running text (not a grid table) reads::

    主办单位：中共…宣传部  承办单位：…网             ← site chrome: dropped
    XX县人民政府办公室关于印发……的通知              ← preamble: title, 文号, addressees,
    ……  一、提高认识，压实责任。……                  the notice (its own 一、二、), issuer,
    XX县人民政府办公室 / 2023年2月24日                date, the attachment's title
    一、稳增长          (or 一、朱伟县长牵头重点工作)  ← chapter (a leader's heading)
    （一）扩大有效投资                                ← section
    1.任务文本……（市发改委牵头）                      ← item: its lines up to the next one
    责任单位：……                                      ← a clause under it
    进展情况：……
    抄送：……                                          ← end matter: ends the part

:func:`read_outline` finds the tasks by what makes them tasks, a clause saying who is
responsible (:func:`clause_evidence`), not by where the notice ends:

- the **body** of a part begins at the item holding the first clause after the last
  issuer or date line before it, walked back over the items numbered before it and the
  headings over them; what comes before is preamble, so a notice's own numbered
  paragraphs and a page's chrome never become tasks;
- **items** are numbered `1.` `1．` `1、` `1﹒` (with spaces or not, alone on their line,
  or `11.121人才…` where the text begins with a number), `（1）` `(1)`, or not at all: then
  a paragraph followed by its clauses is the item; the style of the body's first item is
  the document's (the style of the item whose line holds the first clause, else of the
  first item under its heading), and a line numbered in another style is text of the item
  it is in, or between tasks, if short, a sub-heading (`1.经济指标` over `（1）…`); a line
  that begins with the number's full stop but lost the digits (a repost), or a paragraph
  with clauses of its own after an item's clauses, is an item numbered after the one
  before; unnumbered clauses before the first numbered item are chrome, not tasks;
- **headings** are `一、…` (chapter) and `（一）…` (section) lines of up to 60 characters
  without a sentence break inside (a notice's `一、…。…` paragraph is none); a chapter clears
  the section in force; a heading naming a leader (`一、朱伟县长牵头重点工作`) gives that
  leader to every item under it; a heading line with its clause on it or right under it
  is an item numbered in Chinese numerals;
- a page number (`- 3 -`, `第2页`) or the title repeated as a page header is skipped;
- numbers **run on** or **restart** at 1 after a heading; a number going back or jumping
  by more than ``MAX_GAP`` is a finding, and the records are then numbered by rank;
- **end matter** (`抄送：`, `…印发`, `（此件公开发布）`, an issuer line followed by a date)
  ends a part; a later clause opens the next part (a second attachment);
- a line that continues an item (wrapped text, a unit list carried over, the rest of an
  open bracket) stays with it; other lines are kept with the item they follow for
  :mod:`kg.parse.clauses` to judge, or reported (``text-skipped``);
- HTML left in the text is removed (``markup-removed``), a leading block of `#` comment
  lines (an archive's note on its source) and a site's chrome dropped, before anything is
  read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg import names
from kg.errors import LayoutError
from kg.parse.grid import MAX_GAP, NUMERALS
from kg.parse.labels import CLAUSE_FIELDS, CLAUSE_RE, FIELDS, split_title
from kg.parse.units import split_units, is_group
from kg.quality import Finding

__all__ = ["Item", "Outline", "read_outline", "clause_evidence", "leader_heading", "people", "numeral",
           "CHAPTER_RE", "SECTION_RE", "MAX_LINE"]

CHAPTER_RE = re.compile(f"^[{NUMERALS}]+[、.．]")
SECTION_RE = re.compile(f"^[（(][{NUMERALS}]+[）)]")
_NUMBER_RE = re.compile(r"^(\d{1,4})\s*[.．、﹒](?![\d.．﹒])\s*")
_NUMBER_DIGIT_RE = re.compile(r"^(\d{1,4})\s*[.．、﹒](?=\d)")
_MEASURE_RE = re.compile(r"^\d+(?:[.．]\d+)?\s*(?:%|％|‰|个百分点|万|亿|千|元|倍|°|℃)")
_BRACKETED_RE = re.compile(r"^[（(]\s*(\d{1,4})\s*[）)]\s*")
_LOST_RE = re.compile(r"^[﹒．.、]\s*(?=[^\s\d.．﹒、])")
_END_RE = re.compile(r"^(抄送|抄报|主题词)[：:]?|印发$|^[（(]此件")
_ISSUER_RE = re.compile(f"^[{names.CJK}]{{2,24}}(人民政府|办公室|办公厅|委员会)$")
_CN_DIGITS = "〇○零一二三四五六七八九十"
_DATE_LINE_RE = re.compile(f"^[\\d{_CN_DIGITS}]{{4}}年[\\d{_CN_DIGITS}]{{1,3}}月[\\d{_CN_DIGITS}]{{1,3}}日$")
_NOTE_RE = re.compile(r"^[（(]?(说明|注|备注)[：:]")
_HTML_RE = re.compile(r"<[!/]?[A-Za-z][^<>]{0,300}>|&(?:nbsp|lt|gt|amp|quot|ensp|emsp|#\d{1,5});")
_CHROME_RE = re.compile(r"(主办|承办|协办)(单位)?[：:]")
_CHROME_MARKS = ("ICP", "备案", "版权所有", "技术支持", "网站标识码", "网站地图", "联系我们", "公网安备")
_PAGE_RE = re.compile(r"^(?:[-—－–·•\s]*\d{1,4}[-—－–·•\s]*|第\s*\d+\s*页.*|共\s*\d+\s*页.*)$")
#: Words of a bracket that says who leads or supports.
_BRACKET_VERB_RE = re.compile("牵头|负责|配合|协助|协办|主办|承办|责任单位")
_LEADER_HEADING_RE = re.compile("^由?(.{2,40}?)(?:牵头|主抓|负责|分管|领衔|联系)")
#: A label written in square brackets without a colon (`【牵头单位】市发改委`).
_BRACKET_LABEL_RE = re.compile("【(" + "|".join(sorted((w for n in CLAUSE_FIELDS for w in FIELDS[n]), key=len,
                                                      reverse=True)) + ")】")
#: Longest line read: a longer one is not a document's line (a whole file run together).
MAX_LINE = 20_000


def numeral(text: str) -> int:
    """The value of a Chinese numeral up to 九十九 (`十一` → 11)."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if "十" not in text:
        return digits.get(text, 0)
    tens, _, ones = text.partition("十")
    return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def people(value: str) -> tuple[str, ...]:
    """The people of a leaders' clause (`王强、李明`, `朱伟县长`, `分管副市长张三`), posts dropped."""
    out = []
    value = re.sub(r"[（(][^（）()]*[）)]", "", value)  # `王强（副市长）`
    for piece in re.split(r"[、，,；;\s]+", value.strip(" 。．.；;，,")):
        name = split_title(re.sub("^(?:分管|联系)", "", piece))[0]
        if name:
            out.append(name)
    return tuple(out)


def leader_heading(heading: str) -> tuple[str, ...]:
    """The leaders a heading names over its tasks (`一、朱伟县长牵头重点工作` → 朱伟;
    `一、朱伟县长、王强副县长牵头…` → 朱伟, 王强), else ()."""
    text = re.sub(f"^(?:[{NUMERALS}]+[、.．]|[（(][{NUMERALS}]+[）)])", "", names.clean(heading))
    m = _LEADER_HEADING_RE.match(text)
    if not m:
        return ()
    out = []
    for piece in re.split("[、和与及]", m.group(1)):
        name, post = split_title(piece.removesuffix("同志"))
        if post is None and not piece.endswith("同志") or not names.is_person_like(name):
            return ()
        out.append(name)
    return tuple(out)


def clause_evidence(line: str) -> bool:
    """True if a line says who is responsible: a clause label (`牵头单位：`) or a bracket of
    who leads (`（市发改委牵头）`)."""
    if _NOTE_RE.match(line):  # `（说明：责任单位中列第一位的为牵头单位）` states a convention
        return False
    if line.startswith("各") and line.endswith(("：", ":")):  # the addressees, `各牵头单位、责任单位：`
        return False
    if CLAUSE_RE.search(line):
        return True
    content = _last_bracket(line)
    return content is not None and bool(_BRACKET_VERB_RE.search(content))


def _last_bracket(line: str) -> str | None:
    """The content of the bracket ending ``line`` (before a `。` or `；`), or of one left open."""
    end = len(line.rstrip(" \t。．.；;"))
    depth, close = 0, None
    for i in range(end - 1, -1, -1):
        ch = line[i]
        if ch in "）)】]":
            if close is None and i == end - 1:
                close = i
            depth += 1
        elif ch in "（(【[":
            if depth == 0:  # an open bracket never closed on this line
                return line[i + 1:end] if close is None else None
            depth -= 1
            if depth == 0 and close is not None:
                return line[i + 1:close]
    return None


def _is_label_line(line: str) -> bool:
    m = CLAUSE_RE.search(line)
    return bool(m) and not line[:m.start()].strip(" （(【[")


def _continues_list(prev: str, line: str) -> bool:
    """True if ``line`` carries on the unit list ``prev`` ends with (wrapped, or names only)."""
    if prev.endswith(("、", "，", ",", "；", ";")) or line.startswith(("、", "，", ",")):
        return True
    if not _is_label_line(prev) or len(line) > 80 or "。" in line[:-1]:
        return False
    try:
        pieces = split_units(line)
    except ValueError:
        return False
    return bool(pieces) and all(names.is_unit_like(p) or is_group(p) for p in pieces)


@dataclass
class Item:
    """One task before its body is read: number, headings and leaders in force, its lines."""

    printed: int | None  # None: the number was lost
    chapter: str
    section: str | None
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text); marker removed
    leaders: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def end(self) -> int:
        return self.lines[-1][0]

    @property
    def body(self) -> str:
        """The item's lines joined with line breaks (clauses may wrap over lines)."""
        return "\n".join(text for _, text in self.lines)

    def line_at(self, offset: int) -> int:
        """The source line of a character offset into :attr:`body`."""
        return self.lines[min(self.body.count("\n", 0, offset), len(self.lines) - 1)][0]


@dataclass
class Outline:
    """A document cut into preamble, notes and items, with what the cutting found."""

    preamble: list[str]
    items: list[Item]
    numbers: list[int]  # the record number of each item
    notes: list[tuple[int, str]]  # 说明：/注： lines in the body (they may state a convention)
    findings: list[Finding]
    last_line: int  # the last non-blank line of the text (an item ending there may be cut off)


def _clean(raw: str) -> tuple[str, bool]:
    """A line stripped, HTML tags and entities removed; and whether there were any."""
    s = raw.strip()
    if "【" in s:
        s = _BRACKET_LABEL_RE.sub(r"\1：", s)
    if "<" in s or "&" in s:
        t = _HTML_RE.sub("", s).strip()
        return t, t != s
    return s, False


def _chrome(lines: list[str], i: int) -> bool:
    """True for a site's chrome: sponsor lines (`主办单位：…` next to `承办单位：…`), ICP footers."""
    s = lines[i]
    if any(m in s for m in _CHROME_MARKS) and len(s) < 120:
        return True
    if not _CHROME_RE.match(s):
        return False
    if len(_CHROME_RE.findall(s)) > 1:
        return True
    near = lines[max(0, i - 2):i] + lines[i + 1:i + 3]
    return any(_CHROME_RE.match(n) or any(m in n for m in _CHROME_MARKS) for n in near)


class _Reader:
    def __init__(self, text: str, file: str):
        self.file = file
        self.findings: list[Finding] = []
        raw = text.split("\n")
        for i, line in enumerate(raw):  # a header of `# ` comment lines (an archive's note on its source)
            if not line.startswith("#"):
                break
            raw[i] = ""
        cleaned, marked = [], []
        for i, line in enumerate(raw, 1):
            if len(line) > MAX_LINE:
                raise LayoutError(file, i, f"the line is {len(line):,} characters long: expected the lines of a "
                                  "document (one task or clause a line), not a file run together on one line")
            s, had_markup = _clean(line)
            cleaned.append(s)
            if had_markup:
                marked.append(i)
        if marked:
            self.findings.append(Finding("markup-removed", "info", f"HTML tags or entities removed from "
                                         f"{len(marked)} line(s)", None, (marked[0], marked[-1])))
        self._rejoin_labels(cleaned)
        self.lines = ["" if s and _chrome(cleaned, i) else s for i, s in enumerate(cleaned)]
        self.kinds = [self._kind(s) for s in self.lines]
        self.last_line = max((i + 1 for i, s in enumerate(self.lines) if s), default=0)
        self.items: list[Item] = []
        self.notes: list[tuple[int, str]] = []
        self.heading_since: list[bool] = []  # per item: a heading came since the item before
        self.style: str | None = None
        self.headers: set[str] = set()  # preamble lines (the title) repeated on every page
        self.dropped = False  # items before the numbered ones were dropped

    def _rejoin_labels(self, lines: list[str]) -> None:
        """Join two lines where a line break cut a label in two (`牵头责任单` / `位：…`)."""
        for k in range(len(lines) - 1):
            left, right = lines[k], lines[k + 1]
            if not left or not right or CLAUSE_RE.match(right):
                continue
            tail = left[-8:]
            m = CLAUSE_RE.search(tail + right[:10])
            if m and m.start() < len(tail) < m.end(1):
                lines[k], lines[k + 1] = left + right, ""
                self.findings.append(Finding("names-joined", "info", f"line {k + 1}: a label cut by a line break "
                                             f"rejoined: {m.group(1)!r}", None, (k + 1, k + 2)))

    # --- what a line is -------------------------------------------------------------------

    @staticmethod
    def _kind(s: str) -> str:
        if not s:
            return "blank"
        if _NUMBER_RE.match(s) or _NUMBER_DIGIT_RE.match(s) and not _MEASURE_RE.match(_NUMBER_DIGIT_RE.sub("", s)):
            return "number"
        if _BRACKETED_RE.match(s):
            return "bracket"
        if SECTION_RE.match(s):
            return "section"
        if CHAPTER_RE.match(s):
            rest = CHAPTER_RE.sub("", s)
            heading = len(rest) <= 60 and not re.search("[。；;]", rest[:-1])
            return "chapter" if heading or clause_evidence(s) else "other"  # a notice's paragraph is other
        if _LOST_RE.match(s) and len(s) > 3:
            return "lost"
        return "other"

    def _marker(self, i: int, expected: int) -> tuple[int, str] | None:
        """The number and rest of line ``i`` if it is an item of the document's style."""
        s, kind = self.lines[i], self.kinds[i]
        if kind != self.style or kind not in ("number", "bracket"):
            return None
        if kind == "bracket":
            m = _BRACKETED_RE.match(s)
            return int(m.group(1)), s[m.end():].strip()
        m = _NUMBER_RE.match(s)
        if m:
            return int(m.group(1)), s[m.end():].strip()
        m = _NUMBER_DIGIT_RE.match(s)
        n, rest = int(m.group(1)), s[m.end():].strip()
        if n == expected and not _MEASURE_RE.match(rest):  # `11.121人才梯队项目`, not `2.5%`
            return n, rest
        return None

    def _barrier(self, i: int) -> bool:
        """An issuer line followed by a date, or a date line: the notice ends there."""
        s = self.lines[i]
        if _DATE_LINE_RE.match(s):
            return True
        return bool(_ISSUER_RE.match(s)) and _DATE_LINE_RE.match(self._next(i)) is not None

    def _next(self, i: int) -> str:
        return next((s for s in self.lines[i + 1:] if s), "")

    def _next_index(self, i: int) -> int | None:
        return next((j for j in range(i + 1, len(self.lines)) if self.lines[j]), None)

    def _heading_task(self, i: int) -> bool:
        """A chapter or section line that is a task: clauses on it or right under it."""
        if self.kinds[i] not in ("chapter", "section"):
            return False
        j = self._next_index(i)
        return clause_evidence(self.lines[i]) or j is not None and _is_label_line(self.lines[j])

    # --- parts ----------------------------------------------------------------------------

    def read(self) -> Outline:
        pos, preamble = 0, None
        while True:
            first = next((i for i in range(pos, len(self.lines)) if clause_evidence(self.lines[i])), None)
            if first is None:
                break
            start = self._part_start(pos, first)
            body = self._body_start(start, first)
            if body is None:  # a clause with no task text before it (a stray label): not a task
                pos = first + 1
                continue
            if preamble is None:
                preamble = [s for s in self.lines[:body] if s]
                self.headers = {s for s in preamble if len(s) >= 6 and not clause_evidence(s)}
            pos = self._read_part(body)
        self._drop_before_numbered()
        if not self.items:
            raise LayoutError(self.file, None, "no task found: expected numbered tasks (1. / 1、 / （1）) or "
                              "paragraphs with their responsibility (牵头单位：…, 责任单位：…, （…牵头）)")
        if self.dropped:
            preamble = [s for s in self.lines[:self._heading_over(0, self.items[0].start - 1)] if s]
        numbers = self._numbers()
        return Outline(preamble or [], self.items, numbers, self.notes, self.findings, self.last_line)

    def _drop_before_numbered(self) -> None:
        """Unnumbered "tasks" before the first numbered one of a numbered document are no tasks
        (a page's chrome, `主办单位：…` over a site's name, a clause in the notice): left out."""
        first = next((k for k, item in enumerate(self.items) if item.printed is not None), 0)
        if self.style not in ("number", "bracket") or first == 0:
            return
        for item in self.items[:first]:
            self.findings.append(Finding("text-skipped", "info", f"lines {item.start}–{item.end} before the first "
                                         "numbered task name a unit but are no task (chrome or notice), left out",
                                         None, (item.start, item.end)))
        self.findings = [f for f in self.findings if not (f.kind == "number-lost" and f.lines
                                                          and f.lines[0] < self.items[first].start)]
        del self.items[:first], self.heading_since[:first]
        self.dropped = True

    def _part_start(self, pos: int, first: int) -> int:
        """The line after the last issuer/date line between ``pos`` and ``first``."""
        for i in range(first - 1, pos - 1, -1):
            if self.lines[i] and self._barrier(i):
                return i + 1
        return pos

    def _body_start(self, start: int, first: int) -> int | None:
        """Where the body holding the clause on line ``first`` begins (see the module docstring)."""
        k = first
        while k > start and self.kinds[k] in ("other", "blank") and not self._heading_task(k):
            k -= 1
        if self.kinds[k] in ("number", "bracket", "lost") or self._heading_task(k):
            if self.style is None and self.kinds[k] in ("number", "bracket") and k != first:
                # The first item under the heading sets the style: `（1）修路。` over `1.其中东线…`
                # (where the clause is on an item's own line, that item's style is the document's).
                h = k
                while h > start and self.kinds[h - 1] not in ("chapter", "section"):
                    h -= 1
                first_marker = next(j for j in range(h, k + 1) if self.kinds[j] in ("number", "bracket"))
                self.style = self.kinds[first_marker]
                k = max(j for j in range(first_marker, k + 1) if self.kinds[j] == self.style)
            elif self.style is None:
                self.style = self.kinds[k] if self.kinds[k] != "lost" else None
            return self._walk_back(start, k)
        # No number: the task is the paragraph just before the clause (or the clause's own line).
        k = first
        if not _is_label_line(self.lines[first]):
            return self._heading_over(start, first)
        k = first - 1
        while k >= start and self.kinds[k] == "blank":
            k -= 1
        if k < start or self.kinds[k] != "other" or clause_evidence(self.lines[k]):
            return None
        while k - 1 >= start and self.kinds[k - 1] == "other" and not clause_evidence(self.lines[k - 1]):
            k -= 1
        return self._heading_over(start, k)

    def _heading_over(self, start: int, k: int) -> int:
        """``k`` or the heading lines directly over it."""
        j = k - 1
        while j >= start:
            kind, s = self.kinds[j], self.lines[j]
            sub = (kind in ("number", "bracket") and kind != self.style and self.style in ("number", "bracket")
                   and len(s) <= 30 and not s.endswith(("。", "；", ";")))  # `1.经济指标` over `（1）…`
            if kind in ("chapter", "section") or sub:
                k = j
            elif not (kind == "blank" or _NOTE_RE.match(s)):
                break
            j -= 1
        return k

    def _walk_back(self, start: int, k: int) -> int:
        """The first line of the run of items and headings that ends with item line ``k``."""
        if self.style not in ("number", "bracket"):
            return self._heading_over(start, k)
        first_no = self._marker(k, 1)
        expected = first_no[0] - 1 if first_no else 0
        j, begin = k - 1, k
        while j >= start and expected >= 1:
            while j >= start and self.kinds[j] in ("blank", "other"):
                j -= 1
            if j >= start and self.kinds[j] == self.style:
                m = self._marker(j, expected)
                if m and m[0] == expected:
                    begin, expected, j = j, expected - 1, j - 1
                    continue
            break
        return self._heading_over(start, begin)

    def _read_part(self, i: int) -> int:
        """Read items from line ``i`` to the end matter; the line to go on from."""
        st = _Part()
        n = len(self.lines)
        while i < n:
            s, kind, lineno = self.lines[i], self.kinds[i], i + 1
            i += 1
            if not s:
                continue
            if st.item is not None and (_END_RE.search(s) or self._barrier(i - 1)):
                break
            if _PAGE_RE.match(s) or s in self.headers:  # a page number, a title repeated as a page header
                self.findings.append(Finding("text-skipped", "info", f"line {lineno} is a page number or header: "
                                             f"{s[:40]!r}", None, (lineno, lineno)))
                continue
            item = st.item
            marker = self._marker(i - 1, (item.printed or 0) + 1 if item else 1) if kind == self.style else None
            if item is not None and st.depth > 0 and not marker:  # inside an open bracket
                self._append(st, lineno, s)
            elif marker:
                self._start(st, marker[0], [(lineno, marker[1])])
            elif self._heading_task(i - 1) and self.style in (kind, None):
                self.style = kind
                rest = re.sub(f"^(?:[{NUMERALS}]+[、.．]|[（(][{NUMERALS}]+[）)])", "", s)
                self._start(st, numeral(re.match(f"^[（(]?([{NUMERALS}]+)", s).group(1)), [(lineno, rest)])
            elif kind in ("chapter", "section") or self._subheading(st, kind, s):
                self._close_pending(st)
                if kind == "chapter":
                    st.chapter, st.section, st.chapter_leaders, st.section_leaders = \
                        names.clean(s), None, leader_heading(s), ()
                else:  # a section, or a sub-heading numbered in the items' other style
                    st.section, st.section_leaders = names.clean(s), leader_heading(s)
                st.heading_since = True
            elif kind == "lost" and item is not None and st.after_clause:
                self._start(st, None, [(lineno, _LOST_RE.sub("", s))])
                self._lost(lineno, s)
            elif _NOTE_RE.match(s) and not clause_evidence(s):
                self.notes.append((lineno, s))
            else:
                self._line(st, lineno, s)
        self._close_pending(st)
        return i

    def _subheading(self, st: "_Part", kind: str, s: str) -> bool:
        """A short line numbered in the other item style, between tasks (`1.经济指标` over
        tasks `（1）…`): a sub-heading, not text."""
        return (kind in ("number", "bracket") and kind != self.style and self.style in ("number", "bracket")
                and (st.item is None or st.after_clause) and not st.pending and len(s) <= 30
                and not clause_evidence(s) and not s.endswith(("。", "；", ";")))

    def _line(self, st: "_Part", lineno: int, s: str) -> None:
        """A line that is neither an item's number nor a heading: text, a clause, a stray line."""
        label, evidence, item = _is_label_line(s), clause_evidence(s), st.item
        if item is not None and not st.heading_since and not st.pending:
            if not st.after_clause or label or _continues_list(item.lines[-1][1], s):
                self._append(st, lineno, s)
                return
        if st.pending and (label or evidence) and (st.after_clause or item is None or st.heading_since):
            if label:
                lines, st.pending = st.pending + [(lineno, s)], []
            else:
                self._close_pending(st)
                lines = [(lineno, s)]
            self._start(st, None, lines)
            if self.style in ("number", "bracket"):
                self._lost(st.item.start, st.item.lines[0][1])
        elif (item is None or st.heading_since or st.after_clause) and evidence and not label:
            self._start(st, None, [(lineno, s)])
        else:
            st.pending.append((lineno, s))

    def _lost(self, lineno: int, s: str) -> None:
        self.findings.append(Finding("number-lost", "warning", f"line {lineno} begins a task without its number "
                                     "(the text lost its digits); numbered after the one before",
                                     None, (lineno, lineno), (s[:40],)))

    def _append(self, st: "_Part", lineno: int, s: str) -> None:
        st.item.lines.append((lineno, s))
        st.after_clause = st.after_clause or clause_evidence(s)
        st.depth = _depth(0 if _is_label_line(s) else st.depth, s)

    def _start(self, st: "_Part", printed: int | None, lines: list[tuple[int, str]]) -> None:
        """Open a new item with its first lines."""
        if st.pending:
            self._close_pending(st)
        st.item = Item(printed, st.chapter, st.section, lines, st.section_leaders or st.chapter_leaders)
        self.items.append(st.item)
        self.heading_since.append(st.heading_since)
        st.heading_since = False
        st.after_clause = any(clause_evidence(t) for _, t in lines)
        st.depth = _depth(0, "".join(t for _, t in lines))

    def _close_pending(self, st: "_Part") -> None:
        """Lines that waited for clauses that never came: the item's they follow (for the clause
        reader to judge), a heading's continuation, or lines outside any task."""
        if not st.pending:
            return
        if st.item is not None and not st.heading_since:
            st.item.lines.extend(st.pending)
        elif st.heading_since and all(len(t) <= 30 and not re.search("[：:。]", t) for _, t in st.pending):
            more = "".join(names.clean(t) for _, t in st.pending)
            if st.section is not None:
                st.section += more
            else:
                st.chapter += more
        else:
            for lineno, s in st.pending:
                self.findings.append(Finding("text-skipped", "warning", f"line {lineno} is not part of a task: "
                                             f"{s[:40]!r}", None, (lineno, lineno)))
        st.pending = []

    # --- numbers --------------------------------------------------------------------------

    def _numbers(self) -> list[int]:
        """Record numbers: printed where they run on, ranks where they restart or break."""
        printed: list[int] = []
        restarts = False
        for k, item in enumerate(self.items):
            prev = printed[-1] if printed else None
            n = item.printed if item.printed is not None else (prev or 0) + 1
            item.printed = n
            where = _where(item)
            if prev is None or self.heading_since[k] and n == 1:
                restarts = restarts or prev is not None
                if n != 1:
                    self.findings.append(Finding("numbering-gap", "error", f"{where} starts at task {n}, not 1",
                                                 None, (item.start, item.start)))
            elif n == prev:
                self.findings.append(Finding("numbering-duplicate", "error", f"task number {n} is used twice in "
                                             f"{where}", None, (item.start, item.start),
                                             (f"lines {self.items[k - 1].start} and {item.start}",)))
            elif n < prev or n > prev + 1 + MAX_GAP:
                restarts = True
                self.findings.append(Finding("numbering-break", "error", f"the numbering breaks off in {where}: "
                                             f"expected task {prev + 1}, found {n}", None, (item.start, item.start)))
            elif n > prev + 1:
                missing = ", ".join(str(x) for x in range(prev + 1, n))
                self.findings.append(Finding("numbering-gap", "error", f"task numbers missing before {n} in "
                                             f"{where}: {missing}", None, (item.start, item.start)))
            printed.append(n)
        if restarts or len(set(printed)) < len(printed):
            return list(range(1, len(printed) + 1))
        return printed


@dataclass
class _Part:
    """What is in force while a part is read."""

    chapter: str = ""
    section: str | None = None
    chapter_leaders: tuple[str, ...] = ()
    section_leaders: tuple[str, ...] = ()
    item: Item | None = None
    after_clause: bool = False  # the current item's lines include a clause
    heading_since: bool = True  # a heading came after the current item (or none yet)
    depth: int = 0  # brackets left open by the current item's lines
    pending: list[tuple[int, str]] = field(default_factory=list)


def _where(item: Item) -> str:
    heading = item.section or item.chapter
    if not heading:
        return "the document"
    return heading if len(heading) <= 20 else heading[:20] + "…"


def _depth(depth: int, s: str) -> int:
    """Bracket depth after ``s``, starting from ``depth``."""
    for ch in s:
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]":
            depth = max(0, depth - 1)
    return depth


def read_outline(text: str, file: str) -> Outline:
    """Cut a text document into preamble and items (see the module docstring).

    Raises LayoutError only where no item at all says who is responsible ("no task found").
    """
    return _Reader(text, file).read()
