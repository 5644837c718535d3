"""The explorer page as a library: what the page holds, escaping, subviews, aggregation, files.

The page itself is tested in a real browser in tests/test_explorer_browser.py; here the
data embedded in it are read back and compared with the graph.
"""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path
from collections import Counter

import networkx as nx
import pytest

from kg.build import build
from kg.views.explorer import (
    KIND_STYLE, MAX_NODES, ExplorerError, add_task_texts, aggregate, city_leaders, display_kinds, ego_graph,
    explorer_html, find_focus, leader_graph, write_explorer, write_per_leader, write_per_plan,
)
from kg.views.layout import _spread_line, layout
from kg.analysis.load import leader_loads
from kg import names
from kg.analysis.network import typed_graph
from kg.output import OutputError
from kg.store.embedded import OxigraphStore

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = OxigraphStore(tmp_path_factory.mktemp("explorer") / "store")
    build(None, s)
    return s


@pytest.fixture(scope="module")
def g(store):
    return add_task_texts(typed_graph(store), store)


def page_data(page: str) -> dict:
    """The JSON the page's script reads."""
    m = re.search(r'<script id="respkg-data" type="application/json">(.*?)</script>', page, re.S)
    assert m, "no data element in the page"
    return json.loads(m.group(1))


def node_of(g, name: str) -> str:
    return next(n for n, d in g.nodes(data=True) if d.get("label") == name)


def xss_graph() -> nx.MultiDiGraph:
    """A tiny graph whose document text is markup: a unit, a task, a city leader and a head."""
    g = nx.MultiDiGraph()
    g.add_node("sec", kind="section", label="一、<b>章</b>")
    g.add_node("t1", kind="task", label=f"1. {XSS_IMG}", number=1, text=f"任务 {XSS_IMG} & {XSS_SCRIPT}")
    g.add_node("u1", kind="unit", label=XSS_IMG)
    g.add_node("u2", kind="unit", label=XSS_SCRIPT)
    g.add_node("p1", kind="person", label="<i>张三</i>")
    g.add_node("l1", kind="person", label="李四<!--")
    g.add_edge("t1", "sec", rel="part_of")
    g.add_edge("t1", "u1", rel="lead")
    g.add_edge("t1", "u2", rel="support")
    g.add_edge("t1", "l1", rel="supervisor")
    g.add_edge("p1", "u1", rel="head", task="t1")
    return g


SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力志国峰宇浩凯鹏飞鑫斌波宁春晖晨阳雪梅林海东"
UNIT = "发改工信财政人社住建交通水利农业商务文旅卫健应急市监统计医保城管生态自然教育科技公安民政司法审计国资体育"


