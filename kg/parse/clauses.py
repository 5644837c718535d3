"""The text reader: tasks in their outline, responsibility read from clauses wherever they stand.

One reader for every decomposition published as text, whatever its layout. The outline
(:mod:`kg.parse.outline`) finds the items; each item's lines are read here:

- **labelled clauses** (the vocabulary of :mod:`kg.parse.labels`, full- or half-width
  colon) on the task's line, inside a bracket after it or on the lines under it::

      1.修路。牵头单位：县交通局；配合单位：县财政局；完成时限：2021年6月底前
      2.建桥。（牵头单位:市财政局;责任单位:市审计局、市国资委）
      3﹒全省生产总值增长7%以上。
      牵头负责领导:刘惠。
      牵头责任单位:省发展改革委。
      协同责任单位:省政府各部门、各直属机构。
      部门分工：市发改委牵头，市财政局配合

  a value runs to the next label or its line's end, carried over lines only where a
  unit list wraps; what follows it on its line after a `。` or on later lines is no
  clause and is reported (``text-skipped``), never read as units;
- **bracketed clauses** in `（…）` `(…)` `[…]` `【…】` after the task's text, split on
  `，` `；`: `X、Y牵头` (牵头落实, 分别牵头, 为牵头单位…) lead, `X配合` (协助, 参与…) support,
  `X等负责` (按职责分工负责…) lead unless another clause names the lead, a deadline, a
  label, `分管副省长…负责` (a supervisor), `朱伟县长牵头` (a lead leader), and a bare unit
  list closing the task (the first leads); a bracket with none of these is task text
  (`（含智慧停车）`);
- **progress** paragraphs (`进展情况：…`, ``PROGRESS_FIELDS``) are skipped: neither task
  text nor units;
- **roles**: a lead field or verb leads and a 责任单位 list then supports; a 责任单位 list
  alone leads with its first unit, where the document states it (`列第一位的为牵头单位`,
  in its notice, a `注：` line, or a note inside a unit list, `（…列第一位为牵头或汇总单位，
  下同）` — 下同 makes it hold for the rest of the document; ``lead-convention``), or by the
  common convention (``first-leads``); `分别牵头`/`共同牵头` make every unit listed lead, and
  `市发改委（牵头）` the unit so marked; units keep their source order, a separate lead field
  first; `配合单位：无` names none, and a piece of a list that is a sentence is reported
  (``units-unread``) and left out;
- **leaders** lose their titles (`朱伟县长` → 朱伟); a leader's heading gives its leader to
  the tasks under it;
- the **last item** of a text that stops inside it (an open bracket, `牵头责`, a unit name
  cut short) keeps what is complete; ``cut-off`` says what was lost.

A document in which no item says who is responsible is the only error: LayoutError
"no task found".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg import names
from kg.parse.dates import is_deadline, parse_due
from kg.parse.labels import CLAUSE_RE, FIELDS, PROGRESS_FIELDS, TITLES, field_of, split_title
from kg.parse.outline import Item, Outline, people, read_outline
from kg.parse.result import ParseResult, read_meta
from kg.parse.units import is_group, split_top, split_units, unit_ref
from kg.quality import Finding, record_findings
from kg.records import Due, Source, Task

__all__ = ["parse", "LAYOUT", "CONVENTION_RE", "read_item"]

LAYOUT = "clauses"

LEAD_VERBS = ("分别牵头", "共同牵头", "牵头负责", "牵头落实", "牵头实施", "牵头推进", "牵头办理", "为牵头单位", "牵头",
              "主办", "主抓")
RESPONSIBLE_VERBS = ("按职责分工负责", "按职责分工落实", "按职能分工负责", "按职责负责", "分工负责", "负责落实",
                     "负责实施", "具体负责", "负责")
SUPPORT_VERBS = ("配合落实", "协助落实", "为配合单位", "为责任单位", "配合", "协助", "参与", "协同", "协办")
_VERBS = sorted(LEAD_VERBS + RESPONSIBLE_VERBS + SUPPORT_VERBS, key=len, reverse=True)
_VERB_RE = re.compile("^(.*?)(" + "|".join(_VERBS) + ")$")
SEPARATE_LEADS = ("分别牵头", "共同牵头")
#: A stated convention that the first unit listed leads.
CONVENTION_RE = re.compile(r"(列|排|排名|排序|居)(在)?(第一位|首位|第一|最前)[的者]?(单位)?(为|是)?(牵头|主办|主责)"
                           r"|第一个?(单位)?(为|是)(牵头|主办|主责)")
#: A mark after one unit of a list: that unit leads (`市发改委（牵头）、市财政局`).
_LEAD_MARK_RE = re.compile(r"[（(](牵头|牵头单位|总牵头|主办|主责)[）)]")
#: A mark after a unit that supports, as every unmarked one does (`市统计局（配合）`).
_SUPPORT_MARK_RE = re.compile(r"[（(](配合|协办|协助|参与|协同)(单位)?[）)]")
#: A bullet opening a task's text (`● `, `★`, `——`).
_BULLET_RE = re.compile(r"^[●■◆◇★☆▲△○•·►▶—\-]+\s*")
#: A value that names no unit (`配合单位：无`).
_NONE = ("无", "/", "-", "—", "暂无", "无。")
_SUPERVISOR_RE = re.compile("^(?:分管|联系)(?:" + "|".join(TITLES) + "|[省市县区]领导)?(.*?)(?:同志)?负责$")
_UNIT_FIELDS = ("lead", "support", "units")
_KIND = {"lead": "lead", "support": "support", "units": "responsible"}
_OPEN, _CLOSE = "（(【[", "）)】]"
_END_PUNCT = "。；;）)】]！？!?”\""
_EDGE = " \t\n；;。.，,、"
_LABEL_WORDS = tuple(w for n in ("lead", "support", "units", "heads", "lead_leaders", "supervisors", "due")
                     for w in FIELDS[n])


@dataclass
class _Entry:
    """Units named by one clause: how the clause names them, where it stands."""

    kind: str  # lead / support / responsible (a 责任单位 list or bare list) / charged (X负责)
    names: list[str]
    line: int
    separate: bool = False  # 分别牵头: every unit leads its part
    lead_field: bool = False
    marked: frozenset[str] = frozenset()  # units marked `（牵头）` in the list


@dataclass
class Read:
    """What one item's lines say: its text, units by clause, leaders, deadline, findings."""

    text: str
    entries: list[_Entry] = field(default_factory=list)
    lead_leaders: tuple[str, ...] = ()
    supervisors: tuple[str, ...] = ()
    due: Due | None = None
    findings: list[Finding] = field(default_factory=list)
    convention: int | None = None  # the line of a convention stated inside the item
    convention_onwards: bool = False  # ... with 下同: for the rest of the document
    has_clause: bool = False


