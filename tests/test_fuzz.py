"""Fuzzing the parsers, the records reader and `kg query` parameters with Hypothesis.

Every input — random text, random bytes, and structured mutations of real inputs (the
bundled 2021 table and tests/data/layouts/*: lines deleted, duplicated, swapped, the text
cut at a random offset, full-width digits, random characters or bytes inserted) — must
either parse or fail with one of the documented errors (kg.errors), whose message is one
line; through the CLI, exit 1 and a single `Error: …` line, never a traceback. What does
parse must be consistent: source lines inside the file, records that survive a JSON Lines
round trip.

`kg query --name NAME --param K=V` is fuzzed with arbitrary values and injection attempts:
the store never changes, a text value comes back as the very literal given, and a name
that is not in the graph is reported as unknown.

Runs are reproducible (``derandomize=True``, no example database) and bounded so the
file runs in well under a minute. For a longer run set ``RESPKG_FUZZ_EXAMPLES``: every
test's example count is scaled by it relative to its default of 100, e.g.
``RESPKG_FUZZ_EXAMPLES=1000 python3 -m pytest tests/test_fuzz.py`` runs ten times as
many examples.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal

from kg.cli import main
from kg.errors import RecordError, RespkgError
from kg.parse import LAYOUTS, parse_file, parse_text
from kg.parse.labels import FIELDS as COLUMNS
from kg.parse.text import read_source
from kg.sparql.query import QueryError, find_named, named_queries, resolve_params, run
from kg.records import dump_jsonl, load_jsonl, to_json
from kg.resources import default_source

TESTS = Path(__file__).parent
EXAMPLES = int(os.environ.get("RESPKG_FUZZ_EXAMPLES", "100"))
SOURCES = [default_source(), *sorted((TESTS / "data" / "layouts").glob("*.txt"))]
TEXTS = [p.read_text(encoding="utf-8") for p in SOURCES]
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
#: Pieces of the layouts, so that random text often gets past layout detection.
TOKENS = ["序号", "项目", "目标任务", "责任单位", "责任领导", "分管市领导", "序号 项目 目标任务 责任单位 责任领导 分管市领导",
          "一、", "（一）", "1.", "2、", "（3）", "12", "０", "１２．", "牵头单位：", "配合单位：", "责任单位：", "主办单位：",
          "协办单位：", "完成时限：", "牵头领导：", "分管领导：", "分别牵头", "（市发改委牵头，市统计局配合）", "牵头", "配合",
          "、", "，", "；", "：", ":", "（", "）", "(", ")", "\n", "\n", "\n", " ", "　", "\t", "\r", "\x0b", "\x1c", "\u2028",
          "\x85", "发改局", "工信局（审改办）", "蔡晖", "蔡 晖", "各镇政府、街道办事处", "市政府工作部门", "各镇镇长、街道办事处主任",
          "2021年6月底前", "13月", "2021年2月30日", "长期坚持", "晋政文〔2021〕16号", "。", "99999999999999999999", "-1", "0."]
INJECTIONS = ['x" } ; DROP ALL ; { "', "x' } ; DROP ALL ; { '", '"""', "'''", "}", "{", "#", "# }", "\n", "\r\n",
              "> <", "<http://evil/>", "\\", '\\"', "\\u0022", "?x", "$x", "VALUES ?x { 1 }", "} UNION { ?s ?p ?o",
              '人才" ) } #', "\x00", "@zh", "^^xsd:string", "工信局", "工信局\n", " 工信局 ",
              '\n\\"', 'a\\"']


