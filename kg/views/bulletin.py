"""The quarter's progress bulletin (进展情况通报) as a Word document a planner edits and sends.

Built from the statuses at a date (:mod:`kg.analysis.progress`), in the order bulletins are
written: the title with the period; an overview paragraph with the counts and shares; a
table of each city leader's portfolio by status; then, task by task, the lists of overdue and
behind tasks with their lead units, latest progress and the problems stated; last, the lead
units that reported nothing for some of their tasks. In Chinese, 宋体 for the text and 黑体 for
the headings (Word and WPS have both; LibreOffice falls back to the CJK font it has), A4;
every text from the sources goes in as text, never as a field or markup. Written atomically.
"""

from __future__ import annotations

from collections import Counter

from kg.analysis.progress import TaskProgress, progress_by
from kg.output import write_atomic_with
from kg.views.progress import SHOWN, STATUS_ZH

__all__ = ["write_bulletin", "overview"]

_BODY_FONT, _HEADING_FONT = "宋体", "黑体"
_NUMERALS = "一二三四五六七八九十"


def _date_zh(iso: str) -> str:
    return f"{int(iso[:4])}年{int(iso[5:7])}月{int(iso[8:10])}日"


def overview(tasks: list[TaskProgress], as_of: str, plan: str) -> str:
    """The overview paragraph: the tasks of the plan and how many are in each status, with shares."""
    counts = Counter(t.status for t in tasks)
    n = len(tasks)
    parts = [f"{STATUS_ZH[s]}{counts[s]}项（{counts[s] / n:.1%}）" for s in SHOWN] if n else []
    return (f"截至{_date_zh(as_of)}，{plan}共{n}项，" + "，".join(parts) + "。") if n else \
        f"截至{_date_zh(as_of)}，{plan}没有任务。"


def _font(run, name: str, size: float | None = None, bold: bool = False) -> None:
    """A run in a CJK font (the east-Asian slot too, which Word uses for Chinese characters)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.bold = bold
    if size:
        run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _heading(doc, text: str, size: float = 14) -> None:
    p = doc.add_paragraph()
    _font(p.add_run(text), _HEADING_FONT, size, bold=True)


def _paragraph(doc, text: str):
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(24)
    _font(p.add_run(text), _BODY_FONT, 12)
    return p


def _table(doc, header: list[str], rows: list[list], widths: tuple[float, ...] | None = None) -> None:
    """A ruled table, the header in bold 黑体; ``widths`` in cm per column (Word keeps them per cell)."""
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = widths is None
    for cell, name in zip(table.rows[0].cells, header):
        _font(cell.paragraphs[0].add_run(name), _HEADING_FONT, 10.5, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            _font(cell.paragraphs[0].add_run("" if value is None else str(value)), _BODY_FONT, 10.5)
    if widths:
        for column, width in zip(table.columns, widths):
            column.width = Cm(width)  # the grid, which LibreOffice and WPS lay out by
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Cm(width)


def _task_rows(tasks: list[TaskProgress]) -> list[list]:
    return [[t.no, t.text, "、".join(t.leads), "、".join(t.supervisors),
             t.latest.progress if t.latest else "", t.latest.problems if t.latest else ""] for t in tasks]


def write_bulletin(path: str, tasks: list[TaskProgress], as_of: str, plan: str) -> None:
    """Write the bulletin of ``tasks`` (one plan's, labelled ``plan``) at ``as_of`` as a .docx file."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"{plan}进展情况通报"), _HEADING_FONT, 18, bold=True)
    period = doc.add_paragraph()
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(period.add_run(f"（截至{_date_zh(as_of)}）"), _BODY_FONT, 12)
    _paragraph(doc, overview(tasks, as_of, plan))
    sections = [
        ("各分管市领导任务进展", lambda: _table(
            doc, ["分管市领导", "任务数", *(STATUS_ZH[s] for s in SHOWN)],
            [[c.name, c.tasks, c.done, c.on_track, c.behind, c.overdue, c.not_reported]
             for c in progress_by(tasks, "supervisor")])),
    ]
    for status in ("overdue", "behind"):
        chosen = [t for t in tasks if t.status == status]
        sections.append((f"{STATUS_ZH[status]}任务（{len(chosen)}项）", lambda chosen=chosen: _table(
            doc, ["序号", "目标任务", "牵头单位", "分管市领导", "最新进展", "存在问题"], _task_rows(chosen),
            (1.2, 5.6, 2.4, 2.4, 2.7, 1.7))
            if chosen else _paragraph(doc, "无。")))
    silent = Counter(u for t in tasks if t.status == "not_reported" for u in t.leads)
    sections.append((f"未报送进展的牵头单位（{len(silent)}个）", lambda: _paragraph(
        doc, "、".join(f"{u}（{n}项）" for u, n in silent.most_common()) + "。" if silent else "无。")))
    for i, (heading, body) in enumerate(sections):
        _heading(doc, f"{_NUMERALS[i]}、{heading}")
        body()
    write_atomic_with(path, doc.save)
