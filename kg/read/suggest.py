"""Suggesting lead and supporting units for a task text that names none.

A plan's work report lists next year's tasks without units; the decomposition table of
an earlier year says who led and supported tasks like them. ``Suggester`` indexes the
earlier tasks and, for a new text, scores each known unit from two kinds of evidence:

* **similar tasks** — the text's character-bigram TF-IDF vector is compared (cosine)
  with every indexed task; the ``NEIGHBOURS`` most similar vote for their units, each
  vote weighted by its similarity: lead votes come only from the tasks' lead units,
  support votes only from their supporting units;
* **remit** — the key words of the unit's own name (教育局 → 教育, 陈埭镇政府 → 陈埭),
  widened for the common bureaus by the hand-made table ``REMIT_WORDS``, found in the
  text.

Suggestions are inferred links, never facts: every one carries its score, the numbers
of the indexed tasks behind it and whether its remit matched, so a reader can check it.
``evaluate`` measures the suggester by k-fold hold-out against a most-frequent-lead
baseline computed on the same folds.

Examples
--------
>>> from kg.records import Task, UnitRef, Source
>>> def task(no, text, *units):
...     refs = tuple(UnitRef(u, "lead" if i == 0 else "support") for i, u in enumerate(units))
...     return Task(no, "一、", None, text, refs, (), Source("t.txt", (no, no)))
>>> s = Suggester([task(1, "新增中小学学位三千个", "教育局", "财政局"),
...                task(2, "建设高标准农田五千亩", "农业农村局", "自然资源局")])
>>> [(x.unit, x.role, x.evidence) for x in s.suggest("新增优质学位", k=1)]
[('教育局', 'lead', (1,)), ('财政局', 'support', (1,))]
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from kg.records import Task, UnitRef

__all__ = [
    "Suggestion",
    "Suggester",
    "Evaluation",
    "evaluate",
    "cross_suggest",
    "remit_words",
    "REMIT_WORDS",
    "STEM_ALIASES",
    "REMIT_WEIGHT",
    "NEIGHBOURS",
]

#: How many of the most similar indexed tasks vote. Enough to reach past one near-duplicate,
#: few enough that the many weak matches on common bigrams (推进, 建设) do not swamp them.
NEIGHBOURS = 10

#: The share of the score that a remit match gives; the rest comes from the similar tasks' votes.
#: Chosen before evaluating (the votes should dominate, a remit match alone should not
#: outrank a clear majority of similar tasks), not tuned on the evaluation.
REMIT_WEIGHT = 0.3

#: Remit words for name stems whose own words are too narrow, too broad or absent.
#: Hand-made from the usual functions (三定 remits) of Chinese county departments and
#: from the wording of the 2021 Jinjiang table; a stem not listed here is its own
#: only remit word. An empty tuple means "no usable remit" (政府办, 市政府工作部门).
REMIT_WORDS: dict[str, tuple[str, ...]] = {
    "教育": ("教育", "学校", "学位", "学前", "中小学", "高中", "中职", "师资", "学生"),
    "卫健": ("卫生", "健康", "医疗", "医院", "医共体", "疫情", "中医", "疾控", "托育", "名医"),
    "科技": ("科技", "研发", "高新技术", "高企", "科创", "孵化", "成果转化", "创新平台"),
    "工信": ("工业", "制造", "企业", "信息化", "数字经济", "数转智改", "产业链", "专精特新"),
    "商务": ("商务", "商贸", "消费", "外贸", "招商", "电商", "会展", "出口", "进口", "跨境"),
    "农业农村": ("农业", "农村", "乡村", "农民", "耕地", "农田", "渔业", "渔港", "粮食", "海洋"),
    "自然资源": ("国土", "土地", "用地", "用海", "不动产", "矿山", "详细规划", "空间规划"),
    "水利": ("水利", "水库", "河道", "防洪", "水资源", "供水", "河湖", "水土保持"),
    "生态环境": ("生态环境", "环保", "污染", "大气", "空气", "排污", "减污", "土壤", "无废"),
    "民政": ("民政", "养老", "救助", "低保", "慈善", "殡葬", "未成年人", "社会组织", "福利"),
    "发改": ("发展改革", "重点项目", "有效投资", "规划纲要", "十五五", "十四五", "物价", "输变电"),
    "财政": ("财政", "预算", "财政资金", "国资", "国企", "债务", "三保"),
    "文旅": ("文化", "旅游", "文旅", "文物", "非遗", "景区", "文创", "图书馆", "演出", "民宿"),
    "金融": ("金融", "上市", "融资", "基金", "银行", "保险", "资本市场"),
    "交通运输": ("交通", "道路", "公路", "公交", "物流", "港口", "航线", "通道", "轨道"),
    "城管": ("城市管理", "城管", "市容", "环卫", "垃圾", "停车", "燃气", "城市家具"),
    "市场监管": ("市场监管", "食品", "药品", "质量提升", "标准化", "品牌", "知识产权", "计量", "特种设备"),
    "林业园林": ("林业", "园林", "造林", "绿化", "森林", "林地", "公园", "绿地"),
    "人社": ("人社", "就业", "社保", "社会保障", "劳动", "人力资源", "技能", "欠薪"),
    "住建": ("住房", "建筑", "房地产", "小区", "物业", "保障房", "保租房", "人居环境", "装配式"),
    "体育": ("体育", "赛事", "健身", "运动"),
    "公安": ("公安", "治安", "犯罪", "扫黑", "诈骗"),
    "应急": ("应急", "安全生产", "防灾", "减灾", "救灾"),
    "司法": ("司法", "法治", "普法", "法律", "行政执法"),
    "审计": ("审计",),
    "统计": ("统计",),
    "税务": ("税务", "税收", "纳税"),
    "人才": ("人才", "引才", "博士后"),
    "审改": ("审批", "审改", "放管服", "一件事"),
    "外": ("外事", "友城", "国际交流"),
    "台港澳": ("台湾", "两岸", "台胞", "金门", "港澳"),
    "侨": ("侨",),
    "组织": ("党建", "基层党组织", "干部队伍"),
    "宣传": ("宣传", "意识形态", "舆论"),
    "文明": ("文明城市", "文明"),
    "效能": ("效能", "督查"),
    "政法": ("政法", "枫桥经验", "矛盾纠纷", "社会治理"),
    "信访": ("信访",),
    "政府": (),
    "市政府工作部门": (),
    "集成改革各专项小组": ("集成改革",),
    "各镇政府、街道办事处": ("各镇", "镇街", "乡镇", "镇村", "街道"),
    "泉州半导体高新区晋江分园区管委会": ("半导体", "集成电路", "高新区"),
    "疫情防控指挥部一办十三组": ("疫情防控",),
    "安全隐患大排查大整治指挥部综合协调组": ("安全隐患", "大排查"),
    "泉州医保局晋江分局": ("医保", "医疗保障"),
    "省广电网络晋江分公司": ("广电", "有线电视"),
    "产业": ("产业集团", "产业基金", "母基金"),
    "行政服务中心": ("行政服务", "政务服务", "审批", "一件事"),
    "银保监管": ("银保", "银行", "保险"),
    "人行": ("人民银行", "信贷"),
    "交警": ("交警", "交通安全", "道路交通"),
    "团市": ("共青团", "青年", "青少年"),
    "总工": ("工会", "职工", "劳模"),
    "编": ("编制", "机构改革"),
    "统战": ("统战", "统一战线", "民族", "宗教"),
    "水务": ("水务", "供水", "污水"),
    "经济开发区": ("经济开发区", "开发区", "园区"),
    "供电": ("电网", "输变电", "供电"),
}

#: Other governments' longer names of the stems above (省发展改革委, 市人力社保局, 省住房城乡建设厅):
#: a stem listed here takes the remit words of the stem it names.
STEM_ALIASES: dict[str, str] = {
    "发展改革": "发改", "发展和改革": "发改", "经济和信息化": "工信", "经信": "工信", "工业和信息化": "工信",
    "人力资源社会保障": "人社", "人力资源和社会保障": "人社", "人力社保": "人社",
    "卫生健康": "卫健", "卫生和健康": "卫健", "住房城乡建设": "住建", "住房和城乡建设": "住建", "建设": "住建",
    "文化和旅游": "文旅", "文化广电和旅游": "文旅", "文广旅体": "文旅", "文广旅": "文旅",
    "市场监督管理": "市场监管", "生态环保": "生态环境", "农业": "农业农村", "农村农业": "农业农村",
    "交通": "交通运输", "应急管理": "应急", "林业": "林业园林", "园林": "林业园林", "城市管理": "城管",
}

#: Endings that say what kind of body a unit is, not what it does; longest first.
_SUFFIXES = (
    "街道办事处", "执委会办公室", "委员会办公室", "办公室", "镇政府", "管委会", "管理局",
    "项目办", "秘书处", "分公司", "公司", "集团", "中心办", "中心", "大队", "总会",
    "局", "委", "厅", "办", "部", "会", "社", "组",
)
_PREFIXES = ("晋江市", "晋江", "泉州", "市", "省", "县")
_BRACKET_RE = re.compile(r"^(.*?)[（(](.*?)[)）]$")
_CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_RE = re.compile(r"[A-Za-z]{2,}")


def _stem(name: str) -> str:
    """A unit name without its place prefix and its kind-of-body suffix (教育局 → 教育).

    One suffix only: 人社局 must stay 人社, not lose its 社 as well. The prefix goes after
    the suffix and only where the table does not know the stem, so 市场监管局 stays 市场监管;
    another government's longer stem then becomes the table's (省发展改革委 → 发改).
    """
    if name in REMIT_WORDS:
        return name
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if name in REMIT_WORDS:
        return name
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):]
            break
    return STEM_ALIASES.get(name, name)


def remit_words(name: str) -> tuple[str, ...]:
    """The words whose presence in a text suggests it falls within a unit's remit.

    A bracketed sub-office contributes its own words and its parent's
    (发改局（审改办） → 发改 and 审改 words). A stem listed in ``REMIT_WORDS`` takes the
    listed words; any other stem of two characters or more is its own word; a stem of
    one character gives none (it would match almost any text).

    >>> remit_words("陈埭镇政府")
    ('陈埭',)
    >>> "医疗" in remit_words("卫健局")
    True
    """
    match = _BRACKET_RE.match(name)
    parts = [match.group(1), match.group(2)] if match else [name]
    words: list[str] = []
    for part in parts:
        stem = _stem(part.strip())
        if stem in REMIT_WORDS:
            found: Iterable[str] = REMIT_WORDS[stem]
        else:
            found = (stem,) if len(stem) >= 2 else ()
        words.extend(w for w in found if w not in words)
    return tuple(words)


def _terms(text: str) -> Counter[str]:
    """Character bigrams of each run of Chinese characters, and Latin words (AI, HBM)."""
    terms: Counter[str] = Counter()
    for run in _CJK_RUN_RE.findall(text):
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    terms.update(w.lower() for w in _LATIN_RE.findall(text))
    return terms


@dataclass(frozen=True)
class Suggestion:
    """One inferred link between a task text and a unit, with its score and evidence.

    ``score`` lies in [0, 1]: ``(1 - REMIT_WEIGHT) * vote + REMIT_WEIGHT * remit``, where
    ``vote`` is the unit's share, in this role, of the similarity-weighted votes of the
    text's most similar indexed tasks (1 when every one of them gave the unit this
    role), and ``remit`` is 1 when the unit's remit words occur in the text. ``evidence``
    lists the numbers of the indexed tasks that voted for the unit in this role, most
    similar first, at most five.
    """

    unit: str
    role: str
    score: float
    evidence: tuple[int, ...]
    remit: bool


class Suggester:
    """An index of tasks with known units, able to suggest units for a new text.

    Parameters
    ----------
    tasks : sequence of Task
        The tasks to learn from (their texts and units). Only these are ever used
        as evidence; a unit none of them names is never suggested.
    """

    def __init__(self, tasks: Sequence[Task]):
        self._tasks = tuple(tasks)
        counts = [_terms(t.text) for t in self._tasks]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(self._tasks)
        # Smoothed idf as in scikit-learn: a term unseen in the index still gets a finite weight.
        self._idf = {term: math.log((1 + n) / (1 + d)) + 1 for term, d in df.items()}
        self._unseen_idf = math.log(1 + n) + 1
        self._vectors = [self._vector(c) for c in counts]
        self._postings: dict[str, list[int]] = defaultdict(list)
        for i, vec in enumerate(self._vectors):
            for term in vec:
                self._postings[term].append(i)
        names: dict[str, None] = {}
        for t in self._tasks:
            for u in t.units:
                names.setdefault(u.name, None)
        self._remits = {name: remit_words(name) for name in names}

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        weights = {t: (1 + math.log(c)) * self._idf.get(t, self._unseen_idf) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}

    def similar(self, text: str) -> list[tuple[float, Task]]:
        """The indexed tasks sharing any term with ``text``, most similar (cosine) first."""
        query = self._vector(_terms(text))
        sims: dict[int, float] = defaultdict(float)
        for term, w in query.items():
            for i in self._postings.get(term, ()):
                sims[i] += w * self._vectors[i][term]
        ranked = sorted(((s, i) for i, s in sims.items() if s > 0), key=lambda p: (-p[0], self._tasks[p[1]].no, p[1]))
        return [(min(s, 1.0), self._tasks[i]) for s, i in ranked]

    def suggest(self, text: str, k: int = 3) -> list[Suggestion]:
        """The ``k`` best lead suggestions, then the ``k`` best supporting ones.

        Units with a score of zero (no vote, no remit match) are left out, so fewer
        than ``k`` of a role may come back; an empty text gives an empty list. Ties
        are broken by unit name.
        """
        if not isinstance(k, int) or isinstance(k, bool) or k < 0:
            raise ValueError(f"k should be a non-negative whole number, got {k!r}")
        if not isinstance(text, str):
            raise TypeError(f"text should be a string, got {type(text).__name__}")
        if k == 0:
            return []
        neighbours = self.similar(text)[:NEIGHBOURS]
        total = sum(s for s, _ in neighbours)
        matched = {name for name, words in self._remits.items() if any(w in text for w in words)}
        result: list[Suggestion] = []
        for role in ("lead", "support"):
            votes: dict[str, float] = defaultdict(float)
            evidence: dict[str, list[int]] = defaultdict(list)
            for s, task in neighbours:
                for u in _unique(task.units, role):
                    votes[u] += s
                    evidence[u].append(task.no)
            scored = []
            for name in set(votes) | matched:
                vote = votes.get(name, 0.0) / total if total else 0.0
                score = round(min(1.0, (1 - REMIT_WEIGHT) * vote + REMIT_WEIGHT * (name in matched)), 6)
                if score > 0:
                    scored.append(Suggestion(name, role, score, tuple(evidence.get(name, ())[:5]), name in matched))
            scored.sort(key=lambda x: (-x.score, x.unit))
            result.extend(scored[:k])
        return result


def _unique(units: Iterable[UnitRef], role: str) -> list[str]:
    seen: dict[str, None] = {}
    for u in units:
        if u.role == role:
            seen.setdefault(u.name, None)
    return list(seen)


@dataclass(frozen=True)
class Evaluation:
    """The suggester's hold-out figures, next to a most-frequent-lead baseline on the same folds.

    Every task is held out once; its suggestions come from a ``Suggester`` built on the
    other folds only. Figures are shares in [0, 1]:

    * ``precision_at_1`` — held-out tasks whose top lead suggestion is one of the task's
      real lead units;
    * ``recall_at_3`` — of all real lead units of held-out tasks (pooled), the share found
      among their task's top-3 lead suggestions;
    * ``recall_at_3_all`` — of all real units, lead and support (pooled, each unit once
      per task), the share found among the top-3 lead plus top-3 support suggestions;
    * ``baseline_*`` — the same figures when every held-out task gets the training
      folds' three most frequent lead units as its lead suggestions and three most
      frequent supporting units as its support suggestions (ties by name).
    """

    tasks: int
    precision_at_1: float
    recall_at_3: float
    folds: int
    seed: int
    recall_at_3_all: float
    baseline_precision_at_1: float
    baseline_recall_at_3: float
    baseline_recall_at_3_all: float


def _folds(n: int, folds: int, seed: int) -> list[int]:
    """The fold of each of n items: a seeded shuffle dealt round-robin, so folds differ by at most one."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold_of = [0] * n
    for position, i in enumerate(order):
        fold_of[i] = position % folds
    return fold_of


