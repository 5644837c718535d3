"""Synthetic decompositions with the statistical profile of the seed table, for scale tests.

A synthetic **county** has its own government (issuer ``X县人民政府``), its own ~116
units (departments, town governments and street offices, project offices, companies,
a few sub-offices and the group 各镇政府、街道办事处), ~98 unit heads and ~18 county
leaders, all named from plausible Chinese syllables and suffixes. Each **county-year**
is one plan (``X政文〔2021〕16号``) of ~173 tasks in ~8 chapters and ~4 sections each,
drawn to match the seed (2021 Jinjiang) table: units per task, the share of tasks with
supporting units, one head per unit, city leaders per task and their skewed loads, text
and name lengths. Heads and leaders change a little from one year to the next, so the
plans of one county can be compared.

Everything is deterministic from ``seed``: the same arguments give the same records,
text and IRIs on every run. :func:`synthesize` yields :class:`kg.parse.ParseResult`
objects that :func:`kg.graph.plan.build_dataset` and :func:`kg.build.build_results` take
as they are; :func:`render_grid` lays a plan out as the text of a grid table (the
layout of the seed, with its page headers) that :func:`kg.parse.parse_text` reads back
to the same records, and :func:`write_plans` writes text or JSON Lines files.

>>> plan = next(synthesize(counties=1, years=1, seed=7))
>>> plan.meta.issuer.endswith("县人民政府"), 150 <= len(plan.tasks) <= 200
(True, True)
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import random
import statistics
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from kg.output import OutputError, write_atomic
from kg.parse.result import ParseResult, PlanMeta
from kg.quality import record_findings
from kg.records import Source, Task, UnitRef, dump_jsonl

__all__ = ["County", "county", "synth_plan", "synthesize", "render_grid", "plan_text", "profile", "write_plans",
           "SEED_PROFILE", "FORMATS"]

FORMATS = ("text", "jsonl")

#: Measured on the seed table (kg.parse.parse_file of data/raw/004_89d412a27e51e6a9.txt);
#: tests/test_synth.py checks that these still describe it and that synthetic plans follow them.
SEED_PROFILE = {
    "tasks": 173,
    "chapters": 8,
    "sections": 31,
    "units_per_task": {1: 51, 2: 40, 3: 21, 4: 18, 5: 21, 6: 7, 7: 9, 8: 4, 11: 1, 12: 1},
    "leaders_per_task": {0: 8, 1: 74, 2: 51, 3: 16, 4: 12, 5: 7, 6: 4, 12: 1},
    "leader_loads": (57, 51, 51, 49, 44, 27, 13, 13, 12, 5, 5, 5, 4, 2, 2, 1, 1, 1),
    "text_length": (11, 43, 137),  # min, median, max characters
    "units": 113,
    "heads": 95,
}

_NUMERALS = "一二三四五六七八九十"
_PLACE = ("安海东石金井龙湖永和英林紫帽西滨青阳梅岭罗山新塘灵源池店内坑磁灶陈埭深沪福宁平兴华南北江川桥田溪城"
          "坪岗丰泰昌瑞清云凤鹤洋沙峰岩竹桂兰泉港仙游德化惠浦顺昭武夷建邵光泽霞浦屏寿柘荣古田长汀连城上杭")
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任"
             "卢姚沈钟姜崔谭陆范汪廖石金贾夏方邹熊白孟秦邱侯江尹薛段雷黎史陶贺毛郝顾龚邵万武钱戴严孔汤康易乔赖"
             "施洪庄")
# Given-name characters; none is a unit suffix (局, 办, 会, 联…), so a name never looks like a unit.
_GIVEN = ("建伟明华志强军平勇杰涛斌超波辉刚鹏宇飞海峰磊亮东文春红丽芳敏静燕玲霞晓慧婷雪梅荣新宏德清忠良松少天"
          "怀自力汉淑语仰鸿惠宗炎义福元俊毅彬晖煌鑫金水木泉源国庆家兴振声永亚嘉思佳舒远")
_DEPARTMENTS = (
    "发改局 财政局 工信局 科技局 教育局 公安局 民政局 司法局 人社局 自然资源局 生态环境局 住建局 交通运输局 水利局 "
    "农业农村局 商务局 文旅局 卫健局 应急局 审计局 市场监管局 统计局 医保局 林业局 城管局 体育局 信访局 金融局 "
    "退役军人事务局 税务局 气象局 数据管理局 国资中心 供电公司 电信公司 移动公司 联通公司 组织部 宣传部 统战部 "
    "政法委 编办 政府办 总工会 团县委 妇联 残联 工商联 科协 侨联 红十字会 供销社 人行 消防大队 交警大队 "
    "融媒体中心 行政服务中心 经济开发区管委会 城投集团 文旅集团 水务集团 交通集团 人才办 效能办 河长办 "
    "督查室 外办 台港澳办 侨办 档案馆 图书馆 疾控中心 县医院 职业技术学校 自然资源执法大队 招商中心"
).split()
_SUB_OFFICES = (("发改局", "重点办"), ("发改局", "审改办"), ("宣传部", "文明办"), ("住建局", "人防办"),
                ("交警大队", "道安办"), ("政府办", "金融办"), ("文旅局", "文物办"))
_PROJECTS = ("项目办", "指挥部", "管委会", "开发公司", "服务中心")
_TOWN_GROUP, _TOWN_ROLE = "各镇政府、街道办事处", "各镇镇长、街道办事处主任"
# As in the seed, the tasks naming no city leader are the government-wide ones given to all
# departments (the placeholder the parser knows), whose head is a role, not a person.
_DEPTS_GROUP, _DEPTS_ROLE = "市政府工作部门", "市政府工作部门主要负责人"
_VERBS = ("推进", "加快", "实施", "深化", "完善", "提升", "落实", "打造", "建设", "培育", "开展", "推动", "强化",
          "优化", "扩大", "健全", "加强", "支持", "引导", "规范")
_OBJECTS = (
    "高新技术企业培育", "科技创新平台", "产业园区基础设施", "营商环境", "国有企业改革", "招商引资项目", "现代物流体系",
    "农村人居环境", "乡村产业发展", "农村集体经济", "生态环境治理", "污水处理设施", "城市更新改造", "老旧小区改造",
    "交通路网建设", "公共服务设施", "义务教育优质均衡", "医疗卫生服务体系", "社会保障体系", "养老服务网络",
    "就业创业服务", "安全生产监管", "食品药品安全", "社会治理创新", "数字政府建设", "政务服务事项", "市场主体培育",
    "文化旅游融合", "全民健身设施", "防汛抗旱能力", "耕地保护", "森林防火", "水资源保护", "重点项目建设",
    "人才引进政策", "金融服务实体经济", "外贸转型升级", "跨境电商发展", "消费市场", "平安建设", "基层党建",
)
_TARGETS = ("新增{n}家以上", "完成投资{n}亿元以上", "增长{p}%以上", "达到{n}个", "覆盖率达{p}%", "新建{n}公里",
            "年内完成{n}个", "确保总数突破{n}家", "受益群众{n}万人", "办结率{p}%以上")
_TAILS = ("确保按期完成", "形成长效机制", "提升群众满意度", "打造县域示范", "争创省级试点", "推动高质量发展")


def _cum(weights) -> list[float]:
    return list(itertools.accumulate(weights))


def _pick(rnd: random.Random, values, cum: list[float]):
    return values[bisect.bisect_right(cum, rnd.random() * cum[-1])]


def _pick_distinct(rnd: random.Random, values, cum: list[float], k: int, exclude=()) -> list:
    k = min(k, len(values) - len(exclude))
    out, seen = [], set(exclude)
    while len(out) < k:
        v = _pick(rnd, values, cum)
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


_UNITS_K, _UNITS_CUM = zip(*SEED_PROFILE["units_per_task"].items())
_UNITS_CUM = _cum(_UNITS_CUM)
_LEADERS_K, _LEADERS_CUM = zip(*SEED_PROFILE["leaders_per_task"].items())
_LEADERS_CUM = _cum(_LEADERS_CUM)


@dataclass(frozen=True)
class County:
    """One synthetic government: its name, units with their heads and weights, and its leaders."""

    index: int
    name: str                    # 永春县
    stem: str                    # 永春: the prefix of its document numbers (永春政文〔2021〕16号)
    units: tuple[str, ...]
    heads: tuple[str, ...]       # heads[i] heads units[i] (the group's head is its role)
    leaders: tuple[str, ...]
    portfolio: tuple[int, ...]   # portfolio[i]: the index of the leader in charge of units[i]
    lead_cum: tuple[float, ...]  # cumulative weights of leading a task
    support_cum: tuple[float, ...]


def _place(rnd: random.Random, taken: set[str]) -> str:
    while True:
        name = rnd.choice(_PLACE) + rnd.choice(_PLACE)
        if name[0] != name[1] and name not in taken:
            taken.add(name)
            return name


def _person(rnd: random.Random, taken: set[str]) -> str:
    while True:
        given = rnd.choice(_GIVEN) + (rnd.choice(_GIVEN) if rnd.random() < 0.93 else "")
        name = rnd.choice(_SURNAMES) + given
        if name not in taken:
            taken.add(name)
            return name


@lru_cache(maxsize=8)
def _county_stems(seed: int) -> tuple[str, ...]:
    places = "".join(dict.fromkeys(_PLACE))
    pairs = [a + b for a in places for b in places if a != b]
    random.Random(f"respkg-synth-counties:{seed}").shuffle(pairs)
    return tuple(pairs)


def _county_name(seed: int, index: int) -> str:
    """The index-th county name, distinct for every index under one seed."""
    stems = _county_stems(seed)
    if index < len(stems):
        return stems[index] + "县"
    return stems[index % len(stems)] + _NUMERALS[index // len(stems) % 10] + "县"


def county(seed: int, index: int) -> County:
    """The index-th synthetic county of ``seed``: ~116 units, ~98 heads, 18 leaders."""
    rnd = random.Random(f"respkg-synth-county:{seed}:{index}")
    name = _county_name(seed, index)
    stem = name[:-1]
    places: set[str] = {stem}
    units = rnd.sample(_DEPARTMENTS, rnd.randint(72, len(_DEPARTMENTS)))
    units += [f"{parent}（{sub}）" for parent, sub in _SUB_OFFICES if parent in units and rnd.random() < 0.5]
    units += [f"{_place(rnd, places)}镇政府" for _ in range(rnd.randint(12, 16))]
    units += [f"{_place(rnd, places)}街道办事处" for _ in range(rnd.randint(4, 6))]
    units += [f"{_place(rnd, places)}{rnd.choice(_PROJECTS)}" for _ in range(rnd.randint(14, 20))]
    units = list(dict.fromkeys(units))
    rnd.shuffle(units)
    units.append(_TOWN_GROUP)
    people: set[str] = set()
    heads: list[str] = []
    for i, u in enumerate(units):
        if u == _TOWN_GROUP:
            heads.append(_TOWN_ROLE)
        elif heads and rnd.random() < 0.16:  # one person heads several units (a sub-office, a project office)
            heads.append(rnd.choice([h for h in heads if h != _TOWN_ROLE]))
        else:
            heads.append(_person(rnd, people))
    leaders = tuple(_person(rnd, people) for _ in SEED_PROFILE["leader_loads"])
    leader_cum = _cum(SEED_PROFILE["leader_loads"])
    portfolio = tuple(_pick(rnd, range(len(leaders)), leader_cum) for _ in units)
    # Zipf-like popularity: a few units lead and support many tasks, most only a few.
    lead_w = [1.0 / (r + 6) for r in range(len(units))]
    support_w = [1.0 / (r + 5) for r in range(len(units))]
    rnd.shuffle(lead_w)
    rnd.shuffle(support_w)
    lead_w[-1] *= 0.3  # the town group leads rarely, supports often
    support_w[-1] = max(support_w) * 0.6
    return County(index, name, stem, tuple(units), tuple(heads), leaders, portfolio,
                  tuple(_cum(lead_w)), tuple(_cum(support_w)))


def _year_people(c: County, year_no: int, seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The heads and leaders of the county in its year_no-th year: about a tenth change each year."""
    heads, leaders = list(c.heads), list(c.leaders)
    taken = set(heads) | set(leaders)
    for y in range(1, year_no + 1):
        rnd = random.Random(f"respkg-synth-turnover:{seed}:{c.index}:{y}")
        for i, h in enumerate(heads):
            if h != _TOWN_ROLE and rnd.random() < 0.1:
                new = _person(rnd, taken)
                heads = [new if x == h else x for x in heads]
        for i in range(len(leaders)):
            if rnd.random() < 0.12:
                leaders[i] = _person(rnd, taken)
    return tuple(heads), tuple(leaders)


