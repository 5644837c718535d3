"""Work reports of other governments (kg.parse.narrative): tests/data/work-reports/.

The 33 reports are copies of /work/shared/corpus/work-reports/ (from lawtext/gov, Markdown
with a YAML front matter). For eight of them ``expected.json`` holds what was counted by
hand from the text: per section of the plan part the number of planned items and the first
and last item's title (with their lines), the self-building chapter's items, the line of
the main-targets paragraph and the year planned, for two the review's results, and (``reader_extra_items``) the lines the
reader is known to make items of though they are none. Every report is checked for plausibility:
items found, every line of the plan part accounted for (an item, a heading or a counted
skip), and every titled paragraph of it an item of its own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rdflib import Literal
from rdflib.namespace import DCTERMS

from kg.graph.report import report_graph, statement_iris
from kg.parse.narrative import parse_narrative

DATA = Path(__file__).parent / "data" / "work-reports"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
REPORTS = sorted(p.name for p in DATA.glob("*.md"))
#: A titled paragraph as a reader would see it, written independently of the reader: a
#: short first phrase ending in 。 and more text, no item or section number before it.
TITLED = re.compile(r"^(?!\*\*|[（(]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+，|——|\d)([^。；：:！？]{2,30})。\S")


@pytest.fixture(scope="module")
def parsed():
    return {}


def parse(name: str, cache: dict):
    if name not in cache:
        cache[name] = parse_narrative(DATA / name)
    return cache[name]


def groups(statements):
    """Planned items grouped by section (by chapter where a chapter has no sections), in order."""
    out: list[tuple[str, list]] = []
    for s in statements:
        label = s.section or s.chapter
        if not out or out[-1][0] != label:
            out.append((label, []))
        out[-1][1].append(s)
    return out


def same_title(s, expected: str) -> bool:
    return s.title == expected if s.title else s.text.startswith(expected)


def check_groups(got, expected):
    assert [len(items) for _, items in got] == [g["items"] for g in expected]
    for (label, items), g in zip(got, expected):
        if g["section"]:
            assert label.endswith(g["section"]), (label, g["section"])
        first, last = items[0], items[-1]
        assert same_title(first, g["first"]) and first.lines[0] == g["first_line"], (first.title, g["first"])
        assert same_title(last, g["last"]) and last.lines[0] == g["last_line"], (last.title, g["last"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hand_counted_reports(name, parsed):
    result, want = parse(name, parsed), EXPECTED[name]
    plans = [s for s in result.statements if s.kind == "plan"]
    targets = [s for s in plans if s.lines[0] == want["targets_line"]]
    assert len(targets) == 1 and targets[0].key.split(".")[1] == "0" and targets[0].year == want["plan_year"]
    # what the reader is known to get wrong, checked by hand too: it must still be so (a fix
    # updates expected.json)
    extra = {int(n) for n in want["reader_extra_items"]}
    assert extra <= {s.lines[0] for s in plans}
    items = [s for s in plans if not s.self_building and s is not targets[0] and s.lines[0] not in extra]
    own = [s for s in plans if s.self_building]
    assert {s.year for s in plans} == {want["plan_year"]}
    assert len(items) == want["items"] and len(own) == want["self_building_items"]
    assert sum(1 for label, _ in groups(items) if label) >= want["sections"]
    check_groups(groups(items), want["plan"])
    check_groups(groups(own), want["self_building"])
    assert result.year == want["plan_year"] - 1  # the year reviewed
    assert {s.year for s in result.statements if s.kind == "result"} == {want["plan_year"] - 1}
    if want["result_lines"]:  # the review's results, one per paragraph, by their first line
        assert [s.lines[0] for s in result.statements if s.kind == "result"] == want["result_lines"]


def heading_lines(text: str) -> set[int]:
    """Lines that are headings or numbered section openings (consumed as structure)."""
    out = set()
    for no, raw in enumerate(text.split("\n"), start=1):
        s = raw.replace("**", "").strip()
        if s and (len(s) <= 45 and "。" not in s or re.match(r"^([（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+，|——)", s)):
            out.add(no)
    return out


@pytest.mark.parametrize("name", REPORTS)
def test_every_report_is_read(name, parsed):
    result = parse(name, parsed)
    text = (DATA / name).read_text(encoding="utf-8")
    assert result.kind == "work-report" and result.title
    plans = [s for s in result.statements if s.kind == "plan"]
    results = [s for s in result.statements if s.kind == "result"]
    assert 5 <= len(plans) <= 150 and results
    keys = [s.key for s in result.statements]
    assert len(keys) == len(set(keys))
    assert {s.year for s in plans} == {result.year + 1}
    # the plan part, from its first item to its last: every line is in an item, a heading or
    # a skip that is counted; every titled paragraph starts an item of its own
    first, last = min(s.lines[0] for s in plans), max(s.lines[1] for s in plans)
    covered = {n for s in result.statements for n in range(s.lines[0], s.lines[1] + 1)}
    skipped = {n for f in result.findings if f.kind == "narrative-skipped"
               for n in range(f.lines[0], f.lines[1] + 1)}
    lines = text.split("\n")
    loose = [n for n in range(first, last + 1)
             if lines[n - 1].strip() and n not in covered | skipped | heading_lines(text)]
    assert not loose, f"lines read into nothing: {loose}"
    starts = {s.lines[0] for s in plans}
    titled = [n for n in range(first, last + 1) if TITLED.match(lines[n - 1].strip())]
    # a paragraph after a numbered title on a line of its own (7.坚持协调并进…。) is that item's text
    after_title = {n for n in titled if re.fullmatch(r"\d{1,2}[.、．].{1,40}", lines[n - 3].strip())}
    titled = [n for n in titled if n not in after_title]
    missed = [n for n in titled if n not in starts and n not in skipped]
    assert not missed, f"titled paragraphs that are no item's start: {missed}"
    assert len([n for n in titled if n in skipped]) <= 3
    # no item holds two titled paragraphs
    for s in plans:
        assert sum(1 for n in titled if s.lines[0] < n <= s.lines[1]) == 0, s.key
    if re.search(r"(主要预期目标|预期目标)[是为]", text):
        assert any(s.key.split(".")[1] == "0" and re.search("预期目标", s.text) for s in plans)


def test_front_matter_and_graph(parsed):
    result = parse("三明市_2023.md", parsed)
    assert (result.title, result.government, result.issued) == ("三明市政府工作报告（2023年1月4日 李春）", "三明市",
                                                                 "2023-01-04")
    report, triples = report_graph(result)
    assert (report, DCTERMS.publisher, Literal("三明市", lang="zh")) in triples
    own = {s for s, p, o in triples if p == DCTERMS.type and o == Literal("self-building")}
    iris = dict(zip(statement_iris(result), result.statements))
    assert {iris[i].key for i in own} == {"3.1.1", "3.2.1", "3.3.1"}


@pytest.mark.parametrize("name", ["三明市_2023.md", "徐州市_2020.md", "安徽省_2022.md"])
def test_a_report_as_a_word_file_reads_as_its_text(name, tmp_path):
    """A planner's .docx of the report (one Word paragraph per paragraph, no front matter,
    no blank lines) gives the statements of the Markdown text: `kg build` reads reports in
    the formats of the decompositions."""
    import docx

    from kg.build import load_documents

    text = (DATA / name).read_text(encoding="utf-8").split("---", 2)[2]
    document = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            document.add_paragraph(line)
    path = tmp_path / name.replace(".md", ".docx")
    document.save(path)
    [from_md] = load_documents([DATA / name]).reports
    [from_docx] = load_documents([path]).reports
    assert from_docx.kind == "work-report"
    assert [(s.kind, s.title, s.year) for s in from_docx.statements] == [(s.kind, s.title, s.year) for s in from_md.statements]
    assert len(from_docx.statements) > 25


def test_a_report_whose_projects_name_their_lead_units_is_still_a_report(tmp_path):
    """A work report that lists its 民生实事 with （X牵头） clauses is read as a report, not as a
    decomposition of those few projects (seven national-2023 reports were)."""
    from kg.build import load_documents

    text = ("政府工作报告\n\n一、2022年工作回顾\n\n过去一年，全市地区生产总值增长5%。\n\n"
            "二、2023年工作安排\n\n（一）着力扩大内需。全力抓项目扩投资，完成固定资产投资增长8%。\n\n"
            "2023年民生实事：\n1. 新建中小学5所（市教育局牵头）。\n2. 改造老旧小区100个（市住建局牵头）。\n")
    path = tmp_path / "某市_2023.md"
    path.write_text(text, encoding="utf-8")
    docs = load_documents([path])
    assert docs.plans == [] and [r.kind for r in docs.reports] == ["work-report"]
    assert [s.text for s in docs.reports[0].statements if s.kind == "plan"] == [
        "新建中小学5所（市教育局牵头）。", "改造老旧小区100个（市住建局牵头）。"]
