"""Targets across years: which targets of different years measure the same thing.

A planner follows one measure through a government's documents — 新增各类高层次人才600人
(2021 plan) → 引育各类高层次人才、技能人才3564名 (reported for 2024) → 新增认定各类高层次人才
500名 (planned for 2025). Two targets are linked when they belong to the same government,
to different years, and their measures and units agree:

* measure similarity: 1.0 for equal measure keys (:func:`kg.read.targets.measure_key`), else the
  Dice coefficient of the keys' character bigrams, raised to at least ``0.6 + 0.4 × overlap``
  when one key contains the other (高层次人才 in 高层次人才技能人才); 0 when the keys name two
  different members of a set of contrasting qualifiers (城镇 / 农村 / 城乡 residents' income,
  地方 / 总收入 of the budget revenue, :data:`CONTRASTS`) or only one of them says 年均 (a
  plan period's average growth is not one year's growth) — such pairs share most bigrams;
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

__all__ = ["Occurrence", "Link", "link_targets", "measure_similarity", "unit_agreement", "MIN_SCORE", "CONTRASTS"]

MIN_SCORE = 0.6

#: Qualifiers of which two different ones make two measures different, however alike the rest:
#: 城镇居民人均可支配收入 and 农村居民人均可支配收入 share 8 of 10 bigrams (三明's reports give both
#: every year); 一般公共预算总收入 includes the taxes passed up, 地方一般公共预算收入 does not.
CONTRASTS = (
    ("城镇", "城市", "农村", "城乡"),
    ("地方", "总收入"),
)

#: A qualifier that only one of two keys may not have: a plan period's average (年均增长11.1%).
_ONE_SIDED = ("年均",)

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
    if _contrast(a, b):
        return 0.0
    ba, bb = _bigrams(a), _bigrams(b)
    dice = 2 * len(ba & bb) / (len(ba) + len(bb))
    short, long = sorted((a, b), key=len)
    if len(short) >= 2 and short in long:
        return max(dice, 0.6 + 0.4 * len(short) / len(long))
    return dice


def _contrast(a: str, b: str) -> bool:
    """Whether two measure keys differ by a contrasting qualifier (see :data:`CONTRASTS`)."""
    for words in CONTRASTS:
        wa, wb = {w for w in words if w in a}, {w for w in words if w in b}
        if wa and wb and not wa & wb:
            return True
    return any((w in a) != (w in b) for w in _ONE_SIDED)


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
