"""A real Virtuoso SPARQL server for the tests (Debian's virtuoso-opensource 7.2.5).

Import the session fixture from a conftest or a test module::

    from virtuoso import virtuoso  # noqa: F401

It runs ``scripts/virtuoso.sh install`` (apt-get, only when ``virtuoso-t`` is
missing; needs root or sudo) and ``scripts/virtuoso.sh start DIR HTTP ISQL`` on two
free loopback ports and a fresh database in a temporary folder, yields a
:class:`VirtuosoServer`, and stops the server when the session ends.  Anything
that goes wrong (install, start, time-out) FAILS the tests that use it, with the
server's log tail in the message; it never skips.

What the server accepts (checked against 7.2.5.1+dfsg1-0.3 on Debian 12)
------------------------------------------------------------------------
All URLs are ``http://127.0.0.1:PORT/...`` (IPv4 only: "localhost" may try ::1
first and be refused).

``query_url`` = ``/sparql``, anonymous
    SPARQL 1.1 Query: GET ``?query=`` or POST form ``query=``
    (``application/x-www-form-urlencoded``).  ``Accept:
    application/sparql-results+json`` gives SPARQL JSON; CONSTRUCT answers
    ``application/n-triples`` or ``text/turtle``.  Do NOT POST the query as
    ``Content-Type: application/sparql-query``: 7.2.5 never answers (the
    connection hangs until the client times out; upstream issue #842).  A
    syntax error is **400** ``text/plain`` ("SP030: SPARQL compiler ...").
``update_url`` = ``/sparql`` too, anonymous
    SPARQL 1.1 Update works there because ``start`` runs ``GRANT SPARQL_UPDATE
    TO "SPARQL"`` (without it: 500 "SR186: No permission to execute procedure
    DB.DBA.SPARQL_INSERT_DICT_CONTENT").  POST with ``Content-Type:
    application/sparql-update`` and the update as body, or a form
    ``update=...``.  Success is **200** with a one-row result
    (``"Insert into <g>, N (or less) triples -- done"``) in whatever format
    Accept asks for (SPARQL XML without Accept); a syntax error is **400**,
    a permission error **500**.  (Virtuoso also runs updates sent as
    ``query=``, even by GET: don't rely on it.)
``gsp_url`` = ``/sparql-graph-crud``, anonymous (writable thanks to the same
    GRANT; without it PUT is 403 "Permission denied for delete from DB.DBA.RDF_QUAD")
    Graph Store Protocol with ``?graph=IRI`` (``?graph-uri=IRI`` works as well;
    non-ASCII graph IRIs, percent-encoded as UTF-8 in the query string, work):
      * PUT replaces the graph: **201** when the graph did not exist (or was
        empty), **200** when it replaced triples, **204** for an empty body
        (graph cleared).  A body that does not parse is **500** and the graph
        is left unchanged.  Virtuoso *sniffs* the body rather than trusting
        Content-Type: N-Triples, Turtle (``@prefix``/``PREFIX``/``@base``) and
        RDF/XML load fine (send ``application/n-triples``, ``text/turtle`` or
        ``application/rdf+xml``); JSON-LD, TriG and N-Quads are refused with
        500 "unsupported type".
      * POST adds triples (200, or 201 for a new graph).
      * GET returns the graph (``Accept: application/n-triples``,
        ``text/turtle`` (the default), ``application/rdf+xml``,
        ``application/ld+json``); **404** if the graph is empty/absent.
        HEAD is 501.
      * DELETE drops the graph: **200**, or **404** if there was none.
      * TRAP: send NO ``Accept`` header (or ``*/*``) with PUT/POST/DELETE.
        With ``Accept: application/n-triples``/``text/turtle`` Virtuoso
        answers **406 Not Acceptable** for the 200-cases (only 201 escapes)
        AFTER having done the write/delete.
``auth_update_url`` = ``/sparql-auth``, ``auth_gsp_url`` = ``/sparql-graph-crud-auth``
    Same as above but they require HTTP **Digest** auth (realm ``SPARQL``,
    MD5, qop=auth) as ``user``/``password`` = ``dba`` / ``$VIRTUOSO_DBA_PASSWORD``
    (default ``dba``).  No credentials, a wrong password or **Basic** auth
    (even with the right password) all get **401** with a ``WWW-Authenticate:
    Digest`` challenge.  In Python: ``urllib.request.HTTPDigestAuthHandler``
    or ``requests.auth.HTTPDigestAuth``.

Output quirks: Virtuoso escapes every non-ASCII character as ``\\uXXXX`` both in
JSON strings (harmless after json.loads) and in N-Triples/Turtle output, also
inside IRIs (``<https://w3id.org/respkg/id/unit/\\u79D1\\u6280\\u5C40>``: legal
UCHARs, but unescape before comparing text).  Non-ASCII IRIs and literals are
stored and matched intact (SPARQL JSON gives them back exactly).  Turtle output
invents prefixes (``@prefix ns0: <urn:> .``).  The stock 10000-row cap on
results is raised to 1000000 by ``start``.  Startup takes 2-5 s here; the
server's RSS is ~250 MB.

Limits seen with 50000 triples like ``<…/task/N> <…#label> "任务 N 晋江市科技局"@zh``:
GSP PUT of all 50000 (5.5 MB N-Triples) takes ~1 s, and a SELECT of all of them
~1.3 s.  ``INSERT DATA`` is limited per request: 1000 triples work (0.7 s), 2000
give **400** "SP031: The length of generated SQL text has exceeded 10000 lines",
5000 give **400** "SP030: ... memory exhausted": upload big graphs with GSP PUT,
or chunk INSERT DATA to <= 1000 triples.  ``MOVE``/``DROP`` of such a
50000-triple graph over ``/sparql`` usually takes 0.3-1.7 s but, in about
half of the runs on a fresh database, 14 to 46 s or more (virtuoso-t at 100% CPU;
``DEFINE sql:log-enable 2`` and ThreadsPerQuery 1 did not cure it), so give
such updates a timeout of minutes, not seconds.

Bulk loading from files: ``data_dir`` is in the server's ``DirsAllowed``, so
isql (``isql-vt 127.0.0.1:ISQL dba PASSWORD``) may ``ld_dir``/``TTLP`` files put
there; ``isql_port`` is on the dataclass for that.
"""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "virtuoso.sh"

