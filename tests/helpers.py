"""Helpers shared by several test modules: clean CLI errors, a second process holding a store's lock."""

from __future__ import annotations

import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest


def assert_clean_error(result, *fragments: str, code: int = 1) -> str:
    """Exit `code`, one `Error: …` line on stderr containing every fragment, no traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert message.startswith("Error: ")
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from kg.store.embedded import OxigraphStore
folder, ready, seconds = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
with OxigraphStore(folder).lock():
    ready.write_text("ready")
    time.sleep(seconds)
Path(str(ready) + ".released").write_text("released")
"""


@contextmanager
def lock_held(folder: Path, scratch: Path, seconds: float):
    """Another process holds the store's build lock for `seconds` (killed on exit if still alive)."""
    ready = scratch / "lock-ready"
    proc = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(folder), str(ready), str(seconds)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            if proc.poll() is not None:
                pytest.fail(f"the lock holder exited early: {proc.stderr.read().decode()}")
            if time.monotonic() > deadline:
                pytest.fail("the lock holder did not take the lock within 30 s")
            time.sleep(0.05)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def load_row_keys(store) -> dict:
    """The summary graph's load rows of a pyoxigraph store (blank nodes, which each load names
    afresh) by what identifies them: their class and holder."""
    import pyoxigraph

    from kg.graph.namespaces import RK

    holder = {q.subject: q.object.value
              for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RK.holder)), None, None)}
    return {q.subject: (q.object.value, holder[q.subject])
            for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDF_TYPE)), None, None)
            if q.subject in holder}


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def store_quads(folder: Path) -> tuple[frozenset[str], int]:
    """An embedded store's quads outside the build-provenance graph (which holds the build's time),
    and how many quads are inside it: what two complete builds of one source share (the load
    rows' blank nodes written as their class and holder)."""
    from kg.graph.plan import BUILD_GRAPH
    from kg.graph.namespaces import DEFAULT_BASE
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(folder).ox()
    rows = load_row_keys(store)
    plan, prov = set(), 0
    for q in store:
        if q.graph_name.value == DEFAULT_BASE + BUILD_GRAPH:
            prov += 1
        else:
            plan.add(f"{rows.get(q.subject, q.subject)} {q.predicate} {q.object} {q.graph_name}")
    return frozenset(plan), prov
