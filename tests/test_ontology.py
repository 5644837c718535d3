"""The ontology: every term the code uses is declared, labelled and defined; nothing declared is idle."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.graph.namespaces import RK
from kg.resources import default_source, ontology_dir, ontology_file, shapes_file

ONTOLOGY = Graph().parse(ontology_file(), format="turtle")
RK_NS = str(RK)
DECLARED = {s for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and s.startswith(RK_NS)}

#: Declared terms the bundled graph does not use, and why they are declared all the same.
UNUSED_ON_BUNDLED = {
    RK.separateLeads: "only for tasks the source says several units lead separately (分别牵头); the 2021 table has none",
    RK.AssignmentRole: "the class of rk:Lead and rk:Support, used in the ontology itself",
    RK.dueText: "only in layouts with a 完成时限 field; the 2021 table has none (tests/test_layouts.py builds them)",
    RK.dueDate: "as rk:dueText",
    RK.leadLeader: "only in layouts with a 牵头领导 field",
    RK.Statement: "the class of planned tasks, results, goals and priorities; statements are typed by their kind",
    RK.Status: "the class of the status concepts, used in the ontology itself",
    RK.StatusScheme: "the concept scheme of the statuses, used in the ontology itself",
    RK.Overdue: "derived for an as-of date when asked (kg.analysis.progress, the progress queries), never stored",
    RK.NotReported: "as rk:Overdue",
    RK.Load: "the class of the summary graph's head, leader and unit loads, used in the ontology itself",
}
#: The hand-made progress sheets of two quarters (tests/test_progress.py): the bundled graph
#: has no progress, so its terms are checked on the 2021 table built with them.
DATA = Path(__file__).parent / "data"
PROGRESS = [DATA / "progress" / "2021-q2.csv", DATA / "progress" / "2021-q3.xlsx"]


def test_namespace_lists_exactly_the_declared_terms():
    listed = {URIRef(RK_NS + name) for name in RK.__annotations__}
    assert listed == DECLARED


@pytest.mark.parametrize("term", sorted(DECLARED))
def test_every_term_has_labels_in_chinese_and_english_and_a_definition(term):
    langs = {label.language for label in ONTOLOGY.objects(term, RDFS.label)}
    assert {"zh", "en"} <= langs, term
    assert ONTOLOGY.value(term, SKOS.definition), term


def test_reuses_w3c_vocabularies():
    sub = {(s, o) for s, o in ONTOLOGY.subject_objects(RDFS.subClassOf)}
    assert (RK.Unit, URIRef("http://www.w3.org/ns/org#OrganizationalUnit")) in sub
    assert (RK.Person, URIRef("http://xmlns.com/foaf/0.1/Person")) in sub
    assert (RK.Section, SKOS.Concept) in sub
    assert (RK.Plan, URIRef("http://www.w3.org/ns/prov#Plan")) in sub
    assert (RK.Target, URIRef("https://schema.org/QuantitativeValue")) in sub
    assert (RK.Project, URIRef("http://xmlns.com/foaf/0.1/Project")) in sub


def _rk_terms(g: Graph) -> set[URIRef]:
    return {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(RK_NS)}


def test_every_term_of_the_bundled_graph_is_declared_and_every_declared_term_used():
    from kg.build import dataset_from
    from kg.graph.validate import union_graph

    used = _rk_terms(union_graph(dataset_from(None)[0])) | _rk_terms(union_graph(
        dataset_from([default_source(), *PROGRESS])[0]))
    assert used <= DECLARED, used - DECLARED
    idle = DECLARED - used
    assert idle == set(UNUSED_ON_BUNDLED), idle


def test_shapes_and_queries_use_declared_terms_only():
    shapes = Graph().parse(shapes_file(), format="turtle")
    assert _rk_terms(shapes) <= DECLARED
    for text in [shapes_file().read_text(encoding="utf-8")] + [
            p.read_text(encoding="utf-8") for p in ontology_dir().glob("queries/*.rq")]:
        for local in re.findall(r"\brk:([A-Za-z]+)", text):
            assert URIRef(RK_NS + local) in DECLARED, local


def test_classes_and_properties_are_typed():
    for term in DECLARED:
        types = set(ONTOLOGY.objects(term, RDF.type))
        assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RK.AssignmentRole, RK.Status,
                        SKOS.ConceptScheme}, term
