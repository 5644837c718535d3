"""Limits every format reader applies before it opens a file someone else wrote.

A decomposition comes from a web site or an e-mail: it may be damaged, or made to hurt
the reader. What is checked here, before any parser sees the bytes:

- the file's size (:data:`MAX_FILE_BYTES`, 50 MB; ``RESPKG_MAX_INPUT_MB`` raises it):
  a planner's decomposition is a few hundred KB, and a bigger file is refused with one
  line rather than read for minutes;
- a zip container (``.docx``, ``.xlsx``, ``.odt``, ``.ods``): no member path with ``..``
  or an absolute path, at most :data:`MAX_MEMBERS` members, :data:`MAX_MEMBER_BYTES`
  per member and :data:`MAX_TOTAL_BYTES` in all once expanded, and no large member
  compressed more than :data:`MAX_RATIO` to one (a zip bomb). The sizes are the ones the
  zip declares; Python's :mod:`zipfile` never expands a member past its declared size
  (and fails on a CRC mismatch), so the declared size bounds what a reader gets;
- an XML member that declares a DTD (``<!DOCTYPE``/``<!ENTITY``): Office never writes one,
  and an entity is how XXE and billion-laughs attacks start, so such a file is refused.
  The parsers are safe on their own as well (python-docx's lxml parser has
  ``resolve_entities=False``; openpyxl's has it too and uses defusedxml where installed;
  lxml never reads the network by default) — tests/test_hostile_documents.py proves both.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from pathlib import Path

from kg.errors import InputError

__all__ = ["MAX_FILE_BYTES", "MAX_MEMBERS", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "MAX_RATIO",
           "check_size", "check_zip"]

MAX_FILE_BYTES = int(float(os.environ.get("RESPKG_MAX_INPUT_MB", "50")) * 1024 * 1024)
MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
#: Members smaller than this may compress as well as they like (a sheet of empty styled cells does).
RATIO_FLOOR = 10 * 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_size(path: Path) -> int:
    """The file's size in bytes; an :class:`InputError` if it is missing, empty or over the limit."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read this file ({exc.strerror or exc})") from None
    if size == 0:
        raise InputError(f"{path}: the file is empty; expected a decomposition document")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size / 2**20:.1f} MB is over the {MAX_FILE_BYTES / 2**20:.0f} MB limit for one "
                         "document; a decomposition table is far smaller: remove its images or split it "
                         "(or raise RESPKG_MAX_INPUT_MB)")
    return size


def check_zip(path: Path, kind: str = "Office file") -> list[str]:
    """The member names of a zip container, after refusing unsafe paths, bombs and DTDs."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_members(path, infos, kind)
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")) and not info.is_dir():
                    _check_xml_head(path, archive, info)
            return [i.filename for i in infos]
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError,
            RuntimeError, zlib.error) as exc:  # zlib.error: a member's compressed bytes are damaged
        raise InputError(f"{path}: this {kind} is damaged (its zip container cannot be read: {exc})") from None


def _check_members(path: Path, infos: list[zipfile.ZipInfo], kind: str) -> None:
    """Refuse too many members, unsafe member paths and sizes past the limits."""
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{path}: this {kind} holds {len(infos)} parts, over the limit of {MAX_MEMBERS}")
    total = 0
    for info in infos:
        name = info.filename
        parts = re.split(r"[/\\]", name)
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise InputError(f"{path}: this {kind} has a part named {name!r} that points outside the file; refused")
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(f"{path}: a part of this {kind} ({name}) expands to {info.file_size / 2**20:.0f} MB, "
                             f"over the limit of {MAX_MEMBER_BYTES / 2**20:.0f} MB; refused")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise InputError(f"{path}: a part of this {kind} ({name}) is compressed {ratio:.0f} to 1 "
                             f"(a zip bomb; the limit is {MAX_RATIO}); refused")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"{path}: this {kind} expands to {total / 2**20:.0f} MB, over the limit of "
                         f"{MAX_TOTAL_BYTES / 2**20:.0f} MB; refused")


def _check_xml_head(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse an XML part whose prolog declares a DTD or entities (never written by Office)."""
    with archive.open(info) as member:
        head = member.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if _DTD.search(head):
        raise InputError(f"{path}: the part {info.filename} declares a DTD or entities (<!DOCTYPE/<!ENTITY), "
                         "which Office files never do; refused")
