"""Decomposition files made the way planners make them, for the format and hostile-document tests.

A Word table written with python-docx (a 项目 cell merged down over its section, units
one per line in a cell, a header row typed again after a page break where the table was
split in two, a row too tall for one page), a workbook written with openpyxl (merged 项目
cells, units on lines of one cell), a web page with the table inside site chrome; and
LibreOffice, run the way kg runs it (:func:`kg.parse.office.convert`), to turn them into
``.doc``, ``.pdf``, ``.odt``, ``.xls`` and ``.ods``. Also a loopback listener that counts
connections, for the tests that prove nothing is fetched.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

HEADER = ("序号", "项目", "目标任务", "责任单位", "责任领导")
TITLE = "关于印发《2021年政府工作报告重点工作任务分解》的通知"
NUMBER = "晋政文〔2021〕16号"
DATE = "2021年3月1日"
UNITS = ["发改局", "工信局", "商务局", "财政局", "自然资源局", "住建局", "生态环境局", "农业农村局"]
LEADERS = ["蔡晖", "王明", "李华", "陈强"]


@dataclass(frozen=True)
class Row:
    """One task of the made table, as its cells should read."""

    number: str
    project: str
    task: str
    units: tuple[str, ...]
    leader: str

    def cells(self) -> tuple[str, ...]:
        return (self.number, self.project, self.task, "\n".join(self.units), self.leader)


def planner_rows(n_rows: int = 40, sections: int = 4, tall: bool = True) -> list[Row]:
    """Tasks in sections; units one to three per task; the last task (if ``tall``) with 60 units (taller than a page)."""
    rows = []
    per = max(1, n_rows // sections)
    for i in range(n_rows):
        section = min(i // per, sections - 1)
        units = tuple(UNITS[(i + k) % len(UNITS)] for k in range(1 + i % 3))
        task = f"任务{i + 1}：加快推进第{section + 1}项重点工作，完善工作机制，确保按期完成年度目标"
        rows.append(Row(str(i + 1), f"（{'一二三四五六七八九十'[section % 10]}）项目{section + 1}", task, units,
                        LEADERS[i % len(LEADERS)]))
    if tall:
        rows.append(Row(str(n_rows + 1), "（附）兜底事项", "任务：各镇街道落实", tuple(f"第{k}镇人民政府" for k in range(1, 61)),
                        "蔡晖"))
    return rows


def make_docx(path: Path, rows: list[Row], split_at: int | None = None) -> Path:
    """A Word notice: title and number, the table (header repeated by Word, 项目 merged down), the date.

    With ``split_at`` the table is split in two there: a page break, then the second part
    with its header row typed again, as planners do when they paste a table in two goes.
    """
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(NUMBER)
    parts = [rows] if split_at is None else [rows[:split_at], rows[split_at:]]
    for k, part in enumerate(parts):
        if k:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        table = document.add_table(rows=1, cols=len(HEADER))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, HEADER):
            cell.text = text
        header = OxmlElement("w:tblHeader")
        table.rows[0]._tr.get_or_add_trPr().append(header)
        start = None
        for i, row in enumerate(part):
            cells = table.add_row().cells
            cells[0].text, cells[2].text, cells[4].text = row.number, row.task, row.leader
            cells[3].text = row.units[0]
            for unit in row.units[1:]:
                cells[3].add_paragraph(unit)
            if start is None or part[i - 1].project != row.project:
                start = cells[1]
                start.text = row.project
            elif start is not cells[1]:
                start.merge(cells[1])
                _keep_one_paragraph(start)
    document.add_paragraph(DATE)
    document.save(path)
    return path


def make_two_header_docx(path: Path, n_rows: int = 60) -> Path:
    """A table whose header is two rows (责任单位 over 牵头/配合), repeated by Word on every page,
    split in two with both header rows typed again."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph(TITLE)
    for part in (range(0, n_rows // 2), range(n_rows // 2, n_rows)):
        if part.start:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        table = document.add_table(rows=2, cols=4)
        table.style = "Table Grid"
        for r, texts in enumerate(TWO_HEADER):
            for cell, text in zip(table.rows[r].cells, texts):
                cell.text = text
            table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for i in part:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = str(i + 1), f"任务{i + 1}：推进重点工作"
            cells[2].text, cells[3].text = UNITS[i % len(UNITS)], UNITS[(i + 1) % len(UNITS)]
    document.save(path)
    return path


TWO_HEADER = (("序号", "目标任务", "责任单位", "责任单位"), ("序号", "目标任务", "牵头单位", "配合单位"))


def two_header_rows(n_rows: int = 60) -> list[tuple[str, ...]]:
    """The rows :func:`make_two_header_docx` writes, header once."""
    return [*TWO_HEADER, *((str(i + 1), f"任务{i + 1}：推进重点工作", UNITS[i % len(UNITS)], UNITS[(i + 1) % len(UNITS)])
                           for i in range(n_rows))]


def _keep_one_paragraph(cell) -> None:
    """Drop the empty paragraphs python-docx leaves in a merged cell (Word shows one text)."""
    for p in cell.paragraphs[1:]:
        if not p.text:
            p._p.getparent().remove(p._p)


def make_xlsx(path: Path, rows: list[Row]) -> Path:
    """A workbook as planners fill it: a title row merged across, the header, 项目 merged down, units on lines."""
    import openpyxl
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "分解表"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(list(HEADER))
    first = None
    for i, row in enumerate(rows):
        sheet.append([int(row.number), row.project, row.task, "\n".join(row.units), row.leader])
        r = sheet.max_row
        sheet.cell(r, 4).alignment = Alignment(wrap_text=True)
        if first is None or rows[i - 1].project != row.project:
            if first is not None and r - 1 > first:
                sheet.merge_cells(start_row=first, start_column=2, end_row=r - 1, end_column=2)
            first = r
    if first is not None and sheet.max_row > first:
        sheet.merge_cells(start_row=first, start_column=2, end_row=sheet.max_row, end_column=2)
    book.save(path)
    return path


def make_html(rows: list[Row]) -> str:
    """A government web page: menu, banner, breadcrumb, the notice with its table, share links and footer."""
    body = []
    i = 0
    while i < len(rows):
        span = 1
        while i + span < len(rows) and rows[i + span].project == rows[i].project:
            span += 1
        for k in range(span):
            row = rows[i + k]
            project = f'<td rowspan="{span}">{row.project}</td>' if k == 0 else ""
            units = "<br/>".join(row.units)
            body.append(f"<tr><td>{row.number}</td>{project}<td><p>{row.task}</p></td><td>{units}</td>"
                        f"<td>{row.leader}</td></tr>")
        i += span
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{TITLE}_晋江市人民政府</title>
<style>td {{ border: 1px solid }}</style><script>var menu = "发改局牵头";</script></head>
<body>
<header><div class="logo">晋江市人民政府</div></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li>市发改局</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="article">
<h1>{TITLE}</h1>
<p class="number">{NUMBER}</p>
<p>各镇人民政府、街道办事处，市直有关单位：</p>
<table border="1" cellspacing="0"><thead><tr>{head}</tr></thead><tbody>
{"".join(body)}
</tbody></table>
<p style="text-align:right">{DATE}</p>
</div>
<div class="share">分享到：微信 微博</div>
<footer><p>主办单位：中共晋江市委宣传部</p><p>承办单位：晋江市融媒体中心</p></footer>
<div id="bottom">版权所有：晋江市人民政府 闽ICP备05000000号</div>
</body></html>
"""


@functools.cache
def workdir() -> Path:
    """One folder for the files the test session makes (converted once, read by several tests), removed at exit."""
    path = Path(tempfile.mkdtemp(prefix="respkg-formats-"))
    atexit.register(shutil.rmtree, path, True)
    return path


#: Word files the format tests make; converting one to a format converts all that exist, in one soffice run.
WRITER_SOURCES = ("plan.docx", "two-header.docx", "text-only.docx")


def converted(source: str, target: str) -> Path:
    """``source`` (a file made in :func:`workdir`) converted by LibreOffice to ``target``, once per session."""
    batch = (source,)
    if source in WRITER_SOURCES:
        batch = tuple(name for name in WRITER_SOURCES if (workdir() / name).exists())
    return dict(zip(batch, convert_many(batch, target)))[source]


@functools.cache
def convert_many(sources: tuple[str, ...], target: str) -> tuple[Path, ...]:
    """Several files converted to one format in ONE soffice run (its start-up is the slow part)."""
    from kg.parse.office import convert

    out = Path(tempfile.mkdtemp(prefix=f"to-{target}-", dir=workdir()))
    return tuple(convert([workdir() / s for s in sources], target, out))


class Listener:
    """A TCP listener on loopback that counts the connections made to it (none may arrive)."""

    def __init__(self) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                conn.settimeout(1)
                conn.recv(4096)
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nHELLO")
            except OSError:
                pass
            conn.close()

    def __enter__(self) -> "Listener":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()
