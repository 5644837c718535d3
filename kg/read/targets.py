"""Quantified targets in task texts: every number, either a target or a reason why not.

A task text such as ``新增各类高层次人才600人`` states a *target*: a measured thing
(``各类高层次人才``), a value (600), a unit (``人``) and often a comparator (``新增``,
``达``, ``增长``, ``以上`` …).  :func:`extract` finds every number in a text and returns
it in exactly one of three places:

* ``targets`` — a :class:`Target` with measure, value, unit, comparator, kind and bounds;
* ``others`` — a :class:`Number` that is not a target, with a reason from :data:`REASONS`;
* ``unresolved`` — a :class:`Number` (reason ``"unresolved"``) the rules could not place.

Every run of digits of the input lies in exactly one of: a target's number
(``value_start:value_end``, two fields beyond the issue's list, because a target's
``text`` may hold other numbers, as in ``新增5G基站1200个``), or a :class:`Number`'s span.

Approach
--------
1. *Normalise* without moving offsets: every Unicode decimal digit (``１２``) becomes its
   ASCII digit and ``％．～－`` their ASCII forms, one character for one, so offsets in the
   normalised text are offsets in the input.
2. *Tokenise* left to right: a number is a run of ASCII digits (with a decimal part, a
   range ``5-10`` or a code ``1+6``), or a run of Chinese numerals that the text uses as a
   number (see :func:`_chinese_tokens`).  A token takes the unit after it (``亿元``,
   ``万户``, ``%``; spaces allowed, as in ``588 家``) and a trailing ``以上 以内 以下 左右``.
3. *Classify* each token by its local context, first rule that applies wins: date and
   year, list marker, inside quotes (a name or slogan), code (``5G``, ``PM2.5``),
   ``1+6``, rank and ordinal (``全国第三``, ``二期``, ``十八届``), a number naming a
   programme (``四大群体``), a threshold that qualifies a noun (``10蒸吨以下燃煤锅炉``),
   a figure compared with last year (``比降``) — else a target when it has a unit, a
   comparator or a percent sign, else unresolved.
4. *Measure*: the words before the number back to the previous punctuation or the
   previous target (``地区生产总值增长 6%``), with the comparator and leading verbs
   (``实施``, ``推动`` …) taken off; when the unit is followed directly by a noun, the
   words after it (``建设3个“五社联动”示范点`` → ``“五社联动”示范点``).  A list
   ``A、B分别增长 1%、2%`` pairs measures and values in order.

Definitions of ``kind``
-----------------------
* ``growth`` — a rate of change: a percentage (or 倍, 个百分点) after a change verb
  (``增长 提高 提升 下降 比降 减少 降低 增加``, not ``提高到``);
* ``count`` — a number of items to create or do, in a counting unit (个 家 项 条 座 场
  所 人 名 户 …) without a level comparator (``达 突破 超 保持在`` …);
* ``level`` — everything else: an amount or a share to reach or keep (money, area,
  length, percentages, totals).

Bounds: ``以上 超 超过 突破 不少于 不低于 至少 逾 达 达到 提高到 提升到 提升至 站上`` set
``minimum``; ``以内 以下 控制在 不超过 压缩到 低于`` set ``maximum``; a range sets both
and its ``value`` is the lower end.  ``左右 约 近 大约`` set ``approximate``.

Limits
------
The rules are local to a clause: the extractor does not know whether a figure is a
plan or a result already achieved (a work report's review section reads like targets;
only explicit comparisons with last year are classified ``past-figure``), it does not
resolve a measure carried over from an earlier clause, and a measure is the nearest
honest phrase, sometimes with a verb in it (``研发成果落地``).  Chinese numerals are
numbers only in the uses listed in :func:`_chinese_tokens`; a bare ``一`` (``一批``,
``一体化``) is never a number.  Whitespace inside a measure is dropped, because PDF
extraction breaks lines inside words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Target",
    "Number",
    "Extraction",
    "Coverage",
    "REASONS",
    "extract",
    "measure_key",
    "coverage",
]

#: Why a number is not a target.
REASONS = {
    "year": "a calendar year: 2021年, [2024.12], 2024 国际体育消费季",
    "date": "a month or day: 12月30日, 6月底",
    "list-marker": "numbering of a list or note: 1、 （一） 二是 (P1)",
    "ordinal-in-name": "a code or label: “1358”教师培养计划, “十四五”, 1+6, “123”",
    "count-in-name": "a number inside a name, slogan or quoted phrase: “三个覆盖”, 四大群体增收计划,"
                     " or a bare number glued to a noun without unit: 120急救中心",
    "code": "part of an alphanumeric name: 5G, PM2.5, 3A级, R1线",
    "rank": "a position in a ranking: 全国第三, 前十, 十强县",
    "ordinal": "a session, phase or sequence number: 二期, 第二批, 十八届, 二十届三中全会",
    "qualifier": "a threshold inside the measured thing: 10蒸吨以下燃煤锅炉, 超50亿元大商圈",
    "enumeration": "the size of a list just written out: 材料端、装备端两个产业链短板",
    "past-figure": "a change against last year quoted for context: 比降 20.8%, 较上年",
}
_UNRESOLVED = "unresolved"

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_POWERS = {"十": 10, "百": 100, "千": 1000}
_CN = "零一二两三四五六七八九十百千"

_COUNT_UNITS = ("个工作日", "工作日", "人次", "场次", "家次", "种", "个", "家", "项", "条", "座", "场", "所",
                "人", "名", "户", "处", "辆", "张", "件", "宗", "套", "支", "批", "台", "间",
                "栋", "艘", "部", "次", "期", "类", "株", "棵", "天")
_MEASURE_UNITS = ("平方公里", "平方米", "公顷", "公里", "千米", "亩", "亿元", "万元", "元", "吨/日",
                  "蒸吨", "吨", "千伏", "兆瓦", "千瓦", "个百分点", "%", "‰", "倍", "小时",
                  "分钟", "米", "成", "周年", "年", "岁", "版")
_MULTIPLIERS = ("千万", "百万", "万", "亿")
_BASE_UNITS = tuple(sorted(_COUNT_UNITS + _MEASURE_UNITS, key=len, reverse=True))
_UNIT_RE = "(?:" + "|".join(map(re.escape, _MULTIPLIERS)) + ")?(?:" + "|".join(
    map(re.escape, _BASE_UNITS)) + ")|万|亿"
_SUFFIX_RE = "以上|以内|以下|左右|多"
_SPACE = "[ \t\u3000\u00a0]*"
#: Between a number and its unit a line break may fall too (newspaper columns).
_GAP = "[ \t\u3000\u00a0\n]*"

_GROWTH_VERBS = ("增长", "提高", "提升", "下降", "比降", "减少", "降低", "增加", "增")
_GROWTH_UNITS = ("%", "‰", "倍", "个百分点")
#: Comparators read right before the number, longest first.
_ADJACENT = tuple(sorted((
    "增长", "下降", "比降", "提高到", "提高至", "提升到", "提升至", "提高", "提升", "达到", "达",
    "超过", "超", "突破", "不少于", "不低于", "不超过", "低于", "控制在", "保持在", "保持",
    "压缩到", "压减", "扩大到", "降至", "降到", "减少", "降低", "增加", "至少", "逾", "站上",
    "新增", "累计", "完成", "约", "近", "大约", "达到约", "增长约",
), key=len, reverse=True))
#: Comparators that may stand apart from the number (``扩大到中心市区288平方公里``).
_DETACHED = ("扩大到", "提高到", "提高至", "提升到", "提升至", "控制在", "保持在", "压缩到")
#: Comparators that open a clause (``新增各类贷款200亿元``).
_LEADING = ("新增", "累计", "完成")
_MINIMUM = {"以上", "多", "超", "超过", "突破", "不少于", "不低于", "至少", "逾", "达", "达到",
            "提高到", "提高至", "提升到", "提升至", "站上", "扩大到"}
_MAXIMUM = {"以内", "以下", "控制在", "不超过", "压缩到", "低于", "降至", "降到"}
_LEVEL_COMPARATORS = _MINIMUM | _MAXIMUM | {"保持在", "保持"}
_APPROX = {"左右", "约", "近", "大约"}
#: Words that open a clause without being part of the measured thing.
_CONNECTORS = ("力争", "确保", "努力", "争取", "带动", "推动", "促进", "促成", "助力", "引导",
               "实现", "预计", "并", "和", "及", "与", "其中", "全年", "（", "(", "*", "**")
#: Verbs of doing, taken off a measure only when more than two characters remain, so
#: ``开工建设项目`` keeps ``建设项目``.
_VERBS = (
    "实施", "建设", "打造", "培育", "推进", "开工", "投用", "启用", "整治", "修缮",
    "改造", "创建", "引进", "落地", "组织", "开展", "办好", "启动", "新建", "新改建", "扩增",
    "兑现", "获批", "选树", "盘活", "复绿", "修编", "提速", "柔性引进", "滚动对接", "聚焦",
    "做大", "连片推进", "攻坚推进", "深入推进", "综合治理", "改造提升", "新建改造", "布设",
    "修复", "新设", "打通", "新开工", "新签约", "新招引", "新增落地", "加快", "加快推进",
    "加快建设", "新建成",
)
_LEAD_WORDS = tuple(sorted(_CONNECTORS + _VERBS, key=len, reverse=True))
_NAME_HEADS = ("规定", "计划", "行动", "工程", "战略", "方面", "体系", "机制", "政策", "板块")
_NOT_NOUNS = ("新台阶", "大关", "以上", "以下", "以内", "左右")
_PAST_MARKERS = ("比上年", "较上年", "上年", "去年", "同比", "比降", "比增")
_BOUNDARY = set("，。；：、,;:！？!?")
_QUOTES = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』"}
_MEASURE_PREFIXES = tuple(sorted((
    "新增", "累计", "认定", "各类", "引育", "引进", "全市", "全社会", "年度", "培育", "新建",
    "新改建", "完成", "力争", "实现", "带动", "推动", "认证", "登记",
), key=len, reverse=True))


@dataclass(frozen=True)
class Target:
    """A quantified target: measure, value and unit, comparator, kind and bounds.

    ``value_start``/``value_end`` locate the number itself (a range as one span), so a
    caller can tell which digits the target stands for when ``text`` holds others.
    """

    measure: str
    value: float
    unit: str | None
    comparator: str | None
    kind: str
    minimum: float | None
    maximum: float | None
    approximate: bool
    text: str
    start: int
    end: int
    value_start: int
    value_end: int


@dataclass(frozen=True)
class Number:
    """A number that is not a target, with its unit if any, and why."""

    text: str
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Extraction:
    """Every number of one text, each in exactly one of the three tuples."""

    targets: tuple[Target, ...]
    others: tuple[Number, ...]
    unresolved: tuple[Number, ...]


@dataclass(frozen=True)
class Coverage:
    """How many numbers were placed; ``numbers = targets + classified + unresolved``."""

    numbers: int
    targets: int
    classified: int
    unresolved: int
    share: float


@dataclass(frozen=True)
class _Token:
    """A number as found: the number's span, its unit and trailing comparator."""

    start: int
    end: int
    num_end: int
    value: float
    upper: float | None
    unit: str | None
    suffix: str | None
    chinese: bool
    code: bool


