"""Documents made to hurt the reader (issue 17, "The readers"): each is refused with one clear line, or read
without anything leaving the machine.

Every hostile file is made here: zip bombs, ``../`` members, XXE and billion-laughs XML, a
Word file whose picture is linked to a URL, web pages pointing at external resources, a
scan with no text layer, a password-protected Office file, a conversion that hangs, a
file over the size limit. URLs point at a loopback listener that counts connections;
none may arrive. The readers are fuzzed too: random bytes behind each format's magic,
and real files cut and flipped, give a Document or an :class:`InputError`, nothing else.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.parse import office, pdf, safety
from kg.parse.document import Document
from kg.parse.formats import read_document
from kg.parse.html import parse_html
from planner_files import Listener, make_docx, planner_rows, workdir

EXAMPLES = int(os.environ.get("RESPKG_FUZZ_EXAMPLES", "100"))
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def plan_docx() -> Path:
    """A small, valid planner's Word table, the base of several hostile files."""
    path = workdir() / "small.docx"
    if not path.exists():
        make_docx(path, planner_rows(6, sections=2, tall=False))
    return path


def refused(path: Path, *words: str) -> str:
    """The one-line InputError reading ``path`` gives; it names the file and says each of ``words``."""
    with pytest.raises(InputError) as error:
        read_document(path)
    message = str(error.value)
    assert "\n" not in message and (str(path) in message or path.name in message)
    for word in words:
        assert word in message, message
    return message


