"""Parser for the inline layout: each task's text followed by labelled fields.

::

    12.推进数字政府建设。牵头单位：县发改局；配合单位：县财政局、县统计局；完成时限：2021年6月底前
    3、……（主办单位:县住建局;协办单位:县自然资源局）

The task sits in the outline of :mod:`kg.parse.outline`; its body is the text up to the
first field label, then the fields, separated by `；` `;` `。` or line breaks and
sometimes wrapped in one pair of brackets. The labels (full- or half-width colon):

- leads: 牵头单位, 主办单位, 牵头部门, 主责单位;
- supports: 配合单位, 协办单位, 协助单位, 配合部门, 参与单位;
- 责任单位 / 责任部门: the supports where the task names a lead field; otherwise the whole
  list, the first leading — every unit leading where the list ends in 分别牵头 or
  共同牵头 (as in the two-line layout, :mod:`kg.parse.twoline`);
- deadline: 完成时限, 完成时间, 完成期限, 时间节点 (read by :mod:`kg.parse.dates`);
- lead leaders: 牵头领导, 责任领导, 牵头市领导, 牵头县领导;
- supervisors: 分管市领导, 分管县领导, 分管区领导, 分管领导.

A task without fields is kept with no units (the quality report says `no-lead`); a field
value that is not a list of names breaks the layout.
"""

from __future__ import annotations

import re
from typing import Callable

from kg import names
from kg.errors import LayoutError
from kg.parse.dates import parse_due
from kg.parse.outline import Body, Item, parse_outline
from kg.parse.result import ParseResult
from kg.parse.units import split_units, unit_ref
from kg.quality import Finding
from kg.records import Due

__all__ = ["parse", "looks_like", "EXPECTED", "read_fields", "FIELD_RE", "task_text", "people"]

LEAD_LABELS = ("牵头单位", "主办单位", "牵头部门", "主责单位")
SUPPORT_LABELS = ("配合单位", "协办单位", "协助单位", "配合部门", "参与单位")
UNITS_LABELS = ("责任单位", "责任部门")
DUE_LABELS = ("完成时限", "完成时间", "完成期限", "时间节点")
LEADER_LABELS = ("牵头领导", "责任领导", "牵头市领导", "牵头县领导")
SUPERVISOR_LABELS = ("分管市领导", "分管县领导", "分管区领导", "分管领导")
_LABELS = LEAD_LABELS + SUPPORT_LABELS + UNITS_LABELS + DUE_LABELS + LEADER_LABELS + SUPERVISOR_LABELS
FIELD_RE = re.compile("(" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")\s*[：:]")
_LEAD_FIELD_RE = re.compile("(" + "|".join(LEAD_LABELS) + r")\s*[：:]")
#: Endings of a unit list in which every unit leads its own part.
SEPARATE_LEADS = ("分别牵头", "共同牵头")
#: What the layout needs, said when a document does not have it.
EXPECTED = "no 牵头单位：/主办单位： field after a task's text"
_EDGE = " \t\n；;。.，,"


def looks_like(text: str) -> bool:
    """True if at least two tasks name their lead in a 牵头单位： (or 主办单位：) field."""
    return len(_LEAD_FIELD_RE.findall(text)) >= 2


def task_text(raw: str) -> str:
    """A task's text: cleaned, without the separators or bracket that open its fields."""
    text = names.clean_text(raw)
    return re.sub(r"[\s；;，,（(]+$", "", text)


def people(value: str) -> tuple[str, ...]:
    """The people of a leaders field (`王强、李明` or `王强 李明`), cleaned."""
    return tuple(p for p in re.split(r"[、，,；;\s]+", value) if p)


def _strip_value(value: str) -> str:
    value = value.strip(_EDGE)
    while value and value[-1] in "）)" and value.count("（") + value.count("(") < value.count("）") + value.count(")"):
        value = value[:-1].rstrip(_EDGE)
    return value


def _separate_leads(value: str) -> tuple[str, bool]:
    """A unit list without its 分别牵头 ending, and whether it had one."""
    m = re.search("[（(]?(" + "|".join(SEPARATE_LEADS) + ")[）)]?$", value)
    return (value[:m.start()].rstrip(_EDGE), True) if m else (value, False)


def read_fields(body: str, start: int, no: int, year: int | None, file: str,
                line_at: Callable[[int], int]) -> Body:
    """The fields of a task body from ``start`` on (the text before it is not read here).

    ``line_at`` maps an offset of ``body`` to its source line, for errors.
    """
    matches = [m for m in FIELD_RE.finditer(body) if m.start() >= start]
    has_lead_field = any(m.group(1) in LEAD_LABELS for m in matches)
    units: list[tuple[str, str]] = []
    supervisors: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    due: Due | None = None
    findings: list[Finding] = []
    for m, nxt in zip(matches, matches[1:] + [None]):
        label = m.group(1)
        value = _strip_value(body[m.end():nxt.start() if nxt else len(body)])
        if label in DUE_LABELS:
            due = parse_due(value, year) if value else None
            continue
        if label in LEADER_LABELS:
            leaders += people(value)
            continue
        if label in SUPERVISOR_LABELS:
            supervisors += people(value)
            continue
        value, separate = _separate_leads(value)
        joins: list[tuple[str, str]] = []
        try:
            found = split_units(value, joins)
        except ValueError as exc:
            raise LayoutError(file, line_at(m.end()), f"expected unit names after {label}： in task {no}, "
                              f"found {str(exc)[:30]!r}") from None
        line = line_at(m.end())
        findings += [Finding("names-joined", "info", f"joined {a!r} + {b!r} → {a + b!r}", None, (line, line + 1),
                             (f"{a!r} cannot stand alone as a name",)) for a, b in joins]
        if label in LEAD_LABELS:
            units += [(u, "lead") for u in found]
        elif label in SUPPORT_LABELS or has_lead_field:
            units += [(u, "lead" if separate else "support") for u in found]
        else:
            units += [(u, "lead" if separate or i == 0 else "support") for i, u in enumerate(found)]
    return Body(text="", units=tuple(unit_ref(u, role) for u, role in units), supervisors=supervisors,
                due=due, lead_leaders=leaders, findings=findings)


def fields_body(item: Item, year: int | None, file: str, line_start: bool = False) -> Body:
    """Read one task of the inline (or, with ``line_start``, the two-line) layout."""
    body = item.body
    first = FIELD_RE.search(body)
    if first is None:
        return Body(text=task_text(body))
    text = task_text(body[:first.start()])
    if not text:
        raise LayoutError(file, item.line_at(first.start()), f"expected the text of task {item.printed} "
                          f"before {first.group(1)}：")
    if line_start and not (first.start() > 0 and body[first.start() - 1] == "\n"):
        raise LayoutError(file, item.line_at(first.start()), f"expected {first.group(1)}： to begin a line "
                          f"of its own after the text of task {item.printed}")
    fields = read_fields(body, first.start(), item.printed, year, file, item.line_at)
    fields.text = text
    return fields


def parse(text: str, file: str) -> ParseResult:
    """Parse a document of the inline layout into records and findings.

    Raises LayoutError (file and line) where the outline or a task's fields break the layout.
    """
    return parse_outline(text, file, "inline", lambda item, year: fields_body(item, year, file))
