"""Timing shared by the benchmarks: the median wall-clock time of repeated calls."""

from __future__ import annotations

import statistics
import time


def median_seconds(fn, repeat: int) -> float:
    """The median of ``repeat`` timed calls of ``fn()``, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