INSTALL_TIMEOUT = 1200  # apt-get update + install (~6 MB of .debs) on a slow mirror
START_TIMEOUT = 150  # the script itself gives up after VIRTUOSO_START_TIMEOUT (90 s)
STOP_TIMEOUT = 60


@dataclass(frozen=True)
class VirtuosoServer:
    query_url: str
    update_url: str
    gsp_url: str
    auth_update_url: str
    auth_gsp_url: str
    user: str
    password: str
    data_dir: Path
    http_port: int = 0
    isql_port: int = 0


def _free_ports(n: int) -> list[int]:
    """n distinct free TCP ports on 127.0.0.1 (all held open until chosen)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _log_tail(data_dir: Path, lines: int = 30) -> str:
    log = data_dir / "virtuoso.log"
    try:
        return _tail(log.read_text(encoding="utf-8", errors="replace"), lines)
    except OSError:
        return f"(no log at {log})"


def _run(args: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def _stop(data_dir: Path) -> None:
    try:
        _run(["stop", str(data_dir)], STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pid_file = data_dir / "virtuoso.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), 9)
            except (OSError, ValueError):
                pass


def start_server(data_dir: Path) -> VirtuosoServer:
    """Install if needed and start a server on fresh ports in data_dir (fails the test on error)."""
    try:
        done = _run(["install"], INSTALL_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"scripts/virtuoso.sh install timed out after {e.timeout}s", pytrace=False)
    if done.returncode != 0:
        pytest.fail(
            f"scripts/virtuoso.sh install failed (exit {done.returncode}):\n{_tail(done.stdout)}",
            pytrace=False,
        )

    password = os.environ.get("VIRTUOSO_DBA_PASSWORD") or "dba"
    env = {**os.environ, "VIRTUOSO_DBA_PASSWORD": password}
    data_dir.mkdir(parents=True, exist_ok=True)
    output = ""
    for _attempt in range(3):  # a port taken between choosing and binding: choose again
        http_port, isql_port = _free_ports(2)
        try:
            done = _run(["start", str(data_dir), str(http_port), str(isql_port)], START_TIMEOUT, env)
        except subprocess.TimeoutExpired as e:
            _stop(data_dir)
            pytest.fail(
                f"scripts/virtuoso.sh start timed out after {e.timeout}s; log tail:\n{_log_tail(data_dir)}",
                pytrace=False,
            )
        output = done.stdout
        if done.returncode == 0:
            break
        _stop(data_dir)
        if "already in use" not in output:
            break
    if done.returncode != 0:
        pytest.fail(
            f"scripts/virtuoso.sh start failed:\n{_tail(output)}\n"
            f"---- {data_dir}/virtuoso.log ----\n{_log_tail(data_dir)}",
            pytrace=False,
        )

    base = f"http://127.0.0.1:{http_port}"
    return VirtuosoServer(
        query_url=f"{base}/sparql",
        update_url=f"{base}/sparql",
        gsp_url=f"{base}/sparql-graph-crud",
        auth_update_url=f"{base}/sparql-auth",
        auth_gsp_url=f"{base}/sparql-graph-crud-auth",
        user="dba",
        password=password,
        data_dir=data_dir,
        http_port=http_port,
        isql_port=isql_port,
    )


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A running Virtuoso for the whole session (see the module docstring for its URLs)."""
    data_dir = tmp_path_factory.mktemp("virtuoso")
    try:
        server = start_server(data_dir)
        yield server
    finally:
        _stop(data_dir)