def rezip(source: Path, target: Path, extra: dict[str, bytes] | None = None,
          replace: dict[str, bytes] | None = None) -> Path:
    """A copy of a zip container with members added or replaced."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, (replace or {}).get(info.filename, old.read(info.filename)))
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


def zeros_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """Write a member of ``size`` zero bytes, streamed (it compresses about 1000 to 1)."""
    block = bytes(1 << 20)
    with archive.open(name, "w", force_zip64=True) as member:
        for _ in range(size >> 20):
            member.write(block)


# --- zip containers ---------------------------------------------------------------------------


def test_docx_with_a_huge_part_is_refused(plan_docx, tmp_path):
    bomb = rezip(plan_docx, tmp_path / "bomb.docx")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        zeros_member(archive, "word/media/image1.png", 120 << 20)
    assert bomb.stat().st_size < 1 << 20  # a small attachment…
    refused(bomb, "word/media/image1.png", "expands to 120 MB", "limit of 100 MB")  # …that would expand hugely


def test_xlsx_bomb_is_refused_before_the_sheet_reader(tmp_path):
    import openpyxl

    path = tmp_path / "bomb.xlsx"
    openpyxl.Workbook().save(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        zeros_member(archive, "xl/media/big.bin", 20 << 20)
    refused(path, "compressed", "zip bomb")


def test_zip_expanding_past_the_total_limit_is_refused(plan_docx, tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 4 << 20)
    path = rezip(plan_docx, tmp_path / "many.docx", extra={f"word/media/p{k}.bin": os.urandom(1 << 20) for k in range(5)})
    refused(path, "expands to", "over the limit of 4 MB")


def test_zip_with_too_many_parts_is_refused(plan_docx, tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBERS", 50)
    path = rezip(plan_docx, tmp_path / "parts.docx", extra={f"word/p{k}.txt": b"x" for k in range(60)})
    refused(path, "parts, over the limit of 50")


@pytest.mark.parametrize("member", ["../../evil.txt", "word/../../evil.txt", "/etc/evil", "C:/evil.txt"])
def test_zip_member_outside_the_file_is_refused(plan_docx, tmp_path, member):
    path = rezip(plan_docx, tmp_path / "slip.docx", extra={member: b"owned"})
    refused(path, "points outside the file")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_that_is_no_office_file(tmp_path):
    path = tmp_path / "table.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "序号 目标任务")
    refused(path, "zip archive but no Word (.docx), Excel (.xlsx) or OpenDocument")


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_damaged_docx_is_one_line(plan_docx, tmp_path, cut):
    data = plan_docx.read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: int(len(data) * cut)])
    refused(path, "damaged")


# --- XML entities --------------------------------------------------------------------------------

XXE = '<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY x SYSTEM "{url}/xxe">]>\n'
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY a "hahahahahahahahahaha">'
          + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi")) + "]>\n")


def entity_document(head: str, use: str) -> bytes:
    """A word/document.xml with a DTD prolog and an entity used in the text."""
    return (head + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"<w:p><w:r><w:t>任务{use}</w:t></w:r></w:p></w:body></w:document>").encode("utf-8")


def test_xxe_in_a_docx_is_refused_and_never_fetched(plan_docx, tmp_path):
    with Listener() as listener:
        path = rezip(plan_docx, tmp_path / "xxe.docx",
                     replace={"word/document.xml": entity_document(XXE.format(url=listener.url), "&x;")})
        refused(path, "word/document.xml", "declares a DTD")
        time.sleep(0.2)
    assert listener.connections == 0


def test_billion_laughs_in_a_docx_is_refused(plan_docx, tmp_path):
    path = rezip(plan_docx, tmp_path / "laughs.docx", replace={"word/document.xml": entity_document(LAUGHS, "&i;")})
    refused(path, "declares a DTD")


def test_python_docx_and_openpyxl_parsers_never_resolve_entities(tmp_path):
    """Below our DTD check, the parsers themselves are safe: prove it on the parsers directly."""
    from docx.oxml.parser import oxml_parser
    from lxml import etree
    from openpyxl.xml.functions import fromstring as openpyxl_fromstring

    assert oxml_parser.resolvers is not None  # python-docx's own lxml parser, built with resolve_entities=False
    with Listener() as listener:
        xxe = entity_document(XXE.format(url=listener.url), "&x;")
        for parse in (lambda b: etree.fromstring(b, oxml_parser), openpyxl_fromstring):
            started = time.monotonic()
            for document in (xxe, entity_document(LAUGHS, "&i;")):
                try:
                    root = parse(document)
                except Exception:  # refusing is fine too (defusedxml raises on any entity)
                    continue
                text = "".join(root.itertext())
                assert "HELLO" not in text and "haha" not in text  # entities left unexpanded
            assert time.monotonic() - started < 2
        time.sleep(0.2)
    assert listener.connections == 0


def test_dtd_hidden_past_the_prolog_check_still_never_fetched(plan_docx, tmp_path):
    """A DTD after 4 KB of comments passes our quick check: python-docx's parser must still not fetch or expand."""
    with Listener() as listener:
        head = '<?xml version="1.0"?>\n' + "<!-- padding -->\n" * 400 + XXE.format(url=listener.url).split("\n", 1)[1]
        path = rezip(plan_docx, tmp_path / "late-xxe.docx", replace={"word/document.xml": entity_document(head, "&x;")})
        try:
            document = read_document(path)
        except InputError:
            document = None
        time.sleep(0.2)
    assert listener.connections == 0
    assert document is None or "HELLO" not in document.text()


def test_openpyxl_workbook_with_xxe_never_fetches(tmp_path):
    import openpyxl

    path = tmp_path / "xxe.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "序号"
    book.save(path)
    with Listener() as listener:
        with zipfile.ZipFile(path) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        sheet = sheet.replace("<worksheet", f'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "{listener.url}/xxe">]><worksheet', 1)
        hostile = rezip(path, tmp_path / "xxe2.xlsx", replace={"xl/worksheets/sheet1.xml": sheet.encode("utf-8")})
        refused(hostile, "declares a DTD")  # our check, before the sheet reader
        try:
            openpyxl.load_workbook(hostile)  # and openpyxl alone (defusedxml is installed with respkg)
        except Exception:
            pass
        time.sleep(0.2)
    assert listener.connections == 0


# --- LibreOffice -----------------------------------------------------------------------------------


