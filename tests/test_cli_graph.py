"""The graph commands of `kg`: build, export, validate and run, through click's CliRunner.

Each test builds into a store in tmp_path (`--store-dir`, or the default `.respkg/store`
after chdir into tmp_path); tests that only read share one module-wide built store.
SHACL validation costs seconds, so each validating test validates once.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef

from kg.build import dataset_from
from helpers import assert_clean_error, lock_held
from kg.cli import main
from kg.graph.namespaces import RK
from kg.records import dump_jsonl
from kg.resources import default_source
from kg.store.embedded import OxigraphStore
from kg.graph.validate import union_graph

SEED_TASKS = 173
SEED_FILE = "004_89d412a27e51e6a9.txt"
PLAN = URIRef("https://w3id.org/respkg/id/plan/晋政文-2021-16")
INFERRED = URIRef("https://w3id.org/respkg/id/inferred")
BUILD = URIRef("https://w3id.org/respkg/id/build")
GRAPH_COMMANDS = ["build", "export", "validate"]


# --- helpers ---------------------------------------------------------------------------


def invoke(*args):
    """Run `kg ARGS…` in-process; stdout and stderr are kept apart (click 8.2+)."""
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kg")


def ok(*args):
    result = invoke(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result




def state(folder: Path) -> tuple[str, list[str]]:
    """Where the store's `current` points and its version folders."""
    current = folder / "current"
    assert current.is_symlink()
    return str(current.readlink()), sorted(p.name for p in folder.glob("v-*"))


