"""Network metrics on the projections of :mod:`kg.analysis.network`, with a record of what could not be computed.

:func:`analyse` computes, for every node: degree, weighted degree, betweenness, PageRank,
eigenvector centrality and closeness; the communities (Louvain, seeded, so runs repeat)
and how far they cross the city leaders' portfolios; and the bridges and articulation
points whose removal disconnects the graph. Where a metric cannot be computed — an empty
or edgeless graph, eigenvector iteration that does not converge, closeness on a
disconnected graph — the :class:`Analysis` says why in ``notes`` instead of failing.
Exact betweenness is replaced by sampling above ``exact_limit`` nodes, and the notes say so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["Analysis", "analyse", "portfolios", "METRICS"]

METRICS = ("degree", "weighted_degree", "betweenness", "pagerank", "eigenvector", "closeness")


@dataclass
class Analysis:
    """Metrics per node, communities, bridges, and notes on what was approximated or skipped."""

    nodes: dict[str, dict] = field(default_factory=dict)  # node → {label, metric: value}
    communities: list[list[str]] = field(default_factory=list)
    crossing: dict = field(default_factory=dict)
    bridges: list[tuple[str, str]] = field(default_factory=list)
    articulation: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def top(self, metric: str, n: int = 10) -> list[tuple[str, float]]:
        """The n nodes highest on a metric (ties by label), as (label, value)."""
        ranked = sorted(((d["label"], d[metric]) for d in self.nodes.values() if d.get(metric) is not None),
                        key=lambda x: (-x[1], x[0]))
        return ranked[:n]


def portfolios(g: nx.MultiDiGraph, nodes) -> dict[str, str]:
    """Each node's city leader: a leader is their own; a unit or head belongs to the leader who
    supervises most of its tasks (ties broken by name)."""
    from kg.analysis.network import label, tasks_of

    counts: dict[str, Counter] = {}
    for rec in tasks_of(g).values():
        members = rec["lead"] + rec["support"] + [h for hs in rec["heads"].values() for h in hs]
        for m in members:
            for s in rec["supervisor"]:
                counts.setdefault(m, Counter())[s] += 1
    out = {}
    for n in nodes:
        if n in counts:
            out[n] = min(counts[n].items(), key=lambda kv: (-kv[1], label(g, kv[0])))[0]
        elif any(n in rec["supervisor"] for rec in tasks_of(g, expand=False).values()):
            out[n] = n
    return out


def _safe(name: str, notes: list[str], fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except nx.PowerIterationFailedConvergence:
        notes.append(f"{name}: the power iteration did not converge; not computed")
    except (nx.NetworkXError, ZeroDivisionError, ValueError) as exc:
        notes.append(f"{name}: not computed ({exc})")
    return None


def analyse(p: nx.Graph, portfolio: dict[str, str] | None = None, exact_limit: int = 3000, sample: int = 200,
            seed: int = 0) -> Analysis:
    """Every metric of a weighted projection; see the module docstring."""
    a = Analysis()
    if p.number_of_nodes() == 0:
        a.notes.append("the graph is empty: no metric computed")
        return a
    for n, d in p.nodes(data=True):
        a.nodes[n] = {"label": d.get("label", n), "degree": p.degree(n), "weighted_degree": p.degree(n, weight="weight")}
    if p.number_of_edges() == 0:
        a.notes.append("the graph has no edges: only degrees computed (all zero)")
        return a
    # Shortest paths treat a strong tie as short: distance = 1 / weight.
    for u, v, d in p.edges(data=True):
        d["distance"] = 1.0 / d.get("weight", 1.0)
    if p.number_of_nodes() > exact_limit:
        k = min(sample, p.number_of_nodes())
        a.notes.append(f"betweenness: sampled from {k} of {p.number_of_nodes()} nodes (exact above {exact_limit} "
                       "nodes takes too long)")
        bet = _safe("betweenness", a.notes, nx.betweenness_centrality, p, k=k, weight="distance", seed=seed)
    else:
        bet = _safe("betweenness", a.notes, nx.betweenness_centrality, p, weight="distance")
    pr = _safe("pagerank", a.notes, nx.pagerank, p, weight="weight")
    eig = _safe("eigenvector", a.notes, nx.eigenvector_centrality, p, weight="weight", max_iter=1000)
    components = nx.number_connected_components(p)
    if components == 1:
        clo = _safe("closeness", a.notes, nx.closeness_centrality, p, distance="distance")
    else:
        clo = None
        a.notes.append(f"closeness: the graph has {components} components, so closeness is not defined "
                       "across it; not computed")
    for name, values in (("betweenness", bet), ("pagerank", pr), ("eigenvector", eig), ("closeness", clo)):
        for n in a.nodes:
            a.nodes[n][name] = round(values[n], 6) if values is not None else None
    communities = nx.community.louvain_communities(p, weight="weight", seed=seed)
    a.communities = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c))
    if portfolio:
        a.crossing = _crossing(p, a.communities, portfolio)
    a.bridges = sorted(tuple(sorted(e)) for e in nx.bridges(p))
    a.articulation = sorted(nx.articulation_points(p))
    return a


def _crossing(p: nx.Graph, communities: list[list[str]], portfolio: dict[str, str]) -> dict:
    """How far the collaboration communities cross the city leaders' portfolios.

    ``purity``: the share of nodes whose community's most common portfolio is their own
    (1.0 = communities never cross portfolio lines); ``cross_weight``: the share of edge
    weight that joins nodes of different portfolios.
    """
    placed = [n for c in communities for n in c if n in portfolio]
    same = 0
    per_community = []
    for c in communities:
        owners = Counter(portfolio[n] for n in c if n in portfolio)
        if owners:
            leader, count = owners.most_common(1)[0]
            same += count
            per_community.append({"size": len(c), "main_portfolio": leader, "main_share": round(count / sum(owners.values()), 4),
                                  "portfolios": len(owners)})
        else:
            per_community.append({"size": len(c), "main_portfolio": None, "main_share": None, "portfolios": 0})
    total = sum(d.get("weight", 1.0) for _, _, d in p.edges(data=True))
    cross = sum(d.get("weight", 1.0) for u, v, d in p.edges(data=True)
                if u in portfolio and v in portfolio and portfolio[u] != portfolio[v])
    return {"purity": round(same / len(placed), 4) if placed else None,
            "cross_weight": round(cross / total, 4) if total else None,
            "communities": per_community}
