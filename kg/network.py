"""The networkx view of the graph: who works with whom on which task.

:func:`typed_graph` reads the RDF graph (the source of truth) through SPARQL and builds
one ``networkx.MultiDiGraph`` whose nodes are tasks, units, unit groups, people, roles and
sections (attribute ``kind``, Chinese ``label``) and whose edges carry the relation
(``rel``): ``lead``, ``support``, ``supervisor``, ``head`` (person or role → unit, per
task), ``part_of`` (task → section, section → chapter) and ``member`` (group → unit).

The projections turn it into the graphs the analyses need: units that share tasks,
city leaders who supervise the same tasks, people who work on the same tasks, and the
bipartite graph of city leaders and the units under them.

Node keys are the IRIs as strings, so every figure can be traced back to the graph.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx

__all__ = [
    "typed_graph", "tasks_of", "unit_projection", "leader_projection", "person_projection",
    "leader_unit_graph", "expand_groups", "label", "KINDS",
]

#: Node kinds of the typed graph.
KINDS = ("task", "unit", "group", "person", "role", "section")

_NODES = """
SELECT ?x ?kind ?label ?number WHERE {
  VALUES (?class ?kind) { (rk:Task "task") (rk:Unit "unit") (rk:UnitGroup "group") (rk:Person "person")
                          (rk:Role "role") (rk:Section "section") }
  ?x a ?class .
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x rk:number ?number }
}"""

_EDGES = """
SELECT ?s ?rel ?o ?task WHERE {
  {
    VALUES (?p ?rel) { (rk:lead "lead") (rk:support "support") (rk:supervisor "supervisor") (dcterms:isPartOf "part_of") }
    ?s ?p ?o . ?s a rk:Task .
    FILTER(?rel != "part_of" || EXISTS { ?o a rk:Section })
  } UNION {
    ?s skos:broader ?o . ?s a rk:Section . BIND("part_of" AS ?rel)
  } UNION {
    ?s rk:member ?o . BIND("member" AS ?rel)
  } UNION {
    ?task rk:assignment ?a . ?a rk:head ?s ; rk:unit ?o . BIND("head" AS ?rel)
  } UNION {
    ?s rk:responsible ?o0 . FILTER NOT EXISTS { ?s rk:assignment/rk:head ?o0 }
    BIND(?o0 AS ?o) BIND("unassigned_head" AS ?rel)
  }
}"""


def typed_graph(store) -> nx.MultiDiGraph:
    """The whole graph as typed nodes and relation-labelled edges (see the module docstring)."""
    from kg.query import run

    g = nx.MultiDiGraph()
    for x, kind, lab, number in run(store, _NODES).rows:
        attrs = {"kind": str(kind), "label": str(lab) if lab is not None else str(x)}
        if number is not None:
            attrs["number"] = int(number)
        g.add_node(str(x), **attrs)
    for s, rel, o, task in run(store, _EDGES).rows:
        if str(rel) == "unassigned_head":  # task → person: keep the person's tie to the task
            g.add_edge(str(o), str(s), rel="unassigned_head")
            continue
        attrs = {"rel": str(rel)}
        if task is not None:
            attrs["task"] = str(task)
        g.add_edge(str(s), str(o), **attrs)
    return g


def label(g: nx.Graph, node: str) -> str:
    """A node's Chinese label."""
    return g.nodes[node].get("label", node)


def expand_groups(g: nx.MultiDiGraph, unit: str) -> list[str]:
    """The units a unit group stands for (its members), or the unit itself.

    A group without known members (集成改革各专项小组) stands for itself.
    """
    if g.nodes[unit].get("kind") != "group":
        return [unit]
    members = [v for _, v, d in g.out_edges(unit, data=True) if d["rel"] == "member"]
    return members or [unit]


