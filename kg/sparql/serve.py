"""A local, read-only SPARQL 1.1 Protocol endpoint over a store, with a query page.

Paths::

    GET  /                   the query page (YASGUI, vendored in kg/static/yasgui/; it requests nothing elsewhere)
    GET  /sparql?query=…     a query (SPARQL 1.1 Protocol); POST /sparql with a form (query=…) or an
                             application/sparql-query body does the same; /sparql/ answers as /sparql
    GET  /sparql             without a query: the SPARQL 1.1 Service Description (Turtle)
    GET  /queries.json       the named queries (name, zh, en, params, returns, example, text, editor)
    GET  /prefixes.json      the standard prefixes, {prefix: namespace}
    GET  /static/<file>      the page's files

``HEAD`` answers as ``GET`` without the body, ``OPTIONS`` with the methods allowed (and a
CORS preflight for the origins of ``cors``, none by default). The dataset of a query is its
``FROM`` / ``FROM NAMED``, replaced by the request's ``default-graph-uri`` /
``named-graph-uri`` when it has them; with neither, the default graph is the union of the
named graphs. Relative IRIs resolve against ``base_iri``, by default the endpoint's URL.

Answers are negotiated on ``Accept``: SELECT and ASK as ``application/sparql-results+json``
(the default) or ``+xml``, SELECT also as ``text/csv`` or ``text/tab-separated-values``;
CONSTRUCT and DESCRIBE as ``text/turtle`` (the default) or ``application/n-triples``. An
update (``update=``, ``application/sparql-update`` or update text) gets 403, a query with
``SERVICE`` (which would make this server send requests wherever the query says) 400, a
syntax error 400 with its line and column, parameters or a body that are not UTF-8 400, a
query running past the timeout 503. A query
the store fails on gets 500 with one line naming the failure; the store's full message,
which may quote whatever another server answered, goes to the log only. At most ``max_rows``
rows (or triples) are sent; a cut answer carries ``X-Respkg-Truncated: <all rows>``. A
HTTP itself — framing, keep-alive, request and header size limits — is waitress's (a
well-kept WSGI server); this module is the WSGI application. waitress reads each request
whole before the application sees it, so a refused request (a PUT, a POST to another path)
never leaves a body behind for the next request on a keep-alive connection.

Queries run in worker processes, never in the server's threads: pyoxigraph cannot stop a
running query and a Python thread cannot be killed, but a process can. Each worker opens
the store itself — read-only, from the folder of an :class:`~kg.store.embedded.OxigraphStore`, or
rebuilt from the N-Quads of a :class:`~kg.store.embedded.MemoryStore` as it was when the server
started. A worker whose query outlives the timeout is killed and replaced.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import queue
import re
import signal
import threading
import time
import urllib.parse
from http import HTTPStatus
from pathlib import Path
from typing import Callable

from kg.errors import RespkgError
from kg.graph.namespaces import PREFIXES
from kg.sparql.query import (NamedQuery, QueryDataset, QueryError, check_read_only, named_queries, service_line,
                             with_prefixes)

__all__ = ["make_server", "serve", "SparqlServer", "ServeError", "editor_text", "exposure_warning", "service_description",
           "STATIC_DIR"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

#: Media types of each kind of answer, the default first.
RESULT_TYPES = {
    "select": {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
               "text/csv": "csv", "text/tab-separated-values": "tsv"},
    "ask": {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml"},
    "graph": {"text/turtle": "turtle", "application/n-triples": "nt"},
}
#: Other names clients use for the same formats.
ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
           "text/xml": "application/sparql-results+xml", "application/x-turtle": "text/turtle",
           "text/plain": "application/n-triples"}
CONTENT_TYPES = {"json": "application/sparql-results+json; charset=utf-8",
                 "xml": "application/sparql-results+xml; charset=utf-8", "csv": "text/csv; charset=utf-8",
                 "tsv": "text/tab-separated-values; charset=utf-8", "turtle": "text/turtle; charset=utf-8",
                 "nt": "application/n-triples; charset=utf-8"}
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                ".md": "text/markdown; charset=utf-8"}
#: The page may load and connect to this server only (YASGUI's CodeMirror sets inline styles).
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
               "form-action 'self'; frame-ancestors 'none'")
MAX_BODY = 1 << 20
#: The endpoint's paths: a client that appends a slash gets the same answers.
SPARQL_PATHS = ("/sparql", "/sparql/")
STARTUP_TIMEOUT = 120.0


class ServeError(RespkgError):
    """The server cannot start: no graph in the store, a store it cannot serve, workers that fail."""


# -- the worker processes ---------------------------------------------------------------------

def _open_in_worker(spec: tuple):
    from rdflib import Dataset

    from kg.store.embedded import MemoryStore, OxigraphStore

    kind, arg = spec
    if kind == "oxigraph":
        store = OxigraphStore(arg)
        store.ox()  # fail now, with the store's own message, if there is no graph
        return store
    ds = Dataset(default_union=True)
    ds.parse(data=arg, format="nquads")
    return MemoryStore(ds)


def _worker_main(conn, spec: tuple) -> None:
    """A worker process: open the store, say ready, then answer one job at a time until EOF."""
    # Ctrl+C in a terminal reaches the whole process group; the server stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = _open_in_worker(spec)
    except Exception as exc:  # sent to the server, which reports it
        conn.send(("failed", f"{type(exc).__name__}: {exc}" if not isinstance(exc, RespkgError) else str(exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            sparql, fmt, max_rows, dataset, base_iri = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(store, sparql, fmt, max_rows, dataset, base_iri))


def _answer(store, sparql: str, fmt: str, max_rows: int, dataset: QueryDataset | None = None,
            base_iri: str | None = None) -> dict:
    """Run one query and serialise its answer; a dict the server turns into a response."""
    try:
        result = store.query(sparql, {}, **_scope(dataset, base_iri))
    except QueryError as exc:
        return {"status": 400, "message": _first_line(str(exc))}
    except Exception as exc:  # the store's own failure: reported, the worker goes on
        return {"status": 500, "message": _failure(exc), "detail": f"{type(exc).__name__}: {exc}"}
    if result.boolean is not None:
        if fmt not in RESULT_TYPES["ask"].values():
            fmt = "json"
        return {"status": 200, "format": fmt, "body": _boolean_body(result.boolean, fmt), "rows": 1, "total": 1}
    graph = _query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
    if graph and fmt not in RESULT_TYPES["graph"].values():
        fmt = "turtle"
    elif not graph and fmt not in RESULT_TYPES["select"].values():
        fmt = "json"
    total = len(result.rows)
    rows = result.rows[:max_rows]
    body = _graph_body(rows, fmt) if graph else _select_body(result.columns, rows, fmt)
    return {"status": 200, "format": fmt, "body": body, "rows": len(rows), "total": total}


def _scope(dataset: QueryDataset | None, base_iri: str | None) -> dict:
    """The keyword arguments of a store's query() for a dataset and a base, only those given (a
    store written before they existed still answers a query that needs neither)."""
    return {k: v for k, v in (("dataset", dataset), ("base_iri", base_iri)) if v is not None}


def _first_line(text: str, limit: int = 300) -> str:
    """The first line of a message, cut to ``limit`` characters: what a client may be shown."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _failure(exc: BaseException) -> str:
    """What the client learns of an exception: its kind, never its text, which may carry an
    upstream server's answer, a file path or a stack of Python internals."""
    return f"the query failed in the store ({type(exc).__name__}); the server's log has the details"


