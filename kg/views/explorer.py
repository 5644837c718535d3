"""The interactive explorer: one self-contained HTML page of the networkx view.

:func:`explorer_html` turns the typed graph (:func:`kg.analysis.network.typed_graph`) into a single
page that opens by double-click and works offline: vis-network (from the pyvis wheel),
the styles, the data and the controls are all inlined, and a Content-Security-Policy
forbids every request. The page has a search box, filters by node type, relation,
chapter/section and city leader, a legend, tooltips and a side panel with each node's
figures and tasks, written in plain JavaScript (pyvis's own select and filter menus
garble Chinese labels and hide nodes).

pyvis configures the network (options, groups); its node and edge lists are filled
directly, because ``Network.add_node``/``add_edge`` check every existing item
(quadratic). Positions are computed here — tasks on a ring ordered by chapter and
section, sections and chapters inside it, city leaders near the centre pulled toward
their tasks, units outside next to their tasks and unit heads outside their units — so
the page draws at once with physics off, at any size. Above ``max_nodes`` nodes the page
shows the aggregated view (:func:`aggregate`): sections, units and city leaders, with
tasks as counts on the links.

Document text never becomes markup: the data go to the page as JSON with ``<``, ``>``
and ``&`` escaped (so no label can close the script element) and the page writes them
with ``textContent``; the few strings Python writes into HTML are escaped with
:func:`html.escape`.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path

import networkx as nx

from kg.errors import RespkgError
from kg.analysis.load import head_loads, leader_loads, unit_loads
from kg.analysis.network import label, tasks_of
from kg.output import write_atomic

__all__ = ["ExplorerError", "Written", "MAX_NODES", "KIND_STYLE", "REL_STYLE", "explorer_html", "write_explorer",
           "write_per_leader", "ego_graph", "leader_graph", "aggregate", "layout", "city_leaders", "find_focus",
           "add_task_texts"]

#: Above this many nodes a page shows the aggregated view. Measured in headless Chromium on
#: graphs of the seed's shape: 10,000 nodes and 42,000 edges are drawn 2.5–3 s after opening
#: and answer a search in under a second; 20,000 nodes and 85,000 edges take about 6 s.
MAX_NODES = 15_000

#: Display kind → (legend label, vis-network shape, colour, label font size). ``leader`` is
#: a person who is a city leader (分管市领导) of some task; other people are unit heads.
KIND_STYLE = {
    "task": ("任务", "dot", "#f28e2b", 12),
    "section": ("章节", "hexagon", "#9c755f", 18),
    "unit": ("责任单位", "square", "#4e79a7", 14),
    "group": ("单位组", "diamond", "#76b7b2", 15),
    "person": ("责任领导", "triangle", "#59a14f", 14),
    "leader": ("分管市领导", "star", "#b07aa1", 34),
    "role": ("角色（占位）", "triangleDown", "#bab0ac", 14),
}

#: Relation → (legend label, colour, width, dash pattern or None, opacity when nothing is selected).
REL_STYLE = {
    "lead": ("牵头", "#d62728", 2.0, None, 0.75),
    "support": ("配合", "#5b8fc7", 1.0, None, 0.35),
    "supervisor": ("分管", "#9467bd", 1.2, [8, 4], 0.35),
    "head": ("责任领导", "#2ca02c", 1.2, [2, 3], 0.8),
    "unassigned_head": ("责任领导（未对应单位）", "#8c8c8c", 1.2, [2, 3], 0.8),
    "part_of": ("属于（章节）", "#a0a0a0", 1.0, None, 0.6),
    "member": ("成员", "#17becf", 1.0, [1, 4], 0.4),
}

_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif'


class ExplorerError(RespkgError):
    """An explorer page that cannot be made: an unknown name, a folder that cannot hold the pages."""


@dataclass(frozen=True)
class Written:
    """One page written: where, what it shows (nodes and edges drawn; for the per-leader
    ``index.html``, the leaders listed) and its size in bytes."""

    path: Path
    nodes: int
    edges: int
    aggregated: bool
    size: int


# ---------------------------------------------------------------------------------------------
# The graphs a page shows


def city_leaders(g: nx.MultiDiGraph) -> list[str]:
    """The people who are the city leader (分管市领导) of at least one task, in graph order."""
    return [n for n, d in g.nodes(data=True) if d.get("kind") == "person"
            and any(e.get("rel") == "supervisor" for *_, e in g.in_edges(n, data=True))]


def _display_kinds(g: nx.MultiDiGraph) -> dict[str, str]:
    leaders = set(city_leaders(g))
    return {n: "leader" if n in leaders else (d.get("kind") if d.get("kind") in KIND_STYLE else "unit")
            for n, d in g.nodes(data=True)}


_TARGETS = """SELECT ?t ?text ?kind WHERE {
  ?t a rk:Task ; rk:target ?x . ?x rk:text ?text ; rk:targetKind ?kind } ORDER BY ?t ?x"""
_MENTIONS = """SELECT ?t ?name ?class WHERE {
  ?t a rk:Task ; rk:mentions ?x . ?x a ?class ; rdfs:label ?name } ORDER BY ?t ?name"""


def add_task_texts(g: nx.MultiDiGraph, store) -> nx.MultiDiGraph:
    """Give each task node its full text (``text``; labels are cut at 24 characters), the targets
    read from it (``targets``: the words, the kind) and the projects and towns it names
    (``mentions``: the name, 项目 or 镇街), from the store."""
    from kg.graph.namespaces import RK
    from kg.sparql.query import run

    for t, text in run(store, "SELECT ?t ?text WHERE { ?t a rk:Task ; rk:text ?text }").rows:
        if str(t) in g:
            g.nodes[str(t)]["text"] = str(text)
    for t, text, kind in run(store, _TARGETS).rows:
        if str(t) in g:
            g.nodes[str(t)].setdefault("targets", []).append((str(text), str(kind)))
    for t, name, cls in run(store, _MENTIONS).rows:
        if str(t) in g and cls in (RK.Project, RK.Town):
            mentions = g.nodes[str(t)].setdefault("mentions", [])
            if (str(name), cls == RK.Project) not in mentions:
                mentions.append((str(name), cls == RK.Project))
    return g


def find_focus(g: nx.MultiDiGraph, name: str) -> str:
    """The person, role, unit or group with this Chinese label (or node key); close labels if none."""
    import difflib

    kinds = ("person", "role", "unit", "group")
    if name in g and g.nodes[name].get("kind") in kinds:
        return name
    for n, d in g.nodes(data=True):
        if d.get("kind") in kinds and d.get("label") == name:
            return n
    labels = sorted({d["label"] for _, d in g.nodes(data=True) if d.get("kind") in kinds and "label" in d})
    close = ([x for x in labels if name and (name in x or x in name)][:3]
             or difflib.get_close_matches(name, labels, 3, 0.3))
    hint = f"; did you mean {'、'.join(close)}?" if close else ""
    raise ExplorerError(f"no person or unit named {name!r} in the graph{hint}")


def _induced(g: nx.MultiDiGraph, keep: set[str]) -> nx.MultiDiGraph:
    """The subgraph on ``keep``; a head edge (person → unit for one task) stays only with its task."""
    h = nx.MultiDiGraph()
    h.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n in keep)
    h.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)
                     if u in keep and v in keep and (d.get("task") is None or d["task"] in keep))
    return h


def ego_graph(g: nx.MultiDiGraph, center: str, depth: int = 1) -> nx.MultiDiGraph:
    """Everything within ``depth`` links of ``center``, edges in either direction.

    A unit head is one link from the tasks it heads a unit for (the ``task`` of its head
    edges), so a person's ego view at depth 1 shows their units and their tasks.
    """
    if center not in g:
        raise ExplorerError(f"{center!r} is not a node of the graph")
    if depth < 0:
        raise ExplorerError(f"--depth {depth}: give 0 or more")
    adj: dict[str, set[str]] = defaultdict(set)
    for u, v, d in g.edges(data=True):
        adj[u].add(v)
        adj[v].add(u)
        if d.get("task") in g:
            adj[u].add(d["task"])
            adj[d["task"]].add(u)
    seen, frontier = {center}, [center]
    for _ in range(depth):
        frontier = [m for n in frontier for m in adj[n] if m not in seen]
        seen.update(frontier)
    return _induced(g, seen)


def leader_graph(g: nx.MultiDiGraph, leader: str) -> nx.MultiDiGraph:
    """One city leader's page: the leader, their tasks, those tasks' units and the units' heads."""
    tasks = {t for t, _, d in g.in_edges(leader, data=True) if d.get("rel") == "supervisor"}
    keep = {leader} | tasks
    for t in tasks:
        keep.update(v for _, v, d in g.out_edges(t, data=True) if d.get("rel") in ("lead", "support"))
    for u, v, d in g.edges(data=True):
        if d.get("rel") == "head" and d.get("task") in tasks:
            keep.update((u, v))
        elif d.get("rel") == "unassigned_head" and v in tasks:
            keep.add(u)
    return _induced(g, keep)


