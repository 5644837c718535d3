"""Rendering rows of values as a terminal table, CSV, TSV, Markdown or JSON.

Every command that prints a table goes through :func:`render`, so the formats behave
the same everywhere. Terminal tables use rich, which measures the width of Chinese
characters, so CJK columns line up.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

from kg.output import quote_cell

__all__ = ["render", "FORMATS"]

FORMATS = ("table", "csv", "tsv", "markdown", "json")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def esc(v: Any) -> str:
        return _cell(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(esc(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _spreadsheet_cell(value: Any) -> str:
    """A CSV/TSV cell: text that a spreadsheet would evaluate (`=HYPERLINK(…)` in a task's
    text, a label starting with `-`) gets the `'` that keeps it text; numbers stay numbers."""
    text = _cell(value)
    return text if isinstance(value, (int, float)) else quote_cell(text)


def _delimited(columns: Sequence[str], rows: Sequence[Sequence[Any]], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_spreadsheet_cell(v) for v in row] for row in rows)
    return buf.getvalue()


#: From this many rows a terminal table is drawn by :func:`_drawn` even where a column would
#: have to fold: rich takes 10 s to lay out 16,000 rows (a thousand counties' city leaders).
DRAWN_FROM = 2_000


def _drawn(columns: Sequence[str], cells: list[list[str]], title: str | None) -> str:
    """The table's box and rows as rich draws them when nothing folds (its heavy-head box, one
    space of padding), written directly, with the title on one line above: rich measures and
    wraps every cell, which at tens of thousands of rows takes seconds. Widths are terminal
    cells (a Chinese character takes two); no column folds, so a line may be wider than the
    terminal."""
    from rich.cells import cell_len

    widths = [max([cell_len(c)] + [cell_len(row[i]) for row in cells]) for i, c in enumerate(columns)]

    def line(values, edge: str) -> str:
        return edge[0] + edge[1].join(" " + v + " " * (w - cell_len(v) + 1) for v, w in zip(values, widths)) + edge[2]

    def rule(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    total = sum(widths) + 3 * len(widths) + 1
    out = []
    if title:
        pad = max(0, total - cell_len(title))
        out.append((" " * (pad // 2) + title + " " * (pad - pad // 2)).rstrip())
    out += [rule("┏", "━", "┳", "┓"), line(columns, "┃┃┃"), rule("┡", "━", "╇", "┩")]
    out += [line(row, "│││") for row in cells]
    out.append(rule("└", "─", "┴", "┘"))
    return "\n".join(out) + "\n"


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None, width: int) -> str:
    from rich.console import Console
    from rich.table import Table

    cells = [[_cell(v) for v in row] for row in rows]
    if len(cells) >= DRAWN_FROM:
        return _drawn(columns, cells, title)

    table = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in cells:
        table.add_row(*row)
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, force_terminal=False, legacy_windows=False).print(table)
    return buf.getvalue()


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, *, title: str | None = None,
           width: int = 120, json_rows: list[dict] | None = None) -> str:
    """The rows in one of FORMATS.

    ``json_rows`` replaces the default JSON (a list of objects keyed by column) when a
    command has a richer JSON form, such as nested lists.
    """
    if fmt == "json":
        data = json_rows if json_rows is not None else [dict(zip(columns, row)) for row in rows]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _delimited(columns, rows, ",")
    if fmt == "tsv":
        return _delimited(columns, rows, "\t")
    if fmt == "markdown":
        return _markdown(columns, rows)
    if fmt == "table":
        return _table(columns, rows, title, width)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
