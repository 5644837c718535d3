"""The inferred graph: links the sources do not state, each with its score and evidence.

Two kinds, both kept in one named graph (``{base}inferred``) apart from the plans' and
reports' facts, so a query — and the load figures, which read only rk:lead and rk:support —
sees them only when it asks for that graph or their classes:

* rk:Suggestion — for every planned task of a report (no units in the source), the likely
  lead and supporting units from the government's latest decomposition table
  (:mod:`kg.read.suggest`), with the score and prov:wasDerivedFrom the table's tasks that voted;
* rk:TargetLink — targets about the same measure in different years (:mod:`kg.read.timeline`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg import __version__, names

from kg.read import reading
from kg.graph.plan import Iris, Triples, _decimal, _int, _zh, government_key, plan_key
from kg.graph.namespaces import DEFAULT_BASE, RK
from kg.parse.narrative import NarrativeResult
from kg.parse.result import ParseResult
from kg.graph.report import split_statement, statement_iris
from kg.read.suggest import Suggester
from kg.read.timeline import Occurrence, link_targets

__all__ = ["inferred_graph", "INFERRED_GRAPH", "SUGGESTIONS_PER_ROLE"]

INFERRED_GRAPH = "inferred"
SUGGESTIONS_PER_ROLE = 3


def _latest(plans: Sequence[ParseResult]) -> ParseResult:
    """A government's latest plan: the highest year, the last given among equals."""
    return max(enumerate(plans), key=lambda ip: (ip[1].meta.year or 0, ip[0]))[1]


def _suggestions(g: Triples, base: str, plans: Sequence[ParseResult], reports: Sequence[NarrativeResult]) -> None:
    """rk:Suggestion nodes for every planned task of the bundled government's reports."""
    gov = names.placeholders().key
    own = [p for p in plans if government_key(p) == gov and p.tasks]
    if not own:
        return
    plan = _latest(own)
    iris = Iris(base, gov, plan_key(plan))
    first = {}
    for t in plan.tasks:
        first.setdefault(t.no, iris.task(t.no))
    suggester = Suggester(plan.tasks)
    for report in reports:
        for s, iri in zip(report.statements, statement_iris(report, base)):
            if s.kind != "plan":
                continue
            pairs = split_statement(s, iri)
            if pairs[0][0] != iri:
                pairs = [(iri, s.text)] + pairs  # the item as a whole, then its target sentences
            for item, text in pairs:
                _suggest(g, iris, item, suggester.suggest(text, SUGGESTIONS_PER_ROLE), first)


def _suggest(g: Triples, iris: Iris, item: URIRef, suggestions, task_iri: dict[int, URIRef]) -> None:
    ranks: dict[str, int] = defaultdict(int)
    for s in suggestions:
        ranks[s.role] += 1
        node = URIRef(f"{item}/suggestion/{s.role}/{ranks[s.role]}")
        unit = iris.group(s.unit) if s.unit in names.placeholders().groups else iris.unit(s.unit)
        g.add((item, RK.suggestion, node))
        g.add((node, RDF.type, RK.Suggestion))
        g.add((node, RDFS.label, _zh(f"{s.unit}（{'牵头' if s.role == 'lead' else '配合'}，推断 {s.score:.2f}）")))
        g.add((node, RK.suggestedUnit, unit))
        g.add((node, RK.suggestedRole, RK.Lead if s.role == "lead" else RK.Support))
        g.add((node, RK.score, _decimal(round(s.score, 3))))
        g.add((node, RK.rank, _int(ranks[s.role])))
        for no in s.evidence:
            g.add((node, PROV.wasDerivedFrom, task_iri[no]))
        if s.evidence:
            g.add((node, RK.evidence, Literal("similar earlier tasks: " + ", ".join(map(str, s.evidence)))))
        if s.remit:
            g.add((node, RK.evidence, Literal(f"the text names {s.unit}'s remit")))


def _occurrences(base: str, plans: Sequence[ParseResult], reports: Sequence[NarrativeResult]) -> list[Occurrence]:
    """Every target with its government, year and IRI (as :func:`kg.graph.plan.add_reading` mints it),
    for the governments whose documents span at least two years: only those can be linked, and
    reading every text of a thousand one-year plans again would double a big build's reading."""
    bundled = names.placeholders().key
    years: dict[str, set[int]] = defaultdict(set)
    for p in plans:
        if p.meta.year:
            years[government_key(p)].add(p.meta.year)
    years[bundled] |= {s.year for r in reports for s in r.statements if s.year}
    out = []
    for p in plans:
        gov = government_key(p)
        if not p.meta.year or len(years[gov]) < 2:
            continue
        iris = Iris(base, gov, plan_key(p))
        seen: dict[int, int] = defaultdict(int)
        for t in p.tasks:
            seen[t.no] += 1
            task = iris.task(t.no, seen[t.no])
            out += [Occurrence(target, gov, p.meta.year, URIRef(f"{task}/target/{i}"))
                    for i, target in enumerate(reading.read(t.text).targets, 1)]
    for r in reports if len(years[bundled]) >= 2 else ():
        for s, iri in zip(r.statements, statement_iris(r, base)):
            if not s.year:
                continue
            for item, text in split_statement(s, iri):
                out += [Occurrence(target, bundled, s.year, URIRef(f"{item}/target/{i}"))
                        for i, target in enumerate(reading.read(text).targets, 1)]
    return out


def _links(g: Triples, base: str, plans: Sequence[ParseResult], reports: Sequence[NarrativeResult]) -> None:
    """rk:TargetLink nodes between targets of one measure in different years."""
    for link in link_targets(_occurrences(base, plans, reports)):
        a, b = str(link.earlier.key), str(link.later.key)
        node = URIRef(f"{base}{INFERRED_GRAPH}/target-link/{hashlib.sha1(f'{a} {b}'.encode()).hexdigest()[:16]}")
        g.add((node, RDF.type, RK.TargetLink))
        g.add((node, RDFS.label, _zh(f"{link.earlier.target.text} → {link.later.target.text}")))
        g.add((node, RK.earlier, URIRef(a)))
        g.add((node, RK.later, URIRef(b)))
        g.add((node, RK.score, _decimal(link.score)))
        for e in link.evidence:
            g.add((node, RK.evidence, Literal(e)))


def inferred_graph(plans: Sequence[ParseResult], reports: Sequence[NarrativeResult],
                   base: str = DEFAULT_BASE) -> tuple[URIRef, Triples]:
    """The inferred graph of one build: (its IRI, its triples); empty when there is nothing to
    infer (one plan, no report)."""
    iri = URIRef(base + INFERRED_GRAPH)
    g: Triples = set()
    _suggestions(g, base, plans, reports)
    _links(g, base, plans, reports)
    if g:
        g.add((iri, RDF.type, PROV.Activity))
        g.add((iri, RDFS.label, _zh("推断链接")))
        g.add((iri, RK.softwareVersion, Literal(__version__)))
    return iri, g
