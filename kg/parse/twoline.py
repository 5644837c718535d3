"""Parser for the two-line layout: each task's text, then a line naming its units.

::

    （说明：责任单位中列第一位的为牵头单位）
    一、稳定经济增长
    1.全年地区生产总值增长7.5%左右。
    责任单位：县发改局、县统计局，各乡镇人民政府、街道办事处
    2.……
    责任单位：县工信局、县商务局、县农业农村局分别牵头

The task sits in the outline of :mod:`kg.parse.outline`. Its text runs up to a line that
begins with `责任单位：` (or another field label of :mod:`kg.parse.inline`); the unit list
may wrap onto the next lines. The first unit listed leads and the others support, except
where the list ends in `分别牵头` (or `共同牵头`): then every unit listed leads its own
part. A `完成时限：`, `牵头领导：` or `分管领导：` line may follow. The fields are read as in
the inline layout; what makes this layout is that they begin a line of their own.
"""

from __future__ import annotations

import re

from kg.parse.inline import fields_body
from kg.parse.outline import parse_outline
from kg.parse.result import ParseResult

__all__ = ["parse", "looks_like", "EXPECTED"]

_UNITS_LINE_RE = re.compile(r"^\s*责任(单位|部门)\s*[：:]", re.MULTILINE)
#: What the layout needs, said when a document does not have it.
EXPECTED = "no line beginning 责任单位： under a task's text"


def looks_like(text: str) -> bool:
    """True if at least two lines begin with 责任单位： (the units line under a task)."""
    return len(_UNITS_LINE_RE.findall(text)) >= 2


def parse(text: str, file: str) -> ParseResult:
    """Parse a document of the two-line layout into records and findings.

    Raises LayoutError (file and line) where the outline breaks, a units line does not
    begin a line of its own, or it holds something other than unit names.
    """
    return parse_outline(text, file, "twoline", lambda item, year: fields_body(item, year, file, line_start=True))
