"""Where the graph lives: a persistent embedded Oxigraph store, rdflib's memory, or a server.

rdflib is the graph API throughout: every store hands out an ``rdflib.Dataset``. The
embedded default is Oxigraph (through oxrdflib), because rdflib's own SPARQL engine is
far too slow beyond toy sizes.

The embedded store is a folder (``.respkg/store`` by default)::

    .respkg/store/lock            held by a build; a second build waits or fails clearly
    .respkg/store/current  ->  v-<time>-<pid>    symlink to the live version
    .respkg/store/v-…                            one Oxigraph database per build

A build loads a fresh version folder and then swaps the ``current`` symlink with one
atomic rename, so readers see the old graph or the new one, never a mix, and a failed or
killed build leaves the previous graph in place. The previous version is kept (a reader
may still have it open); older ones are removed.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import io
import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Protocol

import rdflib.plugins.sparql
from rdflib import BNode, Dataset, Literal, URIRef

from kg.errors import RespkgError
from kg.graph.namespaces import PREFIXES, plain

# rdflib's SPARQL engine fetches the graph of a `FROM <url>` or `FROM NAMED <url>` from the web
# when the store has no graph of that name: a query would make this process send requests
# wherever it says. Off for the whole process; such a graph is simply empty. (Oxigraph never
# fetches: FROM names a graph of the store.)
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__all__ = ["Store", "OxigraphStore", "MemoryStore", "StoreError", "StoreLocked", "open_store", "DEFAULT_STORE",
           "STORE_KINDS"]

DEFAULT_STORE = ".respkg/store"


class StoreError(RespkgError):
    """A store cannot be opened, read or written."""


class StoreLocked(StoreError):
    """Another process holds the store's build lock."""


class Store(Protocol):
    """What every store offers: replace all content at once, and read it through rdflib."""

    def replace(self, data: Dataset, wait: float = 0.0) -> None:
        """Make ``data`` the store's whole content, atomically; wait up to ``wait`` s for a lock."""

    def replace_graphs(self, graphs: Iterable[tuple[URIRef, Iterable[tuple]]], wait: float = 0.0) -> None:
        """As :meth:`replace`, from named graphs given one at a time as (IRI, triples of rdflib terms)."""

    def dataset(self) -> Dataset:
        """The content as an rdflib Dataset (the default graph is the union of the named graphs)."""

    def describe(self) -> str:
        """A short description for messages (`embedded Oxigraph at .respkg/store`)."""

    def query(self, sparql: str, bindings: dict, dataset=None, base_iri: str | None = None):
        """Run a read query (prefixes already declared) with variables bound to RDF terms; a QueryResult.

        The dataset is the query's ``FROM`` / ``FROM NAMED``, or ``dataset`` (a
        :class:`~kg.store.results.QueryDataset`, which replaces them), else the union of the
        named graphs as the default graph; relative IRIs resolve against ``base_iri``."""


def bind_prefixes(ds: Dataset) -> Dataset:
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