def scaled(default: int) -> settings:
    """Hypothesis settings: `default` examples (scaled by RESPKG_FUZZ_EXAMPLES / 100), reproducible."""
    return settings(max_examples=max(1, default * EXAMPLES // 100), deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


def clean_error(exc: RespkgError) -> None:
    """A documented error carries a one-line message (the CLI prints it as `Error: …`)."""
    message = str(exc)
    assert message and "\n" not in message and "\r" not in message, repr(message)


def check_parsed(result, text: str) -> None:
    """What a parser returns is consistent: lines inside the text, records that round-trip."""
    nlines = len(text.split("\n"))
    for task in result.tasks:
        first, last = task.source.lines
        assert 1 <= first <= last <= nlines, (task.no, task.source.lines, nlines)
        assert isinstance(task.no, int) and task.units is not None
    assert list(load_jsonl(dump_jsonl(result.tasks))) == list(result.tasks)


def parses_or_fails_cleanly(text: str, layout: str | None) -> None:
    try:
        result = parse_text(text, "fuzz.txt", layout)
    except RespkgError as exc:
        clean_error(exc)
    else:
        check_parsed(result, text)


# --- strategies -----------------------------------------------------------------------------

token_text = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=150).map("".join)


@st.composite
def mutated(draw, texts=TEXTS):
    """A real input with a few structural mutations."""
    lines = draw(st.sampled_from(texts)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "fullwidth", "insert", "block"]))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        j = draw(st.integers(0, max(0, len(lines) - 1)))
        if not lines:
            lines = [""]
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[j])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "truncate":
            text = "\n".join(lines)
            lines = text[:draw(st.integers(0, len(text)))].split("\n")
        elif op == "fullwidth":
            lines[i] = lines[i].translate(FULL_WIDTH)
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.one_of(st.sampled_from(TOKENS), st.text(min_size=1, max_size=5))) + \
                lines[i][at:]
        else:  # a block of lines repeated elsewhere: a duplicated page, a row twice
            lo, hi = sorted((i, j))
            lines[i:i] = lines[lo:hi + 1][:300]
    return "\n".join(lines)


@st.composite
def mutated_bytes(draw, data: bytes):
    """`data` with a few bytes overwritten, cut, inserted or copied."""
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["set", "cut", "insert", "copy"]))
        i = draw(st.integers(0, len(b)))
        if op == "set" and b:
            b[min(i, len(b) - 1)] = draw(st.integers(0, 255))
        elif op == "cut":
            b = b[:i]
        elif op == "insert":
            b[i:i] = draw(st.binary(min_size=1, max_size=16))
        elif op == "copy" and b:
            j = draw(st.integers(0, len(b) - 1))
            b[i:i] = b[j:j + draw(st.integers(1, 300))]
    return bytes(b)


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory(prefix="respkg-fuzz-") as folder:
        yield Path(folder)


# --- text parsers ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", [None, *LAYOUTS])
@scaled(150)
@given(text=st.one_of(st.text(max_size=300), token_text))
def test_random_text_parses_or_fails_cleanly(layout, text):
    """Random text, in every layout and with detection: records or a one-line kg.errors error."""
    parses_or_fails_cleanly(text, layout)


@pytest.mark.parametrize("layout", [None, *LAYOUTS])
@scaled(40)
@given(text=mutated())
def test_mutated_sources_parse_or_fail_cleanly(layout, text):
    """Real tables with lines deleted, duplicated, swapped, cut, full-width digits, insertions."""
    parses_or_fails_cleanly(text, layout)


@scaled(100)
@given(data=st.one_of(st.binary(max_size=400),
                      st.sampled_from([t.encode(enc) for t in TEXTS[1:] for enc in ("utf-8", "gbk", "utf-16")])
                      .flatmap(mutated_bytes)))
def test_random_bytes_in_a_file_parse_or_fail_cleanly(scratch, data):
    """parse_file on any bytes: an InputError (binary, undecodable, empty) or a LayoutError, never another one."""
    path = scratch / "bytes.txt"
    path.write_bytes(data)
    try:
        result = parse_file(path)
    except RespkgError as exc:
        clean_error(exc)
        assert str(path) in str(exc)
    else:
        check_parsed(result, read_source(path)[0])


@scaled(25)
@given(text=st.one_of(mutated(), token_text))
def test_kg_parse_cli_never_shows_a_traceback(scratch, text):
    """`kg parse FILE` on fuzzed input: exit 0 with records, or exit 1 and one `Error: FILE…` line."""
    path = scratch / "cli.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(path)], prog_name="kg")
    assert "Traceback" not in result.output
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    if result.exit_code == 0:
        list(load_jsonl(result.stdout))
    else:
        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {path}"), result.stderr