def _section_parent(g: nx.MultiDiGraph) -> dict[str, str]:
    """Section → chapter, task → section (or chapter)."""
    return {u: v for u, v, d in g.edges(data=True) if d.get("rel") == "part_of"}


def aggregate(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Sections, units, unit groups and city leaders as nodes, tasks as counts.

    Edges: section → unit ``lead``/``support`` and section → city leader ``supervisor``,
    each with ``weight`` = the number of the section's tasks (its own, not its
    sub-sections') with that link; the ``part_of`` and ``member`` edges stay. Nodes get
    ``tasks``, the number of tasks behind them.
    """
    parent = _section_parent(g)
    kinds = _display_kinds(g)
    h = nx.MultiDiGraph(aggregated=True)
    counts: Counter = Counter()
    links: Counter = Counter()
    for t, d in g.nodes(data=True):
        if d.get("kind") != "task":
            continue
        s = parent.get(t)
        if s is None:
            continue
        counts[s] += 1
        if parent.get(s):
            counts[parent[s]] += 1
        for _, v, e in g.out_edges(t, data=True):
            if e.get("rel") in ("lead", "support", "supervisor"):
                links[(s, v, e["rel"])] += 1
                counts[v] += 1
    for n, d in g.nodes(data=True):
        if kinds[n] in ("section", "unit", "group", "leader"):
            h.add_node(n, **{**d, "tasks": counts[n]})
    for (s, v, rel), n in sorted(links.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
        h.add_edge(s, v, rel=rel, weight=n)
    for u, v, d in g.edges(data=True):
        if d.get("rel") in ("part_of", "member") and u in h and v in h:
            h.add_edge(u, v, rel=d["rel"])
    return h


# ---------------------------------------------------------------------------------------------
# Layout


def _spread_line(desired: list[float], gaps: list[float]) -> list[float]:
    """Positions as close as possible (least squares) to ``desired`` (sorted) with at least
    ``gaps[i]`` between item i and i+1: pool adjacent blocks that violate the order."""
    offs = [0.0]
    for gap in gaps:
        offs.append(offs[-1] + gap)
    blocks: list[list[float]] = []  # [first, last, sum of (desired - offset), count]
    for i, x in enumerate(desired):
        blocks.append([i, i, x - offs[i], 1])
        while len(blocks) > 1 and blocks[-1][2] / blocks[-1][3] < blocks[-2][2] / blocks[-2][3]:
            last = blocks.pop()
            blocks[-1][1] = last[1]
            blocks[-1][2] += last[2]
            blocks[-1][3] += last[3]
    out = []
    for first, last, total, count in blocks:
        base = total / count
        out.extend(base + offs[i] for i in range(int(first), int(last) + 1))
    return out


def _ring(items: list[tuple[str, float, float, float]], radius: float, ring_gap: float,
          max_rings: int = 4) -> tuple[dict[str, tuple[float, float]], float]:
    """Place (node, wanted angle, label width, height) on concentric rings from ``radius``
    outward, each node as near its angle as the space its label needs allows.

    Returns the positions and the outermost radius used.
    """
    if not items:
        return {}, radius
    items = sorted(items, key=lambda it: it[1] % (2 * math.pi))

    def need(it):  # the box's extent along the ring's tangent at the wanted angle
        a = it[1]
        return it[2] * abs(math.sin(a)) + it[3] * abs(math.cos(a)) + 8

    total = sum(need(it) for it in items)
    rings = max(1, min(max_rings, math.ceil(total / (0.7 * 2 * math.pi * radius))))
    radius = max(radius, total / rings / (0.7 * 2 * math.pi))
    pos: dict[str, tuple[float, float]] = {}
    for k in range(rings):
        mine = items[k::rings]
        r = radius + k * ring_gap
        angles = [it[1] % (2 * math.pi) for it in mine]
        if len(mine) > 1:
            # cut the circle at the widest empty arc and solve on a line
            gaps_between = [(angles[(i + 1) % len(angles)] - angles[i]) % (2 * math.pi) for i in range(len(angles))]
            cut = max(range(len(angles)), key=gaps_between.__getitem__) + 1
            order = list(range(cut, len(mine))) + list(range(cut))
            line = []
            for i in order:
                a = angles[i]
                line.append(a if not line or a >= line[-1] else a + 2 * math.pi)
            mins = [(need(mine[order[j]]) + need(mine[order[j + 1]])) / 2 / r for j in range(len(order) - 1)]
            placed = _spread_line(line, mins)
            for j, i in enumerate(order):
                angles[i] = placed[j]
        for it, a in zip(mine, angles):
            pos[it[0]] = (r * math.cos(a), r * math.sin(a))
    return pos, radius + (rings - 1) * ring_gap


def _label_box(text: str, font: float, size: float) -> tuple[float, float]:
    return font * 0.95 * len(text) + 6, size * 2 + font * 1.5


def _edge_weight(d: dict) -> float:
    return float(d.get("weight", 1)) * (2.0 if d.get("rel") == "lead" else 1.0)


def layout(g: nx.MultiDiGraph, sizes: dict[str, float] | None = None, labels: dict[str, str] | None = None,
           focus: str | None = None) -> dict[str, tuple[float, float]]:
    """Positions for every node: a radial layout by kind (see the module docstring).

    ``sizes`` and ``labels`` are the drawn node sizes and labels (they decide the room a
    node needs); ``focus`` goes to the centre. Deterministic: the same graph gives the
    same positions. Linear in the edges, so it serves 10,000 nodes as well as 50.
    """
    kinds = _display_kinds(g)
    sizes = sizes or {}
    labels = labels or {n: label(g, n) for n in g}
    parent = _section_parent(g)
    children: dict[str, list[str]] = defaultdict(list)
    for c, p in parent.items():
        children[p].append(c)

    def number(n):
        return g.nodes[n].get("number", math.inf)

    first: dict[str, float] = {}

    def first_task(s):  # sections are ordered by the first task they hold
        if s not in first:
            first[s] = math.inf
            first[s] = min([number(c) if kinds.get(c) == "task" else first_task(c) for c in children[s]]
                           + [math.inf])
        return first[s]

    def chain(n):  # chapter, section ordering keys of a task or section
        keys, p, seen = [], parent.get(n), set()
        while p is not None and p not in seen:
            seen.add(p)
            keys.append((first_task(p), labels.get(p, p)))
            p = parent.get(p)
        return tuple(reversed(keys))

    tasks = [n for n in g if kinds[n] == "task"]
    sections = [n for n in g if kinds[n] == "section"]
    if tasks:
        ring_nodes = sorted(tasks, key=lambda t: (chain(t), number(t), labels.get(t, t)))
        spacing = 24.0
    else:
        ring_nodes = sorted((s for s in sections if not any(kinds.get(c) == "section" for c in children[s])),
                            key=lambda s: (chain(s), first_task(s), labels.get(s, s)))
        spacing = 70.0
    if not ring_nodes:
        if not len(g):
            return {}
        pos = nx.spring_layout(nx.Graph(g.to_undirected()), seed=1, scale=120 * math.sqrt(len(g)))
        if focus in pos:
            fx, fy = pos[focus]
            pos = {n: (x - fx, y - fy) for n, (x, y) in pos.items()}
        return {n: (float(x), float(y)) for n, (x, y) in pos.items()}

    # the ring: a gap between sections, a wider one between chapters
    slots, prev = [], None
    slot = 0.0
    for n in ring_nodes:
        key = chain(n)
        if prev is not None and key != prev:
            slot += 3.0 if key[:1] == prev[:1] else 6.0
        slots.append(slot)
        slot += 1.0
        prev = key
    total = slot + (6.0 if len({chain(n)[:1] for n in ring_nodes}) > 1 else 0.0)
    radius = max(260.0, spacing * total / (2 * math.pi))
    angle: dict[str, float] = {}
    pos: dict[str, tuple[float, float]] = {}
    for n, s in zip(ring_nodes, slots):
        a = 2 * math.pi * s / total - math.pi / 2
        angle[n] = a
        pos[n] = (radius * math.cos(a), radius * math.sin(a))

    und: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for u, v, d in g.edges(data=True):
        w = _edge_weight(d)
        und[u].append((v, w))
        und[v].append((u, w))

    def mean_vector(n, among):
        x = y = 0.0
        for m, w in und[n]:
            if m in among:
                x += w * math.cos(among[m])
                y += w * math.sin(among[m])
        return x, y

    def box(n):
        font = KIND_STYLE[kinds[n]][3]
        return _label_box(labels.get(n, n), font, sizes.get(n, 10.0))

    # sections and chapters inside the ring, at the middle of what they hold
    inner = [s for s in sections if s not in angle]
    held: dict[str, list[str]] = defaultdict(list)
    for n in ring_nodes:
        p, seen = parent.get(n), set()
        while p is not None and p not in seen:
            seen.add(p)
            held[p].append(n)
            p = parent.get(p)
    depth_of = {s: len(chain(s)) for s in inner}
    for level in sorted(set(depth_of.values())):
        items = []
        for s in inner:
            if depth_of[s] != level:
                continue
            x = sum(math.cos(angle[n]) for n in held[s])
            y = sum(math.sin(angle[n]) for n in held[s])
            a = math.atan2(y, x) if held[s] else 0.0
            angle[s] = a
            items.append((s, a, *box(s)))
        r = radius * (0.55 if level == 0 else 0.78)
        placed, _ = _ring(items, r, 40.0, max_rings=2)
        pos.update(placed)

    # city leaders near the centre, pulled toward the tasks they supervise
    leaders = [n for n in g if kinds[n] == "leader" and n not in pos]
    for n in leaders:
        x, y = mean_vector(n, angle)
        w = sum(wt for m, wt in und[n] if m in angle) or 1.0
        pos[n] = (0.4 * radius * x / w, 0.4 * radius * y / w)
    _separate(pos, leaders, [box(n) for n in leaders], radius * 0.45)

    # units and groups outside the ring, next to their tasks; then heads outside their units
    placed_angle = dict(angle)
    outer = radius + 90.0
    for kinds_here, gap_before in ((("unit", "group"), 0.0), (("person", "role"), 160.0)):
        todo = [n for n in g if kinds[n] in kinds_here and n not in pos]
        items, pending = [], []
        for _ in range(3):  # members of a group get their angle from it, heads from their units
            pending = []
            for n in todo:
                x, y = mean_vector(n, placed_angle)
                if x == 0.0 and y == 0.0:
                    pending.append(n)
                    continue
                placed_angle[n] = math.atan2(y, x)
                items.append((n, placed_angle[n], *box(n)))
            if not pending or len(pending) == len(todo):
                break
            todo = pending
        for i, n in enumerate(pending):  # nothing to pull them anywhere: spread them evenly
            placed_angle[n] = 2 * math.pi * i / len(pending)
            items.append((n, placed_angle[n], *box(n)))
        placed, last = _ring(items, outer + gap_before, 56.0)
        pos.update(placed)
        if placed:
            outer = last + 60.0

    rest = [n for n in g if n not in pos]
    for i, n in enumerate(rest):
        a = 2 * math.pi * i / len(rest)
        pos[n] = ((outer + 200) * math.cos(a), (outer + 200) * math.sin(a))
    if focus in pos and kinds.get(focus) != "task":
        for n, (x, y) in pos.items():  # whatever sat at the centre moves aside for the focus
            if n != focus and math.hypot(x, y) < 60:
                pos[n] = (x + 120, y + 60)
        pos[focus] = (0.0, 0.0)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def _separate(pos: dict, nodes: list[str], boxes: list[tuple[float, float]], limit: float) -> None:
    """Push apart overlapping label boxes (few nodes: the city leaders), staying within ``limit``."""
    if len(nodes) > 400:
        return
    for _ in range(80):
        moved = False
        for i in range(len(nodes)):
            for j in range(i + 1, len(nodes)):
                (xi, yi), (xj, yj) = pos[nodes[i]], pos[nodes[j]]
                need_x = (boxes[i][0] + boxes[j][0]) / 2 + 10
                need_y = (boxes[i][1] + boxes[j][1]) / 2 + 6
                dx, dy = xj - xi, yj - yi
                if abs(dx) >= need_x or abs(dy) >= need_y:
                    continue
                moved = True
                if need_x - abs(dx) < need_y - abs(dy):  # the cheaper direction
                    push = (need_x - abs(dx)) / 2 * (1 if dx > 0 or (dx == 0 and i % 2) else -1)
                    pos[nodes[i]], pos[nodes[j]] = (xi - push, yi), (xj + push, yj)
                else:
                    push = (need_y - abs(dy)) / 2 * (1 if dy > 0 or (dy == 0 and i % 2) else -1)
                    pos[nodes[i]], pos[nodes[j]] = (xi, yi - push), (xj, yj + push)
        if not moved:
            break
    for n in nodes:
        x, y = pos[n]
        r = math.hypot(x, y)
        if r > limit:
            pos[n] = (x * limit / r, y * limit / r)


# ---------------------------------------------------------------------------------------------
# What the page says about each node


class _Facts:
    """What a page needs from the whole graph, computed once for all the pages of a run."""

    def __init__(self, g: nx.MultiDiGraph):
        self.g = g
        self.kinds = _display_kinds(g)
        self.parent = _section_parent(g)
        self.tasks = tasks_of(g, expand=False)
        self.rows = {}
        for fn in (unit_loads, head_loads, leader_loads):
            for row in fn(g):
                self.rows.setdefault(row["iri"], {})[fn.__name__] = row
        self.heads_of: dict[str, Counter] = defaultdict(Counter)
        self.units_of: dict[str, Counter] = defaultdict(Counter)
        for u, v, d in g.edges(data=True):
            if d.get("rel") == "head":
                self.heads_of[v][u] += 1
                self.units_of[u][v] += 1
        self.member_of: dict[str, list[str]] = defaultdict(list)
        self.members: dict[str, list[str]] = defaultdict(list)
        for u, v, d in g.edges(data=True):
            if d.get("rel") == "member":
                self.members[u].append(v)
                self.member_of[v].append(u)
        self.section_tasks: dict[str, list[str]] = defaultdict(list)
        for t in self.tasks:
            p, seen = self.parent.get(t), set()
            while p is not None and p not in seen:
                seen.add(p)
                self.section_tasks[p].append(t)
                p = self.parent.get(p)
        self.leader_tasks: dict[str, list[str]] = defaultdict(list)
        self.person_tasks: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.unit_tasks: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
        for t in self._by_number(self.tasks):
            rec = self.tasks[t]
            for s in rec["supervisor"]:
                self.leader_tasks[s].append(t)
            for unit, heads in rec["heads"].items():
                for h in heads:
                    self.person_tasks[h][t].append(unit)
            for h in rec["unassigned"]:
                self.person_tasks[h].setdefault(t, [])
            direct = set(rec["lead"]) | set(rec["support"])
            seen = set()
            for role in ("lead", "support"):
                for u in rec[role]:
                    self.unit_tasks[u].append((t, role, None))
                    for m in self.members.get(u, []):  # a group's task loads its members (as in kg.analysis.load)
                        if m not in direct and m not in seen:
                            seen.add(m)
                            self.unit_tasks[m].append((t, role, u))

    def section_key(self, s: str) -> tuple:
        """Sections in document order: by the first task they hold, chapters before their sections."""
        first = min((self.g.nodes[t].get("number", math.inf) for t in self.section_tasks.get(s, [])), default=math.inf)
        return first, self.parent.get(s) is not None, self.label(s)

    def _by_number(self, nodes):
        return sorted(nodes, key=lambda t: (self.g.nodes[t].get("number", math.inf), t))

    def label(self, n: str) -> str:
        return label(self.g, n) if n in self.g else n

    def text(self, t: str) -> str:
        d = self.g.nodes[t]
        if d.get("text"):
            return d["text"]
        lab = d.get("label", t)
        return lab.split(". ", 1)[1] if ". " in lab and lab.split(". ", 1)[0].isdigit() else lab

    def chapter_section(self, t: str) -> tuple[str | None, str | None]:
        s = self.parent.get(t)
        if s is None:
            return None, None
        c = self.parent.get(s)
        return (s, None) if c is None else (c, s)

    def load(self, n: str) -> float:
        """The number behind a node's size: tasks carried, led or supported, supervised, held."""
        kind = self.kinds.get(n)
        if kind == "task":
            rec = self.tasks.get(n)
            return len(rec["lead"]) + len(rec["support"]) if rec else 1
        if kind == "section":
            return len(self.section_tasks.get(n, ()))
        if kind == "leader":
            return len(self.leader_tasks.get(n, ()))
        if kind in ("person", "role"):
            return len(self.person_tasks.get(n, ()))
        return len({t for t, *_ in self.unit_tasks.get(n, ())})

    def info(self, n: str, idx: dict[str, int]) -> dict:
        """The side panel of one node: subtitle, figures, text and lists of (label, node index or -1, note)."""
        kind = self.kinds.get(n, "unit")
        ref = lambda m: idx.get(m, -1)  # noqa: E731
        task_item = lambda t, note="": [self.label(t), ref(t), note]  # noqa: E731
        out: dict = {"sub": KIND_STYLE[kind][0], "facts": [], "lists": []}
        if kind == "task" and n in self.tasks:
            rec = self.tasks[n]
            chapter, section = self.chapter_section(n)
            out["sub"] = f"任务 {self.g.nodes[n].get('number', '')}".strip()
            out["facts"] = [["序号", self.g.nodes[n].get("number", "")],
                            ["章", self.label(chapter) if chapter else "—"],
                            ["节", self.label(section) if section else "—"]]
            out["text"] = self.text(n)
            for role, title in (("lead", "牵头单位"), ("support", "配合单位")):
                items = []
                for u in rec[role]:
                    items.append([self.label(u), ref(u), ""])
                    items.extend([self.label(h), ref(h), "责任领导", 1] for h in rec["heads"].get(u, []))
                out["lists"].append([title, items])
            out["lists"].append(["分管市领导", [[self.label(s), ref(s), ""] for s in rec["supervisor"]]])
            if rec["unassigned"]:
                out["lists"].append(["责任领导（未对应到单位）", [[self.label(h), ref(h), ""] for h in rec["unassigned"]]])
            kinds = {"level": "水平", "growth": "增速", "count": "数量"}
            if self.g.nodes[n].get("targets"):
                out["lists"].append(["量化指标", [[text, -1, kinds.get(k, k)] for text, k in self.g.nodes[n]["targets"]]])
            if self.g.nodes[n].get("mentions"):
                out["lists"].append(["提及的项目与镇街", [[name, -1, "项目" if project else "镇街"]
                                                   for name, project in self.g.nodes[n]["mentions"]]])
        elif kind == "leader":
            row = self.rows.get(n, {}).get("leader_loads")
            if row:
                out["facts"] = [["分管任务", row["tasks"]], ["与他人共管", f"{row['shared']}（{row['shared_share']:.0%}）"],
                                ["折算任务（按共管人数分摊）", row["fractional"]], ["涉及单位", row["units"]],
                                ["涉及章节", row["sections"]], ["任务数排名", row["rank"]]]
            tasks = self.leader_tasks.get(n, [])
            out["lists"].append([f"分管的任务（{len(tasks)}）", [task_item(t) for t in tasks]])
        elif kind in ("person", "role"):
            row = self.rows.get(n, {}).get("head_loads")
            if row:
                out["facts"] = [["任务", row["tasks"]], ["牵头", row["led"]], ["配合", row["supported"]],
                                ["未对应到单位", row["unplaced"]], ["加权负荷", row["weighted"]],
                                ["涉及章节", row["sections"]], ["分管市领导", row["leaders"]], ["负荷排名", row["rank"]]]
            units = self.units_of.get(n, Counter())
            out["lists"].append([f"负责的单位（{len(units)}）",
                                 [[self.label(u), ref(u), f"{k} 项任务"] for u, k in units.most_common()]])
            tasks = self.person_tasks.get(n, {})
            items = []
            for t in self._by_number(tasks):
                rec = self.tasks[t]
                us = tasks[t]
                if not us:
                    note = "未对应到单位"
                else:
                    note = ("牵头" if any(u in rec["lead"] for u in us) else "配合") + "·" + "、".join(map(self.label, us))
                items.append(task_item(t, note))
            out["lists"].append([f"负责的任务（{len(items)}）", items])
        elif kind in ("unit", "group"):
            row = self.rows.get(n, {}).get("unit_loads")
            if row:
                out["facts"] = [["任务", row["tasks"]], ["牵头", row["led"]], ["配合", row["supported"]],
                                ["加权负荷", row["weighted"]], ["合作单位", row["partners"]], ["负荷排名", row["rank"]]]
            for role, title in (("lead", "牵头的任务"), ("support", "配合的任务")):
                items = [task_item(t, f"经{self.label(via)}" if via else "")
                         for t, r, via in self.unit_tasks.get(n, []) if r == role]
                out["lists"].append([f"{title}（{len(items)}）", items])
            heads = self.heads_of.get(n, Counter())
            if heads:
                out["lists"].append(["责任领导", [[self.label(h), ref(h), f"{k} 项任务"] for h, k in heads.most_common()]])
            if self.members.get(n):
                out["lists"].append([f"成员单位（{len(self.members[n])}）",
                                     [[self.label(m), ref(m), ""] for m in self.members[n]]])
            if self.member_of.get(n):
                out["lists"].append(["所属单位组", [[self.label(m), ref(m), ""] for m in self.member_of[n]]])
        elif kind == "section":
            tasks = self._by_number(self.section_tasks.get(n, []))
            chapter = self.parent.get(n)
            out["sub"] = "节" if chapter else "章"
            out["facts"] = [["任务", len(tasks)]] + ([["所属章", self.label(chapter)]] if chapter else [])
            subs = [c for c, p in self.parent.items() if p == n and self.kinds.get(c) == "section"]
            if subs:
                out["lists"].append(["下设各节", [[self.label(s), ref(s), f"{len(self.section_tasks.get(s, []))} 项任务"]
                                              for s in sorted(subs, key=self.section_key)]])
            leaders = Counter(s for t in tasks for s in self.tasks[t]["supervisor"])
            out["lists"].append(["分管市领导", [[self.label(s), ref(s), f"{k} 项任务"] for s, k in leaders.most_common()]])
            out["lists"].append([f"任务（{len(tasks)}）", [task_item(t) for t in tasks]])
        return out

    def tip(self, n: str) -> str:
        """The tooltip: plain text (vis-network writes a string title with innerText)."""
        kind = self.kinds.get(n, "unit")
        name = self.label(n)
        if kind == "task" and n in self.tasks:
            rec = self.tasks[n]
            chapter, section = self.chapter_section(n)
            where = self.label(section or chapter) if (section or chapter) else ""
            text = self.text(n)
            text = text if len(text) <= 80 else text[:80] + "…"
            lines = [f"任务 {self.g.nodes[n].get('number', '')} · {where}", text,
                     "牵头：" + "、".join(map(self.label, rec["lead"]))]
            if rec["supervisor"]:
                lines.append("分管市领导：" + "、".join(map(self.label, rec["supervisor"])))
            return "\n".join(lines)
        load = self.load(n)
        what = {"leader": f"分管 {load} 项任务", "person": f"负责 {load} 项任务", "role": f"负责 {load} 项任务",
                "section": f"{load} 项任务"}.get(kind)
        if what is None:
            row = self.rows.get(n, {}).get("unit_loads")
            what = f"牵头 {row['led']} · 配合 {row['supported']} 项任务" if row else ""
        return f"{name} · {KIND_STYLE[kind][0]}\n{what}".strip()


# ---------------------------------------------------------------------------------------------
# The page


@functools.lru_cache(maxsize=None)
def _vis_asset(name: str) -> str:
    """vis-network 9.1.2 as shipped in pyvis's wheel (``pyvis/lib/vis-9.1.2``), without the
    source-map comment (the map is not shipped, and a browser's tools would ask for it)."""
    try:
        base = importlib_resources.files("pyvis")
    except ModuleNotFoundError:
        raise ExplorerError("the explorer needs pyvis: pip install 'pyvis>=0.3.2,<0.4'") from None
    for folder in ("lib/vis-9.1.2", "templates/lib/vis-9.1.2"):
        f = base.joinpath(folder, name)
        if f.is_file():
            text = f.read_text(encoding="utf-8")
            text = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text)
            if "</script" in text.lower() or "</style" in text.lower():
                raise ExplorerError(f"pyvis's {name} cannot be inlined: it contains a closing tag")
            return text
    raise ExplorerError(f"pyvis's vis-network ({name}) is missing: reinstall pyvis>=0.3.2,<0.4")