class MemoryStore:
    """rdflib's in-memory store: nothing persists; read commands build the graph on the fly."""

    def __init__(self, data: Dataset | None = None):
        self._data = bind_prefixes(data if data is not None else Dataset())
        self._data.default_union = True

    def replace(self, data: Dataset, wait: float = 0.0) -> None:
        self._data = bind_prefixes(data)
        self._data.default_union = True

    def replace_graphs(self, graphs: Iterable[tuple[URIRef, Iterable[tuple]]], wait: float = 0.0) -> None:
        from kg.graph.plan import to_dataset

        self.replace(to_dataset(graphs), wait)

    def dataset(self) -> Dataset:
        return self._data

    def describe(self) -> str:
        return "rdflib memory store"

    def query(self, sparql: str, bindings: dict, dataset=None, base_iri: str | None = None):
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.plugins.sparql.parserutils import CompValue

        from kg.store.results import QueryResult, syntax_error

        try:
            prepared = prepareQuery(sparql, base=base_iri)
            if dataset is not None:
                # rdflib reads the dataset from the query's own clauses: the protocol's replace them
                prepared.algebra["datasetClause"] = (
                    [CompValue("DatasetClause", default=URIRef(g)) for g in dataset.default]
                    + [CompValue("DatasetClause", named=URIRef(g)) for g in dataset.named])
            result = self._data.query(prepared, initBindings=bindings)
        except Exception as exc:  # pyparsing's ParseException and friends carry line and column
            if exc.__class__.__name__ in ("ParseException", "ParseSyntaxException"):
                raise syntax_error(sparql, f"error at {exc.lineno}:{exc.col}: {exc.msg}") from None
            raise
        if result.type == "ASK":
            return QueryResult([], boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult(["subject", "predicate", "object"], [tuple(t) for t in result.graph])
        return QueryResult([str(v) for v in result.vars], [tuple(row) for row in result])


class OxigraphStore:
    """The persistent embedded store: versioned Oxigraph folders behind a ``current`` symlink."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._opened: tuple[Path, object] | None = None  # the live version, opened read-only

    def describe(self) -> str:
        return f"embedded Oxigraph store at {self.path}"

    @property
    def current(self) -> Path:
        return self.path / "current"

    def exists(self) -> bool:
        return self.current.is_dir()

    @contextmanager
    def lock(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the store's build lock; wait up to ``wait`` seconds, then fail clearly."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fh = open(self.path / "lock", "a+")
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the store folder ({exc.strerror})") from None
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise StoreError(f"{self.path}: cannot lock the store ({exc.strerror})") from None
                    if time.monotonic() >= deadline:
                        fh.seek(0)
                        holder = fh.read().strip() or "another process"
                        raise StoreLocked(f"{self.path}: the store is locked by {holder} (another kg build); "
                                          "wait for it to finish or use --wait SECONDS") from None
                    time.sleep(0.2)
            fh.seek(0)
            fh.truncate()
            fh.write(f"kg build (pid {os.getpid()})")
            fh.flush()
            yield
        finally:
            fh.close()

    def replace(self, data: Dataset, wait: float = 0.0) -> None:
        """Load ``data`` into a new version folder and swap it in atomically."""
        self.replace_graphs(((g.identifier, g) for g in data.graphs() if len(g) and isinstance(g.identifier, URIRef)),
                            wait)

    def replace_graphs(self, graphs: Iterable[tuple[URIRef, Iterable[tuple]]], wait: float = 0.0) -> None:
        """Load named graphs, as they come, into a new version folder and swap it in atomically
        (:meth:`replace_nquads` of each graph's N-Quads)."""
        self.replace_nquads((chunk for iri, triples in graphs for chunk in nquad_chunks(iri, triples)), wait)

    def replace_nquads(self, chunks: Iterable[bytes], wait: float = 0.0) -> None:
        """Load N-Quads, chunk by chunk as they come, into a new version folder and swap it in
        atomically. One bulk load reads the chunks as one stream, so a build never holds the
        whole graph in memory, and the chunks can be written elsewhere (by the build's worker
        processes, :func:`kg.build.build`)."""
        import pyoxigraph as ox

        with self.lock(wait):
            previous = os.readlink(self.current) if self.current.is_symlink() else None
            version = self.path / f"v-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
            link = self.path / f".current-{os.getpid()}"
            try:
                store = ox.Store(str(version))
                # one bulk load over the graphs as one N-Quads stream: bulk_extend keeps every
                # quad in memory first (1 GB at 100 county-years), and one load per graph
                # leaves the store in many small files that slow every query down
                store.bulk_load(_Chunks(chunks), ox.RdfFormat.N_QUADS)
                store.flush()
                # compacted once, before any reader: a bulk load leaves its files as written, and
                # each lookup then reads several (at 1,000 county-years 26 s here, after which
                # tasks-per-chapter took 1.6 s instead of 5.1 s and every lookup a third as long)
                store.optimize()
                del store
                gc.collect()
                if link.is_symlink():
                    link.unlink()
                link.symlink_to(version.name)
                os.replace(link, self.current)
            except OSError as exc:
                _discard(version, link)
                raise StoreError(f"{self.path}: cannot write the store ({exc.strerror or exc}); "
                                 "the previous graph is unchanged") from None
            except (ValueError, SyntaxError) as exc:  # pyoxigraph refuses a term (an IRI with a space, say)
                _discard(version, link)
                raise StoreError(f"{self.path}: the graph holds a term the store refuses ({exc}); "
                                 "the previous graph is unchanged") from None
            except BaseException:
                _discard(version, link)
                raise
            # The swap is done: what follows only makes it durable and tidies up, and a
            # failure there must not undo it (some filesystems refuse fsync on a folder).
            try:
                _fsync_dir(self.path)
            except OSError:
                pass
            self._prune(keep={version.name, previous})

    def _prune(self, keep: set[str | None]) -> None:
        """Remove every version but the live one and the one before it (a reader may still have it
        open): older builds and folders left by killed builds, and the temporary symlinks a build
        killed just before its swap leaves (only the lock holder makes one, so none is in use)."""
        for p in self.path.glob("v-*"):
            if p.is_dir() and p.name not in keep:
                shutil.rmtree(p, ignore_errors=True)
        for p in self.path.glob(".current-*"):
            if p.is_symlink():
                p.unlink(missing_ok=True)

    def ox(self):
        """The live version as a read-only pyoxigraph Store, opened once per version: opening
        takes ~50 ms, and a command asks a dozen questions (a build makes a new version,
        which the next call opens; a version never changes once built)."""
        import pyoxigraph as ox

        if not self.exists():
            raise StoreError(f"{self.path}: no graph here yet; run `kg build` first (or pass --store memory)")
        version = self.current.resolve()
        if self._opened is None or self._opened[0] != version:
            try:
                self._opened = (version, ox.Store.read_only(str(version)))
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot open the store ({exc})") from None
        return self._opened[1]

    def query(self, sparql: str, bindings: dict, dataset=None, base_iri: str | None = None):
        return ox_query(self.ox(), sparql, bindings, dataset, base_iri)

    def dump(self, output, fmt: str) -> None:
        """Stream the graph to a binary file by Oxigraph itself, with flat memory: ``nq`` and
        ``trig`` every named graph, ``nt`` and ``ttl`` their union (a CONSTRUCT over the graphs,
        streamed: a triple held by two graphs may come twice, which is still the same graph)."""
        import pyoxigraph as ox

        kind = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
                "ttl": ox.RdfFormat.TURTLE}[fmt]
        store = self.ox()
        if fmt in ("nq", "trig"):
            store.dump(output, kind, prefixes=PREFIXES if fmt == "trig" else None)
        else:
            ox.serialize(store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"), output, kind,
                         prefixes=PREFIXES if fmt == "ttl" else None)

    def dataset(self) -> Dataset:
        from oxrdflib import OxigraphStore as OxRdflibStore

        return bind_prefixes(Dataset(store=OxRdflibStore(store=self.ox()), default_union=True))


class _Chunks(io.RawIOBase):
    """A binary stream reading the concatenation of an iterator of byte strings."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks, self._buf, self._at = iter(chunks), b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while self._at >= len(self._buf):
            try:
                self._buf, self._at = next(self._chunks), 0
            except StopIteration:
                return 0
        n = min(len(b), len(self._buf) - self._at)
        b[:n] = memoryview(self._buf)[self._at:self._at + n]
        self._at += n
        return n


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _escaped(text: str) -> str:
    """A string as the inside of an N-Quads literal: backslash, quote and line breaks escaped."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return text.replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


#: what N-Quads allows in no IRI: written as it is, one such character could end the IRI and
#: start a quad of the text's choosing
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _iri(t) -> str:
    if _NOT_IN_IRI.search(t):
        raise ValueError(f"IRI {str(t)!r}: holds a character no IRI may hold")
    return f"<{t}>"


def _nq_term(t) -> str:
    if isinstance(t, Literal):
        text = f'"{_escaped(str(t))}"'
        if t.language:
            return f"{text}@{t.language}"
        return f"{text}^^{_iri(t.datatype)}" if t.datatype and str(t.datatype) != _XSD_STRING else text
    if isinstance(t, BNode):
        if not re.fullmatch(r"\w+", t):
            raise ValueError(f"blank node {str(t)!r}: not a label N-Quads can write")
        return f"_:{t}"
    return _iri(t)


def nquads(iri: URIRef, triples: Iterable[tuple]) -> bytes:
    """One named graph's rdflib triples as N-Quads (:func:`nquad_chunks` joined)."""
    return b"".join(nquad_chunks(iri, triples))


def nquad_chunks(iri: URIRef, triples: Iterable[tuple], lines: int = 100_000) -> Iterator[bytes]:
    """One named graph's rdflib triples as N-Quads, ``lines`` quads a chunk, written here
    rather than converted to pyoxigraph terms and serialised: the text is all a bulk load
    needs. IRIs and blank nodes (each subject comes back a dozen times) are written once
    each; a term N-Quads cannot write is a ValueError, as pyoxigraph's own terms would raise."""
    graph = f" {_iri(iri)} .\n"
    written: dict = {}
    predicates: dict = {}
    out = []
    for s, p, o in triples:
        subject = written.get(s)
        if subject is None:
            subject = written[s] = _nq_term(s)
        pred = predicates.get(p)
        if pred is None:
            pred = predicates[p] = f" {_iri(p)} "
        if isinstance(o, Literal):
            obj = _nq_term(o)
        else:
            obj = written.get(o)
            if obj is None:
                obj = written[o] = _nq_term(o)
        out.append(subject + pred + obj + graph)
        if len(out) >= lines:
            yield "".join(out).encode("utf-8")
            out = []
    if out:
        yield "".join(out).encode("utf-8")


def ox_query(store, sparql: str, bindings: dict, dataset=None, base_iri: str | None = None):
    """Run a query on a pyoxigraph Store; rdflib terms out.

    The dataset: ``dataset``'s graphs if given (they override the query's ``FROM``), else the
    query's ``FROM`` / ``FROM NAMED``, else the union of the named graphs as the default
    graph. The union flag must be left off when the query names its dataset: pyoxigraph's
    ``use_default_graph_as_union`` overrides a ``FROM`` (oxigraph issue 959).
    """
    import pyoxigraph as ox
    from oxrdflib._converter import from_ox

    from kg.store.results import QueryResult, bound_for_oxigraph, names_dataset, syntax_error

    if dataset is not None:
        scope = {"default_graph": [ox.NamedNode(g) for g in dataset.default],
                 "named_graphs": [ox.NamedNode(g) for g in dataset.named]}
    else:
        scope = {"use_default_graph_as_union": not names_dataset(sparql)}
    # Parameters are written in place as terms (bind_in_place), not passed as pyoxigraph's
    # ``substitutions=``: in pyoxigraph 0.5.13 that argument refuses a variable the SELECT does
    # not project ("does not contains variable ?section in its SELECT projection"), which is
    # how most named queries use their parameters; where both work (a projected variable,
    # measured at 50 county-years) they take the same time.
    try:
        result = store.query(bound_for_oxigraph(sparql, bindings),
                             base_iri=base_iri, **scope)
    except SyntaxError as exc:
        raise syntax_error(sparql, str(exc)) from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult([], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        return QueryResult(columns, [tuple(plain(from_ox(t)) if t is not None else None for t in row) for row in result])
    return QueryResult(["subject", "predicate", "object"],
                       [(from_ox(t.subject), from_ox(t.predicate), plain(from_ox(t.object))) for t in result])


def _discard(version: Path, link: Path) -> None:
    """Remove what a failed build left: its version folder and its temporary symlink."""
    shutil.rmtree(version, ignore_errors=True)
    if link.is_symlink():
        link.unlink()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


STORE_KINDS = ("oxigraph", "memory")


def open_store(kind: str | None = None, folder: str | Path | None = None) -> Store:
    """The store named by ``--store`` (``oxigraph`` or ``memory``) and ``--store-dir``.

    Defaults: ``$RESPKG_STORE`` or ``oxigraph``; ``$RESPKG_STORE_DIR`` or ``.respkg/store``
    relative to the current directory.
    """
    kind = kind or os.environ.get("RESPKG_STORE") or "oxigraph"
    if kind == "memory":
        return MemoryStore()
    if kind != "oxigraph":
        raise StoreError(f"unknown store {kind!r}: use --store oxigraph (the embedded default) or --store memory, "
                         "or --endpoint URL for a SPARQL server")
    path = Path(folder or os.environ.get("RESPKG_STORE_DIR") or DEFAULT_STORE)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a folder; --store-dir names the folder of the embedded store")
    return OxigraphStore(path)