# --- spreadsheets ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_workbook(scratch) -> bytes:
    from kg.views.sheet import write_xlsx

    path = scratch / "small.xlsx"
    write_xlsx(path, parse_file(TESTS / "data" / "layouts" / "inline_yongchun.txt"))
    return path.read_bytes()


@pytest.fixture(scope="module")
def small_csv(scratch) -> bytes:
    from kg.views.sheet import write_csv

    path = scratch / "small.csv"
    write_csv(path, parse_file(TESTS / "data" / "layouts" / "inline_yongchun.txt").tasks)
    return path.read_bytes()


def sheet_parses_or_fails_cleanly(path: Path) -> None:
    try:
        result = parse_file(path)
    except RespkgError as exc:
        clean_error(exc)
        assert str(path) in str(exc)
    else:
        assert list(load_jsonl(dump_jsonl(result.tasks))) == list(result.tasks)


cell = st.one_of(st.none(), st.integers(-5, 10**12), st.floats(allow_nan=True), st.booleans(),
                 st.sampled_from(TOKENS), st.text(max_size=12), token_text.map(lambda s: s[:60]))
header_names = st.lists(st.sampled_from([n for names in COLUMNS.values() for n in names] + ["", "备注", "序 号"]),
                        min_size=1, max_size=8)