def _normalise(text: str) -> str:
    """Map decimal digits and a few full-width signs to ASCII, one character for one."""
    out = []
    for ch in text:
        if ch in "％．～－＋":
            out.append(unicodedata.normalize("NFKC", ch))
            continue
        digit = unicodedata.decimal(ch, None) if ord(ch) > 127 else None
        out.append(str(digit) if digit is not None else ch)
    return "".join(out)


def _chinese_value(numeral: str) -> float:
    """The value of a Chinese numeral run below ten thousand (``二十`` → 20, ``百`` → 100)."""
    total, current = 0, 0
    for ch in numeral:
        if ch in _CN_POWERS:
            total += (current or 1) * _CN_POWERS[ch]
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch]
    return float(total + current)


_ARABIC_RE = re.compile(
    r"(?P<code>[0-9]+(?:\s*\+\s*(?:[0-9]+|[A-Za-z]))+)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?)(?:(?:" + _SPACE + r"(?:[-~—–至到])" + _SPACE
    + r")(?P<upper>[0-9]+(?:\.[0-9]+)?)(?=" + _SPACE + r"(?:" + _UNIT_RE + r")))?"
)
_CN_RE = re.compile(f"[{_CN}]+")
_CN_CLASSIFIERS = ("个", "家", "项", "条", "座", "场", "所", "名", "处", "支", "大", "期",
                   "届", "次", "强", "成", "亿元", "万元", "中全会", "中、", "批")


