"""Real decompositions of other governments give their hand-checked rows.

Each file of ``tests/data/corpus/`` (see its README) is parsed as a planner would parse
it; every row of ``expected.json`` must come out with the same leads, units (in source
order), leaders and deadline. The rate over all rows is printed, so a run shows how far
the readers are from the real world, file by file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.parse import parse_file

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
EXPECTED: dict[str, list[dict]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def observed(task) -> dict:
    """A record in the shape of ``expected.json``."""
    leaders = list(dict.fromkeys([*task.lead_leaders, *task.supervisors]))
    return {"no": task.no, "leads": [u.name for u in task.leads], "units": [u.name for u in task.units],
            "leaders": leaders, "due": task.due.text if task.due else None}


def _rows(file: str) -> dict[int, dict]:
    return {t.no: observed(t) for t in parse_file(CORPUS / file).tasks}


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_every_expected_row(file):
    got = _rows(file)
    wrong = [(row, got.get(row["no"])) for row in EXPECTED[file] if got.get(row["no"]) != row]
    assert not wrong, "\n".join(f"expected {exp}\n     got {obs}" for exp, obs in wrong)


def test_notice_without_rows_is_no_task_error():
    from kg.errors import LayoutError

    with pytest.raises(LayoutError, match="no task"):
        parse_file(CORPUS / "shishi_2025_notice_only.txt")
