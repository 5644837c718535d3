"""The person column of a responsibility table: who heads a unit, who is a city leader.

After the units, a row lists people: first the heads of its units (责任领导), then the
city leaders in charge (分管市领导). Nothing in the text marks where one list ends, and
the head list is sometimes shorter or longer than the unit list. Both questions are
answered from the whole table, never guessed from one row:

* **Columns.** A person is a head everywhere or a city leader everywhere. The last
  person of a row is a city leader and the first one a head (seeds); since heads come
  before city leaders, everyone before a known head is a head and everyone after a known
  city leader is one (propagation, to a fixpoint). People no row decides are placed by
  position (a row has about one head per unit) and reported.
* **Alignment.** Equal lists pair in order; a single unit takes all heads. Otherwise a
  head goes to a unit only where other rows show that person heading that unit (a
  sub-office counts as its parent); the rest stay unassigned, and every decision is a
  finding with its evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from kg import names
from kg.quality import Finding

__all__ = ["Row", "assign_people", "align_heads", "HEAD", "LEADER"]

HEAD, LEADER = "head", "leader"


@dataclass
class Row:
    """One row's names: units in order, then people as (name, "person" | "role")."""

    no: int
    units: list[str]
    people: list[tuple[str, str]]
    lines: tuple[int, int]


def _seed_columns(rows: list[Row]) -> dict[str, Counter]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        persons = [i for i, (_, kind) in enumerate(row.people) if kind == "person"]
        if len(row.people) < 2 or not persons or not row.units:
            continue
        last = row.people[-1]
        if last[1] == "person":
            votes[last[0]][LEADER] += 1
        first = row.people[0]
        if first[1] == "person":
            votes[first[0]][HEAD] += 1
    return votes


def _label(votes: Counter) -> str | None:
    if votes[HEAD] > votes[LEADER]:
        return HEAD
    if votes[LEADER] > votes[HEAD]:
        return LEADER
    return None


def _propagate(rows: list[Row], labels: dict[str, str]) -> None:
    """Extend labels by order: before a head is a head, after a city leader is one."""
    changed = True
    while changed:
        changed = False
        for row in rows:
            seq = row.people
            head_idx = max((i for i, (n, k) in enumerate(seq) if k == "role" or labels.get(n) == HEAD), default=-1)
            lead_idx = min((i for i, (n, k) in enumerate(seq) if k == "person" and labels.get(n) == LEADER),
                           default=len(seq))
            if head_idx >= lead_idx:
                continue  # contradictory row: reported when the split is made
            for i, (n, k) in enumerate(seq):
                if k != "person" or n in labels:
                    continue
                if i < head_idx:
                    labels[n], changed = HEAD, True
                elif i > lead_idx:
                    labels[n], changed = LEADER, True


def _columns(rows: list[Row], findings: list[Finding], positional: list) -> dict[str, str]:
    """Label every person HEAD or LEADER from the whole table (see the module docstring).

    People placed by position alone are appended to ``positional`` as (name, row, index).
    """
    votes = _seed_columns(rows)
    labels: dict[str, str] = {}
    for person, v in votes.items():
        label = _label(v)
        if v[HEAD] and v[LEADER]:
            tasks = sorted(r.no for r in rows if any(n == person for n, _ in r.people))
            findings.append(Finding(
                "column-conflict", "warning",
                f"{person} is first in a row (a head) {v[HEAD]} times and last (a city leader) {v[LEADER]} times",
                None, None, (f"tasks {', '.join(map(str, tasks))}", f"taken as {label or 'undecided'}")))
        if label:
            labels[person] = label
    _propagate(rows, labels)
    # People no row decides: place them by position, about one head per unit.
    for row in rows:
        undecided = [(i, n) for i, (n, k) in enumerate(row.people) if k == "person" and n not in labels]
        for i, n in undecided:
            labels[n] = HEAD if i < len(row.units) else LEADER
            positional.append((n, row, i))
        if undecided:
            _propagate(rows, labels)
    return labels


