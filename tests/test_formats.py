"""Every format reader turns a planner's file into the same Document blocks.

The files are made here the way planners make them (tests/planner_files.py): a Word table
written with python-docx — a 项目 cell merged down over its section, units one per line in
a cell, the table split in two after a page break with its header typed again, a row too
tall for one page — turned by LibreOffice into ``.doc``, ``.odt`` and ``.pdf``; a workbook
turned into ``.xls`` and ``.ods``; a web page with the table inside site chrome, also as
GBK and as ``.mhtml``. Each must give the very cells written, in order, and the notice's
paragraphs (title, 文号, date) around the table. LibreOffice is installed by
scripts/test.sh: without it these tests fail, they do not skip.
"""

from __future__ import annotations

import email.mime.multipart
import hashlib
import email.mime.text
import shutil
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.parse import office, parse_file
from kg.parse.document import Paragraph, Table
from kg.parse.formats import read_document, sniff
from kg.parse.html import parse_html
from planner_files import (DATE, HEADER, NUMBER, TITLE, converted, make_docx, make_html, make_two_header_docx,
                           make_xlsx, planner_rows, two_header_rows, workdir)

ROWS = planner_rows(40)
EXPECTED = [HEADER, *(row.cells() for row in ROWS)]


@pytest.fixture(scope="module")
def made() -> Path:
    """The planner's Word table, workbook and web page, written once."""
    folder = workdir()
    if not (folder / "plan.docx").exists():
        make_docx(folder / "plan.docx", ROWS, split_at=20)
        make_two_header_docx(folder / "two-header.docx")
        make_text_only_docx(folder / "text-only.docx")
        make_xlsx(folder / "plan.xlsx", ROWS)
        (folder / "plan.html").write_text(make_html(ROWS), encoding="utf-8")
    return folder


TEXT_LINES = ["一、经济发展", "1.推进产业升级", "牵头单位：发改局", "配合单位：工信局、商务局"]


def make_text_only_docx(path: Path) -> None:
    """A notice typed as text, no table."""
    import docx

    word = docx.Document()
    for line in TEXT_LINES:
        word.add_paragraph(line)
    word.save(path)


def test_libreoffice_is_installed():
    assert shutil.which("soffice"), "LibreOffice is missing: run scripts/office.sh install"


@pytest.mark.parametrize("target", [None, "doc", "odt", "pdf"])
def test_word_table_reads_as_its_cells(made, target):
    path = made / "plan.docx" if target is None else converted("plan.docx", target)
    document = read_document(path)
    assert document.format == (target or "docx")
    (table,) = document.tables()
    rows, expected = [tuple(r) for r in table.rows], EXPECTED
    if target == "pdf":  # a PDF cell keeps every line it wrapped into (the table reader decides per column)
        rows, expected = ([tuple(c.replace("\n", "") for c in r) for r in x] for x in (rows, EXPECTED))
    assert rows == expected  # merged 项目 repeated, units one per line, tall row whole
    assert [p.text for p in document.paragraphs()] == [TITLE, NUMBER, DATE]
    assert document.blocks[2] is table and isinstance(document.blocks[0], Paragraph)
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_word_split_table_is_joined_and_its_typed_header_dropped(made):
    document = read_document(made / "plan.docx")
    assert "two Word tables with the same columns, one after the other, were read as one table" in document.notes
    assert "1 repeated header row(s) dropped from a table" in document.notes


def test_pdf_pages_joined_repeated_headers_dropped(made):
    document = read_document(converted("plan.docx", "pdf"))
    notes = " ".join(document.notes)
    assert "a table header repeated at the top of a PDF page was dropped" in notes
    assert "a table row cut by a PDF page break was joined" in notes
    tall = parse_file(converted("plan.docx", "pdf")).tasks[-1]  # a PDF cell keeps its wraps: the reader rejoins names
    assert [u.name for u in tall.units] == [f"第{k}镇人民政府" for k in range(1, 61)]  # every unit across the break


def test_document_lines_count_the_text_rendering(made):
    document = read_document(made / "plan.docx")
    lines = document.text().splitlines()
    table = document.tables()[0]
    assert lines[table.row_line(0) - 1] == " | ".join(HEADER)
    assert lines[table.row_line(41) - 1].startswith("41 | （附）兜底事项")
    assert lines[-1] == DATE


