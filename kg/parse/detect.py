"""Which layout a document is in: the grid table or one of the text layouts.

Each layout's ``looks_like`` is a cheap test of the one thing only that layout has; they
are asked in a fixed order, most specific first — the grid's column header, then the
labelled lead field of the inline layout (its brackets would also pass the parenthesis
test), then the 责任单位： lines of the two-line layout, then the trailing brackets.
"""

from __future__ import annotations

from kg.errors import LayoutError
from kg.parse import inline, parenthesis, twoline
from kg.parse.grid import HEADER_WORDS, looks_like_grid

__all__ = ["detect", "TESTS"]

#: (layout, test, what the layout needs), in the order they are tried.
TESTS = (
    ("grid", looks_like_grid, f"no header row {HEADER_WORDS[0]}…{HEADER_WORDS[-1]}"),
    ("inline", inline.looks_like, inline.EXPECTED),
    ("twoline", twoline.looks_like, twoline.EXPECTED),
    ("parenthesis", parenthesis.looks_like, parenthesis.EXPECTED),
)


def detect(text: str, file: str) -> str:
    """The name of the layout ``text`` is in; LayoutError naming every layout tried if none.

    Examples
    --------
    >>> detect("1.修路。牵头单位：县交通局\\n2.建桥。牵头单位：县住建局", "a.txt")
    'inline'
    """
    for name, test, _ in TESTS:
        if test(text):
            return name
    tried = "; ".join(f"{name}: {why}" for name, _, why in TESTS)
    raise LayoutError(file, None, f"no responsibility table found: tried {tried}")
