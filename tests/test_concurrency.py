"""Concurrency: two `kg build`s on one store at once, and `kg serve` under 20 concurrent clients.

- Two builds started together: each succeeds or fails with the clear "locked" error (one
  at least succeeds); with ``--wait`` both succeed one after the other. The store always
  ends as one complete graph — exactly the graph of one of the two sources.
- `python3 -m kg serve` on a free loopback port answers 20 client threads for
  ``RESPKG_SOAK_SECONDS`` (default 60) seconds of named queries with parameters; every
  answer must equal the one rdflib's own SPARQL engine computes over the same dataset. The
  number of queries and the latency percentiles are printed (``-s`` shows them).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import BNode, URIRef
from rdflib.plugins.sparql.results.jsonresults import parseJsonTerm

from helpers import lock_held, store_quads
from kg.build import dataset_from
from kg.sparql.query import bind_values, find_named, resolve_params, run, with_prefixes
from kg.store.embedded import MemoryStore, OxigraphStore

TESTS = Path(__file__).parent
ROOT = TESTS.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
SOAK_SECONDS = float(os.environ.get("RESPKG_SOAK_SECONDS", "60"))
CLIENTS = 20
SOURCES = {"seed": None, "yongchun": TESTS / "data" / "layouts" / "inline_yongchun.txt"}

#: (named query, parameters): several questions, most with parameters.
CASES = [
    ("tasks-led-by", {"unit": "工信局"}),
    ("tasks-led-by", {"unit": "科技局"}),
    ("tasks-supported-by", {"unit": "财政局"}),
    ("leader-tasks", {"leader": "李自力"}),
    ("leader-units", {"leader": "庄天怀"}),
    ("person-responsibilities", {"person": "庄天怀"}),
    ("coordination-burden", {"min": "5"}),
    ("tasks-mentioning", {"word": "人才"}),
    ("tasks-mentioning", {"word": 'x" } ; DROP ALL ; { "'}),
    ("section-tasks", {"section": "一、狠抓科技创新"}),
    ("tasks-per-chapter", {}),
    ("supporters-never-leading", {}),
]


def build_cmd(folder: Path, source: str, *extra: str) -> list[str]:
    path = SOURCES[source]
    return [sys.executable, "-m", "kg", "build", *([str(path)] if path else []), "--store-dir", str(folder), *extra]


@pytest.fixture(scope="module")
def graphs(tmp_path_factory) -> dict[str, tuple[frozenset[str], int]]:
    """The complete graph of each source, as one `kg build` alone stores it."""
    out = {}
    for name in SOURCES:
        folder = tmp_path_factory.mktemp(name) / "store"
        proc = subprocess.run(build_cmd(folder, name), capture_output=True, text=True, env=ENV, timeout=300)
        assert proc.returncode == 0, proc.stderr
        out[name] = store_quads(folder)
    return out


def start_both(folder: Path, *extra: str) -> list[subprocess.Popen]:
    return [subprocess.Popen(build_cmd(folder, name, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=ENV) for name in SOURCES]


def finish(procs: list[subprocess.Popen]) -> list[tuple[int, str]]:
    out = []
    try:
        for p in procs:
            _, err = p.communicate(timeout=300)
            out.append((p.returncode, err))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(10)
    return out


def test_two_builds_at_once(tmp_path, graphs):
    """Two builds of different sources started together, three times: each succeeds or says the store
    is locked; at least one succeeds; the store holds exactly one source's complete graph."""
    folder = tmp_path / "store"
    seen = []
    for _ in range(3):
        results = finish(start_both(folder))
        winners = [name for name, (code, _) in zip(SOURCES, results) if code == 0]
        for code, err in results:
            if code != 0:
                assert code == 1 and "Traceback" not in err, err
                lines = err.splitlines()
                assert len(lines) == 1 and "the store is locked by kg build (pid" in lines[0], err
        assert winners, results
        state = store_quads(folder)
        assert state in [graphs[name] for name in winners], "the store is not one complete graph"
        seen.append(winners)
    print(f"builds that succeeded in each round: {seen}")


def test_two_builds_that_wait(tmp_path, graphs):
    """With --wait both builds succeed, one after the other, while a third process holds the lock at
    first (so both really wait); the store ends as one source's complete graph."""
    folder = tmp_path / "store"
    with lock_held(folder, tmp_path, 3.0):
        procs = start_both(folder, "--wait", "120")
        time.sleep(1.0)
        assert all(p.poll() is None for p in procs), "a build did not wait for the lock"
    results = finish(procs)
    assert [code for code, _ in results] == [0, 0], results
    assert store_quads(folder) in graphs.values()


