"""Faults: nasty input files, builds killed at random points, a full disk.

- The corpus in tests/data/bad/ (see its README.md), plus a 5 MB single line made here, goes
  through `kg parse` and `kg build --store memory`, both in-process (CliRunner) and as a
  real `python3 -m kg` subprocess: bad files give exit 1 and one `Error: FILE[:LINE]: …`
  line, valid ones the records expected.
- `python3 -m kg build` is SIGKILLed at delays spread over its measured duration; the store
  must then hold exactly the old graph or exactly the new one, and the next build works.
  ``RESPKG_KILL_RUNS`` sets the number of kills (default 6).
- A full disk — a small tmpfs when the test runs as root and can mount one, else (and
  always, too) a file-size limit (RLIMIT_FSIZE) on the subprocess — gives a clear error and
  leaves the old store, and the old file under `kg export -o` / `kg explore -o`, intact.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import store_quads
from kg.build import build
from kg.cli import main
from kg.parse import parse_file
from kg.records import load_jsonl, to_json
from kg.store.embedded import OxigraphStore

TESTS = Path(__file__).parent
ROOT = TESTS.parent
BAD = TESTS / "data" / "bad"
LAYOUTS = TESTS / "data" / "layouts"
OLD_SOURCE = LAYOUTS / "inline_yongchun.txt"  # the store's graph before the build under test
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
KILL_RUNS = int(os.environ.get("RESPKG_KILL_RUNS", "6"))


def kg(*args, timeout: float = 300, preexec_fn=None, cwd=None) -> subprocess.CompletedProcess:
    """`python3 -m kg ARGS…` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=ENV, preexec_fn=preexec_fn, cwd=cwd)


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kg")


def one_error_line(stderr: str, *fragments: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    return lines[0]


def records_without_file(tasks) -> list[dict]:
    out = []
    for t in tasks:
        obj = to_json(t)
        del obj["source"]["file"]
        out.append(obj)
    return out


# --- the corpus of nasty files ---------------------------------------------------------------

#: file → (exit code, fragments of the error line); the path itself is checked separately.
BAD_FILES = {
    "binary_junk.bin": ["binary data (NUL bytes)"],
    "undecodable.txt": ["not UTF-8 or GBK/GB18030 text"],
    "truncated_mid_row.txt": [":265: ", "the file ends inside task 9"],
    "duplicated_page.txt": [":466: ", "the numbering breaks off: expected task 17, found 9"],
    "not_a_workbook.xlsx": ["this Office file is damaged", "zip container"],
    "truncated_workbook.xlsx": ["this Office file is damaged", "zip container"],
}
GOOD_FILES = ["gbk_inline.txt", "fullwidth_numbers.txt", "forty_units.txt"]


def test_corpus_readme_lists_every_file():
    """tests/data/bad/README.md names each file of the corpus, and each file has a test here."""
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in BAD.iterdir() if p.name != "README.md")
    assert files == sorted([*BAD_FILES, *GOOD_FILES])
    for name in files:
        assert f"`{name}`" in readme, name


def expected_records(name: str) -> list[dict]:
    """What a valid file of the corpus must parse to."""
    if name in ("gbk_inline.txt", "fullwidth_numbers.txt"):  # the same notice as inline_yongchun.txt
        return records_without_file(parse_file(OLD_SOURCE).tasks)
    raise KeyError(name)


def check_good_output(name: str, stdout: str) -> None:
    tasks = list(load_jsonl(stdout))
    if name == "forty_units.txt":
        assert [t.no for t in tasks] == [1, 2]
        units = tasks[0].units
        assert len(units) == 40 and [u.role for u in units] == ["lead"] + ["support"] * 39
        assert units[0].name == "县甲局" and units[-1].name == "县第30办"
        assert tasks[0].due is not None and tasks[0].due.date == "2021-12-31"
    else:
        assert records_without_file(tasks) == expected_records(name)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
@pytest.mark.parametrize("command", ["parse", "build"])
def test_bad_file_in_process(name, command):
    """CliRunner: exit 1 and one `Error: PATH[:LINE]: …` line naming what was expected, no traceback."""
    path = BAD / name
    args = ["parse", path] if command == "parse" else ["build", "--store", "memory", path]
    result = invoke(*args)
    assert result.exit_code == 1, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    one_error_line(result.stderr, f"Error: {path}", *BAD_FILES[name])


