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
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

import networkx as nx
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.analysis.network import finish_tasks, label, raw_task, select_rows, tasks_of
from kg.graph.namespaces import RK
from kg.graph.summary import LOAD_CLASSES, LOAD_FIGURES

__all__ = ["LoadParams", "head_loads", "leader_loads", "unit_loads", "gini", "top_share", "inequality",
           "LOAD_TABLES", "LoadFacts", "load_counts", "summary_loads", "summary_groups"]


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
    return head_rows(head_counts(tasks_of(g, expand=False)), *_nodes(g), params)


def head_counts(tasks: dict[str, dict]) -> dict[str, dict]:
    """Per unit head, the figures of its row before weighting and naming: the tasks it
    carries as lead, as support and unplaced, its units, and the sections and city leaders
    of its tasks (counted)."""
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
        out[h] = {"units": sorted(a["units"]), "tasks": len(carried), "led": len(a["led"]),
                  "supported": len(a["supported"] - a["led"]),
                  "unplaced": len(a["unplaced"] - a["led"] - a["supported"]),
                  "sections": len({tasks[t]["section"] for t in carried}),
                  "leaders": len({s for t in carried for s in tasks[t]["supervisor"]})}
    return out


def head_rows(counts: dict[str, dict], name: Callable[[str], str], kind: Callable[[str], str | None],
              params: LoadParams = LoadParams()) -> list[dict]:
    """The ranked head table from :func:`head_counts` (or the summary graph's same figures)."""
    return _rank([{**c, "name": name(h), "kind": kind(h), "iri": h,
                   "units": "、".join(sorted(name(u) for u in c["units"])),
                   "weighted": params.lead * c["led"] + params.support * c["supported"]}
                  for h, c in counts.items()], "weighted")


def leader_loads(g: nx.MultiDiGraph, params: LoadParams = LoadParams()) -> list[dict]:
    """One row per city leader; see the module docstring."""
    return leader_rows(leader_counts(tasks_of(g, expand=params.expand_groups)), *_nodes(g), params)


def leader_counts(tasks: dict[str, dict]) -> dict[str, dict]:
    """Per city leader: tasks supervised, those shared and the fractional load, and the units
    and sections of those tasks (counted)."""
    acc: dict[str, dict] = defaultdict(lambda: {"tasks": set(), "shared": set(), "fraction": 0.0, "units": set(),
                                                "sections": set()})
    for t, rec in tasks.items():
        k = len(rec["supervisor"])
        for s in rec["supervisor"]:
            a = acc[s]
            a["tasks"].add(t)
            if k > 1:
                a["shared"].add(t)
            a["fraction"] += 1 / k
            a["units"].update(rec["lead"] + rec["support"])
            a["sections"].add(rec["section"])
    return {s: {"tasks": len(a["tasks"]), "shared": len(a["shared"]), "fractional": round(a["fraction"], 4),
                "units": len(a["units"]), "sections": len(a["sections"])} for s, a in acc.items()}


def leader_rows(counts: dict[str, dict], name: Callable[[str], str], kind: Callable[[str], str | None],
                params: LoadParams = LoadParams()) -> list[dict]:
    """The ranked city-leader table from :func:`leader_counts` (kinds and weights play no part in it)."""
    return _rank([{**c, "name": name(s), "kind": "person", "iri": s,
                   "shared_share": round(c["shared"] / c["tasks"], 4)} for s, c in counts.items()], "tasks")


def unit_loads(g: nx.MultiDiGraph, params: LoadParams = LoadParams()) -> list[dict]:
    """One row per unit (groups expanded to their members by default); see the module docstring."""
    return unit_rows(unit_counts(tasks_of(g, expand=params.expand_groups)), *_nodes(g), params)


def unit_counts(tasks: dict[str, dict]) -> dict[str, dict]:
    """Per unit: tasks led, supported, either, and its distinct partner units (counted)."""
    acc: dict[str, dict] = defaultdict(lambda: {"led": set(), "supported": set(), "partners": set()})
    for t, rec in tasks.items():
        units = rec["lead"] + rec["support"]
        for u in rec["lead"]:
            acc[u]["led"].add(t)
        for u in rec["support"]:
            acc[u]["supported"].add(t)
        for u in units:
            acc[u]["partners"].update(v for v in units if v != u)
    return {u: {"led": len(a["led"]), "supported": len(a["supported"]), "tasks": len(a["led"] | a["supported"]),
                "partners": len(a["partners"])} for u, a in acc.items()}


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
_RELATIONS = {RK.lead: "lead", RK.support: "support", RK.supervisor: "supervisor", RK.member: "member"}
_HOLDERS = ("unit", "group", "person", "role")


