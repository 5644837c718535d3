"""Parsers: source text → task records plus data-quality findings.

:func:`parse_file` reads a source file (any of the encodings in :mod:`kg.parse.text`)
and parses it with the layout's parser. Today the one layout is the grid table of
:mod:`kg.parse.grid`.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import LayoutError
from kg.parse.grid import looks_like_grid, parse_grid
from kg.parse.result import ParseResult
from kg.parse.text import read_source

__all__ = ["parse_file", "parse_text", "ParseResult", "LAYOUTS"]

LAYOUTS = {"grid": parse_grid}


def parse_text(text: str, file: str, layout: str | None = None) -> ParseResult:
    """Parse source text with the given layout, or the one the text shows."""
    if layout is None:
        if not looks_like_grid(text):
            raise LayoutError(file, None, "no responsibility table found: tried the grid layout "
                              "(a header row 序号 项目 目标任务 责任单位 责任领导 分管市领导), not present")
        layout = "grid"
    return LAYOUTS[layout](text, file)


def parse_file(path: str | Path, layout: str | None = None) -> ParseResult:
    """Read and parse one source file; records name the file by its base name."""
    path = Path(path)
    text, digest = read_source(path)
    try:
        result = parse_text(text, path.name, layout)
    except LayoutError as exc:
        raise LayoutError(str(path), exc.line, exc.reason) from None
    result.sha256 = digest
    return result
