"""A remote SPARQL 1.1 server as a store: Virtuoso, Fuseki, GraphDB, Oxigraph server, ….

It speaks the SPARQL 1.1 Protocol (queries and updates) and the Graph Store Protocol
(uploads), with credentials from the environment, never from the command line:

    RESPKG_ENDPOINT_USER, RESPKG_ENDPOINT_PASSWORD   HTTP basic or digest authentication

A build uploads each named graph into a staging graph and then replaces the live graphs
with one update request (``MOVE`` staging graphs onto them, ``DROP`` plans that are
gone), so a failed upload leaves the previous content intact and the staging graphs are
dropped again.
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV

from kg.graph.namespaces import RK
from kg.store.embedded import StoreError, bind_prefixes

__all__ = ["Endpoint", "EndpointStore", "endpoint_from"]

STAGING = "urn:respkg:staging:"


@dataclass(frozen=True)
class Endpoint:
    """The URLs of one server and how to log in."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 600.0  # a server may take minutes to MOVE a large graph (seen on Virtuoso)


def _ascii_url(url: str) -> str:
    """The URL with every character HTTP cannot carry as is percent-encoded (UTF-8)."""
    return urllib.parse.quote(url, safe=":/?&=%#@+;,~!$'()*[]")


def endpoint_from(query_url: str, update_url: str | None = None, gsp_url: str | None = None) -> Endpoint:
    """An Endpoint with credentials from RESPKG_ENDPOINT_USER / RESPKG_ENDPOINT_PASSWORD."""
    for url in filter(None, (query_url, update_url, gsp_url)):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise StoreError(f"{url}: not an http(s) URL")
    # Chinese in a URL (…?default-graph-uri=…/plan/峰和县-2021) is sent percent-encoded; what is
    # already encoded stays as it is.
    query_url, update_url, gsp_url = (_ascii_url(u) if u else u for u in (query_url, update_url, gsp_url))
    return Endpoint(query_url, update_url or query_url, gsp_url,
                    os.environ.get("RESPKG_ENDPOINT_USER"), os.environ.get("RESPKG_ENDPOINT_PASSWORD"))


