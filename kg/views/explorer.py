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
(quadratic). Positions come from :func:`kg.views.layout.layout` (tasks on a ring by chapter
and section, city leaders inside, units and their heads outside), so the page draws at
once with physics off, at any size. Above ``max_nodes`` nodes the page shows the
aggregated view (:func:`aggregate`): sections, units and city leaders, with tasks as
counts on the links.

The page's HTML, CSS and script are files in ``kg/static/explorer/`` (``page.html``,
``explorer.css``, ``explorer.js``, and ``list.html`` for the per-leader and per-plan indexes), read at
run time; this module fills their ``%%NAME%%`` slots.

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
from kg.analysis.load import head_loads, inequality, leader_loads, unit_loads
from kg.analysis.network import label, tasks_of
from kg.output import write_atomic
from kg.views.layout import layout, section_parent
from kg.views.progress import SHOWN as STATUS_ORDER, STATUS_COLOURS, STATUS_ZH

__all__ = ["ExplorerError", "Written", "MAX_NODES", "KIND_STYLE", "REL_STYLE", "explorer_html", "write_explorer",
           "write_per_leader", "write_per_plan", "ego_graph", "leader_graph", "aggregate", "city_leaders", "display_kinds",
           "find_focus", "add_task_texts"]

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

#: Every page forbids every request: all it needs is inlined.
_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")

#: The page's HTML, CSS and script, shipped in the package (setup.cfg's package_data).
_ASSETS = Path(__file__).resolve().parent.parent / "static" / "explorer"


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


def display_kinds(g: nx.MultiDiGraph) -> dict[str, str]:
    """Each node's kind as the page draws, places and filters it: a key of :data:`KIND_STYLE`,
    ``leader`` for a city leader, ``unit`` for a kind the page does not know."""
    leaders = set(city_leaders(g))
    return {n: "leader" if n in leaders else (d.get("kind") if d.get("kind") in KIND_STYLE else "unit")
            for n, d in g.nodes(data=True)}


_TARGETS = """SELECT ?t ?text ?kind WHERE {
  ?t a rk:Task ; rk:target ?x . ?x rk:text ?text ; rk:targetKind ?kind } ORDER BY ?t ?x"""
_MENTIONS = """SELECT ?t ?name ?class WHERE {
  ?t a rk:Task ; rk:mentions ?x . ?x a ?class ; rdfs:label ?name } ORDER BY ?t ?name"""


def add_task_texts(g: nx.MultiDiGraph, store, dataset=None) -> nx.MultiDiGraph:
    """Give each task node its full text (``text``; labels are cut at 24 characters), the targets
    read from it (``targets``: the words, the kind) and the projects and towns it names
    (``mentions``: the name, 项目 or 镇街), from the store (``dataset``: only those graphs)."""
    from kg.graph.namespaces import RK
    from kg.sparql.query import run

    for t, text in run(store, "SELECT ?t ?text WHERE { ?t a rk:Task ; rk:text ?text }", dataset=dataset).rows:
        if str(t) in g:
            g.nodes[str(t)]["text"] = str(text)
    for t, text, kind in run(store, _TARGETS, dataset=dataset).rows:
        if str(t) in g:
            g.nodes[str(t)].setdefault("targets", []).append((str(text), str(kind)))
    for t, name, cls in run(store, _MENTIONS, dataset=dataset).rows:
        if str(t) in g and cls in (RK.Project, RK.Town):
            mentions = g.nodes[str(t)].setdefault("mentions", [])
            if (str(name), cls == RK.Project) not in mentions:
                mentions.append((str(name), cls == RK.Project))
    return g


_HISTORY = """SELECT ?task ?asOf ?statusText ?percent ?progress ?problems WHERE {
  ?r a rk:ProgressReport ; rk:asOf ?asOf ; rk:entry ?e . ?e rk:progressOf ?task .
  OPTIONAL { ?e rk:statusText ?statusText } OPTIONAL { ?e rk:percent ?percent }
  OPTIONAL { ?e rk:progressText ?progress } OPTIONAL { ?e rk:problems ?problems }
} ORDER BY ?task ?asOf"""
_LATEST = "SELECT (MAX(?d) AS ?latest) WHERE { ?r a rk:ProgressReport ; rk:asOf ?d }"