def _chinese_tokens(norm: str) -> list[tuple[int, int]]:
    """Spans of Chinese numerals used as numbers.

    A run counts when it is followed by a classifier (``三个``, ``百场``, ``八成``,
    ``七大``, ``二期``, ``十八届``, ``三中全会``, ``十强``), follows 第 or 前 (``第三``,
    ``前十``), is a list marker (``（一）``, ``一是``, ``二、``) or is the whole of a
    quoted label (``“十四五”``).  A bare ``一`` counts only as 第一 or a list marker,
    because 一 is mostly a word (一批, 一体化, 统一).
    """
    spans = []
    for m in _CN_RE.finditer(norm):
        s, e = m.start(), m.end()
        run = m.group()
        if run[0] == "零" or run[-1] == "零":
            continue
        before, after = norm[max(0, s - 1):s], norm[e:e + 3]
        quoted = before in _QUOTES and after[:1] == _QUOTES[before]
        listed = (before in ("（", "(") and after[:1] in "）)") or (
            before in ("", "\n", " ", "\u3000", "*", "：", ":", "；", "。") and after[:1] in "、是")
        if run == "一" and not (before == "第" or listed):
            continue
        follows = after.startswith(_CN_CLASSIFIERS)
        if follows or before in ("第", "前") or listed or quoted:
            spans.append((s, e))
    return spans