class LoadFacts:
    """What the load tables need of graphs, collected from their triples as a build writes
    them, so that the tables of a thousand plans need not be read back out of the store.

    The facts are those the typed graph (:func:`kg.analysis.network.typed_graph`) reads with
    its SPARQL queries: the kind of each node, the names of the holders, the task relations
    and the heads of each assignment, joined within the graph that holds the assignment
    (the build writes a task and its assignments together). Facts of several graphs merge
    as the union of the graphs does (:meth:`merge`); :meth:`tasks` gives the records of
    :func:`kg.analysis.network.tasks_of` over them.
    """

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.edges: set[tuple[str, str, str]] = set()
        self.heads: set[tuple[str, str, str]] = set()
        self.responsible: set[tuple[str, str]] = set()

    def add(self, triples) -> "LoadFacts":
        """Collect the facts of one graph's triples (rdflib terms)."""
        tasks, heads, units, labels, part_of = {}, defaultdict(list), defaultdict(list), {}, []
        for s, p, o in triples:
            if p == RDF.type:
                if o in _KINDS:
                    self.kinds[str(s)] = _KINDS[o]
            elif p == RDFS.label:
                labels[str(s)] = str(o)
            elif p in _RELATIONS:
                self.edges.add((str(s), _RELATIONS[p], str(o)))
            elif p == DCTERMS.isPartOf:
                part_of.append((str(s), str(o)))
            elif p == RK.assignment:
                tasks[o] = str(s)
            elif p == RK.head:
                heads[s].append(str(o))
            elif p == RK.unit:
                units[s].append(str(o))
            elif p == RK.responsible:
                self.responsible.add((str(s), str(o)))
        self.heads.update((task, h, u) for a, task in tasks.items() for h in heads[a] for u in units[a])
        # of what is part of something, only the tasks' sections count (not targets, statements)
        self.edges.update((s, "part_of", o) for s, o in part_of if self.kinds.get(s) == "task")
        self.names.update((x, name) for x, name in labels.items() if self.kinds.get(x) in _HOLDERS)
        return self

    def merge(self, other: "LoadFacts") -> "LoadFacts":
        """Add the facts of other graphs (as from a build worker)."""
        self.kinds.update(other.kinds)
        self.names.update(other.names)
        self.edges |= other.edges
        self.heads |= other.heads
        self.responsible |= other.responsible
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

    def name(self, node: str) -> str:
        """A holder's Chinese name (its IRI where it has none), as :func:`kg.analysis.network.label`."""
        return self.names.get(node, node)

    def kind(self, node: str) -> str | None:
        return self.kinds.get(node)


def load_counts(facts: LoadFacts) -> dict[str, dict[str, dict]]:
    """The figures of the three load tables with the default model (unit groups loading their
    members), per holder, for the summary graph: --by name → holder → figures."""
    expanded = facts.tasks(expand=True)
    return {"head": head_counts(facts.tasks(expand=False)), "supervisor": leader_counts(expanded),
            "unit": unit_counts(expanded)}


_SUMMARY_ROWS = """SELECT ?holder {variables} WHERE {{
  GRAPH ?summary {{ ?summary a rk:Summary . ?row a {cls} ; rk:holder ?holder ; {patterns} }}
}}"""
_HEADED_UNITS = """SELECT ?holder ?unit WHERE {
  GRAPH ?summary { ?summary a rk:Summary . ?row a rk:HeadLoad ; rk:holder ?holder ; rk:headedUnit ?unit }
}"""
# the holders' kinds and names as the typed graph has them: a name only for a node of a kind
_HOLDER_NAMES = """SELECT DISTINCT ?x ?kind ?name WHERE {{
  GRAPH ?summary {{ ?summary a rk:Summary . ?row a {cls} . {{ ?row rk:holder ?x }} UNION {{ ?row rk:headedUnit ?x }} }}
  OPTIONAL {{
    VALUES (?class ?kind) {{ (rk:Unit "unit") (rk:UnitGroup "group") (rk:Person "person") (rk:Role "role") }}
    ?x a ?class . OPTIONAL {{ ?x rdfs:label ?name }}
  }}
}}"""
_GROUPS = """SELECT ?group ?name (COUNT(DISTINCT ?member) AS ?members) WHERE {
  ?group a rk:UnitGroup .
  FILTER EXISTS { { ?group rk:member ?any } UNION { ?task rk:lead|rk:support ?group . ?task a rk:Task } }
  OPTIONAL { ?group rdfs:label ?name }
  OPTIONAL { ?group rk:member ?member }
} GROUP BY ?group ?name"""


def summary_loads(store, by: str, params: LoadParams = LoadParams()) -> list[dict] | None:
    """The ranked rows of one load table read from the summary graph the build wrote
    (:mod:`kg.graph.summary`): one row per holder, whatever the number of plans. None where
    the summary graph holds no load figures (a store built by an older respkg), and for
    ``--no-expand-groups``, which the summary does not hold: the caller counts from the graph."""
    if not params.expand_groups:
        return None
    figures = LOAD_FIGURES[by]
    cls = LOAD_CLASSES[by].n3()
    sparql = _SUMMARY_ROWS.format(variables=" ".join(f"?{k}" for k in figures), cls=cls,
                                  patterns=" ; ".join(f"{prop.n3()} ?{k}" for k, prop in figures.items()))
    rows = select_rows(store, sparql)
    if not rows:
        return None
    counts = {r[0]: {k: (float(v) if k == "fractional" else int(v)) for k, v in zip(figures, r[1:])} for r in rows}
    if by == "head":
        for c in counts.values():
            c["units"] = []
        for holder, unit in select_rows(store, _HEADED_UNITS):
            counts[holder]["units"].append(unit)
    nodes = {x: (kind, name) for x, kind, name in select_rows(store, _HOLDER_NAMES.format(cls=cls))}

    def name(x: str) -> str:
        kind, value = nodes.get(x, (None, None))
        return value if kind is not None and value is not None else x

    def kind(x: str) -> str | None:
        return nodes.get(x, (None, None))[0]

    return LOAD_ROWS[by](counts, name, kind, params)


def summary_groups(store) -> list[tuple[str, int]]:
    """(name, number of members) of each unit group the plans relate, for the report's note."""
    return [(name if name is not None else group, int(k)) for group, name, k in select_rows(store, _GROUPS)]
