"""Records → RDF: the knowledge graph of one or more plans, on the respkg ontology.

Each plan becomes one named graph (its IRI is the plan's), self-contained: it types and
labels every unit, group, person and role it mentions, so a plan can be replaced on its
own. IRIs are derived from normalised keys — the plan's document number, task numbers,
unit and person names — never from run order, so the same source gives the same IRIs
on every run and rebuilding gives an isomorphic graph.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Sequence

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg import __version__, names

from kg.read import mentions

from kg.read import reading

from kg.read import targets
from kg.graph.namespaces import DEFAULT_BASE, RK
from kg.parse.result import ParseResult
from kg.quality import Finding, sort_findings
from kg.records import Task

__all__ = ["Iris", "plan_key", "government_key", "plan_graph", "plan_triples", "build_dataset", "provenance_graph",
           "provenance_triples", "to_graph", "to_dataset", "Triples", "BUILD_GRAPH", "add_finding", "add_reading",
           "add_town", "add_unit", "report_iri", "progress_iri"]

NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
#: Characters an IRI may not hold; everything else, Chinese included, stays readable.
_IRI_FORBIDDEN = set(' <>"{}|\\^`%#?/[]')
BUILD_GRAPH = "build"


def _segment(name: str) -> str:
    """A name as one readable IRI path segment (forbidden characters percent-encoded)."""
    return "".join(
        "".join(f"%{b:02X}" for b in ch.encode("utf-8")) if ch in _IRI_FORBIDDEN or ord(ch) < 0x21 else ch
        for ch in name
    )


def _numeral(marker: str) -> int:
    """`三、` or `（三）` → 3; `十二` → 12."""
    digits = re.sub(r"[^一二三四五六七八九十]", "", marker)
    if digits.startswith("十"):
        return 10 + (NUMERALS.get(digits[1:], 0) if len(digits) > 1 else 0)
    if "十" in digits:
        tens, _, ones = digits.partition("十")
        return NUMERALS[tens] * 10 + (NUMERALS[ones] if ones else 0)
    return NUMERALS.get(digits, 0)


def plan_key(result: ParseResult) -> str:
    """The plan's key: its document number normalised (`晋政文-2021-16`), else the file stem."""
    if result.meta.doc_number:
        m = re.match(r"(.+?)〔(\d{4})〕(\d+)号", result.meta.doc_number)
        if m:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return re.sub(r"\.[^.]+$", "", result.file)


def government_key(result: ParseResult) -> str:
    """The issuing government's key, which scopes its units and people: the same name in one
    government is one entity, in two governments two.

    The bundled government (``data/jinjiang.toml``) has its key (``jinjiang``); another
    is named by its issuer without 人民政府/政府(办公室/办公厅) (``永春县``), else by its
    document number's prefix (``永政办``). Records files, which carry no issuer, count as
    the bundled government's; a document that names neither issuer nor number is a
    government of its own, keyed by its file's stem, so that its units never merge with
    another government's.
    """
    ph = names.placeholders()
    issuer = result.meta.issuer
    if issuer is None and result.meta.doc_number is None:
        return ph.key if result.layout == "records" else re.sub(r"\.[^.]+$", "", result.file)
    if issuer and (issuer == ph.government or issuer.startswith(ph.government)):
        return ph.key
    if issuer:
        return re.sub(r"(人民政府|政府)(办公室|办公厅)?$", "", issuer) or issuer
    return re.match(r"(.+?)〔", result.meta.doc_number).group(1)


