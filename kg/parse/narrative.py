"""Narrative documents → statements: what a government says it did, will do and aims at.

Besides the responsibility tables, a county publishes prose: the work report itself, the
newspapers' digests and readings of it, and the plans of its towns and bureaus. This
module reads the three kinds into :class:`Statement` records (pure data, no rdflib), the
officials they name into :class:`PostMention` records, and reports as findings what it
could not resolve or chose to leave out.

Document kinds (:func:`detect_kind`):

``work-report``
    The report (《政府工作报告》) of any government, as extracted text or as Markdown with a
    YAML front matter (``title:``, and ``year:`` / ``government:`` where given; the
    government is otherwise read from the title, 三明市政府工作报告（…） → 三明市). Chapters are
    its numbered headings (``一、2024年工作回顾``, ``一、牢记嘱托砥砺奋进…``) or, where none
    names a part of a report, its unnumbered ones (``**2019年工作回顾**``, two in a row
    making one). A chapter is a review (回顾, 过去, a year before the report's), an outlook
    (今后五年, 总体要求, ``“十四五”时期…``: skipped but for a year's targets paragraph), the
    self-building chapter (政府自身建设, 人民满意, 服务型政府: plan items marked
    ``self_building``) or planned work of the year its heading names, else of the chapter
    before, else of the report (its title, or the day it was given).

    In planned work, sections open with ``（一）``, ``一、``, ``第一，``, ``一是`` or ``——``
    (the highest present), their title the first sentence. A section's planned items are its
    numbered paragraphs (``1、`` ``1.`` ``（1）``, Jinjiang's way) with what runs on from
    them; else its titled paragraphs (``优化二产结构，在转型升级上下功夫。实施…``: a first
    sentence of at most 30 characters) and any paragraph after the first; else each of its
    paragraphs; a section that runs as one text is one item. The paragraph of the year's
    main targets (``主要预期目标是：…``, with the list under it) is an item of the chapter
    (key ``n.0.m``); what precedes it is skipped, and so are sections before it (the five
    years' part of ``二、今后五年的目标任务和2023年工作安排``). A closing address to the deputies
    (``各位代表，…``) is skipped, but for a paragraph on the government's own building.

    In a review, results are the opening paragraph and one per section paragraph, titled
    paragraph or numbered item, of the year reviewed; in Jinjiang's way (no sections,
    paragraphs beginning ``一年来``) one per ``一年来`` paragraph, running on (over page
    breaks and bold-led sub-blocks alike) to the next. Thanks and shortcomings are skipped.
    The glossary and attachments (``附注``, ``名词解释``, ``附件``, a ``---`` rule) end the report.
``digest``
    A newspaper digest. In question-and-answer form (questions ending ``？``, lists under
    them, ``划重点:`` sub-headings) every line under a question is one statement: a
    ``result`` where the question asks what was achieved (过去, 取得, 成效, 成绩, 荣誉, 回顾),
    else a ``goal``. In the form of a reading (``目标蓝图`` / ``实施路径`` / ``会场内外``
    parts) the paragraph before each ``实施路径`` is a ``goal`` and each paragraph of the
    path a ``plan``; the reportage (``会场内外``) and deputies' proposals are skipped.
``plans``
    Plans of towns, streets and bureaus: a heading ``西园街道： 加速…`` (the subject, then
    the title) and paragraphs; each paragraph is a ``priority`` of the subject.

Keys come from the structure only: ``"2.1.3"`` is chapter 二, section （一）, item 3
(``"2.0.1"`` the targets paragraph, ``"1.0.n"`` the n-th review paragraph, ``"3.0.n"``
an item of a chapter without sections; unnumbered chapters and sections are counted); in a digest ``"q.s.n"`` is the n-th line under
sub-heading s (0 before any) of the q-th question (a reading: ``"p.0"`` the goal and
``"p.n"`` the items of the p-th 实施路径); in plans ``"西园街道.2"`` is the subject's second
paragraph.

Years are the ones the text states: a chapter's heading, a question's, the document's
title. In a Q&A digest results without a year of their own (``过去一年``) are of the year
before the goals'. Where the text states none (the reading, the plans) ``year`` is
``None`` and a ``narrative-no-year`` finding says so.

Officials are found in every document as ``<unit><post><name>`` (晋江市商务局局长蔡伟达,
晋江市应急管理局党委书记、局长柯荣锻 — one mention per post) and ``（人大代表许清心）``.
A name is two or three characters beginning with a common surname and ending where a
punctuation mark, a verb of speech (表示, 说, 介绍, …) or the paragraph does. Reporters'
bylines (本报记者 …) are not officials.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.names import clean_text
from kg.parse.text import decode, read_bytes
from kg.quality import Finding

__all__ = [
    "Statement",
    "PostMention",
    "NarrativeResult",
    "STATEMENT_KINDS",
    "DOCUMENT_KINDS",
    "NARRATIVE_KINDS",
    "parse_narrative",
    "parse_narrative_text",
    "reviews_a_year",
    "sentences",
    "detect_kind",
]

#: The kinds of statement: planned work of a coming year, an achievement of a past year,
#: a goal stated in a digest, a town's or bureau's stated priority.
STATEMENT_KINDS = ("plan", "result", "goal", "priority")
DOCUMENT_KINDS = ("work-report", "digest", "plans")

#: Finding kinds of this module and their severity (their meanings are in kg.quality.KINDS).
NARRATIVE_KINDS = {"narrative-no-year": "warning", "narrative-skipped": "info", "post-unsplit": "warning"}


@dataclass(frozen=True)
class Statement:
    """One statement of a narrative document (see the module docstring for kinds and keys)."""

    kind: str
    year: int | None
    chapter: str | None
    section: str | None
    key: str
    title: str | None
    text: str
    subject: str | None
    lines: tuple[int, int]
    self_building: bool = False


@dataclass(frozen=True)
class PostMention:
    """A person named with a post: 晋江市商务局局长蔡伟达 → 蔡伟达, 局长, 商务局.

    ``unit`` is written without the 晋江市 prefix, except where the rest would not name a
    unit on its own (晋江市人民政府 → 市人民政府, 晋江市委政法委 → 市委政法委). Deputies named
    without a body (``（人大代表许清心）``) are given ``市人大`` / ``市政协``. ``line`` is the
    line of the person's name.
    """

    person: str
    post: str
    unit: str
    sentence: str
    line: int


@dataclass(frozen=True)
class NarrativeResult:
    """The statements, officials and findings of one narrative document.

    ``year`` is the year the document reports on (its review or results year), ``issued``
    the ISO date it was given where the text says.
    """

    file: str
    sha256: str
    kind: str
    title: str | None
    issued: str | None
    year: int | None
    statements: tuple[Statement, ...]
    officials: tuple[PostMention, ...]
    findings: tuple[Finding, ...]
    government: str | None = None


# --- text helpers -------------------------------------------------------------------------

_TERMINATORS = set("。；;！!？?")
_CLOSERS = set("”’」』）)")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_NUMERALS = "一二三四五六七八九十"
_END_RE = re.compile(r"[。！？!?：:][”’」』）)]*$")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年?")
_BYLINE_RE = re.compile(r"^(本报|见习)?记者\s")
#: The part markers of a reading: the goal, the path to it, the reportage.
_MARKERS = ("目标蓝图", "实施路径", "会场内外")


def sentences(text: str) -> list[str]:
    """``text`` cut after each 。；！？ (full- or half-width); quotes “…” are never cut.

    Closing quotes and brackets right after the mark stay with the sentence; joining the
    pieces gives ``text`` back exactly.

    Examples
    --------
    >>> sentences("他说：“好。走吧！”我们走了。再见")
    ['他说：“好。走吧！”我们走了。', '再见']
    """
    out: list[str] = []
    start = depth = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(depth - 1, 0)
        elif ch in _TERMINATORS and depth == 0:
            i += 1
            while i < n and (text[i] in _TERMINATORS or text[i] in _CLOSERS):
                i += 1
            out.append(text[start:i])
            start = i
            continue
        i += 1
    if start < n:
        out.append(text[start:])
    return out


def _clean(line: str) -> str:
    """A line's text: bold markers and the extraction's spaces removed (see clean_text)."""
    return clean_text(line.replace("**", ""))


def _heading(line: str) -> str:
    """A heading as written: bold markers gone, spaces collapsed, （一） full-width and tight."""
    s = re.sub(r"\s+", " ", line.replace("**", "")).strip()
    return re.sub(rf"^[（(]\s*([{_NUMERALS}]+)\s*[)）]\s*", r"（\1）", s)


def _join(lines: list[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """Lines (number, raw text) rejoined into one text, with (offset, line number) of each piece."""
    text, starts = "", []
    for no, raw in lines:
        piece = _clean(raw)
        if not piece:
            continue
        if text and text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
            text += " "
        starts.append((len(text), no))
        text += piece
    return text, starts


def _line_at(starts: list[tuple[int, int]], offset: int) -> int:
    line = starts[0][1] if starts else 0
    for off, no in starts:
        if off > offset:
            break
        line = no
    return line


def _numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), start=1))


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Non-blank lines grouped into paragraphs across the extraction's line and page breaks.

    A paragraph ends after a line ending in 。！？： (a closing quote or bracket may follow),
    or in a closing bracket before a blank line; a page break (a blank line) after a line
    that ends mid-sentence does not end it.
    """
    out: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for i, (no, raw) in enumerate(lines):
        s = _clean(raw)
        if not s:
            continue
        if s in _MARKERS:  # a digest's part marker (实施路径) is a paragraph of its own
            if current:
                out.append(current)
            out.append([(no, raw)])
            current = []
            continue
        current.append((no, raw))
        blank_next = i + 1 < len(lines) and not lines[i + 1][1].strip()
        if _END_RE.search(s) or (blank_next and s[-1] in "）)"):
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _lead(text: str, limit: int = 30) -> str | None:
    """The lead phrase: the first sentence without its mark, if it is short enough to be one."""
    first = sentences(text)[0] if text else ""
    first = first.rstrip("".join(_TERMINATORS))
    return first if first and len(first) <= limit and first != text else None


