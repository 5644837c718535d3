"""The explorer pages in a real browser: headless Chromium driven by Playwright, from file://.

Like tests/test_serve_browser.py: Debian's chromium at /usr/bin/chromium
(``scripts/browser.sh install``) and the ``playwright`` package, never ``playwright
install``. The pages are opened as a user opens them, by their file:// address; every
test checks that no request leaves file:// and that the console stays clean.

The times to drawn (the first frame vis-network draws, from the start of navigation) are
printed; the bounds asserted are generous, to catch a page that hangs, not to benchmark.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from kg.build import build
from kg.resources import default_source
from kg.views.explorer import add_task_texts, ego_graph, leader_graph, write_explorer, write_per_leader, write_per_plan
from kg.analysis.load import leader_loads
from kg.analysis.network import typed_graph
from kg.store.embedded import OxigraphStore
from test_explorer import XSS_IMG, XSS_SCRIPT, synthetic, xss_graph

from browser import WAIT_MS, browser  # noqa: F401  (browser is a fixture)

SCREENSHOT = Path("/tmp/explorer.png")
DRAWN = "() => window.respkgExplorer && window.respkgExplorer.drawnAt !== null"


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("explorer-browser") / "store")
    build(None, store)
    return add_task_texts(typed_graph(store), store)


@pytest.fixture(scope="module")
def site(g, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    write_explorer(folder / "explorer.html", g)
    write_explorer(folder / "ego.html", g, focus="工信局", depth=1)
    write_explorer(folder / "xss.html", xss_graph(), title=f"标题 {XSS_IMG}")
    write_per_leader(folder / "leaders", g)
    return folder


@pytest.fixture
def open_page(browser):
    """Open a file as a user would; the page records its requests, console errors and dialogs."""
    contexts = []

    def _open(path: Path, explorer: bool = True, wait_ms: int = WAIT_MS):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(wait_ms)
        page.requests, page.errors, page.dialogs = [], [], []
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        if explorer:
            page.wait_for_function(DRAWN)
        return page

    yield _open
    for c in contexts:
        c.close()


def clean(page) -> None:
    """Nothing left file://, nothing went wrong, nothing popped up."""
    assert [u for u in page.requests if not u.startswith("file://")] == []
    assert page.errors == [] and page.dialogs == []


def drawn(page) -> dict:
    return page.evaluate("respkgExplorer.drawn()")


def index_of(page, group: str, label: str) -> int:
    return page.evaluate("([g, l]) => respkgExplorer.data.nodes.findIndex(n => n.group === g && n.label === l)",
                         [group, label])


def say(capsys, text: str) -> None:
    with capsys.disabled():
        print(f"\n[explorer] {text}")


def test_the_seed_page_draws_every_node_and_edge_offline(open_page, site, g, capsys):
    page = open_page(site / "explorer.html")
    assert page.title() == "respkg 责任网络"
    assert drawn(page) == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()} == {"nodes": 447, "edges": 1678}
    ms = page.evaluate("respkgExplorer.drawnAt")
    say(capsys, f"seed ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges): drawn {ms:.0f} ms after navigation")
    assert ms < 15_000
    # all of it in the window at once, legend and counts readable beside it
    legend = page.inner_text("#legend")
    for word in ("任务", "章节", "责任单位", "单位组", "责任领导", "分管市领导", "牵头", "配合", "分管", "属于（章节）"):
        assert word in legend
    assert page.is_visible("#legend") and page.is_visible("#panel")
    assert page.inner_text("#count") == "447/447 个节点 · 1678/1678 条连线"
    box = page.evaluate("""() => { const n = respkgExplorer.network, ids = n.body.nodeIndices;
        const p = n.getPositions(ids), c = document.getElementById('graph').getBoundingClientRect();
        const xs = ids.map(i => n.canvasToDOM(p[i]));
        return { inside: xs.filter(d => d.x >= 0 && d.y >= 0 && d.x <= c.width && d.y <= c.height).length,
                 all: ids.length }; }""")
    assert box["inside"] == box["all"]
    clean(page)


