"""Reports for officials and planners: load tables, one person's or unit's page, the network report, charts.

Every function takes the networkx view (:func:`kg.analysis.network.typed_graph`) and returns plain
rows or text; the CLI only formats them.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from kg.analysis.metrics import Analysis, analyse, portfolios
from kg.errors import RespkgError
from kg.analysis.load import LOAD_TABLES, LoadParams, inequality
from kg import names
from kg.output import write_atomic_with
from kg.analysis.network import label, leader_projection, person_projection, tasks_of, unit_projection
from kg.analysis.peers import PeerTarget, spreads

__all__ = ["ReportError", "load_table", "ranked_table", "graph_groups", "Page", "person_page", "unit_page", "network_report", "group_note",
           "find_node", "chart", "peer_chart", "PROJECTIONS"]


class ReportError(RespkgError):
    """A report that cannot be made: an unknown name, no CJK font for a chart."""


def graph_groups(g: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """(name, number of members) of each unit group of the typed graph."""
    return [(label(g, n), sum(1 for *_, d in g.out_edges(n, data=True) if d["rel"] == "member"))
            for n, d in g.nodes(data=True) if d.get("kind") == "group"]


#: how many unit groups the note names before it only counts them
NAMED_GROUPS = 8


def group_note(groups: list[tuple[str, int]], params: LoadParams) -> str:
    """What the report did with unit groups ((name, members) pairs), in one line: each group
    named, or past :data:`NAMED_GROUPS` (a store of many plans) counted."""
    if not groups:
        return ""
    if not params.expand_groups:
        return "Unit groups are counted as units of their own (--no-expand-groups)."
    lead = "A task assigned to a unit group loads each of its members: "
    if len(groups) > NAMED_GROUPS:
        known = [k for _, k in groups if k]
        parts = [f"{len(known)} load their members ({sum(known)} units in all)"] if known else []
        if len(known) < len(groups):
            parts.append(f"{len(groups) - len(known)} have members unknown and count as themselves")
        return lead + f"{len(groups)} groups: " + "; ".join(parts) + "."
    parts = [f"{name} → {k} units" if k else f"{name} (members unknown: counted as itself)"
             for name, k in sorted(groups)]
    return lead + "; ".join(parts) + "."


def load_table(g: nx.MultiDiGraph, by: str, params: LoadParams = LoadParams(),
               sort: str | None = None) -> tuple[list[str], list[dict], dict]:
    """(columns, rows, inequality) of one load table; ``sort`` re-ranks by another column."""
    return ranked_table(LOAD_TABLES[by][0](g, params), by, sort)


def ranked_table(rows: list[dict], by: str, sort: str | None = None) -> tuple[list[str], list[dict], dict]:
    """:func:`load_table` of rows already counted (as from the summary graph)."""
    _, measure, columns = LOAD_TABLES[by]
    if sort:
        allowed = [c for c in columns if c not in ("rank", "kind", "units")]
        if sort not in allowed:
            raise ReportError(f"--sort {sort}: sort the {by} table by one of {', '.join(allowed)}")
        rows.sort(key=(lambda r: r["name"]) if sort == "name" else (lambda r: (-r[sort], r["name"])))
        for i, r in enumerate(rows, 1):
            r["rank"] = i
    return list(columns), rows, inequality(rows, measure)


def find_node(g: nx.MultiDiGraph, name: str, kinds: tuple[str, ...]) -> str:
    """The node with this Chinese label and kind, or an error suggesting close labels."""
    matches = [n for n, d in g.nodes(data=True) if d.get("kind") in kinds and d.get("label") == name]
    if matches:
        return matches[0]
    close = names.close_names(name, {d["label"] for _, d in g.nodes(data=True) if d.get("kind") in kinds})
    noun = "person" if kinds[0] == "person" else "unit"
    hint = f"; did you mean {'、'.join(close)}?" if close else ""
    raise ReportError(f"no {noun} named {name!r} in the graph{hint}")


@dataclass
class Page:
    """One person's or unit's page."""

    title: str
    figures: list[tuple[str, object]] = field(default_factory=list)
    tasks: list[tuple] = field(default_factory=list)  # (role, section, number, short text)
    partners: list[tuple[str, int]] = field(default_factory=list)
    comparison: list[tuple[str, object, object]] = field(default_factory=list)  # (figure, value, median)


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _task_line(g, t: str, role: str, rec: dict) -> tuple:
    d = g.nodes[t]
    section = label(g, rec["section"]) if rec["section"] else ""
    return role, section, d.get("number"), _short(_task_text(g, t))


def _task_text(g: nx.MultiDiGraph, t: str) -> str:
    lab = label(g, t)
    return lab.split(". ", 1)[1] if ". " in lab else lab


def person_page(g: nx.MultiDiGraph, name: str, params: LoadParams = LoadParams()) -> Page:
    """Counts, tasks by role and section, closest colleagues and the comparison with the median."""
    node = find_node(g, name, ("person", "role"))
    tasks = tasks_of(g, expand=False)
    page = Page(title=name)
    partners: Counter = Counter()
    for t, rec in sorted(tasks.items(), key=lambda kv: g.nodes[kv[0]].get("number", 0)):
        if node in rec["supervisor"]:
            page.tasks.append(_task_line(g, t, "分管市领导", rec))
            others = rec["supervisor"] + [h for hs in rec["heads"].values() for h in hs]
        else:
            units = [u for u, hs in rec["heads"].items() if node in hs]
            if units:
                role = "牵头" if any(u in rec["lead"] for u in units) else "配合"
                page.tasks.append(_task_line(g, t, f"{role}（{'、'.join(label(g, u) for u in units)}）", rec))
            elif node in rec["unassigned"]:
                page.tasks.append(_task_line(g, t, "责任领导（未对应单位）", rec))
            else:
                continue
            others = [h for hs in rec["heads"].values() for h in hs] + rec["supervisor"]
        partners.update(o for o in others if o != node and g.nodes[o].get("kind") == "person")
    if not page.tasks:
        raise ReportError(f"{name} is named in no task")
    is_leader = any(node in rec["supervisor"] for rec in tasks.values())
    by = "supervisor" if is_leader else "head"
    _, measure, columns = LOAD_TABLES[by]
    rows = LOAD_TABLES[by][0](g, params)
    mine = next(r for r in rows if r["iri"] == node)
    page.figures = [(c, mine[c]) for c in columns if c not in ("name", "kind")]
    for c in columns:
        if c in ("rank", "name", "kind", "units", "share"):
            continue
        page.comparison.append((c, mine[c], statistics.median(r[c] for r in rows)))
    page.partners = [(label(g, p), n) for p, n in sorted(partners.items(), key=lambda kv: (-kv[1], label(g, kv[0])))[:10]]
    page.title = f"{name}（{'分管市领导' if is_leader else '责任领导'}）"
    return page


def unit_page(g: nx.MultiDiGraph, name: str, params: LoadParams = LoadParams()) -> Page:
    """A unit's counts, tasks by role and section, most frequent partner units, comparison with the median."""
    node = find_node(g, name, ("unit", "group"))
    tasks = tasks_of(g, expand=params.expand_groups)
    page = Page(title=name)
    partners: Counter = Counter()
    for t, rec in sorted(tasks.items(), key=lambda kv: g.nodes[kv[0]].get("number", 0)):
        units = rec["lead"] + rec["support"]
        if node not in units:
            continue
        page.tasks.append(_task_line(g, t, "牵头" if node in rec["lead"] else "配合", rec))
        partners.update(u for u in units if u != node)
    if not page.tasks:
        raise ReportError(f"{name} is assigned no task")
    rows = LOAD_TABLES["unit"][0](g, params)
    mine = next(r for r in rows if r["iri"] == node)
    page.figures = [(c, mine[c]) for c in LOAD_TABLES["unit"][2] if c not in ("name", "kind")]
    page.comparison = [(c, mine[c], statistics.median(r[c] for r in rows)) for c in ("tasks", "led", "supported",
                                                                                        "weighted", "partners")]
    heads = Counter(h for _, hs in _heads_of(g, node) for h in hs)
    if heads:
        page.figures.append(("heads", "、".join(f"{label(g, h)}×{n}" for h, n in heads.most_common())))
    page.partners = [(label(g, p), n) for p, n in sorted(partners.items(), key=lambda kv: (-kv[1], label(g, kv[0])))[:10]]
    return page


