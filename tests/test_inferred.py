"""The reports and the inferred graph in a build: statements, officials, suggested units, target
links; `kg report targets` and `kg report timeline`; inferred links never in the load figures."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS

from kg.build import assemble, build, load_documents
from kg.cli import main
from kg.graph.namespaces import DEFAULT_BASE, RK
from kg.resources import data_dir, default_source
from kg.store.embedded import OxigraphStore
from kg.graph.validate import union_graph
from tests.helpers import assert_clean_error

INFERRED = URIRef(DEFAULT_BASE + "inferred")
PLAN = URIRef(DEFAULT_BASE + "plan/晋政文-2021-16")


@pytest.fixture(scope="module")
def docs():
    return load_documents(None)


@pytest.fixture(scope="module")
def ds(docs):
    return assemble(docs)


@pytest.fixture(scope="module")
def union(ds):
    return union_graph(ds)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inferred") / "store"
    build(None, OxigraphStore(folder))
    return folder


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _label(g, node) -> str:
    return str(g.value(node, RDFS.label))


def test_inferred_links_live_in_their_own_graph_and_nowhere_else(ds):
    """Suggestions and target links are only in …/inferred; no plan or report graph holds them."""
    inferred = ds.graph(INFERRED)
    assert set(inferred.subjects(RDF.type, RK.Suggestion)) and set(inferred.subjects(RDF.type, RK.TargetLink))
    for g in ds.graphs():
        if g.identifier != INFERRED:
            assert not set(g.subjects(RDF.type, RK.Suggestion)) and not set(g.subjects(RDF.type, RK.TargetLink))
            assert not set(g.triples((None, RK.suggestion, None)))


def test_a_suggestion_is_derived_from_the_table_tasks_that_voted(union, docs):
    """Every suggestion names 2021 tasks as evidence, and each of those tasks has that unit in that role."""
    tasks = {t.no: t for t in docs.plans[0].tasks}
    for s in union.subjects(RDF.type, RK.Suggestion):
        unit = _label(union, union.value(s, RK.suggestedUnit))
        role = "lead" if union.value(s, RK.suggestedRole) == RK.Lead else "support"
        for task in union.objects(s, PROV.wasDerivedFrom):
            no = int(union.value(task, RK.number))
            assert (unit, role) in {(u.name, u.role) for u in tasks[no].units}, (s, no)
        assert 0 <= float(union.value(s, RK.score)) <= 1


def test_an_education_item_of_2025_gets_the_education_bureau_first(union):
    """002's 2025 item 强化优质均衡供给 (schools, hospitals): 教育局 or 卫健局 lead suggestions."""
    [item] = [s for s in union.subjects(RDF.type, RK.PlannedTask) if "强化优质均衡供给" in _label(union, s)]
    leads = {_label(union, union.value(sg, RK.suggestedUnit)) for sg in union.objects(item, RK.suggestion)
             if union.value(sg, RK.suggestedRole) == RK.Lead}
    assert {"教育局", "卫健局"} <= leads


def test_the_talent_target_is_linked_across_2021_2024_and_2025(union):
    """新增各类高层次人才600人 (2021 task 10) → 引育…3564名 (2024 result) → 新增认定各类高层次人才500名 (2025)."""
    links = {(_label(union, union.value(link, RK.earlier)), _label(union, union.value(link, RK.later))):
             float(union.value(link, RK.score)) for link in union.subjects(RDF.type, RK.TargetLink)}
    a, b, c = "新增各类高层次人才600人", "引育各类高层次人才、技能人才3564名", "新增认定各类高层次人才500名"
    assert links[(a, c)] >= 0.9 and links[(a, b)] >= 0.6 and links[(b, c)] >= 0.6
    assert all(0.6 <= s <= 1 for s in links.values())


def test_a_digest_official_is_the_same_person_as_the_table_head(union):
    """000 names 商务局局长蔡伟达; the 2021 table names 蔡伟达 as 商务局's head: one person, one unit."""
    posts = [p for p in union.subjects(RDF.type, ORG.Post) if _label(union, p) == "商务局局长"]
    assert len(posts) == 1
    person, unit = union.value(posts[0], ORG.heldBy), union.value(posts[0], ORG.postIn)
    assert _label(union, person) == "蔡伟达" and _label(union, unit) == "商务局"
    assert (person, ORG.headOf, unit) in union  # the table alone already says so; the post is evidence
    assert "商务局局长蔡伟达" in str(union.value(posts[0], RK.evidence))


