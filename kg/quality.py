"""Data-quality findings: everything a parser could not resolve with certainty.

A parser never fixes the source silently; it keeps what the source says in the records
and reports here what looks wrong or what it had to decide, with the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Finding", "SEVERITIES", "KINDS", "summarise", "finding_to_json", "FINDING_COLUMNS", "finding_row", "sort_findings",
           "record_findings"]

SEVERITIES = ("error", "warning", "info")

#: Every kind of finding, with the one-line meaning shown in reports.
KINDS = {
    "heads-resolved": "heads aligned to units with evidence from other rows (the lists differ in length)",
    "heads-open": "heads that could not be aligned to a unit; the unit's heads are left empty",
    "head-differs": "a unit's head differs from the person named for it in most other rows (a likely slip)",
    "rare-spelling": "a name seen once, one character off a frequent one; a warning when their roles agree too",
    "numbering-gap": "task numbers skipped (a jump of more than 3 is an error that stops the parse)",
    "numbering-duplicate": "a task number used twice",
    "no-lead": "a task without any unit",
    "no-supervisor": "a task without a city leader",
    "names-joined": "a name rejoined from pieces split over lines",
    "person-column": "a person placed as head or city leader by position, no other row deciding",
    "column-conflict": "a person named both as a unit head and as a city leader",
    "reconciled": "names in several plans of one government, taken as one entity each",
    "kept-apart": "names in plans of different governments, kept as separate entities",
    "number-unresolved": "a number in a text read neither as a target nor as a year, date, ordinal or name",
    "project-borderline": "a name that may be a project, left out of the graph",
    "narrative-no-year": "a statement of a report whose year the text does not state; its year is left empty",
    "narrative-skipped": "a block of a report that is not a statement (address, glossary, reportage, proposals), left out",
    "post-unsplit": "a post followed by what looks like a name that could not be cut off; no mention made",
    "lead-convention": "leads taken from a convention the text states (列第一位的为牵头单位, 分别牵头), for the tasks named",
    "text-skipped": "a line of a text that fits no rule (a stray note, a page header, a clause saying nothing known), left out",
    "markup-removed": "HTML tags or entities left in a text, removed before it was read",
    "number-lost": "a task whose number is missing from the text (a repost lost its digits), numbered after the one before",
    "numbering-break": "task numbers going back or jumping far; the records are numbered by their rank",
    "cut-off": "the text ends inside its last task: what was cut short is left out",
    "no-text": "a task that says who is responsible but has no task text",
    "first-leads": "tasks listing units with no lead column or marker: the first unit listed leads (the common convention)",
    "row-continued": "a table row without a number read as the rest of the task before (a row split over a page break)",
    "row-skipped": "a table row that is no task, heading or header (no task text), left out",
    "table-skipped": "a table without a header and unlike the table before it, left out",
    "number-unread": "a task number cell that is no number; the task is numbered after the one before",
    "units-unread": "a line of a unit cell that is no list of unit names (a sentence, a note), left out of the units",
    "document-note": "what a format reader did to the file (a row joined across a PDF page break, a conversion), to check",
    "progress-empty": "rows of a progress sheet that name a task and report nothing: their tasks count as not reported",
    "progress-percent": "a completion percentage that is no number or outside 0–100 %, left out (the row's other cells read)",
    "progress-status": "a status word outside the status scheme: kept as text, the task counted as reported without status",
    "progress-unmatched": "a progress row that names no task of its plan (by number or by text), kept out of the counts",
    "progress-text-match": "a progress row matched to its task by the similarity of its text (the score kept)",
    "progress-number-text": "a progress row whose number and text name different tasks: the number is taken",
    "progress-duplicate": "a second row for one task in one source: the first row counts, the second is left out",
    "progress-date": "a progress source dated outside its plan's year",
}


@dataclass(frozen=True)
class Finding:
    """One observation about the source: kind, severity, where, what and why."""

    kind: str
    severity: str
    message: str
    task: int | None = None
    lines: tuple[int, int] | None = None
    evidence: tuple[str, ...] = field(default=())

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind {self.kind!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")


def finding_to_json(f: Finding) -> dict[str, Any]:
    """A finding as a JSON object."""
    return {
        "kind": f.kind,
        "severity": f.severity,
        "task": f.task,
        "lines": list(f.lines) if f.lines else None,
        "message": f.message,
        "evidence": list(f.evidence),
    }


def summarise(findings: list[Finding]) -> list[tuple[str, str, int]]:
    """Counts of findings by (kind, severity), in the order of KINDS."""
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        counts[(f.kind, f.severity)] = counts.get((f.kind, f.severity), 0) + 1
    order = list(KINDS)
    return [(k, s, n) for (k, s), n in sorted(counts.items(), key=lambda kv: (order.index(kv[0][0]), SEVERITIES.index(kv[0][1])))]


FINDING_COLUMNS = ("severity", "kind", "task", "lines", "message", "evidence")


def finding_row(f: Finding) -> tuple:
    """One finding as a row of FINDING_COLUMNS."""
    lines = f"{f.lines[0]}–{f.lines[1]}" if f.lines else ""
    return (f.severity, f.kind, f.task, lines, f.message, "; ".join(f.evidence))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings by severity (errors first), then task number, then kind."""
    order = list(KINDS)
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.task or 0, order.index(f.kind)))


def record_findings(tasks) -> list[Finding]:
    """The findings the records alone show: numbering gaps and duplicates, tasks without a lead
    unit or a city leader. Parsers report them, and so does loading a records file.
    """
    out: list[Finding] = []
    prev = None
    for t in tasks:
        if prev is None and t.no != 1:
            out.append(Finding("numbering-gap", "error", f"the table starts at task {t.no}, not 1",
                               t.no, t.source.lines))
        elif prev is not None and t.no == prev.no:
            out.append(Finding("numbering-duplicate", "error", f"task number {t.no} is used twice",
                               t.no, t.source.lines, (f"lines {prev.source.lines[0]} and {t.source.lines[0]}",)))
        elif prev is not None and t.no > prev.no + 1:
            missing = ", ".join(str(n) for n in range(prev.no + 1, t.no))
            out.append(Finding("numbering-gap", "error", f"task numbers missing before {t.no}: {missing}",
                               t.no, t.source.lines))
        if not t.units:
            out.append(Finding("no-lead", "error", f"task {t.no} names no unit", t.no, t.source.lines))
        if not t.supervisors:
            out.append(Finding("no-supervisor", "warning", f"task {t.no} names no city leader",
                               t.no, t.source.lines))
        prev = t
    return out
