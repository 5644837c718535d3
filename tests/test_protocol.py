"""The SPARQL 1.1 Protocol: the dataset a request names, on a real server and through kg serve.

The W3C's protocol cases (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl), adapted to
the bundled graphs, are data: tests/data/protocol/manifest.json, one case per entry.
"""

from __future__ import annotations

import http.client
import json
import string
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.plugins.sparql.results.jsonresults import parseJsonTerm

from kg.build import build, dataset_from
from kg.sparql.serve import make_server
from kg.store.embedded import MemoryStore, OxigraphStore
from kg.sparql.query import QueryDataset, run
from kg.store.endpoint import Endpoint, EndpointStore
from virtuoso import virtuoso  # noqa: F401  (the session fixture)

PLAN = "https://w3id.org/respkg/id/plan/晋政文-2021-16"
REPORT = "https://w3id.org/respkg/id/report/000_c3fe6d6e6d407948"
NONE = "http://example.org/none"


@pytest.fixture(scope="module")
def sizes():
    """The number of triples of each named graph, counted in Python over the built Dataset."""
    return {str(g.identifier): len(g) for g in dataset_from(None)[0].graphs() if len(g)}


@pytest.fixture(scope="module")
def remote(virtuoso):
    store = EndpointStore(Endpoint(virtuoso.query_url, virtuoso.update_url, virtuoso.gsp_url))
    build(None, store)
    return store


def count(store, sparql, dataset=None) -> int:
    return int(run(store, sparql, dataset=dataset).rows[0][0])


def test_from_on_a_sparql_server(remote, sizes):
    assert count(remote, f"SELECT (COUNT(*) AS ?n) FROM <{REPORT}> WHERE {{ ?s ?p ?o }}") == sizes[REPORT]
    assert count(remote, f"SELECT (COUNT(*) AS ?n) FROM <{NONE}> WHERE {{ ?s ?p ?o }}") == 0
    graphs = run(remote, f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{REPORT}> FROM NAMED <{NONE}> "
                         "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    assert [(str(g), int(n)) for g, n in graphs] == [(REPORT, sizes[REPORT])]


def test_the_protocol_dataset_on_a_sparql_server(remote, sizes):
    plain = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert count(remote, plain, QueryDataset(default=(REPORT,))) == sizes[REPORT]
    assert count(remote, plain, QueryDataset(default=(NONE,))) == 0
    assert count(remote, f"SELECT (COUNT(*) AS ?n) FROM <{PLAN}> WHERE {{ ?s ?p ?o }}",
                 QueryDataset(default=(REPORT,))) == sizes[REPORT]
    graphs = run(remote, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                 dataset=QueryDataset(default=(PLAN,), named=(REPORT, NONE))).rows
    assert [(str(g), int(n)) for g, n in graphs] == [(REPORT, sizes[REPORT])]


# -- the W3C protocol cases, through kg serve ---------------------------------------------------

MANIFEST = json.loads((Path(__file__).parent / "data" / "protocol" / "manifest.json").read_text(encoding="utf-8"))
GRAPHS = MANIFEST["graphs"]


def fill(text: str) -> str:
    return string.Template(text).substitute(GRAPHS)


@contextmanager
def serving(store):
    server = make_server(store, port=0, log=lambda line: None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[:2]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def endpoint(request, tmp_path_factory):
    """(host, port) of kg serve on loopback, over an Oxigraph store and over a memory store."""
    if request.param == "oxigraph":
        store = OxigraphStore(tmp_path_factory.mktemp("protocol") / "store")
        build(None, store)
    else:
        store = MemoryStore(dataset_from(None)[0])
    with serving(store) as address:
        yield address


def send(address, case: dict) -> tuple[int, str, bytes]:
    """Send one case's request as it says (http.client: no header is added for it) and read the answer."""
    path = "/sparql"
    if "params" in case:
        path += "?" + urllib.parse.urlencode([(k, fill(v)) for k, v in case["params"]])
    elif "raw_params" in case:
        path += "?" + case["raw_params"]
    headers = {"Accept": case["accept"]} if "accept" in case else {}
    body = None
    if "form" in case:
        body = urllib.parse.urlencode([(k, fill(v)) for k, v in case["form"]]).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif "body" in case:
        body = fill(case["body"]).encode(case.get("body_encoding", "utf-8"))
        if "content_type" in case:
            headers["Content-Type"] = case["content_type"]
    if body is not None:
        headers["Content-Length"] = str(len(body))
    conn = http.client.HTTPConnection(*address, timeout=60)
    try:
        conn.putrequest(case["method"], path, skip_accept_encoding=True)
        for key, value in headers.items():
            conn.putheader(key, value)
        conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, (resp.getheader("Content-Type") or "").split(";")[0].strip(), resp.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def triples():
    """The triples of each named graph, by the manifest's short name."""
    ds = dataset_from(None)[0]
    return {short: set(ds.graph(URIRef(iri))) for short, iri in GRAPHS.items()}


@pytest.mark.parametrize("case", MANIFEST["cases"], ids=[c["name"] for c in MANIFEST["cases"]])
def test_protocol_case(endpoint, case, triples):
    status, ctype, body = send(endpoint, case)
    expect = case["expect"]
    if expect["status"] == "4xx":
        assert 400 <= status < 500, body
    else:
        assert status == expect["status"], body
    if "types" in expect:
        assert ctype in expect["types"]
    if "says" in expect:
        assert expect["says"] in body.decode("utf-8") and len(body.decode("utf-8").strip().splitlines()) == 1
    if "boolean" in expect:
        doc = json.loads(body) if ctype.endswith("json") else None
        assert doc is None or doc["boolean"] is expect["boolean"]
        if doc is None:
            assert f"<boolean>{str(expect['boolean']).lower()}</boolean>".encode() in body
    if "groups" in expect:
        doc = json.loads(body)
        got = [(str(parseJsonTerm(b["g"])) if "g" in b else None, int(b["n"]["value"])) for b in doc["results"]["bindings"]]
        want = [(GRAPHS[g] if g else None, len(set().union(*(triples[x] for x in merged)))) for g, merged in expect["groups"]]
        assert got == want