def _select_body(columns: list[str], rows: list[tuple], fmt: str) -> bytes:
    from rdflib import Variable
    from rdflib.query import Result

    if fmt == "tsv":
        lines = ["\t".join(f"?{c}" for c in columns)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    result = Result("SELECT")
    result.vars = [Variable(c) for c in columns]
    result.bindings = [{Variable(c): t for c, t in zip(columns, row) if t is not None} for row in rows]
    out = io.BytesIO()
    result.serialize(out, encoding="utf-8", format=fmt)
    return out.getvalue()


def _boolean_body(value: bool, fmt: str) -> bytes:
    from rdflib.query import Result

    result = Result("ASK")
    result.askAnswer = value
    out = io.BytesIO()
    result.serialize(out, encoding="utf-8", format=fmt)
    return out.getvalue()


def _graph_body(triples: list[tuple], fmt: str) -> bytes:
    from rdflib import Graph

    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format=fmt, encoding="utf-8")


def _tsv_term(term) -> str:
    """A term as SPARQL TSV writes it: Turtle syntax, with tabs and line breaks escaped."""
    from rdflib import BNode, Literal
    from rdflib.namespace import XSD

    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if not isinstance(term, Literal):
        return f"<{term}>"
    text = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            .replace("\t", "\\t"))
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