def _tokens(norm: str) -> list[_Token]:
    """Every number of the normalised text, in order, with its unit and suffix."""
    found: list[tuple[int, int, float, float | None, bool, bool]] = []
    for m in _ARABIC_RE.finditer(norm):
        if m.group("code"):
            found.append((m.start(), m.end(), float(re.match(r"[0-9]+", m.group()).group()),
                          None, False, True))
        else:
            upper = float(m.group("upper")) if m.group("upper") else None
            found.append((m.start(), m.end(), float(m.group("num")), upper, False, False))
    for s, e in _chinese_tokens(norm):
        found.append((s, e, _chinese_value(norm[s:e]), None, True, False))
    found.sort()
    unit_re = re.compile(_GAP + "(多)?" + _GAP + "(" + _UNIT_RE + ")")
    suffix_re = re.compile(_SPACE + "(" + _SUFFIX_RE + ")")
    tokens: list[_Token] = []
    for s, e, value, upper, chinese, code in found:
        if tokens and s < tokens[-1].end:
            continue
        end, unit, suffix = e, None, None
        if not code:
            m = unit_re.match(norm, e)
            if m and not (chinese and (m.group(2) in ("万", "亿") or m.group(1))):
                unit, end, suffix = m.group(2), m.end(), m.group(1)
            m = suffix_re.match(norm, end)
            if m and (m.group(1) != "多" or unit) and suffix is None:
                suffix, end = m.group(1), m.end()
        tokens.append(_Token(s, end, e, value, upper, unit, suffix, chinese, code))
    return tokens


def _is_boundary(norm: str, i: int, lists: bool = True) -> bool:
    """Whether ``norm[i]`` ends a phrase: punctuation, or a line break between sentences.

    A line break between two CJK characters is a PDF page or column break inside a
    sentence (``分\\n\\n别增长``), not a boundary.  With ``lists=False`` the list comma
    、 is no boundary either, so ``上市、挂牌企业7家`` keeps its whole measure.
    """
    ch = norm[i]
    if ch == "、":
        return lists
    if ch in _BOUNDARY:
        return True
    if ch != "\n":
        return False
    prev = norm[:i].rstrip()[-1:]
    nxt = norm[i:].lstrip()[:1]
    return not (_is_cjk(prev) and _is_cjk(nxt))