def synthetic(nodes: int = 10_000, seed: int = 7) -> nx.MultiDiGraph:
    """A graph of the seed's shape with exactly ``nodes`` nodes: half tasks (in chapters of six
    sections), 15 % units, a third people; each task has a lead, 0–4 supports, 1–3 city
    leaders from its section's three and heads for most of its units (about 4.2 edges a node)."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    n_tasks, n_chapters = nodes // 2, max(2, nodes // 1000)
    n_leaders, n_roles, n_groups = max(3, nodes // 170), max(1, nodes // 700), max(1, nodes // 2000)
    n_units = nodes * 3 // 20
    n_people = nodes - n_tasks - n_leaders - n_roles - n_groups - 7 * n_chapters - n_units
    used: set[str] = set()

    def unique(make):
        while (x := make()) in used:
            pass
        used.add(x)
        return x

    def person():
        return unique(lambda: rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN))

    sections = []
    for c in range(1, n_chapters + 1):
        g.add_node(f"s{c}", kind="section", label=unique(lambda: f"{c}、推进{rnd.choice(UNIT)}{rnd.choice(UNIT)}工作"))
        for k in range(1, 7):
            g.add_node(f"s{c}-{k}", kind="section",
                       label=unique(lambda: f"（{k}）{rnd.choice(UNIT)}{rnd.randint(1, 9999)}"))
            g.add_edge(f"s{c}-{k}", f"s{c}", rel="part_of")
            sections.append(f"s{c}-{k}")
    units = [f"u{i}" for i in range(n_units)]
    for u in units:
        g.add_node(u, kind="unit", label=unique(lambda: rnd.choice(UNIT) + rnd.choice(UNIT) + rnd.choice("局委办中心")
                                                 + str(rnd.randint(1, 999))))
    groups = [f"g{i}" for i in range(n_groups)]
    for i, grp in enumerate(groups):
        g.add_node(grp, kind="group", label=f"各{rnd.choice(UNIT)}单位{i}")
        g.add_edges_from((grp, u, {"rel": "member"}) for u in rnd.sample(units, 20))
    people = [f"p{i}" for i in range(n_people)]
    for p in people:
        g.add_node(p, kind="person", label=person())
    leaders = [f"l{i}" for i in range(n_leaders)]
    for p in leaders:
        g.add_node(p, kind="person", label=person())
    roles = [f"r{i}" for i in range(n_roles)]
    for i, r in enumerate(roles):
        g.add_node(r, kind="role", label=f"各{rnd.choice(UNIT)}单位负责人{i}")
    head_of = {u: rnd.sample(people, rnd.choice((1, 1, 2))) for u in units}
    head_of.update({grp: [rnd.choice(roles)] for grp in groups})
    portfolio = {s: rnd.sample(leaders, 3) for s in sections}
    for no in range(1, n_tasks + 1):
        t, sec = f"t{no}", sections[(no - 1) * len(sections) // n_tasks]
        g.add_node(t, kind="task", label=f"{no}. 推进第{no}项重点工作…", number=no,
                   text=f"推进第{no}项重点工作，完成{rnd.choice(UNIT)}{rnd.choice(UNIT)}目标任务。")
        g.add_edge(t, sec, rel="part_of")
        pool = units + groups if rnd.random() < 0.05 else units
        for k, u in enumerate(rnd.sample(pool, rnd.randint(1, 5))):
            g.add_edge(t, u, rel="lead" if k == 0 else "support")
            if rnd.random() < 0.7:
                g.add_edge(rnd.choice(head_of[u]), u, rel="head", task=t)
        for s in rnd.sample(portfolio[sec], rnd.randint(1, 3)):
            g.add_edge(t, s, rel="supervisor")
    for p in people:
        if g.degree(p) == 0:  # the source names them for a task but not for a unit
            g.add_edge(p, f"t{rnd.randint(1, n_tasks)}", rel="unassigned_head")
    assert g.number_of_nodes() == nodes
    return g


def test_the_page_holds_every_node_and_edge_of_the_graph(g):
    data = page_data(explorer_html(g))
    assert len(data["nodes"]) == g.number_of_nodes() == data["count"]["nodes"]
    assert len(data["edges"]) == g.number_of_edges() == data["count"]["edges"]
    assert not data["aggregated"]
    ids = [n["id"] for n in data["nodes"]]
    assert ids == list(range(len(ids)))
    labels = Counter(d["label"] if d["kind"] != "task" else str(d["number"]) for _, d in g.nodes(data=True))
    assert Counter(n["label"] for n in data["nodes"]) == labels
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True))
    drawn_kinds = Counter(n["group"] for n in data["nodes"])
    assert drawn_kinds["leader"] == len(city_leaders(g)) == 18
    assert drawn_kinds["leader"] + drawn_kinds["person"] == kinds["person"]
    assert all(drawn_kinds[k] == kinds[k] for k in ("task", "unit", "group", "role", "section"))
    assert Counter(e["rel"] for e in data["edges"]) == Counter(d["rel"] for *_, d in g.edges(data=True))
    # every edge joins the right nodes: compare (from label, rel, to label) with the graph
    key = {i: (n["group"], n["label"]) for i, n in enumerate(data["nodes"])}
    shown = Counter((key[e["from"]], e["rel"], key[e["to"]]) for e in data["edges"])

    def k(n):
        d = g.nodes[n]
        kind = "leader" if n in set(city_leaders(g)) else d["kind"]
        return kind, str(d["number"]) if d["kind"] == "task" else d["label"]

    assert shown == Counter((k(u), d["rel"], k(v)) for u, v, d in g.edges(data=True))
    # head edges keep their task
    assert sum(1 for e in data["edges"] if "task" in e) == sum(1 for *_, d in g.edges(data=True) if d.get("task"))


def test_a_task_panel_has_number_section_full_text_units_heads_and_leaders(g):
    data = page_data(explorer_html(g))
    i = next(i for i, n in enumerate(data["nodes"]) if n["group"] == "task" and n["label"] == "45")
    info = data["info"][i]
    t = node_of(g, next(d["label"] for _, d in g.nodes(data=True) if d.get("number") == 45))
    assert info["text"] == g.nodes[t]["text"] and len(info["text"]) > len(g.nodes[t]["label"])
    facts = dict(info["facts"])
    assert facts["序号"] == 45 and facts["章"] == "三、构建“4341”现代产业体系" and facts["节"] == "（三）四大现代服务业"
    lists = dict(info["lists"])
    assert [x[0] for x in lists["牵头单位"]] == ["现代服务业办"]
    support = [x for x in lists["配合单位"] if not x[3:]]
    heads = [x for x in lists["配合单位"] if x[3:]]
    assert "发改局" in [x[0] for x in support] and ["许国鑫", "责任领导"] in [[x[0], x[2]] for x in heads]
    assert sorted(x[0] for x in lists["分管市领导"]) == sorted(["李自力", "黄少伟", "李志强"])  # RDF keeps no order
    # every name in the panel links to its node on the page
    for x in lists["分管市领导"] + lists["配合单位"]:
        assert data["nodes"][x[1]]["label"] == x[0]
    assert "任务 45" in data["nodes"][i]["title"] and "现代服务业办" in data["nodes"][i]["title"]


def test_a_task_panel_lists_its_targets_and_the_projects_and_towns_it_names(g):
    """Task 1 sets two targets; task 103 names 深沪 (its text: …深沪…); both read from the graph."""
    from kg.read.reading import read

    data = page_data(explorer_html(g))
    panel = {n["label"]: dict(data["info"][i]["lists"]) for i, n in enumerate(data["nodes"]) if n["group"] == "task"}
    assert panel["1"]["量化指标"] == [["认定国家高新技术企业100家以上", -1, "数量"], ["总数突破300家", -1, "水平"]]
    task103 = node_of(g, next(d["label"] for _, d in g.nodes(data=True) if d.get("number") == 103))
    expected = {(m.name, "项目") for m in read(g.nodes[task103]["text"]).projects}
    expected |= {(names.placeholders().town_name(m.name), "镇街") for m in read(g.nodes[task103]["text"]).towns}
    assert ("深沪镇", "镇街") in expected
    assert {(x[0], x[2]) for x in panel["103"]["提及的项目与镇街"]} == expected


def test_person_and_unit_panels_carry_the_load_figures_and_tasks(g):
    data = page_data(explorer_html(g))
    by_label = {n["label"]: i for i, n in enumerate(data["nodes"]) if n["group"] != "task"}
    zhuang = data["info"][by_label["庄天怀"]]
    row = next(r for r in leader_loads(g) if r["name"] == "庄天怀")
    assert dict(zhuang["facts"])["分管任务"] == row["tasks"] == 51
    title, tasks = zhuang["lists"][0]
    assert title == "分管的任务（51）" and len(tasks) == 51 and all(x[1] >= 0 for x in tasks)
    unit = dict(data["info"][by_label["工信局"]]["lists"])
    assert any(t.startswith("牵头的任务") for t in unit) and "责任领导" in unit
    # node size follows the load
    size = {n["label"]: n["size"] for n in data["nodes"] if n["group"] == "leader"}
    assert size["庄天怀"] > size["许仰东"]


def test_document_text_cannot_become_markup(g):
    page = explorer_html(xss_graph(), title="<b>标题</b>")
    for raw in (XSS_IMG, XSS_SCRIPT, "<b>章</b>", "<i>张三</i>", "李四<!--", "<b>标题</b>"):
        assert raw not in page
    assert "&lt;b&gt;标题&lt;/b&gt;" in page
    # only the page's own three script elements close (no label ends one), and nothing opens an HTML
    # comment, which inside a script would change where it ends
    assert page.lower().count("</script") == 3 and "<!--" not in page
    data = page_data(page)
    texts = json.dumps(data, ensure_ascii=False)
    assert XSS_IMG in texts and XSS_SCRIPT in texts  # the text itself survives, to be shown as text
    labels = {n["label"] for n in data["nodes"]}
    assert {XSS_IMG, XSS_SCRIPT, "<i>张三</i>", "李四<!--"} <= labels
    task = next(i for i, n in enumerate(data["nodes"]) if n["group"] == "task")
    assert data["info"][task]["text"] == f"任务 {XSS_IMG} & {XSS_SCRIPT}"


def test_the_page_asks_for_nothing_outside_itself(g):
    page = explorer_html(g)
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert "<link" not in page.lower() and "@import" not in page
    assert "vis-network" in page and "@version 9.1.2" in page and "The MIT License" in page  # licence kept
    assert "sourceMappingURL" not in page


def test_layout_is_deterministic_and_keeps_nodes_apart(g):
    fonts = {k: s[3] for k, s in KIND_STYLE.items()}
    pos = layout(g, display_kinds(g), fonts)
    assert pos == layout(g, display_kinds(g), fonts) and set(pos) == set(g)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    points = sorted(pos.values())
    assert len(set(points)) == len(points)
    kinds = {n: d["kind"] for n, d in g.nodes(data=True)}
    r = {n: math.hypot(*p) for n, p in pos.items()}
    ring = [r[n] for n in g if kinds[n] == "task"]
    units = [r[n] for n in g if kinds[n] == "unit"]
    heads = [r[n] for n in g if kinds[n] == "person" and n not in set(city_leaders(g))]
    leaders = [r[n] for n in city_leaders(g)]
    # tasks on a ring, city leaders inside it, units outside, their heads further out
    assert max(ring) - min(ring) < 1 and max(leaders) < min(ring) < min(units) and min(heads) > min(units)
    # tasks go round the ring in document order
    angle = {n: math.atan2(pos[n][1], pos[n][0]) for n in g if kinds[n] == "task"}
    order = sorted(angle, key=lambda n: (angle[n] + math.pi / 2) % (2 * math.pi))
    assert [g.nodes[n]["number"] for n in order] == sorted(g.nodes[n]["number"] for n in order)


def test_spreading_on_a_line_keeps_order_and_gaps():
    out = _spread_line([0.0, 0.0, 0.0, 5.0, 5.1], [1.0, 1.0, 1.0, 1.0])
    assert all(b - a >= 1.0 - 1e-9 for a, b in zip(out, out[1:]))
    assert out[1] == pytest.approx(0.0)  # a cluster spreads around its place
    assert _spread_line([0.0, 10.0], [1.0]) == [0.0, 10.0]


def test_ego_view_of_a_unit_and_a_person(g):
    unit = node_of(g, "工信局")
    ego = ego_graph(g, unit, 1)
    tasks = {t for t, _, d in g.in_edges(unit, data=True) if d["rel"] in ("lead", "support")}
    heads = {p for p, _, d in g.in_edges(unit, data=True) if d["rel"] == "head"}
    groups = {p for p, _, d in g.in_edges(unit, data=True) if d["rel"] == "member"}
    assert set(ego) == {unit} | tasks | heads | groups
    assert {d["kind"] for n, d in ego.nodes(data=True) if n != unit} <= {"task", "person", "group"}
    assert all(d.get("task") in ego for *_, d in ego.edges(data=True) if d["rel"] == "head")

    cai = node_of(g, "蔡晖")
    ego = ego_graph(g, cai, 1)
    headed = {(v, d["task"]) for _, v, d in g.out_edges(cai, data=True)}
    assert set(ego) == {cai} | {u for u, _ in headed} | {t for _, t in headed}
    assert ego.number_of_nodes() < ego_graph(g, cai, 2).number_of_nodes()
    assert set(ego_graph(g, cai, 0)) == {cai}

    page = page_data(explorer_html(g, focus="工信局", depth=1))
    assert len(page["nodes"]) == ego_graph(g, unit, 1).number_of_nodes()
    assert len(page["edges"]) == ego_graph(g, unit, 1).number_of_edges()
    assert page["nodes"][page["focus"]]["label"] == "工信局"
    assert "以「工信局」为中心" in page["note"]


def test_an_unknown_focus_suggests_close_names(g):
    with pytest.raises(ExplorerError, match="no person or unit named '工信' in the graph; did you mean"):
        explorer_html(g, focus="工信")
    assert find_focus(g, "庄天怀") == node_of(g, "庄天怀")
    with pytest.raises(ExplorerError, match="empty"):
        explorer_html(nx.MultiDiGraph())


def test_one_page_per_city_leader_and_an_index(g, tmp_path):
    pages = write_per_leader(tmp_path / "leaders", g)
    rows = leader_loads(g)
    assert len(pages) == len(rows) + 1 == 19
    index = pages[-1].path.read_text(encoding="utf-8")
    assert pages[-1].path.name == "index.html"
    for row, page in zip(rows, pages):
        assert page.path.name == f"{row['name']}.html"
        assert f'<a href="{row["name"]}.html">{row["name"]}</a>' in index
        data = page_data(page.path.read_text(encoding="utf-8"))
        sub = leader_graph(g, row["iri"])
        assert (len(data["nodes"]), len(data["edges"])) == (sub.number_of_nodes(), sub.number_of_edges())
        assert data["nodes"][data["focus"]]["label"] == row["name"]
        assert data["links"] == [["← 全部分管市领导", "index.html"]]
        assert sum(1 for n in data["nodes"] if n["group"] == "task") == row["tasks"]
    zhuang = next(r for r in rows if r["name"] == "庄天怀")
    assert re.search(rf'<td class="n">{zhuang["rank"]}</td><td><a href="庄天怀.html">庄天怀</a></td>'
                     rf'<td class="n">51</td><td class="n">{zhuang["shared"]}</td>', index)
    sub = leader_graph(g, zhuang["iri"])
    kinds = Counter(d["kind"] for _, d in sub.nodes(data=True))
    assert kinds["task"] == 51 and kinds["section"] == 0
    assert {d["rel"] for *_, d in sub.edges(data=True)} <= {"lead", "support", "supervisor", "head", "member",
                                                            "unassigned_head"}


PROGRESS_Q2 = Path(__file__).parent / "data" / "progress" / "2021-q2.csv"


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A store of the seed (with a quarter's progress) and four synthetic plans of two
    counties, and the documents it was built from."""
    from kg import synth
    from kg.build import load_documents
    from kg.resources import default_source

    folder = tmp_path_factory.mktemp("per-plan")
    sources = [default_source(), PROGRESS_Q2, *synth.write_plans(synth.synthesize(counties=2, years=2, seed=4), folder)]
    store = OxigraphStore(folder / "store")
    build(sources, store)
    return store, load_documents(sources)


