"""The summary graph: counts every whole-store question needs, materialised by the build.

A question over a thousand plans, such as how many tasks each chapter holds, scans millions
of triples when it is asked of the plans' graphs; asked of the summary graph it reads a few
per chapter. The build counts each graph's triples as it writes them
(:func:`chapter_counts`) and puts the counts in one named graph, ``<base>summary``, whose
provenance names every graph it was counted from (:func:`summary_triples`). The counts are
those of the named query ``tasks-per-chapter`` over the same graph, so the materialised
answer and the full query's are the same (the tests hold both).

For each chapter (an ``rk:Section`` with no ``skos:broader``) that holds a task with a lead
unit, directly or in one of its sections:

- ``rk:taskCount``: the tasks with a lead unit;
- ``rk:leadUnitCount``: their distinct lead units;
- ``rk:leaderCount``: their distinct city leaders (``rk:supervisor``).

And the load model's three tables (docs/load-model.md) over every graph, with its default
(unit groups loading their members), so that ``kg report load`` over a thousand plans reads
one row per holder instead of every task: an ``rk:HeadLoad``, ``rk:LeaderLoad`` or
``rk:UnitLoad`` per holder (:func:`load_triples`; the figures come from
:func:`kg.analysis.load.graph_loads`, merged over the graphs by :class:`kg.analysis.load.LoadTally`). Weights, shares and ranks are computed when the
report is read, so any weights can be asked for.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal
from typing import Iterable, Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.graph.namespaces import DEFAULT_BASE, RK

__all__ = ["SUMMARY_GRAPH", "summary_iri", "chapter_counts", "load_triples", "summary_triples", "SummaryTriples",
           "LOAD_CLASSES", "LOAD_FIGURES"]

SUMMARY_GRAPH = "summary"


def summary_iri(base: str = DEFAULT_BASE) -> URIRef:
    """The summary graph's IRI (which names the graph too)."""
    return URIRef(base + SUMMARY_GRAPH)


def _chapter_of(section, broader: dict, seen: int = 0):
    """The chapter a section belongs to: itself if it has no broader section, else its broader's."""
    while section in broader and seen < 64:  # a cycle in a hand-made graph must not hang the build
        section, seen = broader[section], seen + 1
    return section


def chapter_counts(triples: Iterable[tuple]) -> set[tuple]:
    """One graph's chapter counts (see the module docstring), as triples of the summary graph."""
    sections, broader, part_of = set(), {}, defaultdict(set)
    leads, leaders = defaultdict(set), defaultdict(set)
    for s, p, o in triples:
        if p == RDF.type and o == RK.Section:
            sections.add(s)
        elif p == SKOS.broader:
            broader[s] = o
        elif p == DCTERMS.isPartOf:
            part_of[s].add(o)
        elif p == RK.lead:
            leads[s].add(o)
        elif p == RK.supervisor:
            leaders[s].add(o)
    chapters: dict = defaultdict(lambda: (set(), set(), set()))
    for task, units in leads.items():
        for section in part_of.get(task, ()):
            chapter = _chapter_of(section, broader)
            if chapter not in sections:
                continue
            tasks, lead_units, city_leaders = chapters[chapter]
            tasks.add(task)
            lead_units |= units
            city_leaders |= leaders.get(task, set())
    out: set[tuple] = set()
    for chapter, (tasks, lead_units, city_leaders) in chapters.items():
        out.add((chapter, RK.taskCount, Literal(len(tasks), datatype=XSD.integer)))
        out.add((chapter, RK.leadUnitCount, Literal(len(lead_units), datatype=XSD.integer)))
        out.add((chapter, RK.leaderCount, Literal(len(city_leaders), datatype=XSD.integer)))
    return out


#: the class of each load table's rows (by the --by name of ``kg report load``)
LOAD_CLASSES = {"head": RK.HeadLoad, "supervisor": RK.LeaderLoad, "unit": RK.UnitLoad}
#: each load table's figures and their properties
LOAD_FIGURES = {
    "head": {"tasks": RK.taskCount, "led": RK.ledCount, "supported": RK.supportedCount,
             "unplaced": RK.unplacedCount, "sections": RK.sectionCount, "leaders": RK.leaderCount},
    "supervisor": {"tasks": RK.taskCount, "shared": RK.sharedCount, "fractional": RK.fractionalLoad,
                   "units": RK.unitCount, "sections": RK.sectionCount},
    "unit": {"tasks": RK.taskCount, "led": RK.ledCount, "supported": RK.supportedCount,
             "partners": RK.partnerCount},
}


def _figure(value) -> Literal:
    if isinstance(value, float):
        return Literal(Decimal(str(value)), datatype=XSD.decimal)
    return Literal(value, datatype=XSD.integer)


def load_triples(loads: dict[str, dict[str, dict]]) -> Iterator[tuple]:
    """The load rows of the summary graph from table → holder → figures (with the holder's
    ``name`` and ``kind``; a head's ``headed`` units and their ``headed_names``): one blank
    node per holder and table, labelled by both, so the same holder gets the same label in
    every build. Blank nodes because Oxigraph reads one without the lookup an IRI takes: a
    thousand plans have 230,000 rows. Made as they are written: over a million triples."""
    for by, holders in loads.items():
        cls, figures = LOAD_CLASSES[by], LOAD_FIGURES[by]
        for holder, values in holders.items():
            row = BNode(f"{by}{hashlib.sha1(holder.encode()).hexdigest()[:20]}")
            yield row, RDF.type, cls
            yield row, RK.holder, URIRef(holder)
            yield row, RK.holderName, Literal(values["name"])
            if values["kind"]:
                yield row, RK.holderKind, Literal(values["kind"])
            for key, prop in figures.items():
                yield row, prop, _figure(values[key])
            for unit in values.get("headed", ()):
                yield row, RK.headedUnit, URIRef(unit)
            for name in dict.fromkeys(values.get("headed_names", ())):
                yield row, RK.headedUnitName, Literal(name)


def _load_size(loads: dict[str, dict[str, dict]]) -> int:
    """How many triples :func:`load_triples` makes."""
    return sum(3 + bool(v["kind"]) + len(LOAD_FIGURES[by]) + len(v.get("headed", ()))
               + len(dict.fromkeys(v.get("headed_names", ())))
               for by, holders in loads.items() for v in holders.values())


class SummaryTriples:
    """The summary graph's triples: the counts, then the load rows made as they are iterated
    (a sized iterable, as a graph's set of triples is to the store)."""

    def __init__(self, counts: set[tuple], loads: dict[str, dict[str, dict]]):
        self.counts, self.loads = counts, loads

    def __len__(self) -> int:
        return len(self.counts) + _load_size(self.loads)

    def __iter__(self) -> Iterator[tuple]:
        yield from self.counts
        yield from load_triples(self.loads)


def summary_triples(counted: Iterable[tuple[URIRef, set[tuple]]], base: str = DEFAULT_BASE,
                    loads: dict[str, dict[str, dict]] | None = None) -> tuple[URIRef, SummaryTriples]:
    """The summary graph from (graph IRI, its :func:`chapter_counts`) pairs and the load
    tables' figures: the counts and, for provenance, every graph they were counted from."""
    iri = summary_iri(base)
    g: set[tuple] = {(iri, RDF.type, RK.Summary), (iri, RDFS.label, Literal("汇总图", lang="zh"))}
    for graph, counts in counted:
        g.add((iri, PROV.wasDerivedFrom, graph))
        g |= counts
    return iri, SummaryTriples(g, loads or {})
