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


def store_quads(folder: Path) -> tuple[frozenset[str], int]:
    """An embedded store's quads outside the build-provenance graph (which holds the build's time),
    and how many quads are inside it: what two complete builds of one source share."""
    from kg.graph.plan import BUILD_GRAPH
    from kg.graph.namespaces import DEFAULT_BASE
    from kg.store.embedded import OxigraphStore

    plan, prov = set(), 0
    for q in OxigraphStore(folder).ox():
        if q.graph_name.value == DEFAULT_BASE + BUILD_GRAPH:
            prov += 1
        else:
            plan.add(str(q))
    return frozenset(plan), prov