def test_report_statements_are_typed_by_kind_with_their_year(union, docs):
    counts = {cls: len(set(union.subjects(RDF.type, cls))) for cls in (RK.Result, RK.Goal, RK.Priority)}
    kinds = [s.kind for r in docs.reports for s in r.statements]
    assert counts == {RK.Result: kinds.count("result"), RK.Goal: kinds.count("goal"), RK.Priority: kinds.count("priority")}
    [item] = [s for s in union.subjects(RDF.type, RK.PlannedTask) if _label(union, s).startswith("2.1.1 ")]
    assert str(union.value(item, URIRef("http://purl.org/dc/terms/temporal"))) == "2025"


def test_inferred_links_stay_out_of_the_load_figures(store_dir, tmp_path):
    """The unit load table of the full build equals that of the table alone: suggestions add nothing."""
    table_only = tmp_path / "table"
    assert invoke("build", default_source(), "--store-dir", table_only).exit_code == 0
    full = invoke("report", "load", "--by", "unit", "--format", "csv", "--store-dir", store_dir)
    alone = invoke("report", "load", "--by", "unit", "--format", "csv", "--store-dir", table_only)
    assert full.exit_code == alone.exit_code == 0 and full.stdout == alone.stdout


# --- kg report targets / timeline -------------------------------------------------------


def test_report_targets_of_a_unit_by_its_chinese_name(store_dir, docs):
    """科技局's targets: those of the tasks it leads or supports, counted from the records' texts."""
    from kg.read.reading import read

    result = invoke("report", "targets", "--unit", "科技局", "--format", "json", "--store-dir", store_dir)
    assert result.exit_code == 0, result.output
    import json

    [(title, rows)] = json.loads(result.stdout).items()
    expected = sum(len(read(t.text).targets) for t in docs.plans[0].tasks if "科技局" in {u.name for u in t.units})
    assert len(rows) == expected and title.endswith(f"({expected})")
    assert {"task": 1, "role": "牵头", "measure": "认定国家高新技术企业", "value": "100", "unit": "家",
            "comparator": "以上", "kind": "count", "read from": "认定国家高新技术企业100家以上"} in rows


def test_report_targets_of_a_person_and_all(store_dir, docs):
    from kg.read.reading import read

    out = invoke("report", "targets", "--person", "庄天怀", "--format", "csv", "--store-dir", store_dir)
    assert out.exit_code == 0 and "认定国家高新技术企业100家以上" in out.stdout
    everything = invoke("report", "targets", "--format", "csv", "--store-dir", store_dir)
    from kg.graph.report import split_statement

    texts = [t.text for t in docs.plans[0].tasks]
    texts += [text for r in docs.reports for s in r.statements for _, text in split_statement(s, "x")]
    assert len(everything.stdout.strip().splitlines()) == 2 + sum(len(read(t).targets) for t in texts)  # title, header


def test_report_targets_bad_names_and_options(store_dir):
    assert_clean_error(invoke("report", "targets", "--unit", "科技", "--store-dir", store_dir), "no unit named", "科技局")
    assert_clean_error(invoke("report", "targets", "--person", "庄天", "--store-dir", store_dir), "庄天怀")
    result = invoke("report", "targets", "--unit", "科技局", "--person", "庄天怀", "--store-dir", store_dir)
    assert result.exit_code == 2 and "give one of --unit, --person and --measure" in result.output


def test_report_timeline_follows_a_measure(store_dir):
    result = invoke("report", "timeline", "--measure", "高层次人才", "--format", "csv", "--store-dir", store_dir)
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    years = [r.split(",")[0] for r in rows[2:]]
    assert years == sorted(years) and {"2021", "2024", "2025"} <= set(years)
    assert "新增各类高层次人才600人" in result.stdout and "新增认定各类高层次人才500名" in result.stdout
    assert_clean_error(invoke("report", "timeline", "--measure", "不存在的指标", "--store-dir", store_dir),
                       "不存在的指标", "kg report targets")


