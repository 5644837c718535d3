"""Suggested units for another government's report: its own table where one is loaded, else
every loaded table with a plain note.

Two corpus reports have the first rows of their own decomposition (tests/data/corpus/):
徐州市 2020 (rows 1–3: 地区生产总值 → 市发改委, 一般公共预算收入 → 市财政局, 规模以上固定资产投资
→ 市发改委) and 安徽省 2022 (rows 1–5: 全省生产总值 and 固定资产投资 → 省发展改革委, 社会消费品零售总额
and 进出口总额 → 省商务厅, 一般公共预算收入 → 省财政厅). The report items were found by reading the
reports: each one's main-targets paragraph (徐州's is one item, 安徽's is split into its
target clauses, one per 「；」). The figures are in docs/suggestions.md.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import PROV, RDFS

from kg.build import Documents, assemble, load_documents
from kg.graph.inferred import inferred_graph, report_government
from kg.graph.namespaces import DEFAULT_BASE, RK
from kg.graph.plan import government_key
from kg.graph.report import split_statement, statement_iris
from kg.graph.validate import union_graph
from kg.parse import parse_file

DATA = Path(__file__).parent / "data"
XUZHOU_TABLE = DATA / "corpus" / "xuzhou_2020_zhuyao_mubiao_renwu_fenjie.txt"
ANHUI_TABLE = DATA / "corpus" / "anhui_2022_zhongdian_gongzuo_zeren_fenjie_news_repost.txt"


@pytest.fixture(scope="module")
def jinjiang():
    return load_documents(None).plans


@pytest.fixture(scope="module")
def reports():
    docs = load_documents([DATA / "work-reports" / "徐州市_2020.md", DATA / "work-reports" / "安徽省_2022.md"])
    return {r.file: r for r in docs.reports}


@pytest.fixture(scope="module")
def xuzhou():
    return parse_file(XUZHOU_TABLE)


@pytest.fixture(scope="module")
def anhui():
    """安徽's table as the repost gives it names no issuer (the notice is quoted in a news item);
    here it gets the issuer its header comment states, as a table with its signature would."""
    table = parse_file(ANHUI_TABLE)
    return dataclasses.replace(table, meta=dataclasses.replace(table.meta, issuer="安徽省人民政府"))


def items(report) -> dict[str, URIRef]:
    """Each planned item and target sentence's text → its IRI, as the inferred graph knows them."""
    out = {}
    for s, iri in zip(report.statements, statement_iris(report)):
        if s.kind == "plan":
            for item, text in [(iri, s.text)] + split_statement(s, iri):
                out[text] = item
    return out


def item_for(report, opening: str) -> URIRef:
    """The item or target sentence opening so; the sentence where the item opens so too."""
    return min(((len(text), iri) for text, iri in items(report).items() if text.startswith(opening)))[1]


def leads(g, item: URIRef) -> list[tuple[str, URIRef]]:
    """The item's lead suggestions in rank order: (unit name, unit IRI)."""
    nodes = [o for s, p, o in g if s == item and p == RK.suggestion and "/lead/" in str(o)]
    ranked = sorted(nodes, key=lambda n: int(next(o for s, p, o in g if s == n and p == RK.rank)))
    return [(str(next(o for s, p, o in g if s == n and p == RDFS.label)).split("（")[0],
             next(o for s, p, o in g if s == n and p == RK.suggestedUnit)) for n in ranked]


def evidence(g, item: URIRef) -> set[str]:
    nodes = {o for s, p, o in g if s == item and p == RK.suggestion}
    return {str(o) for s, p, o in g if s in nodes and p == RK.evidence}


def test_a_report_and_its_table_are_keyed_as_one_government(reports, xuzhou, anhui, jinjiang):
    """徐州市 (front matter title) and 徐州市人民政府 (the table's issuer) are one key; 安徽省's
    report names no government in its title, so its file name gives it; Jinjiang's reports
    name none and are the bundled government's."""
    assert report_government(reports["徐州市_2020.md"]) == government_key(xuzhou) == "徐州市"
    assert report_government(reports["安徽省_2022.md"]) == government_key(anhui) == "安徽省"
    bundled = load_documents(None).reports
    assert {report_government(r) for r in bundled} == {government_key(jinjiang[-1])} == {"jinjiang"}


def test_xuzhou_with_its_own_table_gets_its_own_units(reports, jinjiang, xuzhou):
    """The main-targets paragraph (GDP, fiscal revenue, investment, …) gets 徐州's 市发改委 and
    市财政局 as leads, as 徐州's units, derived from 徐州's rows; none of Jinjiang's."""
    report = reports["徐州市_2020.md"]
    _, g = inferred_graph(jinjiang + [xuzhou], [report])
    item = item_for(report, "今年全市经济社会发展的主要预期目标是")
    found = leads(g, item)
    assert {"市发改委", "市财政局"} == {name for name, _ in found}
    assert all(str(iri).startswith(DEFAULT_BASE + "徐州市/unit/") for _, iri in found)
    rows = {o for s, p, o in g if p == PROV.wasDerivedFrom}
    assert rows and all(str(r).startswith(DEFAULT_BASE + "plan/徐政发-2020-3/task/") for r in rows)
    assert any("徐州市's own decomposition table" in e for e in evidence(g, item))