def add_task_progress(g: nx.MultiDiGraph, store, as_of: str | None = None, dataset=None) -> str | None:
    """Give each task node its status at ``as_of`` (``status``; by default the date of the latest
    progress report) and its entries over the periods (``history``: date, status as written,
    percent, progress, problems); the date used, or None where the store (``dataset``: those
    graphs) holds no progress."""
    from kg.analysis.progress import task_progress
    from kg.sparql.query import run

    if as_of is None:
        [(latest,)] = run(store, _LATEST, dataset=dataset).rows
        if latest is None:
            return None
        as_of = str(latest)
    for t in task_progress(store, as_of, dataset=dataset):
        if t.iri in g:
            g.nodes[t.iri]["status"] = t.status
    for task, date, word, percent, progress, problems in run(store, _HISTORY, dataset=dataset).rows:
        if str(task) in g and str(date) <= as_of:
            g.nodes[str(task)].setdefault("history", []).append(
                (str(date), *(None if v is None else str(v) for v in (word, percent, progress, problems))))
    g.graph["as_of"] = as_of
    return as_of


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


def aggregate(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Sections, units, unit groups and city leaders as nodes, tasks as counts.

    Edges: section → unit ``lead``/``support`` and section → city leader ``supervisor``,
    each with ``weight`` = the number of the section's tasks (its own, not its
    sub-sections') with that link; the ``part_of`` and ``member`` edges stay. Nodes get
    ``tasks``, the number of tasks behind them.
    """
    parent = section_parent(g)
    kinds = display_kinds(g)
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
# What the page says about each node


class _Facts:
    """What a page needs from the whole graph, computed once for all the pages of a run."""

    def __init__(self, g: nx.MultiDiGraph):
        self.g = g
        self.kinds = display_kinds(g)
        self.parent = section_parent(g)
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
            status = self.g.nodes[n].get("status")
            if status:
                out["facts"].append([f"进度（截至{self.g.graph.get('as_of', '')}）", STATUS_ZH[status]])
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
            if self.g.nodes[n].get("history"):
                out["lists"].append(["进展历史", [
                    [f"{date} {word or '（未填状态）'}" + (f" {percent}%" if percent else ""), -1,
                     "；".join(x for x in (progress, f"存在问题：{problems}" if problems else None) if x)]
                    for date, word, percent, progress, problems in self.g.nodes[n]["history"]]])
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
def _asset(name: str) -> str:
    """One of the page's files in ``kg/static/explorer/`` (``page.html``, ``explorer.css``, ``explorer.js``,
    ``list.html``), read once per run."""
    try:
        return (_ASSETS / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise ExplorerError(f"{_ASSETS / name}: the explorer's {name} cannot be read ({exc.strerror}): "
                            "reinstall respkg") from None


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
    kinds = display_kinds(view)
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
    pos = layout(view, display_kinds(view), {k: s[3] for k, s in KIND_STYLE.items()}, sizes, labels, focus=focus)

    big = view.number_of_nodes() > 1500 or view.number_of_edges() > 5000
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    net.options = _options(big)
    for n in order:
        x, y = pos[n]
        node = {"id": idx[n], "label": labels[n], "group": kinds[n], "x": x, "y": y, "size": sizes[n],
                "title": facts.tip(n) if n in facts.g else labels[n]}
        if kinds[n] == "section" and facts.parent.get(n) is None:
            node["font"] = {"size": 32}
        status = view.nodes[n].get("status") if kinds[n] == "task" else None
        if status:
            colour = STATUS_COLOURS[status]
            node["color"] = {"background": colour, "border": _darker(colour),
                             "highlight": {"background": colour, "border": "#000000"}}
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

    statuses = []
    for status in STATUS_ORDER:
        start = [idx[n] for n in order if kinds[n] == "task" and view.nodes[n].get("status") == status]
        if start:
            statuses.append([status, STATUS_ZH[status], STATUS_COLOURS[status], len(start), start])
    rels_present = Counter(e["rel"] for e in edges)
    kinds_present = Counter(kinds[n] for n in order)
    return {
        "nodes": nodes, "edges": edges, "options": json.loads(options),
        "info": [facts.info(n, idx) if n in facts.g else {"sub": "", "facts": [], "lists": []} for n in order],
        "kinds": [[k, s[0], s[1], s[2], kinds_present[k]] for k, s in KIND_STYLE.items() if kinds_present[k]],
        "rels": [[r, *REL_STYLE.get(r, (r, "#999999", 1.0, None, 0.5)), rels_present[r]]  # a newer relation: grey
                 for r in [*REL_STYLE, *sorted(set(rels_present) - set(REL_STYLE))] if rels_present[r]],
        "sections": sections, "leaders": leader_opts,
        "statuses": statuses, "asOf": facts.g.graph.get("as_of") if statuses else None,
        "focus": idx.get(focus, -1), "note": note, "big": big, "links": [list(x) for x in links],
        "aggregated": aggregated,
        "count": {"nodes": len(nodes), "edges": len(edges)},
    }


def _page(title: str, data: dict) -> str:
    return _fill(_asset("page.html"), TITLE=html.escape(title), VIS_CSS=_vis_asset("vis-network.css"),
                 STYLE=_fill(_asset("explorer.css"), FONT=_FONT), DATA=_script_json(data), APP=_asset("explorer.js"),
                 VIS_JS=_vis_asset("vis-network.min.js"))


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


def _folder(folder: str | Path) -> Path:
    """The folder of a set of pages, made if need be; an ExplorerError if it cannot be."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExplorerError(f"{folder}: not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExplorerError(f"{folder}: cannot create the folder ({exc.strerror})") from None
    return folder


