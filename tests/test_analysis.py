"""Network metrics on small graphs with known answers, and the load model on hand-made tasks."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.analysis.metrics import analyse
from kg.analysis.load import LoadParams, gini, head_loads, leader_loads, top_share, unit_loads
from kg.analysis.network import leader_projection, tasks_of, unit_projection


def _weighted(g: nx.Graph) -> nx.Graph:
    for n in g:
        g.nodes[n]["label"] = str(n)
    for u, v in g.edges:
        g[u][v]["weight"] = 1.0
    return g


def test_star():
    a = analyse(_weighted(nx.star_graph(5)))
    assert a.nodes[0]["degree"] == 5 and a.nodes[1]["degree"] == 1
    assert a.nodes[0]["betweenness"] == pytest.approx(1.0)
    assert a.nodes[3]["betweenness"] == 0
    assert a.nodes[0]["closeness"] == pytest.approx(1.0)
    assert a.top("pagerank", 1)[0][0] == "0"
    assert sorted(a.articulation) == [0] and len(a.bridges) == 5


def test_path():
    a = analyse(_weighted(nx.path_graph(5)))
    # the middle of a path of 5 lies on 4 of the 6 shortest paths between the others
    assert a.nodes[2]["betweenness"] == pytest.approx(4 / 6)
    assert a.nodes[0]["betweenness"] == 0
    assert a.nodes[2]["closeness"] == pytest.approx(4 / 6)
    assert len(a.bridges) == 4 and a.articulation == [1, 2, 3]


def test_two_cliques_joined_by_a_bridge():
    g = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(5))
    g.add_edge(0, 5)
    a = analyse(_weighted(g), portfolio={n: "A" if n < 5 else "B" for n in g})
    assert a.bridges == [(0, 5)] and a.articulation == [0, 5]
    assert sorted(map(sorted, a.communities)) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert a.crossing["purity"] == 1.0
    assert a.crossing["cross_weight"] == round(1 / 21, 4)
    assert a.top("betweenness", 2) == [("0", a.nodes[0]["betweenness"]), ("5", a.nodes[5]["betweenness"])]


def test_degenerate_graphs_are_explained_not_fatal():
    assert analyse(nx.Graph()).notes == ["the graph is empty: no metric computed"]
    g = nx.Graph()
    g.add_nodes_from([1, 2], label="x")
    a = analyse(g)
    assert a.nodes[1]["degree"] == 0 and "no edges" in a.notes[0]
    two = _weighted(nx.Graph([(1, 2), (3, 4)]))
    a = analyse(two)
    assert any("closeness" in n and "2 components" in n for n in a.notes)
    assert a.nodes[1]["closeness"] is None and a.nodes[1]["betweenness"] == 0


def test_betweenness_is_sampled_above_the_limit_and_says_so():
    a = analyse(_weighted(nx.path_graph(30)), exact_limit=10, sample=5)
    assert any("sampled from 5 of 30 nodes" in n for n in a.notes)


def test_gini_and_top_share():
    assert gini([5, 5, 5]) == 0
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)
    assert gini([]) == 0
    assert top_share([1] * 9 + [91]) == pytest.approx(0.91)
    assert top_share([4, 3, 2, 1], 0.5) == pytest.approx(0.7)


def _tasks_graph():
    """Three tasks: t1 led by A (head a) with B (head b) supporting, leaders X and Y;
    t2 led by B (head b), leader X; t3 led by the group G = {A, C}, leader Y."""
    g = nx.MultiDiGraph()
    for n, kind in [("t1", "task"), ("t2", "task"), ("t3", "task"), ("A", "unit"), ("B", "unit"), ("C", "unit"),
                    ("G", "group"), ("a", "person"), ("b", "person"), ("X", "person"), ("Y", "person"), ("s", "section")]:
        g.add_node(n, kind=kind, label=n)
    for s, rel, o in [("t1", "lead", "A"), ("t1", "support", "B"), ("t1", "supervisor", "X"), ("t1", "supervisor", "Y"),
                      ("t2", "lead", "B"), ("t2", "supervisor", "X"), ("t3", "lead", "G"), ("t3", "supervisor", "Y"),
                      ("G", "member", "A"), ("G", "member", "C"),
                      ("t1", "part_of", "s"), ("t2", "part_of", "s"), ("t3", "part_of", "s")]:
        g.add_edge(s, o, rel=rel)
    g.add_edge("a", "A", rel="head", task="t1")
    g.add_edge("b", "B", rel="head", task="t1")
    g.add_edge("b", "B", rel="head", task="t2")
    return g


def _by_name(rows):
    return {r["name"]: r for r in rows}


def test_load_model_on_hand_made_tasks():
    g = _tasks_graph()
    heads = _by_name(head_loads(g))
    assert (heads["b"]["led"], heads["b"]["supported"], heads["b"]["weighted"]) == (1, 1, 1.5)
    assert (heads["a"]["tasks"], heads["a"]["weighted"], heads["a"]["leaders"]) == (1, 1.0, 2)
    leaders = _by_name(leader_loads(g))
    assert (leaders["X"]["tasks"], leaders["X"]["shared"], leaders["X"]["fractional"]) == (2, 1, 1.5)
    assert leaders["Y"]["units"] == 3  # A and B in t1, the group's members A and C in t3
    units = _by_name(unit_loads(g))
    assert (units["A"]["led"], units["A"]["weighted"]) == (2, 2.0)  # t1 and, through the group, t3
    assert (units["C"]["led"], units["C"]["partners"]) == (1, 1)
    assert "G" not in units
    kept = _by_name(unit_loads(g, LoadParams(expand_groups=False)))
    assert kept["G"]["led"] == 1 and kept["A"]["led"] == 1
    heavy = _by_name(head_loads(g, LoadParams(lead=2.0, support=1.0)))
    assert heavy["b"]["weighted"] == 3.0


def test_projections_on_hand_made_tasks():
    g = _tasks_graph()
    units = unit_projection(g)
    assert units["A"]["B"]["weight"] == 1 and units["A"]["C"]["weight"] == 1 and not units.has_edge("B", "C")
    heavier = unit_projection(g, lead_weight=2.0)
    assert heavier["A"]["B"]["weight"] == 2.0  # lead A with supporting B
    assert heavier["A"]["C"]["weight"] == 1.0  # both lead t3 through the group
    leaders = leader_projection(g)
    assert list(leaders.edges(data="weight")) == [("X", "Y", 1)]
    assert set(tasks_of(g)["t3"]["lead"]) == {"A", "C"}
