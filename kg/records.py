"""Task records: the plain data every parser produces and every later stage reads.

A record is one task of a decomposition table, as the source states it: its number,
chapter and section, text, units in source order (the first leading), the heads named
for each unit, the city leaders in charge and where in the source it came from.
Records hold no rdflib objects; they serialise to the JSON Lines format documented in
docs/records.md, which is a stable interface for other tools.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from kg.errors import RecordError

__all__ = ["UnitRef", "Source", "Due", "Task", "to_json", "from_json", "dump_jsonl", "load_jsonl", "FLAT_COLUMNS", "flat_row"]

ROLES = ("lead", "support")
KINDS = ("unit", "group")


@dataclass(frozen=True)
class UnitRef:
    """One unit's part in one task: its name, lead or support, its heads."""

    name: str
    role: str
    heads: tuple[str, ...] = ()
    parent: str | None = None
    kind: str = "unit"


@dataclass(frozen=True)
class Source:
    """Where a task came from: the file's name and the 1-based inclusive line range."""

    file: str
    lines: tuple[int, int]


@dataclass(frozen=True)
class Due:
    """A deadline (完成时限) as the source writes it, and as an ISO date or month where it can be read."""

    text: str
    date: str | None = None  # "2021-06-30" or "2021-06"; None where the text gives no date


@dataclass(frozen=True)
class Task:
    """One numbered task of a decomposition table."""

    no: int
    chapter: str
    section: str | None
    text: str
    units: tuple[UnitRef, ...]
    supervisors: tuple[str, ...]
    source: Source
    unassigned_heads: tuple[str, ...] = field(default=())
    due: Due | None = None
    lead_leaders: tuple[str, ...] = field(default=())

    @property
    def leads(self) -> tuple[UnitRef, ...]:
        """The units that lead (牵头) this task."""
        return tuple(u for u in self.units if u.role == "lead")

    @property
    def supports(self) -> tuple[UnitRef, ...]:
        """The units that support (配合) this task."""
        return tuple(u for u in self.units if u.role == "support")


def to_json(task: Task) -> dict[str, Any]:
    """The JSON object of one record, keys in the documented order."""
    return {
        "no": task.no,
        "chapter": task.chapter,
        "section": task.section,
        "text": task.text,
        "units": [
            {"name": u.name, "role": u.role, "kind": u.kind, "heads": list(u.heads), "parent": u.parent}
            for u in task.units
        ],
        "supervisors": list(task.supervisors),
        "unassigned_heads": list(task.unassigned_heads),
        "source": {"file": task.source.file, "lines": list(task.source.lines)},
        **({"due": {"text": task.due.text, "date": task.due.date}} if task.due else {}),
        **({"lead_leaders": list(task.lead_leaders)} if task.lead_leaders else {}),
    }


def _require(obj: dict, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise RecordError(f"{where}: missing key {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise RecordError(f"{where}: {key!r} should be {names}, got {type(value).__name__}")
    return value


def _str_list(obj: dict, key: str, where: str, default: list | None = None) -> tuple[str, ...]:
    if key not in obj and default is not None:
        return tuple(default)
    values = _require(obj, key, list, where)
    if not all(isinstance(v, str) and v for v in values):
        raise RecordError(f"{where}: {key!r} should be a list of non-empty strings")
    return tuple(values)


def from_json(obj: Any, where: str = "record") -> Task:
    """Check one decoded JSON object against the records format and build its Task.

    Raises RecordError naming the first key that breaks the format.
    """
    if not isinstance(obj, dict):
        raise RecordError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    no = _require(obj, "no", int, where)
    units = []
    for i, u in enumerate(_require(obj, "units", list, where)):
        uw = f"{where}: units[{i}]"
        if not isinstance(u, dict):
            raise RecordError(f"{uw}: expected an object")
        role = _require(u, "role", str, uw)
        if role not in ROLES:
            raise RecordError(f"{uw}: role should be one of {', '.join(ROLES)}, got {role!r}")
        kind = u.get("kind", "unit")
        if kind not in KINDS:
            raise RecordError(f"{uw}: kind should be one of {', '.join(KINDS)}, got {kind!r}")
        parent = u.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise RecordError(f"{uw}: parent should be a string or null")
        units.append(UnitRef(_require(u, "name", str, uw), role, _str_list(u, "heads", uw), parent, kind))
    source = _require(obj, "source", dict, where)
    lines = _require(source, "lines", list, f"{where}: source")
    if len(lines) != 2 or not all(isinstance(n, int) and n > 0 for n in lines) or lines[0] > lines[1]:
        raise RecordError(f"{where}: source.lines should be [start, end] with 0 < start <= end")
    section = obj.get("section")
    if section is not None and not isinstance(section, str):
        raise RecordError(f"{where}: 'section' should be a string or null")
    return Task(
        no=no,
        chapter=_require(obj, "chapter", str, where),
        section=section,
        text=_require(obj, "text", str, where),
        units=tuple(units),
        supervisors=_str_list(obj, "supervisors", where),
        source=Source(_require(source, "file", str, f"{where}: source"), (lines[0], lines[1])),
        unassigned_heads=_str_list(obj, "unassigned_heads", where, default=[]),
        due=_due(obj.get("due"), where),
        lead_leaders=_str_list(obj, "lead_leaders", where, default=[]),
    )


def _due(value: Any, where: str) -> Due | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        raise RecordError(f"{where}: 'due' should be an object with a 'text' string and a 'date'")
    date = value.get("date")
    if date is not None and not (isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", date)):
        raise RecordError(f"{where}: due.date should be YYYY-MM-DD, YYYY-MM or null, got {date!r}")
    return Due(value["text"], date)


def dump_jsonl(tasks: Iterable[Task]) -> str:
    """The records as JSON Lines text, Chinese kept as written (not \\u-escaped)."""
    return "".join(json.dumps(to_json(t), ensure_ascii=False) + "\n" for t in tasks)


def load_jsonl(text: str, name: str = "<records>") -> Iterator[Task]:
    """Read records from JSON Lines text; errors name the file and line.

    Lines end at ``\n`` only (``\r\n`` too): JSON strings may hold U+2028, U+0085 and the
    other characters :meth:`str.splitlines` would break a line at, and :func:`dump_jsonl`
    writes them unescaped.
    """
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        except RecursionError:
            raise RecordError(f"{where}: not a record (JSON nested too deeply)") from None
        yield from_json(obj, where)


#: Columns of the flat, one-row-per-task view of records (CSV and terminal tables).
FLAT_COLUMNS = ("no", "chapter", "section", "text", "lead", "support", "heads", "supervisors",
                "unassigned_heads", "file", "first_line", "last_line")


def flat_row(task: Task) -> tuple:
    """One task as a flat row of FLAT_COLUMNS; lists become `; `-separated text.

    ``heads`` pairs each unit with its heads as ``unit: head head``.
    """
    return (
        task.no,
        task.chapter,
        task.section or "",
        task.text,
        "; ".join(u.name for u in task.leads),
        "; ".join(u.name for u in task.supports),
        "; ".join(f"{u.name}: {' '.join(u.heads)}" for u in task.units if u.heads),
        "; ".join(task.supervisors),
        "; ".join(task.unassigned_heads),
        task.source.file,
        task.source.lines[0],
        task.source.lines[1],
    )
