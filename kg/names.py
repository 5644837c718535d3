"""Names of units, groups, roles and people: how they are cleaned and told apart.

The table's columns hold three kinds of name: units (科技局, 泉州半导体高新区晋江分园区管委会),
people (蒋家兴, 蔡晖) and placeholders — groups of units (各镇政府、街道办事处) and roles that
stand for their heads (各镇镇长、街道办事处主任). A name's kind is read from its shape: units
end in an institutional suffix, roles in a post, people are two to four Chinese characters.
Placeholder groups and their members come from ``data/jinjiang.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.resources import placeholders_file

__all__ = [
    "close_names",
    "clean",
    "clean_text",
    "split_sub_office",
    "is_unit_like",
    "is_role",
    "is_person_like",
    "is_complete",
    "Placeholders",
    "placeholders",
    "edit_distance",
    "continues",
    "is_department",
]

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
_PERSON_RE = re.compile(f"^[{CJK}]{{2,4}}$")
_WS_RE = re.compile(r"\s+")
_SENTENCE_PUNCT = set("，。；：！？,;:!?")

#: Endings of unit names (longest first so 办事处 wins over 处).
UNIT_SUFFIXES = tuple(
    sorted(
        """局 办 委 会 院 部 处 室 组 队 站 所 中心 政府 办事处 集团 公司 社 行 馆 联 团 厅 署 校 关 协
        指挥部 管委会 执委会 秘书处 大队 总会""".split(),
        key=len,
        reverse=True,
    )
)
#: Endings of role placeholders in the 责任领导 column.
ROLE_SUFFIXES = ("负责人", "主任", "镇长", "局长", "书记", "组长", "主席", "行长", "经理", "董事长", "队长")
#: Words that begin a line continuing the previous name, never a name of their own.
CONTINUATIONS = ("（", "(", "办公室", "主要负责人", "负责人", "主任", "、")
#: Institutional words a line break can cut in two (`…委员` + `会办公室`); a piece that
#: ends with the start of one and a piece that begins with its rest belong together.
SPANNING_WORDS = ("办公室", "办事处", "委员会", "管委会", "执委会", "指挥部", "分公司", "公司", "中心", "集团",
                  "政府", "街道", "管理局", "秘书处", "大队", "协调组", "工作组", "领导小组", "负责人", "主任", "镇长")
#: Generic words that cannot be a unit's whole name; alone on a line they continue the name before.
GENERIC_WORDS = ("办公室", "办事处", "委员会", "管委会", "管理局", "分公司", "公司", "中心", "集团", "政府",
                 "秘书处", "指挥部")


def clean(name: str) -> str:
    """A name with every whitespace removed (`蔡 晖` → `蔡晖`)."""
    return _WS_RE.sub("", name)


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def clean_text(text: str) -> str:
    """Task text with line breaks and extraction spaces removed.

    Whitespace is dropped everywhere except between two ASCII letters or digits, where a
    single space is kept (``Lazada Express``); so `企业 100家` becomes `企业100家`.
    """
    parts = _WS_RE.split(text.strip())
    out = parts[0]
    for part in parts[1:]:
        if out and part and _is_ascii_alnum(out[-1]) and _is_ascii_alnum(part[0]):
            out += " "
        out += part
    return out


def split_sub_office(name: str) -> tuple[str, str | None]:
    """Split `发改局（审改办）` into its parent `发改局` and the sub-office `审改办`.

    Names without a trailing bracket come back unchanged with None.
    """
    m = re.match(r"^(.+?)[（(]([^（）()]+)[）)]$", name)
    if not m:
        return name, None
    return m.group(1), m.group(2)


def _balanced(name: str) -> bool:
    return name.count("（") + name.count("(") == name.count("）") + name.count(")") and name.count("“") == name.count("”")


def is_role(name: str) -> bool:
    """True for a role placeholder such as `各镇镇长、街道办事处主任` or `…小组负责人`."""
    name = clean(name)
    if len(name) < 4 or not _balanced(name) or name.endswith("、"):
        return False
    return name.endswith(ROLE_SUFFIXES) or name in placeholders().roles


def is_unit_like(name: str) -> bool:
    """True for a name shaped like a unit or a placeholder group."""
    name = clean(name)
    if len(name) < 2 or not _balanced(name) or any(c in _SENTENCE_PUNCT for c in name):
        return False
    if name in placeholders().groups:
        return True
    if name[0].isdigit() or not _CJK_RE.match(name[0]) and name[0] not in "“":
        return False
    base, _ = split_sub_office(name)
    return base.endswith(UNIT_SUFFIXES)


def is_person_like(name: str) -> bool:
    """True for two to four Chinese characters, the shape of a person's name."""
    return bool(_PERSON_RE.match(clean(name)))


