"""The load model: how many tasks each unit head, city leader and unit carries, and how fairly.

All figures come from the networkx view of the graph (:mod:`kg.analysis.network`), so each is a
count of tasks a reader can find in the graph.

* **Unit heads (责任领导)** — a person or role named as a unit's head in a task carries
  that task: as lead if the unit leads it, as support if it supports. Weighted load =
  ``lead`` × led + ``support`` × supported (1.0 and 0.5 by default). Heads the source
  names for a task but not for one of its units count as ``unplaced`` (not weighted).
  Also: the distinct sections and city leaders of those tasks.
* **City leaders (分管市领导)** — tasks supervised; those shared with other city leaders
  and their share; a fractional load Σ 1/k over tasks with k city leaders; the units of
  those tasks; the sections spanned.
* **Units** — tasks led, tasks supported, weighted load, distinct partner units.
  A task assigned to a unit group (各镇政府、街道办事处) counts for each of its members
  when ``expand_groups`` is on (the default), and the report says so.
* **Inequality** — the Gini coefficient and the share of the top 10 % of each load.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import networkx as nx
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.analysis.network import finish_tasks, label, raw_task, select_rows, tasks_of
from kg.graph.namespaces import RK
from kg.graph.summary import LOAD_CLASSES, LOAD_FIGURES

__all__ = ["LoadParams", "head_loads", "leader_loads", "unit_loads", "gini", "top_share", "inequality",
           "LOAD_TABLES", "LOAD_ROWS", "LoadFacts", "LoadTally", "graph_loads", "merge_counts", "counted", "summary_loads",
           "summary_groups"]


@dataclass(frozen=True)
class LoadParams:
    """The weights of the load model."""

    lead: float = 1.0
    support: float = 0.5
    expand_groups: bool = True


def gini(values: list[float]) -> float:
    """The Gini coefficient of non-negative values: 0 when all are equal, near 1 when one holds all.

    >>> gini([1, 1, 1, 1])
    0.0
    >>> round(gini([0, 0, 0, 4]), 2)
    0.75
    """
    xs = sorted(v for v in values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    cum = sum((i + 1) * x for i, x in enumerate(xs))
    return (2 * cum) / (n * total) - (n + 1) / n


def top_share(values: list[float], fraction: float = 0.1) -> float:
    """The share of the total held by the top ``fraction`` of holders (at least one holder).

    >>> top_share([1] * 9 + [11])
    0.55
    """
    xs = sorted(values, reverse=True)
    total = sum(xs)
    if not xs or total == 0:
        return 0.0
    k = max(1, math.ceil(len(xs) * fraction))
    return round(sum(xs[:k]) / total, 4)


def inequality(rows: list[dict], key: str) -> dict:
    """Gini and top-10 % share of one load column."""
    values = [r[key] for r in rows]
    return {"measure": key, "holders": len(values), "gini": round(gini(values), 4), "top10_share": top_share(values)}


def _rank(rows: list[dict], key: str) -> list[dict]:
    rows.sort(key=lambda r: (-r[key], r["name"], r["iri"]))
    total = sum(r[key] for r in rows) or 1
    for i, r in enumerate(rows, 1):
        r["rank"] = i
        r["share"] = round(r[key] / total, 4)
    return rows


def _nodes(g: nx.MultiDiGraph) -> tuple[Callable[[str], str], Callable[[str], str | None]]:
    """The name and the kind of a node of the typed graph."""
    return (lambda n: label(g, n)), (lambda n: g.nodes[n].get("kind"))


def head_loads(g: nx.MultiDiGraph, params: LoadParams = LoadParams()) -> list[dict]:
    """One row per unit head (person or role); see the module docstring."""
    return head_rows(counted(head_counts(tasks_of(g, expand=False))), *_nodes(g), params)


# The figures per holder come in two forms. Partial: as :func:`head_counts`, :func:`leader_counts`
# and :func:`unit_counts` give them for some tasks, numbers for what adds up across graphs
# (each task is in one graph) and sets for the distinct units, people and sections (one unit
# works in the plans of several years); partial figures of several graphs merge
# (:func:`merge_counts`). Counted (:func:`counted`): the sets' sizes, as the tables show them.

def head_counts(tasks: dict[str, dict]) -> dict[str, dict]:
    """Per unit head, the partial figures of its row: the tasks it carries as lead, as support
    and unplaced, its units, and the sections and city leaders of its tasks."""
    acc: dict[str, dict] = defaultdict(lambda: {"led": set(), "supported": set(), "unplaced": set(), "units": set()})
    for t, rec in tasks.items():
        for unit, heads in rec["heads"].items():
            role = "led" if unit in rec["lead"] else "supported"
            for h in heads:
                acc[h][role].add(t)
                acc[h]["units"].add(unit)
        for h in rec["unassigned"]:
            acc[h]["unplaced"].add(t)
    out = {}
    for h, a in acc.items():
        carried = a["led"] | a["supported"] | a["unplaced"]
        out[h] = {"headed": a["units"], "tasks": len(carried), "led": len(a["led"]),
                  "supported": len(a["supported"] - a["led"]),
                  "unplaced": len(a["unplaced"] - a["led"] - a["supported"]),
                  "sections": {tasks[t]["section"] for t in carried},
                  "leaders": {s for t in carried for s in tasks[t]["supervisor"]}}
    return out


def head_rows(counts: dict[str, dict], name: Callable[[str], str], kind: Callable[[str], str | None],
              params: LoadParams = LoadParams()) -> list[dict]:
    """The ranked head table from counted figures (:func:`counted`, or the summary graph's)."""
    return _rank([{**{k: v for k, v in c.items() if k not in ("headed", "headed_names")},
                   "name": name(h), "kind": kind(h), "iri": h,
                   "units": "、".join(sorted(set(c["headed_names"] if "headed_names" in c else map(name, c["headed"])))),
                   "weighted": params.lead * c["led"] + params.support * c["supported"]}
                  for h, c in counts.items()], "weighted")


def leader_loads(g: nx.MultiDiGraph, params: LoadParams = LoadParams()) -> list[dict]:
    """One row per city leader; see the module docstring."""
    return leader_rows(counted(leader_counts(tasks_of(g, expand=params.expand_groups))), *_nodes(g), params)


def leader_counts(tasks: dict[str, dict]) -> dict[str, dict]:
    """Per city leader, the partial figures: tasks supervised, those shared and the fractional
    load (exact: a Fraction), and the units and sections of those tasks."""
    acc: dict[str, dict] = defaultdict(lambda: {"tasks": 0, "shared": 0, "fractional": Fraction(0), "units": set(),
                                                "sections": set()})
    for rec in tasks.values():
        k = len(rec["supervisor"])
        for s in rec["supervisor"]:
            a = acc[s]
            a["tasks"] += 1
            a["shared"] += k > 1
            a["fractional"] += Fraction(1, k)
            a["units"].update(rec["lead"] + rec["support"])
            a["sections"].add(rec["section"])
    return dict(acc)


def leader_rows(counts: dict[str, dict], name: Callable[[str], str], kind: Callable[[str], str | None],
                params: LoadParams = LoadParams()) -> list[dict]:
    """The ranked city-leader table from counted figures (kinds and weights play no part in it)."""
    return _rank([{**c, "name": name(s), "kind": "person", "iri": s,
                   "shared_share": round(c["shared"] / c["tasks"], 4)} for s, c in counts.items()], "tasks")


def unit_loads(g: nx.MultiDiGraph, params: LoadParams = LoadParams()) -> list[dict]:
    """One row per unit (groups expanded to their members by default); see the module docstring."""
    return unit_rows(counted(unit_counts(tasks_of(g, expand=params.expand_groups))), *_nodes(g), params)


def unit_counts(tasks: dict[str, dict]) -> dict[str, dict]:
    """Per unit, the partial figures: tasks led, supported, either, and its partner units."""
    acc: dict[str, dict] = defaultdict(lambda: {"led": 0, "supported": 0, "tasks": 0, "partners": set()})
    for rec in tasks.values():
        units = rec["lead"] + rec["support"]
        for u in rec["lead"]:
            acc[u]["led"] += 1
        for u in rec["support"]:
            acc[u]["supported"] += 1
        for u in units:
            acc[u]["tasks"] += 1
            acc[u]["partners"].update(v for v in units if v != u)
    return dict(acc)


def merge_counts(into: dict[str, dict], partial: dict[str, dict]) -> dict[str, dict]:
    """Add one graph's partial figures to those of others: numbers add up, sets join."""
    for holder, figures in partial.items():
        mine = into.get(holder)
        if mine is None:
            into[holder] = figures
            continue
        for key, value in figures.items():
            if isinstance(value, set):
                mine[key] |= value
            else:
                mine[key] += value
    return into


def counted(partial: dict[str, dict]) -> dict[str, dict]:
    """The figures as the tables show them: each set's size (but the units a head heads,
    listed to be named), the fractional load to four places."""
    return {holder: {key: (round(float(v), 4) if isinstance(v, Fraction) else sorted(v) if key == "headed" else
                           len(v) if isinstance(v, set) else v) for key, v in figures.items()}
            for holder, figures in partial.items()}


def unit_rows(counts: dict[str, dict], name: Callable[[str], str], kind: Callable[[str], str | None],
              params: LoadParams = LoadParams()) -> list[dict]:
    """The ranked unit table from :func:`unit_counts` (or the summary graph's same figures)."""
    return _rank([{**c, "name": name(u), "kind": kind(u), "iri": u,
                   "weighted": params.lead * c["led"] + params.support * c["supported"]}
                  for u, c in counts.items()], "weighted")


#: The load tables: --by name → (function, the column ranked and measured for inequality, columns shown).
LOAD_TABLES = {
    "head": (head_loads, "weighted", ("rank", "name", "kind", "units", "tasks", "led", "supported", "unplaced",
                                      "weighted", "share", "sections", "leaders")),
    "supervisor": (leader_loads, "tasks", ("rank", "name", "tasks", "shared", "shared_share", "fractional",
                                           "share", "units", "sections")),
    "unit": (unit_loads, "weighted", ("rank", "name", "kind", "tasks", "led", "supported", "weighted", "share",
                                      "partners")),
}


#: the ranked rows of each load table from its figures per holder (:func:`summary_loads`)
LOAD_ROWS = {"head": head_rows, "supervisor": leader_rows, "unit": unit_rows}

_KINDS = {RK.Task: "task", RK.Unit: "unit", RK.UnitGroup: "group", RK.Person: "person", RK.Role: "role",
          RK.Section: "section"}
_HOLDERS = ("unit", "group", "person", "role")
_RELATIONS = {RK.lead: "lead", RK.support: "support", RK.supervisor: "supervisor", RK.member: "member"}


def _text(term) -> str:
    """A term as an interned string: one object however often the graph names it."""
    return sys.intern(str(term))


class LoadFacts:
    """What the load tables need of a graph, collected from its triples as a build writes it,
    so that the tables of a thousand plans need not be read back out of the store.

    The facts are those the typed graph (:func:`kg.analysis.network.typed_graph`) reads with
    its SPARQL queries: the kind of each node, the holders' names, the task relations and the
    heads of each assignment, all within the one graph (the build writes a task with its assignments,
    sections, units and people); :meth:`tasks` gives the records of
    :func:`kg.analysis.network.tasks_of` over them.
    """

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.edges: set[tuple[str, str, str]] = set()
        self.heads: set[tuple[str, str, str]] = set()
        self.responsible: set[tuple[str, str]] = set()

    def add(self, triples) -> "LoadFacts":
        """Collect the facts of one graph's triples (rdflib terms). IRIs are interned: the
        figures of a worker's graph travel pickled, where one string is sent once."""
        tasks, heads, units, part_of, labels = {}, defaultdict(list), defaultdict(list), [], {}
        for s, p, o in triples:
            if p == RDF.type:
                if o in _KINDS:
                    self.kinds[_text(s)] = _KINDS[o]
            elif p == RDFS.label:
                labels[s] = o
            elif p in _RELATIONS:
                self.edges.add((_text(s), _RELATIONS[p], _text(o)))
            elif p == DCTERMS.isPartOf:
                part_of.append((_text(s), _text(o)))
            elif p == RK.assignment:
                tasks[o] = _text(s)
            elif p == RK.head:
                heads[s].append(_text(o))
            elif p == RK.unit:
                units[s].append(_text(o))
            elif p == RK.responsible:
                self.responsible.add((_text(s), _text(o)))
        self.heads.update((task, h, u) for a, task in tasks.items() for h in heads[a] for u in units[a])
        # of what is part of something, only the tasks' sections count (not targets, statements)
        self.edges.update((s, "part_of", o) for s, o in part_of if self.kinds.get(s) == "task")
        self.names.update((_text(x), str(name)) for x, name in labels.items() if self.kinds.get(str(x)) in _HOLDERS)
        return self

    def tasks(self, expand: bool) -> dict[str, dict]:
        """The records of :func:`kg.analysis.network.tasks_of` (``expand``: groups stand for their members)."""
        raw = {x: raw_task() for x, kind in self.kinds.items() if kind == "task"}
        members: dict[str, list[str]] = defaultdict(list)
        for s, rel, o in self.edges:
            if rel == "member":
                if expand and self.kinds.get(s) == "group":
                    members[s].append(o)
            elif s not in raw:
                continue
            elif rel == "part_of":
                if self.kinds.get(o) == "section":
                    raw[s]["section"] = o
            else:
                raw[s][rel].append(o)
        placed = set()
        for task, head, unit in self.heads:
            if task in raw:
                raw[task]["heads"][unit].append(head)
            placed.add((task, head))
        for task, person in self.responsible - placed:
            if task in raw:
                raw[task]["unassigned"].append(person)
        return finish_tasks(raw, members)


def graph_loads(triples) -> dict[str, dict]:
    """One graph's partial figures of the three load tables, with the default model (unit
    groups loading their members, as the graph lists them): --by name → holder → figures;
    and under ``holders`` each holder's (kind, name) as the typed graph would give them."""
    facts = LoadFacts().add(triples)
    expanded = facts.tasks(expand=True)
    holders = {x: (kind, facts.names.get(x, x)) for x, kind in facts.kinds.items() if kind in _HOLDERS}
    return {"head": head_counts(facts.tasks(expand=False)), "supervisor": leader_counts(expanded),
            "unit": unit_counts(expanded), "holders": holders}


class LoadTally:
    """The load tables of a build, merged from each graph's :func:`graph_loads` as they come
    (a plan's from its worker): numbers add up, distinct sets join."""

    def __init__(self) -> None:
        self.partial: dict[str, dict[str, dict]] = {by: {} for by in LOAD_TABLES}
        self.holders: dict[str, tuple[str, str]] = {}

    def add(self, loads: dict[str, dict]) -> None:
        for by in LOAD_TABLES:
            merge_counts(self.partial[by], loads[by])
        self.holders.update(loads["holders"])

    def tables(self) -> dict[str, dict[str, dict]]:
        """The counted figures of each table, for the summary graph, each holder's with its
        ``name`` and ``kind`` (the IRI and none for a holder no graph types), a head's with
        the names of the units it heads (``headed_names``)."""
        out = {by: counted(holders) for by, holders in self.partial.items()}
        for by, holders in out.items():
            for holder, figures in holders.items():
                figures["kind"], figures["name"] = self.holders.get(holder, (None, holder))
                if by == "head":
                    figures["headed_names"] = [self.holders.get(u, (None, u))[1] for u in figures["headed"]]
        return out


# One figure of every load row: over Oxigraph's index of the summary graph, a scan, where
# a row-at-a-time join takes a lookup per figure (27 µs each at a thousand plans).
_COLUMN = """SELECT ?row ?value WHERE {{ GRAPH ?summary {{ ?summary a rk:Summary . ?row {prop} ?value }} }}"""
# The rows whole, in one answer (a server names blank nodes afresh in each answer).
_ROWS = """SELECT ?holder ?name ?kind {variables} (GROUP_CONCAT(?unit; separator="\\u001f") AS ?units) WHERE {{
  GRAPH ?summary {{ ?summary a rk:Summary . ?row a {cls} ; rk:holder ?holder ; rk:holderName ?name ; {patterns}
                   OPTIONAL {{ ?row rk:holderKind ?kind }} OPTIONAL {{ ?row rk:headedUnitName ?unit }} }}
}} GROUP BY ?row ?holder ?name ?kind {variables}"""
# the unit groups the plans relate: with members, or assigned a task (UNION, not a path: 80 times faster)
_GROUPS = """SELECT ?group ?name (COUNT(DISTINCT ?member) AS ?members) WHERE {
  ?group a rk:UnitGroup .
  FILTER EXISTS { { ?group rk:member ?any } UNION { ?led rk:lead ?group } UNION { ?supported rk:support ?group } }
  OPTIONAL { ?group rdfs:label ?name }
  OPTIONAL { ?group rk:member ?member }
} GROUP BY ?group ?name"""


def _number(key: str, value: str):
    return float(value) if key == "fractional" else int(value)


def _scanned(store, by: str) -> dict[str, dict]:
    """The rows of one load table, a column at a time (the embedded store: its blank nodes
    keep their names from one answer to the next)."""
    rows = {row for row, value in select_rows(store, _COLUMN.format(prop=RDF.type.n3()))
            if value == str(LOAD_CLASSES[by])}
    out: dict[str, dict] = {row: {"headed_names": []} if by == "head" else {} for row in rows}
    columns = {"holder": RK.holder, "name": RK.holderName, "kind": RK.holderKind, **LOAD_FIGURES[by]}
    for key, prop in columns.items():
        for row, value in select_rows(store, _COLUMN.format(prop=prop.n3())):
            if row in rows:
                out[row][key] = value if key in ("holder", "name", "kind") else _number(key, value)
    if by == "head":
        for row, value in select_rows(store, _COLUMN.format(prop=RK.headedUnitName.n3())):
            if row in rows:
                out[row]["headed_names"].append(value)
    return {figures.pop("holder"): figures for figures in out.values()}


def _joined(store, by: str) -> dict[str, dict]:
    """The rows of one load table in one answer (a server, the memory store)."""
    figures = LOAD_FIGURES[by]
    sparql = _ROWS.format(variables=" ".join(f"?{k}" for k in figures), cls=LOAD_CLASSES[by].n3(),
                          patterns=" ; ".join(f"{prop.n3()} ?{k}" for k, prop in figures.items()))
    out = {}
    for holder, name, kind, *values, units in select_rows(store, sparql):
        row = {"name": name, "kind": kind, **{k: _number(k, v) for k, v in zip(figures, values)}}
        if by == "head":
            row["headed_names"] = units.split("\u001f") if units else []
        out[holder] = row
    return out


def summary_loads(store, by: str, params: LoadParams = LoadParams()) -> list[dict] | None:
    """The ranked rows of one load table read from the summary graph the build wrote
    (:mod:`kg.graph.summary`): one row per holder, with the holder's name and kind as the
    build read them, whatever the number of plans. None where the summary graph holds no load
    figures (a store built by an older respkg), and for ``--no-expand-groups``, which the
    summary does not hold: the caller counts from the graph."""
    if not params.expand_groups:
        return None
    counts = _scanned(store, by) if hasattr(store, "ox") else _joined(store, by)
    if not counts:
        return None
    return LOAD_ROWS[by](counts, lambda x: counts[x]["name"], lambda x: counts[x].get("kind"), params)


def summary_groups(store) -> list[tuple[str, int]]:
    """(name, number of members) of each unit group the plans relate, for the report's note."""
    return [(name if name is not None else group, int(k)) for group, name, k in select_rows(store, _GROUPS)]
