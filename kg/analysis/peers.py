"""One measure across every government of a year: the targets a planner compares with peers.

:func:`peer_targets` runs the named query ``peer-targets`` (``ontology/queries/peer-targets.rq``)
for a measure and a year and returns its rows as :class:`PeerTarget` records;
:func:`spreads` summarises them — count, minimum, median, maximum and the governments at
either end — once per kind and unit, since a growth rate in % and a level in 亿元 of the
same measure are no one distribution.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from kg.parse.narrative import sentences
from kg.read.targets import measure_key
from kg.sparql import query as q

__all__ = ["PeerTarget", "Spread", "peer_targets", "spreads", "COLUMNS"]

#: The query's columns, in order: the fields of :class:`PeerTarget`.
COLUMNS = ("government", "value", "comparator", "unit", "kind", "words", "text", "report")


@dataclass(frozen=True)
class PeerTarget:
    """One government's target for the measure: a row of ``peer-targets``."""

    government: str | None
    value: float
    comparator: str | None
    unit: str | None
    kind: str
    words: str
    text: str
    report: str

    @property
    def sentence(self) -> str:
        """The sentence of the planned task's text that holds the target's words (a targets
        paragraph read as one item runs on for several sentences), else the whole text."""
        return next((s for s in sentences(self.text) if self.words in s), self.text)

    @property
    def who(self) -> str:
        """The government, else the report's title (a report whose title names no government)."""
        return self.government or self.report


@dataclass(frozen=True)
class Spread:
    """The distribution of one kind and unit of the targets."""

    kind: str
    unit: str | None
    count: int
    minimum: float
    median: float
    maximum: float
    at_minimum: tuple[str, ...]
    at_maximum: tuple[str, ...]


def _number(value) -> float:
    return float(value) if isinstance(value, Decimal) else value


def peer_targets(store, measure: str, year: int | str) -> list[PeerTarget]:
    """The targets of ``measure`` in every government's work report for ``year``, by value.

    ``measure`` is read as a text would write it and reduced to its measure key
    (全市地区生产总值 → 地区生产总值); ``year`` must be a whole number
    (:class:`kg.errors.QueryError` otherwise). Both are bound as RDF terms.
    """
    nq = q.find_named("peer-targets")
    bindings = q.resolve_params(store, nq, {"measure": measure_key(measure.strip()), "year": str(year).strip()})
    result = q.run(store, nq.text, bindings)
    out = []
    for row in result.rows:
        cells = dict(zip(result.columns, row))
        texts = {c: None if cells[c] is None else str(cells[c]) for c in COLUMNS if c != "value"}
        out.append(PeerTarget(value=_number(cells["value"].toPython()), **texts))
    return out


def spreads(rows: list[PeerTarget]) -> list[Spread]:
    """One :class:`Spread` per kind and unit of ``rows``, the largest group first."""
    groups: dict[tuple[str, str | None], list[PeerTarget]] = defaultdict(list)
    for r in rows:
        groups[(r.kind, r.unit)].append(r)
    out = []
    for (kind, unit), group in groups.items():
        values = [r.value for r in group]
        low, high = min(values), max(values)
        out.append(Spread(kind, unit, len(group), low, statistics.median(values), high,
                          tuple(dict.fromkeys(r.who for r in group if r.value == low)),
                          tuple(dict.fromkeys(r.who for r in group if r.value == high))))
    return sorted(out, key=lambda s: (-s.count, s.kind, s.unit or ""))
