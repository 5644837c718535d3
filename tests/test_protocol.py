"""The SPARQL 1.1 Protocol: the dataset a request names, on a real server and through kg serve.

The W3C's protocol cases (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl), adapted to
the bundled graphs, are data: tests/data/protocol/manifest.json, one case per entry.
"""

from __future__ import annotations

import pytest

from kg.build import build, dataset_from
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