class EndpointStore:
    """A store on a SPARQL server; see the module docstring."""

    def __init__(self, endpoint: Endpoint):
        self.endpoint = endpoint
        handlers: list = []
        if endpoint.user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in filter(None, (endpoint.query_url, endpoint.update_url, endpoint.gsp_url)):
                passwords.add_password(None, url, endpoint.user, endpoint.password or "")
            handlers = [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    def describe(self) -> str:
        return f"SPARQL endpoint {self.endpoint.query_url}"

    # -- HTTP -----------------------------------------------------------------------------

    def _sign(self, req: urllib.request.Request) -> None:
        """Add the Authorization header before sending a body.

        urllib answers an authentication challenge only after the server has refused the
        request; a server that refuses a large upload at once and closes the connection
        (Virtuoso's digest-protected endpoints do) leaves urllib with a broken pipe. So ask
        for the challenge with a body-less GET first and sign the real request.
        """
        probe = urllib.request.Request(req.full_url, method="GET")
        try:
            with urllib.request.urlopen(probe, timeout=self.endpoint.timeout):
                return  # no authentication asked for
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        except (urllib.error.URLError, OSError):
            return  # the real request will report it
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() == "digest":
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, req.full_url, self.endpoint.user, self.endpoint.password or "")
            handler = urllib.request.HTTPDigestAuthHandler(passwords)
            chal = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(params)))
            auth = handler.get_authorization(req, chal)
            if auth:
                req.add_unredirected_header("Authorization", f"Digest {auth}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.endpoint.user}:{self.endpoint.password or ''}".encode()).decode()
            req.add_unredirected_header("Authorization", f"Basic {token}")

    def _request(self, method: str, url: str, body: bytes | None, headers: dict[str, str], what: str) -> bytes:
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        if self.endpoint.user and body:
            self._sign(req)
        try:
            with self._opener.open(req, timeout=self.endpoint.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
            first = detail[0] if detail else exc.reason
            if exc.code in (401, 403):
                raise StoreError(f"{url}: the server refused the {what} (HTTP {exc.code}); check the URL and "
                                 "RESPKG_ENDPOINT_USER / RESPKG_ENDPOINT_PASSWORD") from None
            raise StoreError(f"{url}: the {what} failed (HTTP {exc.code}: {first})") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint ({reason})") from None

    def select(self, query: str) -> list[dict]:
        """The bindings of a SELECT query, as SPARQL JSON results."""
        body = urllib.parse.urlencode({"query": query}).encode()
        raw = self._request("POST", self.endpoint.query_url, body,
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Accept": "application/sparql-results+json"}, "query")
        try:
            return json.loads(raw)["results"]["bindings"]
        except (ValueError, KeyError):
            raise StoreError(f"{self.endpoint.query_url}: the answer is not SPARQL JSON results") from None

    def query(self, sparql: str, bindings: dict, dataset=None, base_iri: str | None = None):
        """Run a read query; parameters become a VALUES block of RDF terms inside the WHERE clause.

        ``dataset`` goes to the server as the protocol's ``default-graph-uri`` /
        ``named-graph-uri``, with the query's own ``FROM`` clauses cut out (Virtuoso would
        merge them with the protocol's graphs, which replace them); ``base_iri`` as a ``BASE`` before the query (the protocol has no
        parameter for it, and a ``BASE`` of the query's own still applies after it).
        """
        from rdflib.plugins.sparql.results.jsonresults import parseJsonTerm

        from kg.store.results import QueryResult, bind_values, without_dataset

        text = bind_values(sparql if dataset is None else without_dataset(sparql), bindings)
        fields = [("query", f"BASE <{base_iri}>\n{text}" if base_iri else text)]
        if dataset is not None:
            fields += [("default-graph-uri", g) for g in dataset.default]
            fields += [("named-graph-uri", g) for g in dataset.named]
        body = urllib.parse.urlencode(fields).encode()
        raw = self._request("POST", self.endpoint.query_url, body,
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Accept": "application/sparql-results+json"}, "query")
        try:
            doc = json.loads(raw)
        except ValueError:
            raise StoreError(f"{self.endpoint.query_url}: the answer is not SPARQL JSON results") from None
        if "boolean" in doc:
            return QueryResult([], boolean=bool(doc["boolean"]))
        columns = doc["head"]["vars"]
        rows = [tuple(parseJsonTerm(b[c]) if c in b else None for c in columns) for b in doc["results"]["bindings"]]
        return QueryResult(columns, rows)

    def update(self, update: str) -> None:
        """Run a SPARQL Update (only builds do)."""
        body = urllib.parse.urlencode({"update": update}).encode()
        self._request("POST", self.endpoint.update_url, body,
                      {"Content-Type": "application/x-www-form-urlencoded"}, "update")

    def _upload(self, graph: Graph, name: str) -> None:
        """Put a graph's triples into the graph ``name``: Graph Store PUT, else INSERT DATA."""
        if self.endpoint.gsp_url:
            sep = "&" if "?" in self.endpoint.gsp_url else "?"
            url = f"{self.endpoint.gsp_url}{sep}{urllib.parse.urlencode({'graph': name})}"
            self._request("PUT", url, graph.serialize(format="nt", encoding="utf-8"),
                          {"Content-Type": "application/n-triples"}, "upload")
            return
        lines = graph.serialize(format="nt").splitlines()
        # Servers cap the size of one update (Virtuoso refuses 2,000 triples): send 500 at a time.
        for i in range(0, len(lines), 500):
            chunk = "\n".join(lines[i:i + 500])
            self.update(f"INSERT DATA {{ GRAPH <{name}> {{\n{chunk}\n}} }}")

    # -- Store ----------------------------------------------------------------------------

    def _live_graphs(self) -> tuple[set[str], set[str]]:
        """(plan graphs, build graphs) of the previous build, found by its provenance."""
        rows = self.select(f"""SELECT DISTINCT ?bg ?g WHERE {{ GRAPH ?bg {{
            ?g <{PROV.wasGeneratedBy}> ?b . ?b <{RK.softwareVersion}> ?v }} }}""")
        return {r["g"]["value"] for r in rows}, {r["bg"]["value"] for r in rows}

    def replace_graphs(self, graphs, wait: float = 0.0) -> None:
        """As :meth:`replace`, from (IRI, triples) pairs."""
        from kg.graph.plan import to_dataset

        self.replace(to_dataset(graphs), wait)

    def replace(self, data: Dataset, wait: float = 0.0) -> None:
        graphs = [g for g in data.graphs() if len(g) and isinstance(g.identifier, URIRef)]
        build_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        staging = {str(g.identifier): f"{STAGING}{build_id}:{i}" for i, g in enumerate(graphs)}
        plans, builds = self._live_graphs()
        gone = (plans | builds) - set(staging)
        try:
            for g in graphs:
                self._upload(g, staging[str(g.identifier)])
            ops = [f"MOVE SILENT GRAPH <{s}> TO GRAPH <{live}>" for live, s in staging.items()]
            ops += [f"DROP SILENT GRAPH <{live}>" for live in sorted(gone)]
            self.update(" ;\n".join(ops))
        except StoreError as exc:
            try:
                self.update(" ;\n".join(f"DROP SILENT GRAPH <{s}>" for s in staging.values()))
            except StoreError:
                pass  # the server is gone; the staging graphs are harmless and named as such
            raise StoreError(f"{exc}; the previous graph is unchanged") from None

    def dataset(self) -> Dataset:
        """The graphs of the last build (plans and provenance), fetched into memory."""
        from rdflib.plugins.sparql.results.jsonresults import parseJsonTerm

        plans, builds = self._live_graphs()
        if not builds:
            raise StoreError(f"{self.endpoint.query_url}: no respkg graph on this server yet; run `kg build --endpoint …`")
        ds = bind_prefixes(Dataset(default_union=True))
        values = " ".join(f"<{g}>" for g in sorted(plans | builds))
        for r in self.select(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"):
            ds.graph(URIRef(r["g"]["value"])).add((parseJsonTerm(r["s"]), parseJsonTerm(r["p"]), parseJsonTerm(r["o"])))
        return ds
