"""Progress → RDF: the named graph of one progress source (:mod:`kg.read.progress`).

A progress report is an ``rk:ProgressReport`` (a prov:Entity derived from its source file) that
reports on its plan (``rk:reportsOn``) as of a date (``rk:asOf``, the period's words in
``rk:period``); each matched row is an ``rk:ProgressEntry`` of it, ``rk:progressOf`` the plan's
task, with the status concept of the scheme (``rk:status``) where the word maps onto one, the
word as written, the percentage, the texts, the reporting unit, how it was matched (and the
score of a match by text) and its lines. The source's findings — unmatched rows among them —
are findings of the report. Derived statuses (overdue, not reported, behind by percentage) are
not stored: they depend on the date asked about (:mod:`kg.analysis.progress`).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.graph.namespaces import DEFAULT_BASE, RK
from kg.graph.plan import Iris, Triples, _decimal, _int, _zh, add_finding, government_key, plan_key, progress_iri
from kg.quality import sort_findings
from kg.read.progress import ProgressReport

__all__ = ["progress_triples", "STATUS_CONCEPTS"]

#: The scheme's concept of each reported status of :data:`kg.read.progress.STATUSES`.
STATUS_CONCEPTS = {"done": RK.Done, "on_track": RK.OnTrack, "ahead": RK.Ahead, "behind": RK.Behind,
                   "not_started": RK.NotStarted}
_TEXTS = (("progress", RK.progressText), ("problems", RK.problems), ("next_steps", RK.nextSteps),
          ("reporter", RK.reporter), ("status", RK.statusText))


def progress_triples(report: ProgressReport, base: str = DEFAULT_BASE) -> tuple[URIRef, Triples]:
    """The named graph of one progress report as plain triples: (its IRI, its triples)."""
    plan = Iris(base, government_key(report.plan), plan_key(report.plan))
    iri = progress_iri(report.source.file, base)
    g: Triples = set()
    g.add((iri, RDF.type, RK.ProgressReport))
    g.add((iri, RDFS.label, _zh(report.source.title or report.source.file)))
    g.add((iri, RK.reportsOn, plan.plan_iri()))
    g.add((iri, RK.asOf, Literal(report.as_of, datatype=XSD.date)))
    if report.source.period:
        g.add((iri, RK.period, _zh(report.source.period)))
    g.add((iri, PROV.wasDerivedFrom, plan.source(report.source.sha256 or "unknown")))
    for e in report.entries:
        entry = URIRef(f"{iri}/entry/{e.task_no}" + (f"-{e.occurrence}" if e.occurrence > 1 else ""))
        g.add((iri, RK.entry, entry))
        g.add((entry, RDF.type, RK.ProgressEntry))
        g.add((entry, RDFS.label, _zh(f"{e.task_no}. {report.as_of} {e.row.status or e.row.progress or ''}"[:60])))
        g.add((entry, RK.progressOf, plan.task(e.task_no, e.occurrence)))
        if e.status:
            g.add((entry, RK.status, STATUS_CONCEPTS[e.status]))
        if e.row.percent is not None:
            g.add((entry, RK.percent, _decimal(e.row.percent)))
        for field, prop in _TEXTS:
            value = getattr(e.row, field)
            if value:
                g.add((entry, prop, _zh(value)))
        g.add((entry, RK.matchedBy, Literal(e.match)))
        if e.match == "text":
            g.add((entry, RK.score, _decimal(e.score)))
        g.add((entry, RK.firstLine, _int(e.row.lines[0])))
        g.add((entry, RK.lastLine, _int(e.row.lines[1])))
    for i, f in enumerate(sort_findings(report.findings), 1):
        add_finding(g, URIRef(f"{iri}/finding/{i}"), f, plan.task(f.task) if f.task is not None else iri)
    return iri, g
