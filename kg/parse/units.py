"""Unit lists as the text layouts write them: `市发改委、市财政局，各县（市、区）政府`.

Shared by the inline, parenthesis and two-line layouts, which write a task's units as a
list in running text rather than one name per cell:

- a list is split on `、` `，` `,` `；` `;` `/` outside brackets, full- or half-width, so
  `各县（市、区）政府（管委会）` stays whole; a space or a line break inside a list
  separates two names only where both sides are names (`市发展改革委 市生态环境局`),
  else it is extraction noise or a cut name, which is rejoined (`市 发改委`);
- `等` closing a name (`市财政局等`, `市发改委等部门`) and a `。` closing the list are dropped;
- a collective list of administrative levels stays one group (`各区、县级市`,
  `各旗、县、区人民政府`);
- names are cleaned with :func:`kg.names.clean` (spaces removed); prefixes such as `市` are
  kept as written;
- a name is a **group** (``kind`` ``"group"``) when it is a known placeholder
  (``data/jinjiang.toml``) or has the shape of one: it begins with 各 (`各县（市、区）政府`,
  `各镇政府、街道办事处`, `各有关单位`), or with 有关 / 相关 / 市直 / 县直 / 区直, and ends
  in a generic word for a body (政府, 单位, 部门, 办事处, 街道, 乡镇, 园区, 管委会, 机关,
  企业, 学校); a bare generic name right after such a group (`街道办事处` in
  `各镇政府、街道办事处`) continues the group;
- a bracketed sub-office (`市发改委（市能源局）`) gets its parent (`市发改委`).
"""

from __future__ import annotations

import re

from kg import names
from kg.records import UnitRef

__all__ = ["split_units", "split_top", "unit_ref", "is_group", "UNIT_SEPARATORS", "GROUP_ENDINGS"]

UNIT_SEPARATORS = "、，,；;/"
#: Endings of a placeholder group's name: a generic word for a body, never a proper name.
GROUP_ENDINGS = ("政府", "单位", "部门", "办事处", "街道", "乡镇", "园区", "管委会", "机关", "企业", "学校")
_GROUP_STARTS = ("各", "有关", "相关", "市直", "县直", "区直")
#: Names that only continue the group before them (`各镇政府、街道办事处`).
#: (`开发区管委会` is not one: it is a body of its own, `各县市区政府、开发区管委会`.)
_GROUP_CONTINUATIONS = ("街道办事处", "街道", "乡镇", "办事处")
#: A piece naming administrative levels only (`各区`, `县级市`, `县（市）`): in a list opened by
#: 各 it leaves the group open, and the next level (`区人民政府`) continues it (`各旗、县、区人民政府`).
_LEVELS = r"(?:[省市县区旗乡镇]|县级市|街道|[（(][市县区、]+[）)])+"
_OPEN_GROUP_RE = re.compile(f"^各?{_LEVELS}$")
_LEVEL_RE = re.compile(f"^{_LEVELS}(?:人民政府|政府)?$")
#: `等` closing a name, with the generic word it may bring (`市发改委等部门`).
_ETC_RE = re.compile(r"等(?:有关|相关)?(?:部门|单位)?$")
_SPACE_RE = re.compile(r"[ \t\u3000\xa0]+")
#: Longest plausible unit name; anything longer in a unit list is not a name.
NAME_MAX = 30
_SENTENCE_RE = re.compile(r"[。！？!?：:]")


def is_group(name: str) -> bool:
    """True for a placeholder standing for several units (see the module docstring)."""
    name = names.clean(name)
    if name in names.placeholders().groups:
        return True
    return name.startswith(_GROUP_STARTS) and name.endswith(GROUP_ENDINGS)


def split_top(text: str, seps: str) -> list[str]:
    """Split on any of ``seps`` outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def _is_name(piece: str) -> bool:
    return names.is_unit_like(piece) or is_group(piece)


def _word_name(word: str) -> bool:
    """A name, or levels of a collective (`县级市` in `各区、县级市`), on one side of a space."""
    return _is_name(word) or len(word) >= 2 and bool(_LEVEL_RE.match(word) or _OPEN_GROUP_RE.match(word))


def _pieces(raw: str, joins: list[tuple[str, str]] | None) -> list[str]:
    """The names of one separated piece: its lines and space-separated words, each kept
    apart only where it and the one before are both names (else rejoined)."""
    pieces: list[str] = []
    for line in raw.split("\n"):
        words = [w for w in _SPACE_RE.split(line.strip()) if w]
        for k, word in enumerate(words):
            if not pieces:
                pieces.append(word)
            elif _word_name(pieces[-1]) and _word_name(word.removesuffix("等")) and word not in names.GENERIC_WORDS:
                pieces.append(word)
            else:
                if joins is not None and k == 0:  # a line break cut a name; spaces are noise
                    joins.append((pieces[-1], word))
                pieces[-1] += word
    return pieces


def split_units(text: str, joins: list[tuple[str, str]] | None = None) -> list[str]:
    """The unit names of a list, cleaned, in source order (see the module docstring).

    Raises ValueError naming a piece that cannot be a unit's name (a sentence, or too long).
    Pieces of a name rejoined across a line break are appended to ``joins`` as pairs.

    Examples
    --------
    >>> split_units("市发改委、市财政局，各县（市、区）政府")
    ['市发改委', '市财政局', '各县（市、区）政府']
    >>> split_units("市自然资\\n源局、市住建局等")
    ['市自然资源局', '市住建局']
    >>> split_units("市发展改革委 市生态环境局")
    ['市发展改革委', '市生态环境局']
    >>> split_units("各县市区政府、 开发区管委会。")
    ['各县市区政府', '开发区管委会']
    """
    out: list[str] = []
    for raw in split_top(text.strip().rstrip("。．"), UNIT_SEPARATORS):
        for piece in _pieces(raw, joins):
            piece = _ETC_RE.sub("", piece)
            if not piece:
                continue
            if out and is_group(out[-1]) and piece in _GROUP_CONTINUATIONS:
                out[-1] += "、" + piece
                continue
            if out and out[-1].startswith("各") and _OPEN_GROUP_RE.match(out[-1].split("、")[-1]) \
                    and _LEVEL_RE.match(piece):
                out[-1] += "、" + piece
                continue
            if len(piece) > NAME_MAX or _SENTENCE_RE.search(piece):
                raise ValueError(piece)
            out.append(piece)
    return out


def unit_ref(name: str, role: str) -> UnitRef:
    """The UnitRef of a cleaned name: its kind and, for a sub-office, its parent."""
    parent, sub = names.split_sub_office(name)
    group = is_group(name)
    return UnitRef(name=name, role=role, heads=(), parent=parent if sub and not group else None,
                   kind="group" if group else "unit")