def _depths(body: str) -> list[int]:
    """The bracket depth before each character of ``body``; a line opening with a label is
    outside every bracket (one left open before it, as in `增幅(8.8%`, was a slip)."""
    out, depth = [], 0
    for i, ch in enumerate(body):
        if depth and (i == 0 or body[i - 1] == "\n") and CLAUSE_RE.match(body[i:i + 12].lstrip(" \t\u3000")):
            depth = 0
        out.append(depth)
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    out.append(depth)
    return out


def _groups(text: str, depth: list[int]) -> list[tuple[int, int]]:
    """Top-level bracket pairs of ``text`` as (open, close) offsets; an open one ends at the end."""
    out, start = [], None
    for i, ch in enumerate(text):
        if ch in _OPEN and depth[i] == 0:
            start = i
        elif ch in _CLOSE and depth[i] == 1 and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(text)))
    return out


def _titled(piece: str) -> bool:
    """True for a leader written with a post (`张三副市长`, `副市长张三`, `朱伟同志`)."""
    name, post = split_title(piece)
    return post is not None and names.is_person_like(name)


def _is_name(piece: str) -> bool:
    return names.is_unit_like(piece) or is_group(piece)


#: Last characters of names that are no unit's by their ending but complete (`各区、县级市`,
#: `全区经济运行各专班`, `合肥海关`).
_NAME_ENDINGS = tuple("市区县镇乡村旗班场厂园馆司网台关库")


