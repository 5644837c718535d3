"""The RDF graph of the seed: stable IRIs, counts that match the records, provenance."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS

from kg.graph.plan import build_dataset, plan_graph, plan_key, plan_triples
from kg.graph.report import report_graph
from kg.graph.namespaces import DEFAULT_BASE, RK
from kg.read.reading import plan_findings
from kg.graph.validate import union_graph
from kg.parse.narrative import parse_narrative_text
from kg.records import UnitRef

ID = DEFAULT_BASE
PLAN = URIRef(ID + "plan/晋政文-2021-16")
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def g(seed):
    return union_graph(build_dataset([seed], when=WHEN))


def _unit(name):
    return URIRef(ID + "jinjiang/unit/" + name)


def _person(name):
    return URIRef(ID + "jinjiang/person/" + name)


def test_plan_key_and_metadata(seed, g):
    assert plan_key(seed) == "晋政文-2021-16"
    assert g.value(PLAN, DCTERMS.identifier) == Literal("晋政文〔2021〕16号")
    assert str(g.value(PLAN, DCTERMS.issued)) == "2021-01-13"
    assert g.value(PLAN, DCTERMS.title) == Literal("2021年《政府工作报告》目标任务责任分解表", lang="zh")


def test_rebuild_is_isomorphic(seed):
    a = build_dataset([seed], when=WHEN)
    b = build_dataset([seed], when=WHEN)
    assert isomorphic(union_graph(a), union_graph(b))
    assert sorted(str(x.identifier) for x in a.graphs() if len(x)) == [ID + "build", str(PLAN)]


def test_iris_are_readable_and_derived_from_keys(g):
    task45 = URIRef(f"{PLAN}/task/45")
    assert (task45, RDF.type, RK.Task) in g
    assert g.value(task45, RK.number) == Literal(45)
    assert (task45, RK.lead, _unit("现代服务业办")) in g
    assert (task45, RK.supervisor, _person("李志强")) in g
    assert (_person("蔡晖"), RDFS.label, Literal("蔡晖", lang="zh")) in g
    assert g.value(task45, DCTERMS.isPartOf) == URIRef(f"{PLAN}/section/3-3")
    assert (URIRef(f"{PLAN}/section/3-3"), SKOS.broader, URIRef(f"{PLAN}/section/3")) in g


def _by_sparql(g, query):
    return Counter({str(row[0]): int(row[1]) for row in g.query(query, initNs={"rk": RK, "rdfs": RDFS})})


def test_tasks_per_lead_unit_match_the_records(seed, g):
    from_records = Counter(u.name for t in seed.tasks for u in t.units if u.role == "lead")
    from_graph = _by_sparql(g, "SELECT ?name (COUNT(?t) AS ?n) WHERE { ?t rk:lead ?u . ?u rdfs:label ?name } GROUP BY ?name")
    assert from_graph == from_records


def test_tasks_per_supervisor_match_the_records(seed, g):
    from_records = Counter(s for t in seed.tasks for s in t.supervisors)
    from_graph = _by_sparql(g, "SELECT ?name (COUNT(?t) AS ?n) WHERE { ?t rk:supervisor ?p . ?p rdfs:label ?name } GROUP BY ?name")
    assert from_graph == from_records


def test_supports_and_assignments_match_the_records(seed, g):
    from_records = Counter(u.name for t in seed.tasks for u in t.units if u.role == "support")
    from_graph = _by_sparql(g, "SELECT ?name (COUNT(?t) AS ?n) WHERE { ?t rk:support ?u . ?u rdfs:label ?name } GROUP BY ?name")
    assert from_graph == from_records
    assert len(list(g.subjects(RDF.type, RK.Assignment))) == sum(len(t.units) for t in seed.tasks)


def test_heads_per_assignment(g):
    a = URIRef(f"{PLAN}/task/95/unit/1")
    assert set(g.objects(a, RK.head)) == {_person("陈多多"), _person("吴清淡")}
    assert g.value(a, RK.role) == RK.Lead and g.value(a, RK.rank) == Literal(1)
    task161 = URIRef(f"{PLAN}/task/161")
    assert {_person("陈荣松"), _person("陈鹏")} <= set(g.objects(task161, RK.responsible))


def test_head_of_only_where_consistent(g):
    assert (_person("蒋家兴"), ORG.headOf, _unit("科技局")) in g
    assert not list(g.subjects(ORG.headOf, _unit("水利局")))  # 蒋东晓 14 times, 蔡东晓 once
    assert not list(g.objects(_person("蒋东晓"), ORG.headOf))


def test_groups_roles_and_sub_offices(g):
    towns = URIRef(ID + "jinjiang/group/各镇政府、街道办事处")
    assert (towns, RDF.type, RK.UnitGroup) in g
    members = set(g.objects(towns, RK.member))
    assert len(members) == 19 and _unit("安海镇政府") in members and _unit("青阳街道办事处") in members
    role = URIRef(ID + "jinjiang/role/各镇镇长、街道办事处主任")
    assert (role, RDF.type, RK.Role) in g and (role, RDF.type, RK.Person) not in g
    assert g.value(role, RK.roleOf) == towns
    assert g.value(_unit("发改局（审改办）"), ORG.subOrganizationOf) == _unit("发改局")
    departments = set(g.objects(URIRef(ID + "jinjiang/group/市政府工作部门"), RK.member))
    assert _unit("科技局") in departments and _unit("安海镇政府") not in departments


def test_findings_are_in_the_graph(seed, g):
    rows = list(g.query("""SELECT ?n WHERE { ?f rk:findingKind "head-differs" ; rk:about ?t . ?t rk:number ?n }""",
                        initNs={"rk": RK}))
    assert sorted(int(r[0]) for r in rows) == [5, 124]
    assert len(list(g.subjects(RDF.type, RK.Finding))) == len(plan_findings(seed))  # the parser's and the text readings'


def test_provenance(seed, seed_path):
    prov = build_dataset([seed], when=WHEN).graph(URIRef(ID + "build"))
    digest = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    source = URIRef(ID + "source/" + digest)
    assert prov.value(source, RK.sha256) == Literal(digest)
    build = URIRef(ID + "build")
    assert (build, PROV.used, source) in prov
    assert str(prov.value(build, PROV.endedAtTime)).startswith("2026-01-01T00:00:00")
    from kg import __version__
    assert prov.value(build, RK.softwareVersion) == Literal(__version__)


def test_every_task_derives_from_its_source_with_lines(seed, g):
    _, pg = plan_graph(seed)
    for t in seed.tasks:
        iri = URIRef(f"{PLAN}/task/{t.no}")
        assert pg.value(iri, RK.firstLine) == Literal(t.source.lines[0])
        assert pg.value(iri, PROV.wasDerivedFrom) is not None


def test_base_iri_is_configurable(seed):
    _, pg = plan_graph(seed, "http://example.org/x/")
    assert (URIRef("http://example.org/x/plan/晋政文-2021-16/task/1"), RDF.type, RK.Task) in pg


def _declaration(triples, unit):
    """The triples about a unit: its own, and those of the town it governs and its parent unit."""
    nodes = {unit} | {o for s, p, o in triples if s == unit and p in (RK.governs, ORG.subOrganizationOf)}
    return {t for t in triples if t[0] in nodes}


def test_a_unit_named_only_in_a_report_is_declared_as_a_plan_declares_it(seed):
    text = ("西园街道： 加速发展\n\n安海镇政府镇长张三表示，要加快发展。\n\n"
            "罗山街道： 汇聚优势\n\n应急管理局局长李四说，要守住安全底线。\n")
    report = parse_narrative_text(text, "plans.txt")
    assert [o.unit for o in report.officials] == ["安海镇政府", "应急管理局"]
    _, in_report = report_graph(report)
    # A plan naming the same two units: the table's first task, given these units.
    plan = replace(seed, tasks=[replace(seed.tasks[0], units=(UnitRef("安海镇政府", "lead"), UnitRef("应急管理局", "support")))])
    _, in_plan = plan_triples(plan)
    for name in ("安海镇政府", "应急管理局"):
        assert _declaration(in_report, _unit(name)) == _declaration(in_plan, _unit(name)), name
    assert (_unit("安海镇政府"), RK.governs, URIRef(ID + "jinjiang/town/安海")) in in_report

    assert "应急管理局" not in {u.name for t in seed.tasks for u in t.units}
    _, table = plan_triples(seed)
    g = Graph()
    for t in table | in_report:
        g.add(t)
    government = g.value(PLAN, DCTERMS.creator)
    assert (_unit("应急管理局"), ORG.unitOf, government) in g
    assert (government, RDF.type, ORG.Organization) in g
