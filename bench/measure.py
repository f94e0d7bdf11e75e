"""Measuring: stage timers, latency percentiles, peak memory and folder size."""

from __future__ import annotations

import functools
import os
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path


class StageTimer:
    """Seconds spent per named stage; wraps the real functions so they run unchanged.

    Time is exclusive: a wrapped call inside another (Kiwi inside chunking) counts for its own stage only.
    """

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._inner: list[float] = []  # per open call: time spent in wrapped calls it made

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    def wrap(self, stage: str, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self._inner.append(0.0)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                self.add(stage, elapsed - self._inner.pop())
                if self._inner:
                    self._inner[-1] += elapsed

        return timed

    def rounded(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self.seconds.items()}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def timed_calls(fn: Callable[[str], object], inputs: Sequence[str]) -> tuple[list[float], list[object]]:
    """Milliseconds of each call and what it returned."""
    times, outputs = [], []
    for item in inputs:
        start = time.perf_counter()
        outputs.append(fn(item))
        times.append((time.perf_counter() - start) * 1000)
    return times, outputs


def latency_summary(times_ms: Sequence[float], prefix: str) -> dict[str, float]:
    return {f"{prefix}_p50_ms": round(percentile(times_ms, 50), 2), f"{prefix}_p95_ms": round(percentile(times_ms, 95), 2),
            f"{prefix}_n": len(times_ms)}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def process_peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory of another live process (a server we started), None when unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def folder_mb(path: Path) -> float:
    """Disk space taken by a folder's files (allocated blocks, so sparse files count as stored)."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return round(total / 2**20, 1)


def median_of(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else None
