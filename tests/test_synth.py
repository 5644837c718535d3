"""Synthetic decompositions (kg.synth): deterministic, with the seed's profile, one government per county,
buildable, valid, readable back from their text, and the `kg synth` command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg import synth
from kg.cli import main
from kg.graph.plan import build_dataset, plan_graph
from kg.parse import parse_file, parse_text
from kg.resources import default_source
from kg.graph.validate import validate


@pytest.fixture(scope="module")
def plans():
    return list(synth.synthesize(counties=6, years=2, seed=3))


@pytest.fixture(scope="module")
def seed_profile():
    return synth.profile(parse_file(default_source()).tasks)


def test_the_same_seed_gives_the_same_plans_and_another_seed_others(plans):
    again = list(synth.synthesize(counties=6, years=2, seed=3))
    assert [p.tasks for p in again] == [p.tasks for p in plans]
    assert [(p.meta, p.sha256) for p in again] == [(p.meta, p.sha256) for p in plans]
    other = next(synth.synthesize(counties=1, years=1, seed=4))
    assert other.tasks != plans[0].tasks


def test_the_seed_profile_constants_describe_the_seed(seed_profile):
    assert seed_profile["tasks"] == synth.SEED_PROFILE["tasks"]
    assert seed_profile["units"] == synth.SEED_PROFILE["units"]
    assert seed_profile["heads"] == synth.SEED_PROFILE["heads"]


def test_the_profile_is_within_tolerance_of_the_seeds(plans, seed_profile):
    got = synth.profile([t for p in plans for t in p.tasks])
    assert got["units_per_task"] == pytest.approx(seed_profile["units_per_task"], rel=0.1)
    assert got["with_supports"] == pytest.approx(seed_profile["with_supports"], abs=0.06)
    assert got["leaders_per_task"] == pytest.approx(seed_profile["leaders_per_task"], rel=0.1)
    assert got["text_median"] == pytest.approx(seed_profile["text_median"], rel=0.2)
    assert sum(len(p.tasks) for p in plans) / len(plans) == pytest.approx(173, rel=0.1)
    one = synth.profile(plans[0].tasks)
    assert 6 <= one["chapters"] <= 10 and 20 <= one["sections"] <= 45
    assert 80 <= one["units"] <= 125 and 65 <= one["heads"] <= 110 and 14 <= one["leaders"] <= 18


def test_each_county_is_its_own_government_with_its_own_entities(plans):
    def entities(result):
        g = plan_graph(result)[1]
        return {t for triple in g for t in (triple[0], triple[2])
                if "/id/" in str(t) and "/plan/" not in str(t) and "/source/" not in str(t)}

    a, b, c, d = (entities(p) for p in plans[:4])  # two counties, two years each
    assert a & b  # one county's two years share its units and people
    assert not (a | b) & (c | d)  # two counties share none
    assert {p.meta.issuer for p in plans} == {f"{synth.county(3, i).name}人民政府" for i in range(6)}
    assert len({p.meta.doc_number for p in plans}) == len(plans)


def test_a_synthetic_plan_builds_and_conforms_to_the_shapes(plans):
    report = validate(build_dataset(plans[:1]))
    assert report.conforms, report.violations[:5]


def test_the_text_parses_back_to_the_same_records(plans):
    for p in plans[:4]:
        back = parse_text(synth.render_grid(p), p.file)
        assert back.tasks == p.tasks
        assert back.meta == p.meta


def test_kg_synth_writes_text_and_records(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["synth", "--counties", "2", "--years", "2", "--seed", "5", "-o", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "t").glob("*.txt"))
    assert len(files) == 4
    expected = list(synth.synthesize(2, 2, seed=5))
    parsed = parse_file(files[0])
    assert parsed.tasks == next(p for p in expected if p.file == files[0].name).tasks
    result = runner.invoke(main, ["synth", "--seed", "5", "--format", "jsonl", "-o", str(tmp_path / "one.jsonl")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(expected[0].tasks) and rows[0]["units"][0]["role"] == "lead"
    result = runner.invoke(main, ["synth", "--counties", "0", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2


def test_cli_unwritable_output_is_a_clear_error(tmp_path):
    """An output folder that cannot be made, or a file in a missing folder: one error line, exit 1."""
    from helpers import assert_clean_error

    (tmp_path / "a-file").write_text("x")
    assert_clean_error(CliRunner().invoke(main, ["synth", "--counties", "2", "-o", str(tmp_path / "a-file" / "sub")]),
                       "cannot create the folder")
    assert_clean_error(CliRunner().invoke(main, ["synth", "--format", "jsonl", "-o", str(tmp_path / "no" / "p.jsonl")]),
                       "p.jsonl", "does not exist")
