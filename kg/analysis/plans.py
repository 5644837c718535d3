"""Several plans in one graph: reconciling their units and people, and comparing two plans.

Units and people are entities of one government (:func:`kg.graph.plan.government_key`): the
same name in two plans of one government is one entity, the same name in two
governments two. :func:`reconciliation` lists both as data-quality findings.
:func:`diff_plans` compares two plans of one government from the graph: the load each
unit and city leader gained or lost, units new or gone, and tasks carried over, matched
by the similarity of their texts (with the score). :func:`plan_scope` gives the dataset of
some plans — theirs and their progress reports' graphs — for a query about those plans alone.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg.errors import RespkgError
from kg.graph.plan import government_key, plan_key
from kg.parse.result import ParseResult
from kg.quality import Finding
from kg.store.results import QueryDataset

__all__ = ["reconciliation", "diff_plans", "PlanDiff", "PlanError", "find_plan", "find_government", "plan_scope",
           "plans_with_issuers", "plan_dataset", "progress_graphs", "MATCH_THRESHOLD"]

#: The least text similarity (difflib ratio) at which a task counts as carried over.
MATCH_THRESHOLD = 0.6


class PlanError(RespkgError):
    """A plan that is not in the graph, or two plans that cannot be compared."""


def _names(result: ParseResult) -> dict[str, set[str]]:
    units = {u.name for t in result.tasks for u in t.units}
    people = {h for t in result.tasks for u in t.units for h in u.heads} | {s for t in result.tasks for s in t.supervisors}
    people |= {h for t in result.tasks for h in t.unassigned_heads}
    return {"unit": units, "person": people}


def reconciliation(results: list[ParseResult]) -> list[Finding]:
    """One finding per government whose plans share names (one entity each), and one per pair
    of governments sharing names (kept apart)."""
    by_gov: dict[str, list[ParseResult]] = defaultdict(list)
    for r in results:
        by_gov[government_key(r)].append(r)
    out = []
    for gov, plans in sorted(by_gov.items()):
        if len(plans) < 2:
            continue
        for kind in ("unit", "person"):
            seen = Counter(n for r in plans for n in _names(r)[kind])
            shared = sorted(n for n, c in seen.items() if c > 1)
            if shared:
                out.append(Finding("reconciled", "info",
                                   f"{len(shared)} {kind} names of {gov} appear in several of its plans "
                                   f"({', '.join(plan_key(r) for r in plans)}): one entity each",
                                   evidence=("、".join(shared),)))
    govs = sorted(by_gov)
    for i, a in enumerate(govs):
        for b in govs[i + 1:]:
            for kind in ("unit", "person"):
                na = set().union(*(_names(r)[kind] for r in by_gov[a]))
                nb = set().union(*(_names(r)[kind] for r in by_gov[b]))
                shared = sorted(na & nb)
                if shared:
                    out.append(Finding("kept-apart", "info",
                                       f"{len(shared)} {kind} names appear in both {a} and {b}: kept as separate "
                                       "entities of each government", evidence=("、".join(shared),)))
    return out


_PLANS = """
SELECT ?plan ?label ?id ?gov WHERE {
  ?plan a rk:Plan ; rdfs:label ?label .
  OPTIONAL { ?plan dcterms:identifier ?id }
  OPTIONAL { ?plan dcterms:creator ?gov }
}"""

_TASKS = """
SELECT ?task ?no ?text ?rel ?who WHERE {
  ?plan a rk:Plan ; prov:wasDerivedFrom ?source .
  ?task a rk:Task ; prov:wasDerivedFrom ?source ; rk:number ?no ; rk:text ?text .
  OPTIONAL {
    VALUES (?p ?rel) { (rk:lead "lead") (rk:support "support") (rk:supervisor "supervisor") }
    ?task ?p ?x . ?x rdfs:label ?who
  }
}"""


def find_plan(store, name: str):
    """A plan's IRI by its label, document number or key (`晋政文-2021-16`), with close matches on a miss."""
    from kg.sparql.query import run

    rows = run(store, _PLANS).rows
    for plan, label, ident, _ in rows:
        keys = {str(label), str(ident) if ident else "", str(plan).rsplit("/", 1)[-1]}
        if name in keys:
            return plan
    known = sorted({str(plan).rsplit("/", 1)[-1] for plan, *_ in rows})
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.3)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; the plans are: {', '.join(known) or 'none'}"
    raise PlanError(f"no plan {name!r} in the graph{hint}")


