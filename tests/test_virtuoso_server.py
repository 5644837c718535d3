"""The test Virtuoso itself: query, update, Graph Store Protocol and digest auth (stdlib only)."""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # conftest does this too; keep the module standalone

from virtuoso import virtuoso  # noqa: E402, F401

UNIT_IRI = "https://w3id.org/respkg/id/unit/科技局"
TIMEOUT = 30


# ---------------------------------------------------------------- helpers
def _open(req: urllib.request.Request, opener=None):
    """(status, headers, body bytes) for any status, 4xx/5xx included."""
    try:
        resp = (opener.open if opener else urllib.request.urlopen)(req, timeout=TIMEOUT)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers, e.read()
    with resp:
        return resp.status, resp.headers, resp.read()


def _digest_opener(url: str, user: str, password: str) -> urllib.request.OpenerDirector:
    mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    mgr.add_password(None, url, user, password)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(mgr))


def select(url: str, query: str) -> dict:
    req = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    status, headers, body = _open(req)
    assert status == 200, body[:500]
    assert headers.get_content_type() == "application/sparql-results+json"
    return json.loads(body.decode("utf-8"))


def rows(result: dict) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in result["results"]["bindings"]]


def update(url: str, text: str, *, form: bool = False, opener=None) -> tuple[int, bytes]:
    if form:
        data = urllib.parse.urlencode({"update": text}).encode("utf-8")
        ctype = "application/x-www-form-urlencoded"
    else:
        data = text.encode("utf-8")
        ctype = "application/sparql-update; charset=utf-8"
    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": ctype})
    status, _, body = _open(req, opener)
    return status, body


def gsp(method: str, url: str, graph: str, body: str | None = None, ctype: str = "application/n-triples",
        opener=None) -> tuple[int, bytes]:
    # Only GET gets an Accept: DELETE with "Accept: application/n-triples" is 406 on Virtuoso.
    headers = {"Accept": "application/n-triples"} if method == "GET" else {}
    data = None
    if body is not None:
        data = body.encode("utf-8")
        headers["Content-Type"] = ctype
    req = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"graph": graph}), data=data, method=method, headers=headers
    )
    status, _, resp = _open(req, opener)
    return status, resp


_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NT_LINE = re.compile(r'^(<[^>]*>)\s+(<[^>]*>)\s+(<[^>]*>|".*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)\s*\.\s*$')


def ntriples(body: bytes) -> set[tuple[str, str, str]]:
    """Triples of a small N-Triples answer (no blank nodes), \\u escapes undone."""
    out = set()
    for line in body.decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        line = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), line)
        m = _NT_LINE.match(line)
        assert m, f"unexpected N-Triples line: {line!r}"
        out.add(m.groups())
    return out


def graph_triples(server, graph: str) -> set[tuple[str, str, str]]:
    res = select(server.query_url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(r["s"], r["p"], r["o"]) for r in rows(res)}


# ---------------------------------------------------------------- tests
def test_select_returns_sparql_json(virtuoso):
    res = select(virtuoso.query_url, "SELECT ?x WHERE { BIND (42 AS ?x) }")
    assert res["head"]["vars"] == ["x"]
    assert rows(res) == [{"x": "42"}]
    b = res["results"]["bindings"][0]["x"]
    assert b["type"] in ("literal", "typed-literal")
    assert b["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


@pytest.mark.parametrize("form", [False, True], ids=["sparql-update-body", "form-update"])
def test_update_keeps_chinese_literals_and_iris(virtuoso, form):
    graph = f"urn:test:g:{'form' if form else 'body'}"
    status, body = update(
        virtuoso.update_url,
        f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "晋江"@zh . <{UNIT_IRI}> <urn:b> <urn:c> }} }}',
        form=form,
    )
    assert status == 200, body[:500]

    res = select(virtuoso.query_url, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <urn:a> <urn:b> ?o }} }}")
    (o,) = res["results"]["bindings"]
    assert o["o"]["value"] == "晋江"
    assert o["o"]["xml:lang"] == "zh"

    # the literal and the IRI match when written in a query, and come back as they went in
    res = select(virtuoso.query_url, f'SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s <urn:b> ?o FILTER (?o = <urn:c>) }} }}')
    assert rows(res) == [{"s": UNIT_IRI}]
    res = select(virtuoso.query_url, f'ASK {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "晋江"@zh . <{UNIT_IRI}> <urn:b> <urn:c> }} }}')
    assert res["boolean"] is True

    status, body = update(virtuoso.update_url, f"DROP SILENT GRAPH <{graph}>", form=form)
    assert status == 200, body[:500]
    assert graph_triples(virtuoso, graph) == set()


