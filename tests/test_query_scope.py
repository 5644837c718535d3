"""`kg query --plan / --government`: a query over some plans of a store holding several.

The scope is right when a named query answers over it exactly as over a store holding only
those plans' graphs and their progress reports' (built here from the same sources, on their
own): so for every named query's example, the scoped answer of the store of four plans, two
governments' reports and a progress source equals the answer of such a store; the queries
with a plan column also equal the full store's rows of those plans; and a few counts are
counted again from the parsed records.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter

import pytest
from click.testing import CliRunner

from kg.graph.summary import summary_iri
from kg.analysis.plans import PlanError, plan_scope
from kg.build import load_documents, named_graphs
from kg.cli import main
from kg.errors import QueryError
from kg.graph.plan import plan_key
from kg.graph.progress import progress_triples
from kg.resources import default_reports, default_source
from kg.sparql.query import named_queries, resolve_params, run
from kg.store.embedded import OxigraphStore
from tests.helpers import assert_clean_error

YONGCHUN = ["tests/data/plans/yongchun_2021.txt", "tests/data/plans/yongchun_2022.txt"]
NINGHUA = "tests/data/layouts/inline_ninghua.txt"
SEED = str(default_source())
PROGRESS = "tests/data/progress/2021-q2.csv"
REPORT = str(default_reports()[0])  # the 2024 work report: a report graph and suggestions in …/inferred

#: Each scope: the options that choose it, and the sources of a store holding just those plans
#: (None: compared with the full store's rows only).
SCOPES = {
    "jinjiang-plan": ({"plans": ["晋政文-2021-16"]}, [SEED, PROGRESS]),
    "yongchun-government": ({"governments": ["永春县人民政府"]}, YONGCHUN),
    "two-governments": ({"plans": ["宁政〔2021〕7号"], "governments": ["晋江市人民政府"]}, None),
}
EXAMPLES = {name: q for name, q in named_queries().items() if q.example}


def _plans_only(folder, sources):
    """A store of the plans' and progress reports' graphs of ``sources``, and the summary of
    their counts, nothing else."""
    from kg.graph.summary import chapter_counts, summary_triples

    docs = load_documents(sources)
    keep = {iri for iri, _ in (progress_triples(p) for p in docs.progress)}
    kept = [(iri, t) for iri, t in named_graphs(docs) if "/plan/" in str(iri) or iri in keep]
    store = OxigraphStore(folder)
    store.replace_graphs([*kept, summary_triples([(iri, chapter_counts(t)) for iri, t in kept])])
    return store


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    root = tmp_path_factory.mktemp("scope")
    full = OxigraphStore(root / "full")
    from kg.build import build

    build([*YONGCHUN, NINGHUA, SEED, PROGRESS, REPORT], full)
    alone = {name: _plans_only(root / name, sources) for name, (_, sources) in SCOPES.items() if sources}
    return full, alone


@pytest.fixture(scope="module")
def datasets(stores):
    return {name: plan_scope(stores[0], **options) for name, (options, _) in SCOPES.items()}


def _example_params(example: str) -> dict[str, str]:
    words = shlex.split(example)
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "--param")


def _concatenated(text: str) -> set[str]:
    """The columns a GROUP_CONCAT fills (directly or through COALESCE): their order is the engine's."""
    found = set(re.findall(r"GROUP_CONCAT\(.*?\)\s+AS\s+\?(\w+)", text, re.S))
    found |= {w for v, w in re.findall(r"COALESCE\(\?(\w+),[^)]*\)\s+AS\s+\?(\w+)", text) if v in found}
    return found


def _answer(store, name: str, dataset=None):
    """The example's rows as a multiset (order among ties, and within a GROUP_CONCAT, is the
    engine's), or its error."""
    q = EXAMPLES[name]
    try:
        bindings = resolve_params(store, q, _example_params(q.example), dataset)
    except QueryError as exc:
        return "error", str(exc).replace("in the chosen plans", "in the graph")
    result = run(store, q.text, bindings, dataset=dataset)
    lists = [c in _concatenated(q.text) for c in result.columns]
    return result.columns, Counter(tuple(tuple(sorted(re.split(r"; | ", str(v)))) if is_list and v is not None else v
                                         for v, is_list in zip(row, lists)) for row in result.rows)


