"""Progress rows read against their plan: the task each row names, its status concept, its date.

:func:`match_progress` takes one progress source (:class:`kg.parse.result.ProgressResult`) and
the plans loaded with it and decides:

- **its plan** — the one given (``--plan``: a plan's document number or file), else the
  loaded plan whose document number the source's title cites, else the only plan loaded;
  otherwise an :class:`~kg.errors.InputError` naming the plans loaded;
- **its date** — the as-of date of its title; a title that names a period without a year
  (`第三季度`) takes the plan's year; none at all takes ``as_of`` (``kg build --as-of``),
  else an error saying where to put one; a date outside the plan's year is a ``progress-date``
  finding (a year-end return is often dated in January);
- **each row's task** — by its number where the plan has that task (a row whose text names
  another task better is a ``progress-number-text`` finding; the number is taken), else by the
  similarity of its text to the plan's task texts (:func:`similarity`, at least
  :data:`MATCH_THRESHOLD`, the score kept, a ``progress-text-match`` finding); a row matching
  no task is a ``progress-unmatched`` finding and counts for none; a second row for one task
  is a ``progress-duplicate`` finding, the first counting;
- **its status** — the status word mapped onto the scheme (:data:`STATUS_WORDS`); a word
  outside it is a ``progress-status`` finding, kept as text, the row counted as reported
  without a status.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Sequence

from kg.errors import InputError
from kg.names import clean
from kg.parse.dates import as_of as read_as_of
from kg.parse.result import ParseResult, ProgressResult, ProgressRow, doc_numbers
from kg.quality import Finding
from kg.records import Task

__all__ = ["STATUSES", "STATUS_WORDS", "status_concept", "similarity", "MATCH_THRESHOLD",
           "ProgressEntry", "ProgressReport", "match_progress", "plan_names"]

#: The reported statuses of the scheme (ontology/respkg.ttl, rk:ReportedStatus): ``ahead`` is
#: narrower than ``on_track``, ``not_started`` narrower than ``behind``.
STATUSES = ("done", "on_track", "ahead", "behind", "not_started")
#: The words bulletins and returns write, by concept.
STATUS_WORDS = {
    "done": ("已完成", "完成", "提前完成", "已办结", "办结", "全面完成", "已完成年度目标", "圆满完成"),
    "ahead": ("超进度", "超序时进度", "超额完成序时进度", "快于序时进度", "提前推进"),
    "on_track": ("正常推进", "序时推进", "达进度", "按计划推进", "按序时推进", "推进中", "正在推进", "进行中",
                 "达到序时进度", "符合序时进度", "按时序推进", "正常"),
    "behind": ("滞后", "欠进度", "进度滞后", "未达序时进度", "未达进度", "滞后推进", "慢于序时进度", "未完成"),
    "not_started": ("未启动", "尚未启动", "未开展", "未开工"),
}
_BY_WORD = {w: concept for concept, words in STATUS_WORDS.items() for w in words}
#: The lowest similarity at which a row's text names a task.
MATCH_THRESHOLD = 0.6
_PUNCT_RE = re.compile(r"[\s，。；、：:,.;“”\"'（）()《》]+")


def status_concept(word: str | None) -> str | None:
    """The concept of a status word (`序时推进` → ``on_track``), None where it is outside the scheme.

    >>> status_concept("超进度"), status_concept(" 已 完成 "), status_concept("差不多")
    ('ahead', 'done', None)
    """
    return _BY_WORD.get(re.sub(r"\s+", "", word)) if word else None


def _norm(text: str) -> str:
    return _PUNCT_RE.sub("", clean(text))


def similarity(row_text: str, task_text: str) -> float:
    """How well a row's text names a task, 0–1: a row that quotes the opening of the task (or
    all of it, or is quoted whole by it) scores by how much of the task it quotes, from 0.6 up;
    otherwise the two texts' sequence-match ratio.

    >>> similarity("落实科技创新优惠政策", "落实科技创新优惠政策，引导企业加大研发投入。") >= 0.6
    True
    >>> similarity("修路", "建设不存在的任务") < 0.6
    True
    """
    a, b = _norm(row_text), _norm(task_text)
    if not a or not b:
        return 0.0
    short, long = sorted((a, b), key=len)
    if len(short) >= 6 and long.startswith(short) or len(short) >= 10 and short in long:
        return round(0.6 + 0.4 * len(short) / len(long), 3)
    return round(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), 3)


@dataclass(frozen=True)
class ProgressEntry:
    """One row matched to its task: the task's number and occurrence in the plan (as its IRI
    mints them), how it was matched and with what score, the status concept."""

    row: ProgressRow
    task_no: int
    occurrence: int
    match: str  # "number" | "text"
    score: float
    status: str | None  # a concept of STATUSES, None where no word or an unknown one


@dataclass
class ProgressReport:
    """One progress source read against its plan: the entries and every finding."""

    source: ProgressResult
    plan: ParseResult
    as_of: str
    entries: list[ProgressEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def plan_names(plan: ParseResult) -> tuple[str, ...]:
    """The names a plan answers to on the command line: its document number, its file and its stem."""
    return tuple(n for n in (plan.meta.doc_number, plan.file, re.sub(r"\.[^.]+$", "", plan.file)) if n)


def _plan_of(source: ProgressResult, plans: Sequence[ParseResult], named: str | None) -> ParseResult:
    """The plan a source reports on (see the module docstring)."""
    loaded = "、".join(p.meta.doc_number or p.file for p in plans) or "none"
    if named:
        for p in plans:
            if named in plan_names(p):
                return p
        raise InputError(f"--plan {named!r}: no plan loaded by that document number or file "
                         f"(plans loaded: {loaded})")
    cited = doc_numbers(source.title or "")
    for p in plans:
        if p.meta.doc_number and p.meta.doc_number in cited:
            return p
    if cited and not any(p.meta.doc_number in cited for p in plans):
        raise InputError(f"{source.file}: its title cites {'、'.join(cited)}, a plan not loaded "
                         f"(plans loaded: {loaded}); load that plan with it, or name one with --plan")
    if len(plans) == 1:
        return plans[0]
    if not plans:
        raise InputError(f"{source.file}: a progress source reports on a plan; load the plan with it "
                         "(kg build PLAN PROGRESS …)")
    raise InputError(f"{source.file}: its title names none of the plans loaded ({loaded}); name one with --plan")


def _date_of(source: ProgressResult, plan: ParseResult, given: str | None) -> str:
    """The source's as-of date (see the module docstring)."""
    if source.as_of:
        return source.as_of
    if source.period and plan.meta.year:
        date, _ = read_as_of(source.period, plan.meta.year)
        if date:
            return date
    if given:
        return given
    raise InputError(f"{source.file}: no as-of date: the title names none (截至2021年9月30日, 第三季度, 1-11月); "
                     "write one in the title or pass --as-of YYYY-MM-DD to kg build")