def _is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a CJK ideograph."""
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _clause(norm: str, start: int, end: int) -> str:
    """The text between the punctuation before ``start`` and the one after ``end``."""
    s = start
    while s > 0 and not _is_boundary(norm, s - 1, lists=False):
        s -= 1
    e = end
    while e < len(norm) and not _is_boundary(norm, e, lists=False):
        e += 1
    return norm[s:e]


def _quoted(norm: str, start: int, end: int) -> str | None:
    """The content of the quotes around ``start:end`` within 30 characters, else None."""
    lo = max(0, start - 30)
    for i in range(start - 1, lo - 1, -1):
        ch = norm[i]
        if ch in _QUOTES.values() or ch in "。；":
            return None
        if ch in _QUOTES:
            close = norm.find(_QUOTES[ch], end, end + 30)
            if close == -1 or "。" in norm[end:close]:
                return None
            return re.sub(r"\s+", "", norm[i + 1:close])
    return None


_DATE_AFTER = re.compile(_SPACE + r"(?:月|日|号)")
_YEAR_AFTER = re.compile(_SPACE + r"(?:年|[-—–~][0-9]{4}|\.[0-9]{1,2}\])")


def _reason(norm: str, tok: _Token) -> str | None:
    """Why a token is not a target, or None when it may be one."""
    s, e = tok.start, tok.num_end
    before = norm[max(0, s - 6):s]
    after = norm[e:e + 6]
    number = norm[s:e]
    if not tok.chinese and not tok.code:
        if re.fullmatch(r"(?:19|20)[0-9]{2}(?:\.[0-9]{1,2})?", number) and (
                tok.unit in (None, "年") or _YEAR_AFTER.match(norm, e)):
            return "year" if "." not in number else "date"
        if _DATE_AFTER.match(norm, e) or re.search(r"[0-9]" + _SPACE + "月" + _SPACE + "$", before):
            return "date"
    if _is_list_marker(norm, tok):
        return "list-marker"
    if re.search(r"[A-Za-z]$", before) or re.match(r"[A-Za-z]", after):
        return "code"
    quoted = _quoted(norm, s, e)
    if quoted is not None:
        label = re.fullmatch(rf"[0-9{_CN}+NnXx]+", quoted.strip())
        return "ordinal-in-name" if label else "count-in-name"
    if tok.code:
        return "ordinal-in-name"
    ordinal = _ordinal(norm, tok, before, after)
    if ordinal:
        return ordinal
    if _names_programme(norm, tok) and (tok.chinese or norm[tok.num_end:tok.num_end + 1] == "大"):
        return "count-in-name"
    if tok.chinese and _is_enumeration(norm, tok):
        return "enumeration"
    if _is_qualifier(norm, tok):
        return "qualifier"
    clause = _clause(norm, s, e)
    if any(marker in clause for marker in _PAST_MARKERS):
        return "past-figure"
    return None


def _is_list_marker(norm: str, tok: _Token) -> bool:
    """``1、`` or ``（一）`` or ``一是`` at the start of a line or sentence, or ``(P1)``."""
    s, e = tok.start, tok.num_end
    prev = norm[:s].rstrip(" \t\u3000")[-1:]
    at_start = prev in ("", "\n", "。", "；", "：", "（", "(", "*") or s == 0
    after = norm[e:e + 1]
    if tok.unit or tok.suffix:
        return False
    if s > 0 and norm[s - 1] in "（(" and after in "）)":
        return True
    if re.search(r"[(（][A-Za-z]$", norm[max(0, s - 2):s]) and after in "）)":
        return True
    return at_start and (after in ("、", "．", ".") and not re.match(r"\.[0-9]", norm[e:e + 2])
                         or (tok.chinese and after == "是"))


def _ordinal(norm: str, tok: _Token, before: str, after: str) -> str | None:
    """``rank`` for 全国第三 / 前十 / 十强, ``ordinal`` for 第二批 / 二期 / 十八届, else None."""
    s = tok.start
    unit = tok.unit or ""
    before = before.rstrip(" \t\u3000\n")
    if before.endswith("第"):
        context = norm[max(0, s - 9):s]
        if re.search(r"全国|全省|全市|位居|位列|居|排名|排", context):
            return "rank"
        return "ordinal"
    if before.endswith("前") or after.startswith("强"):
        return "rank"
    if after.startswith(("届", "中全会", "中、")) or (before.endswith("党的") and after.startswith("大")):
        return "ordinal"
    if unit == "期" or (tok.chinese and after.startswith("期")):
        return "ordinal"
    if unit == "周年" or (unit == "次" and norm[tok.end:tok.end + 4].lstrip().startswith(
            ("会议", "全会"))):
        return "ordinal"
    return None


def _names_programme(norm: str, tok: _Token) -> bool:
    """A Chinese count that is part of a programme's name: 四大群体, 中央八项规定, 七个方面工作."""
    if norm[tok.num_end:tok.num_end + 1] == "大":
        return True
    rest = norm[tok.end:tok.end + 12]
    phrase = re.split(r"[，。；：、,;:\n和及与]", rest, maxsplit=1)[0]
    return any(head in phrase for head in _NAME_HEADS)


