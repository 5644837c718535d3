"""Word ``.docx`` → :class:`~kg.parse.document.Document`: the body's paragraphs and tables in order.

python-docx opens the package (it finds the main part through the relationships, and its
lxml parser never resolves entities); the body is then read from its XML, because a
decomposition's tables are merged in ways python-docx's cell API flattens badly:

- ``w:gridSpan`` (merged across): the text is repeated in every grid column it covers;
- ``w:vMerge`` (merged down, e.g. a 项目 cell over its section): a continuing cell takes
  the text of the cell that started the merge, so every row is complete on its own;
- ``w:gridBefore``: the skipped leading grid columns are empty cells, keeping columns aligned;
- several paragraphs in a cell (one unit per line) become lines joined by ``\\n``; a table
  nested in a cell becomes one line per nested row, its cells joined by a space;
- two tables with the same grid that follow each other with only empty paragraphs (or a
  page break) between them — a table split in two — are joined into one;
- rows repeating the table's header rows (typed again after a page break) are dropped,
  with a note; Word's own repeated headers (``w:tblHeader``) are stored once anyway.

Paragraphs around the tables (title, document number, date) become Paragraphs; empty
ones are skipped. Page headers and footers are not read.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.parse.document import Block, Document, Paragraph, Table, header_index, repeated_header
from kg.parse.safety import check_size, check_zip

__all__ = ["read_docx", "body_blocks"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT = {W + "t": None, W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
#: Wrappers whose children belong to the flow they sit in (content controls, custom XML, tracked insertions).
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"}


def read_docx(path: Path, name: str | None = None, fmt: str = "docx") -> Document:
    """The Document of a ``.docx`` file; an :class:`InputError` if it is no readable Word file."""
    import docx  # python-docx: imported here so that reading text never pays for it

    check_size(path)
    names = check_zip(path, "Word file")
    notes: list[str] = []
    try:
        body = docx.Document(str(path)).element.body
    except Exception as exc:  # python-docx raises KeyError, ValueError, PackageNotFoundError, lxml errors…
        body = _body_from_zip(path, names, exc)  # it refuses .docm and .dotx, whose body is the same XML
        notes.append(f"read from word/document.xml directly (python-docx: {type(exc).__name__})")
    blocks = body_blocks(body, notes)
    return Document(name or path.name, blocks, fmt, notes=notes)


def _body_from_zip(path: Path, names: list[str], why: Exception):
    """The ``w:body`` of word/document.xml, parsed never resolving entities nor reading the network."""
    import zipfile

    from lxml import etree

    def refuse(reason: str) -> InputError:
        return InputError(f"{path}: this is no readable Word .docx file ({reason})")

    if "word/document.xml" not in names:
        raise refuse(f"{type(why).__name__}: {why}") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("word/document.xml"), parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise refuse(f"word/document.xml: {exc}") from None
    body = root.find(W + "body")
    if body is None:
        raise refuse("word/document.xml has no body")
    return body


def body_blocks(body, notes: list[str]) -> list[Block]:
    """The paragraphs and tables of a ``w:body`` (or any block container), split tables joined."""
    blocks: list[Block] = []
    width_of_last = None  # grid width of the last block if it is a table with only blank paragraphs since
    for kind, value in _flow(body):
        if kind == "p":
            if value.strip():
                blocks.append(Paragraph(value.strip("\n")))
                width_of_last = None
            continue
        rows, width = value
        if width_of_last == width:
            blocks[-1] = Table(blocks[-1].rows + tuple(rows))
            notes.append("two Word tables with the same columns, one after the other, were read as one table")
        else:
            blocks.append(Table(tuple(rows)))
        width_of_last = width
    return [_without_repeated_header(b, notes) if isinstance(b, Table) else b for b in blocks]


def _flow(container):
    """Yield ("p", text) and ("tbl", (rows, grid width)) for the blocks of a container, in order."""
    for child in container:
        tag = child.tag
        if tag == W + "p":
            yield "p", _paragraph_text(child)
        elif tag == W + "tbl":
            yield "tbl", _table_rows(child)
        elif tag in _WRAPPERS:
            yield from _flow(child)


def _paragraph_text(p) -> str:
    """The text of one ``w:p``: its runs' text, tabs and line breaks (deleted text and field codes left out).

    A text box is stored twice (the drawing and its VML fallback, ``mc:Fallback``): only the first is read.
    """
    has_fallback = next(p.iter(MC_FALLBACK), None) is not None
    out: list[str] = []
    for el in p.iter(*_TEXT):
        if has_fallback and next(el.iterancestors(MC_FALLBACK), None) is not None:
            continue
        text = _TEXT[el.tag]
        out.append(el.text or "" if text is None else text)
    return "".join(out)


def _table_rows(tbl) -> tuple[list[tuple[str, ...]], int]:
    """The rows of a ``w:tbl`` as cell texts, merges expanded; and its grid width."""
    rows: list[tuple[str, ...]] = []
    above: dict[int, str] = {}  # grid column → text of the cell there in the row above
    width = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    for tr in _children(tbl, W + "tr"):
        cells: list[str] = [""] * _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in _children(tr, W + "tc"):
            span = max(1, min(_int(tc.find(f"{W}tcPr/{W}gridSpan"), 1), 1000))
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            column = len(cells)
            if merge is not None and merge.get(W + "val", "continue") != "restart":
                text = above.get(column, "")
            else:
                text = _cell_text(tc)
            cells.extend([text] * span)
        above = dict(enumerate(cells))
        rows.append(tuple(cells))
        width = max(width, len(cells))
    return rows, width


def _children(parent, tag: str):
    """The ``tag`` children of parent, looking through content-control and custom-XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _cell_text(tc) -> str:
    """A cell's paragraphs as lines; a nested table as one line per row, its cells joined by a space."""
    lines: list[str] = []
    for kind, value in _flow(tc):
        if kind == "p":
            lines.extend(value.split("\n"))
        else:
            lines.extend(" ".join(c.replace("\n", " ") for c in _unique(row)) for row in value[0])
    lines = [line.strip() for line in lines]
    return "\n".join(line for line in lines if line)


def _unique(row: tuple[str, ...]) -> list[str]:
    """A nested row's cells with the repeats of a merge collapsed (a nested row is one line of text)."""
    out: list[str] = []
    for cell in row:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


def _int(el, default: int) -> int:
    """The integer ``w:val`` of an element, or ``default``."""
    if el is None:
        return default
    try:
        return int(el.get(W + "val", default))
    except ValueError:
        return default


def _without_repeated_header(table: Table, notes: list[str]) -> Table:
    """The table without later runs of rows that repeat its header rows (typed again after a page break)."""
    rows = list(table.rows)
    start = header_index(rows)
    if start is None:
        return table
    kept, i, dropped = rows[: start + 1], start + 1, 0
    while i < len(rows):
        count = repeated_header(rows, rows[i:]) if rows[i] == rows[start] else 0
        if count:
            dropped += count
            i += count
        else:
            kept.append(rows[i])
            i += 1
    if not dropped:
        return table
    notes.append(f"{dropped} repeated header row(s) dropped from a table")
    return Table(tuple(kept))