@pytest.mark.parametrize("target", ["xls", "ods"])
def test_workbook_reads_as_its_cells(made, target):
    document = read_document(converted("plan.xlsx", target))
    assert document.format == target
    (table,) = document.tables()
    assert table.rows[0] == (TITLE,) * len(HEADER)  # the title row merged across, repeated
    assert [tuple(r) for r in table.rows[1:]] == EXPECTED


def test_xls_read_directly_matches_libreoffice(made, monkeypatch):
    """python-calamine reads .xls without LibreOffice; the cells are those LibreOffice's conversion gives."""
    xls = converted("plan.xlsx", "xls")
    direct = read_document(xls)
    assert not any("LibreOffice" in note for note in direct.notes)
    through = office.read_office(xls, "xls")
    assert direct.tables() == through.tables()


def test_content_decides_not_the_name(made, tmp_path):
    """Misnamed attachments: a .doc saved as .wps, a .xls as .et, a .docx named .doc, a web page named .xls."""
    doc, xls = converted("plan.docx", "doc"), converted("plan.xlsx", "xls")
    cases = {"a.wps": (doc, "wps"), "b.et": (xls, "et"), "c.doc": (made / "plan.docx", "docx"),
             "d.xls": (made / "plan.html", "html"), "e.txt": (made / "plan.html", "html"),
             "f.bin": (converted("plan.docx", "pdf"), "pdf")}
    for name, (source, kind) in cases.items():
        shutil.copy(source, tmp_path / name)
        assert sniff(tmp_path / name) == kind, name
    assert sniff(made / "plan.xlsx") is None  # read by the sheet reader
    shutil.copy(made / "plan.xlsx", tmp_path / "g.dat")
    assert sniff(tmp_path / "g.dat") == "workbook"
    assert [tuple(r) for r in read_document(tmp_path / "g.dat").tables()[0].rows[1:]] == EXPECTED
    (tmp_path / "plain.txt").write_text("一、经济发展\n1.推进产业升级（发改局牵头）\n", encoding="utf-8")
    assert read_document(tmp_path / "plain.txt") is None
    (tmp_path / "t.csv").write_text("序号,目标任务\n1,任务\n", encoding="utf-8")
    assert read_document(tmp_path / "t.csv") is None


def test_web_page_table_without_site_chrome(made):
    document = read_document(made / "plan.html")
    (table,) = document.tables()
    assert [tuple(r) for r in table.rows] == EXPECTED  # rowspan repeated, <br> as lines, <p> in a cell
    texts = [p.text for p in document.paragraphs()]
    assert texts == [TITLE, NUMBER, "各镇人民政府、街道办事处，市直有关单位：", DATE]
    rendering = document.text()
    for chrome in ("主办单位", "宣传部", "首页", "当前位置", "分享到", "ICP", "var menu", "td {"):
        assert chrome not in rendering


@pytest.mark.parametrize("charset", ["gbk", "gb2312"])
def test_gbk_page_and_mhtml(made, tmp_path, charset):
    page = make_html(ROWS).replace('charset="utf-8"', f'charset="{charset}"')
    (tmp_path / "p.htm").write_bytes(page.encode("gb18030"))
    assert [tuple(r) for r in read_document(tmp_path / "p.htm").tables()[0].rows] == EXPECTED
    for encoding in ("quoted-printable", "base64"):
        message = email.mime.multipart.MIMEMultipart("related")
        part = email.mime.text.MIMEText(page, "html", "utf-8")
        part.set_charset(charset)
        del part["Content-Transfer-Encoding"]
        part["Content-Transfer-Encoding"] = encoding
        raw = page.encode("gb18030")
        import base64
        import quopri

        part.set_payload((quopri.encodestring(raw) if encoding == "quoted-printable" else base64.encodebytes(raw))
                         .decode("ascii"))
        message.attach(part)
        message.attach(email.mime.text.MIMEText("body { color: red }", "css"))
        path = tmp_path / f"p-{encoding}.mhtml"
        path.write_bytes(message.as_bytes())
        document = read_document(path)
        assert document.format == "mhtml"
        assert [tuple(r) for r in document.tables()[0].rows] == EXPECTED


