"""The inferred graph: links the sources do not state, each with its score and evidence.

Two kinds, both kept in one named graph (``{base}inferred``) apart from the plans' and
reports' facts, so a query — and the load figures, which read only rk:lead and rk:support —
sees them only when it asks for that graph or their classes:

* rk:Suggestion — for every planned task of a report (no units in the source), the likely
  lead and supporting units (:mod:`kg.read.suggest`) from the latest decomposition table of
  the report's own government (:func:`report_government`), or, where none is loaded, from
  every loaded government's latest table — each such suggestion, and the graph's
  rdfs:comment for the report, then says that the units are another government's — with
  the score and prov:wasDerivedFrom the table's tasks that voted;
* rk:TargetLink — targets about the same measure in different years (:mod:`kg.read.timeline`).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, replace
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
from kg.read.suggest import Suggester, Suggestion
from kg.read.timeline import Occurrence, link_targets

__all__ = ["inferred_graph", "report_government", "INFERRED_GRAPH", "SUGGESTIONS_PER_ROLE"]

INFERRED_GRAPH = "inferred"
SUGGESTIONS_PER_ROLE = 3


def _latest(plans: Sequence[ParseResult]) -> ParseResult:
    """A government's latest plan: the highest year, the last given among equals."""
    return max(enumerate(plans), key=lambda ip: (ip[1].meta.year or 0, ip[0]))[1]


_PLACE_RE = re.compile(r"^([\u3400-\u9fff]{2,14}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))(?:[_\-\s]|\d{4}|$)")


def report_government(report: NarrativeResult) -> str:
    """A report's government, keyed as :func:`kg.graph.plan.government_key` keys a plan's issuer.

    ``徐州市`` (the report's front matter or title) and ``徐州市人民政府`` (a table's issuer) are one
    key, ``徐州市``; the bundled government's name is its key (``jinjiang``). A report that names no
    government is read by its file name (``安徽省_2022.md`` → ``安徽省``), else it counts as the
    bundled government's, as its units already do (:mod:`kg.graph.report`).
    """
    ph = names.placeholders()
    name = report.government
    if not name:
        m = _PLACE_RE.match(report.file.rsplit("/", 1)[-1])
        name = m.group(1) if m else None
    if not name:
        return ph.key
    key = re.sub(r"(人民政府|政府)(办公室|办公厅)?$", "", name) or name
    bundled = re.sub(r"(人民政府|政府)(办公室|办公厅)?$", "", ph.government)
    return ph.key if key == bundled else key


@dataclass
class _Table:
    """The tasks one report's suggestions come from: its government's latest table, or every
    loaded government's latest table pooled (tasks renumbered so their numbers stay apart)."""

    suggester: Suggester
    tasks: dict[int, tuple[str, URIRef, str]]  # suggester's task number → (government, task IRI, as cited)
    units: dict[str, str]  # unit name → the government whose table names it first
    kinds: dict[tuple[str, str], str]  # (government, unit name) → unit or group, as its table has it
    iris: dict[str, Iris]
    note: str

    def unit_iri(self, s: Suggestion) -> URIRef:
        """The suggested unit as its government's entity (the plan graph's unit or group node):
        that of the most similar task that voted for it, else of the first table naming it."""
        gov = self.tasks[s.evidence[0]][0] if s.evidence else self.units[s.unit]
        iris = self.iris[gov]
        return iris.group(s.unit) if self.kinds[(gov, s.unit)] == "group" else iris.unit(s.unit)


def _label(gov: str) -> str:
    return names.placeholders().government if gov == names.placeholders().key else gov


def _table(latest: dict[str, ParseResult], govs: Sequence[str], base: str, note: str, pooled: bool = False) -> _Table:
    """A ``_Table`` of the latest tables of ``govs`` (one government: its numbers kept). A pooled
    table, another government's, cites each task with its government (晋江市人民政府 12)."""
    tasks, pooled, units, kinds, iris = {}, [], {}, {}, {}
    for gov in govs:
        plan = latest[gov]
        iris[gov] = Iris(base, gov, plan_key(plan))
        for t in plan.tasks:
            no = t.no if len(govs) == 1 else len(pooled) + 1
            cited = f"{_label(gov)} {t.no}" if pooled else str(t.no)
            tasks.setdefault(no, (gov, iris[gov].task(t.no), cited))
            pooled.append(t if len(govs) == 1 else replace(t, no=no))
            for u in t.units:
                units.setdefault(u.name, gov)
                kinds.setdefault((gov, u.name), u.kind)
    return _Table(Suggester(pooled), tasks, units, kinds, iris, note)


def _latest_tables(plans: Sequence[ParseResult]) -> dict[str, ParseResult]:
    """Each government's latest table that names units, by government key."""
    by_gov: dict[str, list[ParseResult]] = defaultdict(list)
    for p in plans:
        if any(t.units for t in p.tasks):
            by_gov[government_key(p)].append(p)
    return {gov: _latest(ps) for gov, ps in sorted(by_gov.items())}


