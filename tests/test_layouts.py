"""The text layouts (inline, trailing parenthesis, two lines) in their numbered outline.

Each document in tests/data/layouts/ is an invented county notice in the style of real
ones; the hard tasks are written out by hand, the others counted. The property tests
render random tasks into each layout and parse them back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import LayoutError
from kg.parse import clauses
from kg.parse.dates import parse_due
from kg.parse.detect import detect
from kg.parse.outline import read_outline
from kg.parse.units import is_group, split_units
from kg.records import Due, from_json, to_json

DATA = Path(__file__).parent / "data" / "layouts"
PARSERS = {"inline": clauses.parse, "parenthesis": clauses.parse, "twoline": clauses.parse}
DOCUMENTS = {
    "inline_yongchun.txt": "inline",
    "inline_ninghua.txt": "inline",
    "twoline_nanan.txt": "twoline",
    "twoline_xianyou.txt": "twoline",
    "parenthesis_shishi.txt": "parenthesis",
    "parenthesis_dehua.txt": "parenthesis",
}
NO_LAYOUT = ("none_meeting.txt", "none_summary.txt", "none_table.txt")


def _parse(name: str):
    return PARSERS[DOCUMENTS[name]]((DATA / name).read_text(encoding="utf-8"), name)


def U(name: str, role: str = "support", kind: str = "unit", parent: str | None = None) -> dict:
    return {"name": name, "role": role, "kind": kind, "heads": [], "parent": parent}


def L(name: str, kind: str = "unit", parent: str | None = None) -> dict:
    return U(name, "lead", kind, parent)


def G(name: str, role: str = "support") -> dict:
    return U(name, role, "group")


def _record(result, no: int) -> dict:
    [task] = [t for t in result.tasks if t.no == no]
    return to_json(task)


def _check(result, no: int, expected: dict) -> None:
    record = _record(result, no)
    assert {k: record.get(k) for k in expected} == expected


# --- detection -------------------------------------------------------------------------

@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_text_layout_goes_to_the_clause_reader(name):
    assert detect((DATA / name).read_text(encoding="utf-8"), name) == "clauses"


def test_detect_finds_the_grid():
    grid = "序号 项目 目标任务 责任单位 责任领导 分管市领导\n1 一、科技 研发投入增长。 科技局 蒋家兴 庄天怀\n"
    assert detect(grid, "g.txt") == "grid"


@pytest.mark.parametrize("name", NO_LAYOUT)
def test_documents_without_tasks_are_no_task_errors(name):
    """A meeting notice, a summary of results, a CSV table: no item says who is responsible."""
    with pytest.raises(LayoutError) as exc:
        clauses.parse((DATA / name).read_text(encoding="utf-8"), name)
    assert exc.value.file == name and exc.value.line is None
    assert exc.value.reason.startswith("no task found: expected numbered tasks")


# --- the documents ----------------------------------------------------------------------

@pytest.mark.parametrize("name", DOCUMENTS)
def test_records_round_trip_and_carry_the_layout(name):
    result = _parse(name)
    assert result.layout == "clauses"
    assert result.meta.year == 2021
    for task in result.tasks:
        assert from_json(to_json(task)) == task
        assert task.source.file == name
        assert task.text and "牵头" not in task.text and "责任单位" not in task.text


def test_inline_yongchun():
    r = _parse("inline_yongchun.txt")
    assert [t.no for t in r.tasks] == list(range(1, 13))
    assert r.meta.doc_number == "永政办〔2021〕18号" and r.meta.issued == "2021-03-12"
    _check(r, 1, {
        "chapter": "一、稳增长，推动经济高质量发展", "section": "（一）扩大有效投资",
        "text": "全年完成固定资产投资增长8%以上。",
        "units": [L("县发改局"), U("县财政局"), U("县统计局")],
        "due": {"text": "2021年12月底前", "date": "2021-12-31"},
        "source": {"file": "inline_yongchun.txt", "lines": [10, 10]},
    })
    _check(r, 2, {"units": [L("县发改局"), U("县自然资源局"), U("县住建局")], "lead_leaders": ["林志强"],
                  "due": None})
    _check(r, 3, {
        "text": "加快推进永德高速公路前期工作。",
        "units": [L("县交通运输局"), U("县自然资源局"), U("县林业局"), U("县生态环境局"), G("各乡镇人民政府")],
        "due": {"text": "2021年三季度", "date": "2021-09"},
        "source": {"file": "inline_yongchun.txt", "lines": [12, 13]},
    })
    _check(r, 4, {"section": "（二）做强实体经济", "due": {"text": "年底前", "date": "2021-12-31"}})
    _check(r, 5, {"text": "推进陶瓷、制香等传统产业技改提升，实施技改项目50个。",
                  "units": [L("县工信局"), U("县财政局")]})
    _check(r, 6, {"units": [L("县工信局"), L("县科技局"), U("县财政局")]})
    _check(r, 7, {"chapter": "二、抓改革，激发发展活力", "section": None,
                  "units": [L("县行政服务中心管委会"), G("县直各单位")],
                  "due": {"text": "长期坚持", "date": None}})
    _check(r, 8, {"units": [L("县财政局（县国资中心）", parent="县财政局")], "lead_leaders": ["郑明", "陈文"],
                  "due": {"text": "2021年6月底前", "date": "2021-06-30"}})
    _check(r, 9, {"units": [L("县农业农村局"), G("各乡镇人民政府")]})
    _check(r, 10, {"text": "持续优化营商环境，开展营商环境评价。", "units": []})
    _check(r, 12, {"units": [L("县住建局"), U("桃城镇人民政府"), U("五里街镇人民政府")], "supervisors": ["黄海"],
                   "source": {"file": "inline_yongchun.txt", "lines": [25, 25]}})
    kinds = {(f.kind, f.task) for f in r.findings}
    assert ("no-lead", 10) in kinds
    assert not any(f.kind.startswith("numbering-") for f in r.findings)
    assert sum(f.kind == "no-supervisor" for f in r.findings) == 11


def test_inline_ninghua_restarts_numbering():
    r = _parse("inline_ninghua.txt")
    assert [t.no for t in r.tasks] == list(range(1, 11))  # printed 1-3, 1-3, 1, 2, 2, 3
    _check(r, 1, {"chapter": "一、教育卫生", "section": None,
                  "units": [L("县教育局"), U("县住建局"), U("县自然资源局")],
                  "due": {"text": "2021年8月底", "date": "2021-08-31"}})
    _check(r, 2, {"units": [L("县教育局")], "lead_leaders": ["张建华"]})
    _check(r, 3, {"units": [L("县卫健局"), U("县发改局"), U("县医院")], "due": {"text": "年内", "date": "2021-12-31"}})
    _check(r, 4, {"chapter": "二、城乡建设", "section": "（一）城市提升",
                  "units": [L("县住建局"), U("县城管局"), U("县水利局")],
                  "due": {"text": "2021年10月15日前", "date": "2021-10-15"}})
    _check(r, 5, {"units": [L("县城管局"), L("县公安局"), U("翠江镇人民政府")]})
    _check(r, 7, {"section": "（二）乡村振兴", "units": [L("县交通运输局"), G("各乡（镇）人民政府")],
                  "due": {"text": "2021年下半年", "date": "2021-12"}})
    _check(r, 8, {"units": [L("县农业农村局"), U("县财政局"), U("县自然资源局"), U("县水利局")],
                  "due": {"text": "11月底前", "date": "2021-11-30"},
                  "source": {"file": "inline_ninghua.txt", "lines": [18, 19]}})
    _check(r, 9, {"units": [L("县生态环境局(县农村污水办)", parent="县生态环境局"), G("各乡（镇）人民政府")]})
    _check(r, 10, {"due": {"text": "长期坚持", "date": None}})
    [dup] = [f for f in r.findings if f.kind == "numbering-duplicate"]
    assert dup.task == 9 and dup.lines == (20, 20) and "（二）乡村振兴" in dup.message
    assert not any(f.kind == "numbering-gap" for f in r.findings)


def test_twoline_nanan():
    r = _parse("twoline_nanan.txt")
    assert [t.no for t in r.tasks] == list(range(1, 13))
    assert r.meta.issued == "2021-03-08"
    _check(r, 1, {"chapter": "一、聚力产业转型", "section": None,
                  "text": "实施工业技改项目100项以上，工业技改投资增长10%。",
                  "units": [L("市工信局"), U("市发改局"), U("市财政局")],
                  "source": {"file": "twoline_nanan.txt", "lines": [9, 10]}})
    _check(r, 4, {"units": [L("市商务局"), L("市发改局"), L("市统计局")]})
    _check(r, 5, {"units": [L("市住建局"), U("市自然资源局"), U("美林街道办事处"), U("柳城街道办事处")],
                  "due": {"text": "2021年三季度", "date": "2021-09"},
                  "source": {"file": "twoline_nanan.txt", "lines": [19, 22]}})
    _check(r, 6, {"units": [L("市住建局"), U("市生态环境局"), G("各乡镇人民政府、街道办事处")]})
    _check(r, 7, {"units": [L("市农业农村局"), U("市住建局"), U("市生态环境局"), G("各乡镇人民政府")],
                  "supervisors": ["陈志明"]})
    _check(r, 8, {"units": [L("市文明办（市委宣传部）", parent="市文明办"), G("市直各单位"),
                            G("各乡镇人民政府、街道办事处")],
                  "due": {"text": "长期坚持", "date": None}})
    _check(r, 10, {"due": {"text": "2021年8月底前启动，2022年6月底前完成", "date": "2022-06-30"}})
    _check(r, 12, {"text": "完善养老服务体系，新建居家社区养老服务照料中心10个。", "units": []})
    assert [t.no for t in r.tasks if len(t.units) == 1] == [9]


def test_twoline_xianyou_bracketed_numbers_and_gap():
    r = _parse("twoline_xianyou.txt")
    assert len(r.tasks) == 9
    assert r.meta.title == "仙游县2021年重点工作任务清单"
    _check(r, 1, {"chapter": "一、项目攻坚", "section": "（一）重大基础设施",
                  "text": "推进木兰溪下游防洪工程建设，年内完成投资3亿元。",
                  "units": [L("县水利局"), U("县财政局"), U("鲤城街道办事处")],
                  "due": {"text": "年底前", "date": "2021-12-31"}})
    _check(r, 3, {"due": {"text": "2021年10月", "date": "2021-10"}})
    _check(r, 4, {"section": "（二）产业项目", "units": [L("县工信局"), L("县商务局"), L("县市场监管局")]})
    _check(r, 5, {"supervisors": ["吴建平", "林海"], "units": [L("县工信局"), U("县统计局")]})
    _check(r, 6, {"chapter": "二、民生保障", "section": None,
                  "units": [L("县农业农村局"), U("县人社局"), G("各乡镇人民政府")],
                  "due": {"text": "持续推进", "date": None}})
    _check(r, 8, {"units": [L("县住建局"), U("鲤城街道办事处"), U("鲤南镇人民政府")],
                  "source": {"file": "twoline_xianyou.txt", "lines": [31, 34]}})
    [gap] = [f for f in r.findings if f.kind == "numbering-gap"]
    assert gap.task == 8 and "3" in gap.message
    [joined] = [f for f in r.findings if f.kind == "names-joined"]
    assert joined.task == 8 and "鲤南镇人民政府" in joined.message


def test_parenthesis_shishi():
    r = _parse("parenthesis_shishi.txt")
    assert [t.no for t in r.tasks] == list(range(1, 12))
    _check(r, 1, {"chapter": "一、坚持创新驱动，加快产业转型升级", "section": "（一）做强纺织服装产业",
                  "text": "全市规模以上工业增加值增长8%。", "units": [L("市工信局"), U("市统计局")]})
    _check(r, 2, {"units": [L("市工信局"), L("市商务局")]})
    _check(r, 3, {"units": [L("市科技局"), U("市工信局"), U("市人社局")]})
    _check(r, 4, {"section": "（二）发展数字经济", "text": "新建5G基站500个，实现城区和重点镇区全覆盖。",
                  "units": [L("市工信局"), G("各镇人民政府、街道办事处")],
                  "due": {"text": "2021年6月底前完成", "date": "2021-06-30"},
                  "source": {"file": "parenthesis_shishi.txt", "lines": [13, 14]}})
    _check(r, 5, {"units": [L("市商务局")]})
    _check(r, 6, {"text": "推进“数字石狮”建设，上线城市运行管理平台（含智慧停车、智慧消防）。", "units": []})
    _check(r, 8, {"units": [L("市教育局"), U("市住建局"), U("市自然资源局"), U("市财政局")],
                  "due": {"text": "年底前完成", "date": "2021-12-31"}})
    _check(r, 9, {"units": [L("市卫健局"), L("市医保局"), G("各镇人民政府、街道办事处")],
                  "due": {"text": "长期坚持", "date": None}})
    _check(r, 10, {"units": [L("市商务局"), U("市市场监管局"), U("宝盖镇人民政府"), U("凤里街道办事处")]})
    _check(r, 11, {"units": [L("市应急局"), G("市直有关部门")], "lead_leaders": ["蔡建国"]})
    assert [f.task for f in r.findings if f.kind == "no-lead"] == [6]


def test_parenthesis_dehua():
    r = _parse("parenthesis_dehua.txt")
    assert len(r.tasks) == 10
    _check(r, 2, {"chapter": "一、主要预期目标", "units": [L("县财政局"), L("县税务局")]})
    _check(r, 3, {"units": [L("县统计局"), L("县人社局"), L("县农业农村局")]})
    _check(r, 4, {"chapter": "二、重点工作", "section": "（一）做大做强陶瓷产业",
                  "text": "推进陶瓷产业园二期建设，新增标准厂房10万平方米。",
                  "units": [L("县工信局"), U("县自然资源局"), U("县住建局")]})
    _check(r, 5, {"units": [L("县商务局"), U("县文旅局"), U("县公安局")],
                  "due": {"text": "2021年10月", "date": "2021-10"}})
    _check(r, 6, {"units": [L("县文旅局"), U("浔中镇人民政府")]})
    _check(r, 7, {"section": "（二）推进城乡融合", "units": [L("县住建局"), U("县城管局")]})
    _check(r, 8, {"units": [L("县农业农村局"), G("各乡镇人民政府")], "supervisors": ["郑晓东"]})
    _check(r, 9, {"due": {"text": "二季度完成", "date": "2021-06"}})
    _check(r, 10, {"units": [], "source": {"file": "parenthesis_dehua.txt", "lines": [20, 20]}})
    [gap] = [f for f in r.findings if f.kind == "numbering-gap"]
    assert gap.task == 10 and "4" in gap.message


# --- what the old layouts refused: read, with a finding ---------------------------------

PREAMBLE = "某县人民政府办公室关于印发2021年重点工作任务分解的通知\n某政办〔2021〕3号\n"


@pytest.mark.parametrize("text, tasks, kind, line, message", [
    ("一、发展\n1.修路。牵头单位：县交通局\n6.建桥。牵头单位：县住建局\n", [(1, "修路。", "县交通局"), (2, "建桥。", "县住建局")],
     "numbering-break", 5, "expected task 2, found 6"),
    ("一、发展\n1.修路。牵头单位：县交通局\n3.建桥。牵头单位：县住建局\n2.建桥。牵头单位：县住建局\n",
     [(1, "修路。", "县交通局"), (2, "建桥。", "县住建局"), (3, "建桥。", "县住建局")], "numbering-break", 6,
     "expected task 4, found 2"),
    ("一、发展\n1.修路。牵头单位：县交通局。完成情况良好，已经验收\n", [(1, "修路。", "县交通局")], "text-skipped", 4,
     "完成情况良好"),
    ("一、发展\n1.牵头单位：县交通局\n", [(1, "", "县交通局")], "no-text", 4, "not for what"),
    ("一、发展\n1.修路。（县交通局牵头，完善路网的具体办法）\n", [(1, "修路。", "县交通局")], "text-skipped", 4,
     "完善路网的具体办法"),
    ("没有编号的任务。牵头单位：县交通局\n", [(1, "没有编号的任务。", "县交通局")], None, None, None),
    ("一、发展\n说明：以下为任务\n1.修路。牵头单位：县交通局\n", [(1, "修路。", "县交通局")], None, None, None),
])
def test_what_breaks_a_layout_is_a_finding_and_the_rest_is_read(text, tasks, kind, line, message):
    """Each of these stopped the old layout readers with an error; now the tasks are read."""
    r = clauses.parse(PREAMBLE + text, "bad.txt")
    assert [(t.no, t.text, t.leads[0].name) for t in r.tasks] == tasks
    if kind:
        [f] = [f for f in r.findings if f.kind == kind]
        assert f.lines[0] == line and message in f.message


def test_end_matter_and_other_numbering_are_not_tasks():
    text = (PREAMBLE + "一、发展\n（1）修路。\n1.其中东线10公里；\n2.西线5公里。\n责任单位：县交通局、县财政局\n"
            "（2）建桥。\n责任单位：县住建局\n某县人民政府办公室\n2021年3月1日\n")
    outline = read_outline(text, "t.txt")
    assert [i.printed for i in outline.items] == [1, 2] and outline.numbers == [1, 2]
    r = clauses.parse(text, "t.txt")
    assert r.tasks[0].text == "修路。1.其中东线10公里；2.西线5公里。"
    assert r.tasks[1].source.lines == (8, 9)


# --- units and deadlines -----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2021年6月底前", "2021-06-30"), ("2021年三季度", "2021-09"), ("年底前", "2021-12-31"),
    ("长期坚持", None), ("持续推进", None), ("2022年2月底", "2022-02-28"), ("2024年2月底", "2024-02-29"),
    ("6月15日前", "2021-06-15"), ("上半年", "2021-06"), ("第一季度", "2021-03"), ("十二月底前", "2021-12-31"),
    ("2021—2023年", "2023-12-31"), ("2021年6月", "2021-06"), ("年内", "2021-12-31"),
    ("5月底前启动，10月底前完成", "2021-10-31"),
])
def test_deadlines(text, expected):
    assert parse_due(text, 2021) == Due(text, expected)


def test_deadline_without_the_plans_year_has_no_date():
    assert parse_due("6月底前") == Due("6月底前", None)
    assert parse_due("2021年6月底前") == Due("2021年6月底前", "2021-06-30")


@pytest.mark.parametrize("text, expected", [
    ("市发改委、市财政局，各县（市、区）政府", ["市发改委", "市财政局", "各县（市、区）政府"]),
    ("市 发改委,市统计局等", ["市发改委", "市统计局"]),
    ("各镇政府、街道办事处、市直各单位", ["各镇政府、街道办事处", "市直各单位"]),
    ("市自然资\n源局、市住建局", ["市自然资源局", "市住建局"]),
    ("市住建局\n市水利局", ["市住建局", "市水利局"]),
])
def test_unit_lists(text, expected):
    assert split_units(text) == expected


@pytest.mark.parametrize("name, group", [
    ("各县（市、区）政府", True), ("各镇政府、街道办事处", True), ("县直各单位", True), ("市直有关部门", True),
    ("各乡镇人民政府", True), ("市政府工作部门", True), ("市发改委", False), ("桃城镇人民政府", False),
    ("各类市场主体", False),
])
def test_group_rule(name, group):
    assert is_group(name) is group


# --- property-based: random tasks rendered into each layout parse back ---------------------

_STEMS = st.text(alphabet="发改财政统计交通住建工信商务教育卫健民政水利林业海洋文旅科技", min_size=2, max_size=5)
_UNITS = st.builds(lambda prefix, stem, suffix: prefix + stem + suffix,
                   st.sampled_from(["市", "县", "区", ""]), _STEMS, st.sampled_from(["局", "委", "办", "中心", "管委会"]))
_GROUPS = st.sampled_from(["各县（市、区）政府", "各镇政府、街道办事处", "各乡镇人民政府", "市直有关单位"])
_TEXTS = st.text(alphabet="推进建设完成实施改造提升新增工程项目城乡服务体系公里万亩个所", min_size=4, max_size=40)


@st.composite
def _tasks(draw):
    n = draw(st.integers(1, 8))
    tasks = []
    for _ in range(n):
        units = draw(st.lists(st.one_of(_UNITS, _GROUPS), min_size=1, max_size=5, unique=True))
        n_leads = draw(st.integers(1, len(units)))
        tasks.append((draw(_TEXTS) + "。", units, n_leads))
    return tasks


def _marker(i: int, style: int) -> str:
    return [f"{i}.", f"{i}、", f"（{i}）", f"({i})", f"{i}．"][style]


def _document(tasks, render, style: int, restart: bool) -> str:
    lines = [PREAMBLE.strip(), "某县人民政府办公室", "2021年3月1日", "一、重点任务"]
    for i, task in enumerate(tasks, 1):
        if restart and i == len(tasks) // 2 + 1 and i > 1:
            lines.append("（一）其他任务")
        no = i - len(tasks) // 2 if restart and i > len(tasks) // 2 and i > 1 else i
        lines.extend(render(_marker(no, style), *task))
    return "\n".join(lines) + "\n"


def _sep(wrap: bool) -> str:
    return "、\n" if wrap else "、"


def _render_inline(half: bool, wrap: bool):
    colon, semi = (":", ";") if half else ("：", "；")

    def render(marker, text, units, n_leads):
        leads, supports = units[:n_leads], units[n_leads:]
        body = f"{marker}{text}牵头单位{colon}{'、'.join(leads)}"
        if supports:
            body += f"{semi}配合单位{colon}" + _sep(wrap).join(supports)
        return body.split("\n")
    return render


def _render_twoline(half: bool, wrap: bool):
    colon = ":" if half else "："

    def render(marker, text, units, n_leads):
        ending = "分别牵头" if n_leads == len(units) and len(units) > 1 else ""
        return [f"{marker}{text}", *f"责任单位{colon}{_sep(wrap).join(units)}{ending}".split("\n")]
    return render


def _render_parenthesis(half: bool, wrap: bool):
    open_, close, comma = ("(", ")", ",") if half else ("（", "）", "，")

    def render(marker, text, units, n_leads):
        leads, supports = units[:n_leads], units[n_leads:]
        clause = "、".join(leads) + "牵头"
        if supports:
            clause += comma + _sep(wrap).join(supports) + "配合"
        return f"{marker}{text}{open_}{clause}{close}".split("\n")
    return render


def _expected_roles(units, n_leads, layout):
    if layout == "twoline":
        n_leads = len(units) if n_leads == len(units) else 1
    return [(u, "lead" if i < n_leads else "support") for i, u in enumerate(units)]


@settings(max_examples=60, deadline=None)
@given(tasks=_tasks(), layout=st.sampled_from(["inline", "twoline", "parenthesis"]), style=st.integers(0, 4),
       restart=st.booleans(), half=st.booleans(), wrap=st.booleans())
def test_rendered_tasks_parse_back(tasks, layout, style, restart, half, wrap):
    render = {"inline": _render_inline, "twoline": _render_twoline, "parenthesis": _render_parenthesis}[layout]
    text = _document(tasks, render(half, wrap), style, restart)
    assert detect(text, "p.txt") == "clauses"
    result = PARSERS[layout](text, "p.txt")
    assert len(result.tasks) == len(tasks)
    for task, (body, units, n_leads) in zip(result.tasks, tasks):
        assert task.text == body
        assert [(u.name, u.role) for u in task.units] == _expected_roles(units, n_leads, layout)
        assert all((u.kind == "group") == is_group(u.name) for u in task.units)
    assert [t.no for t in result.tasks] == list(range(1, len(tasks) + 1))
    assert not any(f.kind.startswith("numbering-") or f.kind == "no-lead" for f in result.findings)