def tasks_of(g: nx.MultiDiGraph, expand: bool = True) -> dict[str, dict]:
    """For each task: its leads, supports, supervisors, heads per unit and section.

    With ``expand``, a task assigned to a group counts for each of the group's members.
    """
    out: dict[str, dict] = {}
    for t, d in g.nodes(data=True):
        if d.get("kind") != "task":
            continue
        rec = {"lead": [], "support": [], "supervisor": [], "heads": defaultdict(list), "section": None,
               "unassigned": []}
        for _, o, e in g.out_edges(t, data=True):
            if e["rel"] in ("lead", "support"):
                rec[e["rel"]].extend(expand_groups(g, o) if expand else [o])
            elif e["rel"] == "supervisor":
                rec["supervisor"].append(o)
            elif e["rel"] == "part_of":
                rec["section"] = o
        out[t] = rec
    for s, o, e in g.edges(data=True):
        if e["rel"] == "head" and e.get("task") in out:
            out[e["task"]]["heads"][o].append(s)
        elif e["rel"] == "unassigned_head" and o in out:
            out[o]["unassigned"].append(s)
    for rec in out.values():
        rec["lead"] = list(dict.fromkeys(rec["lead"]))
        rec["support"] = [u for u in dict.fromkeys(rec["support"]) if u not in rec["lead"]]
    return out


def unit_projection(g: nx.MultiDiGraph, lead_weight: float = 1.0, expand: bool = True) -> nx.Graph:
    """Units linked by the tasks they share; ``weight`` sums one per shared task.

    With ``lead_weight`` > 1, a link between a task's lead and a supporting unit counts
    that much instead of 1 (lead–support collaboration weighted higher).
    """
    p = nx.Graph()
    for t, rec in tasks_of(g, expand).items():
        units = rec["lead"] + rec["support"]
        for u in units:
            p.add_node(u, label=label(g, u), kind=g.nodes[u].get("kind"))
        for a, b in combinations(units, 2):
            w = lead_weight if (a in rec["lead"]) != (b in rec["lead"]) else 1.0
            if p.has_edge(a, b):
                p[a][b]["weight"] += w
                p[a][b]["tasks"] += 1
            else:
                p.add_edge(a, b, weight=w, tasks=1)
    return p


def _co_occurrence(g: nx.MultiDiGraph, groups: list[list[str]]) -> nx.Graph:
    p = nx.Graph()
    for members in groups:
        members = list(dict.fromkeys(members))
        for m in members:
            p.add_node(m, label=label(g, m), kind=g.nodes[m].get("kind"))
        for a, b in combinations(members, 2):
            if p.has_edge(a, b):
                p[a][b]["weight"] += 1
            else:
                p.add_edge(a, b, weight=1)
    return p


def leader_projection(g: nx.MultiDiGraph) -> nx.Graph:
    """City leaders linked by the tasks they supervise together (weight = shared tasks)."""
    return _co_occurrence(g, [rec["supervisor"] for rec in tasks_of(g, expand=False).values()])


def person_projection(g: nx.MultiDiGraph) -> nx.Graph:
    """People (unit heads and city leaders) linked by the tasks they share (weight = shared tasks)."""
    groups = []
    for rec in tasks_of(g, expand=False).values():
        people = [h for heads in rec["heads"].values() for h in heads] + rec["unassigned"] + rec["supervisor"]
        groups.append([p for p in people if g.nodes[p].get("kind") == "person"])
    return _co_occurrence(g, groups)


def leader_unit_graph(g: nx.MultiDiGraph, expand: bool = True) -> nx.Graph:
    """Bipartite: city leaders (``bipartite=0``) and the units of their tasks (``bipartite=1``);
    ``weight`` = tasks shared."""
    b = nx.Graph()
    for rec in tasks_of(g, expand).values():
        for leader in rec["supervisor"]:
            b.add_node(leader, bipartite=0, label=label(g, leader), kind="person")
            for u in rec["lead"] + rec["support"]:
                b.add_node(u, bipartite=1, label=label(g, u), kind=g.nodes[u].get("kind"))
                if b.has_edge(leader, u):
                    b[leader][u]["weight"] += 1
                else:
                    b.add_edge(leader, u, weight=1)
    return b
