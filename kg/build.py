"""Building the graph: sources → records → RDF → store, in one call.

:func:`load_sources` reads source texts (any layout the parsers know) and records files
(``.jsonl``, the format of ``kg parse``); :func:`build` turns them into one Dataset — a
named graph per plan plus the build's provenance — and swaps it into the store.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from kg.errors import InputError, RecordError
from kg.graph import build_dataset
from kg.namespaces import DEFAULT_BASE
from kg.parse import ParseResult, parse_file
from kg.parse.result import PlanMeta
from kg.quality import record_findings
from kg.records import load_jsonl
from kg.resources import default_source

__all__ = ["load_sources", "build", "build_results", "BuildSummary", "dataset_from"]


def _load_records(path: Path) -> ParseResult:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RecordError(f"{path}: records files are UTF-8 JSON Lines") from None
    tasks = list(load_jsonl(text, str(path)))
    if not tasks:
        raise RecordError(f"{path}: no records in the file")
    return ParseResult(tasks, record_findings(tasks), path.name, "records", PlanMeta(), hashlib.sha256(raw).hexdigest())


def load_sources(paths: list[str | Path] | None, layout: str | None = None) -> list[ParseResult]:
    """Parse each source (the bundled 2021 table if none): texts by their layout (detected unless
    ``layout`` is given), ``.jsonl`` as records."""
    out = []
    for p in paths or [default_source()]:
        p = Path(p)
        out.append(_load_records(p) if p.suffix.lower() in (".jsonl", ".ndjson") else parse_file(p, layout))
    return out


def dataset_from(paths: list[str | Path] | None, base: str = DEFAULT_BASE) -> tuple[Dataset, list[ParseResult]]:
    """The Dataset of the given sources, built in memory."""
    results = load_sources(paths)
    return build_dataset(results, base), results


@dataclass(frozen=True)
class BuildSummary:
    """What a build did, for the report line."""

    sources: list[str]
    tasks: int
    graphs: int
    triples: int
    seconds: float
    store: str


def build(paths: list[str | Path] | None, store, base: str = DEFAULT_BASE, wait: float = 0.0) -> BuildSummary:
    """Parse the sources, build the graph and make it the store's whole content."""
    t0 = time.perf_counter()
    return build_results(load_sources(paths), store, base, wait, t0)


def build_results(results: list[ParseResult], store, base: str = DEFAULT_BASE, wait: float = 0.0,
                  started: float | None = None) -> BuildSummary:
    """Build the graph of sources already parsed and make it the store's whole content."""
    t0 = started if started is not None else time.perf_counter()
    ds = build_dataset(results, base)
    store.replace(ds, wait=wait)
    graphs = [g for g in ds.graphs() if len(g)]
    return BuildSummary(
        sources=[r.file for r in results],
        tasks=sum(len(r.tasks) for r in results),
        graphs=len(graphs),
        triples=sum(len(g) for g in graphs),
        seconds=time.perf_counter() - t0,
        store=store.describe(),
    )
