"""SHACL: the seed graph conforms; each shape fires on a graph broken on purpose."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS

from kg.graph.plan import build_dataset
from kg.graph.namespaces import DEFAULT_BASE, RK
from kg.graph.validate import union_graph, validate

PLAN = DEFAULT_BASE + "plan/晋政文-2021-16"


def _task(n):
    return URIRef(f"{PLAN}/task/{n}")


def _unit(name):
    return URIRef(DEFAULT_BASE + "jinjiang/unit/" + name)


def test_seed_graph_conforms(seed):
    report = validate(build_dataset([seed]))
    assert report.conforms and report.violations == []


# Each break: (what to do to the graph, the shape that must fire, text expected in the focus or value).
BREAKS = {
    "no number": (lambda g: g.remove((_task(1), RK.number, None)), "rks:TaskShape rk:number", "task/1 "),
    "text not Chinese": (lambda g: (g.remove((_task(2), RK.text, None)), g.add((_task(2), RK.text, Literal("x")))),
                         "rks:TaskShape rk:text", "task/2 "),
    "not part of anything": (lambda g: g.remove((_task(3), URIRef("http://purl.org/dc/terms/isPartOf"), None)),
                             "rks:TaskShape dcterms:isPartOf", "task/3 "),
    "no lead": (lambda g: g.remove((_task(4), RK.lead, None)), "rks:TaskShape rk:lead", "task/4 "),
    "two leads": (lambda g: g.add((_task(5), RK.lead, _unit("工信局"))), "rks:OneLeadShape", "task/5 "),
    "lead is also support": (lambda g: g.add((_task(6), RK.support, _unit("科技局"))), "rks:TaskShape rk:lead", "task/6 "),
    "no city leader": (lambda g: g.remove((_task(7), RK.supervisor, None)), "rks:SupervisorShape", "task/7 "),
    "lead without assignment": (lambda g: g.remove((URIRef(f"{PLAN}/task/8/unit/1"), RK.role, None)),
                                "rks:AssignmentShape rk:role", "task/8/unit/1"),
    "assignment without unit": (lambda g: g.remove((URIRef(f"{PLAN}/task/9/unit/2"), RK.unit, None)),
                                "rks:AssignmentShape rk:unit", "task/9/unit/2"),
    "lead not among the assignments": (lambda g: (g.remove((_task(10), RK.lead, None)),
                                                  g.add((_task(10), RK.lead, _unit("工信局")))),
                                       "rks:AssignmentsMatchShape", "task/10 "),
    "person without Chinese label": (lambda g: g.remove((URIRef(DEFAULT_BASE + "jinjiang/person/蒋家兴"), RDFS.label, None)),
                                     "rks:LabelledShape rdfs:label", "person/蒋家兴"),
    "role taken for a person": (lambda g: g.add((URIRef(DEFAULT_BASE + "jinjiang/role/各镇镇长、街道办事处主任"), RDF.type, RK.Person)),
                                "rks:PersonShape", "各镇镇长"),
    "sub-office of two parents": (lambda g: g.add((_unit("发改局（审改办）"), ORG.subOrganizationOf, _unit("工信局"))),
                                  "rks:SubOfficeShape org:subOrganizationOf", "发改局（审改办）"),
    "finding without severity": (lambda g: g.remove((URIRef(f"{PLAN}/finding/1"), RK.severity, None)),
                                 "rks:FindingShape rk:severity", "finding/1 "),
    "group member not a unit": (lambda g: g.add((URIRef(DEFAULT_BASE + "jinjiang/group/各镇政府、街道办事处"), RK.member,
                                                  URIRef(DEFAULT_BASE + "jinjiang/person/蒋家兴"))),
                                "rks:GroupShape rk:member", "各镇政府、街道办事处"),
}


@pytest.fixture(scope="module")
def broken_report(seed):
    g = union_graph(build_dataset([seed]))
    for mutate, _, _ in BREAKS.values():
        mutate(g)
    return validate(g)


@pytest.mark.parametrize("name", list(BREAKS))
def test_each_shape_fires(broken_report, name):
    _, shape, where = BREAKS[name]
    assert not broken_report.conforms
    hits = [v for v in broken_report.violations if v.shape == shape and (where in v.focus + " " or where in v.value + " ")]
    assert hits, (name, sorted({v.shape for v in broken_report.violations}))


def test_nothing_else_fires(broken_report):
    shapes = {v.shape for v in broken_report.violations}
    assert shapes <= {shape for _, shape, _ in BREAKS.values()} | {"rks:TaskShape rk:assignment"}
