"""Narrative documents → statements: what a government says it did, will do and aims at.

Besides the responsibility tables, a county publishes prose: the work report itself, the
newspapers' digests and readings of it, and the plans of its towns and bureaus. This
module reads the three kinds into :class:`Statement` records (pure data, no rdflib), the
officials they name into :class:`PostMention` records, and reports as findings what it
could not resolve or chose to leave out.

Document kinds (:func:`detect_kind`):

``work-report``
    The report (《政府工作报告》): chapters ``一、2024年工作回顾`` / ``二、2025 年主要工作安排``
    / ``三、…``, sections ``（一）…`` or ``(二) …`` and numbered items ``1、…``. A chapter
    whose heading says 回顾 is the review: one ``result`` statement for its opening
    paragraph and one for each paragraph beginning ``一年来``, which runs on (over page
    breaks and bold-led sub-blocks alike) to the next ``一年来``; from the address
    ``各位代表`` on, the rest of the review (thanks, shortcomings) is skipped. Every other
    chapter is planned work (``plan``): each numbered item is a statement, and so is a
    paragraph before the first section that states the targets (``…预期目标是：…``); the
    chapter's other opening paragraphs and the sentences after a section's title are not
    statements. A chapter whose heading names no year (``三、建设人民满意政府``) continues
    the plan year of the chapter before. The glossary (``附注``) is skipped.
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
an item of a chapter without sections); in a digest ``"q.s.n"`` is the n-th line under
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

    def add(self, kind, year, chapter, section, key, title, lines, text, subject=None):
        if not text:
            return
        span = (lines[0][0], lines[-1][0])
        self.statements.append(Statement(kind, year, chapter, section, key, title, text, subject, span))
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

_CHAPTER_RE = re.compile(rf"^\s*([{_NUMERALS}]{{1,3}})、\s*(\S.{{0,40}})$")
_SECTION_RE = re.compile(rf"^\s*[（(]\s*([{_NUMERALS}]{{1,3}})\s*[)）]\s*(\S.*)$")
_ITEM_RE = re.compile(r"^\s*(\d{1,2})\s*[、．.](?!\d)\s*(\S.*)$")
_GLOSSARY_RE = re.compile(r"^\s*附\s*注\s*[:：]?\s*$")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_REVIEW_WORDS = ("回顾",)
_TARGET_WORDS = ("预期目标", "主要目标")


def _numeral(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20 (the numbers of chapters and sections)."""
    digits = {c: i for i, c in enumerate(_NUMERALS[:9], start=1)}
    if "十" not in s:
        return digits.get(s, 0)
    tens, _, ones = s.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def _is_chapter(line: str) -> re.Match | None:
    m = _CHAPTER_RE.match(_heading(line))
    return m if m and "。" not in m.group(2) else None