@lru_cache(maxsize=1 << 16)  # a table names the same units in row after row
def is_complete(name: str) -> bool:
    """True if a name can stand alone; False for a fragment that a split line left."""
    name = clean(name)
    return is_role(name) or is_unit_like(name) or is_person_like(name)


@lru_cache(maxsize=1 << 16)
def continues(prev: str, piece: str) -> bool:
    """True if ``piece`` can only be the rest of the name ``prev`` (a line break split them).

    So when ``prev`` has an open bracket or ends in `、`, cannot stand alone (and the join
    is not just a person after a unit), when ``piece`` starts with a continuation word or
    is a generic word, or when a line break cut an institutional word between them.
    """
    joined = prev + piece
    if not _balanced(prev) or prev.endswith("、") or piece.startswith(CONTINUATIONS) or piece in GENERIC_WORDS:
        return True
    if any(prev.endswith(w[:k]) and piece.startswith(w[k:]) for w in SPANNING_WORDS for k in range(1, len(w))):
        return True
    return not is_complete(prev) and (not is_person_like(piece) or is_complete(joined))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two short names."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


#: Endings of the names of the city government's working departments (市政府工作部门).
DEPARTMENT_SUFFIXES = ("局", "委", "办")
#: Bodies with such endings that are not government departments (mass organisations).
NOT_DEPARTMENTS = ("团市委",)


def is_department(name: str) -> bool:
    """True for a city government department (科技局, 发改局（审改办）, 人才办), the members of
    the group 市政府工作部门: a unit whose name (before a sub-office) ends in 局, 委 or 办 and
    that is not a town government, a street office or a mass organisation."""
    base, _ = split_sub_office(clean(name))
    return base.endswith(DEPARTMENT_SUFFIXES) and base not in NOT_DEPARTMENTS and base not in placeholders().town_units()


@dataclass(frozen=True)
class Placeholders:
    """The placeholder groups of one government, their members' rule and head roles."""

    key: str
    government: str
    towns: tuple[str, ...]
    streets: tuple[str, ...]
    groups: dict[str, dict]
    roles: dict[str, str]

    def town_units(self) -> tuple[str, ...]:
        """The unit names of the town governments and street offices (安海镇政府, 青阳街道办事处)."""
        return tuple(f"{s}街道办事处" for s in self.streets) + tuple(f"{t}镇政府" for t in self.towns)

    def town_name(self, short: str) -> str:
        """A town's or street's full name from its short one: 安海 → 安海镇, 青阳 → 青阳街道."""
        return f"{short}街道" if short in self.streets else f"{short}镇"

    def split_role(self, role: str) -> tuple[str, ...]:
        """Split a role naming several groups' heads into the known roles it lists.

        `市政府工作部门主要负责人、各镇镇长、街道办事处主任` → the two roles; a role that is
        not such a concatenation comes back whole.
        """
        known = sorted(self.roles, key=len, reverse=True)
        out: list[str] = []
        rest = role
        while rest:
            for r in known:
                if rest.startswith(r):
                    out.append(r)
                    rest = rest[len(r):].lstrip("、")
                    break
            else:
                return (role,)
        return tuple(out)


def _load_placeholders(path: Path) -> Placeholders:
    with path.open("rb") as fh:
        doc = tomllib.load(fh)
    groups = doc.get("groups", {})
    return Placeholders(
        key=doc["key"],
        government=doc.get("government", ""),
        towns=tuple(doc["towns"]["towns"]),
        streets=tuple(doc["towns"]["streets"]),
        groups=groups,
        roles={g["head_role"]: name for name, g in groups.items() if "head_role" in g},
    )


@lru_cache(maxsize=None)
def placeholders() -> Placeholders:
    """The bundled Jinjiang placeholders (read once)."""
    return _load_placeholders(placeholders_file())


def close_names(name: str, known) -> list[str]:
    """Up to three known names a mistyped one may have meant, for "did you mean": those that
    contain it or that it contains (`科技` → 科技局), else the closest by spelling.

    >>> close_names("科技", ["科技局", "工信局"]), close_names("庄天坏", ["庄天怀", "李自力"])
    (['科技局'], ['庄天怀'])
    """
    import difflib

    labels = sorted(known)
    return [x for x in labels if name and (name in x or x in name)][:3] or difflib.get_close_matches(name, labels, 3, 0.3)