def test_one_page_per_plan_and_an_index_of_governments(many, tmp_path):
    """Each plan's page holds its own tasks and no other plan's, its progress where it has
    some; the index lists every plan under its government with counts made from the records."""
    from kg.graph.plan import plan_key

    store, docs = many
    pages = write_per_plan(tmp_path / "plans", store)
    assert len(pages) == len(docs.plans) + 1 == 6 and pages[-1].path.name == "index.html"
    index = pages[-1].path.read_text(encoding="utf-8")
    by_file = {p.path.name: page_data(p.path.read_text(encoding="utf-8")) for p in pages[:-1]}
    for plan in docs.plans:
        data = by_file[f"{plan_key(plan)}.html"]
        tasks = sorted((int(n["label"]), n["title"]) for n in data["nodes"] if n["group"] == "task")
        assert [no for no, _ in tasks] == sorted(t.no for t in plan.tasks)
        assert all(t.text[:20] in title for t, (_, title) in zip(sorted(plan.tasks, key=lambda t: t.no), tasks))
        leaders = {s for t in plan.tasks for s in t.supervisors}
        row = re.search(rf'<td>{re.escape(plan.meta.issuer)}</td><td><a href="{plan_key(plan)}.html">'
                        rf'[^<]+</a></td><td>{re.escape(plan.meta.doc_number)}</td><td class="n">(\d+)</td>'
                        rf'<td class="n">(\d+)</td><td class="n">(\d+)</td>', index)
        assert row and row.groups() == (str(len(plan.tasks)), str(len({t.units[0].name for t in plan.tasks})),
                                        str(len(leaders))), plan.file
        assert data["links"] == [["← 全部计划", "index.html"]]
    seed = by_file[f"{plan_key(docs.plans[0])}.html"]
    assert seed["asOf"] == "2021-06-30" and "2021-06-30</td>" in index
    assert sum(count for *_, count, _ in seed["statuses"]) == len(docs.plans[0].tasks)
    assert all(d["asOf"] is None and not d["statuses"] for name, d in by_file.items() if name != "晋政文-2021-16.html")
    assert "3 个政府的 5 项计划" in index


