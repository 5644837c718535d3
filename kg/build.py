"""Building the graph: sources → records → RDF → store, in one call.

:func:`load_documents` reads decomposition tables (texts in any layout the parsers know,
spreadsheets, records files ``.jsonl`` as ``kg parse`` writes them) and narrative reports
(:mod:`kg.parse.narrative`); :func:`named_graphs` turns them into named graphs one at a
time — one per plan and per report, the inferred graph (:mod:`kg.graph.inferred`) and the build's
provenance — which :func:`build` streams into the store (and :func:`assemble` gathers into
an rdflib Dataset where one is wanted). With no paths, the bundled documents: the 2021
table and the four reports.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from rdflib import Dataset, URIRef

from kg.errors import InputError, LayoutError, RecordError
from kg.graph.plan import Triples, plan_triples, provenance_triples, to_dataset
from kg.graph.inferred import inferred_graph
from kg.graph.namespaces import DEFAULT_BASE
from kg.graph.progress import progress_triples
from kg.parse import ParseResult, ProgressResult, parse_file, read_file, read_text
from kg.parse.clauses import LAYOUT as CLAUSES
from kg.parse.narrative import NarrativeResult, detect_kind, parse_narrative, parse_narrative_text, reviews_a_year
from kg.parse.result import PlanMeta
from kg.quality import record_findings
from kg.read.progress import ProgressReport, match_progress
from kg.records import load_jsonl
from kg.graph.report import report_graph
from kg.graph.summary import chapter_counts, summary_triples
from kg.analysis.load import LoadTally, graph_loads
from kg.resources import default_reports, default_source

__all__ = ["Documents", "load_documents", "load_sources", "named_graphs", "assemble", "build", "build_results",
           "BuildSummary", "dataset_from"]


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


@dataclass(frozen=True)
class Documents:
    """What a build reads: decomposition tables (plans), narrative reports and progress sources
    read against their plans."""

    plans: list[ParseResult]
    reports: list[NarrativeResult]
    progress: list[ProgressReport] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        return [d.file for d in [*self.plans, *self.reports]] + [p.source.file for p in self.progress]


def _load_one(path: Path, layout: str | None) -> ParseResult | NarrativeResult | ProgressResult:
    """A table (records, a spreadsheet, a document in any format), a progress source (a table with
    progress columns, :mod:`kg.parse.progress`) or, for a document that holds no task but reads
    as a report (text, Markdown, Word, PDF, a web page), the report."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _load_records(path)
    try:
        result = read_file(path, layout)
        if layout is None and isinstance(result, ParseResult) and result.layout == CLAUSES:
            # a work report whose 民生实事 list says who leads each (（X牵头）) is still a report
            text, digest = read_text(path)
            if reviews_a_year(text):
                return parse_narrative_text(text, path.name, digest)
        return result
    except LayoutError:
        if layout is None:
            text, digest = read_text(path)
            if detect_kind(text):
                return parse_narrative_text(text, path.name, digest)
        raise


def load_documents(paths: list[str | Path] | None, layout: str | None = None, plan: str | None = None,
                   as_of: str | None = None) -> Documents:
    """Read each path as a table, a progress source or a report; with none, the bundled 2021 table
    and reports. Progress sources are read against the plans loaded with them
    (:func:`kg.read.progress.match_progress`: ``plan`` names the plan where the source does not,
    ``as_of`` dates a source whose title gives no date)."""
    if not paths:
        return Documents([parse_file(default_source(), layout)], [parse_narrative(p) for p in default_reports()])
    return _documents([_load_one(Path(p), layout) for p in paths], plan, as_of)


def _documents(loaded: list, plan: str | None, as_of: str | None) -> Documents:
    """The documents read, sorted into plans, reports and progress sources read against the plans."""
    plans = [d for d in loaded if isinstance(d, ParseResult)]
    progress = [match_progress(d, plans, plan, as_of) for d in loaded if isinstance(d, ProgressResult)]
    _check_progress_names(progress)
    return Documents(plans, [d for d in loaded if isinstance(d, NarrativeResult)], progress)


def _check_progress_names(progress: list[ProgressReport]) -> None:
    """InputError where two progress sources share a file name: their graphs are named by it."""
    seen: dict[str, str] = {}
    for p in progress:
        stem = re.sub(r"\.[^.]+$", "", p.source.file)
        if stem in seen:
            raise InputError(f"{p.source.file}: a progress source named like {seen[stem]}; progress graphs are "
                             "named by their file, so give each quarter's file its own name")
        seen[stem] = p.source.file