def _phrase(rnd: random.Random) -> str:
    return rnd.choice(_VERBS) + rnd.choice(_OBJECTS)


def _text(rnd: random.Random) -> str:
    """One task text, its length drawn around the seed's (median 43, from 11 to 137 characters)."""
    lo, median, hi = SEED_PROFILE["text_length"]
    target = min(hi, max(lo, int(rnd.lognormvariate(0, 0.5) * median)))
    parts = [_phrase(rnd)]
    while sum(map(len, parts)) + len(parts) < target:
        r = rnd.random()
        if r < 0.45:
            parts.append(rnd.choice(_TARGETS).format(n=rnd.randint(2, 500), p=rnd.randint(3, 98)))
        elif r < 0.8:
            parts.append(_phrase(rnd))
        else:
            parts.append(rnd.choice(_TAILS))
    text = "，".join(parts)
    return (text[: hi - 1].rstrip("，") if len(text) >= hi else text) + "。"


_TOPICS = ("科技创新", "要素保障", "产业体系", "城市品质", "乡村振兴", "生态环境", "民生福祉", "政府建设", "营商环境",
           "对外开放", "社会治理", "公共服务", "教育事业", "健康县域", "文化事业", "安全发展", "数字经济", "县域经济",
           "园区建设", "交通网络", "重点改革", "企业主体", "创新生态", "精细管理", "集体经济", "环保设施")


