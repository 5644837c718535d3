"""Deadlines (完成时限): the text as written and the ISO date or month it names.

Decomposition tables write deadlines loosely: `2021年6月底前`, `6月底`, `2021年三季度`,
`年底前`, `2021—2023年`, `长期坚持`. :func:`parse_due` reads them into a
:class:`kg.records.Due`, keeping the text whole:

- a day (`2021年6月15日前`) → that day, `2021-06-15`;
- the end of a month (`6月底前`, `6月末`) → its last day, `2021-06-30`; the end of the
  year (`年底前`, `年内`, `全年`, a year alone `2022年`) → `YYYY-12-31`;
- a month without 底 (`2021年6月`, `6月前`) → the month, `2021-06`; a quarter or a
  half-year → the month it ends in (`三季度` → `2021-09`, `上半年` → `2021-06`);
- several dates (`6月底前启动，12月底前完成`, `2021—2023年`) → the latest, the one the
  task must be finished by;
- no date (`长期坚持`, `持续推进`), or a month without a year when the plan's year is
  unknown → ``None``.

:func:`as_of` reads the date a progress source reports up to from its title
(`截至2021年9月30日`, `第三季度`, `1-11月`, `上半年`).
"""

from __future__ import annotations

import calendar
import re

from kg.names import clean
from kg.records import Due

__all__ = ["parse_due", "has_date", "is_deadline", "NO_DATE", "as_of"]

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
_YEAR = r"(?:(\d{4})\s*年)"
#: One deadline expression; the year is optional where the plan's year stands in.
_DATE_RE = re.compile(
    rf"{_YEAR}?"
    rf"(?:"
    rf"(?P<month>{_NUM})\s*月(?:(?P<day>{_NUM})\s*[日号])?(?P<end>底|末|下旬)?"
    rf"|(?:第)?(?P<quarter>[一二三四1-4])\s*季度"
    rf"|(?P<half>[上下])半年"
    rf"|(?P<yearend>年?底|年末|年内|全年)"
    rf")?"
)


def _number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS[s[1]]
    if s.endswith("十"):
        return _CN_DIGITS[s[0]] * 10
    if "十" in s:
        a, b = s.split("十")
        return _CN_DIGITS[a] * 10 + _CN_DIGITS[b]
    return _CN_DIGITS[s]


def _last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _dates(text: str, year: int | None) -> list[str]:
    """Every date or month the text names, as ISO strings, in the order written."""
    out: list[str] = []
    for m in _DATE_RE.finditer(text):
        if not m.group(0):
            continue
        y = int(m.group(1)) if m.group(1) else year
        kind = next((k for k in ("month", "quarter", "half", "yearend") if m.group(k)), None)
        if y is None:
            continue
        if kind is None:
            out.append(f"{y:04d}-12-31")  # a year alone: by its end
        elif kind == "month":
            month = _number(m.group("month"))
            if not 1 <= month <= 12:
                continue
            if m.group("day"):
                day = _number(m.group("day"))
                if 1 <= day <= calendar.monthrange(y, month)[1]:
                    out.append(f"{y:04d}-{month:02d}-{day:02d}")
            elif m.group("end"):
                out.append(_last_day(y, month))
            else:
                out.append(f"{y:04d}-{month:02d}")
        elif kind == "quarter":
            out.append(f"{y:04d}-{_number(m.group('quarter')) * 3:02d}")
        elif kind == "half":
            out.append(f"{y:04d}-{6 if m.group('half') == '上' else 12:02d}")
        else:
            out.append(f"{y:04d}-12-31")
    return out


def has_date(text: str) -> bool:
    """True if the text names a deadline (`2021年6月底前`, `年底前完成`, `三季度`)."""
    return bool(_dates(clean(text), 2000))


#: Deadlines that name no date: the task has no end.
NO_DATE = ("长期坚持", "持续推进", "长期推进", "常态化推进", "长期", "持续", "常态化")