def _cut_name(piece: str) -> bool:
    """True for a name the end of a text cut short (`县财`, `市人力资源社会保`)."""
    if len(piece) < 2:
        return True
    return not (_is_name(piece) or piece.endswith(_NAME_ENDINGS) or piece.startswith(("各", "全")))


class _ItemReader:
    """Reads one item: ``last_line`` is the text's last line where the item is the last one."""

    def __init__(self, item: Item, no: int, year: int | None, last_line: int):
        self.item, self.no, self.year = item, no, year
        self.at_end, self.last_line = last_line > 0, last_line
        self.read = Read(text="")

    def finding(self, kind: str, severity: str, message: str, line: int, evidence: tuple[str, ...] = ()) -> None:
        self.read.findings.append(Finding(kind, severity, message, self.no, (line, line), evidence))

    # --- units ----------------------------------------------------------------------------

    def split(self, value: str, line: int) -> list[str]:
        """The unit names of a list; pieces that are no name are reported and left out."""
        joins: list[tuple[str, str]] = []
        try:
            found = split_units(value, joins)
        except ValueError:
            found = []
            for piece in split_top(value, "、，,；;/"):
                try:
                    found += split_units(piece, joins)
                except ValueError as exc:
                    self.finding("units-unread", "warning", f"task {self.no}: {str(exc)[:30]!r} is no unit name, "
                                 "left out of its units", line)
        self.read.findings += [Finding("names-joined", "info", f"joined {a!r} + {b!r} → {a + b!r}", self.no,
                                       (line, line + 1), (f"{a!r} cannot stand alone as a name",)) for a, b in joins]
        kept = [name for name in found if len(name) <= 10 or not _cut_name(name)]
        for name in found:
            if name not in kept:  # `由市发改委会同有关部门研究制定`: a sentence, no name
                self.finding("units-unread", "warning", f"task {self.no}: {name[:30]!r} is no unit name, left out "
                             "of its units", line)
        return kept

    def notes(self, value: str, line: int) -> tuple[str, bool]:
        """A unit list without the notes bracketed in it, and whether one said 分别牵头.

        A note stating the lead convention (`（除标注“分别牵头”外，列第一位为牵头或汇总单位，
        下同）`) is recorded; a bracketed sub-office (`县财政局（县国资中心）`) is no note.
        """
        separate = False
        depth = _depths(value)
        for open_, close in reversed(_groups(value, depth)):
            content = value[open_ + 1:close].strip()
            if not (CONVENTION_RE.search(content) or content in SEPARATE_LEADS
                    or len(content) > 8 and not _is_name(content)):
                continue  # part of the name: `各县（市）区政府`, `县财政局（县国资中心）`
            if CONVENTION_RE.search(content):
                self.read.convention = line
                self.read.convention_onwards = self.read.convention_onwards or "下同" in content
            elif content in SEPARATE_LEADS:
                separate = True
            else:
                self.finding("text-skipped", "info", f"task {self.no}: a note in a unit list left out: "
                             f"{content[:30]!r}", line)
            value = value[:open_] + value[close + 1:]
        return value, separate

    def units(self, value: str, field_name: str, line: int) -> None:
        """The entries of a unit clause: a list, or `X牵头，Y配合` clauses."""
        marked = frozenset(names.clean(re.split("[、，,；;]", value[:m.start()])[-1])
                           for m in _LEAD_MARK_RE.finditer(value))
        value = _SUPPORT_MARK_RE.sub("", _LEAD_MARK_RE.sub("", value))
        value, separate = self.notes(value, line)
        value = value.strip(_EDGE)
        if value in _NONE:
            return
        m = re.search("(" + "|".join(SEPARATE_LEADS) + ")$", value)
        if m and not re.search("[，,；;]", value):
            value, separate = value[:m.start()].strip(_EDGE), True
        clauses = [c.strip() for c in split_top(value, "，,；;") if c.strip()]
        if any(self.verb(names.clean(c), line, dry=True) for c in clauses):
            for c in clauses:
                if not self.verb(names.clean(c), line):
                    self.add(_KIND[field_name], self.split(c, line), line, separate, field_name == "lead")
            return
        self.add(_KIND[field_name], self.split(value, line), line, separate, field_name == "lead", marked)

    def add(self, kind: str, found: list[str], line: int, separate: bool = False, lead_field: bool = False,
            marked: frozenset[str] = frozenset()) -> None:
        if found:
            self.read.entries.append(_Entry(kind, found, line, separate, lead_field, marked & set(found)))
            self.read.has_clause = True

    def verb(self, clause: str, line: int, dry: bool = False) -> bool:
        """Read `X、Y牵头` / `X配合` / `X等负责` / `分管副市长…负责` / `朱伟县长牵头`; False if it is none."""
        m = _SUPERVISOR_RE.match(clause)
        if m and not _is_name(m.group(1)):  # a person (`分管副省长王强负责`), or the post alone
            if not dry:
                self.read.supervisors += tuple(p for p in people(m.group(1)) if names.is_person_like(p))
                self.read.has_clause = True
            return True
        m = _VERB_RE.match(clause)
        if not m or not m.group(1).rstrip("等"):
            return False
        subject, verb = m.group(1).rstrip("等"), m.group(2)
        pieces = [p for p in re.split("[、]", subject) if p]
        if pieces and all(_titled(p) for p in pieces):
            if not dry:
                if verb in LEAD_VERBS:
                    self.read.lead_leaders += people("、".join(pieces))
                else:
                    self.read.supervisors += people("、".join(pieces))
                self.read.has_clause = True
            return True
        if dry:
            try:
                return any(_is_name(p) for p in split_units(subject))
            except ValueError:
                return False
        kind = "lead" if verb in LEAD_VERBS else "charged" if verb in RESPONSIBLE_VERBS else "support"
        self.add(kind, self.split(subject, line), line)
        return True

    # --- clauses --------------------------------------------------------------------------

    def labelled(self, label: str, value: str, line: int) -> None:
        """One labelled clause's value (its line breaks kept for wrapped unit lists)."""
        name = field_of(label)
        if name in PROGRESS_FIELDS or name is None:
            return
        if name in _UNIT_FIELDS:
            self.units(value, name, line)
            return
        value = names.clean(value).strip(_EDGE)
        if not value:
            return
        self.read.has_clause = True
        if name == "due":
            self.read.due = self.read.due or parse_due(value, self.year)
        elif name in ("lead_leaders", "heads"):
            self.read.lead_leaders += people(value)
        else:
            self.read.supervisors += people(value)

    def bracket(self, content: str, line: int, trailing: bool) -> bool:
        """Read a bracket's clauses; False (nothing read) where it is part of the task's text."""
        clauses = [c.strip() for c in split_top(content, "，,；;") if c.strip()]
        plan: list[tuple[str, str]] = []  # (what, clause)
        for c in clauses:
            cc = names.clean(c)
            if CLAUSE_RE.match(cc):
                plan.append(("label", cc))
            elif self.verb(cc, line, dry=True):
                plan.append(("verb", cc))
            elif is_deadline(cc):
                plan.append(("due", cc))
            elif plan and plan[-1][0] == "label" and self._names_only(cc):
                plan[-1] = ("label", plan[-1][1] + "、" + cc)
            elif self._names_only(cc):
                plan.append(("bare", cc))
            else:
                plan.append(("other", cc))
        kinds = {what for what, _ in plan}
        bare_list = trailing and kinds in ({"bare"}, {"bare", "due"})  # `（县住建局、县城管局）` closing the task
        if not kinds & {"label", "verb"} and not bare_list:
            return False
        for what, cc in plan:
            if what == "label":
                m = CLAUSE_RE.match(cc)
                self.labelled(m.group(1), cc[m.end():], line)
            elif what == "verb":
                self.verb(cc, line)
            elif what == "due":
                self.read.due = self.read.due or parse_due(cc, self.year)
            elif what == "bare":
                self.add("responsible", self.split(cc, line), line)
            else:
                self.finding("text-skipped", "warning", f"task {self.no}: a clause in its bracket says nothing "
                             f"known, left out: {cc[:30]!r}", line)
        return True

    @staticmethod
    def _names_only(clause: str) -> bool:
        try:
            found = split_units(clause)
        except ValueError:
            return False
        return bool(found) and all(_is_name(p) for p in found)

    # --- the item -------------------------------------------------------------------------

    def run(self) -> Read:
        item = self.item
        body = item.body
        depth = _depths(body)
        labels = [m for m in CLAUSE_RE.finditer(body) if depth[m.start()] == 0]
        text_end = labels[0].start() if labels else len(body)
        region = body[:text_end]
        removed: list[tuple[int, int]] = []
        groups = _groups(region, depth)
        for k, (open_, close) in enumerate(reversed(groups)):
            after = region[close + 1:]
            trailing = not after.strip(" \t\n。．.；;，,") and (k == 0)
            if self.bracket(region[open_ + 1:close], item.line_at(open_), trailing):
                removed.append((open_, close))
        text = region
        for open_, close in sorted(removed, reverse=True):
            text = text[:open_] + text[close + 1:]
        self.read.text = _BULLET_RE.sub("", re.sub(r"[\s；;，,、（(：:]+$", "", names.clean_text(text)))
        for k, m in enumerate(labels):
            end = labels[k + 1].start() if k + 1 < len(labels) else len(body)
            self.segment(m.group(1), body[m.end():end], item.line_at(m.end()), k + 1 == len(labels))
        self.cut_off(body, depth[-1])
        return self.read

    def segment(self, label: str, seg: str, line: int, last: bool) -> None:
        """A label's stretch of the body: its value, then lines that are no clause."""
        if field_of(label) in PROGRESS_FIELDS:
            return
        lines = seg.split("\n")
        value, j = lines[0], 1
        unit_field = field_of(label) in _UNIT_FIELDS
        while j < len(lines):
            nxt = lines[j].strip()
            if nxt and not (value.rstrip().endswith(("、", "，", ",")) or nxt.startswith(("、", "，", ","))
                            or unit_field and self._carries(value, nxt)):
                break
            value += "\n" + nxt
            j += 1
        value, tail = self._cut_sentence(value)
        self.labelled(label, value, line)
        rest = [(line + k, s.strip()) for k, s in enumerate([tail] + lines[j:]) if s.strip(_EDGE)]
        for lineno, s in rest:
            lineno = self._line_of(s, lineno)
            if CONVENTION_RE.search(s):
                self.read.convention = lineno
                self.read.convention_onwards = True
            elif self.at_end and last and lineno == self.item.end and self._fragment(s):
                self.finding("cut-off", "warning", f"the text ends inside task {self.no}: {s!r} is the start of "
                             "a clause", lineno, (s,))
            else:
                self.finding("text-skipped", "warning", f"task {self.no}: line {lineno} is no clause of the task, "
                             f"left out: {s[:30]!r}", lineno)

    def _line_of(self, s: str, guess: int) -> int:
        return next((n for n, t in self.item.lines if s and s in t), guess)

    def _carries(self, value: str, nxt: str) -> bool:
        """True if line ``nxt`` carries on the unit list ``value`` (names only, or a name cut)."""
        if CLAUSE_RE.search(nxt) or len(nxt) > 80 or "。" in nxt[:-1]:
            return False
        if self._names_only(nxt.rstrip("。；;")):
            return True
        last = re.split("[、，,；;]", value.strip())[-1]
        return bool(last) and not _is_name(names.clean(last)) and _is_name(names.clean(last + nxt.split("、")[0]))

    @staticmethod
    def _cut_sentence(value: str) -> tuple[str, str]:
        """A value up to a `。` outside brackets that more text follows, and that text."""
        depth = 0
        for i, ch in enumerate(value):
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
            elif ch in "。" and depth == 0 and value[i + 1:].strip(_EDGE):
                return value[:i], value[i + 1:]
        return value, ""

    @staticmethod
    def _fragment(s: str) -> bool:
        """True for the start of a label cut short (`牵头责`)."""
        s = names.clean(s)
        return len(s) >= 2 and any(w.startswith(s) and w != s for w in _LABEL_WORDS)

    def cut_off(self, body: str, open_depth: int) -> None:
        """The last item of a text that stops inside it: drop a name cut short, say so."""
        if not self.at_end or self.item.end != self.last_line:
            return
        tail = body.rstrip()
        if not tail or tail[-1] in _END_PUNCT and open_depth == 0:
            return
        entries = self.read.entries
        last_entry = entries[-1] if entries else None
        if last_entry and last_entry.line == self.item.end and _cut_name(last_entry.names[-1]):
            lost = last_entry.names.pop()
            if not last_entry.names:
                entries.pop()
            self.finding("cut-off", "warning", f"the text ends inside task {self.no}: the unit name {lost!r} is "
                         "cut short, left out", self.item.end, (lost,))
        elif open_depth > 0:
            self.finding("cut-off", "warning", f"the text ends inside task {self.no}: its bracket is not closed",
                         self.item.end)
        elif not self.read.has_clause:
            self.finding("cut-off", "warning", f"the text ends inside task {self.no}, before its responsibility",
                         self.item.end)