def _cite(latest: dict[str, ParseResult], govs: Sequence[str]) -> str:
    """The tables of ``govs`` as a note names them: government (year, file), at most three."""
    shown = [f"{_label(g)} ({latest[g].meta.year or 'year unknown'}, {latest[g].file})" for g in govs[:3]]
    return ", ".join(shown) + (f" and {len(govs) - 3} more" if len(govs) > 3 else "")


def _suggestions(g: Triples, base: str, plans: Sequence[ParseResult], reports: Sequence[NarrativeResult]) -> None:
    """rk:Suggestion nodes for every planned task of every report: from the latest table of the
    report's own government where one is loaded, else from every loaded table pooled, each
    suggestion then saying that its unit is another government's (the inferred graph's
    rdfs:comment says so once per report). No table loaded, no suggestion. A table's index is
    built only when a report asks for it."""
    latest = _latest_tables(plans)
    if not latest:
        return
    tables: dict[str | None, _Table] = {}  # by government; None: every table pooled
    for report in reports:
        if not any(s.kind == "plan" for s in report.statements):
            continue
        gov = report_government(report)
        if gov in latest:
            if gov not in tables:
                own = latest[gov]
                tables[gov] = _table(latest, [gov], base, f"units of {_label(gov)}'s own decomposition table "
                                                          f"({own.meta.year or 'year unknown'}, {own.file})")
            table = tables[gov]
        else:
            if None not in tables:
                tables[None] = _table(latest, list(latest), base, "", pooled=True)
            table = replace(tables[None], note=f"no decomposition table of {_label(gov)} is loaded: these units are "
                                               f"another government's (the tables of {_cite(latest, list(latest))}), "
                                               "matched by similar tasks and remit words only")
        g.add((URIRef(base + INFERRED_GRAPH), RDFS.comment, Literal(f"{report.file}: {table.note}")))
        for s, iri in zip(report.statements, statement_iris(report, base)):
            if s.kind != "plan":
                continue
            pairs = split_statement(s, iri)
            if pairs[0][0] != iri:
                pairs = [(iri, s.text)] + pairs  # the item as a whole, then its target sentences
            for item, text in pairs:
                _suggest(g, table, item, table.suggester.suggest(text, SUGGESTIONS_PER_ROLE))


def _suggest(g: Triples, table: _Table, item: URIRef, suggestions: Sequence[Suggestion]) -> None:
    ranks: dict[str, int] = defaultdict(int)
    for s in suggestions:
        ranks[s.role] += 1
        node = URIRef(f"{item}/suggestion/{s.role}/{ranks[s.role]}")
        g.add((item, RK.suggestion, node))
        g.add((node, RDF.type, RK.Suggestion))
        g.add((node, RDFS.label, _zh(f"{s.unit}（{'牵头' if s.role == 'lead' else '配合'}，推断 {s.score:.2f}）")))
        g.add((node, RK.suggestedUnit, table.unit_iri(s)))
        g.add((node, RK.suggestedRole, RK.Lead if s.role == "lead" else RK.Support))
        g.add((node, RK.score, _decimal(round(s.score, 3))))
        g.add((node, RK.rank, _int(ranks[s.role])))
        for no in s.evidence:
            g.add((node, PROV.wasDerivedFrom, table.tasks[no][1]))
        if s.evidence:
            g.add((node, RK.evidence, Literal("similar earlier tasks: " + ", ".join(table.tasks[no][2] for no in s.evidence))))
        if s.remit:
            g.add((node, RK.evidence, Literal(f"the text names {s.unit}'s remit")))
        g.add((node, RK.evidence, Literal(table.note)))


def _occurrences(base: str, plans: Sequence[ParseResult], reports: Sequence[NarrativeResult]) -> list[Occurrence]:
    """Every target with its government, year and IRI (as :func:`kg.graph.plan.add_reading` mints it),
    for the governments whose documents span at least two years: only those can be linked, and
    reading every text of a thousand one-year plans again would double a big build's reading.
    A report's targets are its own government's (:func:`report_government`), so 三明市's and
    徐州市's reports built together are never linked to each other."""
    years: dict[str, set[int]] = defaultdict(set)
    for p in plans:
        if p.meta.year:
            years[government_key(p)].add(p.meta.year)
    report_govs = [report_government(r) for r in reports]
    for r, gov in zip(reports, report_govs):
        years[gov] |= {s.year for s in r.statements if s.year}
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
                    for i, target in enumerate(reading.extract_targets(t.text).targets, 1)]
    for r, gov in zip(reports, report_govs):
        if len(years[gov]) < 2:
            continue
        for s, iri in zip(r.statements, statement_iris(r, base)):
            if not s.year:
                continue
            for item, text in split_statement(s, iri):
                out += [Occurrence(target, gov, s.year, URIRef(f"{item}/target/{i}"))
                        for i, target in enumerate(reading.extract_targets(text).targets, 1)]
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
