"""Benchmark: parsing the grid table, against a text-touching baseline measured in the same run.

    python3 benchmarks/bench_parse.py [--repeat N]

Measures (median of N runs, wall clock):
- baseline: reading the seed file and splitting it into lines and whitespace tokens —
  the least any parser must do with the text;
- parse: kg.parse.parse_file on the seed table (173 tasks);
- scaling: the seed's records rendered k times over as one table (173·k tasks, through
  tests/gridgen.py) and parsed, to show how the time grows with the table.
Prints a Markdown table with each figure's ratio to its baseline.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from gridgen import Style, render_grid  # noqa: E402
from timing import median_seconds  # noqa: E402
from kg.parse import parse_file, parse_text  # noqa: E402
from kg.parse.text import read_source  # noqa: E402
from kg.resources import default_source  # noqa: E402


def _baseline(path: Path) -> None:
    for line in read_source(path)[0].split("\n"):
        line.split()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    seed = default_source()
    tasks = parse_file(seed).tasks
    base = median_seconds(lambda: _baseline(seed), args.repeat)
    parse = median_seconds(lambda: parse_file(seed), args.repeat)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}\n")
    print("| what | tasks | median s | ratio |\n|---|---|---|---|")
    print(f"| baseline: read + split the seed | 173 | {base:.4f} | 1.0 |")
    print(f"| parse the seed | 173 | {parse:.4f} | {parse / base:.0f}× baseline |")
    one = None
    for k in (1, 4, 16):
        big = [replace(t, no=i + 1) for i, t in enumerate(tasks * k)]
        text = render_grid(big, Style(seed=k))
        secs = median_seconds(lambda: parse_text(text, "synthetic.txt"), max(1, args.repeat // k))
        one = one or secs
        print(f"| parse the seed ×{k} (rendered) | {len(big)} | {secs:.4f} | "
              f"{secs / one / k:.2f}× per task vs ×1 |")


if __name__ == "__main__":
    main()