@dataclass(frozen=True)
class Iris:
    """Mints the IRIs of one government's entities and one plan's entities."""

    base: str
    government: str
    plan: str

    def _g(self, kind: str, name: str) -> URIRef:
        return URIRef(f"{self.base}{self.government}/{kind}/{_segment(name)}")

    def org(self) -> URIRef:
        return URIRef(f"{self.base}{self.government}")

    def unit(self, name: str) -> URIRef:
        return self._g("unit", name)

    def group(self, name: str) -> URIRef:
        return self._g("group", name)

    def person(self, name: str) -> URIRef:
        return self._g("person", name)

    def role(self, name: str) -> URIRef:
        return self._g("role", name)

    def plan_iri(self) -> URIRef:
        return URIRef(f"{self.base}plan/{_segment(self.plan)}")

    def section(self, chapter: int, section: int | None) -> URIRef:
        tail = f"{chapter}" if section is None else f"{chapter}-{section}"
        return URIRef(f"{self.plan_iri()}/section/{tail}")

    def task(self, no: int, occurrence: int = 1) -> URIRef:
        return URIRef(f"{self.plan_iri()}/task/{no}" + (f"-{occurrence}" if occurrence > 1 else ""))

    def project(self, name: str) -> URIRef:
        return self._g("project", name)

    def town(self, name: str) -> URIRef:
        return self._g("town", name)

    def post(self, unit: str, post: str, person: str) -> URIRef:
        return self._g("post", f"{unit}{post}-{person}")

    def finding(self, index: int) -> URIRef:
        return URIRef(f"{self.plan_iri()}/finding/{index}")

    def source(self, sha256: str) -> URIRef:
        return URIRef(f"{self.base}source/{sha256}")


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _decimal(x: float) -> Literal:
    """A number as xsd:decimal, written without a float's noise (600, not 600.0 or 1e+3)."""
    return Literal(format(Decimal(repr(x)).normalize(), "f"), datatype=XSD.decimal)