# --- kg serve under load ---------------------------------------------------------------------


def norm(term):
    """A comparable form of an answer's term: numbers by value, other literals by text and datatype."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    value = term.toPython()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ("num", round(float(value), 9))
    dtype = str(term.datatype) if term.datatype and not str(term.datatype).endswith("#string") else None
    # GROUP_CONCAT is left to the engine: the order of its parts (compared as a set here) and its
    # language (Oxigraph keeps a tag all the parts share, rdflib gives a plain string)
    return ("lit", "; ".join(sorted(str(term).split("; "))), dtype if dtype and not term.language else None)


def rows_key(columns: list[str], rows) -> list:
    return sorted((tuple(norm(row[i]) for i in range(len(columns))) for row in rows), key=repr)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """An embedded store loaded with a dataset, and the answers rdflib computes over that same dataset."""
    ds, _ = dataset_from(None)
    folder = tmp_path_factory.mktemp("serve") / "store"
    store = OxigraphStore(folder)
    store.replace(ds)
    memory = MemoryStore(ds)
    cases = []
    for name, params in CASES:
        nq = find_named(name)
        bindings = resolve_params(store, nq, params)
        expected = run(memory, nq.text, bindings)  # rdflib's engine, initBindings
        text = bind_values(with_prefixes(nq.text), bindings)  # what a client sends: the values bound as terms
        cases.append((f"{name} {params}", text, expected.columns, rows_key(expected.columns, expected.rows)))
    assert any(rows for *_, rows in cases)
    return folder, cases


@pytest.fixture
def server(served, tmp_path):
    """`python3 -m kg serve --port 0` in its own process group; stopped (and its workers) afterwards."""
    folder, _ = served
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store-dir", str(folder), "--port", "0",
                             "--timeout", "60"], stdout=subprocess.DEVNULL, stderr=log, env=ENV,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        url = None
        while url is None:
            log.seek(0)
            m = re.search(r"endpoint at (http://\S+/sparql)", log.read())
            if m:
                url = m.group(1)
            elif proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"kg serve did not start: {log.read()}")
            else:
                time.sleep(0.1)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(10)
        log.close()


def ask(url: str, text: str) -> tuple[int, list[str], list]:
    body = urllib.parse.urlencode({"query": text}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/x-www-form-urlencoded",
                                             "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            doc = json.loads(resp.read())
            status = resp.status
    except urllib.error.HTTPError as exc:
        return exc.code, [], [exc.read().decode("utf-8", "replace")]
    columns = doc["head"]["vars"]
    rows = [tuple(parseJsonTerm(b[c]) if c in b else None for c in columns) for b in doc["results"]["bindings"]]
    return status, columns, rows


def test_serve_under_twenty_clients(served, server):
    """20 clients for RESPKG_SOAK_SECONDS each run named queries with parameters against `kg serve`;
    every answer is HTTP 200 and equal to rdflib's answer over the same dataset."""
    _, cases = served
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + SOAK_SECONDS

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        while time.monotonic() < stop:
            label, text, columns, expected = rnd.choice(cases)
            t0 = time.perf_counter()
            try:
                status, got_columns, rows = ask(server, text)
            except Exception as exc:  # a refused or dropped connection is a failure to report, not a crash
                with lock:
                    failures.append(f"{label}: {type(exc).__name__}: {exc}")
                continue
            took = time.perf_counter() - t0
            problem = None
            if status != 200:
                problem = f"HTTP {status}: {rows}"
            elif got_columns != columns:
                problem = f"columns {got_columns} != {columns}"
            elif rows_key(columns, rows) != expected:
                problem = f"{len(rows)} rows differ from the {len(expected)} expected"
            with lock:
                latencies.append(took)
                if problem:
                    failures.append(f"{label}: {problem}")

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SOAK_SECONDS + 300)
    assert not any(t.is_alive() for t in threads), "a client hung"
    assert not failures, f"{len(failures)} bad answers, e.g. {failures[:5]}"
    assert latencies
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    print(f"\nkg serve: {len(ordered)} queries answered by {CLIENTS} clients in {SOAK_SECONDS:g} s "
          f"({len(ordered) / SOAK_SECONDS:.1f}/s); latency ms p50 {pct(50):.0f}, p90 {pct(90):.0f}, "
          f"p99 {pct(99):.0f}, max {ordered[-1] * 1000:.0f}")