def png() -> bytes:
    """A 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def linked_docx(path: Path, url: str) -> Path:
    """A Word table whose picture is linked (not embedded) to ``url``, with an INCLUDEPICTURE field and a hyperlink."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    word = docx.Document()
    word.add_paragraph("序号 目标任务 责任单位")
    word.add_picture(io.BytesIO(png()))
    rid = word.part.relate_to(url + "/linked.png", RT.IMAGE, is_external=True)
    for blip in word.element.body.iter(A + "blip"):
        del blip.attrib[R + "embed"]
        blip.set(R + "link", rid)
    word.part.relate_to(url + "/page", RT.HYPERLINK, is_external=True)
    field = word.add_paragraph()._p
    from docx.oxml import parse_xml

    field.append(parse_xml('<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                           f'w:instr=\'INCLUDEPICTURE "{url}/field.png" \\d\'><w:r><w:t>图</w:t></w:r></w:fldSimple>'))
    word.save(path)
    return path


def test_libreoffice_never_fetches_a_linked_picture(tmp_path):
    """Converted to .doc and .pdf (which renders the picture) and read back: no request arrives.

    The conversions run with the host's network (``isolate_network=False``), so the
    profile's settings alone are what is proved; a control run with a plain profile
    shows the same file does make LibreOffice connect.
    """
    with Listener() as listener:
        source = linked_docx(tmp_path / "linked.docx", listener.url)
        (tmp_path / "a").mkdir()
        (doc,) = office.convert([source], "doc", tmp_path / "a", isolate_network=False)
        copy = tmp_path / "linked-as-doc.doc"
        copy.write_bytes(doc.read_bytes())
        office.convert([source, copy], "pdf", tmp_path / "a", isolate_network=False)
        document = read_document(doc)  # and the way kg reads it
        time.sleep(0.5)
        assert listener.connections == 0
        assert "序号 目标任务 责任单位" in document.text()
        plain = tmp_path / "plain-profile"
        subprocess.run(["soffice", f"-env:UserInstallation={plain.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path / "b"), str(source)], capture_output=True, timeout=120)
        time.sleep(0.5)
        assert listener.connections > 0  # the control: LibreOffice's defaults do fetch it


def test_hanging_conversion_is_stopped(tmp_path, monkeypatch):
    fake = tmp_path / "bin"
    fake.mkdir()
    pidfile = tmp_path / "pid"
    (fake / "soffice").write_text(f"#!/bin/sh\necho $$ > {pidfile}\nsleep 60\n")
    (fake / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    monkeypatch.setattr(office, "TIMEOUT", 1.0)
    path = tmp_path / "slow.doc"
    path.write_bytes(office_container({"WordDocument": bytes(4096)}))
    started = time.monotonic()
    message = refused(path, "LibreOffice did not finish converting within 1 s")
    assert time.monotonic() - started < 10, message
    pid = int(pidfile.read_text())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # the whole process group was killed
        os.kill(pid, 0)


def test_ole_word_stream_that_libreoffice_cannot_read(tmp_path):
    path = tmp_path / "fake.doc"
    path.write_bytes(office_container({"WordDocument": os.urandom(4096)}))
    refused(path, "LibreOffice could not convert this file")


# --- OLE containers ------------------------------------------------------------------------------


def office_container(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (CFB v3) holding the given streams, each at least 4 KB (no mini stream)."""
    sector = 512
    end, free, fat_mark = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    bodies = [data + bytes(-len(data) % sector) for data in streams.values()]
    fat = [fat_mark, end]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for body in bodies:
        starts.append(len(fat))
        count = len(body) // sector
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(end)
    assert len(fat) <= sector // 4
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = free, right: int = free) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, right, child) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<IQ", start, size))

    names = list(streams)
    entries = [entry("Root Entry", 5, end, 0, child=1)]
    for k, name in enumerate(names):
        entries.append(entry(name, 2, starts[k], len(streams[name]), right=k + 2 if k + 1 < len(names) else free))
    directory = b"".join(entries).ljust(sector, b"\x00")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIII", 0, 1, 1, 0, 4096, end, 0, end) + struct.pack("<I", 0)
              + struct.pack("<I", 0) + struct.pack("<109I", *([0] + [free] * 108)))
    header = header[:76] + struct.pack("<109I", *([0] + [free] * 108))
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(bodies)


def test_password_protected_office_file(tmp_path):
    """A protected .docx/.xlsx is an OLE container holding EncryptionInfo and EncryptedPackage."""
    for name in ("protected.docx", "protected.xlsx", "protected.doc"):
        path = tmp_path / name
        path.write_bytes(office_container({"EncryptionInfo": os.urandom(4096), "EncryptedPackage": os.urandom(8192)}))
        refused(path, "password-protected", "remove the password")


def test_ole_magic_without_an_office_file(tmp_path):
    path = tmp_path / "x.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000))
    refused(path, "damaged")
    other = tmp_path / "y.doc"
    other.write_bytes(office_container({"Something": bytes(4096)}))
    refused(other, "no Word or Excel file")


# --- PDF -----------------------------------------------------------------------------------------


def hand_pdf(pages: list[bytes]) -> bytes:
    """A PDF written by hand: one content stream per page, no fonts (so no text unless a page draws some)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None]
    kids = []
    for content in pages:
        page_id, stream_id = len(objects) + 1, len(objects) + 2
        kids.append(f"{page_id} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {stream_id} 0 R "
                       "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
                       .encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_scanned_pdf_says_ocr_it(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(hand_pdf([b"0.5 g 50 50 495 742 re f"]))  # a page that is only a drawn (grey) picture
    message = refused(path)
    assert message == f"{path}: no text in this PDF: it is a scan; OCR it first"


def test_pdf_page_and_time_limits(tmp_path, monkeypatch):
    path = tmp_path / "long.pdf"
    path.write_bytes(hand_pdf([b"BT /F1 12 Tf 72 700 Td (page) Tj ET"] * 3))
    assert [p.text for p in read_document(path).paragraphs()] == ["page"] * 3
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    refused(path, "3 pages, over the limit of 2")
    bomb = tmp_path / "declared.pdf"
    bomb.write_bytes(hand_pdf([b"BT /F1 12 Tf 72 700 Td (page) Tj ET"]).replace(b"/Count 1", b"/Count 100000000"))
    refused(bomb, "100000000 pages")  # what the page tree declares is checked before any page is read
    monkeypatch.setattr(pdf, "MAX_PAGES", 1000)
    monkeypatch.setattr(pdf, "TIME_LIMIT", -1)
    refused(path, "reading this PDF took over")


def test_password_protected_pdf(tmp_path):
    source = workdir() / "locked.docx"
    make_docx(source, planner_rows(3, sections=1, tall=False))
    options = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
               '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
    (locked,) = office.convert([source], options, tmp_path)
    refused(locked, "password-protected")


def test_pdf_object_loop_and_damage(tmp_path):
    loop = hand_pdf([b"BT /F1 12 Tf 72 700 Td (x) Tj ET"]).replace(b"/Parent 2 0 R", b"/Parent 3 0 R")
    loop = loop.replace(b"/Kids [3 0 R]", b"/Kids [2 0 R 3 0 R]")
    (tmp_path / "loop.pdf").write_bytes(loop)
    try:
        document = read_document(tmp_path / "loop.pdf")
        assert isinstance(document, Document)
    except InputError:
        pass
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    refused(tmp_path / "cut.pdf", "PDF")


# --- HTML ----------------------------------------------------------------------------------------


def test_html_external_resources_never_loaded(tmp_path):
    with Listener() as listener:
        u = listener.url
        page = (f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "{u}/dtd"><html><head>'
                f'<link rel="stylesheet" href="{u}/a.css"><script src="{u}/a.js"></script>'
                f'<script>document.write("注入")</script><base href="{u}/"></head><body onload="fetch(\'{u}/x\')">'
                f'<img src="{u}/a.png"><iframe src="{u}/frame"></iframe><object data="{u}/o"></object>'
                f'<table><tr><td>序号</td><td>责任单位</td></tr><tr><td>1</td><td style="background:url({u}/bg)">'
                f'发改局</td></tr></table><svg><image href="{u}/s.png"/></svg></body></html>')
        (tmp_path / "page.html").write_text(page, encoding="utf-8")
        document = read_document(tmp_path / "page.html")
        time.sleep(0.2)
    assert listener.connections == 0
    assert document.tables()[0].rows == (("序号", "责任单位"), ("1", "发改局"))
    assert "注入" not in document.text()


def test_page_with_no_text_and_huge_spans(tmp_path):
    (tmp_path / "empty.html").write_text("<html><body>   </body></html>", encoding="utf-8")
    assert read_document(tmp_path / "empty.html").blocks == []  # "no task at all" is the text readers' error
    spans = parse_html('<table><tr><td colspan="100000000">a</td><td rowspan="99999999">b</td></tr></table>', "s.html")
    assert len(spans.tables()[0].rows[0]) <= 201


# --- sizes ---------------------------------------------------------------------------------------


def test_file_over_the_size_limit_is_one_line(tmp_path):
    path = tmp_path / "attachment.docx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(51 * 1024 * 1024)  # sparse: instant to make
    refused(path, "51.0 MB is over the 50 MB limit")
    (tmp_path / "empty.doc").write_bytes(b"")
    refused(tmp_path / "empty.doc", "the file is empty")


# --- fuzzing -------------------------------------------------------------------------------------

MAGICS = [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-1.7\n", b"<!DOCTYPE html><html>", b"<html><table>",
          b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b\nContent-Type: text/html\n\n",
          b"{\\rtf1"]


def read_or_refuse(path: Path) -> None:
    """A Document, None or an InputError with one line; never another exception."""
    try:
        result = read_document(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert result is None or isinstance(result, Document)
    if result is not None:
        result.text()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(magic=st.sampled_from([m for m in MAGICS if not m.startswith(b"{")]), body=st.binary(max_size=3000))
def test_fuzz_random_bytes_behind_each_magic(tmp_path, magic, body):
    """RTF is left out: every example would start LibreOffice (its conversion errors are tested above)."""
    path = tmp_path / "fuzz.bin"
    path.write_bytes(magic + body)
    read_or_refuse(path)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_cut_and_flipped_real_files(tmp_path, plan_docx, data):
    """A real .docx, a PDF and a page, cut at a random point or with random bytes overwritten."""
    sources = fuzz_sources(plan_docx)
    name = data.draw(st.sampled_from(sorted(sources)))
    raw = bytearray(sources[name])
    for _ in range(data.draw(st.integers(0, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    raw = raw[: data.draw(st.integers(1, len(raw)))]
    path = tmp_path / name
    path.write_bytes(bytes(raw))
    read_or_refuse(path)


_SOURCES: dict[str, bytes] = {}


def fuzz_sources(plan_docx: Path) -> dict[str, bytes]:
    """The real files the mutation fuzzer starts from (the .docx stored uncompressed, so flips reach the XML)."""
    if not _SOURCES:
        stored = io.BytesIO()
        with zipfile.ZipFile(plan_docx) as old, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as new:
            for info in old.infolist():
                new.writestr(info.filename, old.read(info.filename))
        _SOURCES["plan.docx"] = stored.getvalue()
        _SOURCES["plan.pdf"] = hand_pdf([b"BT /F1 12 Tf 72 700 Td (1 task) Tj ET", b"0 0 m 100 100 l S"])
        from planner_files import make_html

        _SOURCES["plan.html"] = make_html(planner_rows(4, sections=2, tall=False)).encode("utf-8")
    return _SOURCES


# --- through the CLI -----------------------------------------------------------------------------


def test_cli_prints_one_error_line_and_writes_nothing(plan_docx, tmp_path):
    from click.testing import CliRunner

    from helpers import assert_clean_error
    from kg.cli import main

    cases = {
        "slip.docx": (lambda p: rezip(plan_docx, p, extra={"../evil": b"x"}), "points outside the file"),
        "locked.xlsx": (lambda p: p.write_bytes(office_container({"EncryptedPackage": bytes(4096)})), "password"),
        "scan.pdf": (lambda p: p.write_bytes(hand_pdf([b"0 0 100 100 re f"])), "OCR it first"),
        "notes.docx": (lambda p: zipfile.ZipFile(p, "w").close(), "no Word (.docx)"),
    }
    for name, (make, fragment) in cases.items():
        path = tmp_path / name
        make(path)
        out = tmp_path / f"{name}.jsonl"
        result = CliRunner().invoke(main, ["parse", str(path), "--output", str(out)])
        assert_clean_error(result, name, fragment)
        assert not out.exists()