class _PlanBuilder:
    """Adds one plan's triples to a graph; see :func:`plan_graph`."""

    def __init__(self, g: Triples, result: ParseResult, iris: Iris):
        self.g, self.result, self.iris = g, result, iris
        self.ph = names.placeholders()
        self.seen: set[URIRef] = set()

    def _entity(self, iri: URIRef, cls: URIRef, label: str) -> URIRef:
        if iri not in self.seen:
            self.seen.add(iri)
            self.g.add((iri, RDF.type, cls))
            self.g.add((iri, RDFS.label, _zh(label)))
        return iri

    def unit(self, name: str, kind: str = "unit") -> URIRef:
        """The unit or group node, with its parent unit or its members."""
        if kind == "group":
            iri = self.iris.group(name)
            if iri not in self.seen:
                self._entity(iri, RK.UnitGroup, name)
                for member in self._members(name):
                    self.g.add((iri, RK.member, self.unit(member)))
            return iri
        iri = self.iris.unit(name)
        if iri not in self.seen:
            self.seen.add(iri)
            add_unit(self.g, self.iris, name)
        return iri

    def _members(self, group: str) -> list[str]:
        """The units a group stands for: the 19 towns, or the plan's departments, or none known."""
        if self.iris.government != self.ph.key:
            return []  # the bundled placeholders are the bundled government's
        rule = self.ph.groups.get(group, {}).get("members")
        if rule == "towns":
            return list(self.ph.town_units())
        if rule == "departments":
            units = {u.name for t in self.result.tasks for u in t.units if u.kind == "unit"}
            return sorted(u for u in units if names.is_department(u))
        return []

    def person_or_role(self, name: str) -> URIRef:
        if names.is_role(name):
            iri = self.iris.role(name)
            if iri not in self.seen:
                self._entity(iri, RK.Role, name)
                group = self.ph.roles.get(name)
                if group:
                    self.g.add((iri, RK.roleOf, self.unit(group, "group")))
            return iri
        return self._entity(self.iris.person(name), RK.Person, name)

    def build(self, source: URIRef) -> None:
        g, plan = self.g, self.iris.plan_iri()
        meta = self.result.meta
        self._entity(plan, RK.Plan, meta.doc_number or meta.title or self.result.file)
        g.add((plan, PROV.wasDerivedFrom, source))
        if meta.doc_number:
            g.add((plan, DCTERMS.identifier, Literal(meta.doc_number)))
        if meta.title:
            g.add((plan, DCTERMS.title, _zh(meta.title)))
        if meta.issued:
            g.add((plan, DCTERMS.issued, Literal(meta.issued, datatype=XSD.date)))
        if meta.year:
            g.add((plan, DCTERMS.temporal, Literal(str(meta.year), datatype=XSD.gYear)))
        org = self._entity(self.iris.org(), ORG.Organization,
                           meta.issuer or (self.ph.government if self.iris.government == self.ph.key else self.iris.government))
        g.add((plan, DCTERMS.creator, org))
        occurrences: dict[int, int] = defaultdict(int)
        task_iris: dict[int, URIRef] = {}
        for task in self.result.tasks:
            occurrences[task.no] += 1
            iri = self.iris.task(task.no, occurrences[task.no])
            task_iris.setdefault(task.no, iri)
            self.task(task, iri, plan, source)
        self.heads_of()
        for i, f in enumerate(sort_findings(reading.plan_findings(self.result)), 1):
            add_finding(g, self.iris.finding(i), f, task_iris.get(f.task))

    def section(self, task: Task, plan: URIRef) -> URIRef:
        m = re.match(r"^[一二三四五六七八九十]+、", task.chapter)
        if not m:
            return plan
        chapter = self.iris.section(_numeral(m.group(0)), None)
        if chapter not in self.seen:
            self._entity(chapter, RK.Section, task.chapter)
            self.g.add((chapter, DCTERMS.isPartOf, plan))
            self.g.add((chapter, SKOS.notation, Literal(str(_numeral(m.group(0))))))
        if not task.section:
            return chapter
        n = _numeral(re.match(r"^[（(][一二三四五六七八九十]+[）)]", task.section).group(0))
        section = self.iris.section(_numeral(m.group(0)), n)
        if section not in self.seen:
            self._entity(section, RK.Section, task.section)
            self.g.add((section, SKOS.broader, chapter))
            self.g.add((section, DCTERMS.isPartOf, plan))
            self.g.add((section, SKOS.notation, Literal(f"{_numeral(m.group(0))}.{n}")))
        return section

    def task(self, task: Task, iri: URIRef, plan: URIRef, source: URIRef) -> None:
        g = self.g
        short = task.text if len(task.text) <= 24 else task.text[:24] + "…"
        self._entity(iri, RK.Task, f"{task.no}. {short}")
        g.add((iri, RK.number, _int(task.no)))
        g.add((iri, RK.text, _zh(task.text)))
        g.add((iri, DCTERMS.isPartOf, self.section(task, plan)))
        g.add((iri, PROV.wasDerivedFrom, source))
        g.add((iri, RK.firstLine, _int(task.source.lines[0])))
        g.add((iri, RK.lastLine, _int(task.source.lines[1])))
        if len(task.leads) > 1:
            g.add((iri, RK.separateLeads, Literal(True)))
        for rank, u in enumerate(task.units, 1):
            unit = self.unit(u.name, u.kind)
            g.add((iri, RK.lead if u.role == "lead" else RK.support, unit))
            a = URIRef(f"{iri}/unit/{rank}")
            g.add((iri, RK.assignment, a))
            g.add((a, RDF.type, RK.Assignment))
            g.add((a, RDFS.label, _zh(f"{task.no}. {u.name}（{'牵头' if u.role == 'lead' else '配合'}）")))
            g.add((a, RK.unit, unit))
            g.add((a, RK.role, RK.Lead if u.role == "lead" else RK.Support))
            g.add((a, RK.rank, _int(rank)))
            for h in u.heads:
                head = self.person_or_role(h)
                g.add((a, RK.head, head))
                g.add((iri, RK.responsible, head))
        for h in task.unassigned_heads:
            g.add((iri, RK.responsible, self.person_or_role(h)))
        for s in task.supervisors:
            g.add((iri, RK.supervisor, self.person_or_role(s)))
        for leader in task.lead_leaders:
            g.add((iri, RK.leadLeader, self.person_or_role(leader)))
        add_reading(g, self.iris, iri, task.text)
        if task.due:
            g.add((iri, RK.dueText, _zh(task.due.text)))
            if task.due.date:
                kind = XSD.date if len(task.due.date) == 10 else XSD.gYearMonth
                g.add((iri, RK.dueDate, Literal(task.due.date, datatype=kind)))

    def heads_of(self) -> None:
        """org:headOf only where the source is consistent: every row naming heads for the unit
        names this person, and no other person, among them."""
        heads_by_unit: dict[str, list[frozenset[str]]] = defaultdict(list)
        for t in self.result.tasks:
            for u in t.units:
                if u.kind == "unit" and u.heads:
                    heads_by_unit[u.name].append(frozenset(h for h in u.heads if not names.is_role(h)))
        for unit, rows in heads_by_unit.items():
            if rows and all(r == rows[0] for r in rows) and len(rows[0]) == 1:
                [person] = rows[0]
                self.g.add((self.iris.person(person), ORG.headOf, self.iris.unit(unit)))


