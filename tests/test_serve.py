"""The local SPARQL endpoint (kg.sparql.serve) over HTTP, on an Oxigraph store and a memory store.

Every answer is compared with what the store itself says for the same query. Each server
runs in a background thread on a free loopback port; every request has a time limit.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.results.jsonresults import parseJsonTerm

from kg.build import build, dataset_from
from kg.graph.namespaces import PREFIXES
from kg.sparql.query import QueryError, find_named, named_queries, resolve_params, run, with_prefixes
from kg.sparql.serve import ServeError, _example_values, editor_text, make_server
from kg.store.embedded import MemoryStore, OxigraphStore, StoreError
from test_query import normal

SRX = "{http://www.w3.org/2005/sparql-results#}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TASKS = "SELECT ?no ?text WHERE { ?t a rk:Task ; rk:number ?no ; rk:text ?text } ORDER BY ?no"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@contextmanager
def running(store, **options):
    """A server on a free port, serving from a thread; closed (workers stopped) afterwards."""
    lines: list[str] = []
    server = make_server(store, port=0, log=lines.append, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}", lines
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def fetch(url, data: bytes | None = None, headers: dict | None = None, timeout: float = 30):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get(base, query, accept=None, **extra):
    params = urllib.parse.urlencode({"query": query, **extra})
    return fetch(f"{base}/sparql?{params}", headers={"Accept": accept} if accept else None)


def post_form(base, fields: dict, accept=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded", **({"Accept": accept} if accept else {})}
    return fetch(f"{base}/sparql", urllib.parse.urlencode(fields).encode(), headers)


def post_body(base, query, ctype="application/sparql-query", accept=None):
    headers = {"Content-Type": ctype, **({"Accept": accept} if accept else {})}
    return fetch(f"{base}/sparql", query.encode("utf-8"), headers)


def json_rows(body: bytes) -> tuple[list[str], list[tuple]]:
    doc = json.loads(body)
    columns = doc["head"]["vars"]
    return columns, [tuple(parseJsonTerm(b[c]) if c in b else None for c in columns)
                     for b in doc["results"]["bindings"]]


def direct(store, query):
    """What the store answers itself: ("rows", QueryResult) or ("error", exception class name)."""
    try:
        return "rows", store.query(with_prefixes(query), {})
    except QueryError:
        raise
    except Exception as exc:  # a store's own failure, which the server must report as 500
        return "error", type(exc).__name__


# -- stores and servers -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("serve") / "store")
    build(None, store)
    return store


@pytest.fixture(scope="module")
def memory():
    return MemoryStore(dataset_from(None)[0])


@pytest.fixture(scope="module")
def with_progress(tmp_path_factory):
    """The bundled documents and the two hand-made quarters of progress (tests/data/progress/)."""
    from kg.resources import default_reports, default_source
    from test_progress import Q2, Q3

    store = OxigraphStore(tmp_path_factory.mktemp("serve-progress") / "store")
    build([default_source(), *default_reports(), Q2, Q3], store)
    return store


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def served(request):
    """(store, base URL, log lines) of a server with the default options."""
    store = request.getfixturevalue(request.param)
    with running(store) as (base, lines):
        yield store, base, lines


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def tight(request):
    """A server with a 1 s timeout and at most 5 rows."""
    store = request.getfixturevalue(request.param)
    with running(store, timeout=1, max_rows=5) as (base, lines):
        yield store, base, lines


# -- queries ----------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["get", "form", "body"])
@pytest.mark.parametrize("name", ["dashboard", "tasks-per-chapter"])
def test_named_query_answers_as_the_store_does(served, name, how):
    store, base, _ = served
    text = find_named(name).text
    status, headers, body = {"get": lambda: get(base, text), "form": lambda: post_form(base, {"query": text}),
                             "body": lambda: post_body(base, text)}[how]()
    kind, expected = direct(store, text)
    if kind == "error":
        # rdflib cannot run every named query (e.g. ORDER BY an expression after GROUP BY):
        # the server reports the store's failure instead of hiding it
        assert status == 500 and expected in body.decode(), body
        return
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    columns, rows = json_rows(body)
    assert columns == expected.columns
    assert rows == expected.rows
    assert len(rows) == (1 if name == "dashboard" else 8)


def test_oxigraph_answers_tasks_per_chapter_in_chapter_order(oxigraph):
    with running(oxigraph, workers=1) as (base, _):
        columns, rows = json_rows(get(base, find_named("tasks-per-chapter").text)[2])
    chapter, tasks = columns.index("chapter"), columns.index("tasks")
    assert str(rows[0][chapter]) == "一、狠抓科技创新" and str(rows[-1][chapter]) == "八、全面加强政府自身建设"
    assert sum(int(r[tasks]) for r in rows) == 173


def test_xml_csv_and_tsv_answers(served):
    store, base, _ = served
    expected = store.query(with_prefixes(TASKS), {})

    status, headers, body = get(base, TASKS, "application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(body)
    assert [v.get("name") for v in root.iter(f"{SRX}variable")] == ["no", "text"]
    results = list(root.iter(f"{SRX}result"))
    assert len(results) == len(expected.rows) == 173
    first = {b.get("name"): b[0] for b in results[0]}
    assert first["no"].tag == f"{SRX}literal" and first["no"].text == "1"
    assert first["text"].get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
    assert first["text"].text == str(expected.rows[0][1])

    status, headers, body = get(base, TASKS, "text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert rows[0] == ["no", "text"]
    assert rows[1:] == [[str(no), str(text)] for no, text in expected.rows]

    status, headers, body = get(base, TASKS, "text/tab-separated-values")
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    lines = body.decode("utf-8").split("\n")
    assert lines[0] == "?no\t?text" and lines[-1] == ""
    no, text = lines[1].split("\t")
    assert no == '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert text == f'"{expected.rows[0][1]}"@zh'
    assert len(lines) == 173 + 2


def test_tsv_escapes_tabs_and_line_breaks(served):
    _, base, _ = served
    status, _, body = get(base, 'SELECT ?x WHERE { BIND("a\\tb\\nc \\"d\\"" AS ?x) }', "text/tab-separated-values")
    assert status == 200
    assert body.decode("utf-8") == '?x\n"a\\tb\\nc \\"d\\""\n'


def test_accept_with_quality_values_and_aliases(served):
    _, base, _ = served
    status, headers, _ = get(base, TASKS, "text/html, text/csv;q=0.5, application/sparql-results+xml;q=0.9")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    status, headers, _ = get(base, TASKS, "*/*")
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    status, headers, _ = get(base, TASKS, "application/json")
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    status, _, body = get(base, TASKS, "image/png")
    assert status == 406 and b"text/csv" in body


def test_ask(served):
    _, base, _ = served
    status, headers, body = get(base, "ASK { ?t a rk:Task ; rk:number 1 }")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["boolean"] is True
    status, _, body = post_body(base, "ASK { ?t rk:number 1000 }", accept="application/sparql-results+xml")
    assert status == 200
    assert ET.fromstring(body).find(f"{SRX}boolean").text == "false"
    status, _, body = get(base, "ASK {}", "text/csv")
    assert status == 406


def test_construct_and_describe(served):
    store, base, _ = served
    query = "CONSTRUCT { ?t rk:number ?no } WHERE { ?t a rk:Task ; rk:number ?no }"
    status, headers, body = get(base, query)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert len(graph) == 173
    assert set(graph) == set(store.query(with_prefixes(query), {}).rows)
    status, headers, body = get(base, query, "application/n-triples")
    assert headers["Content-Type"].startswith("application/n-triples")
    assert len(Graph().parse(data=body.decode("utf-8"), format="nt")) == 173
    describe = "DESCRIBE <https://w3id.org/respkg/id/jinjiang/unit/科技局>"
    status, _, body = get(base, describe)
    kind, expected = direct(store, describe)
    assert kind != "error" and status == 200
    described = set(Graph().parse(data=body.decode("utf-8"), format="turtle"))
    assert described == set(expected.rows) and len(described) >= 3


# -- refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize("update", ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DROP ALL",
                                    "PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }"])
def test_updates_are_refused_and_change_nothing(served, update):
    store, base, _ = served
    before = store.query(COUNT, {}).rows
    for status, _, body in (get(base, update), post_body(base, update), post_form(base, {"query": update}),
                            post_form(base, {"update": update}),
                            post_body(base, update, ctype="application/sparql-update"),
                            fetch(f"{base}/sparql?{urllib.parse.urlencode({'update': update})}")):
        assert status == 403, body
        assert "read-only" in body.decode()
    assert store.query(COUNT, {}).rows == before
    _, rows = json_rows(get(base, COUNT)[2])
    assert rows == before


def test_syntax_error_is_400_with_line_and_column(served):
    _, base, _ = served
    status, headers, body = get(base, "SELECT ?x\nWHERE {\n  ?x ?y\n}")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert "line" in body.decode() and "column" in body.decode()


def test_missing_query_unknown_path_and_methods(served):
    _, base, _ = served
    assert get(base, "")[0] == 400 and "missing query" in get(base, "")[2].decode()
    assert post_form(base, {"other": "x"})[0] == 400
    assert fetch(f"{base}/nothing-here")[0] == 404
    assert fetch(f"{base}/static/../serve.py")[0] == 404
    assert fetch(f"{base}/static/%2e%2e/serve.py")[0] == 404
    assert post_body(base, TASKS, ctype="text/plain")[0] == 415
    req = urllib.request.Request(f"{base}/sparql", data=b"x", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req, timeout=30)
    assert exc.value.code == 405


# -- the dataset ------------------------------------------------------------------------------

REPORT = "https://w3id.org/respkg/id/report/000_c3fe6d6e6d407948"
PLAN = "https://w3id.org/respkg/id/plan/晋政文-2021-16"


def count_of(answer) -> int:
    status, _, body = answer
    assert status == 200, body
    return int(json_rows(body)[1][0][0])


def test_from_and_the_protocol_dataset(served):
    """FROM, default-graph-uri and named-graph-uri define the dataset, by GET, form and direct POST;
    the protocol's graphs win over FROM; a graph the store lacks is empty, never the whole store."""
    _, base, _ = served
    size = len(dataset_from(None)[0].graph(URIRef(REPORT)))
    assert count_of(get(base, f"SELECT (COUNT(*) AS ?n) FROM <{REPORT}> WHERE {{ ?s ?p ?o }}")) == size
    assert count_of(get(base, "SELECT (COUNT(*) AS ?n) FROM <http://example.org/none> WHERE { ?s ?p ?o }")) == 0
    assert count_of(get(base, COUNT, **{"default-graph-uri": REPORT})) == size
    assert count_of(post_form(base, {"query": f"SELECT (COUNT(*) AS ?n) FROM <{PLAN}> WHERE {{ ?s ?p ?o }}",
                                     "default-graph-uri": REPORT})) == size
    direct_post = fetch(f"{base}/sparql?" + urllib.parse.urlencode({"named-graph-uri": REPORT}),
                        b"SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                        {"Content-Type": "application/sparql-query"})
    assert count_of(direct_post) == size
    assert count_of(get(base, COUNT, **{"named-graph-uri": REPORT})) == 0
    status, _, body = get(base, COUNT, **{"default-graph-uri": "not an iri"})
    assert status == 400 and b"not an absolute IRI" in body


def test_relative_iris_resolve_against_the_endpoint(served):
    _, base, _ = served
    status, _, body = get(base, "CONSTRUCT { <s> <p> <o> } WHERE {}", accept="application/n-triples")
    assert status == 200, body
    assert body.decode().strip() == f"<{base}/s> <{base}/p> <{base}/o> ."


# -- bytes ----------------------------------------------------------------------------------------

def raw_exchange(base: str, data: bytes, answers: int = 1, timeout: float = 30) -> list[tuple[int, bytes]]:
    """Send raw bytes on one connection and read ``answers`` responses: [(status, body)]."""
    import socket

    split = urllib.parse.urlsplit(base)
    out = []
    with socket.create_connection((split.hostname, split.port), timeout=timeout) as sock:
        sock.sendall(data)
        reader = sock.makefile("rb")
        for _ in range(answers):
            status = int(reader.readline().split()[1])
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b"\n", b""):
                key, _, value = line.decode("latin-1").partition(":")
                if key.strip().lower() == "content-length":
                    length = int(value)
            out.append((status, reader.read(length)))
    return out


