"""SHACL validation of a respkg graph against ``ontology/shapes.ttl`` with pySHACL.

:func:`validate` returns whether the graph conforms and one readable row per
violation: the focus node (shortened and labelled), the path, the offending value, the
shape's message and its severity.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg.graph.namespaces import DEFAULT_BASE, PREFIXES, plain
from kg.resources import ontology_file, shapes_file

__all__ = ["Violation", "Report", "validate", "union_graph"]


@dataclass(frozen=True)
class Violation:
    """One SHACL result, readable."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str


@dataclass(frozen=True)
class Report:
    """The outcome of a validation."""

    conforms: bool
    violations: list[Violation]
    text: str


def union_graph(ds) -> Graph:
    """All triples of a Dataset (or Graph) in one in-memory Graph, for pySHACL and export."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    triples = ((s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))) if hasattr(ds, "quads") else ds
    for s, p, o in triples:
        g.add((s, p, plain(o)))
    return g


def _short(g: Graph, term, base: str = DEFAULT_BASE) -> str:
    """A term for people: `rk:lead`, or the IRI's path after the data base with its label."""
    if term is None:
        return ""
    if not isinstance(term, URIRef):
        return str(term)
    label = g.value(term, RDFS.label)
    if term.startswith(base):
        name = term[len(base):]
    else:
        prefix, ns = next(((p, n) for p, n in PREFIXES.items() if term.startswith(n)), (None, None))
        name = f"{prefix}:{term[len(ns):]}" if prefix else f"<{term}>"
    return f"{name} ({label})" if label and str(label) != name.rsplit("/", 1)[-1] else name


def _shape_name(shapes: Graph, shape) -> str:
    """A shape's name; a property shape is named by its node shape and path."""
    if isinstance(shape, URIRef):
        return shapes.namespace_manager.normalizeUri(shape)
    parent = shapes.value(None, SH.property, shape)
    path = shapes.value(shape, SH.path)
    path_text = shapes.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "(path)"
    return f"{_shape_name(shapes, parent)} {path_text}" if parent is not None else path_text


def validate(data: Graph) -> Report:
    """Validate ``data`` (a Graph or Dataset) against the bundled shapes and ontology."""
    import pyshacl

    g = union_graph(data)
    shapes = Graph().parse(shapes_file(), format="turtle")
    ontology = Graph().parse(ontology_file(), format="turtle")
    conforms, results, text = pyshacl.validate(g, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                               allow_warnings=True)
    violations = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        msgs = [str(m) for m in results.objects(r, SH.resultMessage)]
        violations.append(Violation(
            severity=str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus=_short(g, results.value(r, SH.focusNode)),
            path=_short(g, results.value(r, SH.resultPath)),
            value=_short(g, results.value(r, SH.value)),
            message=msgs[0] if msgs else "",
            shape=_shape_name(shapes, results.value(r, SH.sourceShape)),
        ))
    violations.sort(key=lambda v: (v.shape, v.focus, v.path, v.value))
    return Report(bool(conforms), violations, text)