def write_per_leader(folder: str | Path, g: nx.MultiDiGraph, title: str = "respkg 责任网络", *,
                     max_nodes: int = MAX_NODES) -> list[Written]:
    """One page per city leader (their tasks, those tasks' units and heads) and an ``index.html``
    listing the leaders with their load figures; returns the pages, the index last."""
    folder = _folder(folder)
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


def write_per_plan(folder: str | Path, store, title: str = "respkg 责任网络", *, max_nodes: int = MAX_NODES,
                   as_of: str | None = None) -> list[Written]:
    """One page per plan of the store and an ``index.html`` of the governments and their plans
    with each plan's load figures; returns the pages, the index last.

    Each page is drawn from its plan's own graph and those of the progress reports on it
    (:func:`kg.analysis.plans.plan_dataset`), through the graph's own index: a page costs
    the same in a store of one plan or of a thousand, and opens as fast.
    """
    from kg.analysis.network import typed_graph
    from kg.analysis.plans import plan_dataset, plans_with_issuers, progress_graphs

    folder = _folder(folder)
    plans = plans_with_issuers(store)
    if not plans:
        raise ExplorerError("the store holds no plan: build one first (kg build)")
    reports = progress_graphs(store)
    taken: set[str] = set()
    rows, written = [], []
    for iri, name, doc_number, government in plans:
        scope = plan_dataset(iri, reports)
        g = add_task_texts(typed_graph(store, plan=iri), store, scope)
        dated = add_task_progress(g, store, as_of, scope)
        view, _, note = _view(g, None, 1, max_nodes)
        facts = _Facts(g)
        data = _page_data(view, facts, note=note, links=[("← 全部计划", "index.html")])
        text = _page(f"{name} · {title}", data)
        path = folder / _file_name(iri.rsplit("/", 1)[-1], taken)
        write_atomic(path, text)
        written.append(Written(path, data["count"]["nodes"], data["count"]["edges"], data["aggregated"],
                               len(text.encode("utf-8"))))
        leaders = [r["leader_loads"] for r in facts.rows.values() if "leader_loads" in r]  # counted once, for the page
        rows.append({"government": government or "", "plan": name, "doc_number": doc_number or "",
                     "tasks": sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "task"),
                     "lead_units": len({o for _, o, d in g.edges(data=True) if d["rel"] == "lead"}),
                     "leaders": len(leaders), "gini": inequality(leaders, "tasks")["gini"],
                     "as_of": dated or "", "file": path.name})
    text = _plans_index_html(title, rows)
    write_atomic(folder / "index.html", text)
    written.append(Written(folder / "index.html", len(rows), 0, False, len(text.encode("utf-8"))))
    return written


