"""The `kg` command line: help, output formats, error messages, encodings, atomic output.

Every command is run in-process through click's CliRunner; bad input files are built in
tmp_path from the bundled seed table (kg.resources.default_source(), 173 tasks).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from helpers import assert_clean_error
from kg.cli import main
from kg.records import FLAT_COLUMNS
from kg.resources import default_source

SEED_TASKS = 173
SUBCOMMANDS = sorted(main.commands)
SOURCE_COMMANDS = ["parse", "quality", "run"]  # the commands that read a FILE argument
FINDING_KEYS = {"kind", "severity", "task", "lines", "message", "evidence"}


# --- helpers ---------------------------------------------------------------------------


def invoke(*args):
    """Run `kg ARGS…` in-process; stdout and stderr are kept apart (click 8.2+)."""
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kg")


def ok(*args):
    """Run `kg ARGS…` and insist that it succeeds."""
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result




def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def without_file(records: list[dict]) -> list[dict]:
    """The records with source.file removed (it is the input's base name)."""
    for r in records:
        del r["source"]["file"]
    return records


def task_line_index(lines: list[str], no: int) -> int:
    """0-based index of the line on which task `no` starts (after the first header row)."""
    header = next(i for i, line in enumerate(lines) if "序号" in line)
    pattern = re.compile(rf"^{no}(\s|$)")
    return next(i for i in range(header + 1, len(lines)) if pattern.match(lines[i].strip()))


def tmp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_text() -> str:
    return default_source().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_lines(seed_text) -> list[str]:
    return seed_text.split("\n")


@pytest.fixture(scope="module")
def seed_jsonl() -> str:
    """stdout of `kg parse` on the bundled table."""
    return ok("parse").stdout


@pytest.fixture(scope="module")
def findings() -> list[dict]:
    """`kg quality --format json` on the bundled table."""
    return json.loads(ok("quality", "--format", "json").stdout)


# --- 1. version and help ---------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag):
    assert ok(flag).stdout == f"kg, version {kg.__version__}\n"


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("command", [None, *SUBCOMMANDS])
def test_help_on_group_and_every_subcommand(command, flag):
    args = [flag] if command is None else [command, flag]
    result = ok(*args)
    assert result.stdout.startswith(f"Usage: kg{'' if command is None else ' ' + command} ")
    assert "Example:" in result.stdout
    assert "-h, --help" in result.stdout


def test_group_help_lists_every_subcommand():
    out = ok("--help").stdout
    for command in SUBCOMMANDS:
        assert re.search(rf"^\s+{command}\b", out, re.M), command


def test_subcommands_are_the_expected_ones():
    assert set(SOURCE_COMMANDS) <= set(SUBCOMMANDS)


# --- 2.-4. kg parse --------------------------------------------------------------------


def test_parse_default_is_jsonl_of_the_bundled_table(seed_jsonl):
    lines = seed_jsonl.splitlines()
    assert len(lines) == SEED_TASKS
    records = [json.loads(line) for line in lines]
    assert all(isinstance(r, dict) for r in records)
    assert [r["no"] for r in records] == list(range(1, SEED_TASKS + 1))
    first = records[0]
    assert first["no"] == 1
    assert first["chapter"] == "一、狠抓科技创新"
    assert [(u["name"], u["role"]) for u in first["units"]] == [("科技局", "lead")]
    assert first["units"][0]["heads"] == ["蒋家兴"]
    assert first["supervisors"] == ["庄天怀"]
    assert first["source"]["file"] == default_source().name


def test_parse_keeps_chinese_unescaped(seed_jsonl):
    assert "科技局" in seed_jsonl
    assert "\\u" not in seed_jsonl


def test_parse_writes_nothing_on_stderr():
    assert ok("parse").stderr == ""


def test_parse_csv():
    rows = list(csv.reader(io.StringIO(ok("parse", "--format", "csv").stdout)))
    assert tuple(rows[0]) == FLAT_COLUMNS
    assert len(rows) == 1 + SEED_TASKS
    first = dict(zip(FLAT_COLUMNS, rows[1]))
    assert first["no"] == "1"
    assert first["lead"] == "科技局"
    assert first["heads"] == "科技局: 蒋家兴"


def test_parse_table():
    out = ok("parse", "--format", "table").stdout
    assert "科技局" in out
    assert f"{SEED_TASKS} tasks" in out


def test_parse_unknown_format_is_a_usage_error():
    result = invoke("parse", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_parse_output_file(tmp_path, seed_jsonl):
    out = tmp_path / "tasks.jsonl"
    result = ok("parse", "-o", out)
    assert result.stdout == ""
    assert result.stderr.strip() == f"wrote {out}"
    assert out.read_text(encoding="utf-8") == seed_jsonl
    assert len(out.read_text(encoding="utf-8").splitlines()) == SEED_TASKS
    assert tmp_files(tmp_path) == []


def test_parse_output_dash_is_stdout(seed_jsonl):
    result = ok("parse", "-o", "-")
    assert result.stdout == seed_jsonl
    assert result.stderr == ""


def test_parse_output_into_missing_folder(tmp_path):
    out = tmp_path / "no-such-folder" / "tasks.jsonl"
    assert_clean_error(invoke("parse", "-o", out), "no-such-folder", "does not exist")
    assert not out.parent.exists()


# --- 5. kg quality ---------------------------------------------------------------------


def test_quality_default_is_a_table():
    out = ok("quality").stdout
    assert "head-differs" in out
    assert "蔡东晓" in out  # the slip in task 124 (蒋东晓 elsewhere)


def test_quality_json(findings):
    assert isinstance(findings, list) and findings
    assert all(isinstance(f, dict) and set(f) == FINDING_KEYS for f in findings)
    assert any(f["kind"] == "head-differs" and f["task"] == 124 for f in findings)
    assert any(f["kind"] == "no-supervisor" and f["task"] == 163 for f in findings)


def test_quality_severity_warning_drops_info(findings):
    assert any(f["severity"] == "info" for f in findings)  # else the test proves nothing
    shown = json.loads(ok("quality", "--severity", "warning", "--format", "json").stdout)
    assert shown
    assert all(f["severity"] in ("error", "warning") for f in shown)
    assert len(shown) == sum(f["severity"] != "info" for f in findings)


def test_quality_kind_filter(findings):
    shown = json.loads(ok("quality", "--kind", "rare-spelling", "--format", "json").stdout)
    assert shown
    assert {f["kind"] for f in shown} == {"rare-spelling"}
    assert len(shown) == sum(f["kind"] == "rare-spelling" for f in findings)


def test_quality_kind_is_repeatable():
    shown = json.loads(ok("quality", "--kind", "rare-spelling", "--kind", "head-differs",
                          "--format", "json").stdout)
    assert {f["kind"] for f in shown} == {"rare-spelling", "head-differs"}


def test_quality_unknown_kind_is_a_usage_error():
    assert invoke("quality", "--kind", "no-such-kind").exit_code == 2


def test_quality_markdown():
    out = ok("quality", "--format", "markdown").stdout
    assert out.splitlines()[0].startswith("| severity |")
    assert out.splitlines()[1].startswith("|---|")


# --- 6. kg run -------------------------------------------------------------------------


def test_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # kg run builds the default store .respkg/store here
    result = ok("run")
    assert f"Parsed {SEED_TASKS} tasks" in result.stdout
    assert "Data-quality findings" in result.stdout
    for kind in ("head-differs", "no-supervisor"):
        assert kind in result.stdout
    assert result.stderr == ""


# --- 7. bad input ----------------------------------------------------------------------
# Each builder writes a bad file into tmp_path and returns (path, fragments the message
# must contain). A fragment `{name}:{line}` checks the file:line form.


def _missing(tmp_path, seed_lines):
    return tmp_path / "missing.txt", ["no such file"]


def _empty(tmp_path, seed_lines):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return path, ["empty"]


def _whitespace(tmp_path, seed_lines):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\t\n\r\n   ")
    return path, ["empty"]


def _folder(tmp_path, seed_lines):
    path = tmp_path / "a-folder.txt"
    path.mkdir()
    return path, ["folder"]


def _binary(tmp_path, seed_lines):
    path = tmp_path / "junk.bin"
    path.write_bytes(b"PK\x03\x04\x00\x00\xff\xfe" + bytes(range(256)) * 4)
    return path, ["damaged"]  # it starts as a zip does: read as an Office file that cannot be opened


def _prose(tmp_path, seed_lines):
    path = tmp_path / "prose.txt"
    path.write_text("晋江市人民政府关于印发工作报告的通知。\n\n各镇人民政府、街道办事处：\n"
                    "现将有关事项通知如下，请认真贯彻执行。\n", encoding="utf-8")
    return path, ["no task"]


def _numbering_gap(tmp_path, seed_lines):
    """Tasks 60..100 cut out: the line of task 101 follows task 59."""
    i60, i101 = task_line_index(seed_lines, 60), task_line_index(seed_lines, 101)
    path = tmp_path / "gap.txt"
    path.write_text("\n".join(seed_lines[:i60] + seed_lines[i101:]), encoding="utf-8")
    return path, ["numbering breaks off", "expected task 60", f"{path.name}:{i60 + 1}:"]


def _ends_inside_task(tmp_path, seed_lines):
    """The file stops right after the first line (the text) of task 50."""
    i50 = task_line_index(seed_lines, 50)
    assert seed_lines[i50].startswith("50 ")  # task 50's text is on its number's line
    path = tmp_path / "truncated.txt"
    path.write_text("\n".join(seed_lines[:i50 + 1]) + "\n", encoding="utf-8")
    return path, ["ends inside task 50", f"{path.name}:{i50 + 1}:"]


BAD_INPUTS = [_missing, _empty, _whitespace, _folder, _binary, _prose, _numbering_gap, _ends_inside_task]


@pytest.mark.parametrize("command", SOURCE_COMMANDS)
@pytest.mark.parametrize("make_bad", BAD_INPUTS, ids=lambda f: f.__name__.strip("_"))
def test_bad_input_is_one_clean_error_line(tmp_path, seed_lines, command, make_bad):
    path, fragments = make_bad(tmp_path, seed_lines)
    assert_clean_error(invoke(command, path), path.name, *fragments)


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf  \r\n", "\u3000\u3000\n".encode("gb18030")],
                         ids=["bom", "bom-blanks", "full-width-spaces-gbk"])
def test_bom_only_file_is_reported_empty(tmp_path, content):
    path = tmp_path / "bom-only.txt"
    path.write_bytes(content)
    assert_clean_error(invoke("parse", path), path.name, "empty")


# --- 8. encodings and line endings -----------------------------------------------------


ENCODED = {
    "gbk": lambda text: text.encode("gb18030"),
    "utf8-bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "gbk-crlf": lambda text: text.replace("\n", "\r\n").encode("gb18030"),
}


@pytest.mark.parametrize("variant", ENCODED)
def test_encodings_and_line_endings_give_the_same_records(tmp_path, seed_text, seed_jsonl, variant):
    path = tmp_path / f"seed-{variant}.txt"
    path.write_bytes(ENCODED[variant](seed_text))
    records = jsonl(ok("parse", path).stdout)
    assert {r["source"]["file"] for r in records} == {path.name}
    assert without_file(records) == without_file(jsonl(seed_jsonl))


# --- 9. atomic output ------------------------------------------------------------------


@pytest.mark.parametrize("make_bad", [_empty, _numbering_gap], ids=["empty", "numbering-gap"])
def test_failed_run_leaves_previous_output_untouched(tmp_path, seed_lines, make_bad):
    out = tmp_path / "out.jsonl"
    ok("parse", "-o", out)
    before = out.read_bytes()
    bad, _ = make_bad(tmp_path, seed_lines)
    assert_clean_error(invoke("parse", bad, "-o", out), bad.name)
    assert out.read_bytes() == before
    assert tmp_files(tmp_path) == []


def test_failed_write_leaves_no_temporary_file(tmp_path):
    """OUT is a folder: the rename fails after the temporary file is written."""
    out = tmp_path / "out.jsonl"
    out.mkdir()
    assert_clean_error(invoke("parse", "-o", out), out.name)
    assert out.is_dir() and list(out.iterdir()) == []
    assert tmp_files(tmp_path) == []


def test_quality_output_file(tmp_path):
    out = tmp_path / "quality.md"
    result = ok("quality", "--format", "markdown", "-o", out)
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("| severity |")


# --- 10. another working directory -----------------------------------------------------


def test_bundled_table_is_found_from_another_directory(tmp_path, monkeypatch, seed_jsonl):
    monkeypatch.chdir(tmp_path)
    assert ok("parse").stdout == seed_jsonl
    result = ok("parse", "-o", "tasks.jsonl")  # a bare name writes into the current folder
    assert result.stderr.strip() == "wrote tasks.jsonl"
    assert (tmp_path / "tasks.jsonl").read_text(encoding="utf-8") == seed_jsonl
    assert tmp_files(tmp_path) == []


def test_bundled_table_is_found_from_an_isolated_filesystem(seed_jsonl):
    runner = CliRunner()
    with runner.isolated_filesystem():
        result = runner.invoke(main, ["run"], prog_name="kg")
    assert result.exit_code == 0, result.output
    assert f"Parsed {SEED_TASKS} tasks" in result.stdout