def test_searching_a_leader_selects_them_and_highlights_their_tasks(open_page, site, g, capsys):
    page = open_page(site / "explorer.html")
    page.fill("#q", "庄天")
    page.wait_for_selector("#hits li")
    assert page.inner_text("#hits li >> nth=0").startswith("庄天怀")
    page.fill("#q", "庄天怀")
    start = time.perf_counter()
    page.press("#q", "Enter")
    me = index_of(page, "leader", "庄天怀")
    page.wait_for_function("i => respkgExplorer.selected()[0] === i", arg=me)
    say(capsys, f"seed: search 庄天怀 answered in {(time.perf_counter() - start) * 1000:.0f} ms")
    assert page.evaluate("respkgExplorer.selected()") == [me]
    lit = set(page.evaluate("respkgExplorer.highlighted()"))
    leader = next(n for n, d in g.nodes(data=True) if d["label"] == "庄天怀")
    numbers = {g.nodes[t]["number"] for t, _, d in g.in_edges(leader, data=True) if d["rel"] == "supervisor"}
    tasks = {index_of(page, "task", str(n)) for n in numbers}
    assert len(tasks) == 51 and lit == tasks | {me}
    opacity = page.evaluate("""() => { const ds = respkgExplorer.network.body.data.nodes.getDataSet();
        return ds.get().reduce((o, n) => (o[n.id] = n.opacity === undefined ? 1 : n.opacity, o), {}); }""")
    assert all(opacity[str(i)] == 1 for i in lit) and all(opacity[k] < 1 for k in opacity if int(k) not in lit)
    assert page.inner_text("#panel h2") == "庄天怀"
    assert "分管的任务（51）" in page.inner_text("#panel")
    page.wait_for_timeout(600)  # the view's move
    page.screenshot(path=str(SCREENSHOT))
    clean(page)


def test_clicking_a_task_shows_its_panel_and_the_links_lead_on(open_page, site):
    page = open_page(site / "explorer.html")
    i = index_of(page, "task", "45")
    page.evaluate("i => respkgExplorer.network.moveTo({position: respkgExplorer.network.getPosition(i), scale: 2})", i)
    page.wait_for_timeout(200)
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("i => respkgExplorer.selected()[0] === i", arg=i)
    panel = page.inner_text("#panel")
    assert page.inner_text("#panel h2") == "任务 45"
    for text in ("三、构建“4341”现代产业体系", "（三）四大现代服务业", "实施120个服务业重点项目，完成投资180亿元以上",
                 "牵头单位", "现代服务业办", "配合单位", "发改局", "许国鑫", "分管市领导", "李自力"):
        assert text in panel
    page.click("#panel a.node:text-is('现代服务业办')")
    unit = index_of(page, "unit", "现代服务业办")
    page.wait_for_function("i => respkgExplorer.selected()[0] === i", arg=unit)
    assert page.inner_text("#panel h2") == "现代服务业办" and "牵头的任务" in page.inner_text("#panel")
    assert i in page.evaluate("respkgExplorer.highlighted()")
    page.evaluate("respkgExplorer.network.moveTo({position: {x: 1e5, y: 1e5}})")
    page.mouse.click(box["x"] + 50, box["y"] + 50)  # empty canvas: everything back
    page.wait_for_function("() => respkgExplorer.highlighted().length === 0")
    clean(page)


def test_filters_by_kind_relation_chapter_and_leader(open_page, site, g):
    page = open_page(site / "explorer.html")
    n, e = g.number_of_nodes(), g.number_of_edges()
    kinds = {v: d["kind"] for v, d in g.nodes(data=True)}
    page.uncheck("#kinds input[data-kind=task]")
    not_tasks = sum(1 for u, v, _ in g.edges(data=True) if kinds[u] != "task" and kinds[v] != "task")
    assert drawn(page) == {"nodes": n - 173, "edges": not_tasks}
    page.click("#reset")
    assert drawn(page) == {"nodes": n, "edges": e}
    page.uncheck("#rels input[data-rel=support]")
    assert drawn(page) == {"nodes": n, "edges": e - 358}
    page.click("#reset")

    def shown_tasks():
        return sorted(page.evaluate("""() => { const x = respkgExplorer; return x.network.body.nodeIndices
            .filter(i => x.data.nodes[i].group === 'task').map(i => +x.data.nodes[i].label); }"""))

    page.select_option("#f-section", label="一、狠抓科技创新")
    assert shown_tasks() == list(range(1, 11))
    page.select_option("#f-section", label="\u3000（三）四大现代服务业")
    section = next(s for s, d in g.nodes(data=True) if d["label"] == "（三）四大现代服务业")
    in_section = sorted(g.nodes[t]["number"] for t, _, d in g.in_edges(section, data=True) if d["rel"] == "part_of")
    assert shown_tasks() == in_section and 45 in in_section
    page.select_option("#f-leader", index=2)
    name = page.evaluate("respkgExplorer.data.leaders[1][0]")
    leader = next(s for s, d in g.nodes(data=True) if d["label"] == name)
    mine = {g.nodes[t]["number"] for t, _, d in g.in_edges(leader, data=True) if d["rel"] == "supervisor"}
    assert shown_tasks() == sorted(set(in_section) & mine)
    page.select_option("#f-section", "")
    assert shown_tasks() == sorted(mine)
    # a head is drawn only with a task of theirs in view
    heads = page.evaluate("""() => { const x = respkgExplorer, shown = new Set(x.network.body.nodeIndices);
        return x.network.body.edgeIndices.map(i => x.data.edges[i]).filter(e => e.rel === 'head')
            .every(e => shown.has(e.task)); }""")
    assert heads
    page.click("#reset")
    assert drawn(page) == {"nodes": n, "edges": e}
    clean(page)


