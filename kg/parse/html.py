"""Web pages (``.html``, ``.htm``, ``.mhtml``) → :class:`~kg.parse.document.Document`, by lxml.

The page is parsed by libxml2's HTML parser with ``no_network=True``: nothing is ever
fetched (no ``<img>``, ``<link>``, ``<iframe>``, no DTD), no script is run, and HTML has
no external entities to resolve. Then:

- ``<table>`` → :class:`Table`, ``rowspan``/``colspan`` expanded by repeating the cell's
  text (spans capped at :data:`MAX_SPAN`); a ``<br>`` or ``<p>`` in a cell is a line break.
  A table holding another table, or with a single cell, is page layout (old government
  sites lay whole pages out in tables): its content is read as the page's flow;
- other block text → Paragraphs, one per line, markup stripped, whitespace collapsed;
- site chrome is dropped: ``<script>``, ``<style>``, ``<nav>``, ``<header>``, ``<footer>``,
  ``<aside>``, forms and embedded objects, elements whose id or class is a chrome word
  (``nav``, ``menu``, ``footer``, ``breadcrumb``, …) unless they hold a table or a heading,
  and footer lines naming the site's sponsor and registration (``主办单位：…`` with
  ``ICP备``, ``版权所有``, ``承办单位`` and the like — two such marks on one line).

An ``.mhtml`` page (a browser's "save as one file") is a MIME message: its ``text/html``
part is taken, its transfer encoding (quoted-printable, base64) and charset (GB2312/GBK
read as GB18030) decoded; the other parts (images, styles) are ignored.
"""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from kg.errors import InputError
from kg.parse.document import Block, Document, Paragraph, Table
from kg.parse.safety import check_size

__all__ = ["MAX_SPAN", "read_html", "read_mhtml", "decode_html"]

MAX_SPAN = 200
_DROP = {"script", "style", "nav", "footer", "aside", "noscript", "template", "form", "select", "button",
         "iframe", "frame", "frameset", "object", "embed", "svg", "canvas", "video", "audio", "map", "head", "title",
         "meta", "link", "input", "textarea"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
          "section", "article", "main", "center", "address", "figure", "figcaption", "caption", "hr", "body", "tr",
          "td", "th", "table", "tbody", "thead", "tfoot"}
_CHROME_WORDS = {"nav", "navbar", "navigation", "menu", "menubar", "footer", "foot", "header", "breadcrumb", "crumb",
                 "crumbs", "sidebar", "share", "copyright", "topbar", "toolbar", "bottom", "banner", "skip"}
#: Chrome by its tag unless it holds the content (an article's <header> may hold its title).
_CHROME_TAGS = {"header"}
_FOOTER_MARKS = ("主办单位", "承办单位", "协办单位：", "版权所有", "ICP备", "网站标识码", "公网安备", "技术支持", "网站地图",
                 "联系我们", "Copyright", "©", "邮编", "主办：", "承办：")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")


def read_html(path: Path, name: str | None = None) -> Document:
    """The Document of an HTML page file."""
    check_size(path)
    return parse_html(decode_html(path.read_bytes()), name or path.name, "html")


def read_mhtml(path: Path, name: str | None = None) -> Document:
    """The Document of a saved ``.mhtml`` page: its first ``text/html`` part."""
    check_size(path)
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            return parse_html(decode_html(payload, part.get_content_charset()), name or path.name, "mhtml")
    raise InputError(f"{path}: this .mhtml file holds no text/html part; expected a saved web page")


def decode_html(data: bytes, charset: str | None = None) -> str:
    """The text of an HTML page's bytes: BOM, then the given or ``<meta>`` charset, then UTF-8, then GB18030."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    declared = charset or (m.group(1).decode("ascii") if (m := _CHARSET.search(data[:4096])) else None)
    for codec in filter(None, [_codec(declared), "utf-8", "gb18030"]):
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def _codec(charset: str | None) -> str | None:
    """Python's codec for a page's charset (GB2312 and GBK pages are read as their superset GB18030)."""
    if not charset:
        return None
    charset = charset.lower()
    return "gb18030" if charset in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936") else charset


def parse_html(text: str, name: str, fmt: str = "html") -> Document:
    """The Document of an HTML page's text."""
    import lxml.etree
    import lxml.html

    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")
    if not text.strip():
        raise InputError(f"{name}: this web page is empty; expected a page with a table or task text")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                                  default_doctype=False, collect_ids=False, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"{name}: this web page cannot be parsed ({exc})") from None
    reader = _Reader()
    reader.walk(root)
    reader.flush()
    blocks = [b for b in reader.blocks if not (isinstance(b, Paragraph) and _is_footer(b.text))]
    return Document(name, blocks, fmt, notes=reader.notes)


