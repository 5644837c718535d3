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
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.graph.namespaces import DEFAULT_BASE, RK

__all__ = ["SUMMARY_GRAPH", "summary_iri", "chapter_counts", "summary_triples"]

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


def summary_triples(counted: Iterable[tuple[URIRef, set[tuple]]], base: str = DEFAULT_BASE) -> tuple[URIRef, set]:
    """The summary graph from (graph IRI, its :func:`chapter_counts`) pairs: the counts and,
    for provenance, every graph they were counted from."""
    iri = summary_iri(base)
    g: set[tuple] = {(iri, RDF.type, RK.Summary), (iri, RDFS.label, Literal("汇总图", lang="zh"))}
    for graph, counts in counted:
        g.add((iri, PROV.wasDerivedFrom, graph))
        g |= counts
    return iri, g
