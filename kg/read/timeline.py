"""Targets across years: which targets of different years measure the same thing.

A planner follows one measure through a government's documents — 新增各类高层次人才600人
(2021 plan) → 引育各类高层次人才、技能人才3564名 (reported for 2024) → 新增认定各类高层次人才
500名 (planned for 2025). Two targets are linked when they belong to the same government,
to different years, and their measures and units agree:

* measure similarity: 1.0 for equal measure keys (:func:`kg.read.targets.measure_key`), else the
  Dice coefficient of the keys' character bigrams, raised to at least ``0.6 + 0.4 × overlap``
  when one key contains the other (高层次人才 in 高层次人才技能人才);
* unit agreement: 1.0 for the same unit, 0.9 for units of one dimension (人/名, 亿元/万元),
  0 otherwise; a growth rate only matches a growth rate;
* score = similarity × agreement; a link needs at least :data:`MIN_SCORE`.

Each target is linked to its best match in every other year, so a measure's chain over
three documents has three links. Links are inferences, stored apart from the facts with
their score and evidence. Candidate pairs come from a bigram index, so the work grows with
the pairs that share a bigram, not with the square of all targets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Hashable, Sequence

from kg.read.targets import Target, measure_key

__all__ = ["Occurrence", "Link", "link_targets", "measure_similarity", "unit_agreement", "MIN_SCORE"]

MIN_SCORE = 0.6

#: Units that measure the same dimension, so a measure can change unit between documents.
_DIMENSIONS = (
    frozenset({"人", "名", "万人", "人次", "万人次"}),
    frozenset({"亿元", "万元", "元"}),
    frozenset({"家", "户", "万户", "个"}),
    frozenset({"亩", "万亩", "平方公里", "万平方米", "平方米"}),
    frozenset({"公里", "千米", "米"}),
)


@dataclass(frozen=True)
class Occurrence:
    """A target where it stands: the government and year it belongs to, and a key of the
    task or statement that holds it (an IRI, say)."""

    target: Target
    government: str
    year: int
    key: Hashable


@dataclass(frozen=True)
class Link:
    """Two occurrences of one measure in different years, earlier first."""

    earlier: Occurrence
    later: Occurrence
    score: float
    evidence: tuple[str, ...]


def _bigrams(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)} or {key}


def measure_similarity(a: str, b: str) -> float:
    """How alike two measure keys are, from 0 to 1 (see the module docstring)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ba, bb = _bigrams(a), _bigrams(b)
    dice = 2 * len(ba & bb) / (len(ba) + len(bb))
    short, long = sorted((a, b), key=len)
    if len(short) >= 2 and short in long:
        return max(dice, 0.6 + 0.4 * len(short) / len(long))
    return dice


def unit_agreement(a: Target, b: Target) -> float:
    """1.0 for the same unit, 0.9 for one dimension, 0 otherwise; growth only matches growth."""
    if (a.kind == "growth") != (b.kind == "growth"):
        return 0.0
    if a.unit == b.unit:
        return 1.0
    if a.unit and b.unit and any(a.unit in d and b.unit in d for d in _DIMENSIONS):
        return 0.9
    return 0.0


def _score(a: Occurrence, b: Occurrence, ka: str, kb: str) -> tuple[float, tuple[str, ...]]:
    """The link score of two occurrences whose measure keys are ``ka`` and ``kb``, with its evidence."""
    sim = measure_similarity(ka, kb)
    agree = unit_agreement(a.target, b.target)
    evidence = (f"measure {ka} ~ {kb}: {sim:.2f}",
                f"unit {a.target.unit or '–'} / {b.target.unit or '–'} ({a.target.kind} / {b.target.kind}): {agree:.1f}")
    return round(sim * agree, 3), evidence


def link_targets(occurrences: Sequence[Occurrence], min_score: float = MIN_SCORE) -> list[Link]:
    """Every occurrence linked to its best match (at least ``min_score``) in each other year of
    the same government; ties go to the earlier occurrence in the input. Sorted by measure
    and years."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    keys = [measure_key(o.target.measure) for o in occurrences]
    for i, (o, key) in enumerate(zip(occurrences, keys)):
        for bg in _bigrams(key):
            index[(o.government, bg)].append(i)
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for i, (o, key) in enumerate(zip(occurrences, keys)):
        candidates = {j for bg in _bigrams(key) for j in index[(o.government, bg)]}
        for j in sorted(candidates):
            other = occurrences[j]
            if other.year == o.year:
                continue
            score = _score(o, other, key, keys[j])[0]
            slot = (i, other.year)
            if score >= min_score and (slot not in best or score > best[slot][0]):
                best[slot] = (score, j)
    pairs: dict[tuple[int, int], Link] = {}
    for (i, _year), (score, j) in best.items():
        a, b = sorted((i, j), key=lambda k: occurrences[k].year)
        if (a, b) not in pairs:
            pairs[(a, b)] = Link(occurrences[a], occurrences[b], score,
                                 _score(occurrences[a], occurrences[b], keys[a], keys[b])[1])
    return sorted(pairs.values(), key=lambda link: (measure_key(link.earlier.target.measure), link.earlier.year,
                                                     link.later.year, str(link.earlier.key), str(link.later.key)))
