"""Towns and named projects mentioned in a task text or a narrative document.

Pure functions over one string (no rdflib): each returns :class:`Mention` spans with
their offsets in the input, the rule that found them and whether they are certain.
Precision comes before recall: only ``certain`` mentions are meant for the graph; the
``borderline`` ones go to the data-quality report.

Towns (the 19 towns and streets of ``data/jinjiang.toml``), rules in order of strength:

``unit``
    a town government or street office: ``安海镇政府``, ``青阳街道办事处`` (certain).
``suffix``
    the name with its administrative word: ``深沪镇``, ``西园街道``, ``英林镇区`` (certain).
``bare``
    the name alone, followed by punctuation, the end of the text, a function word or a
    count (``安海、东石等镇``, ``目前内坑``, ``金井每个村``, ``罗山将…``, ``紫帽四大新区``)
    (certain).
``in-name``
    the name as the first part of a longer name: ``紫帽山``, ``灵源山``, ``陈埭民族中学``,
    ``西滨段``, ``梅岭中片区``, ``安海龙山寺``, ``磁灶窑``, ``英林村``, and the slip
    ``青阳光片区`` (003). The thing named usually lies in the town (the 2021 table gives
    those tasks to the town's government), but the text names a mountain, a school or a
    road section, not the town: borderline.

Projects and platforms, rules:

``enumeration``
    the items of a list closed by ``等…项目`` or ``等…平台``: ``中纺院绿纤、百宏薄膜化纤、
    华宝鞋业自动化成型等40个重点项目``, ``一品嘉、鞋创云等供应链平台`` (certain; an item
    made only of generic words, such as ``医疗产业园``, is borderline).
``suffix``
    a name ending in a facility word (产业园, 科技园, 物流园, 园, 基地, 中心, 平台, 工程,
    大道, 港区, 学校, 中学, 学院, 大学, 医院 …), optionally followed by ``二期``, whose
    head — the part before the facility word, from the preceding verb or punctuation on —
    is not made only of generic words: ``乔丹智慧物流园``, ``福大科教园二期``,
    ``华为工业互联网平台``, ``世纪大道``. Generic phrases (``产业园区``, ``创新平台``,
    ``公共服务平台``, ``国家双创示范基地``) and counted classes (``打造4个区域性养老服务中心``)
    are no mention at all. Borderline: a head of one character (``市医院``) or of more
    than :data:`MAX_HEAD` characters, one holding a quoted phrase (``“爱晋行”智慧出行平台``)
    or another facility word (``鞋服产业园陈埭园``), a name right after ``与`` (a partner:
    ``与天津大学共建``), and a doubtful start (two verbs overlap, ``共建设计创新中心``; a
    line break splits a word before it).
``quoted``
    a quoted name of a project: ``“灯塔工程”``, ``“聚城畅通”工程`` (certain); not a
    numbered slogan (``“四大工程”``, ``“四个一批”项目``) nor a counted class
    (``“断头管”项目40个``).

Overlapping candidates of one kind are resolved certain first, then longest.

Limits: there is no lexicon of proper names, so genericness is decided by a closed
vocabulary (:data:`GENERIC_WORDS`); a descriptive project name built only from it is
missed, and an unusual generic word is taken for a proper name. Where a name starts is
decided by punctuation, a closed list of verbs (:data:`VERBS`) and counts; a verb missing
from the list makes the span too long. Projects named without a facility word outside an
enumeration (``五店市北区``, ``晋金私募汇``) are not found. A span is not a judgement of
what it names: a university named as a partner after ``、`` (``福州大学``) or a programme
from elsewhere (``“千万工程”``) is taken as certain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.names import placeholders

__all__ = [
    "Mention",
    "TOWN_RULES",
    "PROJECT_RULES",
    "towns_in",
    "town_of_unit",
    "projects_in",
    "borderline",
    "all_mentions",
]

#: The rules that find towns, strongest first.
TOWN_RULES = ("unit", "suffix", "bare", "in-name")
#: The rules that find projects.
PROJECT_RULES = ("enumeration", "quoted", "suffix")


@dataclass(frozen=True)
class Mention:
    """One town or project named in a text, at ``text[start:end]``."""

    name: str
    kind: str
    text: str
    start: int
    end: int
    rule: str
    certain: bool


# --- towns -------------------------------------------------------------------------

#: Words after a town's name that make it a unit (longest first).
_UNIT_WORDS = ("街道办事处", "镇人民政府", "街道办", "镇政府")
#: Words after a town's name that make it the town itself.
_ADMIN_WORDS = ("街道", "镇")
#: Characters that may follow a bare town name without making it part of a longer name.
_FUNCTION_CHARS = set("将获每紧还等的与和及已在是全也")
#: A count after a bare town name ends it: ``晋东、高铁、科创、紫帽四大新区``.
_COUNT_AFTER_RE = re.compile(r"[一二三四五六七八九十两]+[大个]")


def _is_name_char(ch: str) -> bool:
    """True for a character that can continue a Chinese proper name (Han, Latin, digit)."""
    return ch.isalnum()


@lru_cache(maxsize=1)
def _town_re() -> re.Pattern[str]:
    names = placeholders().towns + placeholders().streets
    return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))


def _town_rule(text: str, end: int) -> tuple[str, int]:
    """The rule for a town name ending at ``end`` and the end of the whole mention."""
    rest = text[end:end + 5]
    for word in _UNIT_WORDS:
        if rest.startswith(word):
            return "unit", end + len(word)
    for word in _ADMIN_WORDS:
        if rest.startswith(word):
            return "suffix", end + len(word)
    if not rest or not _is_name_char(rest[0]) or rest[0] in _FUNCTION_CHARS or _COUNT_AFTER_RE.match(rest):
        return "bare", end
    return "in-name", end


def _town_mentions(text: str) -> list[Mention]:
    """Every town mention, certain or not, in text order."""
    out = []
    for m in _town_re().finditer(text):
        rule, end = _town_rule(text, m.end())
        out.append(Mention(m.group(), "town", text[m.start():end], m.start(), end, rule, rule != "in-name"))
    return out


def towns_in(text: str) -> list[Mention]:
    """The certain mentions of the 19 towns and streets in ``text``, in text order.

    >>> [(m.name, m.rule) for m in towns_in("加强安海、东石等镇协同融合")]
    [('安海', 'bare'), ('东石', 'bare')]
    >>> towns_in("加快紫帽山、罗裳山、灵源山等重点山体绿化彩化")
    []
    """
    return [m for m in _town_mentions(text) if m.certain]


def town_of_unit(unit: str) -> str | None:
    """The town's short name for a town government or street office, else None.

    >>> town_of_unit("安海镇政府"), town_of_unit("青阳街道办事处"), town_of_unit("科技局")
    ('安海', '青阳', None)
    """
    m = _town_re().match(unit.strip())
    if m and unit.strip()[m.end():] in _UNIT_WORDS:
        return m.group()
    return None


# --- projects ----------------------------------------------------------------------

#: Facility words that end a project's or platform's name (longest are tried first).
FACILITY_WORDS = (
    "产业园", "科技园", "科教园", "物流园", "文创园", "文教园", "创意园", "园", "基地", "中心",
    "平台", "工程", "大道", "港区", "学校", "中学部", "中学", "小学", "附中", "附小", "分校区",
    "校区", "学院", "大学", "医院", "广场", "公园", "试验区", "商务区",
)
#: Words after a facility word that show it is not the end of a facility's name.
_NOT_AFTER = ("城区", "市区", "镇区", "区", "城", "片区", "渔港", "段")
#: Characters before a facility word that make another word of it (宅基地 is no 基地).
_NOT_BEFORE = {"基地": "宅", "中心": "市镇", "园": "田家庄乐花公校多见西在儿"}
#: Verbs (and a few adverbs) after which a name starts, as the five documents word them.
VERBS = (
    "建设", "开建", "开工", "推进", "加快", "促成", "实现", "推动", "运营", "筹建", "启动", "打造", "提升", "办好",
    "支持", "做大", "做强", "做优", "投用", "启用", "建成", "创建", "争创", "争设", "设立", "组建", "搭建", "引进",
    "深化", "策划", "完成", "实施", "发挥", "对接", "导入", "整合", "建强", "新建", "改造", "落地", "促进", "构建",
    "申报", "加强", "培育", "拓展", "升级", "聚焦", "依托", "围绕", "建好", "用好", "盘活", "入驻", "集聚", "融入",
    "嵌入", "链接", "提速", "开通", "竣工", "投产", "签约", "引导", "突出", "壮大", "发展", "完善", "强化", "放大",
    "形成", "成立", "举办", "承办", "创设", "盘整", "推行", "新改建", "改建", "筹办", "扩大", "力争", "全面", "大力",
    "积极", "加速", "持续", "深入", "着力", "主动", "统筹", "精心", "全力", "有序", "进军", "参与", "开展", "接受",
    "优化", "恢复", "新增", "获批", "上线", "编制", "通过", "获评", "入选", "育强", "共建", "扩建", "进入", "规划",
    "争取", "成为", "即", "建立", "探索", "布局", "辖区", "释放", "提供", "构筑", "涵盖",
)
#: Characters that end the search for a name's start.
_STOP_CHARS = set("的与及等到把向以")
#: A count before a name: the phrase names a class of things, not one project.
_COUNT_RE = re.compile(
    r"(?:[0-9０-９]+\s*|[一二三四五六七八九十百千两几多]+)(?:个|家|所|座|条|项|处|批|大|类)(?:以上)?\s*$"
)
#: Words that make a head generic: a phrase built only from them names no project.
GENERIC_WORDS = frozenset("""
产业 创新 公共 服务 科研 国家 国家级 省级 市级 镇级 村级 区域 区域性 综合 示范 智慧 智能 数字 数字化
大数据 工业 互联网 物流 科技 技术 研发 孵化 众创 文化 旅游 体育 健康 医疗 养老 教育 职业 实训 产教
融合 现代 农业 标准化 农产品 海洋 金融 商务 会展 国际 运营 管理 投资 指挥 应急 交通 城市 新型 高端
特色 重点 重要 先进 装备 制造 制造业 集成电路 鞋服 纺织 建材 建陶 食品 机械 陶瓷 医疗器械 器械 供应链
电子 信息 数据 支撑 双创 成果 转化 知识产权 保护 维权 快速 政务 便民 社区 居家 乡村 绿色 生态 安全
卫生 文明 实践 新时代 加工 基础 中试 研究 直播 电商 跨境 仓储 分拨 商贸 商业 综合体 人才 创业 就业
技能 培训 宣传 展示 非遗 传习 试点 一体 一体化 新 老旧 微 各类 各 一批 重大 优质 高标准 预制 装配式
园林 景观 绿化 夜景 品质 提升 整治 改造 治理 污水 处理 截污 水源 饮用水 道路 网络 货运 大 人机交互
兴趣 合作 交流 对台 两岸 应用 项目 体系 平台 基地 中心 园区 工程 园 区 一 级 业 性 化 的 经济 质效
高质效 公立 二级 以上 相关 消费 消费品 技工 全球 集采 网格 伟大 建设 中职 全省 首批 县级 对外 空间
企业 服装 中小学 小规模 规模 市镇村 三级 综治 社会治理 海外 更高 更 能级 概念验证 引育 文艺 培养 精品
污泥 处置 区域型 五星级 康养 特许 经营 统一 总 停车 水务 文旅 公办 普惠 普惠性 幼儿 达标 省 一级 创伤
三甲 国有 全国 农村 改革 科创 高新 新兴 未来 新能源 新材料 生物 生命 科学 联合 协同 共享 开放 公益
志愿
""".split())


def _is_generic(head: str) -> bool:
    """True when ``head`` can be cut entirely into :data:`GENERIC_WORDS` (or is empty)."""
    head = re.sub(r"[“”\"'（）()、]", "", head)
    ok = [True] + [False] * len(head)
    for i in range(1, len(head) + 1):
        ok[i] = any(ok[j] and head[j:i] in GENERIC_WORDS for j in range(max(0, i - 6), i))
    return ok[len(head)]


def _counted(text: str, i: int) -> bool:
    """True when a count (``4个``, ``2 个``, ``六大``) ends at ``i``."""
    return bool(_COUNT_RE.search(text, max(0, i - 12), i))


def _name_start(text: str, end: int, within: str = "“”", stops: str = "") -> tuple[int, str]:
    """Where the name ending before ``end`` starts, and how sure that start is.

    The name runs left over name characters and the characters ``within`` (quotes; for a
    list, also ``、``) until other punctuation, a verb of :data:`VERBS`, a character of
    :data:`_STOP_CHARS` or ``stops`` (unless it is part of a town's name: 永和), an opening
    quote (kept) or a count. The second value is ``"counted"`` after a
    count (the phrase names a class of things), ``"doubtful"`` when the start may be wrong
    (two verbs overlap, as in ``共建设计``; a line break splits a word before it), else ``"ok"``.
    """
    i = end
    while i > 0:
        ch = text[i - 1]
        if not (_is_name_char(ch) or ch in within) or (ch in _STOP_CHARS and text[i - 1:i + 1] != "以上"):
            break
        if ch in stops and not _town_re().match(text, max(0, i - 2), i + 1):
            break
        if ch == "“":
            i -= 1
            break
        verb = next((v for v in VERBS if text.endswith(v, 0, i)), None)
        if verb is not None:
            overlap = any(text.endswith(v, 0, j) for v in VERBS for j in range(i - len(verb) + 1, i))
            return i, "doubtful" if overlap else "ok"
        if _counted(text, i):
            return i, "counted"
        i -= 1
    if _counted(text, i):
        return i, "counted"
    before = text[:i].rstrip(" \t\r\n")
    broken = "\n" in text[len(before):i] and before[-1:].isalnum()
    return i, "doubtful" if broken else "ok"


@lru_cache(maxsize=1)
def _facility_re() -> re.Pattern[str]:
    words = "|".join(sorted(map(re.escape, FACILITY_WORDS), key=len, reverse=True))
    return re.compile(rf"(?:{words})(?:[一二三四五六七八九十]期)?")


#: Longest head (the name before its facility word) whose start is trusted.
MAX_HEAD = 10


def _suffix_mentions(text: str) -> list[Mention]:
    """Names ending in a facility word whose head is not generic (rule ``suffix``)."""
    out = []
    for m in _facility_re().finditer(text):
        if text.startswith(_NOT_AFTER, m.end()) and not re.search(r"[一二三四五六七八九十]期$", m.group()):
            continue
        word = m.group().rstrip("一二三四五六七八九十期")
        if m.start() > 0 and text[m.start() - 1] in _NOT_BEFORE.get(word, ""):
            continue
        start, how = _name_start(text, m.start(), within="“”（）-", stops="和")
        head = text[start:m.start()]
        span = text[start:m.end()]
        if (how == "counted" or _is_generic(head) or head[:1].isdigit() or _in_open_quote(text, start, m.end())
                or span.count("“") != span.count("”") or span.count("（") != span.count("）")):
            continue
        partner = text[start - 1:start] == "与"  # 与天津大学共建…: a partner, not a project
        sure = (how == "ok" and 1 < len(head) <= MAX_HEAD and "“" not in head and "”" not in head
                and not _facility_re().search(head) and not partner)
        out.append(Mention(_unquote(span), "project", span, start, m.end(), "suffix", sure))
    return out


def _in_open_quote(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` lies in, or starts, a quotation that goes on after it:
    ``“百城百园”行动计划``, ``“300米见绿、500米见园”`` name no facility."""
    opened = text.rfind("“", 0, end) > text.rfind("”", 0, end)
    return opened and not text.startswith("”", end)


def _unquote(span: str) -> str:
    """A name without its quotation marks."""
    return span.replace("“", "").replace("”", "")


#: Numerals that open a slogan rather than a name: ``“四大工程”``, ``“四个一批”项目``.
_NUMERALS = set("一二三四五六七八九十两0123456789")
_QUOTED_RE = re.compile(r"“([^“”]{2,20})”(工程|项目)?")


def _quoted_mentions(text: str) -> list[Mention]:
    """Quoted names of projects: ``“灯塔工程”``, ``“聚城畅通”工程`` (rule ``quoted``).

    Only 工程 and 项目 count: a quoted 平台 or 基地 is as often a slogan (``“上云上平台”``,
    ``六大“两新”基地``) and is left to the ``suffix`` rule, which reports it as borderline.
    """
    out = []
    for m in _QUOTED_RE.finditer(text):
        inner, word = m.group(1), m.group(2)
        if word is None and not inner.endswith(("工程", "项目")):
            continue
        if _counted(text, m.start()) or _is_generic(inner) or inner[0] in _NUMERALS:
            continue
        if re.match(r"\s*[0-9]+\s*个", text[m.end():m.end() + 8]):
            continue
        out.append(Mention(inner + (word or ""), "project", m.group(), m.start(), m.end(), "quoted", True))
    return out


_ENUM_END_RE = re.compile(r"等(?:[0-9]+个|一批)?(?:(?!企业)[\u4e00-\u9fff0-9]){0,6}?(?:项目|平台)")


def _enumeration_mentions(text: str) -> list[Mention]:
    """Items of a list closed by ``等…项目`` / ``等…平台`` (rule ``enumeration``)."""
    out = []
    for m in _ENUM_END_RE.finditer(text):
        end = m.start()
        first, how = _name_start(text, end, within="“”（）-、")
        if how == "counted" or first == end:
            continue
        pos = first
        for item in text[first:end].split("、"):
            if len(item) >= 2 and item.count("“") == item.count("”"):
                sure = how == "ok" and not _is_generic(item)
                out.append(Mention(_unquote(item), "project", item, pos, pos + len(item), "enumeration", sure))
            pos += len(item) + 1
    return out


def _resolve(mentions: list[Mention]) -> list[Mention]:
    """Drop overlapping mentions: certain before borderline, then longer, then earlier."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (not m.certain, -(m.end - m.start), m.start)):
        if all(m.end <= k.start or k.end <= m.start for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def _project_mentions(text: str) -> list[Mention]:
    """Every project mention, certain or not, without overlaps, in text order."""
    found = _enumeration_mentions(text) + _quoted_mentions(text) + _suffix_mentions(text)
    return _resolve(found)


def projects_in(text: str) -> list[Mention]:
    """The certain mentions of named projects and platforms in ``text``, in text order.

    >>> [m.name for m in projects_in("建设乔丹智慧物流园、信泰5G应用等10个示范项目")]
    ['乔丹智慧物流园', '信泰5G应用']
    >>> projects_in("搭建国有投资运营平台，推动产业园区开发")
    []
    """
    return [m for m in _project_mentions(text) if m.certain]


def borderline(text: str) -> list[Mention]:
    """The uncertain town and project candidates of ``text`` (``certain=False``), with
    the rule that proposed them, for the data-quality report."""
    return all_mentions(text)[2]


def all_mentions(text: str) -> tuple[list[Mention], list[Mention], list[Mention]]:
    """The certain projects, the certain towns and the borderline candidates of ``text``
    (as :func:`projects_in`, :func:`towns_in`, :func:`borderline`), each rule run once."""
    towns, projects = _town_mentions(text), _project_mentions(text)
    uncertain = sorted((m for m in towns + projects if not m.certain), key=lambda m: (m.start, m.kind))
    return [m for m in projects if m.certain], [m for m in towns if m.certain], uncertain