def load_sources(paths: list[str | Path] | None, layout: str | None = None) -> list[ParseResult]:
    """The tables among the paths (the bundled 2021 table if none), for the commands that read
    only tables: a report among the paths is an error there."""
    if not paths:
        return [parse_file(default_source(), layout)]
    out = []
    for p in paths:
        doc = _load_one(Path(p), layout)
        if isinstance(doc, NarrativeResult):
            raise InputError(f"{p}: a {doc.kind} assigns no units; this command reads decomposition tables")
        if isinstance(doc, ProgressResult):
            raise InputError(f"{p}: a progress source (its table has progress columns), no plan; "
                             "kg build reads it with its plan")
        out.append(doc)
    return out


def named_graphs(docs: Documents, base: str = DEFAULT_BASE) -> Iterator[tuple[URIRef, Triples]]:
    """The named graphs of a build, one at a time (a store can load them as they come): each
    plan's, each report's, the inferred graph (if anything was inferred), the summary graph
    of their counts (:mod:`kg.graph.summary`) and the provenance."""
    counted: list[tuple[URIRef, set]] = []
    loads = LoadTally()
    for r in docs.plans:
        iri, triples = plan_triples(r, base)
        counted.append((iri, chapter_counts(triples)))
        loads.add(graph_loads(triples))
        yield iri, triples
    yield from _graphs_after_plans(docs, base, counted, loads)


def _graphs_after_plans(docs: Documents, base: str, counted: list[tuple[URIRef, set]], loads: LoadTally
                        ) -> Iterator[tuple[URIRef, Triples]]:
    """The graphs that read the plans: reports, progress, inferred links, then the summary of
    all of them with the plans' counts (``counted``) and loads (``loads``), and the provenance."""
    def count(iri: URIRef, triples: Triples) -> tuple[URIRef, Triples]:
        counted.append((iri, chapter_counts(triples)))
        loads.add(graph_loads(triples))
        return iri, triples

    for r in docs.reports:
        yield count(*report_graph(r, base))
    for p in docs.progress:
        yield count(*progress_triples(p, base))
    extra = []
    inferred, triples = inferred_graph(docs.plans, docs.reports, base)
    if triples:
        extra.append(inferred)
        yield count(inferred, triples)
    summary = summary_triples(counted, base, loads.tables())
    yield summary
    yield provenance_triples(docs.plans, base, reports=docs.reports, extra=[*extra, summary[0]], progress=docs.progress)


def assemble(docs: Documents, base: str = DEFAULT_BASE) -> Dataset:
    """The Dataset of a build (see :func:`named_graphs`)."""
    return to_dataset(named_graphs(docs, base))


def dataset_from(paths: list[str | Path] | None, base: str = DEFAULT_BASE) -> tuple[Dataset, list[ParseResult]]:
    """The Dataset of the given sources (the bundled documents if none), built in memory, and the plans read."""
    docs = load_documents(paths)
    return assemble(docs, base), docs.plans


@dataclass(frozen=True)
class BuildSummary:
    """What a build did, for the report line."""

    sources: list[str]
    tasks: int
    graphs: int
    triples: int
    seconds: float
    store: str
    progress: list[ProgressReport] = field(default_factory=list)


