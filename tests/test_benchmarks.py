"""The scale benchmark runs: a small smoke run of benchmarks/bench_scale.py (10 county-years,
not timed), so that the benchmark the scale figures come from never rots."""

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
                           "--stages", "gen,parse,build,queries", "--json", str(out)],
                          capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    ten = json.loads(out.read_text(encoding="utf-8"))["results"]["10"]
    assert ten["gen"]["tasks"] == ten["parse"]["tasks"] > 1500
    build = ten["build"]
    assert build["triples"] > 100_000 and build["floor_seconds"] > 0 and build["export_mb"] > 0
    queries = ten["queries"]["queries"]
    assert set(queries) == set(named_queries())
    assert {name: q for name, q in queries.items() if q.get("seconds") is None} == {}
    # every county's chapters that hold a led task, read from the summary graph
    chapters = sum(len({t.chapter for t in plan.tasks if t.leads}) for plan in synth.synthesize(counties=10, seed=0))
    assert queries["tasks-per-chapter"]["rows"] == chapters
    for row in ("| kg build / floor |", "| floor: Oxigraph bulk_load of the same N-Quads file |"):
        assert row in proc.stdout