def read_item(item: Item, no: int, year: int | None = None, last_line: int = 0) -> Read:
    """What the lines of one item say (see the module docstring); ``last_line`` is the text's
    last line where this is the last item, to tell one cut off by the end of the text."""
    return _ItemReader(item, no, year, last_line).run()


# --- the document -----------------------------------------------------------------------


def _title(preamble: list[str]) -> str | None:
    """The attachment's title, else the notice's: the last preamble line that is not a note,
    an addressee line, a sentence, a document number, an issuer, a date or a page's chrome."""
    for line in reversed(preamble):
        s = names.clean(line)
        if len(s) > 60 or s.startswith(("#", "（", "(", "-", "当前位置", "发布", "时间", "来源")):
            continue
        if not (s.endswith(("：", ":", "。")) or re.search(r"〔\d{4}〕", s) or re.match(r"^[\d〇○零一二三四五六七八九十]{4}年", s)
                and s.endswith("日") or re.search("[：:]", s) or re.match(r".*(人民政府|办公室|办公厅)$", s)):
            return s
    return None


@dataclass
class _Conventions:
    """Who leads where a list names no lead: what the document states, and where it decided."""

    stated: int | None = None  # the line stating that the first listed leads
    applied: list[int] = field(default_factory=list)
    separate: list[int] = field(default_factory=list)
    defaulted: list[int] = field(default_factory=list)