def _is_enumeration(norm: str, tok: _Token) -> bool:
    """A Chinese count right after a list of its items: ``材料端、装备端两个``."""
    clause_start = tok.start
    while clause_start > 0 and norm[clause_start - 1] not in "，。；：,;:\n":
        clause_start -= 1
    return "、" in norm[clause_start:tok.start]


def _is_qualifier(norm: str, tok: _Token) -> bool:
    """A measure unit followed straight by a noun: ``10蒸吨以下燃煤锅炉``, ``超50亿元大商圈``.

    It is a qualifier when it carries 以上/以下 or another number follows in the clause
    (``10 千伏线路 77 条``).  Counting units (``3个示范点``), percentages (``80%以上村庄``)
    and ``977 亩集体经营性用地`` are targets that name their measure afterwards.
    """
    unit = tok.unit or ""
    if not unit or _base_unit(unit) in _COUNT_UNITS or unit in _GROWTH_UNITS + ("成",):
        return False
    nxt = norm[tok.end:tok.end + 3]
    if not (_is_cjk(nxt[:1]) or nxt[:1] in _QUOTES) or nxt.startswith(_NOT_NOUNS):
        return False
    rest = _clause(norm, tok.end, tok.end)
    rest = rest[rest.find(nxt[:1]):] if nxt[:1] in rest else ""
    return tok.suffix is not None or bool(re.search(r"[0-9]", rest))


def _base_unit(unit: str) -> str:
    """The unit without its 万/亿 multiplier (``万户`` → ``户``); money units stay whole."""
    if unit in ("亿元", "万元"):
        return unit
    for mult in _MULTIPLIERS:
        if unit.startswith(mult) and len(unit) > len(mult):
            return unit[len(mult):]
    return unit


def _phrase_start(norm: str, pos: int, floor: int) -> int:
    """Where the phrase ending at ``pos`` starts: after punctuation or at ``floor``."""
    i = pos
    while i > floor and not _is_boundary(norm, i - 1, lists=False):
        i -= 1
    last = norm.rfind("、", i, pos)
    if last != -1 and norm[last + 1:pos].lstrip().startswith(_LEADING + _LEAD_WORDS):
        i = last + 1
    while i < pos and (norm[i] == "、" or norm[i].isspace()):
        i += 1
    return i


def _trim(norm: str, s: int, e: int) -> tuple[int, int]:
    """``s:e`` without surrounding whitespace."""
    while s < e and norm[s].isspace():
        s += 1
    while e > s and norm[e - 1].isspace():
        e -= 1
    return s, e


def _strip_lead(norm: str, s: int, e: int) -> int:
    """Skip leading verbs and connectors (``力争``, ``实施`` …) unless nothing would remain."""
    changed = True
    while changed:
        changed = False
        s, _ = _trim(norm, s, e)
        for word in _LEAD_WORDS:
            if norm.startswith(word, s) and s + len(word) < e:
                rest = norm[s + len(word):e].strip()
                if len(rest) > 2 or (rest and word in _CONNECTORS):
                    s += len(word)
                    changed = True
                    break
    return s


@dataclass
class _Measure:
    """A measure's span and the comparator words found before the number.

    ``words`` are the comparators as separate words (``("增长", "超")``), ``comparator``
    the same as written (``增长超``; a clause-opening 新增 is joined with ``…``).
    """

    start: int
    end: int
    words: tuple[str, ...]
    comparator: str | None
    comp_start: int | None


def _left_measure(norm: str, s: int, e: int) -> _Measure:
    """The measure in ``norm[s:e]`` (the words before a number) and its comparator."""
    s, e = _trim(norm, s, e)
    words: list[str] = []
    comp_start = None
    for _ in range(2):
        word = next((w for w in _ADJACENT if norm.endswith(w, s, e)), None)
        if word is None:
            break
        words.insert(0, word)
        e = comp_start = e - len(word)
        s, e = _trim(norm, s, e)
    if not words:
        for word in _DETACHED:
            i = norm.rfind(word, s, e)
            if i > s:
                words, comp_start, e = [word], i, i
                break
    s, e = _trim(norm, s, e)
    comparator = "".join(words) or None
    if not words or set(words) <= _APPROX:
        for word in _LEADING:
            if norm.startswith(word, s) and s + len(word) < e:
                comparator = word + ("…" + comparator if comparator else "")
                words.insert(0, word)
                comp_start = s
                s += len(word)
                break
    s = _strip_lead(norm, s, e)
    return _Measure(s, e, tuple(words), comparator, comp_start)


