"""Parsers: source files → task records plus data-quality findings.

:func:`parse_file` reads a source file whatever it arrives as and sends what it holds to
the reader of its kind:

- a spreadsheet (``.xlsx``, ``.csv``) becomes a document of cell tables
  (:mod:`kg.parse.sheet`); a Word, PDF, HTML or legacy Office file becomes one through
  its format reader (:func:`kg.parse.formats.read_document`);
- a document whose tables have a header row goes to the one table reader
  (:mod:`kg.parse.table`); a document without one is read as its text;
- a text whose table arrived as pipe rows or one cell per line
  (:mod:`kg.parse.texttable`) goes to the table reader too; any other text to the text
  readers (:func:`parse_text`): the grid table (:mod:`kg.parse.grid`), or the clause
  reader (:mod:`kg.parse.clauses`) for every other layout, which finds the tasks in their
  outline of headings and items (:mod:`kg.parse.outline`) and reads who is responsible
  from labelled and bracketed clauses wherever they stand.

The format is judged by the file's content first (a ``.xls`` that is a web page is read
as one); what a format reader did to the file (a conversion, rows joined across PDF
pages) is reported as ``document-note`` findings.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import LayoutError
from kg.parse import clauses, texttable
from kg.parse.detect import detect
from kg.parse.document import Document, Paragraph
from kg.parse.formats import read_document
from kg.parse.grid import parse_grid
from kg.parse.progress import is_progress, read_progress
from kg.parse.result import ParseResult, ProgressResult
from kg.parse.sheet import is_sheet, parse_sheet, read_sheet
from kg.parse.table import has_table, read_tables
from kg.parse.text import read_bytes, read_source
from kg.quality import Finding

__all__ = ["parse_file", "read_file", "parse_text", "read_text", "ParseResult", "ProgressResult", "LAYOUTS"]

LAYOUTS = {"grid": parse_grid, clauses.LAYOUT: clauses.parse}


def parse_text(text: str, file: str, layout: str | None = None) -> ParseResult:
    """Parse source text with the given reader (a key of LAYOUTS), or the one the text needs
    (see :mod:`kg.parse.detect`)."""
    return LAYOUTS[layout or detect(text, file)](text, file)


def _text_table(found: texttable.TextTable | None) -> ParseResult | None:
    """The records of a table that arrived in the text (pipe rows, one cell per line), or None."""
    if found is None:
        return None
    try:
        return read_tables(found.document, "table", found.line_of)
    except LayoutError:  # a header and no task under it: the text readers may still read the text
        return None


def parse_file(path: str | Path, layout: str | None = None) -> ParseResult:
    """Read and parse one source file; records name the file by its base name.

    ``layout`` names a text layout to read the file's text in, skipping detection; a
    spreadsheet is only read by its columns.
    """
    return _read(Path(path), layout, progress=False)


def read_file(path: str | Path, layout: str | None = None) -> ParseResult | ProgressResult:
    """A source file as a plan (see :func:`parse_file`) or, where one of its tables has progress
    columns (:mod:`kg.parse.progress`), as a progress source; the file is read once."""
    return _read(Path(path), layout, progress=True)


def _read(path: Path, layout: str | None, progress: bool) -> ParseResult | ProgressResult:
    if not path.is_file():
        read_bytes(path, "a decomposition document")  # the usual error for a missing file or a folder
    doc = read_document(path)
    if doc is None and is_sheet(path):
        if layout not in (None, "sheet"):
            raise LayoutError(str(path), None, f"a spreadsheet is read by its column names; --layout {layout} is for text")
        doc = read_sheet(path)
        if progress and is_progress(doc):
            return read_progress(doc)
        return parse_sheet(path, doc)
    try:
        if doc is not None:
            if progress and layout is None and is_progress(doc):
                return read_progress(doc)
            if layout is None and has_table(doc):
                return _with_notes(read_tables(doc), doc)
            text, digest = doc.text(), doc.sha256
        else:
            text, digest = read_source(path)
            found = None if layout is not None else texttable.find_table(text, path.name, digest)
            if progress and found is not None and is_progress(found.document):
                return read_progress(found.document, found.line_of)
            result = _text_table(found)
            if result is not None:
                return result
        result = parse_text(text, path.name, layout)
    except LayoutError as exc:
        raise LayoutError(str(path), exc.line, exc.reason) from None
    result.sha256 = digest
    return _with_notes(result, doc) if doc is not None else result


def read_text(path: str | Path) -> tuple[str, str]:
    """The text of a source file whatever its format, and the SHA-256 of its bytes: what the
    readers of narrative documents read.

    A Word file's or a web page's paragraphs are paragraphs already, so each is set apart by a
    blank line, as in Markdown (the report reader would otherwise join lines into
    paragraphs by their endings, as it must for a PDF's lines, which come as they are).
    """
    path = Path(path)
    if not path.is_file():
        read_bytes(path, "a document")
    doc = read_document(path)
    if doc is None:
        return read_source(path)
    if doc.format == "pdf":
        return doc.text(), doc.sha256
    blocks = [b.text if isinstance(b, Paragraph) else Document(doc.file, [b], doc.format).text().rstrip("\n")
              for b in doc.blocks]
    return "\n\n".join(blocks) + "\n", doc.sha256


def _with_notes(result: ParseResult, doc: Document) -> ParseResult:
    """The result with what the format reader did to the file (a row joined across a PDF page
    break, a conversion by LibreOffice) among its findings, for the planner to check."""
    result.findings += [Finding("document-note", "info", f"{doc.format}: {note}") for note in doc.notes]
    return result