def test_per_plan_refuses_focus_and_an_empty_store(many, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    store, _ = many
    result = CliRunner().invoke(main, ["explore", "--per-plan", str(tmp_path / "p"), "--focus", "工信局",
                                       "--store-dir", str(store.path)])
    assert result.exit_code == 2 and "leave out --focus" in result.output
    empty = OxigraphStore(tmp_path / "empty")
    build([Path(__file__).parent / "data" / "work-reports" / "三明市_2023.md"], empty)
    result = CliRunner().invoke(main, ["explore", "--per-plan", str(tmp_path / "p"), "--store-dir", str(empty.path)])
    assert result.exit_code == 1 and "the store holds no plan" in result.stderr and "Traceback" not in result.output


def test_per_leader_names_are_escaped_and_made_safe_as_file_names(tmp_path):
    g = xss_graph()
    g.nodes["l1"]["label"] = "a/b<x>"
    pages = write_per_leader(tmp_path, g)
    assert [p.path.name for p in pages] == ["a_b_x_.html", "index.html"]
    index = pages[-1].path.read_text(encoding="utf-8")
    assert "a/b<x>" not in index and "a/b&lt;x&gt;" in index
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExplorerError, match="not a folder"):
        write_per_leader(tmp_path / "file", g)


def test_above_max_nodes_the_page_shows_the_aggregated_view(g):
    assert not page_data(explorer_html(g, max_nodes=g.number_of_nodes()))["aggregated"]
    data = page_data(explorer_html(g, max_nodes=g.number_of_nodes() - 1))
    assert data["aggregated"] and "聚合视图" in data["note"] and f"{g.number_of_nodes():,}" in data["note"]
    assert {n["group"] for n in data["nodes"]} == {"section", "unit", "group", "leader"}
    agg = aggregate(g)
    assert len(data["nodes"]) == agg.number_of_nodes() and len(data["edges"]) == agg.number_of_edges()
    # the counts on the links add up to the task links of the graph
    weights = Counter()
    for e in data["edges"]:
        weights[e["rel"]] += e.get("weight", 0)
    assert {r: weights[r] for r in ("lead", "support", "supervisor")} == \
        {r: sum(1 for *_, d in g.edges(data=True) if d["rel"] == r) for r in ("lead", "support", "supervisor")}
    tasks = {n["label"]: n for n in data["nodes"]}
    assert "（聚合视图）51 项任务" in tasks["庄天怀"]["title"]