_NEXT_NUMBER = re.compile("(?:" + "|".join(map(re.escape, _ADJACENT)) + ")" + _SPACE
                          + f"[0-9{_CN}]")


def _right_measure(norm: str, tok: _Token) -> tuple[int, int] | None:
    """The noun after a counting unit or percentage (``3个示范点``), or None if none.

    It runs to the next punctuation, or to a comparator that opens the next number
    (``30%以上村（社区）集体经营性收入达50万元``).
    """
    if not tok.unit:
        return None
    i = tok.end
    nxt = norm[i:i + 1]
    if not (_is_cjk(nxt) or nxt in _QUOTES or nxt.isalnum()) or norm.startswith(_NOT_NOUNS, i):
        return None
    e = i
    while e < len(norm) and not _is_boundary(norm, e):
        e += 1
    m = _NEXT_NUMBER.search(norm, i, e)
    if m:
        e = m.start()
    s, e = _trim(norm, i, e)
    return (s, e) if e - s >= 2 else None


def _measure_text(text: str, s: int, e: int) -> str:
    """The measure as written, with whitespace (PDF line breaks) removed."""
    return re.sub(r"\s+", "", text[s:e])


def _bounds(tok: _Token, words: tuple[str, ...]) -> tuple[float | None, float | None]:
    """Lower and upper bound implied by a range, the suffix and the comparator words."""
    if tok.upper is not None:
        return tok.value, tok.upper
    found = set(words) | {tok.suffix or ""}
    low = tok.value if found & _MINIMUM else None
    high = tok.value if found & _MAXIMUM else None
    return low, high


def _kind(tok: _Token, words: tuple[str, ...]) -> str:
    """``growth``, ``count`` or ``level`` as defined in the module docstring.

    ``words`` are the comparators before the number only: a trailing 以上 bounds a count
    (``示范项目150个以上``) without making it a level.
    """
    if tok.unit in _GROWTH_UNITS and any(w in _GROWTH_VERBS for w in words):
        return "growth"
    if tok.unit and _base_unit(tok.unit) in _COUNT_UNITS and not (set(words) & _LEVEL_COMPARATORS):
        return "count"
    return "level"


def _join(prefix: str | None, suffix: str | None) -> str | None:
    """One comparator string from the words before and after the number."""
    parts = [p for p in (prefix, suffix) if p and p not in _APPROX]
    return "…".join(parts) if parts else None


def _group_measures(norm: str, m: _Measure) -> list[tuple[int, int]] | None:
    """The measures of ``A、B分别增长 1%、2%``: the spans of A and B, or None.

    分别 may be split by a PDF line break (``分\\n\\n别``).
    """
    found = re.search(r"分\s*别\s*$", norm[m.start:m.end])
    if not found or "、" not in norm[m.start:m.end]:
        return None
    spans, cursor = [], m.start
    for part in norm[m.start:m.start + found.start()].split("、"):
        ps, pe = _trim(norm, cursor, cursor + len(part))
        spans.append((_strip_lead(norm, ps, pe), pe))
        cursor += len(part) + 1
    return spans


def extract(text: str) -> Extraction:
    """Every number in ``text``: captured as a :class:`Target`, classified, or unresolved.

    >>> r = extract("新增各类高层次人才600人，选树优秀工匠1500名。")
    >>> [(t.measure, t.value, t.unit, t.comparator, t.kind) for t in r.targets]
    [('各类高层次人才', 600.0, '人', '新增', 'count'), ('优秀工匠', 1500.0, '名', None, 'count')]
    """
    norm = _normalise(text)
    targets: list[Target] = []
    others: list[Number] = []
    unresolved: list[Number] = []
    state = _State()
    for tok in _tokens(norm):
        phrase_start = _phrase_start(norm, tok.start, state.floor)
        m = _left_measure(norm, phrase_start, tok.start)
        reason = _reason(norm, tok)
        if reason is None and not (tok.unit or tok.suffix or tok.upper is not None) and not (
                m.comparator and norm[:tok.start].rstrip().endswith(m.comparator)):
            reason = "count-in-name" if _is_cjk(norm[tok.end:tok.end + 1]) else _UNRESOLVED
        if reason is not None:
            record = Number(text[tok.start:tok.end], tok.start, tok.end, reason)
            (unresolved if reason == _UNRESOLVED else others).append(record)
            continue
        targets.append(_place(text, norm, tok, m, phrase_start, state))
    return Extraction(tuple(targets), tuple(others), tuple(unresolved))


