"""Targets across years on 三明市's run of work reports (2014, 2016, 2020–2023, 2025).

The chain below was read by hand from tests/data/work-reports/三明市_*.md: each report's
main-targets paragraph (今年…主要预期目标是：地区生产总值增长…) gives the year's GDP-growth
target, and the 2025 report's review gives 2024's result (全市地区生产总值增长5.2%). The other
years' results (增长11.3%, 8.5%, …) follow a level (1489.2亿元，增长11.3%) and are not read as
targets today, so they are not in the chain. The counts of links checked are in
docs/suggestions.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import RDF, RDFS

from kg.build import build, load_documents
from kg.cli import main
from kg.graph.inferred import inferred_graph
from kg.graph.namespaces import RK
from kg.read.timeline import measure_similarity
from kg.store.embedded import OxigraphStore

REPORTS = sorted((Path(__file__).parent / "data" / "work-reports").glob("三明市_*.md"))

#: The GDP-growth targets by year, as the texts give them (2024 is the reported result).
GDP_GROWTH = {
    2014: "全市生产总值增长11%",
    2016: "地区生产总值增长9%左右",
    2020: "地区生产总值增长7.5%左右",
    2021: "地区生产总值增长7.5%以上",
    2022: "地区生产总值增长7%",
    2023: "地区生产总值增长5.5%",
    2024: "全市地区生产总值增长5.2%",
    2025: "地区生产总值增长5%",
}


@pytest.fixture(scope="module")
def links():
    """Every target link of the 三明 build: (earlier text, later text) → score."""
    docs = load_documents(REPORTS)
    _, g = inferred_graph(docs.plans, docs.reports)
    label = {s: str(o) for s, p, o in g if p == RDFS.label}
    nodes = [s for s, p, o in g if p == RDF.type and o == RK.TargetLink]
    out = {}
    for n in nodes:
        a, b = label[n].split(" → ")
        out[(a, b)] = float(next(o for s, p, o in g if s == n and p == RK.score))
    return out


def test_the_gdp_growth_targets_of_every_year_are_linked_to_each_other(links):
    """Eight years, each target linked to every other year's: 28 links, each with the score of an
    equal measure (1.0) or of 全市生产总值 ~ 地区生产总值 (0.867)."""
    texts = list(GDP_GROWTH.values())
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert links.get((a, b), 0) >= 0.85, (a, b)
    linked = {b for (a, b) in links if a == GDP_GROWTH[2014]} | {a for (a, b) in links if b == GDP_GROWTH[2014]}
    assert linked == set(texts[1:])


def test_urban_and_rural_incomes_are_not_one_measure(links):
    """城镇居民人均可支配收入 and 农村居民人均可支配收入 are given side by side every year: never linked."""
    for a, b in links:
        if "城镇居民人均可支配收入" in a + b:
            assert not ("城镇居民人均可支配收入" in a and b.startswith("农村"))
            assert not ("城镇居民人均可支配收入" in b and a.startswith("农村"))
    assert links[("城镇居民人均可支配收入增长10%", "城镇居民人均可支配收入增长9.5%")] == 1.0
    assert links[("城镇居民人均可支配收入25650元", "城镇居民人均可支配收入39270元")] == 1.0


def test_a_plan_periods_average_growth_is_not_one_years_growth(links):
    """2016's review: 全市生产总值年均增长11.1% (the 十二五 average) is no GDP-growth target of a year."""
    assert not any(("年均" in a) != ("年均" in b) for a, b in links if "生产总值" in a + b)


def test_local_and_total_budget_revenue_are_not_one_measure(links):
    """地方一般公共预算收入 (113.51亿元 in 2021) is not 一般公共预算总收入 (179.88亿元 that year)."""
    assert not any(("地方" in a and "总收入" in b) or ("总收入" in a and "地方" in b) for a, b in links)
    assert links[("地方一般公共预算收入增长2%", "地方一般公共预算收入增长3%")] == 1.0


@pytest.mark.parametrize("a, b", [("城镇居民人均可支配收入", "农村居民人均可支配收入"),
                                  ("城乡居民人均可支配收入", "城镇居民人均可支配收入"),
                                  ("一般公共预算总收入", "地方一般公共预算收入"),
                                  ("生产总值年均", "地区生产总值")])
def test_contrasting_qualifiers_make_different_measures(a, b):
    assert measure_similarity(a, b) == measure_similarity(b, a) == 0.0


def test_kg_report_timeline_prints_the_chain(tmp_path):
    """The CLI on a store of the 三明 run: every GDP-growth target of the chain, by year."""
    build(REPORTS, OxigraphStore(tmp_path / "store"))
    result = CliRunner().invoke(main, ["report", "timeline", "--measure", "地区生产总值", "--format", "csv",
                                       "--store-dir", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    rows = [r.split(",") for r in result.stdout.splitlines()[2:]]
    years = {r[0] for r in rows}
    assert {str(y) for y in GDP_GROWTH if y != 2014} <= years
    for year, text in GDP_GROWTH.items():
        if year != 2014:  # 全市生产总值 does not contain the word 地区生产总值
            assert any(r[0] == str(year) and text in ",".join(r) for r in rows), (year, text)