_TOKEN = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
                    r'|\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b', re.I | re.S)


_PROLOGUE = re.compile(r"^(?:\s+|#[^\n]*|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.I)


def _query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside IRIs, strings and comments."""
    for m in _TOKEN.finditer(sparql):
        if m.group(1):
            return m.group(1).upper()
    return None


class _Worker:
    def __init__(self, ctx, spec: tuple):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, spec), name="kg-serve-worker", daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        try:
            if not self.conn.poll(timeout):
                raise ServeError(f"a query worker did not open the store within {timeout:.0f} s")
            status, message = self.conn.recv()
        except (EOFError, OSError):
            raise ServeError("a query worker died while opening the store") from None
        if status != "ready":
            raise ServeError(f"a query worker cannot open the store: {message}")
        self.ready = True

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryTimeout(Exception):
    """A query ran longer than the timeout; its worker was killed."""


class _Pool:
    """Worker processes, each used by one request at a time."""

    def __init__(self, spec: tuple, size: int):
        methods = multiprocessing.get_all_start_methods()
        if "forkserver" in methods:
            # Workers fork from a server that has imported rdflib and pyoxigraph once, so a
            # replacement for a killed worker starts in milliseconds, not seconds.
            self._ctx = multiprocessing.get_context("forkserver")
            self._ctx.set_forkserver_preload(["kg.sparql.serve", "kg.store.embedded", "rdflib", "pyoxigraph", "oxrdflib"])
        else:
            self._ctx = multiprocessing.get_context("spawn")
        self._spec = spec
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        try:
            for _ in range(size):
                self._idle.put(self._start())
        except BaseException:
            self.close()
            raise

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self._spec)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
        self._idle.put(self._start())

    def wait_ready(self) -> None:
        """Wait until every worker has opened the store (raises ServeError if one cannot)."""
        workers = [self._idle.get() for _ in range(self._idle.qsize())]
        try:
            for w in workers:
                w.wait_ready(STARTUP_TIMEOUT)
        finally:
            for w in workers:
                self._idle.put(w)

    def run(self, job: tuple, timeout: float, wait: float) -> dict:
        """Run a job on a free worker: its answer, or QueryTimeout, or ServeError."""
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise ServeError(f"every query worker stayed busy for {wait:.0f} s; try again") from None
        try:
            worker.wait_ready(STARTUP_TIMEOUT)
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                self._replace(worker)
                raise QueryTimeout()
            answer = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise ServeError("the query worker died (out of memory?); it has been restarted") from None
        except ServeError:
            self._replace(worker)
            raise
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()


def _worker_spec(store) -> tuple:
    from kg.store.embedded import MemoryStore, OxigraphStore

    if isinstance(store, OxigraphStore):
        store.ox()  # no graph yet: fail here with the store's message
        return ("oxigraph", os.path.abspath(store.path))
    if isinstance(store, MemoryStore):
        return ("memory", store.dataset().serialize(format="nquads", encoding="utf-8"))
    raise ServeError(f"cannot serve {store.describe()}: kg serve serves the embedded Oxigraph store or a memory "
                     "store (a SPARQL server has an endpoint of its own)")


# -- named queries for the page ---------------------------------------------------------------

def _example_values(query: NamedQuery) -> dict[str, str]:
    """Each parameter's value in the query's example, else its default, else the help's `e.g.`."""
    values = dict(re.findall(r"--param\s+(\w+)=(\S+)", query.example))
    for p in query.params:
        if p.name not in values:
            m = re.search(r"e\.g\.\s*(\S+)", p.help)
            values[p.name] = p.default if p.default is not None else m.group(1) if m else ""
    return values


def editor_text(query: NamedQuery) -> str:
    """The named query as the page loads it, each parameter bound to its example value.

    The page has no form for parameters: a comment and one line at the start of the WHERE
    clause bind each, so the user edits the value in the query itself; a subquery sees only
    what it projects, so a query with subqueries gets the lines at the start of each WHERE
    clause (the value to change is in each). Names of entities (``unit``, ``person``,
    ``leader``, ``section``) are matched by their ``@zh`` label, as ``kg query --param``
    does; text, numbers and dates are bound with BIND.
    """
    from rdflib import Literal
    from rdflib.namespace import XSD

    if not query.params:
        return query.text
    wheres = [m for m in re.finditer(r"\bWHERE\s*\{", query.text, re.I)
              if "#" not in query.text[query.text.rfind("\n", 0, m.start()) + 1:m.start()]]
    if not wheres:
        return query.text
    values = _example_values(query)
    lines = []
    for p in query.params:
        value = values[p.name]
        lines.append(f"  # 参数 parameter ?{p.name} ({p.kind}): {p.help} — "
                     "修改下一行的值 / change the value on the next line")
        if p.kind == "int" and re.fullmatch(r"-?\d+", value):
            lines.append(f"  BIND({value} AS ?{p.name})")
        elif p.kind == "date":
            lines.append(f"  BIND({Literal(value, datatype=XSD.date).n3()} AS ?{p.name})")
        elif p.kind in ("text", "int"):
            lines.append(f"  BIND({Literal(value).n3()} AS ?{p.name})")
        else:
            # DISTINCT: a unit named in a plan and in a report carries its label in both graphs
            lines.append(f"  {{ SELECT DISTINCT ?{p.name} WHERE {{ ?{p.name} rdfs:label "
                         f"{Literal(value, lang='zh').n3()} }} }}")
    block = "\n" + "\n".join(lines)
    text = query.text
    for m in reversed(wheres if len(wheres) == 1 or all(p.kind in ("text", "int", "date") for p in query.params)
                      else wheres[:1]):
        text = text[:m.end()] + block + text[m.end():]
    return text


def _queries_json() -> bytes:
    out = []
    for q in named_queries().values():
        values = _example_values(q)
        out.append({"name": q.name, "zh": q.zh, "en": q.en, "returns": q.returns, "example": q.example,
                    "params": [{"name": p.name, "kind": p.kind, "help": p.help, "example": values[p.name]}
                               for p in q.params],
                    "text": q.text, "editor": editor_text(q)})
    return json.dumps(out, ensure_ascii=False, indent=1).encode("utf-8")


_FORMATS = "http://www.w3.org/ns/formats/"
#: The result formats of the service description: W3C format IRIs of what RESULT_TYPES serves.
SD_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
              "N-Triples")


