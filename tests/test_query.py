"""Named queries, each checked against an answer computed from the records, not from its own output."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg import names
from kg.build import build, dataset_from
from kg.sparql.query import QueryDataset, QueryError, display, find_named, named_queries, resolve_params, run
from kg.read.reading import plan_findings
from kg.store.embedded import MemoryStore, OxigraphStore


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = OxigraphStore(tmp_path_factory.mktemp("store") / "s")
    build(None, s)
    return s


@pytest.fixture(scope="module")
def memory():
    return MemoryStore(dataset_from(None)[0])


def ask(store, name, **params):
    nq = find_named(name)
    result = run(store, nq.text, resolve_params(store, nq, params))
    return display(store, result)[1]


def test_at_least_fifteen_named_queries_with_complete_headers():
    queries = named_queries()
    assert len(queries) >= 15
    for q in queries.values():
        assert q.zh and q.en and q.returns and q.example.startswith(f"kg query --name {q.name}")
        for p in q.params:
            assert f"--param {p.name}=" in q.example or p.default is not None


def test_tasks_led_by(store, seed):
    rows = ask(store, "tasks-led-by", unit="工信局")
    expected = [t for t in seed.tasks if t.units[0].name == "工信局"]
    assert [r[0] for r in rows] == [t.no for t in expected]
    assert [set(filter(None, (r[3] or "").split("; "))) for r in rows] == [{u.name for u in t.supports} for t in expected]
    assert [r[2] for r in rows] == [t.section or t.chapter for t in expected]


def test_tasks_supported_by(store, seed):
    rows = ask(store, "tasks-supported-by", unit="财政局")
    assert [(r[0], r[2]) for r in rows] == [(t.no, t.units[0].name) for t in seed.tasks
                                             if any(u.name == "财政局" for u in t.supports)]


def test_person_responsibilities(store, seed):
    as_head = sorted(t.no for t in seed.tasks for u in t.units if "林永红" in u.heads)
    rows = ask(store, "person-responsibilities", person="林永红")
    assert sorted(r[2] for r in rows if r[0] == "责任领导") == as_head
    leader = ask(store, "person-responsibilities", person="庄天怀")
    assert sorted(r[2] for r in leader) == sorted(t.no for t in seed.tasks if "庄天怀" in t.supervisors)
    unassigned = ask(store, "person-responsibilities", person="陈鹏")
    assert [(r[0], r[2]) for r in unassigned] == [("责任领导（未对应单位）", 161)]


def test_leader_portfolios(store, seed):
    rows = {r[0]: r[1:] for r in ask(store, "leader-portfolios")}
    for leader in {s for t in seed.tasks for s in t.supervisors}:
        tasks = [t for t in seed.tasks if leader in t.supervisors]
        shared = [t for t in tasks if len(t.supervisors) > 1]
        units = {u.name for t in tasks for u in t.units}
        sections = {t.section or t.chapter for t in tasks}
        assert rows[leader] == (len(tasks), len(shared), len(units), len(sections)), leader


def test_leader_tasks_and_units(store, seed):
    rows = ask(store, "leader-tasks", leader="李自力")
    tasks = [t for t in seed.tasks if "李自力" in t.supervisors]
    assert [(r[0], r[2]) for r in rows] == [(t.no, t.units[0].name) for t in tasks]
    assert [set(r[3].split("; ")) for r in rows] == [set(t.supervisors) for t in tasks]
    units = {r[0]: (r[1], r[2]) for r in ask(store, "leader-units", leader="李自力")}
    led, supported = Counter(), Counter()
    for t in tasks:
        led[t.units[0].name] += 1
        for u in t.supports:
            supported[u.name] += 1
    assert units == {u: (led[u], supported[u]) for u in set(led) | set(supported)}


def test_supporters_never_leading(store, seed):
    leads = {t.units[0].name for t in seed.tasks}
    supports = Counter(u.name for t in seed.tasks for u in t.supports)
    expected = {u: n for u, n in supports.items() if u not in leads}
    assert dict(ask(store, "supporters-never-leading")) == expected


@pytest.mark.parametrize("minimum", [1, 5, 8, 11])
def test_coordination_burden(store, seed, minimum):
    rows = ask(store, "coordination-burden", min=str(minimum))
    expected = {t.no: len({u.name for u in t.supports}) for t in seed.tasks if len(t.supports) >= minimum}
    assert {r[0]: r[2] for r in rows} == expected


def test_cross_portfolio_tasks(store, seed):
    rows = ask(store, "cross-portfolio-tasks")
    expected = {t.no: set(t.supervisors) for t in seed.tasks if len(t.supervisors) >= 2}
    assert {r[0]: set(r[2].split("; ")) for r in rows} == expected
    assert all(r[1] == len(expected[r[0]]) for r in rows)


def test_unit_pairs(store, seed):
    shared = Counter()
    for t in seed.tasks:
        units = sorted({u.name for u in t.units})
        for i, a in enumerate(units):
            for b in units[i + 1:]:
                shared[frozenset((a, b))] += 1
    rows = ask(store, "unit-pairs")
    assert len(rows) == 25
    for a, b, n in rows:
        assert shared[frozenset((a, b))] == n
    assert rows[0][2] == max(shared.values())


def test_towns_involved(store, seed):
    rows = {r[0]: r for r in ask(store, "towns-involved")}
    towns = names.placeholders().town_units()
    assert set(rows) == set(towns)
    via_group = sum(1 for t in seed.tasks if any(u.name == "各镇政府、街道办事处" for u in t.units))
    for town in towns:
        direct = sorted(t.no for t in seed.tasks if any(u.name == town for u in t.units))
        assert rows[town][2] == len(direct), town
        assert sorted(int(n) for n in rows[town][1].split()) == direct
        assert rows[town][3] == via_group


@pytest.mark.parametrize("section", ["一、狠抓科技创新", "（二）加快科创载体建设", "七、增进民生福祉"])
def test_section_tasks(store, seed, section):
    rows = ask(store, "section-tasks", section=section)
    assert [r[0] for r in rows] == [t.no for t in seed.tasks if section in (t.chapter, t.section)]


def test_unit_heads_and_several_heads(store, seed):
    heads = defaultdict(Counter)
    for t in seed.tasks:
        for u in t.units:
            for h in u.heads:
                heads[u.name][h] += 1
    rows = ask(store, "unit-heads")
    assert {(r[0], r[1]): r[2] for r in rows} == {(u, h): n for u, c in heads.items() for h, n in c.items()}
    several = {r[0]: set(r[2].split("; ")) for r in ask(store, "units-with-several-heads")}
    persons = {u: {h for h in c if not names.is_role(h)} for u, c in heads.items()}
    assert several == {u: hs for u, hs in persons.items() if len(hs) > 1}


def test_uncertain_alignments(store, seed):
    rows = ask(store, "uncertain-alignments")
    expected = sorted((f.task, f.kind) for f in seed.findings if f.kind in ("heads-open", "heads-resolved"))
    assert sorted((r[0], r[1]) for r in rows) == expected


@pytest.fixture(scope="module")
def docs():
    """The bundled documents as a build reads them: the table and the four reports."""
    from kg.build import load_documents

    return load_documents(None)


def test_dashboard(store, seed, docs):
    """Every count equals one computed from the records, the reports and the readings of their texts."""
    from kg.read.reading import read
    from kg.graph.report import split_statement

    [row] = ask(store, "dashboard")
    people = {h for t in seed.tasks for u in t.units for h in u.heads if not names.is_role(h)}
    people |= {h for t in seed.tasks for h in t.unassigned_heads} | {s for t in seed.tasks for s in t.supervisors}
    people |= {m.person for r in docs.reports for m in r.officials}
    plain_units = {u.name for t in seed.tasks for u in t.units if u.kind == "unit"}
    parents = {u.parent for t in seed.tasks for u in t.units if u.parent}
    towns = set(names.placeholders().town_units())
    report_units = {m.unit for r in docs.reports for m in r.officials}
    report_units |= {s.subject for r in docs.reports for s in r.statements
                     if s.subject and re.sub(r"(街道|镇)$", "", s.subject) not in towns_short()}
    sections = {t.chapter for t in seed.tasks} | {t.section for t in seed.tasks if t.section}
    report_sections = sum(len({(s.chapter, s.section) for s in r.statements if s.chapter or s.section})
                          for r in docs.reports)
    findings = len(plan_findings(docs.plans[0])) + sum(len(r.findings) for r in docs.reports)
    statements = [s for r in docs.reports for s in r.statements]
    texts = [t.text for t in seed.tasks] + [text for s in statements for _, text in split_statement(s, "x")]
    parts = sum(len(split_statement(s, "x")) for s in statements if len(split_statement(s, "x")) > 1)
    projects = {m.name for text in texts for m in read(text).projects}
    planned = sum(1 + (len(split_statement(s, "x")) if len(split_statement(s, "x")) > 1 else 0)
                  for s in statements if s.kind == "plan")
    assert row[:8] == (1, len(seed.tasks), len(plain_units | parents | towns | report_units), 3, len(people),
                       len({s for t in seed.tasks for s in t.supervisors}), len(sections) + report_sections, findings)
    assert row[8:13] == (len(docs.reports), len(statements) + parts, sum(len(read(t).targets) for t in texts),
                         len(projects), 19)
    assert 0 < row[13] <= 6 * planned  # at most three leads and three supports per planned task
    assert row[14] > 0


def towns_short() -> set[str]:
    ph = names.placeholders()
    return set(ph.towns) | set(ph.streets)


def test_tasks_per_chapter(store, seed):
    rows = ask(store, "tasks-per-chapter")
    chapters = list(dict.fromkeys(t.chapter for t in seed.tasks))
    assert [r[1] for r in rows] == chapters and [r[0] for r in rows] == list(range(1, 9))
    for _, chapter, n, leads, leaders in rows:
        tasks = [t for t in seed.tasks if t.chapter == chapter]
        assert (n, leads, leaders) == (len(tasks), len({t.units[0].name for t in tasks}),
                                       len({s for t in tasks for s in t.supervisors}))


#: tasks-per-chapter as it was before the summary graph: the counts made again from every task
COUNTED_PER_CHAPTER = """
SELECT ?no ?chapter (COUNT(DISTINCT ?task) AS ?tasks) (COUNT(DISTINCT ?lead) AS ?leadUnits)
       (COUNT(DISTINCT ?leader) AS ?leaders)