def _title(rnd: random.Random) -> str:
    return rnd.choice(("狠抓", "推进", "加快", "深化", "提升", "打造", "培育", "优化", "强化", "增进")) + rnd.choice(_TOPICS)


def _outline(rnd: random.Random, n_tasks: int) -> list[tuple[str, str | None]]:
    """(chapter, section) of each task: ~8 chapters of unequal size, 2–5 sections each."""
    chapters = rnd.choice((7, 8, 8, 8, 9))
    weights = [rnd.uniform(0.4, 2.0) for _ in range(chapters)]
    sizes = [max(3, round(n_tasks * w / sum(weights))) for w in weights]
    sizes[-1] = max(1, n_tasks - sum(sizes[:-1]))
    out: list[tuple[str, str | None]] = []
    used: set[str] = set()
    for c, size in enumerate(sizes):
        chapter = f"{_NUMERALS[c]}、{_unique(rnd, used)}"
        sections = min(size, rnd.choice((2, 3, 4, 4, 5)))
        cuts = sorted(rnd.sample(range(1, size), sections - 1)) if sections > 1 else []
        lead_in = 1 if rnd.random() < 0.1 and size > sections else 0  # a task before the first section
        out += [(chapter, None)] * lead_in
        bounds = [lead_in] + [max(lead_in + 1, x) for x in cuts] + [size]
        for s in range(sections):
            n = bounds[s + 1] - bounds[s]
            if n > 0:
                out += [(chapter, f"（{_NUMERALS[s]}）{_unique(rnd, used)}")] * n
    return out[:n_tasks]