class _Collector:
    """Statements and findings of one document as they are read."""

    def __init__(self):
        self.statements: list[Statement] = []
        self.findings: list[Finding] = []

    def add(self, kind, year, chapter, section, key, title, lines, text, subject=None, self_building=False):
        if not text:
            return
        span = (lines[0][0], lines[-1][0])
        self.statements.append(Statement(kind, year, chapter, section, key, title, text, subject, span,
                                         self_building))
        if year is None:
            self.findings.append(Finding("narrative-no-year", "warning",
                                         f"statement {key} ({kind}) states no year; its year is left empty",
                                         lines=span, evidence=(text[:40],)))

    def skip(self, lines, what: str):
        if not lines:
            return
        span = (lines[0][0], lines[-1][0])
        first = next((_clean(raw) for _, raw in lines if _clean(raw)), "")
        self.findings.append(Finding("narrative-skipped", "info", f"lines {span[0]}–{span[1]} skipped: {what}",
                                     lines=span, evidence=(first[:40],)))


# --- the work report ----------------------------------------------------------------------

_CHAPTER_RE = re.compile(rf"^\s*([{_NUMERALS}]{{1,3}})、\s*(\S.{{0,60}})$")
#: The markers a paragraph can open with, from the highest level: 一、 （一） 1、/1./（1） 第一， ——.
_MARKER_RES = (
    ("cn", re.compile(rf"^([{_NUMERALS}]{{1,3}})、\s*(\S.*)$")),
    ("paren", re.compile(rf"^[（(]([{_NUMERALS}]{{1,3}})[)）]\s*(\S.*)$")),
    ("num", re.compile(r"^(\d{1,2})\s*[、．.﹒](?![\d%])\s*(\S.*)$")),
    ("num", re.compile(r"^[（(](\d{1,2})[)）]\s*(\S.*)$")),
    ("ordinal", re.compile(rf"^第([{_NUMERALS}]{{1,3}})[，,、]\s*(\S.*)$")),
    ("ordinal", re.compile(rf"^([{_NUMERALS}]{{1,3}})是(?=[{_CJK}“])(.*)$")),
    ("dash", re.compile(r"^()——\s*(\S.*)$")),
)
_GLOSSARY_RE = re.compile(r"^\s*(?:\*\*)?\s*(?:(?:附\s*注|注\s*释|名词解释|名词注解|名词注释)\s*[:：]?\s*(?:\*\*)?\s*$"
                          r"|附\s*件\s*[:：\d]|附\s*件\s*$)")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TARGETS_RE = re.compile(r"(主要预期目标|预期目标|主要目标)[是为：:]")