def test_labels_that_look_like_markup_show_as_text(open_page, site):
    page = open_page(site / "xss.html")
    assert page.title() == f"标题 {XSS_IMG}"
    page.fill("#q", "<img")
    page.press("#q", "Enter")
    page.wait_for_function("() => respkgExplorer.selected().length === 1")
    assert page.inner_text("#panel h2") == XSS_IMG
    page.evaluate("respkgExplorer.search('任务 1')")
    panel = page.inner_text("#panel")
    assert f"任务 {XSS_IMG} & {XSS_SCRIPT}" in panel and XSS_SCRIPT in panel and "<i>张三</i>" in panel
    # hover the task: its tooltip is text too
    page.wait_for_timeout(600)  # the view's move
    i = index_of(page, "task", "1")
    pos = page.evaluate("i => { const n = respkgExplorer.network; return n.canvasToDOM(n.getPosition(i)); }", i)
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + pos["x"] - 30, box["y"] + pos["y"] - 30)
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"], steps=5)
    page.wait_for_selector("div.vis-tooltip", state="visible")
    assert XSS_IMG in page.inner_text("div.vis-tooltip")
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert page.inner_text("#legend")  # the page still works
    clean(page)


def test_the_ego_view_shows_one_units_neighbourhood(open_page, site, g):
    page = open_page(site / "ego.html")
    unit = next(n for n, d in g.nodes(data=True) if d["label"] == "工信局")
    ego = ego_graph(g, unit, 1)
    assert drawn(page) == {"nodes": ego.number_of_nodes(), "edges": ego.number_of_edges()}
    assert "以「工信局」为中心" in page.inner_text("#note")
    assert page.inner_text("#panel h2") == "工信局"
    assert page.evaluate("respkgExplorer.selected()") == [index_of(page, "unit", "工信局")]
    clean(page)


def test_the_per_leader_index_links_every_leaders_page(open_page, site, g):
    index = open_page(site / "leaders" / "index.html", explorer=False)
    rows = leader_loads(g)
    cells = index.locator("#leaders tbody tr")
    assert cells.count() == len(rows) == 18
    for k, row in enumerate(rows):
        text = cells.nth(k).inner_text().split("\t")
        assert text[:3] == [str(row["rank"]), row["name"], str(row["tasks"])]
    clean(index)
    with index.expect_navigation():
        index.click("#leaders a:text-is('庄天怀')")
    index.wait_for_function(DRAWN)
    leader = next(n for n, d in g.nodes(data=True) if d["label"] == "庄天怀")
    sub = leader_graph(g, leader)
    assert drawn(index) == {"nodes": sub.number_of_nodes(), "edges": sub.number_of_edges()}
    kinds = Counter(index.evaluate("respkgExplorer.data.nodes.map(n => n.group)"))
    assert kinds["task"] == 51 and kinds["leader"] == 1
    assert index.inner_text("#panel h2") == "庄天怀"
    assert index.get_attribute("#note a", "href") == "index.html"
    clean(index)