def _positional_findings(positional, labels, splits, rows) -> list[Finding]:
    """One finding per person placed by position; a warning unless the row then pairs up.

    When the placement leaves the row with exactly one head per unit, the two lists
    agree and the finding is informational.
    """
    index = {id(r): i for i, r in enumerate(rows)}
    out = []
    for name, row, i in positional:
        heads, _ = splits[index[id(row)]]
        paired = len(heads) == len(row.units)
        column = "a unit head" if labels[name] == HEAD else "a city leader"
        out.append(Finding(
            "person-column", "info" if paired else "warning",
            f"{name} taken as {column}: no other row decides, placed by position",
            row.no, row.lines,
            (f"position {i + 1} of the person column after {len(row.units)} units"
             + ("; the row then has one head per unit" if paired else
                f"; the row then has {len(heads)} heads for {len(row.units)} units"),)))
    return out


def _split(row: Row, labels: dict[str, str], findings: list[Finding]) -> tuple[list[tuple[str, str]], list[str]]:
    """The row's heads and city leaders, cut where the city leaders begin."""
    seq = row.people
    best_k, best_cost = len(seq), None
    for k in range(len(seq) + 1):
        cost = sum(1 for n, kind in seq[:k] if kind == "person" and labels.get(n) == LEADER)
        cost += sum(1 for n, kind in seq[k:] if kind == "role" or labels.get(n) == HEAD)
        if best_cost is None or cost < best_cost:
            best_k, best_cost = k, cost
    if best_cost:
        findings.append(Finding(
            "column-conflict", "warning",
            f"task {row.no}: the order of heads and city leaders contradicts the rest of the table",
            row.no, row.lines, (f"person column: {'、'.join(n for n, _ in seq)}",)))
    return seq[:best_k], [n for n, _ in seq[best_k:]]


def _base(unit: str) -> str:
    return names.split_sub_office(unit)[0]


def _evidence(rows: list[Row], splits: list) -> dict[tuple[str, str], set[int]]:
    """(person, parent unit) → tasks where the row states that person heads that unit."""
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row, (heads, _) in zip(rows, splits):
        if len(row.units) == 1:
            for n, _ in heads:
                seen[(n, _base(row.units[0]))].add(row.no)
        elif len(heads) == len(row.units):
            for (n, _), u in zip(heads, row.units):
                seen[(n, _base(u))].add(row.no)
    return seen


def _role_unit(role: str, units: list[str]) -> int | None:
    """The index of the unit or group a role placeholder stands for, if it is in the row."""
    group = names.placeholders().roles.get(role)
    for i, u in enumerate(units):
        if u == group or role.startswith(u) and role[len(u):] in ("负责人", "主要负责人"):
            return i
    return None


def _align(row: Row, heads: list[tuple[str, str]], evidence, findings: list[Finding]):
    """Heads per unit and the heads left unassigned, for one row."""
    per_unit: list[list[str]] = [[] for _ in row.units]
    if not row.units:
        return per_unit, [n for n, _ in heads]
    if len(row.units) == 1:
        per_unit[0] = [n for n, _ in heads]
        return per_unit, []
    if len(heads) == len(row.units):
        for i, (n, _) in enumerate(heads):
            per_unit[i].append(n)
        return per_unit, []
    unassigned: list[str] = []
    decided: list[str] = []
    for n, kind in heads:
        if kind == "role":
            idx = _role_unit(n, row.units)
            targets = [idx] if idx is not None else []
            why = [f"the role names {row.units[idx]}"] if idx is not None else []
        else:
            targets, why = [], []
            for i, u in enumerate(row.units):
                tasks = sorted(evidence.get((n, _base(u)), set()) - {row.no})
                if tasks:
                    targets.append(i)
                    why.append(f"{n} heads {_base(u)} in task{'s' if len(tasks) > 1 else ''} "
                               f"{', '.join(map(str, tasks))}")
        if targets:
            for i in targets:
                per_unit[i].append(n)
            decided.append(f"{n} → {'、'.join(row.units[i] for i in targets)} ({'; '.join(why)})")
        else:
            unassigned.append(n)
    lists = f"{len(row.units)} units, {len(heads)} heads"
    if decided:
        findings.append(Finding("heads-resolved", "info",
                                f"task {row.no}: {lists}; aligned from other rows", row.no, row.lines,
                                tuple(decided)))
    empty = [u for u, h in zip(row.units, per_unit) if not h]
    if unassigned or empty:
        evidence_text = []
        if unassigned:
            evidence_text.append(f"no other row shows which unit {'、'.join(unassigned)} heads")
        if empty:
            evidence_text.append(f"units left without a head: {'、'.join(empty)}")
        findings.append(Finding("heads-open", "warning", f"task {row.no}: {lists}; alignment left open",
                                row.no, row.lines, tuple(evidence_text)))
    return per_unit, unassigned