#: What a chapter heading says of its chapter: a review of past years, an outlook over several
#: years (or the general requirements), the government's own building, else planned work.
_SELF_RE = re.compile(r"政府自身|自身建设|服务型政府|人民满意|满意政府|为民务实清廉|政府治理|公信力|执行力|政府建设|改进工作作风")
_REVIEW_RE = re.compile(r"回顾|过去|以来|五年来|一年来|本届政府工作$")
_OUTLOOK_RE = re.compile(r"今后五年|未来五年|今后一个时期|时期|远景|总体要求|总体思路|思路目标|奋斗目标|战略重点|“十.五”")
#: Words that make a chapter heading of the first rank (else the unnumbered headings are).
_PART_RE = re.compile(r"回顾|工作安排|主要任务|重点工作|主要工作|工作任务|目标任务|预期目标|主要措施|目标和")
_ADDRESS = "各位代表"
#: Thanks and shortcomings: what a review says besides its results.
_ASIDE_RE = re.compile(r"感谢|谢意|致以|敬意|清醒|不足|差距|短板|困难和问题|问题和挑战")
_THANKS_RE = re.compile(r"感谢|谢意|致以.{0,20}敬意")
#: The opening of the shortcomings (在看到成绩的同时，我们也清醒地认识到…).
_SHORTFALL_RE = re.compile(r"清醒|问题和不足|不足和问题|差距和不足|困难和问题|问题和短板")
#: A title phrase: a paragraph's first sentence, ending in 。, at most this long.
_TITLE_LIMIT = 30
#: Words of a statement, not of a title phrase (服务业是经济转型升级的突破口。 is a sentence;
#: 新征程新使命，对政府自身建设提出了更高要求。 opens a chapter).
_NOT_TITLE_RE = re.compile(r"是|我市|必须|今年|当前|目前|^20\d\d年|提出.{0,6}要求")