def test_the_per_plan_index_opens_each_plans_page(open_page, tmp_path):
    """A store of three plans of two governments: the index lists them by government, each
    link opens its plan's page, drawn whole, with nothing fetched and a link back."""
    from kg import synth

    sources = synth.write_plans(synth.synthesize(counties=2, years=1, seed=8), tmp_path)
    store = OxigraphStore(tmp_path / "store")
    build([*sources, default_source()], store)
    pages = write_per_plan(tmp_path / "plans", store)
    index = open_page(pages[-1].path, explorer=False)
    rows = index.locator("#plans tbody tr")
    texts = [rows.nth(k).inner_text().split("\t") for k in range(rows.count())]
    assert len(texts) == 3 and ["晋江市人民政府", "晋政文〔2021〕16号", "晋政文〔2021〕16号", "173"] in [t[:4] for t in texts]
    assert [t[0] for t in texts] == sorted(t[0] for t in texts)
    clean(index)
    for k, written in enumerate(pages[:-1]):
        with index.expect_navigation():
            index.locator("#plans tbody tr a").nth(k).click()
        index.wait_for_function(DRAWN)
        assert drawn(index) == {"nodes": written.nodes, "edges": written.edges}
        assert index.get_attribute("#note a", "href") == "index.html"
        clean(index)
        index.go_back()


@pytest.mark.slow
def test_ten_thousand_nodes_open_and_respond(open_page, tmp_path, capsys):
    g = synthetic(10_000)
    start = time.perf_counter()
    written = write_explorer(tmp_path / "big.html", g)
    built = time.perf_counter() - start
    assert not written.aggregated
    page = open_page(written.path, wait_ms=120_000)
    assert drawn(page) == {"nodes": 10_000, "edges": g.number_of_edges()}
    ms = page.evaluate("respkgExplorer.drawnAt")
    name = g.nodes["l0"]["label"]
    start = time.perf_counter()
    page.fill("#q", name)
    page.press("#q", "Enter")
    page.wait_for_function("() => respkgExplorer.selected().length === 1")
    answered = time.perf_counter() - start
    say(capsys, f"10,000 nodes, {g.number_of_edges()} edges: page written in {built:.1f} s "
                f"({written.size / 1e6:.1f} MB), drawn {ms:.0f} ms after navigation, "
                f"search {name} answered in {answered * 1000:.0f} ms")
    assert page.inner_text("#panel h2") == name
    assert ms < 60_000 and answered < 20
    clean(page)


def test_tasks_are_coloured_by_status_with_a_legend_a_filter_and_their_history(open_page, tmp_path, seed_path):
    """The 2021 table built with the two hand-made quarters (tests/test_progress.py checks the statuses)."""
    from kg.views.explorer import add_task_progress
    from kg.views.progress import STATUS_COLOURS
    from test_progress import Q2, Q3, expected_statuses

    store = OxigraphStore(tmp_path / "store")
    build([seed_path, Q2, Q3], store)
    g = add_task_texts(typed_graph(store), store)
    assert add_task_progress(g, store) == "2021-09-30"  # the latest report's date
    write_explorer(tmp_path / "p.html", g)
    page = open_page(tmp_path / "p.html")
    from kg.parse import parse_file

    statuses = expected_statuses(parse_file(seed_path), "2021-09-30")
    counts = Counter(statuses.values())
    legend = page.inner_text("#progress")
    assert "进度状态（截至2021-09-30）" in legend
    assert f"进度滞后\n{counts['behind']}" in legend and f"未报送进展\n{counts['not_reported']}" in legend
    colours = page.evaluate("""() => { const x = respkgExplorer, out = {};
        x.data.nodes.forEach(n => { if (n.group === 'task') out[n.label] = n.color.background; }); return out; }""")
    assert colours == {str(no): STATUS_COLOURS[s] for no, s in statuses.items()}
    page.select_option("#f-status", label=f"进度滞后（{counts['behind']}）")
    shown = page.evaluate("""() => { const x = respkgExplorer; return x.network.body.nodeIndices
        .filter(i => x.data.nodes[i].group === 'task').map(i => +x.data.nodes[i].label).sort((a, b) => a - b); }""")
    assert shown == sorted(no for no, s in statuses.items() if s == "behind")
    page.evaluate("i => respkgExplorer.select(i)", index_of(page, "task", "3"))
    panel = page.inner_text("#panel")
    assert "进度（截至2021-09-30）" in panel and "进度滞后" in panel
    assert "2021-06-30 滞后 20%" in panel and "2021-09-30 滞后 40%" in panel and "高校合作意向不足" in panel
    clean(page)