# Each plan with its issuer, read from the plan's own graph (whose IRI is the plan's).
_ISSUERS = """
SELECT ?plan ?gov ?govLabel WHERE {
  GRAPH ?plan { ?plan a rk:Plan ; dcterms:creator ?gov . OPTIONAL { ?gov rdfs:label ?govLabel } }
}"""

# The progress reports on each plan, each in its own graph.
_PROGRESS = """
SELECT DISTINCT ?graph ?plan WHERE { GRAPH ?graph { ?graph a rk:ProgressReport ; rk:reportsOn ?plan } }"""


def _government_name(name: str) -> str:
    """A government's name without 人民政府/政府(办公室/办公厅), as :func:`government_key` keys an issuer."""
    return re.sub(r"(人民政府|政府)(办公室|办公厅)?$", "", name) or name


def find_government(store, name: str) -> list:
    """The plans a government issued (dcterms:creator), the government named by its label
    (晋江市人民政府), by that name without 人民政府 or 办公室 (晋江市, 永春县人民政府 for plans issued
    by 永春县人民政府办公室) or by its key (the last segment of its IRI: ``jinjiang``, ``永春县``),
    with close matches on a miss."""
    from kg.sparql.query import run

    rows = run(store, _ISSUERS).rows
    wanted = {name, _government_name(name)}
    plans = sorted({plan for plan, gov, label in rows
                    if wanted & {str(gov).rsplit("/", 1)[-1], *((str(label), _government_name(str(label))) if label else ())}})
    if plans:
        return plans
    known = sorted({str(label) if label else str(gov).rsplit("/", 1)[-1] for _, gov, label in rows})
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.3)
    contains = [k for k in known if name and (name in k or k in name)][:3]
    hints = list(dict.fromkeys(contains + close))[:3]
    hint = f"; did you mean {'、'.join(hints)}?" if hints else f"; the governments are: {'、'.join(known) or 'none'}"
    raise PlanError(f"no government {name!r} issued a plan in the graph{hint}")


def plans_with_issuers(store) -> list[tuple[str, str, str | None, str | None]]:
    """Every plan of the store as (IRI, label, document number, issuing government's name), by
    government and document number."""
    from kg.sparql.query import run

    issuers = {str(plan): str(label) if label else str(gov).rsplit("/", 1)[-1]
               for plan, gov, label in run(store, _ISSUERS).rows}
    rows = {str(plan): (str(label), str(ident) if ident else None) for plan, label, ident, _ in run(store, _PLANS).rows}
    return sorted(((plan, label, ident, issuers.get(plan)) for plan, (label, ident) in rows.items()),
                  key=lambda r: (r[3] or "", r[2] or "", r[1], r[0]))


def plan_dataset(plan: str, progress: dict[str, list[str]]) -> QueryDataset:
    """One plan's graph with those of the progress reports on it (``progress``: plan → graphs,
    :func:`progress_graphs`), as default and named graphs."""
    graphs = (plan, *sorted(progress.get(plan, ())))
    return QueryDataset(default=graphs, named=graphs)


def progress_graphs(store) -> dict[str, list[str]]:
    """The graphs of the progress reports on each plan (plan IRI → graph IRIs)."""
    from kg.sparql.query import run

    out: dict[str, list[str]] = {}
    for graph, plan in run(store, _PROGRESS).rows:
        out.setdefault(str(plan), []).append(str(graph))
    return out


def plan_scope(store, plans=(), governments=()) -> QueryDataset:
    """The dataset of some plans, for a query about them alone: the plans named (as for
    :func:`find_plan`) and those the governments named issued (as for :func:`find_government`),
    each plan's graph with the graphs of the progress reports on it, as the default graph and
    as the named graphs.

    A plan's graph holds all its facts — its tasks, sections and findings, and the label and type
    of every unit, person and town it names — so a named query answers over the scope as it
    would over a store built from those plans and their progress sources. Left out: the reports,
    the inferred graph (suggestions for the reports' planned tasks, target links across years),
    which belong to no plan, and the build's provenance, which lists every plan's source.
    The summary graph (the build's counts, :mod:`kg.graph.summary`) joins the default graph,
    for the queries that read it: its chapter counts are of chapters, which only the chosen
    plans' graphs name, so over the scope they are the chosen plans' alone. (Its load rows are
    the whole store's, holders of every plan: a query of them over the scope is not scoped.)
    """
    from kg.sparql.query import run

    chosen = {find_plan(store, p) for p in plans}
    for gov in governments:
        chosen.update(find_government(store, gov))
    if not chosen:
        raise PlanError("no plan chosen: name one with --plan or a government with --government")
    reports = progress_graphs(store)
    progress = {graph for plan in chosen for graph in reports.get(str(plan), ())}
    graphs = tuple(sorted({str(g) for g in chosen} | progress))
    counts = tuple(str(g) for g, in run(store, "SELECT ?g WHERE { ?g a rk:Summary }").rows)
    return QueryDataset(default=graphs + counts, named=graphs)


