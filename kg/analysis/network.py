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
    "leader_unit_graph", "label", "select_rows", "KINDS", "raw_task", "finish_tasks",
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

# The edges, one simple query per relation: one query with UNIONs and (NOT) EXISTS filters
# took five times as long in Oxigraph at 70,000 triples (benchmarks/bench_scale.py).
_EDGE_QUERIES = (
    ("""SELECT ?s ?rel ?o WHERE {
  VALUES (?p ?rel) { (rk:lead "lead") (rk:support "support") (rk:supervisor "supervisor") }
  ?s ?p ?o . ?s a rk:Task }""", None),
    ("SELECT ?s ?o WHERE { ?s a rk:Task ; dcterms:isPartOf ?o . ?o a rk:Section }", "part_of"),
    ("SELECT ?s ?o WHERE { ?s skos:broader ?o . ?s a rk:Section }", "part_of"),
    ("SELECT ?s ?o WHERE { ?s rk:member ?o }", "member"),
)
_HEADS = "SELECT ?task ?s ?o WHERE { ?task rk:assignment ?a . ?a rk:head ?s ; rk:unit ?o }"
# Planned tasks of the reports (not their target sentences, which would count an item twice)
# with their best suggested lead and supporting unit: inferred, read only when asked for.
_INFERRED = """SELECT ?t ?label ?rel ?u WHERE {
  ?t a rk:PlannedTask ; rdfs:label ?label ; rk:suggestion ?s .
  FILTER NOT EXISTS { ?t dcterms:isPartOf ?item . ?item a rk:PlannedTask }
  ?s rk:rank 1 ; rk:suggestedUnit ?u ; rk:suggestedRole ?r .
  BIND(IF(?r = rk:Lead, "lead", "support") AS ?rel)
}"""
_RESPONSIBLE = "SELECT ?t ?p WHERE { ?t rk:responsible ?p }"


def select_rows(store, sparql: str, plan: str | None = None) -> list[tuple]:
    """The rows of a SELECT as strings (IRIs, lexical forms) or None, over the union of the
    graphs or, given ``plan`` (an IRI), over that plan's graph alone.

    The embedded store is read through pyoxigraph directly: turning millions of its terms
    into rdflib terms first took most of the time of building the view. A plan's graph is
    read through its own index, so its view costs the same in a store of one plan or of
    a thousand.
    """
    from kg.sparql.query import run, with_prefixes

    if hasattr(store, "ox"):
        import pyoxigraph as ox

        scope = {"default_graph": ox.NamedNode(plan)} if plan else {"use_default_graph_as_union": True}
        solutions = store.ox().query(with_prefixes(sparql), **scope)
        return [tuple(None if t is None else t.value for t in row) for row in solutions]
    if plan:
        from rdflib import URIRef

        rows = store.dataset().graph(URIRef(plan)).query(with_prefixes(sparql))
        return [tuple(None if t is None else str(t) for t in row) for row in rows]
    return [tuple(None if t is None else str(t) for t in row) for row in run(store, sparql).rows]


def typed_graph(store, inferred: bool = False, plan: str | None = None) -> nx.MultiDiGraph:
    """The whole graph as typed nodes and relation-labelled edges (see the module docstring);
    given ``plan`` (an IRI), that plan's graph alone.

    With ``inferred``, the reports' planned tasks join as tasks (attribute ``inferred``) led
    and supported by their best suggested units — inferences, which the figures otherwise
    leave out (not with ``plan``: they live in the inferred graph).
    """
    g = nx.MultiDiGraph()
    for x, kind, lab, number in select_rows(store, _NODES, plan):
        attrs = {"kind": kind, "label": lab if lab is not None else x}
        if number is not None:
            attrs["number"] = int(number)
        g.add_node(x, **attrs)
    for sparql, rel in _EDGE_QUERIES:
        for row in select_rows(store, sparql, plan):
            s, r, o = row if rel is None else (row[0], rel, row[1])
            g.add_edge(s, o, rel=r)
    placed = set()
    for task, head, unit in select_rows(store, _HEADS, plan):
        g.add_edge(head, unit, rel="head", task=task)
        placed.add((task, head))
    for task, person in select_rows(store, _RESPONSIBLE, plan):
        if (task, person) not in placed:  # a head named for the task but none of its units
            g.add_edge(person, task, rel="unassigned_head")
            placed.add((task, person))
    if inferred and not plan:
        best: dict[str, dict] = defaultdict(dict)
        for task, lab, rel, unit in select_rows(store, _INFERRED):
            best[task]["label"], best[task][rel] = lab, unit
        for task, b in best.items():
            g.add_node(task, kind="task", label=b["label"], inferred=True)
            for rel in ("lead", "support"):
                # the same unit suggested for both roles leads; it does not support itself
                if rel in b and b[rel] in g and not (rel == "support" and b[rel] == b.get("lead")):
                    g.add_edge(task, b[rel], rel=rel)
    # Entities no plan relates (a report's sections, the units and officials only reports name)
    # are not part of the responsibility network.
    g.remove_nodes_from(list(nx.isolates(g)))
    return g


def label(g: nx.Graph, node: str) -> str:
    """A node's Chinese label."""
    return g.nodes[node].get("label", node)


def tasks_of(g: nx.MultiDiGraph, expand: bool = True) -> dict[str, dict]:
    """For each task: its leads, supports, supervisors, heads per unit and section.

    With ``expand``, a task assigned to a group counts for each of the group's members.
    """
    raw: dict[str, dict] = {t: raw_task() for t, d in g.nodes(data=True) if d.get("kind") == "task"}
    for t, rec in raw.items():
        for _, o, e in g.out_edges(t, data=True):
            if e["rel"] in ("lead", "support", "supervisor"):
                rec[e["rel"]].append(o)
            elif e["rel"] == "part_of":
                rec["section"] = o
    for s, o, e in g.edges(data=True):
        if e["rel"] == "head" and e.get("task") in raw:
            raw[e["task"]]["heads"][o].append(s)
        elif e["rel"] == "unassigned_head" and o in raw:
            raw[o]["unassigned"].append(s)
    members = {n: [v for _, v, d in g.out_edges(n, data=True) if d["rel"] == "member"]
               for n, d in g.nodes(data=True) if d.get("kind") == "group"} if expand else {}
    return finish_tasks(raw, members)


def raw_task() -> dict:
    """A task's record before :func:`finish_tasks`: units, supervisors, heads per unit, section."""
    return {"lead": [], "support": [], "supervisor": [], "heads": defaultdict(list), "section": None,
            "unassigned": []}


def finish_tasks(raw: dict[str, dict], members: dict[str, list[str]]) -> dict[str, dict]:
    """The records of :func:`tasks_of` from raw ones: a group among ``members`` (group → its
    member units; empty: no expansion) stands for its members, a group without known members
    for itself; each unit and supervisor counted once, a lead unit never also as support."""
    for rec in raw.values():
        lead = [u for x in rec["lead"] for u in (members.get(x) or [x])]
        rec["lead"] = list(dict.fromkeys(lead))
        support = [u for x in rec["support"] for u in (members.get(x) or [x])]
        rec["support"] = [u for u in dict.fromkeys(support) if u not in rec["lead"]]
        rec["supervisor"] = list(dict.fromkeys(rec["supervisor"]))
    return raw


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