def _unique(rnd: random.Random, used: set[str]) -> str:
    while True:
        t = _title(rnd)
        if t not in used:
            used.add(t)
            return t


def synth_plan(c: County, year: int, seed: int = 0, year_no: int = 0) -> ParseResult:
    """The plan of county ``c`` for ``year`` (its ``year_no``-th year), as a parse result."""
    rnd = random.Random(f"respkg-synth-plan:{seed}:{c.index}:{year}")
    heads, leaders = _year_people(c, year_no, seed)
    n_tasks = max(120, round(rnd.gauss(SEED_PROFILE["tasks"], 12)))
    units = range(len(c.units))
    leader_cum = _cum(SEED_PROFILE["leader_loads"])
    tasks = []
    for no, (chapter, section) in enumerate(_outline(rnd, n_tasks), 1):
        k = _pick(rnd, _UNITS_K, _UNITS_CUM)
        lead = _pick(rnd, units, c.lead_cum)
        chosen = [lead] + _pick_distinct(rnd, units, c.support_cum, k - 1, exclude=(lead,))
        # One person heading two units of a row makes the printed person column ambiguous to
        # read back; keep one unit per head.
        seen_heads: set[str] = set()
        chosen = [i for i in chosen if not (heads[i] in seen_heads or seen_heads.add(heads[i]))]
        refs = tuple(UnitRef(c.units[i], "lead" if j == 0 else "support", (heads[i],),
                             *_kind_and_parent(c.units[i])) for j, i in enumerate(chosen))
        n_leaders = _pick(rnd, _LEADERS_K, _LEADERS_CUM)
        if n_leaders == 0:
            refs = refs[:-1] if len(refs) > 1 else refs
            refs += (UnitRef(_DEPTS_GROUP, "support", (_DEPTS_ROLE,), None, "group"),)
        sup = [] if n_leaders == 0 else [c.portfolio[lead]]
        for i in chosen[1:]:
            if len(sup) < n_leaders and c.portfolio[i] not in sup and rnd.random() < 0.5:
                sup.append(c.portfolio[i])
        if n_leaders:
            sup += _pick_distinct(rnd, range(len(leaders)), leader_cum, n_leaders - len(sup), exclude=sup)
        tasks.append(Task(no, chapter, section, _text(rnd), refs, tuple(leaders[i] for i in sup),
                          Source("", (1, 1))))
    meta = PlanMeta(doc_number=f"{c.stem}政文〔{year}〕{rnd.randint(3, 60)}号",
                    title=f"{year}年《政府工作报告》目标任务责任分解表", issuer=f"{c.name}人民政府",
                    issued=f"{year}-{rnd.randint(1, 3):02d}-{rnd.randint(1, 28):02d}", year=year)
    file = f"{c.name}-{year}.txt"
    text, ranges = _layout(tasks, meta)
    tasks = [replace(t, source=Source(file, r)) for t, r in zip(tasks, ranges)]
    return ParseResult(tasks, record_findings(tasks), file, "grid", meta,
                       hashlib.sha256(text.encode("utf-8")).hexdigest())