def _check_base(base: str) -> None:
    """InputError unless ``base`` is an absolute http(s) IRI every data IRI can start with."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(base)
    except ValueError as exc:
        raise InputError(f"--base-iri {base!r}: not an IRI ({exc})") from None
    if not re.match(r"https?://", base) or base[-1] not in "/#":
        raise InputError(f"--base-iri {base!r}: expected an http(s) IRI ending in / or #, "
                         "e.g. https://example.org/id/")


#: from how many sources :func:`build` reads them in worker processes by default
POOLED_FROM = 8


def build(paths: list[str | Path] | None, store, base: str = DEFAULT_BASE, wait: float = 0.0,
          plan: str | None = None, as_of: str | None = None, layout: str | None = None,
          processes: int | None = None) -> BuildSummary:
    """Read the sources, build the graph and make it the store's whole content (``plan`` and
    ``as_of`` as for :func:`load_documents`).

    Into a store that loads N-Quads (the embedded Oxigraph store), several sources are read
    and turned into their plan's N-Quads in ``processes`` worker processes while the store
    loads what they have written: parsing and writing the graph cost more than the load
    itself. By default one per core from :data:`POOLED_FROM` sources up (starting the pool
    costs about a second, more than a few sources take); ``processes=1`` does it all here."""
    t0 = time.perf_counter()
    _check_base(base)
    paths = list(paths or [])
    workers = min(processes or ((os.cpu_count() or 1) if len(paths) >= POOLED_FROM else 1), len(paths))
    if workers < 2 or not hasattr(store, "replace_nquads"):
        return build_results(load_documents(paths or None, layout, plan, as_of), store, base, wait, t0)
    return _build_in_workers(paths, store, base, wait, plan, as_of, layout, workers, t0)


def _read_and_write(job: tuple[str, str | None, str]) -> tuple:
    """In a worker, for one (path, layout, base): the source read (:func:`_load_one`) and, for
    a plan, its graph as N-Quads, its triple count, its chapter counts and loads for the summary
    graph; other documents come back as read, for the build to place."""
    from kg.store.embedded import nquads

    path, layout, base = job
    doc = _load_one(Path(path), layout)
    if not isinstance(doc, ParseResult):
        return doc, None, 0, None, None
    iri, triples = plan_triples(doc, base)
    return doc, nquads(iri, triples), len(triples), (iri, chapter_counts(triples)), graph_loads(triples)


def _in_order(pool, jobs: list, window: int) -> Iterator[tuple]:
    """The results of :func:`_read_and_write` over ``jobs``, in order, with at most ``window``
    asked for and not yet taken: the workers write faster than the store loads, and without
    a bound every plan's N-Quads would wait in memory (``Pool.imap`` has none)."""
    pending: deque = deque()
    todo = iter(jobs)
    for job in itertools.islice(todo, window):
        pending.append(pool.apply_async(_read_and_write, (job,)))
    while pending:
        result = pending.popleft().get()
        job = next(todo, None)
        if job is not None:
            pending.append(pool.apply_async(_read_and_write, (job,)))
        yield result


def _build_in_workers(paths: list, store, base: str, wait: float, plan: str | None, as_of: str | None,
                      layout: str | None, workers: int, t0: float) -> BuildSummary:
    """:func:`build` with the plans read and written in a pool of ``workers`` processes, in the
    order given, streamed into one bulk load; then the graphs that read all the plans."""
    import multiprocessing

    from kg.store.embedded import nquad_chunks

    loaded: list = []
    sizes: list[int] = []
    counted: list[tuple[URIRef, set]] = []
    loads = LoadTally()
    docs: Documents | None = None
    # forkserver: a fork of this process (which may run threads: a server, a test runner)
    # could inherit a lock held by another thread; the server process forks clean workers
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.build", "kg.store.embedded"])
    with ctx.Pool(workers) as pool:  # started before the load runs threads of its own

        def chunks() -> Iterator[bytes]:
            nonlocal docs
            for doc, data, n, counts, plan_loads in _in_order(pool, [(str(p), layout, base) for p in paths],
                                                              4 * workers):
                loaded.append(doc)
                if data is not None:
                    sizes.append(n)
                    counted.append(counts)
                    loads.add(plan_loads)
                    yield data
            docs = _documents(loaded, plan, as_of)
            for iri, triples in _graphs_after_plans(docs, base, counted, loads):
                sizes.append(len(triples))
                yield from nquad_chunks(iri, triples)

        store.replace_nquads(chunks(), wait=wait)
    return _summary(docs, sizes, store, t0)


def build_results(docs: Documents | list[ParseResult], store, base: str = DEFAULT_BASE, wait: float = 0.0,
                  started: float | None = None) -> BuildSummary:
    """Build the graph of documents already read (or of plans alone) and make it the store's whole content."""
    t0 = started if started is not None else time.perf_counter()
    _check_base(base)
    docs = docs if isinstance(docs, Documents) else Documents(list(docs), [])
    sizes: list[int] = []

    def counted():
        for iri, triples in named_graphs(docs, base):
            sizes.append(len(triples))
            yield iri, triples

    store.replace_graphs(counted(), wait=wait)
    return _summary(docs, sizes, store, t0)


def _summary(docs: Documents, sizes: list[int], store, t0: float) -> BuildSummary:
    return BuildSummary(
        sources=docs.files,
        tasks=sum(len(r.tasks) for r in docs.plans),
        graphs=len(sizes),
        triples=sum(sizes),
        seconds=time.perf_counter() - t0,
        store=store.describe(),
        progress=docs.progress,
    )
