"""The scale benchmark runs: a small smoke run of benchmarks/bench_scale.py (10 county-years,
not timed; `kg serve` under four clients for 3 s; a build killed halfway and one on a full
disk), so that the benchmark the scale figures come from never rots."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kg import synth
from kg.sparql.query import named_queries

ROOT = Path(__file__).resolve().parent.parent


def test_scale_benchmark_smoke_run(tmp_path):
    out = tmp_path / "scale.json"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_scale.py"), "--sizes", "10",
                           "--stages", "gen,parse,build,queries,memory,serve,faults", "--json", str(out),
                           "--command-under", "0.02", "--clients", "4", "--serve-seconds", "3", "--memory-max", "0"],
                          capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    ten = json.loads(out.read_text(encoding="utf-8"))["results"]["10"]
    assert ten["gen"]["tasks"] == ten["parse"]["tasks"] > 1500
    build = ten["build"]
    assert build["triples"] > 100_000 and build["floor_seconds"] > 0 and build["export_mb"] > 0
    queries = ten["queries"]["queries"]
    assert set(queries) == set(named_queries())
    assert {name: q for name, q in queries.items() if q.get("seconds") is None} == {}
    # the baseline (for the seed only, --memory-max 0): the same queries through rdflib's memory
    # store over the same graph, with answers of the same sizes
    seed = json.loads(out.read_text(encoding="utf-8"))["results"]["0"]
    memory = seed["memory"]["queries"]
    assert {name: q for name, q in memory.items() if q.get("seconds") is None} == {}
    assert {name: q["rows"] for name, q in memory.items()} == {name: q["rows"] for name, q in seed["queries"]["queries"].items()}
    assert "memory" not in ten
    # every county's chapters that hold a led task, read from the summary graph
    chapters = sum(len({t.chapter for t in plan.tasks if t.leads}) for plan in synth.synthesize(counties=10, seed=0))
    assert queries["tasks-per-chapter"]["rows"] == chapters
    # the whole command, for the queries fastest alone
    assert any(q.get("command_seconds", 0) > q["seconds"] for q in queries.values())
    for mix in ("serve", "selective"):
        served = ten["serve"][mix]
        assert served["answered"] > 10 and served["failed"] == 0 and served["p99"] > 0
        assert all(q["asked"] for q in served["queries"].values())
    faults = ten["faults"]["faults"]
    assert faults["old_store_answers"] and faults["tasks_after_kill"] == 173 and faults["tidied"]
    disk = faults["full_disk"]
    if isinstance(disk, dict):  # the tmpfs needs root; CI runs as root
        assert disk["exit"] == 1 and not disk["traceback"] and disk["old_store_answers"], disk
        assert "No space left on device" in disk["error"][0]
    for row in ("| kg build / floor |", "| floor: Oxigraph bulk_load of the same N-Quads file |",
                "| kg serve: p50 / p99 latency |", "| SIGKILL of a build halfway: the old store answers | – | yes"):
        assert row in proc.stdout