@pytest.mark.parametrize("name", sorted(BAD_FILES))
@pytest.mark.parametrize("command", ["parse", "build"])
def test_bad_file_in_a_subprocess(tmp_path, name, command):
    """`python3 -m kg parse|build --store memory FILE`: exit 1 and the same one-line error."""
    path = BAD / name
    args = ["parse", path] if command == "parse" else ["build", "--store", "memory", path]
    proc = kg(*args, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    one_error_line(proc.stderr, f"Error: {path}", *BAD_FILES[name])


@pytest.mark.parametrize("name", GOOD_FILES)
def test_valid_nasty_file_parses_in_process_and_in_a_subprocess(tmp_path, name):
    """GBK text, full-width task numbers and a row of 40 units parse to the records expected, and build."""
    path = BAD / name
    result = invoke("parse", path)
    assert result.exit_code == 0, result.output
    check_good_output(name, result.stdout)
    proc = kg("parse", path, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == result.stdout
    ntasks = len(result.stdout.splitlines())
    built = invoke("build", "--store", "memory", path)
    assert built.exit_code == 0, built.output
    assert f"({ntasks} tasks)" in built.stdout
    proc = kg("build", "--store", "memory", path, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"({ntasks} tasks)" in proc.stdout


@pytest.fixture(scope="module")
def five_mb_line(tmp_path_factory) -> Path:
    """5 MB on one line: inline tasks written one after another without line breaks."""
    path = tmp_path_factory.mktemp("big") / "one_line.txt"
    row = "1.修路。牵头单位：县交通局；配合单位：县财政局。"
    path.write_text((row * (5_000_000 // len(row.encode()) + 1)), encoding="utf-8")
    assert path.stat().st_size >= 5_000_000
    return path


@pytest.mark.parametrize("command", ["parse", "build"])
def test_five_megabyte_single_line(tmp_path, five_mb_line, command):
    """A 5 MB line is refused quickly, naming line 1, with a short message (not the line echoed)."""
    args = ["parse", five_mb_line] if command == "parse" else ["build", "--store", "memory", five_mb_line]
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    message = one_error_line(result.stderr, f"Error: {five_mb_line}:1: ", "characters long: expected the lines of a document")
    assert len(message) < 500
    proc = kg(*args, cwd=tmp_path, timeout=120)
    assert proc.returncode == 1
    assert one_error_line(proc.stderr) == message


# --- killed builds -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def new_graph(tmp_path_factory) -> tuple[frozenset[str], int]:
    """The graph of the bundled table as a complete `kg build` (the command under test) stores it."""
    folder = tmp_path_factory.mktemp("reference") / "store"
    proc = kg("build", "--store-dir", folder)
    assert proc.returncode == 0, proc.stderr
    return store_quads(folder)


def make_old_store(folder: Path) -> tuple[frozenset[str], int]:
    build([OLD_SOURCE], OxigraphStore(folder))
    return store_quads(folder)


def leftovers(folder: Path) -> list[str]:
    """What a store folder holds besides its lock, live version, the previous one and the link."""
    live = os.readlink(folder / "current")
    versions = sorted(p.name for p in folder.glob("v-*"))
    stray = [p.name for p in folder.iterdir() if p.name.startswith(".current-")]
    return stray + ([] if len(versions) <= 2 and live in versions else versions)


def test_killed_build_leaves_the_old_graph_or_the_new_one(tmp_path, new_graph):
    """SIGKILL `kg build` at delays spread over its duration: the store is exactly old or exactly new,
    never a mix, and the next build succeeds and tidies what the killed one left."""
    folder = tmp_path / "store"
    make_old_store(folder)
    t0 = time.monotonic()
    proc = kg("build", "--store-dir", folder)
    duration = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    assert store_quads(folder) == new_graph
    rnd = random.Random(1116)
    outcomes = []
    for i in range(KILL_RUNS):
        old = make_old_store(folder)
        assert old != new_graph
        # half the kills spread over the whole build, half over its end, where the load and the swap are
        half = (KILL_RUNS + 1) // 2
        if i < half:
            delay = duration * (i + rnd.random()) / half
        else:
            delay = duration * (0.7 + 0.5 * (i - half + rnd.random()) / (KILL_RUNS - half))
        child = subprocess.Popen([sys.executable, "-m", "kg", "build", "--store-dir", str(folder)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
        try:
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait(60)
        state = store_quads(folder)
        assert state in (old, new_graph), f"a mix after a kill at {delay:.2f} s of {duration:.2f} s"
        outcomes.append((round(delay, 2), "old" if state == old else "new", child.returncode))
        proc = kg("build", "--store-dir", folder)
        assert proc.returncode == 0, proc.stderr
        assert store_quads(folder) == new_graph
        assert leftovers(folder) == []
    print(f"build takes {duration:.2f} s; kills (delay, store after, exit): {outcomes}")


def test_next_build_removes_what_a_killed_build_left(tmp_path, new_graph):
    """A version folder and a temporary `.current-PID` link of a build killed before its swap go away."""
    folder = tmp_path / "store"
    make_old_store(folder)
    (folder / "v-20200101T000000-99999-1").mkdir()
    (folder / ".current-99999").symlink_to("v-20200101T000000-99999-1")
    (folder / "lock").write_text("kg build (pid 99999)")
    proc = kg("build", "--store-dir", folder)
    assert proc.returncode == 0, proc.stderr
    assert store_quads(folder) == new_graph
    assert leftovers(folder) == []
    assert not (folder / "v-20200101T000000-99999-1").exists()


# --- a full disk ------------------------------------------------------------------------------------

FSIZE_LIMIT = 16 * 1024  # below the old graph's Turtle (some 33 KB) and any store file


def limit_file_size():
    """preexec_fn: files may not grow past FSIZE_LIMIT; a write beyond it fails with EFBIG."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE_LIMIT, FSIZE_LIMIT))


def fsize_limit_works(tmp_path: Path) -> str | None:
    """None if RLIMIT_FSIZE stops a subprocess's write, else why not."""
    probe = tmp_path / "probe"
    try:
        proc = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}, 'wb').write(b'x' * {FSIZE_LIMIT * 2})"],
                              capture_output=True, text=True, preexec_fn=limit_file_size, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"setrlimit(RLIMIT_FSIZE) in a subprocess failed: {exc}"
    probe.unlink(missing_ok=True)
    return None if "File too large" in proc.stderr else f"a write past RLIMIT_FSIZE did not fail: {proc.stderr!r}"


def mount_small_disk(where: Path, size: str = "16m") -> str | None:
    """Mount a tmpfs of `size` at `where`; None if done, else why not."""
    if os.geteuid() != 0:
        return "not root"
    if not shutil.which("mount"):
        return "no mount command"
    where.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True,
                          text=True)
    return None if proc.returncode == 0 else f"mount failed: {proc.stderr.strip()}"


def fill(disk: Path, leave_kib: int) -> None:
    """Fill `disk` with one file so that only about `leave_kib` KiB stay free."""
    (disk / "filler").unlink(missing_ok=True)
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with open(disk / "filler", "wb") as fh:
        os.posix_fallocate(fh.fileno(), 0, max(1, free - leave_kib * 1024))


def full_disk_scenario(disk: Path, preexec_fn, reason: str, new_graph) -> None:
    """On a full `disk`: build, export and explore fail clearly and leave the old store and files intact."""
    folder = disk / "store"
    old = make_old_store(folder)
    live = os.readlink(folder / "current")
    if preexec_fn is None:
        fill(disk, 256)  # room to start a build (lock, a new folder), not to load the graph
    proc = kg("build", "--store-dir", folder, preexec_fn=preexec_fn)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    one_error_line(proc.stderr, f"Error: {folder}: cannot write the store", reason, "the previous graph is unchanged")
    assert store_quads(folder) == old
    assert os.readlink(folder / "current") == live
    assert sorted(p.name for p in folder.glob("v-*")) == [live]
    assert not list(folder.glob(".current-*"))
    for command, name in (("export", "graph.ttl"), ("explore", "explorer.html")):
        target = disk / name
        target.write_text("the previous output\n")
        if preexec_fn is None:
            fill(disk, 8)  # the old graph's export is some 40 KB
        proc = kg(command, "--store-dir", folder, "-o", target, preexec_fn=preexec_fn)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        one_error_line(proc.stderr, f"Error: {target}: cannot write", reason)
        assert target.read_text() == "the previous output\n"
        assert not [p.name for p in disk.iterdir() if p.name.endswith(".tmp")]
    (disk / "filler").unlink(missing_ok=True)
    proc = kg("build", "--store-dir", folder)
    assert proc.returncode == 0, proc.stderr
    assert store_quads(folder) == new_graph


@pytest.mark.parametrize("mechanism", ["tmpfs", "fsize"])
def test_full_disk_leaves_the_old_store_and_files_intact(tmp_path, new_graph, mechanism):
    """A full disk: a 16 MB tmpfs filled up (when root can mount it) or RLIMIT_FSIZE on the subprocess.

    Without a tmpfs the test falls back to the file-size limit (with a warning), never skips;
    it fails, with the reasons, if neither mechanism works here.
    """
    disk = tmp_path / "disk"
    why_not_fsize = fsize_limit_works(tmp_path)
    if mechanism == "tmpfs":
        why_not = mount_small_disk(disk)
        if why_not is None:
            try:
                full_disk_scenario(disk, None, "No space left on device", new_graph)
            finally:
                subprocess.run(["umount", "-l", str(disk)], check=False)
            return
        if why_not_fsize:
            pytest.fail(f"cannot simulate a full disk: no tmpfs ({why_not}) and no file-size limit ({why_not_fsize})")
        warnings.warn(f"no small tmpfs ({why_not}): simulating the full disk with RLIMIT_FSIZE instead")
    elif why_not_fsize:
        pytest.fail(f"cannot simulate a full disk with RLIMIT_FSIZE: {why_not_fsize}")
    disk.mkdir(exist_ok=True)
    full_disk_scenario(disk, limit_file_size, "File too large", new_graph)


def test_quality_on_the_corpus():
    """`kg quality` on the bad files: the same one-line errors (it reads sources like parse)."""
    for name, fragments in BAD_FILES.items():
        result = invoke("quality", BAD / name, "--format", "json")
        assert result.exit_code == 1, (name, result.output)
        one_error_line(result.stderr, f"Error: {BAD / name}", *fragments)
    result = invoke("quality", BAD / "forty_units.txt", "--format", "json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), list)