def service_description(endpoint: str, graphs: list[str]) -> bytes:
    """The SPARQL 1.1 Service Description (Turtle) of an endpoint whose default graph is the
    union of ``graphs``, its named graphs (sd:UnionDefaultGraph)."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", _FORMATS)
    service, dataset, default = URIRef(endpoint), BNode(), BNode()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in SD_FORMATS:
        g.add((service, SD.resultFormat, URIRef(_FORMATS + fmt)))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
           Literal("The union of the named graphs, unless a query's FROM or the request's default-graph-uri "
                   "names its own", lang="en")))
    for name in graphs:
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    return g.serialize(format="turtle", encoding="utf-8")


# -- HTTP -------------------------------------------------------------------------------------

def _negotiate(accept: str | None, kind: str) -> str | None:
    """The format for an Accept header among those of ``kind``; None if nothing offered is acceptable."""
    offered = RESULT_TYPES[kind]
    if not accept or not accept.strip():
        return next(iter(offered.values()))
    wanted = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [x.strip() for x in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = ALIASES.get(media.lower(), media.lower())
        if q > 0:
            wanted.append((-q, i, media))
    for _, _, media in sorted(wanted):
        if media in offered:
            return offered[media]
        if media == "*/*":
            return next(iter(offered.values()))
        if media.endswith("/*"):
            match = next((fmt for m, fmt in offered.items() if m.startswith(media[:-1])), None)
            if match:
                return match
    return None


class _NotUtf8(Exception):
    """A request's parameters are not UTF-8 text; the message is the client's one line."""


def _form(text: str, where: str) -> dict[str, list[str]]:
    """The parameters of a query string or a form body; percent-encoded bytes must spell UTF-8
    (decoded leniently, a byte that is not would silently become U+FFFD and the query be answered).
    (Bytes that are not ASCII unencoded in the request line never get here: the server refuses them.)"""
    try:
        return urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeError:
        raise _NotUtf8(f"{where} is not UTF-8: its percent-encoded bytes (%XX) must spell UTF-8 text") from None


def _read_only(what: str) -> str:
    return (f"this endpoint is read-only and refuses {what}; the graph changes only through kg build, which "
            "replaces it from the sources")


class _Headers:
    """A request's headers by their HTTP names, read from a WSGI environ."""

    def __init__(self, environ: dict):
        self._environ = environ

    def get(self, name: str, default: str | None = None) -> str | None:
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        return self._environ.get(key) or default