def test_update_syntax_error_is_an_http_error(virtuoso):
    status, _ = update(virtuoso.update_url, "INSERT DATA { this is not sparql }")
    assert status >= 400


def test_gsp_put_get_delete_anonymous(virtuoso):
    graph = "urn:test:gsp:anon"
    first = f'<urn:s1> <urn:p> "科技局"@zh .\n<{UNIT_IRI}> <urn:p> <urn:o> .\n'
    status, body = gsp("PUT", virtuoso.gsp_url, graph, first)
    assert status in (200, 201, 204), body[:500]
    status, body = gsp("GET", virtuoso.gsp_url, graph)
    assert status == 200
    assert ntriples(body) == {
        ("<urn:s1>", "<urn:p>", '"科技局"@zh'),
        (f"<{UNIT_IRI}>", "<urn:p>", "<urn:o>"),
    }

    # PUT replaces the whole graph (here with Turtle)
    second = '@prefix ex: <urn:ex:> .\nex:only ex:p "替换", "two" .\n'
    status, body = gsp("PUT", virtuoso.gsp_url, graph, second, ctype="text/turtle")
    assert status in (200, 201, 204), body[:500]
    status, body = gsp("GET", virtuoso.gsp_url, graph)
    assert status == 200
    assert ntriples(body) == {
        ("<urn:ex:only>", "<urn:ex:p>", '"替换"'),
        ("<urn:ex:only>", "<urn:ex:p>", '"two"'),
    }

    # a body that does not parse is refused and leaves the graph alone
    status, _ = gsp("PUT", virtuoso.gsp_url, graph, "this is not turtle", ctype="text/turtle")
    assert status >= 400
    assert len(graph_triples(virtuoso, graph)) == 2

    status, body = gsp("DELETE", virtuoso.gsp_url, graph)
    assert status in (200, 204), body[:500]
    assert graph_triples(virtuoso, graph) == set()
    status, _ = gsp("GET", virtuoso.gsp_url, graph)
    assert status == 404


def test_gsp_put_get_delete_with_digest_auth(virtuoso):
    graph = "urn:test:gsp:auth"
    opener = _digest_opener(virtuoso.auth_gsp_url, virtuoso.user, virtuoso.password)
    doc = f'<{UNIT_IRI}> <urn:p> "认证" .\n'
    status, body = gsp("PUT", virtuoso.auth_gsp_url, graph, doc, opener=opener)
    assert status in (200, 201, 204), body[:500]
    status, body = gsp("GET", virtuoso.auth_gsp_url, graph, opener=opener)
    assert status == 200
    assert ntriples(body) == {(f"<{UNIT_IRI}>", "<urn:p>", '"认证"')}
    status, body = gsp("DELETE", virtuoso.auth_gsp_url, graph, opener=opener)
    assert status in (200, 204), body[:500]
    assert graph_triples(virtuoso, graph) == set()


def test_auth_update_endpoint_needs_the_right_digest_password(virtuoso):
    graph = "urn:test:auth"
    text = f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> "ok" }} }}'

    status, _ = update(virtuoso.auth_update_url, text)  # no credentials
    assert status == 401
    wrong = _digest_opener(virtuoso.auth_update_url, virtuoso.user, virtuoso.password + "-wrong")
    status, _ = update(virtuoso.auth_update_url, text, opener=wrong)
    assert status == 401
    assert graph_triples(virtuoso, graph) == set()

    right = _digest_opener(virtuoso.auth_update_url, virtuoso.user, virtuoso.password)
    status, body = update(virtuoso.auth_update_url, text, opener=right)
    assert status == 200, body[:500]
    assert graph_triples(virtuoso, graph) == {("urn:a", "urn:b", "ok")}
    status, body = update(virtuoso.auth_update_url, f"DROP SILENT GRAPH <{graph}>", opener=right)
    assert status == 200, body[:500]


def test_auth_gsp_endpoint_rejects_wrong_password(virtuoso):
    wrong = _digest_opener(virtuoso.auth_gsp_url, virtuoso.user, virtuoso.password + "-wrong")
    status, _ = gsp("PUT", virtuoso.auth_gsp_url, "urn:test:gsp:denied", "<urn:a> <urn:b> <urn:c> .\n", opener=wrong)
    assert status == 401
    assert graph_triples(virtuoso, "urn:test:gsp:denied") == set()


def test_results_are_not_capped_at_10000_rows(virtuoso):
    # the stock ini's ResultSetMaxRows = 10000 would silently truncate this (start lifts it)
    values = " ".join(str(i) for i in range(110))
    res = select(virtuoso.query_url, f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} }}")
    assert len(res["results"]["bindings"]) == 110 * 110
