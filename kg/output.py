"""Writing output files atomically (a failed run leaves no half-written file), and text cells
that spreadsheet programs show as text.

Output goes to a temporary file in the target's folder, is flushed to disk and then
renamed over the target, so readers see the old file or the new one, never a mix. The
file gets the usual permissions (0666 less the umask), not the temporary file's 0600.

Text from documents that goes into a CSV cell is quoted when Excel or WPS would take it
for a formula (:func:`quote_cell`, the OWASP advice against CSV injection), and the
readers of CSV files undo exactly that quote (:func:`unquote_cell`); both live here, below
the writers and the readers alike.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import IO, Callable

from kg.errors import RespkgError

__all__ = ["write_atomic", "write_atomic_with", "OutputError", "FORMULA_START", "is_formula_like", "quote_cell",
           "unquote_cell"]

#: The first characters that make a spreadsheet program evaluate a cell (OWASP, CSV injection).
FORMULA_START = "=+-@\t\r"
# A quote is added before any run of quotes that ends in one of them, so that text which
# itself begins with `'=` keeps its quote through a round trip: adding and removing are inverses.
_QUOTED = re.compile(r"'*[" + re.escape(FORMULA_START) + "]")
_ADDED = re.compile(r"'+[" + re.escape(FORMULA_START) + "]")


class OutputError(RespkgError):
    """An output file cannot be written."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic_with(path: str | Path, write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write`` with a binary file that becomes ``path`` only once it is complete."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException:
        os.unlink(tmp)
        raise


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically."""
    write_atomic_with(path, lambda fh: fh.write(text.encode("utf-8")))


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet program would evaluate (``=HYPERLINK(…)``, ``+1``, ``-1``, ``@SUM``)."""
    return bool(text) and text[0] in FORMULA_START


def quote_cell(value):
    """A CSV cell's value, with a ``'`` before text that starts (after any quotes) with one of
    FORMULA_START, so Excel and WPS show it as text; anything else unchanged."""
    if isinstance(value, str) and _QUOTED.match(value):
        return "'" + value
    return value


def unquote_cell(text: str) -> str:
    """The text :func:`quote_cell` was given: one leading ``'`` removed where it added one."""
    return text[1:] if _ADDED.match(text) else text