def _usual_heads(rows: list[Row], aligned) -> list[Finding]:
    """Findings for heads that differ from a unit's usual head, and rare near-spellings."""
    out: list[Finding] = []
    by_unit: dict[str, Counter] = defaultdict(Counter)
    for row, (per_unit, _) in zip(rows, aligned):
        for u, heads in zip(row.units, per_unit):
            for h in heads:
                if not names.is_role(h):
                    by_unit[u][h] += 1
    for row, (per_unit, _) in zip(rows, aligned):
        for u, heads in zip(row.units, per_unit):
            usual, count = (by_unit[u].most_common(1) or [(None, 0)])[0]
            if count < 2 or usual in heads:
                continue
            for h in heads:
                if not names.is_role(h) and by_unit[u][h] == 1:
                    out.append(Finding(
                        "head-differs", "warning",
                        f"task {row.no}: {u} is headed by {h} here but by {usual} in {count} other rows",
                        row.no, row.lines, (f"{u} heads: " + "、".join(f"{p}×{c}" for p, c in by_unit[u].most_common()),)))
    return out


def _rare_spellings(rows: list[Row], aligned) -> list[Finding]:
    """Names seen once whose spelling is one character off a name seen three times or more.

    The finding is a warning when the roles agree too — the rare person heads a unit the
    frequent one usually heads, or the rare unit shares a head with the frequent unit —
    and informational otherwise (distinct bureaus often differ by one character).
    """
    heads_of: dict[str, set[str]] = defaultdict(set)  # unit -> heads
    for row, (per_unit, _) in zip(rows, aligned):
        for u, hs in zip(row.units, per_unit):
            heads_of[u].update(hs)
    units_of: dict[str, set[str]] = defaultdict(set)  # person -> units headed
    for u, hs in heads_of.items():
        for h in hs:
            units_of[h].add(u)
    out: list[Finding] = []
    for kind, counts, related in (
        ("person", Counter(n for r in rows for n, k in r.people if k == "person"), units_of),
        ("unit", Counter(u for r in rows for u in r.units), heads_of),
    ):
        frequent = [n for n, c in counts.items() if c >= 3]
        for name, c in sorted(counts.items()):
            if c != 1:
                continue
            for f in frequent:
                if len(f) != len(name) or names.edit_distance(f, name) != 1:
                    continue
                shared = related[name] & related[f]
                row = next(r for r in rows if name in r.units or any(n == name for n, _ in r.people))
                evidence = [f"one character differs from {f} ({counts[f]} times)"]
                if shared:
                    what = "both head" if kind == "person" else "both headed by"
                    evidence.append(f"{name} and {f} {what} {'、'.join(sorted(shared))}")
                out.append(Finding(
                    "rare-spelling", "warning" if shared else "info",
                    f"the {kind} {name} appears once; {f} appears {counts[f]} times",
                    row.no, row.lines, tuple(evidence)))
    return out


def assign_people(rows: list[Row], findings: list[Finding]) -> list[tuple[list[list[str]], list[str], list[str]]]:
    """For each row: heads per unit, heads left unassigned, city leaders.

    Appends the findings of every decision to ``findings``.
    """
    positional: list = []
    labels = _columns(rows, findings, positional)
    splits = [_split(row, labels, findings) for row in rows]
    findings.extend(_positional_findings(positional, labels, splits, rows))
    evidence = _evidence(rows, splits)
    aligned = [_align(row, heads, evidence, findings) for row, (heads, _) in zip(rows, splits)]
    findings.extend(_usual_heads(rows, aligned))
    findings.extend(_rare_spellings(rows, aligned))
    return [(per_unit, unassigned, leaders) for (per_unit, unassigned), (_, leaders) in zip(aligned, splits)]


def align_heads(rows: list[Row], findings: list[Finding]) -> list[tuple[list[list[str]], list[str]]]:
    """For rows whose people are all heads (a table's 责任领导 column): heads per unit and the
    heads left unassigned, aligned as :func:`assign_people` aligns them (no column to decide).

    Appends the findings of every decision to ``findings``.
    """
    evidence = _evidence(rows, [(row.people, []) for row in rows])
    aligned = [_align(row, row.people, evidence, findings) for row in rows]
    findings.extend(_usual_heads(rows, aligned))
    findings.extend(_rare_spellings(rows, aligned))
    return aligned