def _numeral(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20 (the numbers of chapters and sections)."""
    digits = {c: i for i, c in enumerate(_NUMERALS[:9], start=1)}
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return digits.get(s, 0)
    tens, _, ones = s.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def _is_chapter(line: str) -> re.Match | None:
    m = _CHAPTER_RE.match(_heading(line))
    return m if m and "。" not in m.group(2) else None


@dataclass
class _Para:
    """One paragraph of a report: its lines, its text, and the marker it opens with."""

    lines: list[tuple[int, str]]
    text: str
    marker: str | None = None  # "cn", "paren", "num", "ordinal", "dash"
    number: int = 0
    rest: str = ""  # the text after the marker
    label: str = ""  # the marker as written, normalised: （二）, 三、, ——
    key: str = ""

    @property
    def heading_only(self) -> bool:
        """A marker line with no sentence after its title (（二）突出重点，大力推进服务业)."""
        return "。" not in self.rest.rstrip("。") and len(self.rest) <= 45

    @property
    def plain_heading(self) -> bool:
        """An unnumbered heading: one short line without a sentence mark (**2019年工作回顾**)."""
        s = self.text
        return (len(self.lines) == 1 and self.marker is None and 2 <= len(s) <= 40
                and not re.search(r"[。；;，,：:！!？?]", s) and not s.startswith(("——", "---", "[", "（", "(")))


def _para(lines: list[tuple[int, str]]) -> _Para:
    """A paragraph from its lines, with the marker it opens with, if any."""
    text = _join(lines)[0]
    p = _Para(lines, text)
    for name, rx in _MARKER_RES:
        m = rx.match(text)
        if m:
            p.marker, p.number, p.rest = name, _numeral(m.group(1)) if m.group(1) else 0, m.group(2)
            p.label = {"cn": f"{m.group(1)}、", "paren": f"（{m.group(1)}）",
                       "ordinal": f"第{m.group(1)}，" if text.startswith("第") else f"{m.group(1)}是",
                       "dash": "——"}.get(name, "")
            break
    return p


def _report_paragraphs(lines: list[tuple[int, str]], markdown: bool) -> list[_Para]:
    """The report's paragraphs. In Markdown a blank line ends one; in extracted text (a PDF's
    lines, page breaks as blank lines) a line ending in 。！？：, a heading, or a closing bracket
    before a blank line does, so a sentence cut by a page break stays whole."""
    out: list[_Para] = []
    current: list[tuple[int, str]] = []
    for i, (no, raw) in enumerate(lines):
        s = _clean(raw)
        if not s:
            if markdown and current:
                out.append(_para(current))
                current = []
            continue
        current.append((no, raw))
        blank_next = i + 1 < len(lines) and not lines[i + 1][1].strip()
        if (_END_RE.search(s) or _is_chapter(raw) or (blank_next and s[-1] in "）)")
                or (blank_next and len(current) == 1 and len(s) <= 40)):
            out.append(_para(current))
            current = []
    if current:
        out.append(_para(current))
    return out


def _front_matter(lines: list[tuple[int, str]]) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """A Markdown report's YAML front matter (``---`` … ``---``) as plain ``key: value`` pairs,
    and the lines after it."""
    if not lines or lines[0][1].strip() != "---":
        return {}, lines
    for i in range(1, len(lines)):
        if lines[i][1].strip() == "---":
            fields = {}
            for _, raw in lines[1:i]:
                key, sep, value = raw.partition(":")
                if sep and key.strip().isidentifier():
                    fields[key.strip()] = value.strip().strip("'\"")
            return fields, lines[i + 1:]
    return {}, lines


def _title_phrase(text: str) -> str | None:
    """A titled paragraph's title: its first sentence if it ends in 。, is short, and the
    paragraph goes on (优化二产结构，在转型升级上下功夫。实施… → 优化二产结构，在转型升级上下功夫)."""
    first = sentences(text)[0] if text else ""
    if not first.endswith("。") or first == text:
        return None
    first = first[:-1]
    if _NOT_TITLE_RE.search(first):
        return None
    return first if 2 <= len(first) <= _TITLE_LIMIT else None


def _years(s: str) -> list[int]:
    """The years a heading names (2015年和“十二五” → [2015])."""
    return [int(y) for y in re.findall(r"((?:19|20)\d{2})年", s.replace(" ", ""))]


@dataclass
class _Chapter:
    """A chapter of a report: its heading, paragraphs, role and the year it speaks of."""

    heading: str
    number: int
    paras: list[_Para]
    role: str = "plan"  # "review", "outlook", "plan", "self"
    year: int | None = None


def _chapter_role(heading: str, report_year: int | None) -> str:
    """"review", "outlook", "self" or "plan", by what a chapter heading says (see _roles)."""
    h = heading.replace(" ", "")
    if _SELF_RE.search(h):
        return "self"
    if _REVIEW_RE.search(h):
        return "review"
    if re.search("今年|明年", h) and re.search("工作安排|重点工作|主要任务|重点任务|工作任务", h):
        return "plan"  # 二、未来五年总体考虑和今年政府工作安排
    years = set(_years(h))
    if len(years) == 1 and report_year and min(years) < report_year:
        return "review"  # 一、迎难而上、拼搏实干，2022年迈出坚实步伐 in the report for 2023
    if len(years) == 1 and (not re.search("总体要求|总体思路", h) or re.search("主要任务|重点任务|工作安排|目标任务", h)):
        return "plan"
    if _OUTLOOK_RE.search(h) and "开局" not in h:
        return "outlook"
    return "plan"


class _ReportReader:
    """Reads one work report's chapters into statements (see :func:`_parse_work_report`)."""

    def __init__(self, out: _Collector, markdown: bool):
        self.out, self.markdown = out, markdown
        self.pending: tuple[list[tuple[int, str]], str] | None = None

    # skipped paragraphs in a row, for the same reason, make one finding
    def skip(self, p: _Para, why: str) -> None:
        if self.pending and self.pending[1] == why:
            self.pending[0].extend(p.lines)
        else:
            self.flush()
            self.pending = (list(p.lines), why)

    def flush(self) -> None:
        if self.pending:
            self.out.skip(*self.pending)
            self.pending = None

    def add(self, kind, year, ch: _Chapter, section, key, title, paras: list[_Para], text=None, self_building=False):
        self.flush()
        lines = [ln for p in paras for ln in p.lines]
        text = text if text is not None else _join(lines)[0]
        self.out.add(kind, year, ch.heading, section, key, title, lines, text, self_building=self_building)

    def targets(self, ch: _Chapter, paras: list[_Para], i: int, key: str, year) -> int:
        """The main-targets paragraph at ``paras[i]`` with the list lines that follow it (地区生产总值
        增长8.5%；…), as one statement; returns the index after it."""
        p = paras[i]
        group = [p]
        if p.text.endswith(("：", ":")):
            j = i + 1
            while (j < len(paras) and paras[j].marker is None and len(paras[j].text) <= 100
                   and (j == i + 1 or paras[j - 1].text[-1] in "；;")):
                group.append(paras[j])
                j += 1
        m = _TARGETS_RE.search(p.text)
        lead = re.split(r"[。；，,]", p.text[:m.end(1)])[-1]
        text = "".join(g.text for g in group)
        self.add("plan", year, ch, None, key, lead if len(lead) <= 20 else None, group, text)
        return i + len(group)

    def review(self, ch: _Chapter) -> None:
        """A review chapter: one result for its opening and one per section paragraph, titled
        paragraph or numbered item (Jinjiang's way, a chapter without sections: the opening,
        then each 一年来 paragraph running on to the next). Thanks and shortcomings (an address
        to the deputies that gives them, and what follows it up to the next titled or numbered
        paragraph) are skipped; an address that reviews (各位代表！过去一年，…) is a result."""
        paras = ch.paras
        jinjiang = (sum(1 for p in paras if p.text.startswith("一年来") and not _is_intro(p)) >= 2
                    and not any(p.marker in ("cn", "paren") for p in paras))
        n = 0
        sec, section = 0, None
        current: list[_Para] | None = None
        in_address = False
        address = "the address to the deputies (thanks, shortcomings), not a result"

        def close():
            nonlocal current
            if current:
                text = _join([ln for p in current for ln in p.lines])[0]
                body = re.sub(r"^一年来[，,]\s*(我们)?", "", text)
                title = _lead(body) if body != text else None
                self.add("result", ch.year, ch, section, current[0].key, title, current, text)
            current = None

        for p in paras:
            if p.text.startswith(_ADDRESS) and (jinjiang or _ASIDE_RE.search(p.text)):
                close()
                in_address = True
                self.skip(p, address)
                continue
            if not jinjiang and not p.marker and (_SHORTFALL_RE.search(p.text[:60]) or _THANKS_RE.search(p.text)):
                self.skip(p, address)
                continue
            if jinjiang:
                if p.text.startswith("一年来") or (current is None and not in_address):
                    close()
                    in_address = False
                    n += 1
                    current = [p]
                    p.key = f"{ch.number}.0.{n}"
                elif in_address:
                    self.skip(p, address)
                else:
                    current.append(p)
                continue
            if p.marker in ("cn", "paren", "ordinal", "dash") and p.heading_only:
                sec, section, n = sec + 1, _section_label(p), 0  # counted: a review may run 一… twice
                in_address = False
                continue
            text = p.rest if p.marker else p.text
            if in_address and not (p.marker or _title_phrase(text)):
                self.skip(p, address)
                continue
            in_address = False
            if _is_intro(p):
                self.skip(p, "an introduction to a list, not a result")
                continue
            if p.marker in ("cn", "paren", "ordinal") and p.rest:
                sec, section, n = sec + 1, _section_label(p), 0
            n += 1
            self.add("result", ch.year, ch, section, f"{ch.number}.{sec}.{n}", _title_phrase(text), [p], text)
        close()

    def outlook(self, ch: _Chapter) -> None:
        """An outlook over several years or the year's general requirements: skipped, but for
        the targets paragraph of a chapter that names one year (二、2014年工作总体要求)."""
        years = set(_years(ch.heading))
        for i, p in enumerate(ch.paras):
            if len(years) == 1 and _is_targets(p, ch.paras[i + 1] if i + 1 < len(ch.paras) else None):
                self.targets(ch, ch.paras, i, f"{ch.number}.0.1", years.pop())
                years = set()
            else:
                self.skip(p, "an outlook over several years or the general requirements, not the year's items")

    def plan(self, ch: _Chapter, self_building: bool) -> None:
        """A plan chapter: the targets paragraph, then the planned items of each section. Where
        the targets come after sections (二、今后五年的目标任务和2023年工作安排: five years' sections,
        then the year's targets and sections), what comes before them is the outlook."""
        paras = ch.paras
        t = next((i for i, p in enumerate(paras) if _is_targets(p, paras[i + 1] if i + 1 < len(paras) else None)), None)
        if t is not None and any(p.marker in ("cn", "paren", "ordinal", "dash") for p in paras[:t]):
            for p in paras[:t]:
                self.skip(p, "an outlook over several years or the general requirements, not the year's items")
            paras = paras[t:]
        present = {p.marker for p in paras}
        level = next((m for m in ("cn", "paren", "ordinal", "dash") if m in present), None)
        item_markers = {"cn": ("paren", "num"), "paren": ("num",), "ordinal": ("num",), "dash": ("num",),
                        None: ("num",)}[level]
        segments: list[tuple[_Para | None, list[_Para]]] = [(None, [])]
        for p in paras:
            if level is not None and p.marker == level:
                segments.append((p, []))
            else:
                segments[-1][1].append(p)
        counters: dict[int, int] = {}

        def key(sec: int) -> str:
            counters[sec] = counters.get(sec, 0) + 1
            return f"{ch.number}.{sec}.{counters[sec]}"

        for position, (head, body) in enumerate(segments):
            # —— sections have no number of their own, and a chapter may number two runs of sections
            sec = (head.number if head.number and head.number not in counters else position) if head else 0
            section = _section_label(head) if head else None
            mark = self_building or bool(section and _SELF_RE.search(section))
            if head is None:
                # before the first section: the chapter's opening and the targets paragraph; in a
                # chapter without sections, the items after them
                t = next((i for i, p in enumerate(body) if _is_targets(p, body[i + 1] if i + 1 < len(body) else None)),
                         None)
                opening = "the opening of a chapter, not a planned item or the targets"
                if t is not None:
                    for p in body[:t]:
                        self.skip(p, _address_or(p, opening))
                    body = body[self.targets(ch, body, t, key(0), ch.year):]
                if len(segments) > 1:
                    for p in body:
                        self.skip(p, _address_or(p, opening))
                    continue
            if not body:
                if head is not None and not head.heading_only:
                    self.add("plan", ch.year, ch, section, key(sec), _section_title(head), [head], head.rest,
                             self_building=mark)
                continue
            events = self.items(body, item_markers, self.markdown)
            if head is not None and not head.heading_only and (len(head.rest) > 200 or not any(
                    e[0] == "item" and (e[2] or e[1][0].marker in item_markers) for e in events)):
                # a section that runs as text (（八）…。与此同时…): its own text is its first item
                events.insert(0, ("item", [head], _section_title(head)))
            for what, group, extra in events:
                own = mark
                if what == "skip":
                    self.skip(group[0], extra)
                    continue
                text = _join([ln for p in group for ln in p.lines])[0]
                if group[0].marker in item_markers or group[0] is head:  # its number is no part of its text
                    text = text[len(group[0].text) - len(group[0].rest):]
                if what == "own":  # the closing address on the government's own building: no section's
                    body = re.sub(rf"^{_ADDRESS}[！!，,：:]\s*", "", text)
                    self.add("plan", ch.year, ch, None, key(sec), _lead(body), group, text, self_building=True)
                    continue
                self.add("plan", ch.year, ch, section, key(sec), extra or _lead(text), group, text,
                         self_building=own)

    @staticmethod
    def items(body: list[_Para], markers: tuple[str, ...], markdown: bool):
        """The planned items of a section's paragraphs, in order, as ("item", paragraphs, title)
        ("own", …) a self-building item, or ("skip", [paragraph], why): each numbered item with the paragraphs it runs on into (in
        Markdown, where paragraphs are the author's, only one cut mid-sentence: each other
        paragraph after an item is an item); else each titled paragraph (and any untitled one after the first); else each
        paragraph. What comes before the first item is the section's opening; from an address to
        the deputies (各位代表，…) on, nothing is an item."""
        out: list[tuple[str, list[_Para], str | None]] = []
        started = False
        address = next((i for i, p in enumerate(body) if p.text.startswith(_ADDRESS)
                        and any(q.marker in markers or _title_phrase(q.text) for q in body[:i])), None)
        closing = body[address:] if address is not None else []
        body = body[:address]
        if any(p.marker in markers and p.number == 1 for p in body):
            expected = 1
            for p in body:
                if p.marker in markers and p.number == expected:
                    expected += 1
                    out.append(("item", [p], None))
                elif out and out[-1][0] == "item" and (not markdown or not _END_RE.search(out[-1][1][-1].text)
                                                       or len(out[-1][1]) == 1 and len(out[-1][1][0].rest) <= 40):
                    # the item runs on: over a page break, after a title on its own, or cut mid-sentence
                    out[-1][1].append(p)
                elif out and out[-1][0] == "item":
                    out.append(("item", [p], _title_phrase(p.text)))
                else:
                    out.append(("skip", [p], "the opening of a section, not a planned item"))
            return out + _closing(closing)
        titled = any(_title_phrase(p.text) for p in body)
        for p in body:
            if p.text.startswith(_ADDRESS) or _is_intro(p) or (titled and not started and not _title_phrase(p.text)):
                out.append(("skip", [p], "the opening of a section, not a planned item"))
            else:
                started = True
                out.append(("item", [p], _title_phrase(p.text)))
        return out + _closing(closing)


