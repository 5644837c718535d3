"""A document as every format reader returns it: one stream of paragraphs and cell tables.

Whatever a decomposition arrives as — a Word file, a workbook, a PDF, a web page, plain
text — its reader (one module per format) turns it into a :class:`Document`: its blocks
in reading order, each a :class:`Paragraph` or a :class:`Table` of cell texts. What reads
meaning (the table reader, the text readers) never knows which format a document came in.

Every block carries a **line**: its position in the document's text rendering
(:meth:`Document.text`), where a paragraph is one line per line of its text and a table
one line per row, its cells joined by `` | ``. Records cite these lines as their source,
so a finding in a Word table points at the same place in ``kg parse --format table`` and
in the text rendering a planner can open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Paragraph", "Table", "Document", "Block", "header_index", "repeated_header"]


@dataclass(frozen=True)
class Paragraph:
    """A run of text outside any table (a heading, a notice's paragraph, a line of a PDF)."""

    text: str
    line: int = 0


@dataclass(frozen=True)
class Table:
    """A table as its cells' texts, row by row.

    A cell that holds several paragraphs keeps them on separate lines (``\\n``); a cell
    merged over several rows or columns repeats its text in every position it covers, so
    each row is complete on its own. Rows may differ in length (missing cells are absent,
    not padded).
    """

    rows: tuple[tuple[str, ...], ...]
    line: int = 0
    name: str = ""  # a worksheet's name, for messages

    def row_line(self, index: int) -> int:
        """The document line of row ``index`` (0-based)."""
        return self.line + index


Block = Paragraph | Table


@dataclass
class Document:
    """The blocks of one source file in reading order, with what is known of the file."""

    file: str  # the file's base name, as records cite it
    blocks: list[Block]
    format: str  # "docx", "pdf", "html", "xlsx", "text", … — for messages only
    sha256: str | None = None
    notes: list[str] = field(default_factory=list)  # what the reader did that a planner should know

    def __post_init__(self) -> None:
        self.blocks = _numbered(self.blocks)

    def tables(self) -> list[Table]:
        """The document's tables, in order."""
        return [b for b in self.blocks if isinstance(b, Table)]

    def paragraphs(self) -> list[Paragraph]:
        """The document's paragraphs, in order."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def text(self) -> str:
        """The text rendering whose lines the blocks' ``line`` numbers count."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                out.extend(block.text.split("\n"))
            else:
                out.extend(" | ".join(c.replace("\n", " ") for c in row) for row in block.rows)
        return "\n".join(out) + ("\n" if out else "")


def _numbered(blocks: list[Block]) -> list[Block]:
    """The blocks with each one's first line in the text rendering."""
    out: list[Block] = []
    line = 1
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(Paragraph(block.text, line))
            line += block.text.count("\n") + 1
        else:
            out.append(Table(block.rows, line, block.name))
            line += len(block.rows)
    return out


def header_index(rows) -> int | None:
    """Where a table's header starts: the first of its first three rows with two or more different texts.

    (A title row merged across the table repeats one text; it is not the header.)
    """
    for i, row in enumerate(rows[:3]):
        if len({c for c in row if c.strip()}) >= 2:
            return i
    return None


def repeated_header(rows, later) -> int:
    """How many of the rows ``later`` begins with repeat the table's header rows (up to three), 0 if none.

    Format readers drop such rows where a header was printed or typed again after a page
    break, so the table reader sees the header once.
    """
    start = header_index(rows)
    if start is None:
        return 0
    count = 0
    while count < 3 and count < len(later) and start + count < len(rows) and \
            tuple(later[count]) == tuple(rows[start + count]):
        count += 1
    return count
