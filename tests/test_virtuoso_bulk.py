"""Moving to a server: an N-Quads export, bulk-loaded into Virtuoso, answers as the embedded store does.

The path of docs/server.md at small size: ``kg synth`` (2 counties, 1 year) → ``kg build`` →
``kg export --format nq`` → ``scripts/virtuoso-bulk-load.sh load`` (ld_dir, rdf_loader_run,
checkpoint through isql) on the session's Virtuoso (tests/virtuoso.py) → ``kg query
--endpoint``.  The graphs live under a data IRI base of their own and in a graph group of
their own, so other tests' graphs on the same server neither disturb nor get disturbed;
everything is dropped again at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.parse
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store.endpoint import Endpoint, EndpointStore
from kg.sparql.query import named_queries
from test_query import normal
from virtuoso import virtuoso  # noqa: F401  (the session fixture)

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "virtuoso-bulk-load.sh"
PARAMETERLESS = sorted(name for name, q in named_queries().items() if not q.params)
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?base)) } GROUP BY ?g"


def kg(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), prog_name="kg")
    assert result.exit_code == 0, result.output
    return result.stdout


def rows(*args: str) -> list[dict]:
    return json.loads(kg("query", "--format", "json", *args))


def bulk(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT), args[0], "--isql", f"127.0.0.1:{server.isql_port}", *args[1:]],
        env={**os.environ, "VIRTUOSO_DBA_PASSWORD": server.password},
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300, check=False,
    )


def per_graph(base: str, *where: str) -> dict[str, int]:
    query = PER_GRAPH.replace("?base", json.dumps(base))
    return {r["g"].strip("<>"): r["n"] for r in rows(query, "--raw", *where)}


@pytest.fixture(scope="module")
def loaded(virtuoso, tmp_path_factory):
    work = tmp_path_factory.mktemp("bulk")
    tag = uuid.uuid4().hex[:12]
    base = f"https://example.org/respkg-bulk-test/{tag}/id/"
    group = f"urn:respkg:bulk-test:{tag}"
    store = str(work / "store")
    kg("synth", "--counties", "2", "--years", "1", "--seed", "1", "--format", "jsonl", "-o", str(work / "synth"))
    kg("build", *sorted(str(p) for p in (work / "synth").glob("*.jsonl")), "--store-dir", store, "--base-iri", base)
    # the server's own data folder is in its DirsAllowed (scripts/virtuoso.sh)
    load_dir = virtuoso.data_dir / f"bulk-{tag}"
    load_dir.mkdir()
    kg("export", "--store-dir", store, "--format", "nq", "-o", str(load_dir / "respkg.nq"))
    done = bulk(virtuoso, "load", "--group", group, str(load_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    url = f"{virtuoso.query_url}?{urllib.parse.urlencode({'default-graph-uri': group})}"
    yield SimpleNamespace(base=base, group=group, store=store, load_dir=load_dir, url=url)
    done = bulk(virtuoso, "unload", "--group", group, str(load_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    assert per_graph(base, "--endpoint", virtuoso.query_url) == {}


def test_every_named_graph_arrives_whole(loaded, virtuoso):
    expected = per_graph(loaded.base, "--store-dir", loaded.store)
    assert sorted(expected) == [loaded.base + "build"] + sorted(
        loaded.base + "plan/" + p.stem for p in Path(loaded.store).parent.joinpath("synth").glob("*.jsonl")) + [
        loaded.base + "summary"]
    assert per_graph(loaded.base, "--endpoint", virtuoso.query_url) == expected


@pytest.mark.parametrize("name", PARAMETERLESS)
def test_named_query_answers_as_in_the_store(loaded, name):
    def answer(*where):
        return normal(tuple(r.values()) for r in rows("--name", name, *where))

    assert answer("--endpoint", loaded.url) == answer("--store-dir", loaded.store)


BUSIEST = "SELECT ?x WHERE { ?t rk:%s ?e . ?e rdfs:label ?x } GROUP BY ?x ORDER BY DESC(COUNT(?t)) ?x LIMIT 1"


@pytest.mark.parametrize(("name", "param", "relation"), [
    ("tasks-led-by", "unit", "lead"),
    ("leader-tasks", "leader", "supervisor"),
])
def test_named_query_with_a_parameter(loaded, name, param, relation):
    """With the unit that leads most tasks, the city leader who supervises most."""
    (value,) = rows(BUSIEST % relation, "--store-dir", loaded.store)[0].values()

    def answer(*where):
        return normal(tuple(r.values()) for r in rows("--name", name, "--param", f"{param}={value}", *where))

    expected = answer("--store-dir", loaded.store)
    assert expected
    assert answer("--endpoint", loaded.url) == expected


def test_the_graph_group_keeps_other_graphs_out(loaded, virtuoso):
    """Without default-graph-uri Virtuoso's default graph is every graph on the server."""
    noise = f"{loaded.group}:noise"
    insert = f"INSERT DATA {{ GRAPH <{noise}> {{ <{noise}:task> a <https://w3id.org/respkg#Task> }} }}"
    dashboard = ("--name", "dashboard", "--raw")
    server = EndpointStore(Endpoint(virtuoso.query_url, virtuoso.update_url))
    server.update(insert)
    try:
        everything = rows(*dashboard, "--endpoint", virtuoso.query_url)[0]["tasks"]
        ours = rows(*dashboard, "--endpoint", loaded.url)[0]["tasks"]
    finally:
        server.update(f"DROP SILENT GRAPH <{noise}>")
    assert ours == rows(*dashboard, "--store-dir", loaded.store)[0]["tasks"]
    assert everything >= ours + 1


def test_reloading_with_replace_never_duplicates(loaded, virtuoso):
    before = per_graph(loaded.base, "--endpoint", virtuoso.query_url)
    done = bulk(virtuoso, "load", "--replace", "--group", loaded.group, str(loaded.load_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"loaded {len(before)} graphs" in done.stdout
    assert per_graph(loaded.base, "--endpoint", virtuoso.query_url) == before


def test_a_file_the_loader_refuses_fails_the_load(loaded, virtuoso):
    bad = virtuoso.data_dir / f"{loaded.load_dir.name}-bad"
    bad.mkdir()
    graph = f"{loaded.group}:bad"
    (bad / "broken.nq").write_text(f'<urn:x> <urn:p> "fine" <{graph}> .\n<urn:x> <urn:p> "unterminated <{graph}> .\n',
                                   encoding="utf-8")
    try:
        done = bulk(virtuoso, "load", str(bad))
        assert done.returncode == 1
        assert "the loader failed on some files" in done.stderr and "broken.nq" in done.stderr
    finally:
        done = bulk(virtuoso, "unload", str(bad))
    assert done.returncode == 0, done.stderr
    assert per_graph(graph, "--endpoint", virtuoso.query_url) == {}


def test_an_empty_folder_is_a_clear_error(virtuoso, tmp_path):
    done = bulk(virtuoso, "load", str(tmp_path))
    assert done.returncode == 1
    assert "no quads in *.nq" in done.stderr and "kg export --format nq" in done.stderr
