"""Several plans in one graph: reconciliation within a government, apart across governments, and the diff.

The two Yongchun plans in tests/data/plans/ were written for this test; the expected
figures below are counted by hand from them.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from kg.build import build, load_sources
from kg.cli import main
from kg.graph.namespaces import DEFAULT_BASE
from kg.analysis.plans import PlanError, diff_plans, reconciliation
from kg.sparql.query import run
from kg.store.embedded import OxigraphStore

PLANS = "tests/data/plans/"
A, B = PLANS + "yongchun_2021.txt", PLANS + "yongchun_2022.txt"
NINGHUA = "tests/data/layouts/inline_ninghua.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = OxigraphStore(tmp_path_factory.mktemp("plans") / "s")
    build([A, B, NINGHUA, "data/raw/004_89d412a27e51e6a9.txt"], s)
    return s


def test_same_name_same_government_is_one_entity(store):
    rows = run(store, "SELECT DISTINCT ?u WHERE { ?t rk:lead|rk:support ?u . ?u rdfs:label \"县财政局\"@zh }").rows
    assert sorted(str(r[0]) for r in rows) == [DEFAULT_BASE + "宁化县/unit/县财政局", DEFAULT_BASE + "永春县/unit/县财政局"]
    per_plan = run(store, """SELECT ?plan (COUNT(DISTINCT ?t) AS ?n) WHERE {
        ?t rk:support <https://w3id.org/respkg/id/永春县/unit/县财政局> ; dcterms:isPartOf+ ?plan . ?plan a rk:Plan }
        GROUP BY ?plan ORDER BY ?plan""").rows
    assert [(str(p).rsplit("/", 1)[-1], int(n)) for p, n in per_plan] == [("永政办-2021-18", 2), ("永政办-2022-9", 3)]
    assert (URIRef(DEFAULT_BASE + "jinjiang/unit/科技局"),) in run(store, "SELECT ?u WHERE { ?u rdfs:label \"科技局\"@zh }").rows


def test_reconciliation_findings():
    findings = reconciliation(load_sources([A, B, NINGHUA]))
    by_kind = {(f.kind, f.message.split(" ")[1]): f for f in findings}
    reconciled = by_kind[("reconciled", "unit")]
    assert "永春县" in reconciled.message and "永政办-2021-18, 永政办-2022-9" in reconciled.message
    assert set(reconciled.evidence[0].split("、")) == {"县发改局", "县财政局", "县统计局", "县工信局", "县教育局"}
    apart = by_kind[("kept-apart", "unit")]
    assert set(apart.evidence[0].split("、")) == {"县发改局", "县财政局", "县教育局", "县住建局", "县民政局"}


def test_diff_against_hand_counted_figures(store):
    d = diff_plans(store, "永政办〔2021〕18号", "永政办-2022-9")
    units = {u: (la, lb, sa, sb, change) for u, la, lb, sa, sb, change in d.units}
    assert units == {
        "县发改局": (2, 1, 0, 0, -1.0), "县财政局": (0, 0, 2, 3, 0.5), "县统计局": (0, 0, 2, 1, -0.5),
        "县住建局": (1, 0, 1, 0, -1.5), "县工信局": (1, 1, 0, 0, 0.0), "县教育局": (1, 1, 0, 0, 0.0),
        "县商务局": (0, 1, 0, 1, 1.5), "县民政局": (0, 1, 0, 0, 1.0),
    }
    assert d.units[0][0] in ("县住建局", "县商务局")  # the largest changes first
    assert (d.new_units, d.gone_units) == (["县商务局", "县民政局"], ["县住建局"])
    assert [(i, j) for i, j, *_ in d.carried] == [(1, 1), (3, 2), (4, 4)]
    assert dict(((i, j), s) for i, j, s, *_ in d.carried)[(4, 4)] == 1.0
    assert (d.only_a, d.only_b) == ([2, 5], [3, 5])
    assert d.leaders == []


def test_plan_comparison_query_against_hand_counted_figures(store):
    from kg.sparql.query import display, find_named, resolve_params

    nq = find_named("plan-comparison")
    bound = resolve_params(store, nq, {"a": "永政办〔2021〕18号", "b": "永政办〔2022〕9号"})
    rows = {r[0]: r[1:] for r in display(store, run(store, nq.text, bound))[1]}
    assert rows == {"县发改局": (2, 1, 0, 0), "县财政局": (0, 0, 2, 3), "县统计局": (0, 0, 2, 1), "县住建局": (1, 0, 1, 0),
                    "县工信局": (1, 1, 0, 0), "县教育局": (1, 1, 0, 0), "县商务局": (0, 1, 0, 1), "县民政局": (0, 1, 0, 0)}


def test_diff_errors(store):
    with pytest.raises(PlanError, match="no plan '永政办-2023-1' in the graph; did you mean"):
        diff_plans(store, "永政办-2021-18", "永政办-2023-1")
    with pytest.raises(PlanError, match="different governments"):
        diff_plans(store, "永政办-2021-18", "晋政文-2021-16")


def test_report_diff_and_quality_commands(store, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["report", "diff", "永政办-2021-18", "永政办-2022-9", "--format", "json",
                                  "--store-dir", str(store.path)], prog_name="kg")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    carried = next(v for k, v in doc.items() if k.startswith("tasks carried over"))
    assert [(r["no A"], r["no B"]) for r in carried] == [(1, 1), (3, 2), (4, 4)]
    bad = runner.invoke(main, ["report", "diff", "x", "y", "--store-dir", str(store.path)], prog_name="kg")
    assert bad.exit_code == 1 and "no plan 'x'" in bad.stderr
    quality = runner.invoke(main, ["quality", A, B, "--kind", "reconciled", "--format", "json"], prog_name="kg")
    assert quality.exit_code == 0
    sections = json.loads(quality.stdout)
    assert [f["kind"] for f in next(v for k, v in sections.items() if "reconciling" in k)] == ["reconciled"]


def test_load_report_of_one_plan_counts_that_plan_only(store):
    """`kg report load --plan`: the units' led and supported tasks of plan A alone (counted from its
    records), though the store holds four plans; an unknown plan is a clear error."""
    from collections import Counter

    from kg.graph.plan import plan_key

    [a] = load_sources([A])
    result = CliRunner().invoke(main, ["report", "load", "--by", "unit", "--plan", plan_key(a), "--format", "json",
                                       "--store-dir", str(store.path)])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)["rows"]}
    led = Counter(u.name for t in a.tasks for u in t.leads)
    supported = Counter(u.name for t in a.tasks for u in t.supports)
    assert {n: (r["led"], r["supported"]) for n, r in rows.items()} == \
        {n: (led[n], supported[n]) for n in set(led) | set(supported)}
    bad = CliRunner().invoke(main, ["report", "load", "--plan", "永政办-2020-1", "--store-dir", str(store.path)])
    assert bad.exit_code == 1 and "no plan '永政办-2020-1'" in bad.output and "Traceback" not in bad.output