def _kind_and_parent(name: str) -> tuple[str | None, str]:
    if name == _TOWN_GROUP:
        return None, "group"
    if name.endswith("）"):
        return name.split("（")[0], "unit"
    return None, "unit"


def synthesize(counties: int = 1, years: int = 1, seed: int = 0, start_year: int = 2021) -> Iterator[ParseResult]:
    """The plans of ``counties`` counties over ``years`` years: county by county, year by year."""
    for i in range(counties):
        c = county(seed, i)
        for y in range(years):
            yield synth_plan(c, start_year + y, seed, y)


# --- the grid text -------------------------------------------------------------------

HEADER = " 序号 项目 目标任务 责任单位 责任领导 分管市领导"
TEXT_WIDTH, ROWS_PER_PAGE = 45, 8


def _wrap(text: str, width: int) -> list[str]:
    """Wrap at ``width`` characters, never starting a line with a digit (it would read as a task number)."""
    lines, rest = [], text
    while len(rest) > width:
        cut = width
        while cut > 1 and (rest[cut].isdigit() or rest[cut - 1].isdigit()):
            cut -= 1
        lines.append(rest[:cut])
        rest = rest[cut:]
    return lines + [rest]


def _cell(title: str) -> list[str]:
    """A chapter or section title as the narrow 项目 column prints it: the marker, then four characters a line."""
    marker_end = title.index("）") + 1 if title.startswith("（") else title.index("、") + 1
    marker, rest = title[:marker_end], title[marker_end:]
    if marker.startswith("（"):
        return [marker] + [rest[i:i + 4] for i in range(0, len(rest), 4)]
    return [marker + rest[:2]] + [rest[i:i + 4] for i in range(2, len(rest), 4)]


