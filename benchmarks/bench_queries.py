"""Benchmark: building the seed graph, and every named query in the embedded store against rdflib's memory store.

    python3 benchmarks/bench_queries.py [--repeat N]

The baseline of each query is rdflib's in-memory engine on the same graph in the same
run; the ratio says how much faster the embedded Oxigraph store answers. Medians of N
runs, wall clock, parameters bound as in the queries' examples.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time

from timing import median_seconds

from kg.build import build, dataset_from
from kg.sparql.query import find_named, named_queries, resolve_params, run
from kg.store.embedded import MemoryStore, OxigraphStore

EXAMPLES = {"unit": "工信局", "person": "林永红", "leader": "庄天怀", "section": "一、狠抓科技创新", "min": "5",
            "word": "人才"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    folder = tempfile.mkdtemp()
    embedded = OxigraphStore(folder)
    build_s = median_seconds(lambda: build(None, embedded), args.repeat)
    ds = dataset_from(None)[0]
    triples = sum(1 for _ in ds.quads((None, None, None, None)))
    memory_build = median_seconds(lambda: dataset_from(None), args.repeat)
    memory = MemoryStore(ds)
    print(f"machine: {platform.machine()}, CPython {platform.python_version()}, {time.strftime('%Y-%m-%d')}\n")
    print(f"seed graph: {triples} triples; kg build into the embedded store {build_s:.2f} s "
          f"(parse + RDF in memory alone {memory_build:.2f} s)\n")
    print("| named query | rows | embedded Oxigraph ms | rdflib memory ms | ratio |\n|---|---|---|---|---|")
    ox = embedded.ox()
    for name in sorted(named_queries()):
        nq = find_named(name)
        params = {p.name: EXAMPLES[p.name] for p in nq.params}
        b_ox = resolve_params(embedded, nq, params)
        b_mem = resolve_params(memory, nq, params)
        rows = len(run(embedded, nq.text, b_ox).rows)
        from kg.sparql.query import with_prefixes
        from kg.store.embedded import ox_query

        text = with_prefixes(nq.text)
        t_ox = median_seconds(lambda: ox_query(ox, text, b_ox), args.repeat)
        t_mem = median_seconds(lambda: run(memory, nq.text, b_mem), args.repeat)
        print(f"| {name} | {rows} | {t_ox * 1000:.1f} | {t_mem * 1000:.1f} | {t_mem / t_ox:.0f}× |")


if __name__ == "__main__":
    main()