# --- reports as build inputs ------------------------------------------------------------


def test_build_reads_a_report_given_as_a_file(tmp_path):
    """A report among FILES becomes its graph; a prose file that is neither table nor report is an error."""
    report = data_dir() / "raw" / "002_941dc8cd29ccd4b4.txt"
    result = invoke("build", default_source(), report, "--store-dir", tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert re.search(r"in 5 named graphs from 004_\w+\.txt, 002_\w+\.txt", result.stdout)
    (tmp_path / "prose.txt").write_text("今天天气很好。我们去公园散步。\n", encoding="utf-8")
    assert_clean_error(invoke("build", tmp_path / "prose.txt", "--store-dir", tmp_path / "s2"), "prose.txt")
    assert not (tmp_path / "s2").exists()


def test_quality_lists_a_reports_findings(docs):
    """kg quality on a report: its statements without a year, as the parser found them."""
    import json

    report = data_dir() / "raw" / "001_2c18fd1d60448225.txt"
    result = invoke("quality", report, "--format", "json")
    assert result.exit_code == 0, result.output
    [parsed] = [r for r in docs.reports if r.file == report.name]
    assert sorted(f["message"] for f in json.loads(result.stdout)) == sorted(f.message for f in parsed.findings)
    assert len(json.loads(result.stdout)) == len(parsed.findings) == 40
    assert {f["kind"] for f in json.loads(result.stdout)} == {"narrative-no-year"}


def test_load_with_inferred_counts_each_planned_item_for_its_best_suggestions(store_dir, union):
    """--inferred adds, for each unit, the planned items (not their target sentences) whose best
    lead suggestion it is (or a group it belongs to) to its led tasks; counted from the graph with rdflib."""
    import csv
    import io

    from rdflib.namespace import DCTERMS

    def led(*flags):
        result = invoke("report", "load", "--by", "unit", "--format", "csv", "--store-dir", store_dir, *flags)
        assert result.exit_code == 0, result.output
        return {r["name"]: int(r["led"]) for r in csv.DictReader(io.StringIO(result.stdout))}

    items = [t for t in union.subjects(RDF.type, RK.PlannedTask)
             if not any((p, RDF.type, RK.PlannedTask) in union for p in union.objects(t, DCTERMS.isPartOf))]
    best_units = [union.value(s, RK.suggestedUnit) for t in items for s in union.objects(t, RK.suggestion)
                  if union.value(s, RK.suggestedRole) == RK.Lead and int(union.value(s, RK.rank)) == 1]
    # a unit group loads each of its members, as for assigned tasks
    best = [_label(union, m) for u in best_units for m in (list(union.objects(u, RK.member)) or [u])]
    plain, more = led(), led("--inferred")
    assert best and {u: more[u] - plain.get(u, 0) for u in more if more[u] != plain.get(u, 0)} == \
        {u: best.count(u) for u in set(best)}
    note = invoke("report", "load", "--by", "unit", "--inferred", "--store-dir", store_dir).stdout
    assert f"Includes {len(items)} planned tasks" in note


def test_official_posts_count_the_table_rows_naming_the_same_head(store_dir, docs):
    """official-posts: every post the reports name, and for each how many table rows name that
    person as that unit's head (counted here from the records)."""
    import json

    result = invoke("query", "--name", "official-posts", "--format", "json", "--store-dir", store_dir)
    assert result.exit_code == 0, result.output
    rows = {(r["person"], r["post"]): r for r in json.loads(result.stdout)}
    mentions = {(m.person, m.unit + m.post): m for r in docs.reports for m in r.officials}
    assert set(rows) == set(mentions)
    for (person, _), row in rows.items():
        unit = row["unit"]
        expected = sum(1 for t in docs.plans[0].tasks for u in t.units if u.name == unit and person in u.heads)
        assert int(row["tableRows"]) == expected, (person, unit)
    assert int(rows[("蔡伟达", "商务局局长")]["tableRows"]) > 20