def _is_footer(line: str) -> bool:
    """Whether a line is the site's footer (sponsor, registration numbers): two footer marks or more."""
    return sum(mark in line for mark in _FOOTER_MARKS) >= 2


def _tag(el) -> str:
    """An element's lower-case tag name ("" for comments and processing instructions)."""
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _is_chrome(el) -> bool:
    """Whether an element is site chrome by its tag, or by its id/class unless it holds the content."""
    tag = _tag(el)
    if tag in _DROP:
        return True
    words = set(re.split(r"[\s_\-]+", f"{el.get('id', '')} {el.get('class', '')}".lower())) - {""}
    if tag in _CHROME_TAGS or words & _CHROME_WORDS:
        return not any(True for _ in el.iter("table", "h1", "h2"))
    return el.get("hidden") is not None or "display:none" in el.get("style", "").replace(" ", "").lower()


class _Reader:
    """Walks the page, collecting text into Paragraphs and data tables into Tables."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.notes: list[str] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        """End the current block of text: each of its non-empty lines becomes a Paragraph."""
        for line in "".join(self.buffer).split("\n"):
            line = _SPACE.sub(" ", line).strip()
            if line:
                self.blocks.append(Paragraph(line))
        self.buffer = []

    def walk_inside(self, el) -> None:
        """Read what an element holds: its text, its children, each child's tail."""
        if el.text:
            self.buffer.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buffer.append(child.tail)

    def walk(self, el) -> None:
        """Read an element and its children (its tail is read by the caller)."""
        tag = _tag(el)
        if not tag or _is_chrome(el):
            return
        if tag == "table" and _is_data_table(el):
            self.flush()
            rows = _table_rows(el)
            if rows:
                self.blocks.append(Table(rows))
            return
        if tag == "br":
            self.buffer.append("\n")
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self.walk_inside(el)
        if block:
            self.flush()
        elif tag in ("td", "th"):
            self.buffer.append(" ")


def _rows_of(table) -> list:
    """A table's own rows (not those of tables nested in it)."""
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _is_data_table(table) -> bool:
    """A table of data: no table nested in it and more than one cell."""
    if any(True for _ in table.iterdescendants("table")):
        return False
    cells = sum(len(row.xpath("./td | ./th")) for row in _rows_of(table))
    return cells > 1


def _table_rows(table) -> tuple[tuple[str, ...], ...]:
    """A data table's rows as cell texts, rowspan and colspan expanded by repeating the text."""
    rows: list[tuple[str, ...]] = []
    pending: dict[int, tuple[int, str]] = {}  # column → (rows still covered, text) of a rowspan from above
    trs = _rows_of(table)
    for index, tr in enumerate(trs):
        cells: list[str] = []
        column = 0

        def fill_spans_from_above() -> None:
            nonlocal column
            while column in pending:
                left, text = pending[column]
                cells.append(text)
                if left > 1:
                    pending[column] = (left - 1, text)
                else:
                    del pending[column]
                column += 1

        for td in tr.xpath("./td | ./th"):
            fill_spans_from_above()
            text = _cell_text(td)
            colspan = _span(td.get("colspan"))
            rowspan = _span(td.get("rowspan"), len(trs) - index)
            for _ in range(colspan):
                cells.append(text)
                if rowspan > 1:
                    pending[column] = (rowspan - 1, text)
                column += 1
        while pending and max(pending) >= column:  # spans from above past this row's last cell
            if column in pending:
                fill_spans_from_above()
            else:
                cells.append("")
                column += 1
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(tuple(cells))
    return tuple(rows)


def _span(value: str | None, rest: int = MAX_SPAN) -> int:
    """A rowspan/colspan attribute as a count from 1 to MAX_SPAN (``rowspan="0"`` runs to the end)."""
    try:
        n = int(str(value).strip())
    except ValueError:
        return 1
    if n == 0:
        n = rest
    return max(1, min(n, MAX_SPAN, max(rest, 1)))


def _cell_text(td) -> str:
    """A cell's text: markup stripped, ``<br>`` and blocks as line breaks, each line's whitespace collapsed."""
    reader = _Reader()
    reader.walk_inside(td)
    reader.flush()
    return "\n".join(b.text if isinstance(b, Paragraph) else _flat(b) for b in reader.blocks)


def _flat(table: Table) -> str:
    """A table met inside a cell, as lines (cannot happen for data tables; kept total)."""
    return "\n".join(" ".join(row) for row in table.rows)