_PLAN_COLUMNS = (("government", "政府"), ("plan", "计划"), ("doc_number", "文号"), ("tasks", "任务"),
                 ("lead_units", "牵头单位"), ("leaders", "分管市领导"), ("gini", "分管任务基尼系数"),
                 ("as_of", "进展截至"))


def _plans_index_html(title: str, rows: list[dict]) -> str:
    head, body = _list_table(_PLAN_COLUMNS, rows, "plan", lambda r: r["file"], {"gini": ".3f"})
    governments = len({r["government"] for r in rows})
    return _fill(_asset("list.html"), TITLE=html.escape(title), HEADING="计划", TABLE="plans", HEAD=head, BODY=body,
                 SUMMARY=html.escape(f"{governments} 个政府的 {len(rows)} 项计划，合计 {sum(r['tasks'] for r in rows):,} 项任务。"),
                 NOTE="每项计划一页：该计划的任务、责任单位、责任领导和分管市领导，只读该计划自己的图（及其进展报告）。"
                      "基尼系数：各分管市领导分管任务数的不均衡程度（0 为均等）。点击计划名称打开。")


def _list_table(columns, rows: list[dict], link: str, href, formats: dict[str, str]) -> tuple[str, str]:
    """The head and body rows of an index table (``columns``: key, Chinese heading): the
    ``link`` column links to ``href(row)``, numbers are right-aligned, ``formats`` gives some
    columns' number format; every text escaped."""
    e = html.escape
    head = "".join(f"<th>{e(zh)}</th>" for _, zh in columns)
    body = []
    for r in rows:
        cells = []
        for key, _ in columns:
            v = r[key]
            if key == link:
                cells.append(f'<td><a href="{e(href(r))}">{e(str(v))}</a></td>')
            elif key in formats:
                cells.append(f'<td class="n">{format(v, formats[key])}</td>')
            else:
                cells.append(f'<td class="n">{e(str(v))}</td>' if isinstance(v, (int, float)) else f"<td>{e(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return head, "\n".join(body)


_INDEX_COLUMNS = (("rank", "排名"), ("name", "分管市领导"), ("tasks", "分管任务"), ("shared", "与他人共管"),
                  ("shared_share", "共管占比"), ("fractional", "折算任务"), ("units", "涉及单位"),
                  ("sections", "涉及章节"), ("share", "任务份额"))


def _index_html(title: str, rows: list[dict], files: dict[str, str]) -> str:
    head, body = _list_table(_INDEX_COLUMNS, rows, "name", lambda r: files[r["iri"]],
                             {"shared_share": ".1%", "share": ".1%"})
    total = sum(r["tasks"] for r in rows)
    return _fill(_asset("list.html"), TITLE=html.escape(title), HEADING="分管市领导", TABLE="leaders", HEAD=head,
                 BODY=body, NOTE="折算任务：每项任务按分管市领导人数平均分摊（Σ 1/k）。点击姓名打开该领导的责任网络页面。",
                 SUMMARY=html.escape(f"{len(rows)} 位分管市领导，合计分管 {total} 项任务（共管的任务计入每位领导）。"))