def _is_targets(p: _Para, after: _Para | None = None) -> bool:
    """The paragraph of the year's main targets: 主要预期目标是：地区生产总值增长6%左右…, or one
    ending 主要预期目标是： before their list (``after``, the paragraph that follows)."""
    m = _TARGETS_RE.search(p.text)
    rest = p.text[m.end():].strip("：: ") if m else ""
    return bool(m and (re.search(r"\d", rest) or (not rest and after is not None and re.search(r"\d", after.text))))


def _closing(paras: list[_Para]) -> list[tuple[str, list[_Para], str | None]]:
    """The closing address of a plan part: skipped, but for a paragraph on the government's own
    building (各位代表，奋进新征程…对政府自身建设提出了新的更高要求。我们要…), a self-building item."""
    return [("own", [p], None) if _SELF_RE.search(p.text[:80]) else ("skip", [p], "the address to the deputies")
            for p in paras]


def _section_title(p: _Para) -> str:
    """A section's title: the first sentence after its marker, without its mark."""
    return sentences(p.rest)[0].rstrip("".join(_TERMINATORS)) if p.rest else ""


def _section_label(p: _Para) -> str:
    """A section as written: its marker and title (（一）着力实施扩大内需战略)."""
    return f"{p.label}{_section_title(p)}"


def _is_intro(p: _Para) -> bool:
    """A short paragraph that introduces what follows (重点抓好以下工作：)."""
    return p.marker is None and p.text.endswith(("：", ":")) and len(p.text) <= 60


def _address_or(p: _Para, why: str) -> str:
    """Why a paragraph is skipped: ``why``, unless it is an address to the deputies."""
    return "the address to the deputies" if p.text.startswith(_ADDRESS) else why


def _report_year(title: str | None, issued: str | None) -> int | None:
    """The year a report plans for when no heading says: the one its title names (2012年东莞市
    政府工作报告), else the year it was given in (the next one if given in November or December)."""
    if title:
        years = _years(_DATE_RE.sub("", title))
        if years:
            return years[0]
    if issued:
        year, month = int(issued[:4]), int(issued[5:7])
        return year + 1 if month >= 11 else year
    return None


_GOVERNMENT_RE = re.compile(rf"([{_CJK}]{{2,14}}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))(?:人民)?政府工作报告")


def _government(title: str | None) -> str | None:
    """The government a report's title names (三明市政府工作报告（…） → 三明市)."""
    m = _GOVERNMENT_RE.search(re.sub(r"\d{4}年", "", title or ""))
    return re.split("关于|会议|人民代表大会", m.group(1))[-1] or None if m else None