class _Matcher:
    """Finds each row's task in one plan."""

    def __init__(self, plan: ParseResult):
        self.by_no: dict[int, Task] = {}
        for t in plan.tasks:
            self.by_no.setdefault(t.no, t)
        self.tasks = plan.tasks

    def best(self, text: str) -> tuple[Task | None, float]:
        """The task whose text the row's names best, and the score."""
        best, score = None, 0.0
        for t in self.tasks:
            s = similarity(text, t.text)
            if s > score:
                best, score = t, s
        return best, score

    def occurrence(self, task: Task) -> int:
        """The task's occurrence among the plan's tasks of its number (as plan IRIs count them)."""
        return 1 + sum(1 for t in self.tasks[:self.tasks.index(task)] if t.no == task.no)


def _finding(kind: str, severity: str, message: str, row: ProgressRow, task: int | None = None) -> Finding:
    return Finding(kind, severity, message, task, row.lines, tuple(x for x in (row.task_text,) if x))


def match_progress(source: ProgressResult, plans: Sequence[ParseResult], plan: str | None = None,
                   as_of: str | None = None) -> ProgressReport:
    """Match one progress source to its plan (see the module docstring)."""
    target = _plan_of(source, plans, plan)
    date = _date_of(source, target, as_of)
    report = ProgressReport(source, target, date, findings=list(source.findings))
    if target.meta.year and int(date[:4]) != target.meta.year:
        report.findings.append(Finding("progress-date", "info", f"dated {date}, outside the plan's year "
                                       f"{target.meta.year}", None, None, (source.period or date,)))
    matcher = _Matcher(target)
    seen: dict[tuple[int, int], ProgressRow] = {}
    for row in source.rows:
        task, how, score = None, "number", 1.0
        if row.task_no is not None and row.task_no in matcher.by_no:
            task = matcher.by_no[row.task_no]
            if row.task_text and similarity(row.task_text, task.text) < MATCH_THRESHOLD:
                other, s = matcher.best(row.task_text)
                if other is not None and other is not task and s >= MATCH_THRESHOLD:
                    report.findings.append(_finding(
                        "progress-number-text", "warning", f"row {row.task_no}'s text names task {other.no} "
                        f"(similarity {s:.2f}); its number is taken", row, task.no))
        elif row.task_text:
            task, score = matcher.best(row.task_text)
            how = "text"
            if task is None or score < MATCH_THRESHOLD:
                task = None
        if task is None:
            named = f"task {row.task_no}" if row.task_no is not None else "its text"
            report.findings.append(_finding("progress-unmatched", "warning", f"the row names {named}, no task of "
                                            f"{target.meta.doc_number or target.file}: left out of the counts", row))
            continue
        if how == "text":
            report.findings.append(_finding("progress-text-match", "info", f"matched to task {task.no} by its text "
                                            f"(similarity {score:.2f})", row, task.no))
        key = (task.no, matcher.occurrence(task))
        if key in seen:
            report.findings.append(_finding("progress-duplicate", "warning", f"a second row for task {task.no} "
                                            f"(the first at line {seen[key].lines[0]} counts)", row, task.no))
            continue
        seen[key] = row
        status = status_concept(row.status)
        if row.status and status is None:
            report.findings.append(_finding("progress-status", "warning", f"status {row.status!r} is none of the "
                                            "scheme's words: kept as text, counted as reported without status",
                                            row, task.no))
        report.entries.append(ProgressEntry(row, task.no, key[1], how, score, status))
    return report
