"""Reports → RDF: the named graph of one narrative document (:mod:`kg.parse.narrative`).

A report — the 2024 work report, a newspaper digest, the towns' and bureaus' plans — becomes
one named graph like a plan does: the report node, its sections, its statements typed by
kind (rk:PlannedTask, rk:Result, rk:Goal, rk:Priority) with their year, their targets,
projects and towns (:func:`kg.graph.plan.add_reading`), and the officials it names with their
posts (org:Post, org:heldBy, org:postIn) and the sentence as evidence. A work report's
government is its dcterms:publisher; an item of its self-building chapter has dcterms:type
"self-building". A planned item
with several sentences that set targets is split: each such sentence becomes a planned
task of its own, part of the item, holding its targets.

Units and people are the government's entities, so 商务局局长蔡伟达 in a digest and 蔡伟达 as
商务局's head in the 2021 table are one person and one unit.
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from kg import names

from kg.read import reading
from kg.graph.plan import Iris, Triples, _int, _segment, _zh, add_finding, add_reading, add_town, add_unit, report_iri
from kg.graph.namespaces import DEFAULT_BASE, RK
from kg.parse.narrative import NarrativeResult, PostMention, Statement, sentences

__all__ = ["report_graph", "statement_iris", "split_statement", "STATEMENT_CLASSES"]

STATEMENT_CLASSES = {"plan": RK.PlannedTask, "result": RK.Result, "goal": RK.Goal, "priority": RK.Priority}


def _iris(result: NarrativeResult, base: str) -> Iris:
    return Iris(base, names.placeholders().key, result.file)


def statement_iris(result: NarrativeResult, base: str = DEFAULT_BASE) -> list[URIRef]:
    """Each statement's IRI, in the report's order."""
    report = report_iri(result.file, base)
    return [URIRef(f"{report}/item/{_segment(s.key)}") for s in result.statements]


def target_sentences(text: str) -> list[str]:
    """The sentences of a planned item that set targets, when there are at least two (one would
    just be the item again)."""
    found = [s for s in sentences(text) if reading.extract_targets(s).targets]
    return found if len(found) >= 2 else []


def split_statement(s: Statement, iri: URIRef) -> list[tuple[URIRef, str]]:
    """The (IRI, text) pairs whose reading the graph holds: a planned item's target sentences as
    parts ``{item}/1``, ``{item}/2`` … when it has several, else the statement itself."""
    parts = target_sentences(s.text) if s.kind == "plan" else []
    return [(URIRef(f"{iri}/{j}"), sentence) for j, sentence in enumerate(parts, 1)] or [(iri, s.text)]


class _ReportBuilder:
    """Adds one report's triples to a graph; see :func:`report_graph`."""

    def __init__(self, g: Triples, result: NarrativeResult, base: str):
        self.g, self.result = g, result
        self.iris = _iris(result, base)
        self.report = report_iri(result.file, base)
        self.sections: dict[tuple[str | None, str | None], URIRef] = {}

    def build(self, source: URIRef) -> None:
        g, r = self.g, self.result
        g.add((self.report, RDF.type, RK.Report))
        g.add((self.report, RDFS.label, _zh(r.title or r.file)))
        g.add((self.report, DCTERMS.type, Literal(r.kind)))
        g.add((self.report, PROV.wasDerivedFrom, source))
        if r.title:
            g.add((self.report, DCTERMS.title, _zh(r.title)))
        if r.issued:
            g.add((self.report, DCTERMS.issued, Literal(r.issued, datatype=XSD.date)))
        if r.year:
            g.add((self.report, DCTERMS.temporal, Literal(str(r.year), datatype=XSD.gYear)))
        if r.government:
            g.add((self.report, DCTERMS.publisher, _zh(r.government)))
        for statement, iri in zip(r.statements, statement_iris(r, self.iris.base)):
            self.statement(statement, iri, source)
        for official in r.officials:
            self.official(official, source)
        for i, f in enumerate(r.findings, 1):
            add_finding(g, URIRef(f"{self.report}/finding/{i}"), f, None)

    def section(self, s: Statement) -> URIRef:
        """The statement's section (its chapter and section headings), else the report."""
        if not s.chapter and not s.section:
            return self.report
        key = (s.chapter, s.section)
        if key not in self.sections:
            iri = URIRef(f"{self.report}/section/{len(self.sections) + 1}")
            self.sections[key] = iri
            self.g.add((iri, RDF.type, RK.Section))
            self.g.add((iri, RDFS.label, _zh(s.section or s.chapter)))
            self.g.add((iri, DCTERMS.isPartOf, self.report))
        return self.sections[key]

    def statement(self, s: Statement, iri: URIRef, source: URIRef) -> None:
        g = self.g
        self._item(iri, STATEMENT_CLASSES[s.kind], f"{s.key} {s.title or _short(s.text)}", s.text, s.year, source, s.lines)
        g.add((iri, SKOS.notation, Literal(s.key)))
        g.add((iri, DCTERMS.isPartOf, self.section(s)))
        if s.title:
            g.add((iri, DCTERMS.title, _zh(s.title)))
        if s.subject:
            g.add((iri, DCTERMS.subject, self.subject(s.subject)))
        if s.self_building:  # the government's own building (建设人民满意的服务型政府), not the economy's
            g.add((iri, DCTERMS.type, Literal("self-building")))
        for part, text in split_statement(s, iri):
            if part != iri:
                j = str(part).rsplit("/", 1)[1]
                self._item(part, RK.PlannedTask, f"{s.key}.{j} {_short(text)}", text, s.year, source, s.lines)
                g.add((part, SKOS.notation, Literal(f"{s.key}.{j}")))
                g.add((part, DCTERMS.isPartOf, iri))
            add_reading(g, self.iris, part, text)

    def _item(self, iri: URIRef, cls: URIRef, label: str, text: str, year: int | None, source: URIRef,
              lines: tuple[int, int]) -> None:
        g = self.g
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, _zh(label)))
        g.add((iri, RK.text, _zh(text)))
        g.add((iri, PROV.wasDerivedFrom, source))
        g.add((iri, RK.firstLine, _int(lines[0])))
        g.add((iri, RK.lastLine, _int(lines[1])))
        if year:
            g.add((iri, DCTERMS.temporal, Literal(str(year), datatype=XSD.gYear)))

    def subject(self, name: str) -> URIRef:
        """A priority's subject: a town or street (西园街道) as its rk:Town, else the unit (水利局)."""
        short = re.sub(r"(街道|镇)$", "", name)
        ph = names.placeholders()
        if short in ph.towns or short in ph.streets:
            return add_town(self.g, self.iris, short)
        return add_unit(self.g, self.iris, name)

    def official(self, m: PostMention, source: URIRef) -> None:
        """An official named with a post: the person holds the post, which is in the unit; the
        sentence is the evidence."""
        g = self.g
        person, post = self.iris.person(m.person), self.iris.post(m.unit, m.post, m.person)
        g.add((person, RDF.type, RK.Person))
        g.add((person, RDFS.label, _zh(m.person)))
        g.add((post, RDF.type, ORG.Post))
        g.add((post, RDFS.label, _zh(m.unit + m.post)))
        g.add((post, ORG.postIn, add_unit(g, self.iris, m.unit)))
        g.add((post, ORG.heldBy, person))
        g.add((post, RK.evidence, Literal(m.sentence)))
        g.add((post, PROV.wasDerivedFrom, source))


def _short(text: str) -> str:
    return text if len(text) <= 24 else text[:24] + "…"


def report_graph(result: NarrativeResult, base: str = DEFAULT_BASE) -> tuple[URIRef, Triples]:
    """The named graph of one report: (its IRI, its triples)."""
    triples: Triples = set()
    _ReportBuilder(triples, result, base).build(_iris(result, base).source(result.sha256 or "unknown"))
    return report_iri(result.file, base), triples