def _chapters(paras: list[_Para], start: int) -> list[_Chapter]:
    """The report's chapters from ``paras[start]`` on. Numbered headings (一、2023年工作回顾) are
    the chapters where one of them names a part of a report, or where they run from 一 and no
    unnumbered heading naming a part comes first (一、牢记嘱托砥砺奋进…); else the unnumbered headings
    (**2019年工作回顾**) are, two in a row making one (岳阳's 全面建成小康社会 / 岳阳阔步迈上…)."""
    body = paras[start:]
    numbered = [i for i, p in enumerate(body) if len(p.lines) == 1 and _is_chapter(p.lines[0][1])]
    parts = [i for i, p in enumerate(body) if p.plain_heading and _PART_RE.search(p.text.replace(" ", ""))]
    if any(_PART_RE.search(body[i].text.replace(" ", "")) for i in numbered) or (
            len(numbered) >= 2 and _numeral(_is_chapter(body[numbered[0]].lines[0][1]).group(1)) == 1
            and not (parts and parts[0] < numbered[0])):
        heads = numbered
    else:
        heads = [i for i, p in enumerate(body) if p.plain_heading]
    chapters: list[_Chapter] = []
    last = -2
    for i, p in enumerate(body):
        if i in heads:
            if i == last + 1 and chapters and not chapters[-1].paras:
                chapters[-1].heading += " " + _heading(p.text)
            else:
                number = _numeral(_is_chapter(p.lines[0][1]).group(1)) if heads is numbered else len(chapters) + 1
                chapters.append(_Chapter(_heading(_join(p.lines)[0]) if heads is not numbered else _heading(p.lines[0][1]),
                                         number, []))
            last = i
        elif chapters:
            chapters[-1].paras.append(p)
    return chapters


def _roles(chapters: list[_Chapter], title: str | None, issued: str | None) -> None:
    """Each chapter's role and year. A heading that says neither is read by its first
    paragraph; a plan chapter naming no year plans the year of the one before, else the year
    the report plans for; a review without a year reviews the year before it."""
    report_year = _report_year(title, issued)
    for ch in chapters:
        h = ch.heading.replace(" ", "")
        if _SELF_RE.search(h) or _REVIEW_RE.search(h) or _OUTLOOK_RE.search(h) or _years(h) or _PART_RE.search(h):
            ch.role = _chapter_role(h, report_year)
        else:
            first = ch.paras[0].text[:80] if ch.paras else ""
            ch.role = ("review" if re.search("过去|以来|一年来|五年来", first) and not re.search("今后|未来", first)
                       else "outlook" if re.search("今后五年|未来五年", first) else "plan")
        years = _years(h)
        ch.year = (max(years) if ch.role == "review" else years[0]) if years and ch.role != "outlook" else None
    plan_year = next((ch.year for ch in chapters if ch.role == "plan" and ch.year), None)
    review_year = next((ch.year for ch in chapters if ch.role == "review" and ch.year), None)
    if plan_year is None:
        plan_year = review_year + 1 if review_year else report_year
    year = plan_year
    for ch in chapters:
        if ch.role == "review":
            ch.year = ch.year or (plan_year - 1 if plan_year else None)
        elif ch.role in ("plan", "self"):
            ch.year = ch.year or year
            year = ch.year


def _parse_work_report(lines: list[tuple[int, str]], out: _Collector) -> dict:
    """A work report: the review chapter's results, the plan chapters' items, the targets
    paragraph, the self-building chapter's items; what does not fit is skipped and counted."""
    front, body = _front_matter(lines)
    paras = _report_paragraphs(body, markdown=bool(front))
    end = next((i for i, p in enumerate(paras) if _GLOSSARY_RE.match(p.text) or p.text.strip() == "---"), len(paras))
    glossary, paras = paras[end:], paras[:end]
    address = next((i for i, p in enumerate(paras) if p.text.startswith(_ADDRESS)), None)
    if address is None:
        address = next((i for i, p in enumerate(paras) if len(p.lines) == 1 and _is_chapter(p.lines[0][1])), 0)
    preamble = [p.text for p in paras[:address]]
    title = front.get("title") or next(
        (p.lstrip("《").rstrip("》") for p in preamble if p.endswith(("工作报告", "工作报告》"))), None)
    date = next((m for m in map(_DATE_RE.search, [front.get("title", "")] + preamble) if m), None)
    issued = f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}" if date else None
    chapters = _chapters(paras, address)
    _roles(chapters, title, issued)
    reader = _ReportReader(out, markdown=bool(front))
    for ch in chapters:
        if ch.role == "review":
            reader.review(ch)
        elif ch.role == "outlook":
            reader.outlook(ch)
        else:
            reader.plan(ch, self_building=ch.role == "self")
    reader.flush()
    if glossary:
        terms = sum(1 for p in glossary[1:] if re.match(r"^\s*(\(P\d+\)|（P\d+）|\[\d+\]|［\d+］)", p.text))
        out.skip([ln for p in glossary for ln in p.lines], f"the glossary ({glossary[0].text.strip('*-：: ') or 'notes'}), {terms} terms")
    review = next((ch.year for ch in chapters if ch.role == "review"), None)
    year = review or (int(front["year"]) if front.get("year", "").isdigit() else None)
    if year is None:
        plan = next((ch.year for ch in chapters if ch.role in ("plan", "self") and ch.year), None)
        year = plan - 1 if plan else (int(issued[:4]) if issued else None)
    return {"title": title, "issued": issued, "year": year,
            "government": front.get("government") or _government(title)}


# --- digests ------------------------------------------------------------------------------

_RESULT_WORDS = ("过去", "取得", "成效", "成绩", "荣誉", "回顾")
_BULLET_RE = re.compile(r"^\s*(?:[-•·*]\s*|\d{1,2}\s*[.．、](?!\d)\s*)")


def _is_question(s: str) -> bool:
    return len(s) <= 60 and s[-1] in "?？!！"


def _parse_reading(lines: list[tuple[int, str]], out: _Collector) -> dict:
    """A reading of a report: 目标蓝图 / 实施路径 / 会场内外 parts."""
    paras = _paragraphs(lines)

    def marker(p):
        return _clean(p[0][1]) if len(p) == 1 and _clean(p[0][1]) in _MARKERS else None

    role: list[str | None] = [None] * len(paras)
    path_no = 0
    keys: dict[int, str] = {}
    for i, p in enumerate(paras):
        if marker(p) != "实施路径":
            continue
        path_no += 1
        if i > 0 and marker(paras[i - 1]) is None and role[i - 1] is None:
            role[i - 1], keys[i - 1] = "goal", f"{path_no}.0"
        role[i] = "marker"
        n = 0
        for j in range(i + 1, len(paras)):
            nxt_is_path = j + 1 < len(paras) and marker(paras[j + 1]) == "实施路径"
            if marker(paras[j]) or nxt_is_path:
                break
            n += 1
            role[j], keys[j] = "plan", f"{path_no}.{n}"
    skipped: list[tuple[int, str]] = []
    for i, p in enumerate(paras):
        if role[i] in ("goal", "plan"):
            out.skip(skipped, "reportage, proposals or headlines, not goals or planned work")
            skipped = []
            text = _join(p)[0]
            out.add(role[i], None, None, None, keys[i], _lead(text, 16) if role[i] == "plan" else None, p, text)
        elif role[i] is None and marker(p) != "目标蓝图":
            skipped.extend(ln for ln in p if not _BYLINE_RE.match(ln[1].strip()))
        elif skipped and marker(p) == "目标蓝图":
            out.skip(skipped, "reportage, proposals or headlines, not goals or planned work")
            skipped = []
    out.skip(skipped, "reportage, proposals or headlines, not goals or planned work")
    title = "政府工作报告解读" if any("政府工作报告解读" in _clean(r) for _, r in lines) else None
    return {"title": title, "issued": None, "year": None}