def _roles(read: Read, no: int, conv: _Conventions, stated: bool):
    """The task's units with their roles, in source order with a separate lead field first."""
    entries = sorted(read.entries, key=lambda e: not e.lead_field)
    has_lead = any(e.kind == "lead" or e.marked for e in entries)
    out: list[tuple[str, str]] = []
    first_taken = False
    for e in entries:
        for i, name in enumerate(e.names):
            if e.kind == "lead" or name in e.marked or e.separate and e.kind != "support" \
                    or e.kind == "charged" and not has_lead:
                role = "lead"
            elif e.kind == "responsible" and not has_lead and not first_taken:
                role = "lead" if i == 0 else "support"
            else:
                role = "support"
            out.append((name, role))
        if e.kind == "responsible" and not has_lead and not e.separate and not first_taken:
            first_taken = True
            if len(e.names) > 1:
                (conv.applied if stated else conv.defaulted).append(no)
        if e.separate and len(e.names) > 1 or e.kind == "lead" and e.names and e.separate:
            conv.separate.append(no)
    seen: dict[str, str] = {}
    for name, role in out:
        seen.setdefault(name, role)
    return tuple(unit_ref(name, role) for name, role in seen.items())


def _stated_line(outline: Outline, text_lines: list[str]) -> int | None:
    """The line of the preamble or a note stating that the first unit listed leads."""
    first_item = outline.items[0].start if outline.items else len(text_lines)
    for i, line in enumerate(text_lines[:first_item - 1], 1):
        if CONVENTION_RE.search(line) and not line.lstrip().startswith("#"):
            return i
    return next((n for n, s in outline.notes if CONVENTION_RE.search(s)), None)