@dataclass
class _State:
    """What :func:`extract` carries from one target to the next within a text."""

    floor: int = 0
    prev: Target | None = None
    prev_span: tuple[int, int] | None = None
    prev_words: tuple[str, ...] = ()
    group: list[tuple[int, int]] | None = None
    group_words: tuple[str, ...] = ()
    group_comparator: str | None = None


def _place(text: str, norm: str, tok: _Token, m: _Measure, phrase_start: int,
           state: _State) -> Target:
    """The target of ``tok``, its measure found in the order: list, right, left, previous."""
    prev = state.prev
    comparator, words = m.comparator, m.words
    listed = prev is not None and norm[prev.end:tok.start].strip() == "、"
    group = state.group if listed and m.start >= m.end else None
    if group:
        span = group.pop(0)
        if not words:
            comparator, words = state.group_comparator, state.group_words
    else:
        state.group = None
        span = _right_measure(norm, tok)
        spans = _group_measures(norm, m) if span is None else None
        if spans:
            span = spans[0]
            state.group, state.group_words, state.group_comparator = spans[1:], words, comparator
        if not words and prev is not None and state.prev_words[:1] and \
                state.prev_words[0] in _LEADING and norm[prev.end:tok.start].lstrip().startswith("、"):
            comparator, words = state.prev_words[0], state.prev_words[:1]
    if span is None:
        span = (m.start, m.end)
    if span[0] >= span[1] and prev is not None and state.prev_span and \
            m.comp_start is not None and norm[prev.end:m.comp_start].strip() == "":
        span = state.prev_span
    if span[0] >= span[1]:
        span = _trim(norm, phrase_start, tok.start)
    target = _target(text, norm, tok, m, span, comparator, words)
    state.prev, state.prev_span, state.prev_words = target, span, words
    state.floor = target.end if span[0] >= tok.end else tok.end
    return target


def _target(text: str, norm: str, tok: _Token, m: _Measure, span: tuple[int, int],
            comparator: str | None, words: tuple[str, ...]) -> Target:
    """Build the :class:`Target` of ``tok`` with its measure at ``span``."""
    approximate = tok.suffix == "左右" or bool(set(m.words) & _APPROX)
    starts = [tok.start] + ([span[0]] if span[0] < tok.start else []) + (
        [m.comp_start] if m.comp_start is not None and comparator == m.comparator else [])
    start = min(starts)
    end = max(tok.end, span[1])
    low, high = _bounds(tok, words)
    return Target(
        measure=_measure_text(text, *span), value=tok.value, unit=tok.unit,
        comparator=_join(comparator, tok.suffix), kind=_kind(tok, words), minimum=low,
        maximum=high, approximate=approximate, text=text[start:end], start=start, end=end,
        value_start=tok.start, value_end=tok.num_end,
    )


def measure_key(measure: str) -> str:
    """A form of ``measure`` for comparing measures across years.

    Rule: NFKC-normalise, drop whitespace and quotes, then repeatedly drop a leading
    qualifier that says how the thing is counted rather than what it is (新增 累计 认定
    各类 引育 引进 全市 全社会 年度 培育 新建 新改建 完成 力争 实现 带动 推动 认证
    登记).  So ``新增认定各类高层次人才`` and ``高层次人才`` share the key ``高层次人才``.
    The qualifier is kept when nothing would remain.
    """
    key = re.sub(r"[\s“”‘’\"']", "", unicodedata.normalize("NFKC", measure))
    changed = True
    while changed:
        changed = False
        for prefix in _MEASURE_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key = key[len(prefix):]
                changed = True
                break
    return key


def coverage(texts: Iterable[str]) -> Coverage:
    """Count the numbers of ``texts`` placed as targets or classified, and the share.

    ``share`` is ``(targets + classified) / numbers`` (1.0 when there are no numbers);
    each target stands for exactly one number token (a range is one token).
    """
    n_targets = n_classified = n_unresolved = 0
    for text in texts:
        result = extract(text)
        n_targets += len(result.targets)
        n_classified += len(result.others)
        n_unresolved += len(result.unresolved)
    numbers = n_targets + n_classified + n_unresolved
    share = (n_targets + n_classified) / numbers if numbers else 1.0
    return Coverage(numbers, n_targets, n_classified, n_unresolved, share)
