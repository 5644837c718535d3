"""Parsers: source text → task records plus data-quality findings.

:func:`parse_file` reads a source file (any of the encodings in :mod:`kg.parse.text`)
and parses it with the layout's parser: the grid table (:mod:`kg.parse.grid`), inline
fields (:mod:`kg.parse.inline`), a trailing parenthesis (:mod:`kg.parse.parenthesis`) or
a units line under each task (:mod:`kg.parse.twoline`), all but the grid read through the
shared outline of headings and numbered items (:mod:`kg.parse.outline`). Spreadsheets
(``.xlsx``, ``.csv``) are read by their column names (:mod:`kg.parse.sheet`).
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import LayoutError
from kg.parse import inline, parenthesis, twoline
from kg.parse.detect import detect
from kg.parse.grid import parse_grid
from kg.parse.result import ParseResult
from kg.parse.sheet import is_sheet, parse_sheet
from kg.parse.text import read_source

__all__ = ["parse_file", "parse_text", "ParseResult", "LAYOUTS"]

LAYOUTS = {"grid": parse_grid, "inline": inline.parse, "parenthesis": parenthesis.parse, "twoline": twoline.parse}


def parse_text(text: str, file: str, layout: str | None = None) -> ParseResult:
    """Parse source text with the given layout, or the one the text shows (see :mod:`kg.parse.detect`)."""
    return LAYOUTS[layout or detect(text, file)](text, file)


def parse_file(path: str | Path, layout: str | None = None) -> ParseResult:
    """Read and parse one source file; records name the file by its base name."""
    path = Path(path)
    if is_sheet(path):
        if layout not in (None, "sheet"):
            raise LayoutError(str(path), None, f"a spreadsheet is read by its column names; --layout {layout} is for text")
        return parse_sheet(path)
    text, digest = read_source(path)
    try:
        result = parse_text(text, path.name, layout)
    except LayoutError as exc:
        raise LayoutError(str(path), exc.line, exc.reason) from None
    result.sha256 = digest
    return result