def test_html_spans_layout_tables_and_page_text():
    page = """<html><body><table><tr><td><div class="menu">首页</div>
    <table><tr><th>序号</th><th colspan="2">责任</th></tr><tr><td rowspan="0">1</td><td>发改局</td></tr>
    <tr><td>工信局</td><td>财政局</td></tr></table></td></tr></table>
    <p>一、经济发展<br>1.推进产业升级（发改局牵头）</p><div>主办：晋江市人民政府 版权所有</div></body></html>"""
    document = parse_html(page, "p.html")
    assert document.tables()[0].rows == (("序号", "责任", "责任"), ("1", "发改局"), ("1", "工信局", "财政局"))
    assert [p.text for p in document.paragraphs()] == ["一、经济发展", "1.推进产业升级（发改局牵头）"]


@pytest.mark.parametrize("target", [None, "pdf"])
def test_two_row_header_repeated_is_dropped(made, target):
    path = made / "two-header.docx" if target is None else converted("two-header.docx", target)
    document = read_document(path)
    rows, expected = [tuple(r) for r in document.tables()[0].rows], two_header_rows()
    if target == "pdf":  # a PDF cell keeps every line it wrapped into (the table reader decides per column)
        rows, expected = ([tuple(c.replace("\n", "") for c in r) for r in x] for x in (rows, expected))
    assert rows == expected


def test_pdf_without_ruled_table_is_text(made):
    """A notice typed as text (no ruled table) comes out as its lines, for the text readers."""
    document = read_document(converted("text-only.docx", "pdf"))
    assert document.tables() == []
    assert [p.text for p in document.paragraphs()] == TEXT_LINES
    assert "no ruled table in this PDF: its text lines are read as text" in document.notes


def test_macro_enabled_word_file_is_read_without_its_macros(made, tmp_path):
    """python-docx refuses a .docm (its content type); its body is read from the XML, no macro ever run."""
    import zipfile

    path = tmp_path / "plan.docm"
    with zipfile.ZipFile(made / "plan.docx") as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
                data = data.replace(b"wordprocessingml.document.macroEnabled.main+xml",
                                    b"ms-word.document.macroEnabled.main+xml")
            new.writestr(info.filename, data)
        new.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
    document = read_document(path)
    assert [tuple(r) for r in document.tables()[0].rows] == EXPECTED
    assert any("read from word/document.xml directly" in note for note in document.notes)


def test_nested_word_table_is_flattened_into_its_cell(tmp_path):
    import docx

    word = docx.Document()
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "责任单位"
    table.cell(1, 0).text = "1"
    inner = table.cell(1, 1).add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "牵头", "发改局"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "配合", "工信局"
    table.cell(1, 1).paragraphs[0].text = "见下表"
    word.save(tmp_path / "nested.docx")
    (block,) = read_document(tmp_path / "nested.docx").blocks
    assert isinstance(block, Table)
    assert block.rows == (("序号", "责任单位"), ("1", "见下表\n牵头 发改局\n配合 工信局"))


def test_missing_libreoffice_says_what_to_install(made, tmp_path, monkeypatch):
    shutil.copy(converted("plan.docx", "doc"), tmp_path / "plan.doc")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(InputError) as error:
        read_document(tmp_path / "plan.doc")
    assert str(error.value) == ("plan.doc: reading .doc files needs LibreOffice: "
                                "apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui")


def test_several_files_convert_in_one_libreoffice_run(made, tmp_path):
    for name in ("one.docx", "two.docx"):
        shutil.copy(made / "plan.docx", tmp_path / name)
    out = office.convert([tmp_path / "one.docx", tmp_path / "two.docx"], "odt", tmp_path)
    assert [p.name for p in out] == ["one.odt", "two.odt"]


def test_word_text_box_is_read_once_and_tracked_deletions_not_at_all(tmp_path):
    """A text box is stored with a VML fallback copy; deleted text stays in the file as w:delText."""
    import docx
    from docx.oxml import parse_xml

    word = docx.Document()
    p = word.add_paragraph("晋江市人民政府办公室")._p
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
    p.append(parse_xml(f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:t>（印章）</w:t></mc:Choice>'
                       '<mc:Fallback><w:t>（印章）</w:t></mc:Fallback></mc:AlternateContent></w:r>'))
    p.append(parse_xml(f'<w:del {ns} w:id="1" w:author="x"><w:r><w:delText>已删除</w:delText></w:r></w:del>'))
    word.save(tmp_path / "box.docx")
    assert [b.text for b in read_document(tmp_path / "box.docx").blocks] == ["晋江市人民政府办公室（印章）"]