def _heads_of(g: nx.MultiDiGraph, unit: str):
    by_task = defaultdict(list)
    for s, o, d in g.in_edges(unit, data=True):
        if d["rel"] == "head":
            by_task[d.get("task")].append(s)
    return by_task.items()


PROJECTIONS = {
    "units": ("unit co-responsibility: units linked by shared tasks (lead–support links weighted 2)",
              lambda g: unit_projection(g, lead_weight=2.0)),
    "supervisors": ("city-leader co-supervision: leaders linked by tasks they supervise together", leader_projection),
    "people": ("people linked by shared tasks (unit heads and city leaders)", person_projection),
}


def network_report(g: nx.MultiDiGraph, projection: str, exact_limit: int = 3000) -> tuple[str, nx.Graph, Analysis]:
    """(description, projected graph, analysis) for one projection."""
    description, project = PROJECTIONS[projection]
    p = project(g)
    # Leaders are each their own portfolio: comparing their communities with portfolios says nothing.
    portfolio = portfolios(g, p.nodes) if projection != "supervisors" else None
    return description, p, analyse(p, portfolio, exact_limit=exact_limit)


def _cjk_font():
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(k in f.name for k in ("Noto Sans CJK", "Noto Serif CJK", "WenQuanYi", "Source Han Sans", "SimHei",
                                     "Droid Sans Fallback", "AR PL")):
            return f.name
    raise ReportError("no font with Chinese characters found for the chart; install one "
                      "(Debian: apt-get install fonts-noto-cjk) and run again")