def _check_folds(tasks: Sequence[Task], folds: int) -> None:
    if not isinstance(folds, int) or isinstance(folds, bool) or not 2 <= folds <= len(tasks):
        raise ValueError(f"folds should be a whole number from 2 to the number of tasks ({len(tasks)}), got {folds!r}")


def cross_suggest(tasks: Sequence[Task], folds: int = 5, seed: int = 0, k: int = 3) -> list[list[Suggestion]]:
    """Each task's suggestions from a ``Suggester`` built on the other folds only.

    The result is aligned with ``tasks``. A held-out task's units never reach its own
    suggestions: neither as votes nor as candidates for a remit match.
    """
    tasks = list(tasks)
    _check_folds(tasks, folds)
    fold_of = _folds(len(tasks), folds, seed)
    out: list[list[Suggestion]] = [[] for _ in tasks]
    for f in range(folds):
        suggester = Suggester([t for t, g in zip(tasks, fold_of) if g != f])
        for i, t in enumerate(tasks):
            if fold_of[i] == f:
                out[i] = suggester.suggest(t.text, k)
    return out


def _frequent(tasks: Iterable[Task], role: str, k: int) -> list[str]:
    counts = Counter(name for t in tasks for name in _unique(t.units, role))
    return [name for name, _ in sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:k]]