WHERE {
  ?c a rk:Section ; rdfs:label ?chapter ; skos:notation ?n .
  BIND(xsd:integer(?n) AS ?no)
  FILTER NOT EXISTS { ?c skos:broader ?parent }
  ?task dcterms:isPartOf ?s ; rk:lead ?lead .
  ?s skos:broader* ?c .
  OPTIONAL { ?task rk:supervisor ?leader }
}
GROUP BY ?c ?chapter ?no"""


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory):
    """Nine synthetic counties, two years each: plans of several governments and years in one store."""
    from kg import synth

    files = synth.write_plans(synth.synthesize(counties=9, years=2, seed=5), tmp_path_factory.mktemp("synth"))
    s = OxigraphStore(tmp_path_factory.mktemp("synth-store"))
    build(files, s)
    return s, list(synth.synthesize(counties=9, years=2, seed=5))


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_tasks_per_chapter_from_the_summary_is_the_counted_answer(which, store, synth_store):
    s = store if which == "bundled" else synth_store[0]
    materialised = run(s, find_named("tasks-per-chapter").text).rows
    counted = run(s, COUNTED_PER_CHAPTER).rows
    assert len(materialised) >= (8 if which == "bundled" else 100)
    assert Counter(materialised) == Counter(counted)


def test_tasks_per_chapter_of_many_plans_against_the_records(synth_store):
    """Every plan's chapters, with counts made from the records: tasks with a lead, distinct leads, leaders."""
    s, plans = synth_store
    expected = Counter()
    for plan in plans:
        for chapter in dict.fromkeys(t.chapter for t in plan.tasks):
            tasks = [t for t in plan.tasks if t.chapter == chapter and any(u.role == "lead" for u in t.units)]
            if tasks:
                expected[(chapter, len(tasks), len({u.name for t in tasks for u in t.units if u.role == "lead"}),
                          len({x for t in tasks for x in t.supervisors}))] += 1
    got = Counter((str(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in run(s, find_named("tasks-per-chapter").text).rows)
    assert got == expected


def test_the_summary_graph_names_what_it_was_counted_from(store):
    rows = run(store, """SELECT ?from ?build WHERE {
      GRAPH ?g { ?g a rk:Summary ; prov:wasDerivedFrom ?from } ?g prov:wasGeneratedBy ?build }""").rows
    graphs = {str(r[0]) for r in rows}
    assert {g.rsplit("/", 2)[-2] for g in graphs} == {"id", "plan", "report"}  # id/inferred
    assert len(graphs) == 6 and {str(r[1]) for r in rows} == {"https://w3id.org/respkg/id/build"}


def test_a_store_without_the_summary_graph_says_to_rebuild(tmp_path):
    from kg.build import load_documents, named_graphs
    from kg.graph.summary import summary_iri
    from kg.sparql.query import check_summary

    old = OxigraphStore(tmp_path / "old")
    old.replace_graphs((iri, t) for iri, t in named_graphs(load_documents(None)) if iri != summary_iri())
    with pytest.raises(QueryError, match="older respkg.*run kg build again"):
        check_summary(old, find_named("tasks-per-chapter"))
    check_summary(old, find_named("tasks-led-by"))  # a query that does not read the summary answers as before


def test_findings_by_kind(store, docs):
    """The findings in the graph are the table's (parser and text readings) and the reports'."""
    found = plan_findings(docs.plans[0]) + [f for r in docs.reports for f in r.findings]
    rows = {(r[0], r[1]): r[2:] for r in ask(store, "findings-by-kind")}
    assert {k: v[0] for k, v in rows.items()} == dict(Counter((f.kind, f.severity) for f in found))
    for (kind, severity), (_, numbers) in rows.items():
        tasks = {str(f.task) if f.task else "-" for f in found if (f.kind, f.severity) == (kind, severity)}
        assert set(numbers.split()) == tasks


def test_plan_comparison_of_a_plan_with_itself(store, seed):
    rows = {r[0]: r[1:] for r in ask(store, "plan-comparison", a="晋政文〔2021〕16号", b="晋政文〔2021〕16号")}
    led = Counter(t.units[0].name for t in seed.tasks)
    supported = Counter(u.name for t in seed.tasks for u in t.supports)
    assert rows == {u: (led[u], led[u], supported[u], supported[u]) for u in set(led) | set(supported)}


def test_tasks_mentioning(store, seed):
    rows = ask(store, "tasks-mentioning", word="人才")
    assert [r[0] for r in rows] == [t.no for t in seed.tasks if "人才" in t.text]


EXAMPLES = {"unit": "工信局", "person": "林永红", "leader": "庄天怀", "section": "一、狠抓科技创新", "min": "3",
            "word": "人才", "a": "晋政文〔2021〕16号", "b": "晋政文〔2021〕16号", "measure": "高层次人才", "asOf": "2021-09-30", "no": "3", "year": "2024"}


def normal(rows):
    """Rows with the order inside concatenated lists ignored (SPARQL leaves it open)."""
    def cell(v):
        if v is None or v == "":
            return ""
        if isinstance(v, str) and ("; " in v or re.fullmatch(r"[\d\- ]+", v)):
            return tuple(sorted(re.split(r"; | ", v)))
        return v
    return sorted(str(tuple(cell(v) for v in row)) for row in rows)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_memory_store_gives_the_same_answers(store, memory, name):
    """rdflib's engine and Oxigraph agree on every named query (catches engine-specific SPARQL)."""
    params = {p.name: EXAMPLES[p.name] for p in find_named(name).params if p.default is None}

    assert normal(ask(store, name, **params)) == normal(ask(memory, name, **params))


PLAIN = Path(__file__).parent / "data" / "plain-queries"


@pytest.mark.parametrize("name", sorted(p.stem for p in PLAIN.glob("*.rq")))
def test_reshaped_queries_answer_as_their_plain_forms(name, store, synth_store):
    """A named query reshaped for stores of many plans (docs/sparql.md, "Query shapes over many
    plans") gives the rows of its straightforward form, on the bundled graphs and on eighteen
    synthetic plans."""
    nq = find_named(name)
    plain = (PLAIN / f"{name}.rq").read_text(encoding="utf-8")
    first = synth_store[1][0].tasks[0]
    synth_examples = {**EXAMPLES, "person": first.units[0].heads[0], "section": first.chapter}
    rows = 0
    for s, examples in ((store, EXAMPLES), (synth_store[0], synth_examples)):
        bindings = resolve_params(s, nq, {p.name: examples[p.name] for p in nq.params if p.default is None})
        reshaped = run(s, nq.text, bindings).rows
        assert normal(reshaped) == normal(run(s, plain, bindings).rows)
        rows += len(reshaped)
    assert rows > 0


def test_parameters_are_bound_not_spliced(store):
    before = run(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    with pytest.raises(QueryError, match="no unit named .*did you mean 工信局"):
        ask(store, "tasks-led-by", unit='工信局" } ; DROP ALL ; #')
    assert ask(store, "tasks-mentioning", word='人才" ) } ; DROP ALL ; #') == []
    assert run(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == before


@pytest.mark.parametrize("params, message", [
    ({}, "needs --param unit="),
    ({"unit": "工信局", "colour": "red"}, "has no parameter colour"),
    ({"unit": "工信"}, "no unit named '工信' in the graph; did you mean 工信局"),
])
def test_parameter_errors(store, params, message):
    nq = find_named("tasks-led-by")
    with pytest.raises(QueryError, match=message):
        resolve_params(store, nq, params)


def test_unknown_named_query_lists_close_matches():
    with pytest.raises(QueryError, match="did you mean tasks-led-by"):
        find_named("task-led-by")


@pytest.mark.parametrize("update", ["DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                    "PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }", "CLEAR DEFAULT"])
def test_updates_are_refused(store, update):
    with pytest.raises(QueryError, match="SPARQL Update.*kg build"):
        run(store, update)


def test_a_select_mentioning_insert_in_a_literal_is_not_an_update(store):
    assert run(store, 'SELECT ?x WHERE { BIND("INSERT DATA" AS ?x) }').rows == [(Literal("INSERT DATA"),)]


@pytest.mark.parametrize("which", ["store", "memory"])
def test_syntax_error_points_at_line_and_column(request, which):
    s = request.getfixturevalue(which)
    # rdflib stops at the incomplete triple (line 3), Oxigraph at the brace after it (line 4)
    with pytest.raises(QueryError, match=r"line [34], column \d+: .* — in: '(\?x \?y|\})'"):
        run(s, "SELECT ?x\nWHERE {\n?x ?y\n}")


# -- the dataset: FROM / FROM NAMED, and the protocol's graphs, against counts from the named graphs

PLAN = "https://w3id.org/respkg/id/plan/晋政文-2021-16"
REPORT = "https://w3id.org/respkg/id/report/000_c3fe6d6e6d407948"
NONE = "http://example.org/none"


@pytest.fixture(scope="module")
def sizes():
    """The number of triples of each named graph, counted in Python over the built Dataset."""
    ds = dataset_from(None)[0]
    return {str(g.identifier): len(g) for g in ds.graphs() if len(g) and not str(g.identifier).startswith("urn:x-rdflib")}


def count(store, sparql, dataset=None):
    return int(run(store, sparql, dataset=dataset).rows[0][0])


@pytest.mark.parametrize("which", ["store", "memory"])
def test_from_defines_the_default_graph(request, which, sizes):
    s = request.getfixturevalue(which)
    ds = dataset_from(None)[0]
    union = {t for g in ds.graphs() for t in g}
    # no FROM: the union of the named graphs (distinct triples: Oxigraph's union keeps a triple
    # of two graphs twice, and so does its merge of two FROM graphs)
    assert count(s, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT * { ?s ?p ?o } }") == len(union)
    assert count(s, f"SELECT (COUNT(*) AS ?n) FROM <{REPORT}> WHERE {{ ?s ?p ?o }}") == sizes[REPORT]
    assert count(s, f"SELECT (COUNT(*) AS ?n) FROM <{NONE}> WHERE {{ ?s ?p ?o }}") == 0
    both = f"SELECT (COUNT(*) AS ?n) FROM <{PLAN}> FROM <{REPORT}> WHERE {{ SELECT DISTINCT * {{ ?s ?p ?o }} }}"
    assert count(s, both) == len(set(ds.graph(URIRef(PLAN))) | set(ds.graph(URIRef(REPORT))))
    # FROM NAMED alone: the named graphs are those, the default graph is empty
    assert count(s, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{REPORT}> WHERE {{ ?s ?p ?o }}") == 0
    graphs = run(s, f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{REPORT}> FROM NAMED <{NONE}> "
                    "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    assert [(str(g), int(n)) for g, n in graphs] == [(REPORT, sizes[REPORT])]
    # FROM without FROM NAMED: no named graphs
    assert run(s, f"SELECT ?g FROM <{REPORT}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1").rows == []


@pytest.mark.parametrize("which", ["store", "memory"])
def test_the_protocol_dataset_replaces_from(request, which, sizes):
    s = request.getfixturevalue(which)
    plain = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert count(s, plain, QueryDataset(default=(REPORT,))) == sizes[REPORT]
    assert count(s, plain, QueryDataset(default=(NONE,))) == 0
    assert count(s, plain, QueryDataset(named=(REPORT,))) == 0
    # both given: the protocol's graphs win over the query's FROM
    assert count(s, f"SELECT (COUNT(*) AS ?n) FROM <{PLAN}> WHERE {{ ?s ?p ?o }}", QueryDataset(default=(REPORT,))) \
        == sizes[REPORT]
    graphs = run(s, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                 dataset=QueryDataset(default=(PLAN,), named=(REPORT, NONE))).rows
    assert [(str(g), int(n)) for g, n in graphs] == [(REPORT, sizes[REPORT])]


def test_a_protocol_graph_must_be_an_iri():
    with pytest.raises(QueryError, match="not an absolute IRI"):
        QueryDataset(default=("no iri",))


@pytest.mark.parametrize("which", ["store", "memory"])
def test_relative_iris_resolve_against_the_base(request, which):
    s = request.getfixturevalue(which)
    rows = run(s, "CONSTRUCT { <s> <p> <o> } WHERE {}", base_iri="http://127.0.0.1:7878/sparql").rows
    assert [tuple(map(str, r)) for r in rows] == [("http://127.0.0.1:7878/s", "http://127.0.0.1:7878/p",
                                                    "http://127.0.0.1:7878/o")]