def _parse_qa(lines: list[tuple[int, str]], out: _Collector) -> dict:
    """A digest in question-and-answer form: questions, lists under them, 划重点 sub-headings."""
    body = [(no, raw) for no, raw in lines if _clean(raw) and not _BYLINE_RE.match(raw.strip())]
    # a single line without a mark, followed by a long paragraph, is a heading too
    heads: set[int] = set()
    for i, (no, raw) in enumerate(body):
        s = _clean(raw)
        if _is_question(s):
            heads.add(i)
        elif (i + 1 < len(body) and not _END_RE.search(s) and not _BULLET_RE.match(raw) and len(s) <= 20
              and len(_clean(body[i + 1][1])) > 40 and _clean(body[i + 1][1]).endswith("。")
              and (i == 0 or not lines[body[i][0] - 2][1].strip())):
            heads.add(i)
    first_head = min(heads) if heads else len(body)
    title = None
    if first_head > 0:
        title = _heading(body[0][1])
        if first_head > 1:
            out.skip(body[1:first_head], "text before the first question")
    chapters = [(i, _heading(body[i][1])) for i in sorted(heads)]

    def is_result(h: str) -> bool:
        return any(w in h for w in _RESULT_WORDS)

    def year_of(h: str) -> int | None:
        ys = [int(y) for y in _YEAR_RE.findall(h.replace(" ", ""))]
        return ys[0] if ys else None

    goal_year = next((year_of(h) for _, h in chapters if not is_result(h) and year_of(h)), None)
    if goal_year is None and title:
        goal_year = year_of(title)
    result_year = next((year_of(h) for _, h in chapters if is_result(h) and year_of(h)), None)
    if result_year is None and goal_year is not None:
        result_year = goal_year - 1

    for q, (start, heading) in enumerate(chapters, start=1):
        end = chapters[q][0] if q < len(chapters) else len(body)
        kind = "result" if is_result(heading) else "goal"
        year = year_of(heading) or (result_year if kind == "result" else goal_year)
        sec, section, n = 0, None, 0
        for no, raw in body[start + 1:end]:
            s = _clean(raw)
            if s.endswith((":", "：")) or (len(s) <= 4 and re.fullmatch(f"[{_CJK}]+", s)):
                sec, section, n = sec + 1, _heading(raw).rstrip(":："), 0
                continue
            n += 1
            text = _clean(_BULLET_RE.sub("", raw, count=1)) or s
            out.add(kind, year, heading, section, f"{q}.{sec}.{n}", None, [(no, raw)], text)
    meta_year = result_year if any(is_result(h) for _, h in chapters) else goal_year
    return {"title": title, "issued": None, "year": meta_year}


# --- plans of towns and bureaus -----------------------------------------------------------

_SUBJECT_RE = re.compile(rf"^\s*(?:晋江市)?([{_CJK}]{{1,10}}?(?:街道|镇|乡|局|委|办))\s*[：:]\s*(\S.*)$")


def _subject_heading(raw: str) -> re.Match | None:
    m = _SUBJECT_RE.match(raw)
    return m if m and len(raw.strip()) <= 50 and "。" not in raw else None


def _parse_plans(lines: list[tuple[int, str]], out: _Collector) -> dict:
    subject = section = None
    block: list[tuple[int, str]] = []
    before: list[tuple[int, str]] = []

    def flush():
        for n, para in enumerate(_paragraphs(block), start=1):
            text = _join(para)[0]
            out.add("priority", None, None, section, f"{subject}.{n}", _lead(text, 20), para, text, subject=subject)

    for no, raw in lines:
        if _BYLINE_RE.match(raw.strip()):
            continue
        m = _subject_heading(raw)
        if m:
            if subject:
                flush()
            subject, section, block = m.group(1), _heading(m.group(2)), []
            continue
        if subject is None:
            if raw.strip():
                before.append((no, raw))
        else:
            block.append((no, raw))
    if subject:
        flush()
    out.skip(before, "text before the first town's or bureau's heading")
    return {"title": None, "issued": None, "year": None}


# --- officials ----------------------------------------------------------------------------

#: Posts, longest first so 副局长 wins over 局长 and 党委书记 over 书记.
POSTS = tuple(sorted(
    """党工委书记 党委书记 党组书记 副书记 书记 常务副市长 副市长 市长 副镇长 镇长 副局长 局长 副主任 主任
    副院长 院长 副校长 校长 董事长 总经理 副会长 会长 副主席 主席 人大代表 政协委员 所长 站长""".split(),
    key=len, reverse=True))
_POST_RE = re.compile("|".join(POSTS))
_MORE_POST_RE = re.compile(f"、({_POST_RE.pattern})")
_UNIT_SUFFIX_RE = re.compile(r"(局|委|院|政府|街道|镇|办|办事处|中心|公司|集团|学校|医院|所|站|队|会|部|处|社区|村)$")
#: Posts of bodies often named by a short form without a suffix (世晋青会长).
_LOOSE_POSTS = ("会长", "副会长")
_DEPUTIES = {"人大代表": "市人大", "政协委员": "市政协"}
_SPEECH = ("表示", "说", "介绍", "指出", "认为", "强调", "坦言", "谈到", "告诉", "深有", "看来", "称", "透露", "提出",
           "建议", "补充", "分析")
#: Common surnames: a name must begin with one (至少 after 副市长 is no name).
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤柯尤庄洪施翁骆"
    "傅颜卓连涂康伍兰童倪欧阮柳凌温易常牛俞鲍游麦晏甘鲁葛詹粟")


