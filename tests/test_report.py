"""Load figures on the seed against counts from the records, and the `kg report` commands."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from kg import names
from kg.build import build
from kg.cli import main
from kg.analysis.load import LoadParams, head_loads, leader_loads, unit_loads
from kg.analysis.network import typed_graph
from kg.views.report import ReportError, person_page, unit_page
from kg.store.embedded import OxigraphStore


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "s"
    build(None, OxigraphStore(path))
    return path


@pytest.fixture(scope="module")
def g(store_dir):
    return typed_graph(OxigraphStore(store_dir))


def by_name(rows):
    return {r["name"]: r for r in rows}


def test_tasks_per_city_leader_match_the_records(g, seed):
    expected = Counter(s for t in seed.tasks for s in t.supervisors)
    assert {name: r["tasks"] for name, r in by_name(leader_loads(g)).items()} == dict(expected)
    shared = Counter(s for t in seed.tasks if len(t.supervisors) > 1 for s in t.supervisors)
    fractional = Counter()
    for t in seed.tasks:
        for s in t.supervisors:
            fractional[s] += 1 / len(t.supervisors)
    for name, r in by_name(leader_loads(g)).items():
        assert r["shared"] == shared[name] and r["fractional"] == pytest.approx(fractional[name], abs=1e-4)


def test_tasks_each_unit_leads_match_the_records(g, seed):
    rows = by_name(unit_loads(g, LoadParams(expand_groups=False)))
    assert {n: r["led"] for n, r in rows.items() if r["led"]} == dict(Counter(t.units[0].name for t in seed.tasks))
    supported = Counter(u.name for t in seed.tasks for u in t.supports)
    assert {n: r["supported"] for n, r in rows.items() if r["supported"]} == dict(supported)


def test_group_expansion_loads_each_member(g, seed):
    rows = by_name(unit_loads(g))
    town_group_leads = sum(1 for t in seed.tasks if t.units[0].name == "各镇政府、街道办事处")
    town_group_any = sum(1 for t in seed.tasks if any(u.name == "各镇政府、街道办事处" for u in t.units))
    dept_leads = sum(1 for t in seed.tasks if t.units[0].name == "市政府工作部门")
    assert "各镇政府、街道办事处" not in rows and "市政府工作部门" not in rows
    anhai = [t for t in seed.tasks if any(u.name == "安海镇政府" for u in t.units)]
    assert rows["安海镇政府"]["tasks"] == len(anhai) + town_group_any
    assert rows["安海镇政府"]["led"] == sum(1 for t in anhai if t.units[0].name == "安海镇政府") + town_group_leads
    assert names.is_department("工信局")
    own = sum(1 for t in seed.tasks if t.units[0].name == "工信局")
    assert rows["工信局"]["led"] == own + dept_leads


def test_head_load_matches_the_records(g, seed):
    rows = by_name(head_loads(g))
    led = sum(1 for t in seed.tasks if "林永红" in t.units[0].heads)
    supported = sum(1 for t in seed.tasks if any("林永红" in u.heads for u in t.supports)) 
    r = rows["林永红"]
    assert (r["led"], r["supported"], r["weighted"]) == (led, supported, led + 0.5 * supported)
    assert rows["陈鹏"]["unplaced"] == 1 and rows["陈鹏"]["weighted"] == 0


def test_pages(g, seed):
    page = person_page(g, "庄天怀")
    assert page.title == "庄天怀（分管市领导）"
    assert [row[2] for row in page.tasks] == [t.no for t in seed.tasks if "庄天怀" in t.supervisors]
    head = person_page(g, "蒋家兴")
    assert {row[2] for row in head.tasks} == {t.no for t in seed.tasks if any("蒋家兴" in u.heads for u in t.units)}
    assert head.partners[0][1] >= head.partners[-1][1]
    unit = unit_page(g, "科技局")
    assert dict(unit.figures)["heads"].startswith("蒋家兴×")
    with pytest.raises(ReportError, match="no person named '庄天' in the graph; did you mean 庄天怀"):
        person_page(g, "庄天")


def run(store_dir, *args):
    result = CliRunner().invoke(main, [*args, "--store-dir", str(store_dir)], prog_name="kg")
    return result


@pytest.mark.parametrize("by, first", [("supervisor", "李自力"), ("head", "林永红"), ("unit", "工信局")])
@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_report_load_formats(store_dir, by, first, fmt):
    result = run(store_dir, "report", "load", "--by", by, "--format", fmt, "--top", "5")
    assert result.exit_code == 0, result.output
    assert first in result.stdout
    if fmt == "json":
        doc = json.loads(result.stdout)
        assert len(doc["rows"]) == 5 and doc["rows"][0]["name"] == first and 0 < doc["inequality"]["gini"] < 1
    if fmt == "csv":
        assert len(result.stdout.strip().splitlines()) == 6


def test_report_load_sort_and_bad_sort(store_dir):
    result = run(store_dir, "report", "load", "--by", "unit", "--sort", "partners", "--format", "json")
    rows = json.loads(result.stdout)["rows"]
    assert [r["partners"] for r in rows] == sorted((r["partners"] for r in rows), reverse=True)
    bad = run(store_dir, "report", "load", "--sort", "colour")
    assert bad.exit_code == 1 and "sort the supervisor table by one of" in bad.stderr


def test_report_pages_and_unknown_names(store_dir):
    result = run(store_dir, "report", "load", "--person", "庄天怀")
    assert result.exit_code == 0 and "庄天怀（分管市领导）" in result.stdout and "compared with the median" in result.stdout
    result = run(store_dir, "report", "load", "--unit", "工信局", "--format", "json")
    assert json.loads(result.stdout)["工信局"][0] == {"figure": "rank", "value": 1}
    bad = run(store_dir, "report", "load", "--unit", "工信")
    assert bad.exit_code == 1 and "no unit named '工信' in the graph; did you mean 工信局" in bad.stderr
    assert "Traceback" not in bad.output


def test_report_chart(store_dir, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "load.png"
    result = run(store_dir, "report", "load", "--chart", str(path))
    if result.exit_code == 1:
        assert "no font with Chinese characters" in result.stderr
        pytest.fail("no CJK font installed: scripts/browser.sh install installs fonts-noto-cjk")
    assert result.exit_code == 0 and path.stat().st_size > 10_000
    bad = run(store_dir, "report", "load", "--chart", str(tmp_path / "load.pdf"))
    assert bad.exit_code == 1 and ".svg or .png" in bad.stderr


@pytest.mark.parametrize("projection", ["units", "supervisors", "people"])
def test_report_network(store_dir, projection):
    result = run(store_dir, "report", "network", "--projection", projection, "--format", "json", "--top", "3")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    [central] = [v for k, v in doc.items() if k.startswith(projection)]
    metrics = {row["metric"] for row in central}
    notes = " ".join(row["note"] for row in doc.get("notes", []))
    assert metrics >= {"degree", "weighted_degree", "betweenness", "pagerank", "eigenvector"}
    assert "closeness" in metrics or "closeness: the graph has" in notes
    assert any(k.startswith("bridges") for k in doc)
    if projection != "supervisors":
        assert any(k.startswith("communities") for k in doc)


# ---------------------------------------------------------------- the loads the build counts into the summary graph

from kg.analysis.load import LOAD_ROWS, LOAD_TABLES, summary_loads  # noqa: E402
from kg.store.embedded import MemoryStore  # noqa: E402
from kg.resources import default_source as _seed_path  # noqa: E402
from pathlib import Path  # noqa: E402


DATA_PROGRESS = Path(__file__).parent / "data" / "progress" / "2021-q2.csv"


@pytest.fixture(scope="module")
def many_sources(tmp_path_factory):
    """Plans of two synthetic counties over two years each (heads and leaders recur across
    years), the seed with a progress source and the bundled reports, built in worker processes."""
    from kg import synth
    from kg.resources import default_reports

    folder = tmp_path_factory.mktemp("many")
    plans = synth.write_plans(synth.synthesize(counties=3, years=3, seed=5), folder)
    return [*plans, _seed_path(), *default_reports(), DATA_PROGRESS]


@pytest.fixture(scope="module")
def many_docs(many_sources):
    from kg.build import load_documents

    return load_documents(many_sources)


@pytest.fixture(scope="module")
def many_store(many_sources, tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("many-store") / "store")
    summary = build(many_sources, store, processes=2)
    assert summary.progress and summary.graphs > 12
    return store


def _graph_rows(store, by, params):
    return LOAD_TABLES[by][0](typed_graph(store), params)


@pytest.mark.parametrize("params", [LoadParams(), LoadParams(lead=2.0, support=0.25)])
@pytest.mark.parametrize("by", sorted(LOAD_ROWS))
def test_the_summary_loads_are_the_loads_counted_from_the_graph(store_dir, many_store, by, params):
    """Every row, figure, name, kind and rank read from the summary graph is the one the typed
    graph of the whole store gives: bundled data, and plans built in workers with recurring holders."""
    for store in (OxigraphStore(store_dir), many_store):
        rows = summary_loads(store, by, params)
        assert rows == _graph_rows(store, by, params) and len(rows) > 10


def test_the_summary_loads_of_the_memory_store():
    store = MemoryStore()
    build(None, store)
    assert summary_loads(store, "head") == _graph_rows(store, "head", LoadParams())


def test_the_summary_leader_loads_match_the_records(many_store, many_docs):
    """Each city leader's tasks from the summary graph against the records of every plan built:
    a leader is one per government (the same name in two counties is two people)."""
    from kg.graph.plan import government_key

    expected = Counter()
    for plan in many_docs.plans:
        for t in plan.tasks:
            expected.update((government_key(plan), s) for s in dict.fromkeys(t.supervisors))
    rows = summary_loads(many_store, "supervisor")
    got = Counter({(r["iri"].split("/id/")[1].split("/")[0], r["name"]): r["tasks"] for r in rows})
    assert got == expected and len(got) > 40


def test_no_expand_groups_is_counted_from_the_graph(store_dir):
    assert summary_loads(OxigraphStore(store_dir), "unit", LoadParams(expand_groups=False)) is None
    result = run(store_dir, "report", "load", "--by", "unit", "--no-expand-groups", "--format", "json")
    rows = json.loads(result.stdout)["rows"]
    assert "各镇政府、街道办事处" in {r["name"] for r in rows} and "note:" not in result.stderr


def test_report_load_on_a_store_without_load_figures_counts_them_and_says_so(store_dir, tmp_path):
    """A store built by an older respkg (a summary graph without loads): the same table, counted
    from the whole graph, with a note on stderr to rebuild."""
    import pyoxigraph as ox

    old = tmp_path / "old"
    build(None, OxigraphStore(old))
    before = {by: run(old, "report", "load", "--by", by, "--format", "json").stdout for by in LOAD_ROWS}
    writable = ox.Store(str(OxigraphStore(old).current.resolve()))
    writable.update("PREFIX rk: <https://w3id.org/respkg#> DELETE { GRAPH ?g { ?row ?p ?o } } WHERE { "
                    "VALUES ?class { rk:HeadLoad rk:LeaderLoad rk:UnitLoad } GRAPH ?g { ?row a ?class ; ?p ?o } }")
    writable.flush()
    del writable
    assert summary_loads(OxigraphStore(old), "head") is None
    for by in LOAD_ROWS:
        result = run(old, "report", "load", "--by", by, "--format", "json")
        assert result.exit_code == 0 and result.stdout == before[by]
        assert "holds no load figures (built by an older respkg)" in result.stderr and "run kg build again" in result.stderr


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.views import tables  # noqa: E402

_CELLS = st.one_of(st.integers(-10**6, 10**6), st.floats(0, 1000, allow_nan=False),
                   st.text(alphabet="李自力庄天怀工信局、abcXYZ09（）", max_size=10))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=3, max_size=3), max_size=25))
def test_a_long_table_is_drawn_as_rich_draws_it(rows):
    """The direct drawing of long tables (a thousand counties' leaders) is rich's box and rows,
    Chinese widths included, wherever rich need not fold a column."""
    columns = ["rank", "名称", "tasks"]
    drawn = tables._drawn(columns, [[tables._cell(v) for v in r] for r in rows], None)
    assert drawn == tables._table(columns, rows, None, 400)


def test_report_load_of_many_rows_draws_them_directly(store_dir, monkeypatch):
    monkeypatch.setattr(tables, "DRAWN_FROM", 10)
    drawn = run(store_dir, "report", "load", "--by", "unit")
    monkeypatch.setattr(tables, "DRAWN_FROM", 10**9)
    laid_out = run(store_dir, "report", "load", "--by", "unit")
    assert drawn.exit_code == laid_out.exit_code == 0
    def box(text):
        return [line for line in text.splitlines() if line.startswith(("│", "┃", "┏", "┡", "└"))]

    assert len(box(laid_out.stdout)) == 117 + 4 and box(drawn.stdout) == box(laid_out.stdout)
    assert drawn.stdout.splitlines()[-1] == laid_out.stdout.splitlines()[-1]  # the same inequality line


def test_the_group_note_counts_the_groups_of_many_plans():
    from kg.views.report import NAMED_GROUPS, group_note

    few = group_note([("各镇政府", 19), ("专项小组", 0)], LoadParams())
    assert few.endswith("专项小组 (members unknown: counted as itself); 各镇政府 → 19 units.")
    many = group_note([(f"组{i}", i % 3) for i in range(NAMED_GROUPS + 12)], LoadParams())
    assert many.endswith("20 groups: 13 load their members (19 units in all); 7 have members unknown and count as "
                         "themselves.")
    assert group_note([("组", 3)], LoadParams(expand_groups=False)).startswith("Unit groups are counted as units")