def _figures(tasks: Sequence[Task], leads: list[list[str]], supports: list[list[str]]) -> tuple[float, float, float]:
    hits_1 = lead_found = lead_total = all_found = all_total = 0
    for t, lead, support in zip(tasks, leads, supports):
        real_leads = set(_unique(t.units, "lead"))
        real_all = {u.name for u in t.units}
        hits_1 += bool(lead) and lead[0] in real_leads
        lead_found += len(real_leads & set(lead[:3]))
        lead_total += len(real_leads)
        all_found += len(real_all & (set(lead[:3]) | set(support[:3])))
        all_total += len(real_all)
    return (
        hits_1 / len(tasks),
        lead_found / lead_total if lead_total else 0.0,
        all_found / all_total if all_total else 0.0,
    )


def evaluate(tasks: Sequence[Task], folds: int = 5, seed: int = 0) -> Evaluation:
    """Measure the suggester by k-fold hold-out (see ``Evaluation`` for the figures).

    Tasks are dealt into ``folds`` folds by a shuffle seeded with ``seed``; the same
    folds serve the baseline, so the two sets of figures compare like with like.
    """
    tasks = list(tasks)
    _check_folds(tasks, folds)
    suggestions = cross_suggest(tasks, folds, seed, k=3)
    leads = [[s.unit for s in ss if s.role == "lead"] for ss in suggestions]
    supports = [[s.unit for s in ss if s.role == "support"] for ss in suggestions]
    fold_of = _folds(len(tasks), folds, seed)
    base_leads: list[list[str]] = [[] for _ in tasks]
    base_supports: list[list[str]] = [[] for _ in tasks]
    for f in range(folds):
        train = [t for t, g in zip(tasks, fold_of) if g != f]
        top_leads, top_supports = _frequent(train, "lead", 3), _frequent(train, "support", 3)
        for i in range(len(tasks)):
            if fold_of[i] == f:
                base_leads[i], base_supports[i] = top_leads, top_supports
    p1, r3, r3_all = _figures(tasks, leads, supports)
    b1, b3, b3_all = _figures(tasks, base_leads, base_supports)
    return Evaluation(len(tasks), p1, r3, folds, seed, r3_all, b1, b3, b3_all)
