"""Render task records back into the grid layout, the way a PDF extraction would.

Tests use this to check that the parser learns the layout, not one document's lines:
the same records rendered with other wrap widths, page breaks, one-line rows, spaced
two-character names and with or without blank lines must parse to the same records.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from kg import names
from kg.records import Task

HEADER = " 序号 项目 目标任务 责任单位 责任领导 分管市领导"
_SECTION_RE = re.compile(r"^（[一二三四五六七八九十]+）")
_CHAPTER_RE = re.compile(r"^[一二三四五六七八九十]+、")


@dataclass(frozen=True)
class Style:
    """How to lay the table out; every field is a degree of freedom of real extractions."""

    text_width: int = 45        # characters per line of task text
    name_width: int = 10        # characters per line of a unit or role name
    fragment_width: int = 4     # characters per line of a chapter or section fragment
    rows_per_page: int = 8      # a page header and the project cell repeat after this many rows
    blank_lines: float = 0.5    # chance of a blank line after each line
    one_line_rows: float = 0.5  # chance that a short row sits on one line
    names_on_text_line: float = 0.2  # chance that the first unit follows the text on its last line
    spaced_names: float = 0.5   # chance that a two-character name is printed `蔡 晖`
    number_spaces: float = 0.7  # chance of a space between a Chinese character and a digit
    seed: int = 0


_ATOM_RE = re.compile(r"[^\u4e00-\u9fff，。；：、（）]+|.")


def _chunks(s: str, width: int) -> list[str]:
    """Wrap at ``width`` characters without breaking a run of digits, Latin or quotes.

    PDF text wraps between Chinese characters but keeps `2021`, `5G` and `“4341”` whole.
    """
    lines = [""]
    for atom in _ATOM_RE.findall(s):
        if lines[-1] and len(lines[-1]) + len(atom) > width:
            lines.append("")
        lines[-1] += atom
    return lines


def _spaced_text(text: str, rnd: random.Random, p: float) -> str:
    """Put back the spaces the extraction inserts between Chinese characters and digits."""
    return re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])",
                  lambda m: " " if rnd.random() < p else "", text)


def _cell(title: str, marker_re: re.Pattern, width: int) -> list[str]:
    m = marker_re.match(title)
    marker, rest = (m.group(0), title[m.end():]) if m else ("", title)
    if marker.startswith("（"):
        return [marker] + (_chunks(rest, width) if rest else [])
    first = marker + rest[: max(0, width - len(marker))]
    return [first] + (_chunks(rest[len(first) - len(marker):], width) if len(rest) > len(first) - len(marker) else [])


def _person(name: str, rnd: random.Random, p: float) -> str:
    return " ".join(name) if len(name) == 2 and rnd.random() < p else name


def render_grid(tasks: list[Task], style: Style = Style(), preamble: str = "晋政文〔2021〕16号\n\n关于目标任务责任分解的通知\n") -> str:
    """The records as the text of a grid table in the given style."""
    rnd = random.Random(style.seed)
    out: list[str] = [preamble, HEADER]
    chapter = section = None
    for i, t in enumerate(tasks):
        page_top = i > 0 and i % style.rows_per_page == 0
        if page_top:
            out += [f"- {i // style.rows_per_page + 1} -", HEADER]
        lines: list[str] = []
        project: list[str] = []
        if page_top or t.chapter != chapter:
            project += _cell(t.chapter, _CHAPTER_RE, style.fragment_width)
        if t.section and (page_top or t.section != section or t.chapter != chapter):
            project += _cell(t.section, _SECTION_RE, style.fragment_width)
        chapter, section = t.chapter, t.section
        text = _spaced_text(t.text, rnd, style.number_spaces)
        heads = [h for u in t.units for h in u.heads] + list(t.unassigned_heads)
        row_names = [u.name for u in t.units] + heads + list(t.supervisors)
        short = len(text) <= style.text_width and all(len(n) <= style.name_width for n in row_names)
        if not project and short and rnd.random() < style.one_line_rows:
            units = {u.name for u in t.units}
            lines.append(" ".join([str(t.no), text] + [n if n in units else _person(n, rnd, style.spaced_names)
                                                        for n in row_names]))
        else:
            lines.append(str(t.no) if not project or rnd.random() < 0.7 else f"{t.no} {project.pop(0)}")
            lines += project
            text_lines = _chunks(text, style.text_width)
            name_lines: list[str] = []
            units = {u.name for u in t.units}
            for u in [u.name for u in t.units] + heads:
                name_lines += [_person(u, rnd, style.spaced_names)] if names.is_person_like(u) and u not in units else _chunks(u, style.name_width)
            name_lines += [_person(s, rnd, style.spaced_names) for s in t.supervisors]
            first_whole = len(t.units[0].name) <= style.name_width if t.units else False
            if first_whole and rnd.random() < style.names_on_text_line and text_lines[-1].endswith("。"):
                text_lines[-1] += " " + name_lines.pop(0)
            lines += text_lines + name_lines
        for line in lines:
            out.append(line)
            if rnd.random() < style.blank_lines:
                out.append("")
    return "\n".join(out) + "\n"
