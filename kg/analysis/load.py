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

import networkx as nx

from kg.analysis.network import label, tasks_of

__all__ = ["LoadParams", "head_loads", "leader_loads", "unit_loads", "gini", "top_share", "inequality",
           "LOAD_TABLES"]


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
    rows.sort(key=lambda r: (-r[key], r["name"]))
    total = sum(r[key] for r in rows) or 1
    for i, r in enumerate(rows, 1):
        r["rank"] = i
        r["share"] = round(r[key] / total, 4)
    return rows


def head_loads(g: nx.MultiDiGraph, params: LoadParams = LoadParams()) -> list[dict]:
    """One row per unit head (person or role); see the module docstring."""
    acc: dict[str, dict] = defaultdict(lambda: {"led": set(), "supported": set(), "unplaced": set(), "units": set()})
    tasks = tasks_of(g, expand=False)
    for t, rec in tasks.items():
        for unit, heads in rec["heads"].items():
            role = "led" if unit in rec["lead"] else "supported"
            for h in heads:
                acc[h][role].add(t)
                acc[h]["units"].add(unit)
        for h in rec["unassigned"]:
            acc[h]["unplaced"].add(t)
    rows = []
    for h, a in acc.items():
        carried = a["led"] | a["supported"] | a["unplaced"]
        rows.append({
            "name": label(g, h), "kind": g.nodes[h].get("kind"), "iri": h,
            "units": "、".join(sorted(label(g, u) for u in a["units"])),
            "tasks": len(carried), "led": len(a["led"]), "supported": len(a["supported"] - a["led"]),
            "unplaced": len(a["unplaced"] - a["led"] - a["supported"]),
            "weighted": params.lead * len(a["led"]) + params.support * len(a["supported"] - a["led"]),
            "sections": len({tasks[t]["section"] for t in carried}),
            "leaders": len({s for t in carried for s in tasks[t]["supervisor"]}),
        })
    return _rank(rows, "weighted")


def leader_loads(g: nx.MultiDiGraph, params: LoadParams = LoadParams()) -> list[dict]:
    """One row per city leader; see the module docstring."""
    acc: dict[str, dict] = defaultdict(lambda: {"tasks": set(), "shared": set(), "fraction": 0.0, "units": set(),
                                                "sections": set()})
    for t, rec in tasks_of(g, expand=params.expand_groups).items():
        k = len(rec["supervisor"])
        for s in rec["supervisor"]:
            a = acc[s]
            a["tasks"].add(t)
            if k > 1:
                a["shared"].add(t)
            a["fraction"] += 1 / k
            a["units"].update(rec["lead"] + rec["support"])
            a["sections"].add(rec["section"])
    rows = [{
        "name": label(g, s), "kind": "person", "iri": s, "tasks": len(a["tasks"]), "shared": len(a["shared"]),
        "shared_share": round(len(a["shared"]) / len(a["tasks"]), 4), "fractional": round(a["fraction"], 4),
        "units": len(a["units"]), "sections": len(a["sections"]),
    } for s, a in acc.items()]
    return _rank(rows, "tasks")


def unit_loads(g: nx.MultiDiGraph, params: LoadParams = LoadParams()) -> list[dict]:
    """One row per unit (groups expanded to their members by default); see the module docstring."""
    acc: dict[str, dict] = defaultdict(lambda: {"led": set(), "supported": set(), "partners": set()})
    for t, rec in tasks_of(g, expand=params.expand_groups).items():
        units = rec["lead"] + rec["support"]
        for u in rec["lead"]:
            acc[u]["led"].add(t)
        for u in rec["support"]:
            acc[u]["supported"].add(t)
        for u in units:
            acc[u]["partners"].update(v for v in units if v != u)
    rows = [{
        "name": label(g, u), "kind": g.nodes[u].get("kind"), "iri": u, "led": len(a["led"]),
        "supported": len(a["supported"]), "tasks": len(a["led"] | a["supported"]),
        "weighted": params.lead * len(a["led"]) + params.support * len(a["supported"]),
        "partners": len(a["partners"]),
    } for u, a in acc.items()]
    return _rank(rows, "weighted")


#: The load tables: --by name → (function, the column ranked and measured for inequality, columns shown).
LOAD_TABLES = {
    "head": (head_loads, "weighted", ("rank", "name", "kind", "units", "tasks", "led", "supported", "unplaced",
                                      "weighted", "share", "sections", "leaders")),
    "supervisor": (leader_loads, "tasks", ("rank", "name", "tasks", "shared", "shared_share", "fractional",
                                           "share", "units", "sections")),
    "unit": (unit_loads, "weighted", ("rank", "name", "kind", "tasks", "led", "supported", "weighted", "share",
                                      "partners")),
}
