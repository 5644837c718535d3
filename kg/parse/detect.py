"""Which reader a text goes to: the grid table, or the clause reader for everything else.

The grid table of the 2021 Jinjiang decomposition has a column header of its own
(:func:`kg.parse.grid.looks_like_grid`); every other text is read by its clauses
(:mod:`kg.parse.clauses`), which finds tasks in any layout or raises "no task found".
"""

from __future__ import annotations

from kg.parse.clauses import LAYOUT
from kg.parse.grid import looks_like_grid

__all__ = ["detect"]


def detect(text: str, file: str) -> str:
    """The name of the reader for ``text``: ``"grid"`` or ``"clauses"``.

    Examples
    --------
    >>> detect("1.修路。牵头单位：县交通局\\n2.建桥。牵头单位：县住建局", "a.txt")
    'clauses'
    """
    return "grid" if looks_like_grid(text) else LAYOUT