def add_finding(g: Triples, iri: URIRef, f: Finding, about: URIRef | None) -> None:
    """A data-quality finding as a node: kind, severity, message, evidence, lines, what it is about."""
    g.add((iri, RDF.type, RK.Finding))
    g.add((iri, RDFS.label, _zh(f"{f.kind}: {f.message}")))
    g.add((iri, RK.findingKind, Literal(f.kind)))
    g.add((iri, RK.severity, Literal(f.severity)))
    g.add((iri, RK.message, Literal(f.message)))
    for e in f.evidence:
        g.add((iri, RK.evidence, Literal(e)))
    if about is not None:
        g.add((iri, RK.about, about))
    if f.lines:
        g.add((iri, RK.firstLine, _int(f.lines[0])))
        g.add((iri, RK.lastLine, _int(f.lines[1])))


def add_reading(g: Triples, iris: "Iris", iri: URIRef, text: str) -> None:
    """The targets, projects and towns a task's or statement's text names (:mod:`kg.read.reading`):
    targets as nodes under the text's IRI, projects and towns as the government's nodes."""
    r = reading.read(text)
    for i, t in enumerate(r.targets, 1):
        node = URIRef(f"{iri}/target/{i}")
        g.add((iri, RK.target, node))
        g.add((node, RDF.type, RK.Target))
        g.add((node, RDFS.label, _zh(t.text)))
        g.add((node, RK.measure, _zh(t.measure)))
        g.add((node, RK.measureKey, Literal(targets.measure_key(t.measure))))
        g.add((node, RK.text, _zh(t.text)))
        g.add((node, SDO.value, _decimal(t.value)))
        g.add((node, RK.targetKind, Literal(t.kind)))
        if t.unit:
            g.add((node, SDO.unitText, _zh(t.unit)))
        if t.comparator:
            g.add((node, RK.comparator, _zh(t.comparator)))
        if t.minimum is not None:
            g.add((node, SDO.minValue, _decimal(t.minimum)))
        if t.maximum is not None:
            g.add((node, SDO.maxValue, _decimal(t.maximum)))
        if t.approximate:
            g.add((node, RK.approximate, Literal(True)))
    for m in r.projects:
        project = iris.project(m.name)
        g.add((iri, RK.mentions, project))
        g.add((project, RDF.type, RK.Project))
        g.add((project, RDFS.label, _zh(m.name)))
    for m in r.towns:
        g.add((iri, RK.mentions, add_town(g, iris, m.name)))


def add_unit(g: Triples, iris: "Iris", name: str) -> URIRef:
    """The unit node: typed, labelled, in its government (org:unitOf) or, for a sub-office
    (发改局（审改办）), in its parent unit, and governing its town (安海镇政府 governs 安海).

    The one declaration of a unit, for plans and reports alike, so a unit named only in a
    report is the same node with the same triples as in a plan."""
    iri = iris.unit(name)
    g.add((iri, RDF.type, RK.Unit))
    g.add((iri, RDFS.label, _zh(name)))
    parent, sub = names.split_sub_office(name)
    if sub:
        g.add((iri, ORG.subOrganizationOf, add_unit(g, iris, parent)))
    else:
        g.add((iri, ORG.unitOf, iris.org()))
    # The bundled placeholders' towns are the bundled government's.
    town = mentions.town_of_unit(name) if iris.government == names.placeholders().key else None
    if town:
        g.add((iri, RK.governs, add_town(g, iris, town)))
    return iri


def add_town(g: Triples, iris: "Iris", town: str) -> URIRef:
    """The town or street node, labelled with its full name (安海镇, 青阳街道)."""
    iri = iris.town(town)
    g.add((iri, RDF.type, RK.Town))
    g.add((iri, RDFS.label, _zh(names.placeholders().town_name(town))))
    return iri


#: One named graph's content as plain triples of rdflib terms: the builders add to a set (an
#: rdflib Graph indexes every triple three ways, which made building most of a build's time);
#: :func:`to_graph` makes a Graph of it where one is needed.
Triples = set


