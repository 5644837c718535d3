"""One measure across governments (peer-targets, kg report targets --measure --year) on the
work-report copies of tests/data/work-reports/ (33 reports of 24 governments).

The expected rows come from the narrative readings, not from the graph: every work
report's planned statements of the year (kg.parse.narrative), their targets
(kg.read.reading) whose measure key is the one asked for.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.analysis.peers import peer_targets, spreads
from kg.build import build
from kg.cli import main
from kg.parse.narrative import parse_narrative
from kg.read.reading import read
from kg.read.targets import measure_key
from kg.sparql import query as q
from kg.store.embedded import MemoryStore, OxigraphStore

REPORTS = sorted((Path(__file__).parent / "data" / "work-reports").glob("*.md"))
CASES = [("地区生产总值", 2025), ("地区生产总值", 2022), ("地区生产总值", 2024), ("社会消费品零售总额", 2022), ("固定资产投资", 2022)]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("peers") / "store"
    build(REPORTS, OxigraphStore(path))
    return path


@pytest.fixture(scope="module")
def stores(store_dir):
    memory = MemoryStore()
    build(REPORTS, memory)
    return {"memory": memory, "oxigraph": OxigraphStore(store_dir)}


@pytest.fixture(scope="module")
def readings():
    return [parse_narrative(p) for p in REPORTS]


def expected(readings, measure: str, year: int) -> Counter:
    """(government, value, comparator, unit, kind, report) of each target, from the readings."""
    out = Counter()
    for r in readings:
        if r.kind != "work-report":
            continue
        for s in r.statements:
            if s.kind != "plan" or s.year != year:
                continue
            for t in read(s.text).targets:
                if measure_key(t.measure) == measure:
                    out[(r.government, t.value, t.comparator, t.unit, t.kind, r.title or r.file)] += 1
    return out


@pytest.mark.parametrize("measure, year", CASES)
def test_peer_targets_are_the_targets_the_readings_give(stores, readings, measure, year):
    want = expected(readings, measure, year)
    assert len({key[5] for key in want}) >= 3, "a case worth comparing: several governments' reports"
    for kind, store in stores.items():
        rows = peer_targets(store, measure, year)
        got = Counter((r.government, r.value, r.comparator, r.unit, r.kind, r.report) for r in rows)
        assert got == want, kind
        assert [r.value for r in rows] == sorted(r.value for r in rows)
        for r in rows:
            assert measure in r.words and r.words in r.sentence and r.sentence in r.text


@pytest.mark.parametrize("measure, year", CASES[:2])
def test_the_query_gives_the_same_rows_on_both_stores(stores, measure, year):
    nq = q.find_named("peer-targets")
    results = {}
    for kind, store in stores.items():
        bindings = q.resolve_params(store, nq, {"measure": measure, "year": str(year)})
        results[kind] = q.run(store, nq.text, bindings)
    assert results["memory"].columns == results["oxigraph"].columns
    assert results["memory"].rows == results["oxigraph"].rows and results["memory"].rows


def test_the_year_is_the_year_planned_not_the_year_reviewed(stores, readings):
    """A work report's own year is the one it reviews (三明市_2023.md: 2022): its targets are 2023's."""
    rows = peer_targets(stores["oxigraph"], "地区生产总值", 2023)
    assert [(r.government, r.value) for r in rows] == [("三明市", 5.5)]
    assert "三明市政府工作报告（2022年1月5日" not in {r.report for r in rows}


def test_a_measure_written_with_a_qualifier_is_read_as_its_key(stores):
    plain = peer_targets(stores["oxigraph"], "地区生产总值", 2025)
    assert peer_targets(stores["oxigraph"], "全市地区生产总值", 2025) == plain


def test_spreads(stores):
    rows = peer_targets(stores["oxigraph"], "地区生产总值", 2025)
    [s] = spreads(rows)
    values = sorted(r.value for r in rows)
    assert (s.kind, s.unit, s.count, s.minimum, s.maximum) == ("growth", "%", len(rows), values[0], values[-1])
    assert s.median == (values[2] + values[3]) / 2
    assert set(s.at_minimum) == {r.government for r in rows if r.value == values[0]}
    assert set(s.at_maximum) == {r.government for r in rows if r.value == values[-1]}


def run(store_dir, *args):
    return CliRunner().invoke(main, ["report", "targets", *args, "--store-dir", str(store_dir)], prog_name="kg")


def test_cli_table_and_summary(store_dir, readings):
    result = run(store_dir, "--measure", "地区生产总值", "--year", "2025")
    assert result.exit_code == 0, result.output
    want = expected(readings, "地区生产总值", 2025)
    values = sorted(v for (_, v, *_), n in want.items() for _ in range(n))
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{len(values)} targets (growth, %): min {values[0]:g} (")
    assert f"max {values[-1]:g} (" in summary and "median" in summary
    for government, *_ in want:
        assert government in result.stdout


def test_cli_json_and_atomic_file_with_a_chinese_name(store_dir, readings, tmp_path):
    out = tmp_path / "地区生产总值2022.json"
    result = run(store_dir, "--measure", "地区生产总值", "--year", "2022", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    want = expected(readings, "地区生产总值", 2022)
    assert Counter((r["government"], r["value"]) for r in doc["rows"]) == Counter(
        {(k[0], k[1]): n for k, n in want.items()})
    assert doc["summary"][0]["count"] == sum(want.values())
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_cli_chart(store_dir, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "分布.png"
    result = run(store_dir, "--measure", "地区生产总值", "--year", "2025", "--chart", str(path))
    if result.exit_code == 1:
        assert "no font with Chinese characters" in result.stderr
        pytest.fail("no CJK font installed: scripts/browser.sh install installs fonts-noto-cjk")
    assert result.exit_code == 0, result.output
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    bad = run(store_dir, "--measure", "地区生产总值", "--year", "2025", "--chart", str(tmp_path / "x.pdf"))
    assert bad.exit_code == 1 and ".svg or .png" in bad.stderr


def test_cli_unknown_measure_is_an_empty_table_with_a_message(store_dir):
    result = run(store_dir, "--measure", "火星生产总值", "--year", "2025")
    assert result.exit_code == 0, result.output
    assert "(0)" in result.stdout
    assert "no government's work report for 2025 sets a target of '火星生产总值'" in result.stdout
    csv = run(store_dir, "--measure", "火星生产总值", "--year", "2025", "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.splitlines()[1].startswith("government,value")
    assert "no government's work report for 2025" in csv.stderr


@pytest.mark.parametrize("args, message", [
    (["--measure", "地区生产总值", "--year", "二〇二五"], "Invalid value for '--year': '二〇二五' is not a valid integer"),
    (["--measure", "地区生产总值", "--year", "2025.5"], "Invalid value for '--year'"),
    (["--measure", "地区生产总值"], "--measure and --year go together"),
    (["--year", "2025"], "--measure and --year go together"),
    (["--unit", "科技局", "--measure", "地区生产总值", "--year", "2025"], "give one of --unit, --person and --measure"),
    (["--chart", "x.png"], "--chart draws one measure's targets"),
])
def test_cli_bad_input(store_dir, args, message):
    result = run(store_dir, *args)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
