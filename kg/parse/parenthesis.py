"""Parser for the trailing-parenthesis layout: each task's units in brackets after its text.

::

    5.全市规模以上工业增加值增长8%。（市经信委牵头，市统计局配合）
    6、……（市经信委、市国土资源局牵头落实，2021年6月底前完成）

The task sits in the outline of :mod:`kg.parse.outline`. The last bracket pair of its
body (before a closing `。`) holds clauses separated by `，` `；` outside brackets:

- `A、B牵头` (牵头落实, 牵头负责, 为牵头单位, 分别牵头…): A and B lead;
- `C、D配合` (配合落实, 协助, 参与, 为配合单位…): C and D support;
- `E负责` (负责落实…): E leads, or supports where another clause says who leads;
- a deadline (`2021年6月底前完成`, `年底前`) — read by :mod:`kg.parse.dates`;
- a field as in the inline layout (`牵头领导：王强`, `分管领导：李明`, `牵头单位：…`), a
  bare list after it continuing the field;
- a bare unit list where no clause says who leads: the first listed leads.

A bracket pair without such clauses (`（含技改投资）`) is part of the text and the task has
no units (the quality report says `no-lead`); a bracket pair that has a 牵头/配合 clause
and a clause that is none of the above breaks the layout.
"""

from __future__ import annotations

import re

from kg import names
from kg.errors import LayoutError
from kg.parse.dates import is_deadline, parse_due
from kg.parse.inline import (DUE_LABELS, FIELD_RE, LEAD_LABELS, LEADER_LABELS, SUPPORT_LABELS, UNITS_LABELS, people,
                             read_fields)
from kg.parse.outline import Body, Item, parse_outline
from kg.parse.result import ParseResult
from kg.quality import Finding
from kg.parse.units import is_group, split_top, split_units, unit_ref

__all__ = ["parse", "looks_like", "EXPECTED", "trailing_group"]

LEAD_VERBS = ("分别牵头", "共同牵头", "牵头负责", "牵头落实", "牵头实施", "牵头推进", "为牵头单位", "牵头")
RESPONSIBLE_VERBS = ("负责落实", "负责实施", "具体负责", "负责")
SUPPORT_VERBS = ("配合落实", "协助落实", "为配合单位", "配合", "协助", "参与", "协同")
_VERB_RE = re.compile("^(.*?)(" + "|".join(LEAD_VERBS + RESPONSIBLE_VERBS + SUPPORT_VERBS) + ")$")
_LOOKS_RE = re.compile(r"(牵头|负责|配合|协助)[^（）()]*[）)]\s*[。．.；;]?\s*$", re.MULTILINE)
#: What the layout needs, said when a document does not have it.
EXPECTED = "no task ending in a bracket such as （市发改委牵头，市财政局配合）"


def looks_like(text: str) -> bool:
    """True if at least two lines end in a bracket naming who leads or supports."""
    return len(_LOOKS_RE.findall(text)) >= 2


def trailing_group(body: str) -> tuple[int, int] | None:
    """The offsets of the last bracket pair of ``body`` (open, close), if the body ends with it.

    A `。` or `；` after the closing bracket is allowed.
    """
    end = len(body.rstrip(" \t\n。．.；;"))
    if end == 0 or body[end - 1] not in "）)":
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        if body[i] in "）)":
            depth += 1
        elif body[i] in "（(":
            depth -= 1
            if depth == 0:
                return i, end - 1
    return None


def _clauses(content: str, no: int, year: int | None, file: str, line: int) -> Body | None:
    """Units, deadline and leaders of a trailing bracket's content; None if it assigns nothing."""
    clauses = [c.strip() for c in split_top(content, "，,；;")]
    clauses = [c for c in clauses if c]
    labels = [m.group(1) for m in map(FIELD_RE.match, map(names.clean, clauses)) if m]
    if any(label in LEAD_LABELS + SUPPORT_LABELS + UNITS_LABELS for label in labels):
        # Unit fields: a bare clause continues the field before it, as in the inline layout.
        glued = "；".join(c if FIELD_RE.match(names.clean(c)) else "、" + c for c in clauses).replace("；、", "、")
        return read_fields(glued, 0, no, year, file, lambda _: line)
    parsed: list[tuple[str, list[str]]] = []  # (verb kind, units)
    due = None
    has_verb = False
    joins: list[tuple[str, str]] = []
    leaders: tuple[str, ...] = ()
    supervisors: tuple[str, ...] = ()
    for clause in clauses:
        c = names.clean(clause)
        m = _VERB_RE.match(c)
        field = FIELD_RE.match(c)
        if field:
            value = c[field.end():]
            if field.group(1) in DUE_LABELS:
                due = parse_due(value, year)
            elif field.group(1) in LEADER_LABELS:
                leaders += people(value)
            else:
                supervisors += people(value)
        elif m and m.group(1):
            has_verb = True
            try:
                found = split_units(m.group(1), joins)
            except ValueError:
                raise LayoutError(file, line, f"expected unit names before {m.group(2)} in task {no}, "
                                  f"found {m.group(1)[:30]!r}") from None
            kind = ("lead" if m.group(2) in LEAD_VERBS else "responsible" if m.group(2) in RESPONSIBLE_VERBS
                    else "support")
            parsed.append((kind, found))
        elif is_deadline(c):
            due = parse_due(c, year)
        else:
            try:
                found = split_units(c)
            except ValueError:
                found = []
            if not found or not all(names.is_unit_like(u) or is_group(u) for u in found):
                if has_verb or any(k != "bare" for k, _ in parsed):
                    raise LayoutError(file, line, f"expected a 牵头/配合 clause or a deadline in the bracket of "
                                      f"task {no}, found {c[:30]!r}")
                return None
            parsed.append(("bare", found))
    if not parsed:
        return None
    has_lead = any(k == "lead" for k, _ in parsed)
    units = []
    for kind, found in parsed:
        for u in found:
            if kind == "lead" or kind == "responsible" and not has_lead:
                role = "lead"
            elif kind == "bare" and not has_lead and not units:
                role = "lead"
            else:
                role = "support"
            units.append(unit_ref(u, role))
    findings = [Finding("names-joined", "info", f"joined {a!r} + {b!r} → {a + b!r}", None, (line, line + 1),
                        (f"{a!r} cannot stand alone as a name",)) for a, b in joins]
    return Body(text="", units=tuple(units), supervisors=supervisors, due=due, lead_leaders=leaders,
                findings=findings)


def _body(item: Item, year: int | None, file: str) -> Body:
    body = item.body
    group = trailing_group(body)
    parsed = None
    if group:
        open_, close = group
        parsed = _clauses(body[open_ + 1:close], item.printed, year, file, item.line_at(open_))
    if parsed is None:
        return Body(text=names.clean_text(body))
    before, after = names.clean_text(body[:open_]), names.clean_text(body[close + 1:])
    if after.startswith(("。", "．")) and not before.endswith(("。", "；", "！", "？")):
        before += "。"
    parsed.text = before
    return parsed


def parse(text: str, file: str) -> ParseResult:
    """Parse a document of the trailing-parenthesis layout into records and findings.

    Raises LayoutError (file and line) where the outline breaks or a bracket that says who
    leads holds a clause it cannot read.
    """
    return parse_outline(text, file, "parenthesis", lambda item, year: _body(item, year, file))