def _name_after(text: str, pos: int) -> tuple[str | None, bool]:
    """The name starting at ``pos`` and whether something name-like was there at all."""
    if pos >= len(text) or text[pos] not in SURNAMES:
        return None, False
    for length in (2, 3):
        name = text[pos:pos + length]
        if len(name) < length or not re.fullmatch(f"[{_CJK}]+", name):
            break
        rest = text[pos + length:]
        if not rest or not re.match(f"[{_CJK}]", rest[0]) or rest.startswith(_SPEECH):
            return name, True
    return None, True


def _unit_name(run: str) -> str:
    if "晋江" in run:
        run = run[run.rfind("晋江"):]
    if re.match(r"^晋江市(委|人民政府|政府|人大|政协)", run):
        return run[2:]
    return run[3:] if run.startswith("晋江市") else run


def _officials(paras: list[list[tuple[int, str]]], out: _Collector) -> list[PostMention]:
    found: list[PostMention] = []
    for para in paras:
        text, starts = _join(para)
        pos = 0
        while True:
            m = _POST_RE.search(text, pos)
            if not m:
                break
            pos = m.end()
            posts = [m.group(0)]
            end = m.end()
            while True:
                more = _MORE_POST_RE.match(text, end)
                if not more:
                    break
                posts.append(more.group(1))
                end = more.end()
            left = m.start()
            while left > 0 and re.match(f"[{_CJK}]", text[left - 1]) and m.start() - left < 20:
                left -= 1
            run = text[left:m.start()]
            bounded = left == 0 or not re.match(f"[{_CJK}]", text[left - 1])
            if posts[0] in _DEPUTIES and not _UNIT_SUFFIX_RE.search(run):
                unit = _DEPUTIES[posts[0]]
            elif _UNIT_SUFFIX_RE.search(run) or (posts[0] in _LOOSE_POSTS and bounded and 2 <= len(run) <= 8):
                unit = _unit_name(run)
            else:
                continue
            name, looked = _name_after(text, end)
            if name is None:
                if looked:
                    out.findings.append(Finding(
                        "post-unsplit", "warning", f"{run}{'、'.join(posts)} is followed by a name that could not be "
                        f"cut off (expected 2–3 characters, then a mark or a verb such as 表示)",
                        lines=(_line_at(starts, m.start()), _line_at(starts, end)), evidence=(text[left:end + 6],)))
                continue
            sentence = ""
            offset = 0
            for sent in sentences(text):
                if offset <= end < offset + len(sent):
                    sentence = sent
                    break
                offset += len(sent)
            line = _line_at(starts, end)
            found.extend(PostMention(name, post, unit, sentence, line) for post in posts)
            pos = end + len(name)
    return found


# --- the entry points ---------------------------------------------------------------------

EXPECTED = ("expected a work report (chapters such as 一、2024年工作回顾 / 二、2025年主要工作安排), a digest "
            "(questions ending ？ with lists under them, or 目标蓝图 / 实施路径 parts) or plans of towns and "
            "bureaus (headings such as 西园街道： 加速…)")


def reviews_a_year(text: str) -> bool:
    r"""True for a text with a work report's chapters: a review (`一、2022年工作回顾`) or a plan
    chapter (`二、2023年工作安排`) — what no decomposition notice has, even one that assigns the
    report's 民生实事 with `（X牵头）` clauses.

    >>> reviews_a_year("一、2022年工作回顾\n一年来……"), reviews_a_year("各有关单位：\n1. 修路（交通局牵头）")
    (True, False)
    """
    for raw in text.split("\n"):
        m = _is_chapter(raw)
        if m and ("回顾" in m.group(2) or "工作安排" in m.group(2).replace(" ", "")):
            return True
        s = _clean(raw)
        if len(s) <= 30 and "。" not in s and re.search(r"工作回顾$", s):
            return True
    return False


def detect_kind(text: str) -> str | None:
    """``"work-report"``, ``"digest"`` or ``"plans"``, by what only that kind has; None if none.

    Examples
    --------
    >>> detect_kind("一、2024年工作回顾\\n一年来，我们……")
    'work-report'
    >>> detect_kind("随便写点什么。") is None
    True
    """
    lines = text.split("\n")
    front, _ = _front_matter(_numbered(text))
    if re.search("政府工作报告(?!解读)", front.get("title", "")) or reviews_a_year(text):
        return "work-report"
    if sum(1 for raw in lines if _subject_heading(raw)) >= 2:
        return "plans"
    cleaned = [_clean(raw) for raw in lines]
    if "实施路径" in cleaned or sum(1 for s in cleaned if s and _is_question(s) and s[-1] in "?？") >= 2:
        return "digest"
    return None


def parse_narrative_text(text: str, file: str = "<text>", digest: str | None = None) -> NarrativeResult:
    """Statements, officials and findings of a narrative document's text; ``digest`` is the
    SHA-256 of the file it came from (else of the text).

    Raises InputError naming ``file`` when the text is empty or none of the kinds.
    """
    return _parse(text, file, digest or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


def parse_narrative(path: str | Path) -> NarrativeResult:
    """Read and parse one narrative document (UTF-8 or GBK/GB18030); ``file`` is its base name.

    Raises InputError for a missing, unreadable, binary, undecodable or empty file, or one
    that is none of the kinds.
    """
    path = Path(path)
    raw = read_bytes(path, "a text file")
    if b"\x00" in raw:
        raise InputError(f"{path}: binary data (NUL bytes), expected UTF-8 or GBK text")
    text = decode(raw, path).replace("\r\n", "\n").replace("\r", "\n")
    try:
        return _parse(text, path.name, hashlib.sha256(raw).hexdigest())
    except InputError as exc:
        raise InputError(str(exc).replace(path.name, str(path), 1)) from None


def _parse(text: str, file: str, digest: str) -> NarrativeResult:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{file}: the file is empty, {EXPECTED}")
    kind = detect_kind(text)
    if kind is None:
        raise InputError(f"{file}: not a narrative document: {EXPECTED}")
    lines = _numbered(text)
    out = _Collector()
    if kind == "work-report":
        meta = _parse_work_report(lines, out)
        mention_paras = _blocks(lines)
    elif kind == "plans":
        meta = _parse_plans(lines, out)
        mention_paras = _blocks(lines)
    else:
        reading = "实施路径" in (_clean(raw) for _, raw in lines)
        meta = _parse_reading(lines, out) if reading else _parse_qa(lines, out)
        mention_paras = _paragraphs(lines)
    officials = _officials(mention_paras, out)
    return NarrativeResult(file=file, sha256=digest, kind=kind, title=meta["title"], issued=meta["issued"],
                           year=meta["year"], statements=tuple(out.statements), officials=tuple(officials),
                           findings=tuple(out.findings), government=meta.get("government"))


def _blocks(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines."""
    out: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for no, raw in lines:
        if raw.strip():
            current.append((no, raw))
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out