def test_write_is_atomic(g, tmp_path):
    path = tmp_path / "explorer.html"
    written = write_explorer(path, g)
    assert written.path == path and written.nodes == g.number_of_nodes() and written.edges == g.number_of_edges()
    assert written.size == path.stat().st_size and not written.aggregated
    before = path.read_bytes()
    with pytest.raises(ExplorerError):
        write_explorer(path, g, focus="没有这个人")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["explorer.html"]
    with pytest.raises(OutputError, match="does not exist"):
        write_explorer(tmp_path / "missing" / "x.html", g)


def test_add_task_texts_gives_full_texts(store):
    g = add_task_texts(typed_graph(store), store)
    tasks = [d for _, d in g.nodes(data=True) if d["kind"] == "task"]
    assert len(tasks) == 173 and all(d["text"] for d in tasks)
    assert any(len(d["text"]) > 40 for d in tasks)


@pytest.mark.slow
def test_ten_thousand_nodes_make_a_full_page_and_more_an_aggregated_one():
    g = synthetic(10_000)
    assert g.number_of_edges() > 40_000
    data = page_data(explorer_html(g))
    assert len(data["nodes"]) == 10_000 and len(data["edges"]) == g.number_of_edges() and data["big"]
    assert MAX_NODES >= 10_000
    small = synthetic(1_000)
    data = page_data(explorer_html(small, max_nodes=999))
    assert data["aggregated"] and len(data["nodes"]) < 1_000


def test_a_relation_or_kind_the_explorer_does_not_know_is_still_drawn():
    g = nx.MultiDiGraph()
    g.add_node("t", kind="task", label="1. 任务", number=1)
    g.add_node("u", kind="unit", label="单位")
    g.add_node("d", kind="deadline", label="2021年底")
    g.add_edge("t", "u", rel="lead")
    g.add_edge("t", "d", rel="due")
    data = page_data(explorer_html(g))
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 2
    assert [r[0] for r in data["rels"]] == ["lead", "due"] and data["rels"][1][2] == "#999999"
