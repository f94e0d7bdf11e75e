"""Progress of a long command: a bar on a terminal, plain lines (at most one a second) in a log or pipe."""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

PLAIN_EVERY_S = 1.0


class Progress:
    """Counts `unit`s done out of `total`; `write` prints a line without breaking the bar."""

    def __init__(self, total: int, unit: str, enabled: bool = True, stream=None):
        self.stream = stream or sys.stderr
        self.total, self.unit, self.done = total, unit, 0
        self.enabled = enabled
        self.bar = tqdm(total=total, unit=unit, file=self.stream) if enabled and self.stream.isatty() else None
        self._shown_at = 0.0
        if enabled and not self.bar:
            self._plain(force=True)

    def update(self, n: int = 1) -> None:
        self.set(self.done + n)

    def set(self, done: int) -> None:
        if self.bar:
            self.bar.update(done - self.done)
        self.done = done
        if self.enabled and not self.bar:
            self._plain(force=done >= self.total)

    def write(self, line: str) -> None:
        """A result line on standard output."""
        if self.bar:
            self.bar.write(line, file=sys.stdout)
        else:
            print(line, flush=True)

    def close(self) -> None:
        if self.bar:
            self.bar.close()

    def _plain(self, force: bool = False) -> None:
        if force or time.monotonic() - self._shown_at >= PLAIN_EVERY_S:
            self._shown_at = time.monotonic()
            # One write, newline included: print's two would let another thread's output (Kiwi loading) land between.
            self.stream.write(f"progress: {self.done}/{self.total} {self.unit}s\n")
            self.stream.flush()
