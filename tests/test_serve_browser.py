"""The query page in a real browser: headless Chromium driven by Playwright, fully offline.

Needs Debian's chromium at /usr/bin/chromium (``scripts/browser.sh install``) and the
``playwright`` package (its wheel carries the driver; ``playwright install`` is never
run). Without them the tests fail and say so: the page is part of the product.
"""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest

from kg.build import build
from kg.sparql.serve import make_server
from kg.store.embedded import OxigraphStore

from browser import WAIT_MS, browser  # noqa: F401  (browser is a fixture)

SCREENSHOT = Path("/tmp/serve.png")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("page") / "store")
    build(None, store)
    server = make_server(store, port=0, timeout=10, max_rows=100, log=lambda line: None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.fixture
def page(browser, base):
    """A fresh page on the query page, with the requests and console errors it produces."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{base}/")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.wait_for_function("document.querySelectorAll('#named-query option').length > 15")
    yield page
    context.close()


def editor(page) -> str:
    return page.evaluate("window.respkgYasgui.getTab().getYasqe().getValue()")


def run_in_editor(page, query: str) -> None:
    """Type-free: set the editor's text, then Ctrl+Enter as a user would."""
    page.evaluate("q => window.respkgYasgui.getTab().getYasqe().setValue(q)", query)
    page.click(".yasqe .CodeMirror")
    with page.expect_response(lambda r: r.url.endswith("/sparql")):
        page.keyboard.press("Control+Enter")


def only_local(requests: list[str], base: str) -> list[str]:
    """The requests that left the server's origin (data: URLs and the origin's blob: URLs stay)."""
    return [u for u in requests
            if not (u.startswith(base + "/") or u.startswith("data:") or u.startswith(f"blob:{base}/"))]


def test_named_query_runs_shows_a_table_and_downloads_csv(page, base):
    assert page.title() == "respkg SPARQL 查询"
    assert editor(page).startswith("PREFIX rk: <https://w3id.org/respkg#>")

    page.select_option("#named-query", "tasks-per-chapter")
    assert "# name: tasks-per-chapter" in editor(page)
    assert "各章的任务数" in page.inner_text("#about")
    page.click(".yasqe_queryButton")
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.nth(7).wait_for()
    assert rows.count() == 8
    assert "一、狠抓科技创新" in rows.nth(0).inner_text()
    assert "八、全面加强政府自身建设" in rows.nth(7).inner_text()

    with page.expect_download() as download:
        page.click(".yasr .yasr_downloadIcon")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == 9
    table = list(csv.DictReader(io.StringIO(text)))
    assert {"chapter", "tasks", "leadUnits", "leaders"} <= set(table[0])
    assert (table[0]["chapter"], table[0]["tasks"]) == ("一、狠抓科技创新", "10")

    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert only_local(page.requests, base) == []
    assert f"{base}/sparql" in page.requests
    assert page.errors == []


def test_parameters_are_bound_in_the_editor_and_ctrl_enter_runs(page, base):
    page.select_option("#named-query", "tasks-led-by")
    assert '{ SELECT DISTINCT ?unit WHERE { ?unit rdfs:label "工信局"@zh } }' in editor(page)
    assert "工信局" in page.inner_text("#about .params")
    page.click(".yasqe .CodeMirror")
    with page.expect_response(lambda r: r.url.endswith("/sparql")):
        page.keyboard.press("Control+Enter")
    page.locator(".yasr table.dataTable tbody tr").nth(14).wait_for()
    assert page.locator(".yasr table.dataTable tbody tr").count() == 15
    assert only_local(page.requests, base) == [] and page.errors == []


def test_autocompletion_asks_only_this_server(page, base):
    """Prefixes come from /prefixes.json; classes and properties are not looked up (YASGUI asks LOV)."""
    page.evaluate("window.respkgYasgui.getTab().getYasqe().setValue('')")
    page.click(".yasqe .CodeMirror")
    page.keyboard.type("PREFIX sko", delay=30)
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints")
    assert "skos: <http://www.w3.org/2004/02/skos/core#>" in page.inner_text(".CodeMirror-hints")
    page.keyboard.press("Enter")
    page.keyboard.type("\nSELECT * WHERE { ?s a foaf:Per", delay=30)
    page.keyboard.press("Control+Space")
    page.keyboard.type("son . ?s foaf:na", delay=30)
    page.keyboard.press("Control+Space")
    page.wait_for_timeout(1000)
    assert editor(page).startswith("PREFIX ")
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in editor(page)
    assert only_local(page.requests, base) == [] and page.errors == []


def test_truncated_answers_show_a_note(page, base):
    assert not page.is_visible("#truncated")
    run_in_editor(page, "SELECT ?t WHERE { ?t a rk:Task }")
    page.wait_for_selector("#truncated", state="visible")
    assert "共 173 行" in page.inner_text("#truncated") and "100 of 173" in page.inner_text("#truncated")
    run_in_editor(page, "SELECT ?t WHERE { ?t a rk:Task } LIMIT 3")
    page.wait_for_selector("#truncated", state="hidden")


def test_data_is_shown_as_text_not_markup(page, base):
    run_in_editor(page, "SELECT ?x WHERE { BIND(\"<b id='injected'>x</b><img src=nowhere>\" AS ?x) }")
    page.locator(".yasr table.dataTable tbody tr").first.wait_for()
    assert page.locator("#injected").count() == 0
    assert "<b id='injected'>x</b>" in page.inner_text(".yasr table.dataTable tbody")
    assert only_local(page.requests, base) == [] and not any("nowhere" in u for u in page.requests)


def test_errors_are_shown_with_the_servers_reason(page, base):
    run_in_editor(page, "SELECT ?x WHERE {\n  ?x ?y\n}")
    page.wait_for_selector(".yasr .errorResult")
    assert "line" in page.inner_text(".yasr .errorResult")
    run_in_editor(page, "DROP ALL")
    page.wait_for_function("document.querySelector('.yasr .errorResult').innerText.includes('read-only')")