# the union of two governments' plans is checked by the tests below (the examples' names are
# the seed's, so over it they would ask the jinjiang scope's questions again, at twice the time)
@pytest.mark.parametrize("scope", [name for name, (_, sources) in SCOPES.items() if sources])
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_named_query_answers_over_the_scope_as_over_those_plans_alone(stores, datasets, scope, name):
    full, alone = stores
    assert _answer(full, name, datasets[scope]) == _answer(alone[scope], name)


def test_the_scope_is_the_plans_graphs_and_their_progress_reports(stores):
    full, _ = stores
    ds = plan_scope(full, plans=["晋政文〔2021〕16号"])
    summary = str(summary_iri())
    assert ds.default == (*ds.named, summary)  # the build's counts are read, not named
    assert {g.rsplit("/", 2)[-2] for g in ds.named} == {"plan", "progress"}
    assert len(ds.named) == 2
    yongchun = plan_scope(full, governments=["永春县"])
    assert sorted(g.rsplit("/", 1)[-1] for g in yongchun.named) == ["永政办-2021-18", "永政办-2022-9"]
    assert yongchun.default == (*yongchun.named, summary)
    # the same government by its label, its key, or its name without 人民政府 / 办公室
    for name in ("永春县人民政府办公室", "永春县人民政府"):
        assert plan_scope(full, governments=[name]) == yongchun
    assert plan_scope(full, governments=["jinjiang"]) == plan_scope(full, governments=["晋江市"]) == ds


@pytest.mark.parametrize("name", ["task-status", "not-reported", "overdue-tasks", "tasks-behind", "task-history"])
def test_queries_with_a_plan_column_give_the_full_stores_rows_of_those_plans(stores, datasets, name):
    full, _ = stores
    for dataset in datasets.values():
        columns, scoped = _answer(full, name, dataset)
        _, every = _answer(full, name)
        at = columns.index("plan")
        assert scoped == Counter({row: n for row, n in every.items() if str(row[at]) in dataset.default})


def test_counts_against_the_parsed_records(stores):
    full, _ = stores
    docs = load_documents([*YONGCHUN, NINGHUA, SEED])
    by_key = {plan_key(p): p for p in docs.plans}
    seed = by_key["晋政文-2021-16"]
    ds = plan_scope(full, plans=["晋政文-2021-16"])

    rows = run(full, EXAMPLES["tasks-per-chapter"].text, dataset=ds).rows
    got = {str(chapter): (int(tasks), int(leads), int(leaders)) for _, chapter, tasks, leads, leaders in rows}
    want = {}
    for chapter in dict.fromkeys(t.chapter for t in seed.tasks):
        tasks = [t for t in seed.tasks if t.chapter == chapter and any(u.role == "lead" for u in t.units)]
        want[chapter] = (len(tasks), len({(u.kind, u.name) for t in tasks for u in t.units if u.role == "lead"}),
                         len({s for t in tasks for s in t.supervisors}))
    assert got == want

    dashboard = run(full, EXAMPLES["dashboard"].text, dataset=ds)
    counts = dict(zip(dashboard.columns, (int(v) for v in dashboard.rows[0])))
    assert (counts["plans"], counts["tasks"], counts["reports"], counts["suggestions"]) == (1, len(seed.tasks), 0, 0)

    yongchun = plan_scope(full, governments=["永春县"])
    [[plans, tasks, *_]] = run(full, EXAMPLES["dashboard"].text, dataset=yongchun).rows
    assert (int(plans), int(tasks)) == (2, sum(len(by_key[k].tasks) for k in ("永政办-2021-18", "永政办-2022-9")))

    q = EXAMPLES["tasks-supported-by"]
    for options, plans, unit in (({"governments": ["永春县"]}, ["永政办-2021-18", "永政办-2022-9"], "县财政局"),
                                 ({"plans": ["晋政文-2021-16"]}, ["晋政文-2021-16"], "财政局")):
        ds = plan_scope(full, **options)
        rows = run(full, q.text, resolve_params(full, q, {"unit": unit}, ds), dataset=ds).rows
        assert len(rows) == sum(1 for k in plans for t in by_key[k].tasks
                                for u in t.units if u.name == unit and u.role == "support"), options