@pytest.mark.parametrize("request_bytes", [
    b"GET /sparql?query=ASK%7B%7D%23%FF HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 18\r\n\r\n"
    b"query=ASK%7B%7D%E9",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 7\r\n\r\nASK{}#\xe9",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query; charset=latin-1\r\n"
    b"Content-Length: 7\r\n\r\nASK{}#\xe9",
], ids=["get-percent", "form", "direct", "direct-charset"])
def test_bytes_that_are_not_utf8_are_400_with_one_line(served, request_bytes):
    _, base, _ = served
    [(status, body)] = raw_exchange(base, request_bytes)
    assert status == 400 and "UTF-8" in body.decode() and len(body.decode().strip().splitlines()) == 1


def test_bytes_unencoded_in_the_request_line_are_400(served):
    """A URL must percent-encode what is not ASCII (RFC 3986); the HTTP server refuses one that does not."""
    _, base, _ = served
    for raw in ('科技局'.encode(), b"\xff"):
        [(status, _)] = raw_exchange(base, b"GET /sparql?query=ASK%7B%7D%23" + raw + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 400


def test_utf8_sent_unencoded_in_a_form_is_read(served):
    """Chinese sent as raw UTF-8 (not percent-encoded) in a form is text, not an error."""
    _, base, _ = served
    form = b"query=" + 'ASK { ?u rdfs:label "科技局"@zh }'.encode()
    [(status, body)] = raw_exchange(base, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                                          b"\r\nContent-Length: %d\r\n\r\n%s" % (len(form), form))
    assert status == 200 and json.loads(body)["boolean"] is True


# -- HTTP: keep-alive, HEAD, OPTIONS, the service description, CORS --------------------------------

def test_a_refused_request_leaves_a_keep_alive_connection_usable(served):
    """The body of a refused request is read, so the next request on the connection is parsed as one."""
    _, base, _ = served
    ask = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    put = b"PUT /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 6\r\n\r\nASK {}"
    post = b"POST /queries.json HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nASK {}"
    delete = b"DELETE /sparql/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
    answers = raw_exchange(base, put + ask + post + ask + delete + ask, answers=6)
    assert [status for status, _ in answers] == [405, 200, 405, 200, 405, 200]
    assert all(json.loads(body)["boolean"] is True for status, body in answers if status == 200)


def test_head_and_options(served):
    _, base, _ = served
    for path in ("/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), "/", "/sparql"):
        req = urllib.request.Request(base + path, method="HEAD")
        with urllib.request.urlopen(req, timeout=30) as resp:
            assert resp.status == 200 and int(resp.headers["Content-Length"]) > 0 and resp.read() == b""
    req = urllib.request.Request(f"{base}/sparql", method="OPTIONS")
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 204 and set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
        assert "Access-Control-Allow-Origin" not in resp.headers


@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_service_description(served, path):
    """GET /sparql without a query: the endpoint, its formats, its default dataset and the store's named graphs."""
    store, base, _ = served
    status, headers, body = fetch(base + path)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    sd = Graph().parse(data=body, format="turtle")
    SD = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(f"{base}/sparql")
    assert (service, URIRef(SD + "endpoint"), service) in sd
    formats = {str(o).rsplit("/", 1)[1] for o in sd.objects(service, URIRef(SD + "resultFormat"))}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle"} <= formats
    names = {str(o) for o in sd.objects(None, URIRef(SD + "name"))}
    assert names == {str(g.identifier) for g in dataset_from(None)[0].graphs() if len(g)}


def test_sparql_slash_answers_like_sparql(served):
    _, base, _ = served
    query = urllib.parse.urlencode({"query": COUNT})
    assert fetch(f"{base}/sparql/?{query}")[2] == fetch(f"{base}/sparql?{query}")[2]
    status, _, body = fetch(f"{base}/sparql/", urllib.parse.urlencode({"query": COUNT}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json_rows(body)[1]


def test_cors_only_for_the_origins_given(oxigraph):
    origin = "http://localhost:8888"
    with running(oxigraph, cors=(origin,), base_iri="https://w3id.org/respkg/id/") as (base, _):
        ok = fetch(f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), headers={"Origin": origin})
        assert ok[1]["Access-Control-Allow-Origin"] == origin and "Origin" in ok[1]["Vary"]
        other = fetch(f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}),
                      headers={"Origin": "http://evil.example"})
        assert "Access-Control-Allow-Origin" not in other[1]
        req = urllib.request.Request(f"{base}/sparql", method="OPTIONS",
                                     headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            assert resp.headers["Access-Control-Allow-Origin"] == origin
            assert "POST" in resp.headers["Access-Control-Allow-Methods"]
            assert "Access-Control-Allow-Credentials" not in resp.headers
        # the --base-iri of the server, not its URL, for relative IRIs
        status, _, body = get(base, "CONSTRUCT { <s> <p> <o> } WHERE {}", accept="application/n-triples")
        assert body.decode().strip() == ("<https://w3id.org/respkg/id/s> <https://w3id.org/respkg/id/p> "
                                         "<https://w3id.org/respkg/id/o> .")
    with running(oxigraph) as (base, _):  # off by default
        answer = fetch(f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in answer[1]


@pytest.mark.parametrize("origin", ["http://localhost:8888/path", "localhost", "null"])
def test_a_bad_cors_origin_is_refused(oxigraph, origin):
    with pytest.raises(ServeError, match="--cors"):
        make_server(oxigraph, port=0, cors=(origin,))


# -- limits -----------------------------------------------------------------------------------

def test_a_query_past_the_timeout_is_stopped_and_the_server_goes_on(tight):
    store, base, lines = tight
    t0 = time.monotonic()
    status, _, body = get(base, SLOW)
    assert status == 503, body
    assert time.monotonic() - t0 < 1 + 5
    assert "longer than 1 s" in body.decode()
    # more queries than workers: the killed worker's replacement is used too
    for _ in range(3):
        status, _, body = get(base, "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True
    assert any(" 503 " in line and "SELECT (COUNT(*) AS ?n)" in line for line in lines)


def test_answers_are_cut_to_max_rows_with_a_header(tight):
    store, base, lines = tight
    status, headers, body = get(base, TASKS)
    assert status == 200
    assert headers["X-Respkg-Truncated"] == "173"
    _, rows = json_rows(body)
    assert rows == store.query(with_prefixes(TASKS), {}).rows[:5]
    status, headers, body = get(base, TASKS, "text/csv")
    assert headers["X-Respkg-Truncated"] == "173" and len(body.decode().splitlines()) == 6
    status, headers, _ = get(base, TASKS + " LIMIT 5")
    assert "X-Respkg-Truncated" not in headers
    assert any("rows=5/173" in line for line in lines)


def test_twenty_clients_at_once(served):
    store, base, _ = served
    questions = [COUNT, find_named("dashboard").text, "ASK { ?t rk:number 7 }",
                 "SELECT ?text WHERE { ?t rk:number ?n ; rk:text ?text } ORDER BY ?n LIMIT 3",
                 find_named("findings-by-kind").text]
    expected = {q: store.query(with_prefixes(q), {}) for q in questions}

    def client(i):
        answers = []
        for k in range(5):
            q = questions[(i + k) % len(questions)]
            status, _, body = get(base, q)
            assert status == 200, body
            doc = json.loads(body)
            answers.append(doc["boolean"] == expected[q].boolean if "boolean" in doc
                           else json_rows(body)[1] == expected[q].rows)
        return answers

    with ThreadPoolExecutor(20) as pool:
        futures = [pool.submit(client, i) for i in range(20)]
        results = [f.result(timeout=120) for f in futures]
    assert all(all(r) for r in results) and sum(map(len, results)) == 100


# -- the page and its data --------------------------------------------------------------------

def test_page_and_assets(served):
    _, base, _ = served
    status, headers, body = fetch(f"{base}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<title>respkg SPARQL 查询</title>" in body.decode("utf-8")
    assert "connect-src 'self'" in headers["Content-Security-Policy"]
    status, headers, body = fetch(f"{base}/static/yasgui/yasgui.min.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and len(body) > 500_000
    for name in ("yasgui/yasgui.min.css", "yasgui/LICENSE.txt", "app.js"):
        assert fetch(f"{base}/static/{name}")[0] == 200, name


def test_queries_json_lists_the_named_queries(served):
    _, base, _ = served
    status, headers, body = fetch(f"{base}/queries.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    queries = json.loads(body)
    assert len(queries) >= 15 and len(queries) == len(named_queries())
    for q in queries:
        assert {"name", "zh", "en", "params", "example", "text", "editor"} <= set(q)
    led = next(q for q in queries if q["name"] == "tasks-led-by")
    assert led["params"] == [{"name": "unit", "kind": "unit", "help": led["params"][0]["help"], "example": "工信局"}]
    assert '{ SELECT DISTINCT ?unit WHERE { ?unit rdfs:label "工信局"@zh } }' in led["editor"]
    assert json.loads(fetch(f"{base}/prefixes.json")[2]) == PREFIXES


@pytest.mark.parametrize("nq", [q for q in named_queries().values() if q.params], ids=lambda q: q.name)
def test_the_page_binds_parameters_as_kg_query_does(with_progress, nq):
    """The editor text of a query with parameters answers as `kg query --param` with the example values."""
    expected = run(with_progress, nq.text, resolve_params(with_progress, nq, _example_values(nq)))
    assert expected.rows
    got = with_progress.query(with_prefixes(editor_text(nq)), {})
    assert normal(got.rows) == normal(expected.rows)  # the order inside a GROUP_CONCAT is the engine's


def test_one_log_line_per_request(oxigraph):
    with running(oxigraph, workers=1) as (base, lines):
        get(base, "SELECT ?x WHERE {\n  BIND(1 AS ?x)\n}")
        fetch(f"{base}/nothing")
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    assert " 127.0.0.1 GET /sparql 200 rows=1 " in lines[0]
    assert lines[0].endswith("SELECT ?x WHERE { BIND(1 AS ?x) }")
    assert " GET /nothing 404 " in lines[1]


# -- what cannot be served --------------------------------------------------------------------

def test_an_empty_store_folder_is_refused_at_start(tmp_path):
    with pytest.raises(StoreError, match="no graph here yet"):
        make_server(OxigraphStore(tmp_path / "empty"), port=0, log=lambda line: None)


def test_a_taken_port_is_a_clear_error(oxigraph):
    with running(oxigraph, workers=1) as (base, _):
        port = int(base.rsplit(":", 1)[1])
        with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{port} .*--port"):
            make_server(oxigraph, port=port, log=lambda line: None)


def test_a_remote_endpoint_is_refused(tmp_path):
    from kg.store.endpoint import EndpointStore, endpoint_from

    with pytest.raises(ServeError, match="endpoint of its own"):
        make_server(EndpointStore(endpoint_from("http://127.0.0.1:9/sparql")), port=0, log=lambda line: None)


def test_literal_values_round_trip(served):
    _, base, _ = served
    _, rows = json_rows(get(base, 'SELECT ?x ?y ?z WHERE { BIND("晋江"@zh AS ?x) BIND(2.5 AS ?y) }')[2])
    assert rows == [(Literal("晋江", lang="zh"), Literal("2.5", datatype=XSD.decimal), None)]