def parse(text: str, file: str) -> ParseResult:
    """Parse a text decomposition into records and findings (see the module docstring).

    Raises LayoutError only when no task is found (or a line is too long to be a line).
    """
    outline = read_outline(text, file)
    meta = read_meta("\n".join(outline.preamble), _title(outline.preamble))
    conv = _Conventions(stated=_stated_line(outline, text.split("\n")))
    onwards = conv.stated is not None
    tasks: list[Task] = []
    findings: list[Finding] = []
    by_line: dict[int, int] = {}
    for item, no in zip(outline.items, outline.numbers):
        at_end = outline.last_line if item is outline.items[-1] else 0
        read = read_item(item, no, meta.year, at_end)
        onwards = onwards or read.convention is not None and read.convention_onwards
        if read.convention is not None and conv.stated is None:
            conv.stated = read.convention
        units = _roles(read, no, conv, onwards or read.convention is not None)
        if not read.text and read.has_clause:
            findings.append(Finding("no-text", "warning", f"task {no} says who is responsible but not for what",
                                    no, (item.start, item.end)))
        findings.extend(read.findings)
        by_line[item.start] = no
        tasks.append(Task(no=no, chapter=item.chapter, section=item.section, text=read.text, units=units,
                          supervisors=tuple(dict.fromkeys(read.supervisors)), source=Source(file, (item.start, item.end)),
                          due=read.due, lead_leaders=tuple(dict.fromkeys(item.leaders + read.lead_leaders))))
    structural = [Finding(f.kind, f.severity, f.message, f.task or _task_at(by_line, f.lines), f.lines, f.evidence)
                  for f in outline.findings]
    notes = [Finding("text-skipped", "info", f"line {n}: a note that states no convention the reader knows, left "
                     f"out: {s[:30]!r}", _task_at(by_line, (n, n)), (n, n)) for n, s in outline.notes
             if not CONVENTION_RE.search(s)]
    findings = structural + notes + findings + _convention_findings(conv)
    findings.extend(f for f in record_findings(tasks) if not f.kind.startswith("numbering-"))
    return ParseResult(tasks, findings, file, LAYOUT, meta)