def write_records(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path




# --- fixtures --------------------------------------------------------------------------


STORE_ENV = ("RESPKG_STORE", "RESPKG_STORE_DIR", "RESPKG_ENDPOINT", "RESPKG_UPDATE_URL", "RESPKG_GSP_URL")


@pytest.fixture(scope="module", autouse=True)
def no_store_env():
    """The user's store settings must not steer the tests (module-wide: the module fixtures build too)."""
    with pytest.MonkeyPatch.context() as mp:
        for name in STORE_ENV:
            mp.delenv(name, raising=False)
        yield


@pytest.fixture(scope="module")
def mem_ds():
    return dataset_from(None)[0]


@pytest.fixture(scope="module")
def mem_union(mem_ds) -> int:
    """Triples of the union of the in-memory dataset's graphs."""
    return len(union_graph(mem_ds))


@pytest.fixture(scope="module")
def built_dir(tmp_path_factory) -> Path:
    """A store built once by `kg build --store-dir`; read only."""
    folder = tmp_path_factory.mktemp("cli-built") / "store"
    ok("build", "--store", "oxigraph", "--store-dir", folder)
    return folder


@pytest.fixture(scope="module")
def victim_dir(tmp_path_factory) -> Path:
    """A built store that failed builds must leave unchanged."""
    folder = tmp_path_factory.mktemp("cli-victim") / "store"
    ok("build", "--store", "oxigraph", "--store-dir", folder)
    return folder


@pytest.fixture(scope="module")
def records(seed) -> list[dict]:
    """`kg parse` output of the bundled table, as JSON objects."""
    return [json.loads(line) for line in dump_jsonl(seed.tasks).splitlines()]


def _task(records: list[dict], no: int) -> dict:
    [task] = [r for r in records if r["no"] == no]
    return task


# --- help ------------------------------------------------------------------------------


def test_group_help_lists_the_graph_commands():
    out = ok("--help").stdout
    for command in GRAPH_COMMANDS + ["run"]:
        assert re.search(rf"^\s+{command}\b", out, re.M), command


@pytest.mark.parametrize("command", GRAPH_COMMANDS + ["run"])
def test_graph_command_help_has_examples(command):
    out = ok(command, "--help").stdout
    assert out.startswith(f"Usage: kg {command} ")
    assert "Example:" in out
    assert "--store" in out and "--store-dir" in out


# --- kg build --------------------------------------------------------------------------


def test_build_into_the_default_store(tmp_path, monkeypatch, mem_ds):
    monkeypatch.chdir(tmp_path)
    result = ok("build")
    assert result.stderr == ""
    m = re.fullmatch(rf"Built (\d+) triples in 8 named graphs from {re.escape(SEED_FILE)}, 000_\w+\.txt, "
                     rf"001_\w+\.txt, 002_\w+\.txt, 003_\w+\.txt \({SEED_TASKS} tasks\) "
                     r"into the embedded Oxigraph store at \.respkg/store in \d+\.\d\d s\.\n", result.stdout)
    assert m, result.stdout
    assert int(m.group(1)) == len(list(mem_ds.quads((None, None, None, None))))
    target, versions = state(tmp_path / ".respkg" / "store")
    assert versions == [target]


def test_build_store_memory_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = ok("build", "--store", "memory")
    assert f"({SEED_TASKS} tasks) into the rdflib memory store" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_build_store_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RESPKG_STORE_DIR", str(tmp_path / "env-store"))
    assert f"into the embedded Oxigraph store at {tmp_path / 'env-store'} " in ok("build").stdout
    state(tmp_path / "env-store")
    monkeypatch.setenv("RESPKG_STORE", "memory")
    (tmp_path / "other").mkdir()
    monkeypatch.chdir(tmp_path / "other")
    assert "rdflib memory store" in ok("build").stdout
    assert list((tmp_path / "other").iterdir()) == []


def test_build_records_file(tmp_path, records):
    path = write_records(tmp_path / "tasks.jsonl", records)
    result = ok("build", path, "--store-dir", tmp_path / "store")
    assert f"from tasks.jsonl ({SEED_TASKS} tasks)" in result.stdout
    state(tmp_path / "store")


def _schema(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"no": "x"}\n', encoding="utf-8")
    return [path], [f"{path}:1", "'no'"]


def _broken_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    good = {"no": 1, "chapter": "一、章", "section": None, "text": "任务", "units": [], "supervisors": [],
            "source": {"file": "t.txt", "lines": [1, 1]}}
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    return [path], [f"{path}:2", "not valid JSON"]


def _missing(tmp_path):
    return [tmp_path / "missing.txt"], ["missing.txt"]


def _empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return [path], ["empty.txt"]


def _unknown_store(tmp_path):
    return ["--store", "sqlite"], ["sqlite", "oxigraph", "memory"]


def _base_with_space(tmp_path):
    return ["--base-iri", "http://x y/"], ["--base-iri", "not an IRI"]


def _base_without_scheme(tmp_path):
    return ["--base-iri", "respkg/id/"], ["--base-iri", "not an IRI"]


def _base_without_slash(tmp_path):
    return ["--base-iri", "https://example.org/id"], ["--base-iri", "ending in / or #"]


@pytest.mark.parametrize("make_bad", [_schema, _broken_line, _missing, _empty, _unknown_store, _base_with_space,
                                      _base_without_scheme, _base_without_slash],
                         ids=lambda f: f.__name__.strip("_"))
def test_failed_build_is_one_error_line_and_leaves_the_store(tmp_path, victim_dir, make_bad):
    args, fragments = make_bad(tmp_path)
    before = state(victim_dir)
    assert_clean_error(invoke("build", *args, "--store-dir", victim_dir), *fragments)
    assert state(victim_dir) == before


def test_store_dir_that_is_a_file(tmp_path):
    (tmp_path / "a-file").write_text("x")
    assert_clean_error(invoke("build", "--store-dir", tmp_path / "a-file"), "a-file", "not a folder")
    assert (tmp_path / "a-file").read_text() == "x"


def test_build_while_locked_fails_then_waits(tmp_path):
    folder = tmp_path / "store"
    ok("build", "--store-dir", folder)
    before = state(folder)
    with lock_held(folder, tmp_path, 2.0) as holder:
        t0 = time.monotonic()
        assert_clean_error(invoke("build", "--store-dir", folder), str(folder), "locked", f"pid {holder.pid}",
                           "--wait")
        assert time.monotonic() - t0 < 5
        assert state(folder) == before
        result = ok("build", "--store-dir", folder, "--wait", "10")
        assert Path(f"{tmp_path / 'lock-ready'}.released").exists(), "the build ran before the lock was released"
        assert result.stdout.startswith("Built ")
    assert state(folder)[0] != before[0]


# --- kg export -------------------------------------------------------------------------


def test_export_nt_is_the_union(built_dir, mem_union):
    result = ok("export", "--store-dir", built_dir, "--format", "nt")
    assert result.stderr == ""
    assert len(Graph().parse(data=result.stdout, format="nt")) == mem_union


def test_export_default_is_turtle(built_dir, mem_union):
    out = ok("export", "--store-dir", built_dir).stdout
    assert "@prefix rk: <https://w3id.org/respkg#> ." in out
    assert len(Graph().parse(data=out, format="turtle")) == mem_union


@pytest.mark.parametrize("fmt, rdflib_format", [("trig", "trig"), ("nq", "nquads")])
def test_export_keeps_named_graphs(built_dir, mem_ds, fmt, rdflib_format):
    out = ok("export", "--store-dir", built_dir, "--format", fmt).stdout
    ds = Dataset()
    ds.parse(data=out, format=rdflib_format)
    sizes = {g.identifier: len(g) for g in ds.graphs() if len(g)}
    expected = {g.identifier: len(g) for g in mem_ds.graphs() if len(g)}
    assert set(sizes) == set(expected) and {PLAN, BUILD, INFERRED} <= set(sizes) and len(sizes) == 8  # + 4 reports and the summary
    assert {k: v for k, v in sizes.items() if k != BUILD} == {k: v for k, v in expected.items() if k != BUILD}
    assert sizes[BUILD] == expected[BUILD]


def test_export_jsonld(built_dir):
    data = json.loads(ok("export", "--store-dir", built_dir, "--format", "jsonld").stdout)
    assert isinstance(data, list)
    assert {g.get("@id") for g in data} >= {str(PLAN), str(BUILD)}


def test_export_to_a_file(tmp_path, monkeypatch, built_dir, mem_union):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out.ttl").write_text("old")
    result = ok("export", "--store-dir", built_dir, "-o", "out.ttl")
    assert result.stdout == ""
    assert result.stderr == "wrote out.ttl\n"
    assert len(Graph().parse(tmp_path / "out.ttl", format="turtle")) == mem_union
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_export_from_a_file_builds_in_memory(tmp_path, monkeypatch):
    """Given FILES, export builds those alone (here the table, without the bundled reports)."""
    monkeypatch.chdir(tmp_path)
    out = ok("export", default_source(), "--format", "nt").stdout
    assert len(Graph().parse(data=out, format="nt")) == len(union_graph(dataset_from([default_source()])[0]))
    assert list(tmp_path.iterdir()) == []


def test_export_before_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out.ttl").write_text("old")
    assert_clean_error(invoke("export", "-o", "out.ttl"), ".respkg/store", "`kg build`")
    assert (tmp_path / "out.ttl").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"], "a read must not create the store"


# --- kg validate -----------------------------------------------------------------------


def test_validate_before_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_clean_error(invoke("validate"), ".respkg/store", "`kg build`", code=2)
    assert list(tmp_path.iterdir()) == [], "a read must not create the store"


def test_validate_bad_file_is_exit_2(tmp_path):
    assert_clean_error(invoke("validate", tmp_path / "missing.txt"), "missing.txt", code=2)


def test_validate_unknown_store_is_exit_2():
    assert_clean_error(invoke("validate", "--store", "sqlite"), "oxigraph", "memory", code=2)


def test_validate_built_store_conforms(built_dir):
    result = invoke("validate", "--store-dir", built_dir)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr == "The graph conforms to the shapes.\n"


def test_validate_file_builds_in_memory_and_json_is_an_empty_list(tmp_path, monkeypatch):
    # one test for both: each validation costs seconds
    monkeypatch.chdir(tmp_path)
    result = invoke("validate", default_source(), "--format", "json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert json.loads(result.stdout) == []
    assert result.stderr == "The graph conforms to the shapes.\n"
    assert list(tmp_path.iterdir()) == [], "validating a FILE must not create the store"


def _first_tasks(records: list[dict], n: int = 20) -> list[dict]:
    """A deep copy of the records of tasks 1..n (all name a lead and city leaders): small, so quick to validate."""
    return json.loads(json.dumps([r for r in records if r["no"] <= n]))


def test_validate_records_conform(tmp_path, records):
    """The baseline for the two broken files below: the records of tasks 1-20 conform."""
    path = write_records(tmp_path / "tasks.jsonl", _first_tasks(records))
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert json.loads(result.stdout) == []


def test_validate_records_of_tasks_without_city_leader_conform(tmp_path, records):
    tail = [r for r in records if r["no"] >= 160]
    assert any(not r["supervisors"] for r in tail)
    path = write_records(tmp_path / "tasks.jsonl", tail)
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_records_without_city_leader_carry_the_finding(tmp_path, records):
    """A records file naming no city leader for a task: loading it reports that, as parsing would,
    so the graph records the gap instead of breaking SupervisorShape."""
    broken = _first_tasks(records)
    _task(broken, 5)["supervisors"] = []
    path = write_records(tmp_path / "tasks_broken.jsonl", broken)
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 0, (result.stderr, result.exception)
    from kg.build import load_sources

    [loaded] = load_sources([path])
    reading = ("project-borderline", "number-unresolved")  # from reading the texts, as for the table itself
    assert [(f.kind, f.task) for f in loaded.findings if f.kind not in reading] == [("no-supervisor", 5)]


def test_validate_store_with_a_task_without_supervisor(tmp_path, records):
    """A graph in the store whose task 5 lost its city leaders, with no finding saying so."""
    ds, _ = dataset_from([write_records(tmp_path / "tasks.jsonl", _first_tasks(records))])
    [task5] = [t for t, _, n, _ in ds.quads((None, RK.number, None, None)) if int(n) == 5]
    assert list(ds.quads((task5, RK.supervisor, None, None)))
    for g in ds.graphs():
        g.remove((task5, RK.supervisor, None))
    OxigraphStore(tmp_path / "store").replace(ds)
    result = invoke("validate", "--store-dir", tmp_path / "store", "--format", "json")
    assert result.exit_code == 1, (result.stderr, result.exception)
    [violation] = json.loads(result.stdout)
    assert violation["shape"] == "rks:SupervisorShape"
    assert violation["focus"].startswith("plan/tasks/task/5 (5. ")
    assert "city leader" in violation["message"]
    assert result.stderr.startswith("The graph does not conform: 1 violation")


def test_validate_lead_also_support_shows_a_table(tmp_path, monkeypatch, records):
    monkeypatch.setenv("COLUMNS", "200")  # a wide table: one line per row
    broken = _first_tasks(records)
    units = _task(broken, 5)["units"]
    lead = units[0]
    assert lead["role"] == "lead"
    units.append({**lead, "role": "support", "heads": []})
    path = write_records(tmp_path / "tasks_lead_support.jsonl", broken)
    result = invoke("validate", path)
    assert result.exit_code == 1, (result.stderr, result.exception)
    assert "1 SHACL violation" in result.stdout
    assert "severity" in result.stdout and "shape" in result.stdout  # the table's header
    row = next((line for line in result.stdout.splitlines() if "TaskShape" in line), None)
    assert row is not None, result.stdout
    assert "rks:TaskShape rk:lead" in row and "task/5 (" in row and lead["name"] in row
    assert "does not conform" in result.stderr


# --- kg run ----------------------------------------------------------------------------


def test_run_builds_and_validates(tmp_path):
    folder = tmp_path / "store"
    result = ok("run", "--store-dir", folder)
    out = result.stdout
    assert f"Parsed {SEED_TASKS} tasks" in out
    built = rf"^Built \d+ triples in 8 named graphs into the embedded Oxigraph store at {re.escape(str(folder))} "
    assert re.search(built, out, re.M), out
    assert "SHACL: the graph conforms" in out
    state(folder)