def test_xuzhou_with_only_jinjiang_table_says_the_units_are_another_governments(reports, jinjiang):
    """Only Jinjiang's 2021 table loaded: the suggestions are Jinjiang's units (there is no row on
    GDP there, so 科技局/工信局/商务局 lead), each saying so, and the graph says it once for the report."""
    report = reports["徐州市_2020.md"]
    iri, g = inferred_graph(jinjiang, [report])
    item = item_for(report, "今年全市经济社会发展的主要预期目标是")
    found = leads(g, item)
    assert [name for name, _ in found] == ["科技局", "工信局", "商务局"]
    assert all(str(u).startswith(DEFAULT_BASE + "jinjiang/") for _, u in found)
    note = "徐州市_2020.md: no decomposition table of 徐州市 is loaded: these units are another government's"
    assert any(str(o).startswith(note) for s, p, o in g if s == iri and p == RDFS.comment)
    assert any(e.startswith("no decomposition table of 徐州市 is loaded") for e in evidence(g, item))


ANHUI_CASES = [
    ("主要预期目标是：全省生产总值增长7%以上", "省发展改革委", None),
    ("固定资产投资力争增长10%以上", "省发展改革委", None),
    ("社会消费品零售总额增长9%左右", "省商务厅", "商务局"),
    ("进出口总额增长9%左右", "省商务厅", "商务局"),
    ("一般公共预算收入增长7%左右", "省财政厅", "财政局"),
]


@pytest.mark.parametrize("opening, lead, jinjiang_lead", ANHUI_CASES)
def test_anhui_target_clauses_get_the_true_lead_first_from_their_own_table(reports, jinjiang, anhui,
                                                                           opening, lead, jinjiang_lead):
    """With 安徽's rows loaded each target clause's first lead is the row's; with Jinjiang's only,
    the first lead is Jinjiang's counterpart where its table has one (商务局, 财政局), and for GDP and
    investment (no such rows in Jinjiang's table) a unit that is not 发改."""
    report = reports["安徽省_2022.md"]
    _, own = inferred_graph(jinjiang + [anhui], [report])
    assert leads(own, item_for(report, opening))[0][0] == lead
    _, other = inferred_graph(jinjiang, [report])
    first = leads(other, item_for(report, opening))[0][0]
    assert first == jinjiang_lead if jinjiang_lead else not first.startswith("发改")


def test_without_an_own_table_every_loaded_table_votes_each_unit_its_own_government(reports, jinjiang, xuzhou):
    """安徽's report with Jinjiang's and 徐州's tables: its GDP clause is answered by 徐州's GDP row
    (市发改委, 徐州's unit, cited as 徐州市 1), with the note that these are another government's units."""
    report = reports["安徽省_2022.md"]
    _, g = inferred_graph(jinjiang + [xuzhou], [report])
    item = item_for(report, "主要预期目标是：全省生产总值增长7%以上")
    name, iri = leads(g, item)[0]
    assert (name, iri) == ("市发改委", URIRef(DEFAULT_BASE + "徐州市/unit/市发改委"))
    assert any(e.startswith("similar earlier tasks: 徐州市 1") for e in evidence(g, item))
    assert any(e.startswith("no decomposition table of 安徽省 is loaded") for e in evidence(g, item))


def test_the_jinjiang_report_keeps_its_own_table(jinjiang):
    """The bundled build: every report's suggestions say they are 晋江市人民政府's own table's units."""
    docs = load_documents(None)
    iri, g = inferred_graph(docs.plans, docs.reports)
    notes = {str(o) for s, p, o in g if s == iri and p == RDFS.comment}
    assert notes and all("晋江市人民政府's own decomposition table" in n for n in notes)
    assert not any("no decomposition table" in str(o) for s, p, o in g if p == RK.evidence)


def test_no_table_loaded_no_suggestion(reports):
    _, g = inferred_graph([], [reports["徐州市_2020.md"]])
    assert not any(p == RK.suggestion for s, p, o in g)


def test_every_suggested_unit_is_a_node_of_its_table(reports, xuzhou):
    """徐州's table names 各县(市)区政府 as a group: its suggestion points at the group node the plan
    graph holds, not at a unit node nobody declares."""
    union = union_graph(assemble(Documents(plans=[xuzhou], reports=[reports["徐州市_2020.md"]])))
    units = set(union.objects(None, RK.suggestedUnit))
    assert URIRef(DEFAULT_BASE + "徐州市/group/各县(市)区政府") in units
    assert all(union.value(u, RDFS.label) is not None for u in units)