def _pyplot(path: str):
    """matplotlib's pyplot, drawing off screen with a CJK font, once ``path`` is known to be .svg or .png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not path.lower().endswith((".svg", ".png")):
        raise ReportError(f"{path}: a chart is written as .svg or .png")
    font = _cjk_font()
    plt.rcParams["font.sans-serif"] = [font]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _save(plt, fig, path: str) -> None:
    try:
        write_atomic_with(path, lambda fh: fig.savefig(fh, format=path.rsplit(".", 1)[1].lower()))
    finally:
        plt.close(fig)


def chart(rows: list[dict], measure: str, title: str, path: str, top: int = 20) -> None:
    """Bar chart of the top loads and the Lorenz curve of all of them, as SVG or PNG (atomically)."""
    plt = _pyplot(path)
    shown = rows[:top]
    fig, (bars, lorenz) = plt.subplots(1, 2, figsize=(13, 5.5), gridspec_kw={"width_ratios": [3, 2]})
    bars.barh([r["name"] for r in reversed(shown)], [r[measure] for r in reversed(shown)], color="#3b6ea5")
    bars.set_xlabel(measure)
    bars.set_title(f"{title}：前{len(shown)}名")
    values = sorted(r[measure] for r in rows)
    total = sum(values) or 1
    xs = [i / len(values) for i in range(len(values) + 1)]
    ys = [0.0]
    for v in values:
        ys.append(ys[-1] + v / total)
    ineq = inequality(rows, measure)
    lorenz.plot(xs, ys, color="#c0392b", label=f"洛伦兹曲线（基尼系数 {ineq['gini']:.2f}）")
    lorenz.plot([0, 1], [0, 1], color="#888", linestyle="--", label="完全均等")
    lorenz.set_xlabel("承担者累计比例")
    lorenz.set_ylabel("负荷累计比例")
    lorenz.set_title("负荷分布")
    lorenz.legend(loc="upper left")
    fig.tight_layout()
    _save(plt, fig, path)


def peer_chart(rows: list[PeerTarget], measure: str, year: int, path: str) -> None:
    """Histogram of the peers' targets, one panel per kind and unit (:func:`kg.analysis.peers.spreads`):
    a bar per value with its number of governments, the median marked, the ends named; SVG or PNG
    (atomically)."""
    plt = _pyplot(path)
    groups = spreads(rows)
    if not groups:
        raise ReportError(f"no {year} target of {measure} to chart")
    fig, axes = plt.subplots(len(groups), 1, figsize=(10, 3.6 * len(groups)), squeeze=False)
    kinds = {"growth": "增速", "level": "总量", "count": "数量"}
    for ax, s in zip(axes[:, 0], groups):
        counts = Counter(r.value for r in rows if (r.kind, r.unit) == (s.kind, s.unit))
        values = sorted(counts)
        gaps = [b - a for a, b in zip(values, values[1:])]
        width = min(0.8 * min(gaps), (values[-1] - values[0]) / 30) if gaps else 1.0
        bars = ax.bar(values, [counts[v] for v in values], width=width, color="#3b6ea5")
        ax.bar_label(bars, fontsize=8)
        ax.axvline(s.median, color="#c0392b", linestyle="--", label=f"中位数 {s.median:g}")
        top = max(counts.values())
        for value, names, align in ((s.minimum, s.at_minimum, "left"), (s.maximum, s.at_maximum, "right")):
            shown = "、".join(_short(n, 10) for n in names[:3]) + ("等" if len(names) > 3 else "")
            ax.annotate(f"{value:g}：{shown}", (value, top * 1.15), ha=align, fontsize=9)
        ax.set_ylim(0, top * 1.3)
        what = kinds.get(s.kind, s.kind)
        ax.set_xlabel(f"{what}目标值（{s.unit or '无单位'}）")
        ax.set_ylabel("目标个数")
        ax.set_title(f"{year}年各地政府工作报告：{measure}{what}目标（{s.count}个）")
        ax.legend(loc="upper center")
    fig.tight_layout()
    _save(plt, fig, path)
