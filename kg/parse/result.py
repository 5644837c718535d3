"""What a parser returns: records, findings and what the document says about itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.names import clean
from kg.quality import Finding
from kg.records import Task

__all__ = ["ParseResult", "PlanMeta", "read_meta", "doc_numbers", "ProgressRow", "ProgressResult"]

_DOC_NO_RE = re.compile(r"([\u4e00-\u9fff]{1,8}[〔\[［]((?:19|20)\d{2})[〕\]］](\d+)号)")
#: A document number cited, not borne: right after a quoted title, `《…》（鄂政办发〔2018〕4号）`.
_CITED_RE = re.compile(r"》\s*[（(]$")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_CN_DATE_RE = re.compile(r"([一二三四五六七八九〇○零]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
_BODY = r"[\u4e00-\u9fff]{2,12}?(?:人民政府|政府)(?:办公室|办公厅)?"
#: The issuer: a line of its own (the signature), a labelled line of a web page, or the title's subject.
_ISSUER_RE = re.compile(rf"^{_BODY}$")
# web pages run their chrome together (`信息来源:芜湖市人民政府阅读次数:`): the label may stand mid-line
_ISSUER_LABEL_RE = re.compile(rf"(?:发布机构|发文机关|信息来源|来源|发布单位)[：:]({_BODY})")
_ISSUER_TITLE_RE = re.compile(rf"^({_BODY})关于")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})年")


@dataclass(frozen=True)
class PlanMeta:
    """The plan's document number, title, issuing body and date, where the text gives them."""

    doc_number: str | None = None
    title: str | None = None
    issuer: str | None = None
    issued: str | None = None  # ISO date
    year: int | None = None


@dataclass
class ParseResult:
    """The records and data-quality findings of one source, and its metadata."""

    tasks: list[Task]
    findings: list[Finding]
    file: str
    layout: str = "grid"
    meta: PlanMeta = field(default_factory=PlanMeta)
    sha256: str | None = None


def _cn_number(text: str) -> int:
    """二十八 → 28, 十 → 10, 三 → 3 (a day or month written in Chinese numerals)."""
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _date(line: str) -> str | None:
    """The ISO date a line states, in Arabic (2021年3月5日) or Chinese numerals (二○一一年四月六日)."""
    m = _DATE_RE.search(line)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = _CN_DATE_RE.search(line)
    if m:
        year = "".join(str(_CN_DIGITS[c]) for c in m.group(1))
        month, day = _cn_number(m.group(2)), _cn_number(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year}-{month:02d}-{day:02d}"
    return None


def _doc_number(lines: list[str]) -> re.Match | None:
    """The document's own number: on a line of its own if one is, else the first one not cited."""
    found = [m for line in lines for m in _DOC_NO_RE.finditer(line) if not _CITED_RE.search(line[:m.start()])]
    own = [m for m in found if m.group(0) == m.string.strip()]
    return (own or found or [None])[0]


def doc_numbers(text: str) -> list[str]:
    """Every document number the text writes (`晋政文〔2021〕16号`), cited or borne, in order."""
    return [m.group(1) for m in _DOC_NO_RE.finditer(clean(text))]


def _issuer(lines: list[str], title: str | None) -> str | None:
    """The issuing body: the signature line (the last one), else a page's 发布机构/来源 line,
    else the subject of the notice's title (`包头市人民政府关于印发…`)."""
    signed = [line for line in lines if _ISSUER_RE.match(line)]
    if signed:
        return signed[-1]
    for find in (_ISSUER_LABEL_RE.search, _ISSUER_TITLE_RE.match):
        m = next((m for m in map(find, lines + ([clean(title)] if title else [])) if m), None)
        if m:
            return m.group(1)
    return None


def read_meta(preamble: str, title: str | None = None) -> PlanMeta:
    r"""Document number (晋政文〔2021〕16号), issuer, date and year from the text before the table.

    The date is the signature's (a line holding only a date) where there is one, else the
    first date of the preamble; the year is the document number's, else the first year the
    title names, else the date's.

    Examples
    --------
    >>> m = read_meta("包头市人民政府关于印发2011年市政府重点工作任务分解意见的通知\n二○一一年四月六日")
    >>> m.issuer, m.issued, m.year
    ('包头市人民政府', '2011-04-06', 2011)
    >>> read_meta("根据《省政府办公厅通知》(鄂政办发〔2018〕4号)要求\n武汉市人民政府办公厅").doc_number is None
    True
    """
    lines = [clean(line) for line in preamble.split("\n") if line.strip()]
    doc = _doc_number(lines)
    dates = [(d, bool(_DATE_RE.fullmatch(line) or _CN_DATE_RE.fullmatch(line))) for line in lines if (d := _date(line))]
    issued = next((d for d, alone in dates if alone), dates[0][0] if dates else None)
    year = int(doc.group(2)) if doc else None
    if year is None and title:
        m = _YEAR_RE.search(clean(title))
        year = int(m.group(1)) if m else None
    if year is None and issued:
        year = int(issued[:4])
    return PlanMeta(
        doc_number=doc.group(1) if doc else None,
        title=clean(title) if title else None,
        issuer=_issuer(lines, title),
        issued=issued,
        year=year,
    )


@dataclass(frozen=True)
class ProgressRow:
    """One row of a progress source as written: the task it names and what it reports.

    A row names its task by number (``task_no``), else by text (``task_text``); every other
    field is what the row's columns say, ``None`` where the source has no such column or the
    cell is empty. ``status`` is the status word as written (`序时推进`), mapped onto the
    status scheme later; ``percent`` is 完成比例 read as a number (`85%` → 85.0).
    """

    task_no: int | None
    task_text: str | None
    progress: str | None = None  # 进展情况 / 完成情况 / 工作进展
    status: str | None = None  # 完成状态 / 状态 / 进度, as written
    percent: float | None = None  # 完成比例 / 完成进度
    problems: str | None = None  # 存在问题
    next_steps: str | None = None  # 下一步工作计划 / 下一步措施
    reporter: str | None = None  # 报送单位
    lines: tuple[int, int] = (1, 1)  # 1-based inclusive, as Task.source.lines


@dataclass
class ProgressResult:
    """The rows, findings and dating of one progress source (a fill-in sheet, a bulletin).

    ``as_of`` is the ISO date the source reports up to (`截至2021年9月30日`, `第三季度` →
    2021-09-30, `1-11月` → 2021-11-30), ``period`` the words it was read from; ``plan_ref``
    is the plan's document number where the title names one.
    """

    rows: list[ProgressRow]
    findings: list[Finding]
    file: str
    title: str | None = None
    as_of: str | None = None
    period: str | None = None
    plan_ref: str | None = None
    sha256: str | None = None
