"""Where the explorer draws each node: a radial layout by kind, computed before the page opens.

Tasks sit on a ring ordered by chapter and section (a gap between sections, a wider one
between chapters); sections and chapters inside it, at the middle of the tasks they hold;
city leaders near the centre, pulled toward the tasks they supervise; units and unit
groups outside the ring next to their tasks, and unit heads outside their units. Nodes on
one ring keep the room their labels need (:func:`_ring`, solved on a line by
:func:`_spread_line`). A graph without tasks or sections (an ego view of a lone unit) falls
back to networkx's spring layout.

The positions are fixed, so the page draws at once with physics off, at any size
(:mod:`kg.views.explorer` writes the page). The kinds are the explorer's display kinds
(``task``, ``section``, ``leader`` for a city leader, ``unit``, ``group``, ``person``, ``role``);
this module knows nothing of the page's styles beyond each kind's label font size.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from kg.analysis.network import label

__all__ = ["layout", "section_parent"]


def section_parent(g: nx.MultiDiGraph) -> dict[str, str]:
    """Section → chapter, task → section (or chapter): the ``part_of`` links."""
    return {u: v for u, v, d in g.edges(data=True) if d.get("rel") == "part_of"}


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
    """The width and height a node and its label take (a CJK character is about a font size wide)."""
    return font * 0.95 * len(text) + 6, size * 2 + font * 1.5


def _edge_weight(d: dict) -> float:
    """How hard a link pulls a node toward the other end: by its task count, lead links double."""
    return float(d.get("weight", 1)) * (2.0 if d.get("rel") == "lead" else 1.0)


def layout(g: nx.MultiDiGraph, kinds: dict[str, str], fonts: dict[str, float],
           sizes: dict[str, float] | None = None, labels: dict[str, str] | None = None,
           focus: str | None = None) -> dict[str, tuple[float, float]]:
    """Positions for every node: a radial layout by kind (see the module docstring).

    ``kinds`` gives every node's display kind and ``fonts`` each kind's label font size;
    ``sizes`` and ``labels`` are the drawn node sizes and labels (with the fonts they decide
    the room a node needs); ``focus`` goes to the centre. Deterministic: the same graph
    gives the same positions. Linear in the edges, so it serves 10,000 nodes as well as 50.
    """
    sizes = sizes or {}
    labels = labels or {n: label(g, n) for n in g}
    parent = section_parent(g)
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
        return _label_box(labels.get(n, n), fonts[kinds[n]], sizes.get(n, 10.0))

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
