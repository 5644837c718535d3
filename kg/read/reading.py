"""Reading a text beyond its table row: the targets, projects and towns it names.

One call, :func:`read`, runs the target extraction (:mod:`kg.read.targets`) and the project and
town rules (:mod:`kg.read.mentions`) on a task's or statement's text; the graph takes the
certain readings and :func:`reading_findings` reports the rest — numbers read neither as a
target nor as something else, names that may or may not be projects — so nothing
uncertain enters the graph silently. Results are cached: the quality report and the graph
read the same texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from kg.read import mentions

from kg.read import targets
from kg.read.mentions import Mention
from kg.quality import Finding
from kg.read.targets import Number, Target

__all__ = ["Reading", "read", "extract_targets", "reading_findings", "plan_findings"]


@dataclass(frozen=True)
class Reading:
    """What one text names: its targets and the numbers left unresolved, its projects (certain
    and borderline) and its towns."""

    targets: tuple[Target, ...]
    unresolved: tuple[Number, ...]
    projects: tuple[Mention, ...]
    borderline: tuple[Mention, ...]
    towns: tuple[Mention, ...]


@lru_cache(maxsize=1 << 12)  # a plan's texts are read twice in a row (findings, triples)
def read(text: str) -> Reading:
    """The reading of one text."""
    extraction = extract_targets(text)
    projects, towns, borderline = mentions.all_mentions(text)
    return Reading(
        targets=extraction.targets,
        unresolved=extraction.unresolved,
        projects=tuple(projects),
        borderline=tuple(borderline),
        towns=tuple(towns),
    )


@lru_cache(maxsize=1 << 17)
def extract_targets(text: str) -> targets.Extraction:
    """The targets of one text (:func:`kg.read.targets.extract`), for the stages that need only
    those: which sentences of a report's item set targets, the links across years. Cached
    for a whole build — a thousand reports' sentences and items — as those stages read every
    text again after the graph has."""
    return targets.extract(text)


def reading_findings(items: Iterable[tuple[int | None, tuple[int, int] | None, str]]) -> list[Finding]:
    """Findings for texts given as (task number or None, source lines or None, text): one per
    unresolved number and one per borderline project name."""
    out: list[Finding] = []
    for no, lines, text in items:
        r = read(text)
        where = f"task {no}" if no is not None else "the text"
        for n in r.unresolved:
            out.append(Finding("number-unresolved", "info", f"{where}: {n.text!r} is neither read as a target nor classified",
                               no, lines, (_context(text, n.start, n.end),)))
        for m in r.borderline:
            out.append(Finding("project-borderline", "info", f"{where}: {m.text!r} may name a project ({m.rule}); left out of the graph",
                               no, lines, (_context(text, m.start, m.end),)))
    return out


def plan_findings(result) -> list[Finding]:
    """A parsed plan's findings: the parser's and those of reading its task texts. Computed where
    they are shown or stored (the graph, kg quality), so a big build reads each text once,
    next to building its triples."""
    return list(result.findings) + reading_findings((t.no, t.source.lines, t.text) for t in result.tasks)


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    """The words around a span, for the finding's evidence."""
    return ("…" if start > width else "") + text[max(0, start - width):end + width] + ("…" if end + width < len(text) else "")