def to_graph(iri: URIRef, triples: Triples) -> Graph:
    """A named graph's triples as an rdflib Graph."""
    g = Graph(identifier=iri)
    g.addN((s, p, o, g) for s, p, o in triples)
    return g


def plan_triples(result: ParseResult, base: str = DEFAULT_BASE) -> tuple[URIRef, Triples]:
    """The named graph of one parsed plan as plain triples: (its IRI, its triples)."""
    iris = Iris(base, government_key(result), plan_key(result))
    triples: Triples = set()
    _PlanBuilder(triples, result, iris).build(iris.source(result.sha256 or "unknown"))
    return iris.plan_iri(), triples


def plan_graph(result: ParseResult, base: str = DEFAULT_BASE) -> tuple[URIRef, Graph]:
    """The named graph of one parsed plan: (its IRI, its triples as an rdflib Graph)."""
    iri, triples = plan_triples(result, base)
    return iri, to_graph(iri, triples)


def report_iri(file: str, base: str = DEFAULT_BASE) -> URIRef:
    """A narrative report's IRI (which names its graph too), from its file name without the extension."""
    return URIRef(f"{base}report/{_segment(re.sub(r'[.][^.]+$', '', file))}")


def progress_iri(file: str, base: str = DEFAULT_BASE) -> URIRef:
    """A progress report's IRI (which names its graph too), from its file name without the extension."""
    return URIRef(f"{base}progress/{_segment(re.sub(r'[.][^.]+$', '', file))}")


def provenance_triples(results: list[ParseResult], base: str = DEFAULT_BASE, when: datetime | None = None,
                       reports: Sequence = (), extra: Sequence[URIRef] = (),
                       progress: Sequence = ()) -> tuple[URIRef, Triples]:
    """The build's provenance: each source with its SHA-256, the time and respkg's version, and
    every graph the build made (plans, reports, progress reports, ``extra`` such as the inferred graph)."""
    iris = Iris(base, names.placeholders().key, "")
    g: Triples = set()
    build = URIRef(base + BUILD_GRAPH)
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, RDFS.label, _zh("知识图谱构建")))
    g.add((build, RK.softwareVersion, Literal(__version__)))
    g.add((build, PROV.endedAtTime, Literal((when or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
                                             datatype=XSD.dateTime)))
    products = [(r.file, r.sha256, Iris(base, iris.government, plan_key(r)).plan_iri()) for r in results]
    products += [(r.file, r.sha256, report_iri(r.file, base)) for r in reports]
    products += [(p.source.file, p.source.sha256, progress_iri(p.source.file, base)) for p in progress]
    for file, sha256, product in products:
        source = iris.source(sha256 or "unknown")
        g.add((build, PROV.used, source))
        g.add((source, RDF.type, PROV.Entity))
        g.add((source, RDFS.label, _zh(file)))
        g.add((source, DCTERMS.title, Literal(file)))
        g.add((source, RK.sha256, Literal(sha256 or "")))
        g.add((product, PROV.wasGeneratedBy, build))
    for product in extra:
        g.add((product, PROV.wasGeneratedBy, build))
    return build, g


def provenance_graph(results: list[ParseResult], base: str = DEFAULT_BASE, when: datetime | None = None,
                     reports: Sequence = ()) -> Graph:
    """The build's provenance as an rdflib Graph (see :func:`provenance_triples`)."""
    return to_graph(*provenance_triples(results, base, when, reports))


def to_dataset(graphs: Iterable[tuple[URIRef, Triples]]) -> Dataset:
    """Named graphs of plain triples as one rdflib Dataset."""
    ds = Dataset()
    for iri, triples in graphs:
        target = ds.graph(iri)
        target.addN((s, p, o, target) for s, p, o in triples)
    return ds


def build_dataset(results: list[ParseResult], base: str = DEFAULT_BASE, when: datetime | None = None,
                  reports: Sequence = ()) -> Dataset:
    """All plans as named graphs, plus the build's provenance graph (which lists the reports'
    sources too, when given; their graphs are :mod:`kg.graph.report`'s)."""
    return to_dataset([*(plan_triples(r, base) for r in results), provenance_triples(results, base, when, reports)])