@scaled(100)
@given(header=header_names, rows=st.lists(st.lists(cell, max_size=9), max_size=12),
       title=st.lists(st.text(max_size=20), max_size=2), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_random_csv_sheets_parse_or_fail_cleanly(scratch, header, rows, title, encoding):
    """CSV sheets with recognised column names in random order and random cells."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for t in title:
        writer.writerow([t])
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    path = scratch / "fuzz.csv"
    path.write_bytes(buf.getvalue().encode(encoding, "replace"))
    sheet_parses_or_fails_cleanly(path)


@scaled(100)
@given(data=st.data())
def test_mutated_csv_bytes_parse_or_fail_cleanly(scratch, small_csv, data):
    """The bytes of a real CSV export, mutated."""
    path = scratch / "bytes.csv"
    path.write_bytes(data.draw(mutated_bytes(small_csv)))
    sheet_parses_or_fails_cleanly(path)


@scaled(60)
@given(data=st.data())
def test_mutated_xlsx_parse_or_fail_cleanly(scratch, small_workbook, data):
    """A real workbook's bytes mutated, or one XML part of it mutated or missing inside an intact zip."""
    path = scratch / "fuzz.xlsx"
    if data.draw(st.booleans()):
        path.write_bytes(data.draw(mutated_bytes(small_workbook)))
    else:
        src = zipfile.ZipFile(io.BytesIO(small_workbook))
        victim = data.draw(st.sampled_from(src.namelist()))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for name in src.namelist():
                part = src.read(name)
                if name == victim:
                    if data.draw(st.booleans()):
                        continue
                    part = data.draw(mutated_bytes(part))
                dst.writestr(name, part)
        path.write_bytes(out.getvalue())
    sheet_parses_or_fails_cleanly(path)


@scaled(30)
@given(header=header_names, rows=st.lists(st.lists(cell, max_size=8), max_size=10),
       merges=st.lists(st.tuples(st.integers(1, 14), st.integers(1, 9), st.integers(0, 4), st.integers(0, 2)),
                       max_size=4))
def test_random_workbooks_parse_or_fail_cleanly(scratch, header, rows, merges):
    """Valid workbooks with random cells and merged ranges (carried down the first column)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:  # control characters cannot be stored in a workbook at all
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    taken: set[tuple[int, int]] = set()
    for r, c, dr, dc in merges:
        cells = {(r + i, c + j) for i in range(dr + 1) for j in range(dc + 1)}
        if cells & taken or (dr, dc) == (0, 0):
            continue
        taken |= cells
        ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
    path = scratch / "random.xlsx"
    wb.save(path)
    sheet_parses_or_fails_cleanly(path)


# --- records ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_objects() -> list[dict]:
    return [to_json(t) for t in parse_file(default_source()).tasks[:20]]


json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                       max_size=3), max_leaves=8)


@st.composite
def mutated_record(draw, objects):
    """A real record with keys deleted or replaced by random JSON, at the top or inside units/source."""
    obj = json.loads(json.dumps(draw(st.sampled_from(objects))))
    for _ in range(draw(st.integers(1, 4))):
        target = obj
        where = draw(st.sampled_from(["top", "unit", "source"]))
        if where == "unit" and obj.get("units") and isinstance(obj["units"], list) and \
                isinstance(obj["units"][0], dict):
            target = obj["units"][0]
        elif where == "source" and isinstance(obj.get("source"), dict):
            target = obj["source"]
        if not target:
            continue
        key = draw(st.sampled_from(sorted(target)))
        if draw(st.booleans()):
            del target[key]
        else:
            target[key] = draw(json_value)
    return obj


@scaled(150)
@given(data=st.data())
def test_records_reader_accepts_or_names_the_line(seed_objects, data):
    """load_jsonl on random text, random JSON and mutated real records: Tasks, or a RecordError naming line."""
    kind = data.draw(st.sampled_from(["text", "json", "record"]))
    if kind == "text":
        text = data.draw(st.text(max_size=200))
    elif kind == "json":
        text = json.dumps(data.draw(json_value), ensure_ascii=data.draw(st.booleans()))
    else:
        lines = [json.dumps(data.draw(mutated_record(seed_objects)), ensure_ascii=False)
                 for _ in range(data.draw(st.integers(1, 3)))]
        text = "\n".join(lines)
    try:
        tasks = list(load_jsonl(text, "fuzz.jsonl"))
    except RecordError as exc:
        clean_error(exc)
        assert str(exc).startswith("fuzz.jsonl:")
    else:
        assert list(load_jsonl(dump_jsonl(tasks))) == tasks


def test_records_reader_on_deeply_nested_json():
    """JSON nested deeper than Python's recursion limit is a RecordError, not a RecursionError."""
    with pytest.raises(RecordError, match="fuzz.jsonl:2: .*nested too deeply"):
        list(load_jsonl("\n" + "[" * 100000 + "]" * 100000, "fuzz.jsonl"))


@scaled(100)
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40),
       sep=st.sampled_from(["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c", "\r"]))
def test_records_round_trip_texts_with_unicode_line_separators(seed_objects, text, sep):
    """Task texts holding characters str.splitlines breaks at (U+2028, U+0085, …) survive dump → load."""
    [task] = load_jsonl(json.dumps(seed_objects[0], ensure_ascii=False))
    task = type(task)(**{**task.__dict__, "text": text + sep + text})
    assert list(load_jsonl(dump_jsonl([task]))) == [task]


# --- kg query parameters ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def query_store(scratch):
    """An embedded store of the bundled table, its fingerprint, and the records it was built from.

    The last test of the file checks that the store holds exactly the quads it held at first.
    """
    from kg.build import build
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(scratch / "store")
    build(None, store)
    QUADS_AT_START[:] = sorted(map(str, store.ox()))
    return store, fingerprint(store), parse_file(default_source()).tasks


QUADS_AT_START: list[str] = []


def fingerprint(store) -> tuple:
    """Cheap to take after every example: the live version and its number of quads."""
    return store.current.resolve().name, len(store.ox())


value = st.one_of(st.sampled_from(INJECTIONS), st.text(max_size=30),
                  st.lists(st.sampled_from(INJECTIONS + ["工信局", "人才", "李自力"]), min_size=2, max_size=4).map("".join))
PARAM_QUERIES = [(q.name, p.name, p.kind) for q in named_queries().values() for p in q.params]


