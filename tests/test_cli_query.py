"""`kg query` and `kg serve` on the command line: formats, listing, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.store.embedded import OxigraphStore


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "s"
    build(None, OxigraphStore(path))
    return str(path)


def kg(store_dir, *args):
    return CliRunner().invoke(main, [*args, "--store-dir", store_dir], prog_name="kg")


def test_list_and_help_query(store_dir):
    listed = kg(store_dir, "query", "--list")
    assert listed.exit_code == 0 and "tasks-led-by" in listed.stdout and "某单位牵头的任务" in listed.stdout
    shown = kg(store_dir, "query", "--name", "tasks-led-by", "--help-query")
    assert shown.exit_code == 0
    assert "unit (unit)" in shown.stdout and "Example: kg query --name tasks-led-by --param unit=工信局" in shown.stdout
    assert "SELECT ?no ?text ?section" in shown.stdout


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "markdown"])
def test_named_query_in_every_format(store_dir, fmt):
    result = kg(store_dir, "query", "--name", "tasks-led-by", "--param", "unit=科技局", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows[0] == ["no", "text", "section", "supports"] and [r[0] for r in rows[1:]] == ["1", "2", "3", "5", "6",
                                                                                                 "7", "8", "52"]
    elif fmt == "json":
        assert [r["no"] for r in json.loads(result.stdout)] == [1, 2, 3, 5, 6, 7, 8, 52]
    elif fmt == "tsv":
        assert result.stdout.splitlines()[0] == "no\ttext\tsection\tsupports"
    else:
        assert "大力培育高新技术企业" in result.stdout


def test_labels_unless_raw(store_dir):
    text = "SELECT ?lead WHERE { ?t rk:number 1 ; rk:lead ?lead }"
    assert kg(store_dir, "query", text, "--format", "csv").stdout.splitlines()[1] == "科技局"
    assert kg(store_dir, "query", text, "--format", "csv", "--raw").stdout.splitlines()[1] == \
        "<https://w3id.org/respkg/id/jinjiang/unit/科技局>"


def test_query_file_with_parameters_and_output(store_dir, tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("# name: mine\n# en: Tasks of a unit.\n# param: unit unit a unit\nSELECT ?no WHERE { ?t rk:lead ?unit ; rk:number ?no } ORDER BY ?no\n",
                  encoding="utf-8")
    out = tmp_path / "answer.csv"
    result = kg(store_dir, "query", "-f", str(rq), "--param", "unit=科技局", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").splitlines()[1:3] == ["1", "2"]


@pytest.mark.parametrize("args, message", [
    (["--name", "task-led-by"], "no named query 'task-led-by'; did you mean tasks-led-by"),
    (["--name", "tasks-led-by"], "needs --param unit="),
    (["--name", "tasks-led-by", "--param", "unit=工信"], "no unit named '工信' in the graph; did you mean 工信局"),
    (["--name", "tasks-led-by", "--param", 'unit=工信局" } ; DROP ALL ; #'], "no unit named"),
    (["DROP ALL"], "SPARQL Update (DROP); kg query only reads"),
    (["INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "SPARQL Update (INSERT)"),
    (["SELECT ?x WHERE {\n?x ?y\n}"], "SPARQL syntax error at line"),
    (["-f", "/nonexistent/q.rq"], "cannot read the query"),
])
def test_errors_are_one_line_and_exit_1(store_dir, args, message):
    result = kg(store_dir, "query", *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


def test_injection_changes_nothing(store_dir):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = kg(store_dir, "query", count, "--format", "csv").stdout
    kg(store_dir, "query", "--name", "tasks-mentioning", "--param", 'word=人才" ) } ; DROP ALL ; #')
    assert kg(store_dir, "query", count, "--format", "csv").stdout == before


@pytest.mark.parametrize("args", [[], ["SELECT * {}", "--name", "dashboard"], ["--param", "unit=x", "SELECT * {}"]])
def test_usage_errors_exit_2(store_dir, args):
    assert kg(store_dir, "query", *args).exit_code == 2


def test_query_before_any_build(tmp_path):
    result = CliRunner().invoke(main, ["query", "--name", "dashboard", "--store-dir", str(tmp_path / "none")],
                                prog_name="kg")
    assert result.exit_code == 1 and "run `kg build` first" in result.stderr


def test_query_memory_store_builds_the_bundled_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["query", "--name", "dashboard", "--store", "memory", "--format", "csv"],
                                prog_name="kg")
    assert result.exit_code == 0 and result.stdout.splitlines()[1].startswith("1,173,")
    assert not (tmp_path / ".respkg").exists()


def test_serve_on_a_busy_port_is_a_clear_error(store_dir):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = kg(store_dir, "serve", "--port", str(port))
    assert result.exit_code == 1 and "--port" in result.stderr and "Traceback" not in result.output