def is_deadline(text: str) -> bool:
    """True if the text is a deadline, with a date or one of NO_DATE (`长期坚持`)."""
    text = clean(text)
    return text.startswith(NO_DATE) or has_date(text)


def parse_due(text: str, year: int | None = None) -> Due:
    """The deadline in ``text``, ``year`` standing in where the text gives none.

    Examples
    --------
    >>> parse_due("2021年6月底前")
    Due(text='2021年6月底前', date='2021-06-30')
    >>> parse_due("三季度", 2021)
    Due(text='三季度', date='2021-09')
    >>> parse_due("长期坚持", 2021)
    Due(text='长期坚持', date=None)
    """
    text = clean(text)
    dates = _dates(text, year)
    # ISO strings of one width compare as dates; a month sorts before the days within it,
    # so "2021-06" < "2021-06-30" — a month and its own last day both read as that month's end.
    return Due(text, max(dates, key=lambda d: (d[:7], len(d))) if dates else None)


_CUTOFF_RE = re.compile(
    rf"截[至止](?:到)?\s*{_YEAR}?\s*(?P<month>{_NUM})\s*月\s*(?:(?P<day>{_NUM})\s*[日号]|(?P<end>底|末))?")
_SPAN_RE = re.compile(rf"{_YEAR}?\s*(?:1|一)\s*[-—－~～至到]\s*(?P<month>{_NUM})\s*月(?:份)?")
_QUARTER_RE = re.compile(rf"{_YEAR}?\s*(?:第|前)?(?P<quarter>[一二三四1-4])\s*季度")
_HALF_RE = re.compile(rf"{_YEAR}?\s*(?P<half>[上下])半年")
_YEAR_END_RE = re.compile(rf"{_YEAR}?\s*(?:全年|年度|年终|年底|年末)")
_ANY_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")


def as_of(text: str, year: int | None = None) -> tuple[str | None, str | None]:
    """The ISO date a progress source reports up to, read from its title, and the words it was
    read from: ``(None, words)`` where the year is neither written nor given, ``(None, None)``
    where the text names no period.

    The forms, most specific first: a cut-off date (`截至2021年9月30日`, `截至9月底`), a span
    of months from January (`1-11月` → the end of November), a quarter (`第三季度`, `前三季度` →
    09-30), a half-year, the year (`全年`, `年度` → 12-31). The year is the match's own, else the
    first year the text names, else ``year``.

    Examples
    --------
    >>> as_of("晋江市2021年目标任务进展情况（截至2021年9月30日）")
    ('2021-09-30', '截至2021年9月30日')
    >>> as_of("2021年1-11月重点工作推进情况")
    ('2021-11-30', '2021年1-11月')
    >>> as_of("第三季度进展", 2021)
    ('2021-09-30', '第三季度')
    >>> as_of("上半年工作进展")
    (None, '上半年')
    """
    text = clean(text)
    for pattern in (_CUTOFF_RE, _SPAN_RE, _QUARTER_RE, _HALF_RE, _YEAR_END_RE):
        m = pattern.search(text)
        if m is None:
            continue
        written = m.group(1) or (y.group(1) if (y := _ANY_YEAR_RE.search(text)) else None)
        y = int(written) if written else year
        words = m.group(0).strip()
        if y is None:
            return None, words
        groups = m.groupdict()
        if groups.get("month"):
            month = _number(groups["month"])
            if not 1 <= month <= 12:
                continue
            if groups.get("day"):
                day = _number(groups["day"])
                if not 1 <= day <= calendar.monthrange(y, month)[1]:
                    continue
                return f"{y:04d}-{month:02d}-{day:02d}", words
            return _last_day(y, month), words
        if groups.get("quarter"):
            return _last_day(y, _number(groups["quarter"]) * 3), words
        if groups.get("half"):
            return _last_day(y, 6 if groups["half"] == "上" else 12), words
        return f"{y:04d}-12-31", words
    return None, None