def _parse_work_report(lines: list[tuple[int, str]], out: _Collector) -> dict:
    meta: dict = {"title": None, "issued": None, "year": None}
    preamble: list[tuple[int, str]] = []
    chapter = section = None
    ch_no = sec_no = 0
    ch_kind, ch_year, plan_year = None, None, None
    unit: dict | None = None  # the statement or skipped block being read
    review_no = pre_no = 0
    expected_item = 1
    in_address = False

    def close():
        nonlocal unit
        if unit is None:
            return
        u, unit = unit, None
        if u["skip"]:
            out.skip(u["lines"], u["skip"])
            return
        text = _join(u["lines"])[0]
        numbered = _ITEM_RE.match(text) if u.get("strip_number") else None
        if numbered:
            text = numbered.group(2)
        title = u.get("title")
        if title is None and u["kind"] == "plan":
            title = _lead(text)
        if u.get("review"):
            body = re.sub(r"^一年来[，,]\s*(我们)?", "", text)
            title = _lead(body) if body != text else None
        out.add(u["kind"], u["year"], chapter, section, u["key"], title, u["lines"], text)

    def open_(lines_, **kw):
        nonlocal unit
        close()
        unit = {"lines": list(lines_), "skip": None, **kw}

    prev_clean = ""
    after_heading = False
    for idx, (no, raw) in enumerate(lines):
        s = _clean(raw)
        if not s:
            continue
        if _GLOSSARY_RE.match(raw):
            close()
            rest = [(n, r) for n, r in lines[idx:] if r.strip()]
            terms = sum(1 for _, r in rest[1:] if re.match(r"^\s*\(P\d+\)|^\s*（P\d+）", r))
            out.skip(rest, f"the glossary (附注), {terms} terms")
            break
        m_ch = _is_chapter(raw)
        if m_ch:
            close()
            chapter = _heading(raw)
            ch_no, sec_no, section = _numeral(m_ch.group(1)), 0, None
            years = [int(y) for y in _YEAR_RE.findall(m_ch.group(2).replace(" ", ""))]
            ch_kind = "result" if any(w in chapter for w in _REVIEW_WORDS) else "plan"
            ch_year = years[0] if years else (plan_year if ch_kind == "plan" else None)
            if ch_kind == "plan":
                plan_year = ch_year
            if ch_kind == "result" and meta["year"] is None:
                meta["year"] = ch_year
            review_no = pre_no = 0
            expected_item = 1
            in_address = False
            prev_clean, after_heading = s, True
            continue
        if chapter is None:
            preamble.append((no, raw))
            prev_clean = s
            continue
        new_paragraph = bool(_END_RE.search(prev_clean)) or after_heading
        prev_clean, after_heading = s, False
        if new_paragraph and s.startswith("各位代表"):
            in_address = True
            open_([(no, raw)])
            unit["skip"] = "the address to the deputies and what follows it to the next chapter"
            continue
        if in_address:
            unit["lines"].append((no, raw))
            continue
        if ch_kind == "result":
            if unit is None or (new_paragraph and s.startswith("一年来")):
                review_no += 1
                open_([(no, raw)], kind="result", year=ch_year, key=f"{ch_no}.0.{review_no}", review=True)
                continue
            unit["lines"].append((no, raw))
            continue
        m_sec = _SECTION_RE.match(raw)
        if m_sec and new_paragraph:
            close()
            sec_no = _numeral(m_sec.group(1))
            rest = _clean(m_sec.group(2))
            title = sentences(rest)[0].rstrip("".join(_TERMINATORS)) if rest else ""
            section = f"（{m_sec.group(1)}）{title}"
            expected_item = 1
            continue
        m_item = _ITEM_RE.match(raw)
        if m_item and new_paragraph and int(m_item.group(1)) == expected_item:
            expected_item += 1
            open_([(no, raw)], kind="plan", year=ch_year, key=f"{ch_no}.{sec_no}.{m_item.group(1)}",
                  strip_number=True)
            continue
        if new_paragraph and (unit is None or unit["skip"] or (sec_no == 0 and expected_item == 1)):
            if any(w in s for w in _TARGET_WORDS) and sec_no == 0 and expected_item == 1:
                pre_no += 1
                lead = re.split(r"是?[：:]", s, maxsplit=1)[0]
                open_([(no, raw)], kind="plan", year=ch_year, key=f"{ch_no}.0.{pre_no}",
                      title=lead if len(lead) <= 20 and lead != s else None)
            elif unit is not None and unit["skip"]:
                unit["lines"].append((no, raw))
            else:
                open_([(no, raw)])
                unit["skip"] = ("the opening of a section, not a numbered item" if sec_no
                                else "the opening of a chapter, not a numbered item or the targets")
            continue
        if unit is None:
            open_([(no, raw)])
            unit["skip"] = "text before the first numbered item"
            continue
        unit["lines"].append((no, raw))
    close()

    pre = [_clean(r) for _, r in preamble if _clean(r)]
    meta["title"] = next((p.lstrip("《").rstrip("》") for p in pre if p.endswith("工作报告") or p.endswith("工作报告》")),
                         None)
    date = next((m for m in map(_DATE_RE.search, pre) if m), None)
    if date:
        meta["issued"] = f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"
    if meta["year"] is None and date:
        meta["year"] = int(date.group(1))
    return meta


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
    for raw in lines:
        m = _is_chapter(raw)
        if m and ("回顾" in m.group(2) or "工作安排" in m.group(2).replace(" ", "")):
            return "work-report"
    if sum(1 for raw in lines if _subject_heading(raw)) >= 2:
        return "plans"
    cleaned = [_clean(raw) for raw in lines]
    if "实施路径" in cleaned or sum(1 for s in cleaned if s and _is_question(s) and s[-1] in "?？") >= 2:
        return "digest"
    return None


def parse_narrative_text(text: str, file: str = "<text>") -> NarrativeResult:
    """Statements, officials and findings of a narrative document's text.

    Raises InputError naming ``file`` when the text is empty or none of the kinds.
    """
    return _parse(text, file, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


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
                           findings=tuple(out.findings))


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
