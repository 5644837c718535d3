"""Progress at a date: each task's status and the counts per city leader, lead unit and unit head.

The status of a task is the named query ``task-status`` (ontology/queries/task-status.rq):
the first that applies of **done > overdue > behind > on_track > not_reported**, judged from
the latest progress entry up to the date, the task's due date (its own deadline, else the end
of its plan's year) and the share of its time gone (docs/progress.md). This module reads those
rows and the people and units of each task, and counts them:

- **supervisor** — each city leader (分管市领导) counts the tasks they supervise;
- **unit** — each unit counts the tasks it leads (牵头: the unit answerable for the progress);
- **head** — each unit head (责任领导) counts the tasks of the units they head.

Rows are sorted by what needs attention: overdue, then behind, then not reported, most first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

__all__ = ["STATUSES", "BY", "Latest", "TaskProgress", "ProgressCount", "task_progress", "progress_by", "plan_name"]

#: The statuses in their order of precedence.
STATUSES = ("done", "overdue", "behind", "on_track", "not_reported")
#: What a count groups by, and the task's field it reads.
BY = {"supervisor": "supervisors", "unit": "leads", "head": "heads"}

_PEOPLE = """SELECT DISTINCT ?task ?rel ?name WHERE {
  VALUES ?rel { rk:lead rk:support rk:supervisor rk:responsible }
  ?task ?rel ?x . ?x rdfs:label ?name .
}"""
_PLAN = """SELECT ?title ?issuer ?label WHERE {
  ?plan rdfs:label ?label .
  OPTIONAL { ?plan dcterms:title ?title }
  OPTIONAL { ?plan dcterms:creator ?org . ?org rdfs:label ?issuer }
} LIMIT 1"""
_FIELDS = {"lead": "leads", "support": "supports", "supervisor": "supervisors", "responsible": "heads"}


@dataclass(frozen=True)
class Latest:
    """A task's latest progress entry up to the date."""

    as_of: str
    reported: str | None  # the status concept's local name (Done, OnTrack …), None where none was mapped
    percent: float | None
    progress: str | None
    problems: str | None


@dataclass
class TaskProgress:
    """One task's status at the date, with who answers for it."""

    plan: str
    no: int
    text: str
    due: str
    due_stated: bool
    status: str
    time_gone: float | None  # per cent of the task's time gone at the date
    latest: Latest | None
    leads: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    supervisors: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    iri: str = ""  # the task's IRI, its node in the networkx view


@dataclass(frozen=True)
class ProgressCount:
    """One person's or unit's tasks by status."""

    name: str
    tasks: int
    done: int
    on_track: int
    behind: int
    overdue: int
    not_reported: int


def _text(term) -> str | None:
    return None if term is None else str(term)


def _number(term) -> float | None:
    return None if term is None else float(term.toPython())


def task_progress(store, as_of: str, plan=None, threshold: int = 10, dataset=None) -> list[TaskProgress]:
    """Every task's status at ``as_of`` (ISO date), of one plan (its IRI) or of all; ``threshold``
    is the points below the share of time gone that count as behind; ``dataset`` reads only
    those graphs (a plan's and its progress reports', :func:`kg.analysis.plans.plan_dataset`)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg.sparql.query import find_named, run

    rows = run(store, find_named("task-status").text,
               {"asOf": Literal(as_of, datatype=XSD.date), "threshold": Literal(threshold, datatype=XSD.integer)},
               dataset=dataset).rows
    people: dict = defaultdict(lambda: defaultdict(set))
    for task, rel, name in run(store, _PEOPLE, dataset=dataset).rows:
        people[task][_FIELDS[str(rel).rsplit("#", 1)[-1]]].add(str(name))
    out: list[TaskProgress] = []
    seen = set()
    for (p, no, text, due, stated, status, reported, percent, gone, report_date, progress, problems, task) in rows:
        if plan is not None and p != plan or task in seen:
            continue
        seen.add(task)
        latest = None if report_date is None else Latest(
            str(report_date), str(reported).rsplit("#", 1)[-1] if reported is not None else None, _number(percent),
            _text(progress), _text(problems))
        who = people.get(task, {})
        out.append(TaskProgress(str(p), int(no), str(text), str(due), str(stated) == "deadline", str(status),
                                _number(gone), latest, *(sorted(who.get(f, ())) for f in
                                                          ("leads", "supports", "supervisors", "heads")), iri=str(task)))
    return out


def progress_by(tasks: list[TaskProgress], by: str) -> list[ProgressCount]:
    """The tasks counted by status per city leader (``supervisor``), lead unit (``unit``) or unit
    head (``head``), those needing attention first."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for t in tasks:
        for name in getattr(t, BY[by]):
            counts[name][t.status] += 1
    rows = [ProgressCount(name, sum(c.values()), c["done"], c["on_track"], c["behind"], c["overdue"],
                          c["not_reported"]) for name, c in counts.items()]
    return sorted(rows, key=lambda r: (-r.overdue, -r.behind, -r.not_reported, r.name))


def plan_name(store, plan) -> str:
    """What a bulletin calls a plan: its issuer (without 人民政府) and its title without 责任分解表
    (`晋江市2021年《政府工作报告》目标任务`), else its label."""
    import re

    from kg.sparql.query import run

    rows = run(store, _PLAN, {"plan": plan}).rows
    if not rows:
        return str(plan)
    title, issuer, label = rows[0]
    if title is None:
        return str(label)
    name = re.sub(r"(责任)?(分解表|分解方案|分解)$", "", str(title))
    gov = re.sub(r"(人民政府|政府)(办公室|办公厅)?$", "", str(issuer)) if issuer is not None else ""
    return name if name.startswith(gov) else gov + name
