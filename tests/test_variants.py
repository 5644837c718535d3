"""The parser learns the layout, not the lines: re-rendered tables give the same records.

The seed's records are rendered back into the grid layout (tests/gridgen.py) with other
wrap widths, page breaks, one-line rows, spaced names and blank lines or none; parsing
each rendering must give back the same records (only the source line numbers differ).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgen import Style, render_grid
from kg.errors import LayoutError
from kg.parse import parse_text
from kg.records import to_json


def _without_lines(tasks):
    out = []
    for t in tasks:
        d = to_json(t)
        d.pop("source")
        out.append(d)
    return out


@pytest.fixture(scope="module")
def expected(seed):
    return _without_lines(seed.tasks)


def _check(seed, expected, style: Style):
    text = render_grid(seed.tasks, style)
    got = parse_text(text, "variant.txt").tasks
    assert len(got) == len(expected), style
    for g, e in zip(_without_lines(got), expected):
        assert g == e, style


STYLES = [
    Style(text_width=tw, name_width=nw, fragment_width=fw, rows_per_page=rpp, blank_lines=bl, seed=seed)
    for (tw, nw, fw, rpp, bl), seed in zip(
        itertools.product([14, 33, 60], [8, 10, 20], [2, 4, 6], [5, 11], [0.0, 1.0]), itertools.count())
]


@pytest.mark.parametrize("style", STYLES[::3], ids=lambda s: f"t{s.text_width}-n{s.name_width}-f{s.fragment_width}-p{s.rows_per_page}-b{s.blank_lines:g}")
def test_same_records_from_another_layout(seed, expected, style):
    _check(seed, expected, style)


def test_no_blank_lines_and_everything_possible_on_one_line(seed, expected):
    _check(seed, expected, Style(blank_lines=0.0, one_line_rows=1.0, names_on_text_line=1.0, text_width=200))


def test_every_line_separated_by_blank_lines_no_one_line_rows(seed, expected):
    _check(seed, expected, Style(blank_lines=1.0, one_line_rows=0.0, names_on_text_line=0.0, text_width=20))


# Name columns of 8–12 characters, as in real tables (the seed's is 10). Some other
# widths cut a long name into two pieces that are each a complete unit name
# (width 13: 安全隐患大排查大整治指挥部 | 综合协调组), which no parser can tell from two units.
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(style=st.builds(
    Style,
    text_width=st.integers(12, 80),
    name_width=st.integers(8, 12),
    fragment_width=st.integers(2, 6),
    rows_per_page=st.integers(3, 40),
    blank_lines=st.floats(0, 1),
    one_line_rows=st.floats(0, 1),
    names_on_text_line=st.floats(0, 1),
    spaced_names=st.floats(0, 1),
    number_spaces=st.floats(0, 1),
    seed=st.integers(0, 2**16),
))
def test_any_reasonable_layout(seed, expected, style):
    _check(seed, expected, style)


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(0, 150), length=st.integers(1, 20), data=st.data())
def test_a_slice_of_the_table_parses_to_that_slice(seed, start, length, data):
    """Any run of consecutive tasks, renumbered from 1, is itself a table the parser reads.

    Column and alignment decisions use the whole table, so a slice can legitimately
    decide a person differently; units, texts, chapters and the numbering cannot change.
    """
    from dataclasses import replace

    part = [replace(t, no=i + 1) for i, t in enumerate(seed.tasks[start:start + length])]
    style = Style(seed=data.draw(st.integers(0, 1000)), rows_per_page=data.draw(st.integers(3, 12)))
    got = parse_text(render_grid(part, style), "slice.txt").tasks
    assert [t.no for t in got] == list(range(1, len(part) + 1))
    for g, e in zip(got, part):
        assert (g.chapter, g.section, g.text) == (e.chapter, e.section, e.text)
        assert [(u.name, u.role) for u in g.units] == [(u.name, u.role) for u in e.units]


def test_renumbered_table_with_a_gap_is_reported(seed):
    from dataclasses import replace

    tasks = [replace(t, no=t.no + (1 if t.no > 20 else 0)) for t in seed.tasks[:40]]
    result = parse_text(render_grid(tasks, Style()), "gap.txt")
    gaps = [f for f in result.findings if f.kind == "numbering-gap"]
    assert [(f.task, f.severity) for f in gaps] == [(22, "error")] and "21" in gaps[0].message


def test_large_jump_in_numbering_is_an_error(seed):
    from dataclasses import replace

    tasks = [replace(t, no=t.no + (30 if t.no > 20 else 0)) for t in seed.tasks[:40]]
    with pytest.raises(LayoutError, match=r"gap\.txt:\d+: the numbering breaks off: expected task 21, found 51"):
        parse_text(render_grid(tasks, Style()), "gap.txt")


def test_duplicate_number_is_reported(seed):
    from dataclasses import replace

    tasks = [replace(t, no=t.no if t.no != 11 else 10) for t in seed.tasks[:20]]
    result = parse_text(render_grid(tasks, Style()), "dup.txt")
    [dup] = [f for f in result.findings if f.kind == "numbering-duplicate"]
    assert dup.task == 10 and dup.severity == "error"
    assert [t.no for t in result.tasks][9:11] == [10, 10]


def test_task_without_units_is_reported(seed):
    """A row whose names are missing: the text is kept, the row has no lead, and that is reported."""
    style = Style(one_line_rows=0.0, blank_lines=0.0, names_on_text_line=0.0, text_width=500)
    lines = render_grid(seed.tasks[:12], style).split("\n")
    text_of_6 = next(i for i, line in enumerate(lines) if line.startswith("促成中关村中试熟化平台"))
    next_row = lines.index("7", text_of_6)
    result = parse_text("\n".join(lines[:text_of_6 + 1] + lines[next_row:]), "nolead.txt")
    six = next(t for t in result.tasks if t.no == 6)
    assert six.units == () and six.supervisors == () and six.text.startswith("促成中关村中试熟化平台")
    assert [f.severity for f in result.findings if f.task == 6 and f.kind == "no-lead"] == ["error"]
    assert [t.no for t in result.tasks] == list(range(1, 13))