class _Exchange:
    """One request and its answer, as the application sees them under the WSGI server.

    The server (waitress) reads the request whole — framing, keep-alive, body size, header
    count — before the application runs, so a refused request's body can never be taken for
    the next request on the connection.
    """

    def __init__(self, server: "SparqlServer", environ: dict):
        self.server = server
        self.command = environ["REQUEST_METHOD"]
        # the request target as sent (percent-escapes kept)
        query = environ.get("QUERY_STRING")
        self.path = environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/") + (f"?{query}" if query else "")
        self.headers = _Headers(environ)
        self.rfile = environ["wsgi.input"]
        self.client_address = (environ.get("REMOTE_ADDR") or "-",)
        self.close_connection = False
        self.response: tuple[str, list[tuple[str, str]], bytes] | None = None
        # what the log line of the request says
        self._t0, self._rows, self._query, self._detail = time.perf_counter(), None, None, None

    def run(self) -> tuple[str, list[tuple[str, str]], bytes]:
        """Answer the request: (status line, headers, body)."""
        if self.command in ("GET", "HEAD"):
            self._handle("GET")
        elif self.command == "POST":
            self._handle("POST")
        elif self.command == "OPTIONS":
            self._options()
        else:
            self._refuse_method()
        return self.response

    # -- dispatch

    def _options(self):
        """The methods a path allows, and a CORS preflight's answer for an allowed origin."""
        path = urllib.parse.urlsplit(self.path).path
        allow = "GET, HEAD, POST, OPTIONS" if path in SPARQL_PATHS else "GET, HEAD, OPTIONS"
        headers = {"Allow": allow}
        if self._cors_origin():  # a browser's preflight before a cross-origin POST
            headers.update({"Access-Control-Allow-Methods": allow, "Access-Control-Allow-Headers": "Content-Type, Accept",
                            "Access-Control-Max-Age": "600"})
        self._log(self._send(204, b"", headers=headers))

    def _refuse_method(self):
        self._log(self._send(405, "this endpoint is read-only: use GET or POST",
                             headers={"Allow": "GET, HEAD, POST, OPTIONS"}))

    def _handle(self, method: str):
        status = 500
        try:
            path = urllib.parse.urlsplit(self.path).path
            if path in SPARQL_PATHS:
                status = self._sparql(method)
            elif method != "GET":
                status = self._send(405, "only /sparql takes POST", headers={"Allow": "GET, HEAD, OPTIONS"})
            elif path in ("/", "/index.html"):
                status = self._static("index.html")
            elif path.startswith("/static/"):
                status = self._static(urllib.parse.unquote(path[len("/static/"):]))
            elif path == "/queries.json":
                status = self._send(200, self.server.queries_json, "application/json; charset=utf-8")
            elif path == "/prefixes.json":
                status = self._send(200, json.dumps(PREFIXES).encode(), "application/json; charset=utf-8")
            else:
                status = self._send(404, f"not found: {path}; the endpoint is /sparql, the query page /")
        except Exception as exc:  # a bug of ours: the client gets a 500 and the log a line, not a hang
            self.close_connection = True
            self._detail = f"{type(exc).__name__}: {exc}"
            status = self._send(500, f"internal error ({type(exc).__name__}); the server's log has the details")
        finally:
            self._log(status)

    # -- /sparql

    def _sparql(self, method: str) -> int:
        split = urllib.parse.urlsplit(self.path)
        try:
            params = _form(split.query, "the URL's query string")
        except _NotUtf8 as exc:
            return self._send(400, str(exc))
        query = None
        if method == "POST":
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                self.close_connection = True
                return self._send(411, "POST needs a Content-Length")
            if int(length) > MAX_BODY:
                self.close_connection = True  # the unread body must not be taken for the next request
                return self._send(413, f"the request body is larger than {MAX_BODY} bytes")
            body = self.rfile.read(int(length))
            ctype, *ctype_params = [x.strip() for x in (self.headers.get("Content-Type") or "").split(";")]
            ctype = ctype.lower()
            charset = next((v.strip('"').lower() for k, _, v in (x.partition("=") for x in ctype_params)
                            if k.strip().lower() == "charset"), "utf-8")
            if charset not in ("utf-8", "utf8"):
                return self._send(400, f"the request body is in charset={charset}: send it as UTF-8")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return self._send(400, f"the request body is not UTF-8 (an invalid byte at offset {exc.start})")
            if ctype == "application/sparql-update":
                return self._send(403, _read_only("an application/sparql-update body"))
            if ctype == "application/x-www-form-urlencoded":
                try:
                    params.update(_form(text, "the form"))
                except _NotUtf8 as exc:
                    return self._send(400, str(exc))
            elif ctype == "application/sparql-query":
                query = text
            else:
                return self._send(415, f"unsupported Content-Type {ctype or '(none)'}: send "
                                       "application/x-www-form-urlencoded (query=…) or application/sparql-query")
        if "update" in params:
            return self._send(403, _read_only("an update= parameter"))
        # the protocol's dataset replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol §2.1.4)
        defaults, named = ([g for g in params.get(name, []) if g] for name in ("default-graph-uri", "named-graph-uri"))
        try:
            dataset = QueryDataset(tuple(defaults), tuple(named)) if defaults or named else None
        except QueryError as exc:
            return self._send(400, str(exc))
        if query is None and method == "GET" and "query" not in params:
            return self._service_description()
        if query is None:
            given = params.get("query", [])
            if len(given) > 1:
                return self._send(400, "give one query parameter, not several")
            query = given[0] if given else ""
        self._query = query
        if not query.strip():
            return self._send(400, "missing query: pass the SPARQL text as ?query=… (URL-encoded) or POST it")
        try:
            check_read_only(query)
        except QueryError as exc:
            keyword = re.search(r"\((\w+)\)", str(exc))
            return self._send(403, _read_only(f"a SPARQL Update ({keyword.group(1) if keyword else 'update'})"))
        line = service_line(query)
        if line is not None:
            return self._send(400, f"SERVICE (line {line}) is refused: this endpoint answers from its own graph and "
                                   "never sends a query on to another server")
        form = _query_form(query)
        kind = {"ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}.get(form or "", "select")
        fmt = _negotiate(self.headers.get("Accept"), kind)
        if fmt is None:
            return self._send(406, f"cannot answer a {form or 'SELECT'} query in {self.headers.get('Accept')}; "
                                   f"ask for one of {', '.join(RESULT_TYPES[kind])}")
        srv = self.server
        try:
            answer = srv.pool.run((with_prefixes(query), fmt, srv.max_rows, dataset, self._base_iri()),
                                  srv.query_timeout, srv.queue_wait)
        except QueryTimeout:
            return self._send(503, f"the query took longer than {srv.query_timeout:g} s and was stopped; narrow it "
                                   "down (a LIMIT, more specific patterns) or start the server with a longer timeout")
        except ServeError as exc:
            self._detail = str(exc)
            return self._send(503, _first_line(str(exc)), headers={"Retry-After": "5"})
        if answer["status"] != 200:
            self._detail = answer.get("detail")
            return self._send(answer["status"], answer["message"])
        self._rows = answer["rows"]
        headers = {"Cache-Control": "no-store"}
        if answer["total"] > answer["rows"]:
            headers["X-Respkg-Truncated"] = str(answer["total"])
            self._rows = f"{answer['rows']}/{answer['total']}"
        return self._send(200, answer["body"], CONTENT_TYPES[answer["format"]], headers)

    def _service_description(self) -> int:
        """SPARQL 1.1 Service Description of this endpoint, in Turtle: what ``GET /sparql`` without
        a query answers. The named graphs are the store's as it is now (asked through a worker)."""
        srv = self.server
        try:
            answer = srv.pool.run(("SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g", "json", srv.max_rows, None,
                                   None), srv.query_timeout, srv.queue_wait)
        except (QueryTimeout, ServeError) as exc:
            self._detail = f"service description: {type(exc).__name__}: {exc}"
            return self._send(503, "cannot list the graphs just now; try again", headers={"Retry-After": "5"})
        if answer["status"] != 200:
            self._detail = answer.get("detail")
            return self._send(answer["status"], answer["message"])
        graphs = [b["g"]["value"] for b in json.loads(answer["body"])["results"]["bindings"]]
        return self._send(200, service_description(self._base_iri(), graphs), "text/turtle; charset=utf-8",
                          {"Cache-Control": "no-store"})

    def _cors_origin(self) -> str | None:
        """The value of Access-Control-Allow-Origin for this request: its Origin when --cors allows
        it (``*`` when --cors '*'), else None. Never with credentials: the endpoint takes none."""
        origin = self.headers.get("Origin")
        allowed = self.server.cors
        if not origin or not allowed:
            return None
        if "*" in allowed:
            return "*"
        return origin if origin in allowed else None

    def _base_iri(self) -> str:
        """The base IRI of a query: the server's --base-iri, else this endpoint's URL as the client
        addressed it (SPARQL 1.1 Protocol §2.3; a Host header that is no plain host:port is not used)."""
        if self.server.base_iri:
            return self.server.base_iri
        host = self.headers.get("Host") or ""
        if not re.fullmatch(r"[A-Za-z0-9.-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?", host):
            host = "{}:{}".format(*self.server.server_address[:2])
        return f"http://{host}/sparql"

    # -- files

    def _static(self, name: str) -> int:
        root = STATIC_DIR
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return self._send(404, f"not found: /static/{name}")
        ctype = STATIC_TYPES.get(path.suffix, "application/octet-stream")
        headers = {"Cache-Control": "no-cache"}
        if path.suffix == ".html":
            headers["Content-Security-Policy"] = PAGE_POLICY
        return self._send(200, path.read_bytes(), ctype, headers)

    # -- output

    def _send(self, status: int, body: bytes | str, ctype: str = "text/plain; charset=utf-8",
              headers: dict[str, str] | None = None) -> int:
        if isinstance(body, str):
            body = (body + "\n").encode("utf-8")
        out = [("Content-Type", ctype), ("Content-Length", str(len(body))), ("X-Content-Type-Options", "nosniff")]
        out += list((headers or {}).items())
        origin = self._cors_origin()
        if origin:
            out.append(("Access-Control-Allow-Origin", origin))
        if self.server.cors:
            out.append(("Vary", "Origin"))
        if self.close_connection:
            out.append(("Connection", "close"))
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        self.response = (f"{status} {reason}".strip(), out, b"" if self.command == "HEAD" else body)
        return status

    def _log(self, status: int) -> None:
        ms = (time.perf_counter() - self._t0) * 1000
        query = " ".join(_PROLOGUE.sub("", self._query or "").split())[:80] or "-"
        rows = "-" if self._rows is None else self._rows
        when = time.strftime("%Y-%m-%d %H:%M:%S")
        # the full failure, kept on the request's one line: line breaks escaped
        detail = "" if not self._detail else " error: " + self._detail.replace("\\", "\\\\").replace("\n", "\\n")
        self.server.log(f"{when} {self.client_address[0]} {self.command} {urllib.parse.urlsplit(self.path).path} "
                        f"{status} rows={rows} {ms:.0f}ms {query}{detail}")


class SparqlServer:
    """The HTTP server (waitress, running the WSGI :meth:`application`) with its configuration and
    its query workers.

    Attributes: ``store``, ``query_timeout`` (seconds), ``max_rows``, ``log``, ``url``
    (``http://host:port/``), ``server_address`` ((host, port) bound), ``base_iri`` (of the
    queries; None: the endpoint's URL), ``cors`` (the origins allowed to read answers).
    """

    #: Threads that read requests and wait for a worker: more than clients usually wait at once,
    #: so a request waits for a query worker (with its time limit), not for a thread.
    THREADS = 32

    def __init__(self, address: tuple[str, int], store, timeout: float, max_rows: int, log: Callable[[str], None],
                 workers: int, base_iri: str | None = None, cors: tuple[str, ...] = ()):
        spec = _worker_spec(store)
        self.store, self.query_timeout, self.max_rows, self.log = store, timeout, max_rows, log
        self.base_iri, self.cors = base_iri, tuple(cors)
        # A request waits for a free worker at most as long as a few queries may run.
        self.queue_wait = max(30.0, 3 * timeout)
        self.queries_json = _queries_json()
        self.pool: _Pool | None = None
        import waitress

        try:
            self._wsgi = waitress.create_server(self.application, host=address[0] or "0.0.0.0", port=address[1],
                                                threads=self.THREADS, ident="respkg", max_request_body_size=MAX_BODY,
                                                clear_untrusted_proxy_headers=True, expose_tracebacks=False)
        except OSError as exc:
            raise ServeError(f"cannot listen on {address[0]}:{address[1]} ({exc.strerror or exc}); another server "
                             "may have the port: choose another with --port") from None
        self.server_address = (self._wsgi.effective_host, self._wsgi.effective_port)
        try:
            self.pool = _Pool(spec, workers)
            self.pool.wait_ready()
        except BaseException:
            self.server_close()
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def application(self, environ: dict, start_response) -> list[bytes]:
        """The WSGI application: one request, one answer (see :class:`_Exchange`)."""
        status, headers, body = _Exchange(self, environ).run()
        start_response(status, headers)
        return [body]

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (from another thread) or Ctrl+C."""
        self._wsgi.run()

    def shutdown(self) -> None:
        """Stop accepting and answering requests; :meth:`serve_forever` returns."""
        self._wsgi.close()

    def server_close(self) -> None:
        """Close the socket and stop the workers."""
        self._wsgi.close()
        if self.pool is not None:
            self.pool.close()


def exposure_warning(host: str) -> str | None:
    """The warning for a server that listens beyond this machine, or None for a loopback address.

    A host name other than ``localhost`` is not resolved (that may ask the network): it counts
    as reachable from elsewhere.
    """
    import ipaddress

    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host.strip("[]")).is_loopback:
            return None
    except ValueError:
        pass
    return (f"Warning: listening on {host or 'every interface'}: the endpoint has no authentication, so anyone who "
            "can reach this address can read the whole graph. Put it behind your organisation's reverse proxy "
            "with authentication (see docs/security.md), or serve on 127.0.0.1.")


def make_server(store, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0, max_rows: int = 10000,
                log: Callable[[str], None] = print, workers: int = 2, base_iri: str | None = None,
                cors: tuple[str, ...] = ()) -> SparqlServer:
    """A SPARQL endpoint and query page over ``store``, bound but not yet serving (see :func:`serve`).

    ``host`` defaults to the loopback address, so only this machine can connect; pass
    ``0.0.0.0`` (or an interface's address) to serve the network — the endpoint is read-only
    but has no authentication. ``port=0`` picks a free port (``server.server_address``
    tells which). Each query runs in one of ``workers`` processes and is stopped after
    ``timeout`` seconds; answers are cut to ``max_rows`` rows. ``log`` gets one line per
    request. Relative IRIs in a query resolve against ``base_iri``, by default the endpoint's
    URL (``http://host:port/sparql``). ``cors``: the origins (``https://host[:port]``, or ``*``)
    whose pages may read the answers (CORS; none by default, never with credentials). The store is an :class:`~kg.store.embedded.OxigraphStore` (each query sees the graph
    the store holds then) or a :class:`~kg.store.embedded.MemoryStore` (copied when the server starts).

    Raises :class:`ServeError` (a :class:`~kg.errors.RespkgError`) when the store cannot be
    served or the address cannot be bound.

    The workers are ``multiprocessing`` processes (forkserver where the platform has it,
    else spawn), so a script that calls this needs the usual
    ``if __name__ == "__main__":`` guard; the ``kg`` command has it.
    """
    if timeout <= 0 or max_rows < 1 or workers < 1:
        raise ServeError("timeout must be positive, max_rows and workers at least 1")
    if base_iri is not None and not re.fullmatch(r"https?://[^<>\"{}|^`\\\s]+", base_iri):
        raise ServeError(f"--base-iri {base_iri!r}: expected an absolute http(s) IRI")
    for origin in cors:
        if origin != "*" and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?",
                                              origin):
            raise ServeError(f"--cors {origin!r}: expected an origin such as https://notebook.example.org or "
                             "http://localhost:8888 (scheme, host and port, no path), or *")
    return SparqlServer((host, port), store, float(timeout), int(max_rows), log, int(workers), base_iri, tuple(cors))


def serve(server: SparqlServer) -> None:
    """Serve until interrupted (Ctrl+C), then close the socket and stop the workers."""
    server.log(f"respkg SPARQL endpoint at {server.url}sparql, query page at {server.url} "
               f"(timeout {server.query_timeout:g} s, at most {server.max_rows} rows); Ctrl+C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