def _preamble(meta: PlanMeta) -> list[str]:
    y, m, d = meta.issued.split("-")
    return [meta.doc_number, "", meta.issuer, f"{y}年{int(m)}月{int(d)}日", "", meta.title]


def _layout(tasks: list[Task], meta: PlanMeta) -> tuple[str, list[tuple[int, int]]]:
    """The grid text of a plan and each task's (first, last) line in it."""
    out = _preamble(meta) + [HEADER]
    ranges = []
    chapter = section = None
    for i, t in enumerate(tasks):
        page_top = i > 0 and i % ROWS_PER_PAGE == 0
        if page_top:
            out += [f"- {i // ROWS_PER_PAGE + 1} -", HEADER]
        first = len(out) + 1
        out.append(str(t.no))
        if page_top or t.chapter != chapter:
            out += _cell(t.chapter)
        if t.section and (page_top or t.section != section or t.chapter != chapter):
            out += _cell(t.section)
        chapter, section = t.chapter, t.section
        out += _wrap(t.text, TEXT_WIDTH)
        out += [u.name for u in t.units]
        out += [h for u in t.units for h in u.heads] + list(t.unassigned_heads) + list(t.supervisors)
        ranges.append((first, len(out)))
    return "\n".join(out) + "\n", ranges


def render_grid(result: ParseResult) -> str:
    """The plan as the text of a grid table; :func:`kg.parse.parse_text` reads it back to the same records."""
    return _layout(result.tasks, result.meta)[0]


plan_text = render_grid


# --- profile and files ---------------------------------------------------------------


def profile(tasks: list[Task]) -> dict:
    """The figures a synthetic plan is checked against: means and shares per task, distinct names."""
    n = len(tasks)
    return {
        "tasks": n,
        "chapters": len({t.chapter for t in tasks}),
        "sections": len({(t.chapter, t.section) for t in tasks if t.section}),
        "units_per_task": sum(len(t.units) for t in tasks) / n,
        "with_supports": sum(1 for t in tasks if t.supports) / n,
        "leaders_per_task": sum(len(t.supervisors) for t in tasks) / n,
        "heads_per_unit": sum(len(u.heads) for t in tasks for u in t.units) / sum(len(t.units) for t in tasks),
        "text_median": statistics.median(len(t.text) for t in tasks),
        "units": len({u.name for t in tasks for u in t.units if u.kind == "unit"}),
        "heads": len({h for t in tasks for u in t.units for h in u.heads}),
        "leaders": len({s for t in tasks for s in t.supervisors}),
    }


def write_plans(results, out: str | Path, fmt: str = "text") -> list[Path]:
    """Write each plan as grid text (``.txt``) or records (``.jsonl``) into the folder ``out``,
    or into the file ``out`` when there is one plan and ``out`` ends in that suffix.

    Records files carry no document number or issuer, so ``kg build`` reads them as plans of
    the bundled government; the text keeps each county its own government.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    suffix = ".txt" if fmt == "text" else ".jsonl"
    out = Path(out)
    results = list(results)
    single = out.suffix == suffix and len(results) == 1
    if not single:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{out}: cannot create the folder ({exc.strerror})") from None
    written = []
    for r in results:
        path = out if single else out / (Path(r.file).stem + suffix)
        write_atomic(path, render_grid(r) if fmt == "text" else dump_jsonl(r.tasks))
        written.append(path)
    return written
