"""Shared fixtures: the bundled seed table, parsed once, and the hand-written golden rows."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kg.parse import parse_file
from kg.resources import default_source

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS))  # for the gridgen helper module


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return default_source()


@pytest.fixture(scope="session")
def seed(seed_path):
    """The ParseResult of the bundled 2021 table."""
    return parse_file(seed_path)


@pytest.fixture(scope="session")
def golden() -> dict[int, dict]:
    """Hand-written records of 46 hard rows (tests/data/golden/004_rows.jsonl, see NOTES.md there)."""
    path = TESTS / "data" / "golden" / "004_rows.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["no"]: r for r in rows}
