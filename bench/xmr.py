"""Benchmark: compute XmR charts (limits and all four detection rules) on long series.

Run with `.venv/bin/python bench/xmr.py`. Pure Python, no Django and no database.
Prints the median wall-clock milliseconds over several repeats for random values
(few signals) and for a series that shifts halfway (a signal on almost every later
point, so the cost of writing explanations shows). It measures; it asserts nothing.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

from leancoach.metrics.xmr import compute

REPEATS = 9


def random_values(n: int, rng: random.Random) -> list[float]:
    return [rng.gauss(50.0, 5.0) for _ in range(n)]


def shifted_values(n: int, rng: random.Random) -> list[float]:
    half = n // 2
    return [rng.gauss(50.0, 5.0) for _ in range(half)] + [
        rng.gauss(80.0, 5.0) for _ in range(n - half)
    ]


def median_ms(run: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    rng = random.Random(20240601)
    print(f"xmr benchmark: median of {REPEATS} runs, Python {sys.version.split()[0]}")
    for n in (10_000, 100_000):
        for label, make in (("random", random_values), ("shift halfway", shifted_values)):
            values = make(n, rng)
            chart = compute(values)
            elapsed = median_ms(partial(compute, values), REPEATS)
            print(
                f"  {n:>7,} points  {label:<14} {elapsed:8.1f} ms   signals={len(chart.signals):,}"
            )
    baseline_values = random_values(100_000, rng)
    elapsed = median_ms(partial(compute, baseline_values, baseline=(50_000, 50_020)), REPEATS)
    print(f"  {100_000:>7,} points  later baseline {elapsed:8.1f} ms")


if __name__ == "__main__":
    main()