def test_a_name_is_the_scopes_entity(stores):
    """县财政局 is a unit of 永春县 and of 宁化县: with a scope, that scope's government's."""
    full, _ = stores
    q = EXAMPLES["tasks-supported-by"]
    units = {}
    for gov in ("永春县", "宁化县"):
        units[gov] = resolve_params(full, q, {"unit": "县财政局"}, plan_scope(full, governments=[gov]))["unit"]
    assert units["永春县"].startswith("https://w3id.org/respkg/id/永春县/unit/")
    assert units["宁化县"].startswith("https://w3id.org/respkg/id/宁化县/unit/")
    with pytest.raises(QueryError, match="no unit named '工信局' in the chosen plans"):
        resolve_params(full, q, {"unit": "工信局"}, plan_scope(full, governments=["永春县"]))
    # a scope of both governments does not say which is meant
    with pytest.raises(QueryError, match="'县财政局' names several entities in the chosen plans .*宁化县.*永春县"):
        resolve_params(full, q, {"unit": "县财政局"}, plan_scope(full, governments=["永春县", "宁化县"]))


@pytest.fixture(scope="module")
def memory():
    from kg.build import assemble
    from kg.store.embedded import MemoryStore

    return MemoryStore(assemble(load_documents([*YONGCHUN, NINGHUA, SEED, PROGRESS, REPORT])))


@pytest.mark.parametrize("name", ["tasks-per-chapter", "dashboard", "task-history", "tasks-led-by"])
def test_the_memory_store_reads_the_same_scope(stores, datasets, memory, name):
    """rdflib (--store memory) takes the scope as the query's dataset clauses, Oxigraph as its own
    arguments: the same answer."""
    full, _ = stores
    assert _answer(memory, name, datasets["two-governments"]) == _answer(full, name, datasets["two-governments"])


def test_unknown_plan_or_government_says_what_is_known(stores):
    full, _ = stores
    with pytest.raises(PlanError, match="did you mean 晋政文-2021-16"):
        plan_scope(full, plans=["晋政文-2021-61"])
    with pytest.raises(PlanError, match="did you mean 永春县人民政府办公室"):
        plan_scope(full, governments=["永春"])
    with pytest.raises(PlanError, match="no plan chosen"):
        plan_scope(full)


def kg(full, *args):
    return CliRunner().invoke(main, ["query", *args, "--store-dir", str(full.path)], prog_name="kg")


def test_cli_scope_and_its_errors(stores):
    full, _ = stores
    whole = kg(full, "--name", "dashboard", "--format", "csv")
    one = kg(full, "--name", "dashboard", "--format", "csv", "--plan", "晋政文-2021-16")
    both = kg(full, "--name", "dashboard", "--format", "csv", "--plan", "晋政文-2021-16", "--government", "永春县")
    assert whole.exit_code == one.exit_code == both.exit_code == 0, (whole.output, one.output, both.output)
    assert [int(v) for v in whole.stdout.splitlines()[1].split(",")[:2]] == [4, 193]
    assert one.stdout.splitlines()[1].split(",")[:2] == ["1", "173"]
    assert both.stdout.splitlines()[1].split(",")[:2] == ["3", "183"]
    assert_clean_error(kg(full, "--name", "dashboard", "--plan", "晋政文-2021-61"),
                       "no plan '晋政文-2021-61' in the graph", "did you mean 晋政文-2021-16")
    assert_clean_error(kg(full, "--name", "dashboard", "--government", "晋江"),
                       "no government '晋江'", "did you mean 晋江市人民政府")
    assert_clean_error(kg(full, "--name", "tasks-led-by", "--param", "unit=工信局", "--government", "永春县"),
                       "no unit named '工信局' in the chosen plans")
    refused = kg(full, "SELECT * FROM <https://w3id.org/respkg/id/build> WHERE { ?s ?p ?o }", "--plan", "晋政文-2021-16")
    assert refused.exit_code == 2 and "FROM / FROM NAMED" in refused.stderr and "Traceback" not in refused.output
