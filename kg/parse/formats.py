"""Which format a file is in, by its content, and the reader that turns it into a Document.

:func:`read_document` looks at the bytes, not only the name — planners' attachments are
often misnamed (a ``.xls`` that is an HTML table, a ``.doc`` that is really ``.docx``):

=====================================  ============================================
content                                read by
=====================================  ============================================
zip with ``word/document.xml``         :mod:`kg.parse.docx`
zip with ``xl/workbook.xml``           ``None`` (the sheet reader) if named ``.xlsx``/``.xlsm``,
                                       else :func:`kg.parse.sheet.read_workbook`
zip with an OpenDocument ``mimetype``  :mod:`kg.parse.office` (LibreOffice)
OLE container (``.doc .wps``)           :mod:`kg.parse.office` (LibreOffice)
OLE container (``.xls .et``)            :func:`kg.parse.office.read_xls` (python-calamine)
``{\\rtf``                              :mod:`kg.parse.office` (LibreOffice)
``%PDF-``                              :mod:`kg.parse.pdf`
MIME ``multipart/related``             :func:`kg.parse.html.read_mhtml`
``<!DOCTYPE html``, ``<html``, …       :mod:`kg.parse.html`
anything else                          ``None``: plain text or ``.csv``, read elsewhere
=====================================  ============================================

Every file first passes :func:`kg.parse.safety.check_size`, every zip
:func:`kg.parse.safety.check_zip`; whatever cannot be read is an :class:`InputError`
naming the file and what was expected.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from kg.errors import InputError
from kg.parse.document import Document
from kg.parse.safety import check_size, check_zip

__all__ = ["read_document", "sniff"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SHEET_SUFFIXES = {".xlsx", ".xlsm"}
_HTML_START = re.compile(rb"^(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_HTML_ANYWHERE = re.compile(rb"<(html|body|table|tr|td)[\s>]", re.IGNORECASE)
_ODF = {b"application/vnd.oasis.opendocument.text": "odt", b"application/vnd.oasis.opendocument.spreadsheet": "ods",
        b"application/vnd.oasis.opendocument.text-template": "odt",
        b"application/vnd.oasis.opendocument.spreadsheet-template": "ods"}


def read_document(path: Path) -> Document | None:
    """The Document of a Word/PDF/HTML/legacy-Office file, detected by content (magic bytes, zip members, OLE,
    %PDF, <html…), not only the extension; None for a plain text file or an .xlsx/.csv (read elsewhere)."""
    path = Path(path)
    kind = sniff(path)
    if kind is None:
        return None
    document = _read(path, kind)
    document.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()  # the source's digest, as records cite it
    return document


def _read(path: Path, kind: str) -> Document:
    """The Document of a file of a known kind, by that kind's reader."""
    if kind == "docx":
        from kg.parse.docx import read_docx

        return read_docx(path)
    if kind == "workbook":
        from kg.parse.sheet import read_workbook

        return read_workbook(path, path.name, "xlsx")
    if kind == "pdf":
        from kg.parse.pdf import read_pdf

        return read_pdf(path)
    if kind in ("html", "mhtml"):
        from kg.parse import html

        return html.read_html(path) if kind == "html" else html.read_mhtml(path)
    from kg.parse.office import read_office, read_xls

    return read_xls(path, kind) if kind in ("xls", "et") else read_office(path, kind)


def sniff(path: Path) -> str | None:
    """The format of a file by its content: "docx", "workbook", "pdf", "html", "mhtml", an Office kind
    ("doc", "wps", "xls", "et", "odt", "ods", "rtf"), or None (text, csv, or an .xlsx for the sheet reader)."""
    check_size(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        raise InputError(f"{path}: cannot read this file ({exc.strerror or exc})") from None
    suffix = path.suffix.lower()
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path, suffix)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path, suffix)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if re.search(rb"^mime-version\s*:", stripped[:2048], re.IGNORECASE | re.MULTILINE) and \
            re.search(rb"multipart/related", head, re.IGNORECASE):
        return "mhtml"
    if suffix in (".mht", ".mhtml"):
        return "mhtml"
    if _HTML_START.match(_ascii_view(stripped)):
        return "html"
    if suffix in (".html", ".htm", ".xhtml", ".shtml", ".xls", ".doc") and _HTML_ANYWHERE.search(_ascii_view(head)):
        return "html"  # a page saved as .doc/.xls by a web system is still a page
    return None


def _ascii_view(data: bytes) -> bytes:
    """The bytes with UTF-16 NULs removed, so a UTF-16 page's tags are seen too."""
    return data.replace(b"\x00", b"") if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[1:2] == b"\x00" else data


def _zip_kind(path: Path, suffix: str) -> str | None:
    """The Office format of a zip container, after the safety checks; an error for a zip that is none."""
    names = set(check_zip(path))
    if "word/document.xml" in names or any(n.endswith("/document.xml") and n.startswith("word") for n in names):
        return "docx"
    if "xl/workbook.xml" in names:
        return None if suffix in _SHEET_SUFFIXES else "workbook"
    if "mimetype" in names:
        import zipfile

        with zipfile.ZipFile(path) as archive:
            mimetype = archive.read("mimetype").strip()
        if mimetype in _ODF:
            return _ODF[mimetype]
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "docx"
    raise InputError(f"{path}: this is a zip archive but no Word (.docx), Excel (.xlsx) or OpenDocument "
                     "(.odt/.ods) file; expected a decomposition document")


def _ole_kind(path: Path, suffix: str) -> str:
    """The legacy Office format of an OLE container; an error if it is encrypted or no Word/Excel file."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError… on a damaged header
        raise InputError(f"{path}: this Office file is damaged (its OLE container cannot be read: {exc})") from None
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise InputError(f"{path}: this Office file is password-protected; open it, remove the password "
                         "(File → Info → Protect Document) and save it again")
    if "WordDocument" in streams:
        return "wps" if suffix == ".wps" else "doc"
    if "Workbook" in streams or "Book" in streams:
        return "et" if suffix == ".et" else "xls"
    if "PowerPoint Document" in streams:
        raise InputError(f"{path}: this is a PowerPoint file; expected a Word or Excel decomposition")
    raise InputError(f"{path}: this OLE container is no Word or Excel file (it holds "
                     f"{', '.join(sorted(streams)[:5]) or 'nothing'}); expected a decomposition document")
