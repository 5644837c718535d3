"""Legacy and OpenDocument Office files through LibreOffice, headless, isolated.

``.doc`` ``.wps`` ``.rtf`` ``.odt`` are converted to ``.docx`` and read by :mod:`kg.parse.docx`;
``.ods`` (and any ``.xls``/``.et`` python-calamine cannot read) is converted to ``.xlsx`` and
read by :func:`kg.parse.sheet.read_workbook` (a merged range repeats its text in every cell it covers),
so the one table reader treats them like any other table. LibreOffice is the converter
planners themselves have.

``.xls`` and ``.et`` (BIFF8, as Excel and WPS save them) are read directly by python-calamine
(:func:`read_xls`): the same cells, merged ranges included, in about a millisecond for a
170-row table against two to three seconds through LibreOffice. calamine gives no merged
ranges for ``.ods``, so ``.ods`` goes through LibreOffice.

Each conversion runs as ``soffice --headless --convert-to …`` in a throwaway folder with:

- its own throwaway profile (``-env:UserInstallation``), whose ``registrymodifications.xcu``
  (:data:`PROFILE`) disables macros (``DisableMacrosExecution``, ``MacroSecurityLevel`` 3 =
  very high), never updates links when loading (Writer ``Content/Update/Link`` 0 = never,
  Calc 1 = never), blocks untrusted referer links and sends any fetch to a proxy that
  does not exist (``127.0.0.1:9``);
- no network at all where the system allows it: the process runs in an empty network
  namespace (``unshare -rn``), where even loopback is down;
- a time limit (:data:`TIMEOUT`, ``RESPKG_OFFICE_TIMEOUT`` seconds; the whole process
  group is killed) and an address-space limit (:data:`MEMORY`, ``RLIMIT_AS``).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from kg.errors import InputError
from kg.parse.document import Document, Table
from kg.parse.safety import check_size
from kg.parse.sheet import cell_text, read_workbook

__all__ = ["WRITER", "CALC", "INSTALL", "TIMEOUT", "MEMORY", "PROFILE", "convert", "read_office", "read_xls"]

WRITER = {"doc", "wps", "rtf", "odt", "wpt", "dot"}
CALC = {"xls", "et", "ods", "ett", "xlt"}
INSTALL = "apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui"
TIMEOUT = float(os.environ.get("RESPKG_OFFICE_TIMEOUT", "120"))
MEMORY = 3 * 1024**3  # LibreOffice maps ~1 GB at start; a conversion of a large table stays under 2 GB
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Field" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetNoProxy" oor:op="fuse"><value></value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseSystemFileDialog" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def read_office(path: Path, kind: str) -> Document:
    """The Document of a legacy or OpenDocument Office file (``kind`` is its format, e.g. "doc", "xls")."""
    check_size(path)
    with tempfile.TemporaryDirectory(prefix="respkg-office-") as tmp:
        target = "xlsx" if kind in CALC else "docx"
        (converted,) = convert([path], target, Path(tmp))
        if target == "docx":
            from kg.parse.docx import read_docx

            document = read_docx(converted, path.name, kind)
        else:
            document = read_workbook(converted, path.name, kind)
    document.notes.insert(0, f"converted from .{kind} to .{target} by LibreOffice")
    return document


def convert(paths: list[Path], target: str, outdir: Path, timeout: float | None = None,
            isolate_network: bool = True) -> list[Path]:
    """Convert files to ``target`` ("docx", "xlsx", "pdf", "doc", … or "ext:Filter:{options}") in ONE soffice run;
    the converted paths.

    ``isolate_network=False`` keeps the host's network (the profile's settings still apply);
    the hostile-document tests use it to prove those settings alone send nothing out.
    """
    if len({p.stem for p in paths}) < len(paths):
        raise ValueError("files converted in one run need different names: their outputs would collide")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    names = ", ".join(p.name for p in paths)
    if soffice is None:
        kinds = "/".join(sorted({"." + p.suffix.lower().lstrip(".") for p in paths}))
        raise InputError(f"{names}: reading {kinds} files needs LibreOffice: {INSTALL}")
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=outdir))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    out = outdir / "out"
    out.mkdir(exist_ok=True)
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
               "--nolockcheck", "--nologo", "--nodefault", "--nofirststartwizard",
               "--convert-to", target, "--outdir", str(out.resolve()), *(str(p.resolve()) for p in paths)]
    if isolate_network and _can_unshare():
        command = ["unshare", "-rn", *command]
    limit = TIMEOUT if timeout is None else timeout
    env = {**os.environ, "HOME": str(profile), "SAL_USE_VCLPLUGIN": "svp",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "no_proxy": ""}
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=outdir,
                                   start_new_session=True, preexec_fn=_limit_memory)
    except OSError as exc:
        raise InputError(f"{names}: LibreOffice cannot be started ({exc}); reinstall it: {INSTALL}") from None
    try:
        _, err = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise InputError(f"{names}: LibreOffice did not finish converting within {limit:g} s; "
                         "the file may be damaged or far too large (RESPKG_OFFICE_TIMEOUT sets the limit)") from None
    finally:
        _kill(process)
    converted = []
    for path in paths:
        result = out / f"{path.stem}.{target.split(':', 1)[0]}"  # "pdf:writer_pdf_Export:{…}" writes a .pdf
        if not result.exists() or result.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()
            raise InputError(f"{path.name}: LibreOffice could not convert this file to .{target} (damaged, "
                             f"password-protected or not an Office file){': ' + detail[-1] if detail else ''}")
        converted.append(result)
    return converted


def _limit_memory() -> None:
    """In the child: cap its address space, so a hostile file cannot take the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _kill(process: subprocess.Popen) -> None:
    """Kill the conversion's whole process group (soffice starts soffice.bin as a child)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


_UNSHARE: list[bool] = []


def _can_unshare() -> bool:
    """Whether this system lets an unprivileged process run in an empty network namespace (checked once)."""
    if not _UNSHARE:
        ok = shutil.which("unshare") is not None
        if ok:
            try:
                ok = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10).returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                ok = False
        _UNSHARE.append(ok)
    return _UNSHARE[0]


def read_xls(path: Path, kind: str) -> Document:
    """A BIFF ``.xls``/``.et`` workbook read directly by python-calamine; through LibreOffice if calamine cannot."""
    import python_calamine

    check_size(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        tables = []
        for index in range(len(book.sheet_names)):
            sheet = book.get_sheet_by_index(index)
            grid = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]  # from A1
            merges = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
            if (table := _table(grid, merges)) is not None:
                tables.append(table)
    except python_calamine.PasswordError:
        raise InputError(f"{path}: this workbook is password-protected; open it, remove the password and save it "
                         "again") from None
    except BaseException as exc:  # calamine's errors, and a Rust panic (a BaseException) on a damaged file
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        document = read_office(path, kind)
        document.notes.append(f"python-calamine could not read it ({type(exc).__name__}), LibreOffice did")
        return document
    return Document(path.name, tables, kind)


def _table(grid: list[list[str]], merges: list[tuple[int, int, int, int]]) -> Table | None:
    """A sheet's Table: each merged range (1-based, inclusive) repeats its first cell; empty rows left out,
    every row as wide as the widest."""
    for min_row, min_col, max_row, max_col in merges:
        if min_row - 1 >= len(grid) or min_col - 1 >= len(grid[min_row - 1]):
            continue
        text = grid[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(grid))):
            for c in range(min_col - 1, min(max_col, len(grid[r]))):
                grid[r][c] = text
    rows = [row for row in grid if any(row)]
    width = max((len(_trimmed(row)) for row in rows), default=0)
    # A sheet's row is never cut short: an empty last cell (no 分管市领导) is a cell, not a
    # missing one the table reader would take for a document cut off inside its last row.
    return Table(tuple(tuple(row[:width] + [""] * (width - len(row))) for row in rows)) if rows else None


def _trimmed(row: list[str]) -> list[str]:
    """A row without its trailing empty cells."""
    while row and not row[-1]:
        row = row[:-1]
    return row