def _task_at(by_line: dict[int, int], lines: tuple[int, int] | None) -> int | None:
    return by_line.get(lines[0]) if lines else None


def _convention_findings(conv: _Conventions) -> list[Finding]:
    """One finding per convention the reader applied, naming the tasks."""
    def shown(tasks: list[int]) -> str:
        tasks = list(dict.fromkeys(tasks))
        return ", ".join(map(str, tasks[:20])) + ("…" if len(tasks) > 20 else "")

    out = []
    if conv.applied:
        out.append(Finding("lead-convention", "info", f"the document states that the first unit listed leads "
                           f"(line {conv.stated}): applied to {len(set(conv.applied))} task(s)", None,
                           (conv.stated, conv.stated) if conv.stated else None, (f"tasks {shown(conv.applied)}",)))
    if conv.separate:
        out.append(Finding("lead-convention", "info", f"{len(set(conv.separate))} task(s) say every unit listed "
                           "leads its part (分别牵头/共同牵头)", None, None, (f"tasks {shown(conv.separate)}",)))
    if conv.defaulted:
        out.append(Finding("first-leads", "info", f"{len(set(conv.defaulted))} task(s) list units with no lead "
                           "marker and the document states no convention: the first unit listed leads each (the "
                           "common convention)", None, None, (f"tasks {shown(conv.defaulted)}",)))
    return out