@dataclass
class PlanDiff:
    """What changed from plan A to plan B."""

    a: str
    b: str
    units: list[tuple] = field(default_factory=list)       # (unit, led A, led B, supported A, supported B, change)
    leaders: list[tuple] = field(default_factory=list)     # (leader, tasks A, tasks B, change)
    new_units: list[str] = field(default_factory=list)
    gone_units: list[str] = field(default_factory=list)
    carried: list[tuple] = field(default_factory=list)     # (no A, no B, score, text A, text B)
    only_a: list[int] = field(default_factory=list)
    only_b: list[int] = field(default_factory=list)


def _tasks(store, plan) -> dict[int, dict]:
    from kg.sparql.query import run

    tasks: dict[int, dict] = {}
    for task, no, text, rel, who in run(store, _TASKS, {"plan": plan}).rows:
        rec = tasks.setdefault(int(no), {"text": str(text), "lead": set(), "support": set(), "supervisor": set()})
        if rel is not None:
            rec[str(rel)].add(str(who))
    return tasks


def diff_plans(store, a: str, b: str, threshold: float = MATCH_THRESHOLD) -> PlanDiff:
    """Compare plan ``a`` with plan ``b`` (names as for :func:`find_plan`); both of one government."""
    from kg.sparql.query import run

    pa, pb = find_plan(store, a), find_plan(store, b)
    govs = {str(plan): gov for plan, _, _, gov in run(store, _PLANS).rows}
    if govs.get(str(pa)) != govs.get(str(pb)):
        raise PlanError(f"{a} and {b} are plans of different governments; compare plans of one government")
    ta, tb = _tasks(store, pa), _tasks(store, pb)
    d = PlanDiff(a, b)
    count = {}
    for side, tasks in (("a", ta), ("b", tb)):
        for rel in ("lead", "support", "supervisor"):
            count[(side, rel)] = Counter(n for t in tasks.values() for n in t[rel])
    units = sorted(set(count[("a", "lead")]) | set(count[("a", "support")]) | set(count[("b", "lead")])
                   | set(count[("b", "support")]))
    for u in units:
        la, lb = count[("a", "lead")][u], count[("b", "lead")][u]
        sa, sb = count[("a", "support")][u], count[("b", "support")][u]
        d.units.append((u, la, lb, sa, sb, (lb + 0.5 * sb) - (la + 0.5 * sa)))
    d.units.sort(key=lambda r: (-abs(r[5]), r[0]))
    in_a = set(count[("a", "lead")]) | set(count[("a", "support")])
    in_b = set(count[("b", "lead")]) | set(count[("b", "support")])
    d.new_units, d.gone_units = sorted(in_b - in_a), sorted(in_a - in_b)
    for leader in sorted(set(count[("a", "supervisor")]) | set(count[("b", "supervisor")])):
        x, y = count[("a", "supervisor")][leader], count[("b", "supervisor")][leader]
        d.leaders.append((leader, x, y, y - x))
    d.leaders.sort(key=lambda r: (-abs(r[3]), r[0]))
    scores = sorted(((difflib.SequenceMatcher(None, ta[i]["text"], tb[j]["text"]).ratio(), i, j)
                     for i in ta for j in tb), reverse=True)
    used_a, used_b = set(), set()
    for score, i, j in scores:
        if score < threshold:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        d.carried.append((i, j, round(score, 3), ta[i]["text"], tb[j]["text"]))
    d.carried.sort()
    d.only_a, d.only_b = sorted(set(ta) - used_a), sorted(set(tb) - used_b)
    return d
