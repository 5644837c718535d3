"""The progress report: counts per city leader, unit or unit head, one person's or unit's page, the chart.

Works on :class:`kg.analysis.progress.TaskProgress` and ``ProgressCount`` objects (any object with
their fields will do); returns plain rows and text, the CLI only chooses the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg import names
from kg.output import write_atomic_with
from kg.views import tables
from kg.views.report import ReportError, _cjk_font

__all__ = ["COLUMNS", "STATUS_ZH", "STATUS_COLOURS", "SHOWN", "BY_ZH", "progress_rows", "progress_json", "render_progress", "ProgressPage",
           "progress_page", "chart"]

COLUMNS = ("name", "tasks", "done", "on_track", "behind", "overdue", "not_reported")
#: The words a bulletin uses for each derived status, in the order of precedence.
STATUS_ZH = {"done": "已完成", "overdue": "逾期未完成", "behind": "进度滞后", "on_track": "序时推进",
             "not_reported": "未报送进展"}
BY_ZH = {"supervisor": "分管市领导", "unit": "牵头单位", "head": "责任领导"}
_ORDER = ("done", "overdue", "behind", "on_track", "not_reported")
#: The statuses in the order a bulletin or a legend lists them (precedence decides a task's status, not this).
SHOWN = ("done", "on_track", "behind", "overdue", "not_reported")
#: Each status's colour, in the charts and the explorer.
STATUS_COLOURS = {"done": "#2e7d32", "on_track": "#7cb342", "behind": "#f9a825", "overdue": "#c62828",
            "not_reported": "#9e9e9e"}


def progress_rows(counts) -> list[list]:
    """One row of COLUMNS per count, in the order given (progress_by sorts by what needs attention)."""
    return [[getattr(c, col) for col in COLUMNS] for c in counts]


def progress_json(counts, as_of: str, by: str) -> dict:
    """The JSON form: the as-of date, the grouping and the rows as objects."""
    return {"as_of": as_of, "by": by, "rows": [dict(zip(COLUMNS, row)) for row in progress_rows(counts)]}


def render_progress(counts, fmt: str, as_of: str, by: str, defaulted: bool = False, width: int = 120) -> str:
    """The table in one of table|markdown|csv|json; the heading says the as-of date and whether it is today's."""
    if fmt == "json":
        import json

        return json.dumps(progress_json(counts, as_of, by), ensure_ascii=False, indent=2) + "\n"
    when = f"as of {as_of}" + (" (today; --as-of sets another date)" if defaulted else "")
    title = f"进度报告 progress by {BY_ZH[by]} {by}, {when}"
    text = tables.render(COLUMNS, progress_rows(counts), fmt, title=title, width=width)
    if fmt == "markdown":
        return f"### {title}\n\n" + text
    return text


@dataclass
class ProgressPage:
    """One person's or unit's tasks grouped by status (the precedence order), each with its latest progress."""

    title: str
    groups: list[tuple[str, list[tuple]]] = field(default_factory=list)  # (status, [(no, task, role, due, progress, problems)])

    COLUMNS = ("no", "task", "role", "due", "progress", "problems")


def _resolve(name: str, known: set[str], noun: str) -> None:
    """Nothing if ``name`` is known, else an error suggesting close names (as kg report load does)."""
    if name in known:
        return
    close = names.close_names(name, known)
    hint = f"; did you mean {'、'.join(close)}?" if close else ""
    raise ReportError(f"no {noun} named {name!r} in the plan's tasks{hint}")


def _role(t, name: str, kind: str) -> str | None:
    """How ``name`` takes part in task ``t``: 分管市领导, 责任领导, 牵头 or 配合; None if not at all."""
    if kind == "person":
        return "分管市领导" if name in t.supervisors else "责任领导" if name in t.heads else None
    return "牵头" if name in t.leads else "配合" if name in t.supports else None


def progress_page(tasks, name: str, kind: str) -> ProgressPage:
    """The page of a person (``kind="person"``: a city leader or unit head) or a unit (``kind="unit"``)."""
    known = ({p for t in tasks for p in (*t.supervisors, *t.heads)} if kind == "person"
             else {u for t in tasks for u in (*t.leads, *t.supports)})
    _resolve(name, known, kind)
    page = ProgressPage(title=name)
    for status in _ORDER:
        rows = []
        for t in sorted(tasks, key=lambda t: t.no):
            role = _role(t, name, kind)
            if role and t.status == status:
                latest = t.latest
                rows.append((t.no, t.text, role, t.due + ("" if t.due_stated else "（年底）"),
                             latest.progress if latest else None, latest.problems if latest else None))
        if rows:
            page.groups.append((status, rows))
    return page


def chart(counts, path: str, title: str) -> None:
    """Stacked bars of each row's tasks by status (Chinese labels), as .svg or .png, written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not path.lower().endswith((".svg", ".png")):
        raise ReportError(f"{path}: a chart is written as .svg or .png")
    plt.rcParams["font.sans-serif"] = [_cjk_font()]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    shown = list(reversed(counts))
    fig, ax = plt.subplots(figsize=(10, max(3.0, 0.45 * len(shown) + 1.5)))
    left = [0] * len(shown)
    names = [c.name for c in shown]
    for status in ("overdue", "behind", "not_reported", "on_track", "done"):
        values = [getattr(c, status) for c in shown]
        ax.barh(names, values, left=left, color=STATUS_COLOURS[status], label=STATUS_ZH[status])
        left = [a + b for a, b in zip(left, values)]
    ax.set_xlabel("任务数")
    ax.set_title(title)
    ax.legend(loc="lower right", ncol=5, fontsize=9, bbox_to_anchor=(1.0, 1.04))
    fig.tight_layout()
    try:
        write_atomic_with(path, lambda fh: fig.savefig(fh, format=path.rsplit(".", 1)[1].lower()))
    finally:
        plt.close(fig)