def _script_json(obj) -> str:
    """JSON that is safe inside a <script> element: no ``<``, ``>`` or ``&`` left as such."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _darker(colour: str, f: float = 0.7) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#%02x%02x%02x" % (int(r * f), int(g * f), int(b * f))


def _options(big: bool) -> dict:
    groups = {}
    for kind, (_, shape, colour, font) in KIND_STYLE.items():
        groups[kind] = {
            "shape": shape,
            "color": {"background": colour, "border": _darker(colour),
                      "highlight": {"background": colour, "border": "#000000"},
                      "hover": {"background": colour, "border": "#000000"}},
            "font": {"size": font, "color": "#222222" if kind != "task" else "#7a4a10"},
        }
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": not big, "tooltipDelay": 200, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
        "nodes": {"borderWidth": 1, "font": {"face": _FONT, "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.35}},
                  "selectionWidth": 1.5, "hoverWidth": 0.5},
        "groups": groups,
    }


def _page_data(view: nx.MultiDiGraph, facts: _Facts | None = None, *, focus: str | None = None,
              note: str = "", links: list[tuple[str, str]] = ()) -> dict:
    """Everything the page's script reads: pyvis's node and edge lists and options, the panel
    texts, the filters and the legend. ``facts`` come from the whole graph (for subviews)."""
    from pyvis.network import Network

    facts = facts or _Facts(view)
    kinds = _display_kinds(view)
    for n in view:
        if facts.kinds.get(n) == "leader":
            kinds[n] = "leader"
    rank = {k: i for i, k in enumerate(KIND_STYLE)}
    order = sorted(view, key=lambda n: rank[kinds[n]])  # tasks first: people are drawn over them
    idx = {n: i for i, n in enumerate(order)}
    aggregated = bool(view.graph.get("aggregated"))

    sizes, labels = {}, {}
    for n in order:
        d = view.nodes[n]
        kind = kinds[n]
        load = d["tasks"] if aggregated and "tasks" in d else facts.load(n)
        base = {"task": 5, "section": 9, "leader": 13, "group": 9}.get(kind, 7)
        sizes[n] = round(base + (1.6 if kind == "task" else 2.2) * math.sqrt(load), 1)
        labels[n] = str(d["number"]) if kind == "task" and "number" in d else d.get("label", n)
    pos = layout(view, sizes, labels, focus=focus)

    big = view.number_of_nodes() > 1500 or view.number_of_edges() > 5000
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    net.options = _options(big)
    for n in order:
        x, y = pos[n]
        node = {"id": idx[n], "label": labels[n], "group": kinds[n], "x": x, "y": y, "size": sizes[n],
                "title": facts.tip(n) if n in facts.g else labels[n]}
        if kinds[n] == "section" and facts.parent.get(n) is None:
            node["font"] = {"size": 32}
        if aggregated and kinds[n] != "section":
            node["title"] += f"\n（聚合视图）{view.nodes[n].get('tasks', 0)} 项任务"
        net.nodes.append(node)
        net.node_ids.append(idx[n])
        net.node_map[idx[n]] = node
    for u, v, d in view.edges(data=True):
        e = {"from": idx[u], "to": idx[v], "rel": d.get("rel", "part_of")}
        if d.get("task") in idx:
            e["task"] = idx[d["task"]]
        if "weight" in d:
            e["weight"] = d["weight"]
        net.edges.append(e)
    nodes, edges, _, _, _, options = net.get_network_data()

    # the scope filters: each choice names the nodes it starts from (the page adds their neighbours);
    # a chapter or leader not drawn on this page still filters the tasks of theirs that are
    sections = []
    for s in sorted((n for n in facts.g if facts.kinds[n] == "section"), key=facts.section_key):
        start = [idx[t] for t in facts.section_tasks.get(s, []) if t in idx]
        if s in idx:
            start += [idx[s]] + [idx[c] for c in view if facts.parent.get(c) == s and kinds[c] == "section"]
        if start:
            sections.append([facts.label(s), 0 if facts.parent.get(s) is None else 1, start])
    leader_opts = []
    for n in sorted((n for n in facts.g if facts.kinds[n] == "leader"), key=lambda n: (-facts.load(n), facts.label(n))):
        start = [idx[t] for t in facts.leader_tasks.get(n, []) if t in idx]
        if n in idx:
            start.append(idx[n])
            start += [idx[s] for s, _, d in view.in_edges(n, data=True) if d.get("rel") == "supervisor" and s in idx
                      and kinds[s] == "section"]
        if start:
            leader_opts.append([facts.label(n), facts.load(n), start])

    rels_present = Counter(e["rel"] for e in edges)
    kinds_present = Counter(kinds[n] for n in order)
    return {
        "nodes": nodes, "edges": edges, "options": json.loads(options),
        "info": [facts.info(n, idx) if n in facts.g else {"sub": "", "facts": [], "lists": []} for n in order],
        "kinds": [[k, s[0], s[1], s[2], kinds_present[k]] for k, s in KIND_STYLE.items() if kinds_present[k]],
        "rels": [[r, *REL_STYLE.get(r, (r, "#999999", 1.0, None, 0.5)), rels_present[r]]  # a newer relation: grey
                 for r in [*REL_STYLE, *sorted(set(rels_present) - set(REL_STYLE))] if rels_present[r]],
        "sections": sections, "leaders": leader_opts,
        "focus": idx.get(focus, -1), "note": note, "big": big, "links": [list(x) for x in links],
        "aggregated": aggregated,
        "count": {"nodes": len(nodes), "edges": len(edges)},
    }


def _page(title: str, data: dict) -> str:
    return _fill(_TEMPLATE, TITLE=html.escape(title), VIS_CSS=_vis_asset("vis-network.css"), STYLE=_STYLE,
                 DATA=_script_json(data), APP=_APP, VIS_JS=_vis_asset("vis-network.min.js"))


def _fill(template: str, **parts: str) -> str:
    """Put the parts into the ``%%NAME%%`` slots in one pass, so no part is read for slots itself."""
    parts = {"CSP": _CSP, "FONT": _FONT.replace('"', "'"), **parts}
    return re.sub(r"%%([A-Z_]+)%%", lambda m: parts[m.group(1)], template)


def _view(g: nx.MultiDiGraph, focus: str | None, depth: int, max_nodes: int) -> tuple[nx.MultiDiGraph, str | None, str]:
    if not len(g):
        raise ExplorerError("the graph is empty: build it first (kg build or kg run)")
    if focus is not None:
        focus = find_focus(g, focus)
        view = ego_graph(g, focus, depth)
        note = f"以「{label(g, focus)}」为中心、{depth} 步之内的局部视图：{view.number_of_nodes()} 个节点。"
    else:
        view, note = g, ""
    if view.number_of_nodes() > max_nodes:
        n = view.number_of_nodes()
        view = aggregate(view)
        note += (f"聚合视图：图有 {n:,} 个节点，超过上限 {max_nodes:,}（--max-nodes），"
                 "这里只画章节、单位和分管市领导，任务汇总为连线上的数量。")
        focus = focus if focus in view else None
    return view, focus, note


def _render(g: nx.MultiDiGraph, title: str, focus: str | None, depth: int, max_nodes: int) -> tuple[str, dict]:
    view, focus, note = _view(g, focus, depth, max_nodes)
    data = _page_data(view, _Facts(g), focus=focus, note=note)
    return _page(title, data), data


def explorer_html(g: nx.MultiDiGraph, title: str = "respkg 责任网络", *, focus: str | None = None, depth: int = 1,
                  max_nodes: int = MAX_NODES) -> str:
    """The whole explorer page for ``g`` (one string, nothing to fetch).

    ``focus`` (a person's or unit's Chinese name, or a node key) gives the ego view within
    ``depth`` links of it; above ``max_nodes`` nodes the page shows :func:`aggregate`.
    """
    return _render(g, title, focus, depth, max_nodes)[0]


def write_explorer(path: str | Path, g: nx.MultiDiGraph, title: str = "respkg 责任网络", *,
                   focus: str | None = None, depth: int = 1, max_nodes: int = MAX_NODES) -> Written:
    """Write the explorer page to ``path`` atomically; returns what was written."""
    text, data = _render(g, title, focus, depth, max_nodes)
    write_atomic(path, text)
    return Written(Path(path), data["count"]["nodes"], data["count"]["edges"], data["aggregated"],
                   len(text.encode("utf-8")))


def _file_name(name: str, taken: set[str]) -> str:
    stem = re.sub(r'[\\/:*?"<>|#%\x00-\x1f]', "_", name).strip(" .") or "leader"
    out, i = f"{stem}.html", 2
    while out.lower() in taken or out.lower() == "index.html":
        out, i = f"{stem}-{i}.html", i + 1
    taken.add(out.lower())
    return out


def write_per_leader(folder: str | Path, g: nx.MultiDiGraph, title: str = "respkg 责任网络", *,
                     max_nodes: int = MAX_NODES) -> list[Written]:
    """One page per city leader (their tasks, those tasks' units and heads) and an ``index.html``
    listing the leaders with their load figures; returns the pages, the index last."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExplorerError(f"{folder}: not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExplorerError(f"{folder}: cannot create the folder ({exc.strerror})") from None
    facts = _Facts(g)
    rows = leader_loads(g)
    if not rows:
        raise ExplorerError("the graph has no city leaders (分管市领导): nothing to write per leader")
    taken: set[str] = set()
    files = {r["iri"]: _file_name(r["name"], taken) for r in rows}
    written = []
    for r in rows:
        view = leader_graph(g, r["iri"])
        note = (f"分管市领导「{r['name']}」：分管 {r['tasks']} 项任务，这些任务的责任单位和责任领导。")
        focus = r["iri"]
        if view.number_of_nodes() > max_nodes:  # with the tasks' sections, which the counts go by
            sections = {p for t in view if facts.kinds[t] == "task" for p in (facts.parent.get(t),
                                                                               facts.parent.get(facts.parent.get(t)))}
            view = aggregate(_induced(g, set(view) | (sections - {None})))
            note += "（聚合视图：任务汇总为连线上的数量。）"
        data = _page_data(view, facts, focus=focus, note=note, links=[("← 全部分管市领导", "index.html")])
        text = _page(f"{r['name']} · {title}", data)
        path = folder / files[r["iri"]]
        write_atomic(path, text)
        written.append(Written(path, data["count"]["nodes"], data["count"]["edges"], data["aggregated"],
                               len(text.encode("utf-8"))))
    text = _index_html(title, rows, files)
    write_atomic(folder / "index.html", text)
    written.append(Written(folder / "index.html", len(rows), 0, False, len(text.encode("utf-8"))))
    return written


_INDEX_COLUMNS = (("rank", "排名"), ("name", "分管市领导"), ("tasks", "分管任务"), ("shared", "与他人共管"),
                  ("shared_share", "共管占比"), ("fractional", "折算任务"), ("units", "涉及单位"),
                  ("sections", "涉及章节"), ("share", "任务份额"))


def _index_html(title: str, rows: list[dict], files: dict[str, str]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(zh)}</th>" for _, zh in _INDEX_COLUMNS)
    body = []
    for r in rows:
        cells = []
        for key, _ in _INDEX_COLUMNS:
            v = r[key]
            if key == "name":
                cells.append(f'<td><a href="{e(files[r["iri"]])}">{e(str(v))}</a></td>')
            elif key in ("shared_share", "share"):
                cells.append(f'<td class="n">{v:.1%}</td>')
            else:
                cells.append(f'<td class="n">{e(str(v))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    total = sum(r["tasks"] for r in rows)
    return _fill(_INDEX, TITLE=e(title), HEAD=head, BODY="\n".join(body),
                 SUMMARY=e(f"{len(rows)} 位分管市领导，合计分管 {total} 项任务（共管的任务计入每位领导）。"))


_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")

_INDEX = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="%%CSP%%">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>分管市领导 · %%TITLE%%</title>
<style>
body { font-family: %%FONT%%; margin: 2em auto; max-width: 60em; color: #222; padding: 0 1em; }
h1 { font-size: 1.4em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .35em .6em; text-align: left; }
th { background: #f4f4f4; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
p.note { color: #555; font-size: .9em; }
</style>
</head>
<body>
<h1>分管市领导 · %%TITLE%%</h1>
<p>%%SUMMARY%%</p>
<table id="leaders">
<thead><tr>%%HEAD%%</tr></thead>
<tbody>
%%BODY%%
</tbody>
</table>
<p class="note">折算任务：每项任务按分管市领导人数平均分摊（Σ 1/k）。点击姓名打开该领导的责任网络页面。</p>
</body>
</html>
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="%%CSP%%">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%%TITLE%%</title>
<style>%%VIS_CSS%%</style>
<style>%%STYLE%%</style>
</head>
<body>
<header>
  <h1>%%TITLE%%</h1>
  <div id="search">
    <input id="q" type="search" placeholder="搜索：领导、单位、任务编号或任务文字" autocomplete="off" spellcheck="false"
           aria-label="搜索节点">
    <ul id="hits" role="listbox" hidden></ul>
  </div>
  <button id="fit" type="button" title="显示整个网络">全图</button>
  <span id="count"></span>
</header>
<div id="note" hidden></div>
<main>
  <nav id="legend" aria-label="图例与筛选">
    <h3>节点类型</h3><div id="kinds"></div>
    <h3>关系</h3><div id="rels"></div>
    <h3>范围</h3>
    <label class="pick">章节<select id="f-section"><option value="">全部章节</option></select></label>
    <label class="pick">分管市领导<select id="f-leader"><option value="">全部领导</option></select></label>
    <button id="reset" type="button">重置筛选</button>
    <p class="hint">节点大小表示任务负荷。取消勾选可隐藏一类节点或关系。</p>
  </nav>
  <div id="graph"></div>
  <aside id="panel" aria-live="polite"></aside>
</main>
<noscript>这个页面需要 JavaScript 才能显示网络。</noscript>
<script id="respkg-data" type="application/json">%%DATA%%</script>
<script>%%VIS_JS%%</script>
<script>%%APP%%</script>
</body>
</html>
"""

_STYLE = """
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { font-family: FONT; color: #222; display: flex; flex-direction: column; background: #fff; }
header { display: flex; align-items: center; gap: .8em; padding: .45em .8em; border-bottom: 1px solid #ddd;
         background: #fafafa; flex: none; }
header h1 { font-size: 1.05em; margin: 0; white-space: nowrap; }
#search { position: relative; flex: 0 1 26em; }
#q { width: 100%; font: inherit; padding: .3em .5em; border: 1px solid #bbb; border-radius: 4px; }
#hits { position: absolute; z-index: 20; left: 0; right: 0; top: 100%; margin: 2px 0 0; padding: 0; list-style: none;
        background: #fff; border: 1px solid #bbb; border-radius: 4px; box-shadow: 0 4px 12px rgba(0,0,0,.15);
        max-height: 60vh; overflow-y: auto; }
#hits li { padding: .3em .6em; cursor: pointer; display: flex; gap: .5em; align-items: baseline; }
#hits li.active, #hits li:hover { background: #e8f0fb; }
#hits .kind { color: #777; font-size: .8em; white-space: nowrap; }
#hits .none { color: #777; cursor: default; }
#count { color: #555; font-size: .85em; margin-left: auto; white-space: nowrap; }
button { font: inherit; font-size: .9em; padding: .2em .7em; border: 1px solid #bbb; border-radius: 4px;
         background: #fff; cursor: pointer; }
button:hover { background: #f0f0f0; }
#note { padding: .35em .8em; background: #fff8e1; border-bottom: 1px solid #eed; font-size: .9em; flex: none; }
#note a { margin-right: 1em; }
main { flex: 1; display: flex; min-height: 0; position: relative; }
#graph { flex: 1; min-width: 0; position: relative; }
#panel { width: 22em; flex: none; border-left: 1px solid #ddd; overflow-y: auto; padding: .6em .9em; font-size: .9em;
         background: #fff; }
#panel h2 { font-size: 1.15em; margin: .2em 0; word-break: break-all; }
#panel .sub { color: #666; margin-bottom: .5em; }
#panel table { border-collapse: collapse; margin: .4em 0; }
#panel td { padding: .1em .8em .1em 0; vertical-align: top; }
#panel td.v { font-variant-numeric: tabular-nums; }
#panel .text { background: #f7f7f7; border-left: 3px solid #f28e2b; padding: .4em .6em; margin: .5em 0;
               line-height: 1.55; white-space: pre-wrap; word-break: break-all; }
#panel h3 { font-size: 1em; margin: .8em 0 .2em; color: #444; }
#panel ul { margin: 0; padding-left: 1.1em; }
#panel li { margin: .12em 0; word-break: break-all; }
#panel li.indent { list-style: none; margin-left: .6em; color: #444; }
#panel .note { color: #777; font-size: .9em; margin-left: .3em; }
#panel .help { color: #555; line-height: 1.6; }
a.node { color: #1a5fb4; text-decoration: none; cursor: pointer; }
a.node:hover { text-decoration: underline; }
#legend { width: 15.5em; flex: none; border-right: 1px solid #ddd; background: #fcfcfc; padding: .3em .7em;
          font-size: .85em; overflow-y: auto; }
#legend h3 { font-size: .95em; margin: .7em 0 .25em; color: #444; }
#legend label { display: flex; align-items: center; gap: .35em; margin: .1em 0; cursor: pointer; }
#legend label.pick { flex-direction: column; align-items: stretch; gap: .1em; margin: .3em 0; }
#legend select { font: inherit; width: 100%; }
#legend .n { color: #777; margin-left: auto; padding-left: .6em; font-variant-numeric: tabular-nums; }
#legend .hint { color: #666; margin: .6em 0 0; font-size: .92em; line-height: 1.5; }
#legend #reset { margin-top: .3em; }
svg.sw { flex: none; }
div.vis-tooltip { font-family: FONT; font-size: 13px; max-width: 28em; white-space: pre-wrap; line-height: 1.45; }
""".replace("FONT", _FONT)

_APP = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("respkg-data").textContent);
  var N = D.nodes, E = D.edges, INFO = D.info;
  var api = window.respkgExplorer = { drawnAt: null, data: D };  // for the tests, and for the curious

  function el(tag, attrs, text) {
    var x = document.createElement(tag);
    if (attrs) for (var k in attrs) x.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) x.textContent = String(text);
    return x;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var x = document.createElementNS(SVG, tag);
    for (var k in attrs) x.setAttribute(k, attrs[k]);
    return x;
  }

  // styles: one shared colour object per relation, full and dimmed
  var REL = {}, KIND = {};
  D.rels.forEach(function (r) {
    REL[r[0]] = { label: r[1], color: r[2], width: r[3], dashes: r[4] || false, count: r[6],
                  base: { color: r[2], highlight: r[2], hover: r[2], opacity: D.big ? Math.min(r[5], 0.25) : r[5] },
                  on: { color: r[2], highlight: r[2], hover: r[2], opacity: 1 },
                  dim: { color: r[2], highlight: r[2], hover: r[2], opacity: 0.06 } };
  });
  D.kinds.forEach(function (k) {
    KIND[k[0]] = { label: k[1], shape: k[2], color: k[3], count: k[4], font: D.options.groups[k[0]].font.color };
  });

  var adj = N.map(function () { return []; });
  var headsOfTask = {};
  E.forEach(function (e, i) {
    var r = REL[e.rel];
    e.id = i;
    e.color = r.base;
    e.width = e.weight ? r.width * (1 + Math.log(e.weight) / Math.LN2 * 0.6) : r.width;
    e.dashes = D.big ? false : r.dashes;
    if (e.weight) e.title = r.label + "：" + e.weight + " 项任务";
    adj[e.from].push(i);
    adj[e.to].push(i);
    if (e.task !== undefined) (headsOfTask[e.task] = headsOfTask[e.task] || []).push(i);
  });

  // filters: node kinds, relations, and a scope (the nodes around a chapter/section or a leader's tasks)
  var kindOn = {}, relOn = {}, scope = null, scopeTasks = null;
  D.kinds.forEach(function (k) { kindOn[k[0]] = true; });
  D.rels.forEach(function (r) { relOn[r[0]] = true; });
  function nodeShown(i) { return kindOn[N[i].group] && (!scope || scope.has(i)); }
  var nodes = new vis.DataSet(N), edges = new vis.DataSet(E);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return nodeShown(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) {
    return relOn[e.rel] && nodeShown(e.from) && nodeShown(e.to) &&
      (!scopeTasks || e.task === undefined || scopeTasks.has(e.task));
  } });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, D.options);
  api.network = network;
  network.once("afterDrawing", function () { api.drawnAt = performance.now(); });

  // the neighbourhood of a node: its links, and for a task the heads named for it (and the reverse)
  function hood(i) {
    var ns = new Set([i]), es = new Set();
    function take(j) { var e = E[j]; es.add(j); ns.add(e.from); ns.add(e.to); }
    adj[i].forEach(function (j) {
      take(j);
      if (E[j].task !== undefined) ns.add(E[j].task);
    });
    (headsOfTask[i] || []).forEach(take);
    return { nodes: ns, edges: es };
  }
  function closure(start) {
    var ns = new Set(), ts = new Set();
    start.forEach(function (i) {
      hood(i).nodes.forEach(function (j) { ns.add(j); });
      if (N[i].group === "task") ts.add(i);
    });
    return { nodes: ns, tasks: ts };
  }

  // highlighting: dim everything outside the neighbourhood; update only what changes
  // states: 0 dimmed, 1 as drawn at first, 2 highlighted. A big graph dims nothing (updating every
  // node and edge takes seconds there): its edges are faint already and highlighted nodes get a border.
  var lit = null, nodeState = new Array(N.length).fill(1), edgeState = new Array(E.length).fill(1);
  function nodeLook(i, s) {
    return { id: i, opacity: s ? 1 : 0.18, borderWidth: s === 2 && D.big ? 5 : 1,
             font: Object.assign({}, N[i].font, { color: s ? KIND[N[i].group].font : "#c8c8c8" }) };
  }
  function applyLight() {
    var nu = [], eu = [], look = ["dim", "base", "on"];
    for (var i = 0; i < N.length; i++) {
      var s = !lit ? 1 : lit.nodes.has(i) ? 2 : D.big ? 1 : 0;
      if (s !== nodeState[i]) { nodeState[i] = s; nu.push(nodeLook(i, s)); }
    }
    for (var j = 0; j < E.length; j++) {
      var t = !lit ? 1 : lit.edges.has(j) ? 2 : D.big ? 1 : 0;
      if (t !== edgeState[j]) { edgeState[j] = t; eu.push({ id: j, color: REL[E[j].rel][look[t]] }); }
    }
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
  }
  function clearLight() { lit = null; applyLight(); network.unselectAll(); showHelp(); }

  function select(i, how) {
    if (!nodeShown(i)) resetFilters();
    network.selectNodes([i], false);
    lit = hood(i);
    applyLight();
    showInfo(i);
    if (!how || how.focus !== false) show(Array.from(lit.nodes), i);
  }
  // move the view onto a node: the whole neighbourhood if it fits legibly, else the node itself
  function show(ids, i) {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, at = network.getPositions(ids);
    ids.forEach(function (j) {  // where the nodes are now: the user may have dragged some
      var p = at[j] || N[j];
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    });
    var me = at[i] || N[i];
    var w = container.clientWidth || 800, h = container.clientHeight || 600;
    var fit = Math.min((w - 100) / (x1 - x0 + 1), (h - 100) / (y1 - y0 + 1));  // 50 px free on each side
    var fits = fit >= (D.big ? 0.45 : 0.2);
    network.moveTo({ position: fits ? { x: (x0 + x1) / 2, y: (y0 + y1) / 2 } : { x: me.x, y: me.y },
                     scale: fits ? Math.min(1.2, fit) : D.big ? 1.0 : 0.45,
                     animation: D.big ? false : { duration: 450, easingFunction: "easeInOutQuad" } });
  }
  api.select = select;
  api.selected = function () { return network.getSelectedNodes(); };
  api.highlighted = function () { return lit ? Array.from(lit.nodes) : []; };
  api.drawn = function () {  // what vis-network draws now (not what it was given)
    return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
  };

  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0], { focus: false });
    else clearLight();
  });

  // the side panel
  var panel = document.getElementById("panel");
  function link(text, i) {
    if (i < 0) return el("span", null, text);
    var a = el("a", { href: "#", "class": "node" }, text);
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(i); });
    return a;
  }
  function showInfo(i) {
    var info = INFO[i], n = N[i];
    panel.textContent = "";
    panel.appendChild(el("h2", null, n.group === "task" ? info.sub : n.label));
    panel.appendChild(el("div", { "class": "sub" }, n.group === "task" ? KIND.task.label : info.sub));
    if (info.facts.length) {
      var tb = el("table");
      info.facts.forEach(function (f) {
        var tr = el("tr");
        tr.appendChild(el("td", null, f[0]));
        tr.appendChild(el("td", { "class": "v" }, f[1]));
        tb.appendChild(tr);
      });
      panel.appendChild(tb);
    }
    if (info.text) panel.appendChild(el("div", { "class": "text" }, info.text));
    info.lists.forEach(function (l) {
      panel.appendChild(el("h3", null, l[0]));
      var ul = el("ul");
      if (!l[1].length) ul.appendChild(el("li", null, "—"));
      l[1].forEach(function (it) {
        var li = el("li", it[3] ? { "class": "indent" } : null);
        if (it[3]) li.appendChild(document.createTextNode("└ "));
        li.appendChild(link(it[0], it[1]));
        if (it[2]) li.appendChild(el("span", { "class": "note" }, it[2]));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    });
  }
  function showHelp() {
    panel.textContent = "";
    panel.appendChild(el("h2", null, "怎么用"));
    var p = el("div", { "class": "help" });
    ["在上方搜索领导、单位的名字，或任务编号、任务文字。",
     "点击节点：高亮它的关联（任务、单位、责任领导、分管市领导），这里显示详情；点击详情里的名字继续追踪。",
     "左侧的图例可按节点类型、关系、章节和分管市领导筛选。滚轮缩放，拖动平移。"].forEach(function (t) {
      p.appendChild(el("p", null, t));
    });
    panel.appendChild(p);
    panel.appendChild(el("p", { "class": "sub" }, N.length + " 个节点，" + E.length + " 条连线。"));
  }

  // search: exact label first, then prefix, then substring; task numbers and task texts too
  var q = document.getElementById("q"), hits = document.getElementById("hits"), active = -1, found = [];
  function find(s) {
    s = s.trim().toLowerCase();
    if (!s) return [];
    var out = [], number = s.replace(/^任务\s*/, "");  // "任务 45" finds task 45 as "45" does
    for (var i = 0; i < N.length; i++) {
      var lab = String(N[i].label).toLowerCase(), rank = -1;
      if (lab === s || (N[i].group === "task" && lab === number)) rank = 0;
      else if (lab.indexOf(s) === 0) rank = 1;
      else if (lab.indexOf(s) > 0) rank = 2;
      else if (INFO[i].text && INFO[i].text.toLowerCase().indexOf(s) >= 0) rank = 3;
      if (rank >= 0) out.push([rank, -N[i].size, i]);
    }
    out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return out.slice(0, 30).map(function (x) { return x[2]; });
  }
  function display(i) {
    return N[i].group === "task" ? INFO[i].sub + " " + (INFO[i].text || "").slice(0, 24) : N[i].label;
  }
  function showHits() {
    found = find(q.value);
    hits.textContent = "";
    active = found.length ? 0 : -1;
    if (!q.value.trim()) { hits.hidden = true; return; }
    if (!found.length) hits.appendChild(el("li", { "class": "none" }, "没有找到"));
    found.forEach(function (i, k) {
      var li = el("li", { role: "option" });
      li.appendChild(el("span", null, display(i)));
      li.appendChild(el("span", { "class": "kind" }, KIND[N[i].group].label));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(k); });
      hits.appendChild(li);
    });
    mark();
    hits.hidden = false;
  }
  function mark() {
    Array.prototype.forEach.call(hits.children, function (li, k) { li.classList.toggle("active", k === active); });
  }
  function choose(k) {
    if (k < 0 || k >= found.length) return;
    var i = found[k];
    hits.hidden = true;
    q.value = N[i].group === "task" ? INFO[i].sub : N[i].label;
    select(i);
  }
  q.addEventListener("input", showHits);
  q.addEventListener("focus", function () { if (q.value.trim()) showHits(); });
  q.addEventListener("blur", function () { hits.hidden = true; });
  q.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!found.length) return;
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
      mark();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (!found.length) found = find(q.value);
      choose(active < 0 ? 0 : active);
    } else if (ev.key === "Escape") { hits.hidden = true; }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && ev.target !== q && lit) clearLight();
  });
  api.search = function (s) { q.value = s; found = find(s); choose(0); return found.length ? found[0] : -1; };

  // legend and filters
  function swatchNode(k) {
    var s = svg("svg", { width: 18, height: 18, viewBox: "-9 -9 18 18", "class": "sw" });
    var c = { fill: k.color, stroke: "#333", "stroke-width": 0.8 }, shape;
    function poly(pts) { return svg("polygon", Object.assign({ points: pts }, c)); }
    if (k.shape === "dot") shape = svg("circle", Object.assign({ r: 6 }, c));
    else if (k.shape === "square") shape = svg("rect", Object.assign({ x: -6, y: -6, width: 12, height: 12 }, c));
    else if (k.shape === "diamond") shape = poly("0,-7 7,0 0,7 -7,0");
    else if (k.shape === "triangle") shape = poly("0,-7 7,6 -7,6");
    else if (k.shape === "triangleDown") shape = poly("0,7 7,-6 -7,-6");
    else if (k.shape === "star") {
      shape = poly("0,-8 2.2,-2.6 7.8,-2.5 3.4,1 5,6.6 0,3.3 -5,6.6 -3.4,1 -7.8,-2.5 -2.2,-2.6");
    }
    else shape = poly("7,0 3.5,6 -3.5,6 -7,0 -3.5,-6 3.5,-6");
    s.appendChild(shape);
    return s;
  }
  function swatchEdge(r) {
    var s = svg("svg", { width: 30, height: 12, "class": "sw" });
    var line = svg("line", { x1: 1, y1: 6, x2: 24, y2: 6, stroke: r.color,
                             "stroke-width": Math.max(1.4, r.width * 1.3) });
    if (r.dashes && !D.big) line.setAttribute("stroke-dasharray", r.dashes.join(" "));
    s.appendChild(line);
    s.appendChild(svg("polygon", { points: "23,2 29,6 23,10", fill: r.color }));
    return s;
  }
  function check(box, labelText, swatch, count, onChange) {
    var lab = el("label");
    var cb = el("input", { type: "checkbox" });
    cb.checked = true;
    cb.addEventListener("change", function () { onChange(cb.checked); });
    lab.appendChild(cb);
    lab.appendChild(swatch);
    lab.appendChild(el("span", null, labelText));
    lab.appendChild(el("span", { "class": "n" }, count));
    box.appendChild(lab);
    return cb;
  }
  var kindBoxes = {}, relBoxes = {};
  D.kinds.forEach(function (k) {
    kindBoxes[k[0]] = check(document.getElementById("kinds"), KIND[k[0]].label, swatchNode(KIND[k[0]]), k[4],
      function (on) { kindOn[k[0]] = on; refresh(); });
    kindBoxes[k[0]].dataset.kind = k[0];
  });
  D.rels.forEach(function (r) {
    relBoxes[r[0]] = check(document.getElementById("rels"), REL[r[0]].label, swatchEdge(REL[r[0]]), REL[r[0]].count,
      function (on) { relOn[r[0]] = on; refresh(); });
    relBoxes[r[0]].dataset.rel = r[0];
  });
  var fSection = document.getElementById("f-section"), fLeader = document.getElementById("f-leader");
  D.sections.forEach(function (s, k) {
    fSection.appendChild(el("option", { value: String(k) }, (s[1] ? "\u3000" : "") + s[0]));
  });
  D.leaders.forEach(function (s, k) {
    fLeader.appendChild(el("option", { value: String(k) }, s[0] + "（" + s[1] + "）"));
  });
  if (!D.sections.length) fSection.disabled = true;
  if (!D.leaders.length) fLeader.disabled = true;
  function setScope() {
    var a = fSection.value === "" ? null : D.sections[+fSection.value][2];
    var b = fLeader.value === "" ? null : D.leaders[+fLeader.value][2];
    if (!a && !b) { scope = scopeTasks = null; refresh(); return; }
    var start = a && b ? a.filter(function (i) { return b.indexOf(i) >= 0; }) : (a || b);
    var c = closure(start);
    scope = c.nodes;
    scopeTasks = c.tasks.size ? c.tasks : null;
    refresh();
    if (scope.size) network.fit({ nodes: Array.from(scope).filter(nodeShown), animation: { duration: 400 } });
  }
  fSection.addEventListener("change", setScope);
  fLeader.addEventListener("change", setScope);
  function resetFilters() {
    D.kinds.forEach(function (k) { kindOn[k[0]] = true; kindBoxes[k[0]].checked = true; });
    D.rels.forEach(function (r) { relOn[r[0]] = true; relBoxes[r[0]].checked = true; });
    fSection.value = ""; fLeader.value = "";
    scope = scopeTasks = null;
    refresh();
  }
  document.getElementById("reset").addEventListener("click", function () { resetFilters(); network.fit(); });
  document.getElementById("fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 400 } });
  });

  var count = document.getElementById("count");
  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    count.textContent = nodeView.length + "/" + N.length + " 个节点 · " + edgeView.length + "/" + E.length + " 条连线" +
      (D.aggregated ? "（聚合）" : "");
  }
  api.refresh = refresh;
  api.resetFilters = resetFilters;

  var note = document.getElementById("note");
  if (D.note || D.links.length) {
    D.links.forEach(function (l) { note.appendChild(el("a", { href: l[1] }, l[0])); });
    note.appendChild(document.createTextNode(D.note));
    note.hidden = false;
  }
  refresh();
  if (D.focus >= 0) {
    network.selectNodes([D.focus], false);
    showInfo(D.focus);
  } else showHelp();
})();
"""
