"""Reading a source file as text: encodings, byte-order marks, line endings.

PDF extractions reach planners as UTF-8 (with or without a BOM), as GBK/GB18030 from
older Windows tools, and with CRLF line endings; all of them read to the same lines.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.errors import InputError

__all__ = ["read_source", "read_bytes", "decode"]

ENCODINGS = ("utf-8-sig", "gb18030")


def read_bytes(path: str | Path, expected: str) -> bytes:
    """A source file's bytes; InputError for a missing, unreadable or empty file or a folder.

    ``expected`` names what the file should be (`a text file`, `a spreadsheet`) in messages.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected {expected}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return raw


def decode(raw: bytes, path: str | Path) -> str:
    """Bytes as text: UTF-8 (a BOM stripped), else GB18030 (a superset of GBK)."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not UTF-8 or GBK/GB18030 text")


def read_source(path: str | Path) -> tuple[str, str]:
    """The text of a source file with universal newlines, and the SHA-256 of its bytes.

    Tries UTF-8 (BOM stripped), then GB18030 (a superset of GBK). Raises InputError for a
    missing, unreadable, empty or undecodable file, or one that is binary.
    """
    path = Path(path)
    raw = read_bytes(path, "a text file")
    if b"\x00" in raw:
        raise InputError(f"{path}: binary data (NUL bytes), expected UTF-8 or GBK text")
    text = decode(raw, path)
    if not text.strip():  # str.strip also removes full-width spaces; the BOM is gone already
        raise InputError(f"{path}: the file is empty, expected the text of a responsibility table")
    return text.replace("\r\n", "\n").replace("\r", "\n"), hashlib.sha256(raw).hexdigest()