@scaled(60)
@given(word=value)
def test_text_parameter_is_a_plain_literal(query_store, word):
    """A text parameter is bound as the literal given: tasks-mentioning finds exactly the tasks whose
    text contains it (computed from the records), and a bound variable reads back unchanged."""
    store, _, tasks = query_store
    nq = find_named("tasks-mentioning")
    bindings = resolve_params(store, nq, {"word": word})
    assert bindings == {"word": Literal(word)}
    found = {int(row[0]) for row in run(store, nq.text, bindings).rows}
    assert found == {t.no for t in tasks if word in t.text and t.leads}
    echoed = run(store, "SELECT ?v WHERE { }", {"v": Literal(word)}).rows
    assert [str(r[0]) for r in echoed] == [word]


#: A good value for the parameters not under test, by kind.
OTHER = {"unit": "工信局", "date": "2021-09-30"}


@scaled(50)
@given(which=st.sampled_from(PARAM_QUERIES), v=value)
def test_any_parameter_value_is_bound_or_refused(query_store, which, v):
    """Every named query's parameters take any value: bound, or a one-line QueryError; the store is unchanged."""
    store, quads, _ = query_store
    name, param, kind = which
    nq = find_named(name)
    given_ = {p.name: OTHER.get(p.kind, "1") for p in nq.params}
    given_[param] = v
    try:
        run(store, nq.text, resolve_params(store, nq, given_))
    except QueryError as exc:
        clean_error(exc)
        if kind not in ("text", "int", "date"):  # a name not in the graph
            assert str(exc).startswith("no ") and " named " in str(exc), str(exc)
    assert fingerprint(store) == quads


@scaled(20)
@given(name_param=st.sampled_from(PARAM_QUERIES), v=value)
def test_kg_query_cli_with_any_parameter(query_store, name_param, v):
    """`kg query --name NAME --param K=V`: exit 0 with rows, or exit 1 with one `Error:` line; store unchanged."""
    store, quads, _ = query_store
    name, param, kind = name_param
    nq = find_named(name)
    args = ["query", "--store-dir", str(store.path), "--name", name, "--format", "json"]
    for p in nq.params:
        args += ["--param", f"{p.name}={v if p.name == param else OTHER.get(p.kind, '1')}"]
    result = CliRunner().invoke(main, args, prog_name="kg")
    assert "Traceback" not in result.output
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout), list)
    else:
        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert fingerprint(store) == quads


@pytest.mark.parametrize("v", INJECTIONS)
def test_injection_in_a_unit_name_finds_no_unit(query_store, v):
    """`--param unit='x" } ; DROP ALL ; { "'` names no unit (unless it is one) and changes nothing."""
    store, quads, _ = query_store
    result = CliRunner().invoke(main, ["query", "--store-dir", str(store.path), "--name", "tasks-led-by",
                                       "--param", f"unit={v}"], prog_name="kg")
    if v == "工信局":
        assert result.exit_code == 0
    else:
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"Error: no unit named {v!r}"), result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert fingerprint(store) == quads


@pytest.mark.parametrize("args", [
    ["--name", "tasks-mentioning", "--param", "word=\udcff"],
    ["--name", "tasks-led-by", "--param", "unit=\udcff工信局"],
    ["SELECT * WHERE { ?s ?p \"\udcff\" }"],
])
def test_undecodable_command_line_bytes_are_a_clean_error(query_store, args):
    """Bytes that are not UTF-8 reach Python as lone surrogates; the store would raise UnicodeEncodeError."""
    store, quads, _ = query_store
    result = CliRunner().invoke(main, ["query", "--store-dir", str(store.path), *args], prog_name="kg")
    assert result.exit_code == 1, (result.output, result.exception)
    assert "not UTF-8 text" in result.stderr and len(result.stderr.splitlines()) == 1



def test_store_holds_the_same_quads_after_all_the_queries(query_store):
    """After every fuzzed query above, the store's quads are exactly those it was built with."""
    store, _, _ = query_store
    assert QUADS_AT_START and sorted(map(str, store.ox())) == QUADS_AT_START
