"""A progress bar for long work on the command line.

On a terminal it redraws one line about five times a second; elsewhere (a log file, a CI job) it writes a
line at the start, at most one every ten seconds, and one at the end, so that logs show progress without flooding.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Call with (done, total). Draws at most ~5 times a second; a final call with done == total ends the line."""

    def __init__(self, label: str, *, stream: TextIO | None = None, unit: str = "") -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.unit = unit
        self.interactive = self.stream.isatty()
        self._last = 0.0
        self._started = time.monotonic()
        self._finished = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        finished = total > 0 and done >= total
        if self._finished or (not finished and now - self._last < (0.2 if self.interactive else 10.0)):
            return
        self._last = now
        elapsed = now - self._started
        if total > 0:
            fraction = min(done / total, 1.0)
            width = 30
            bar = "#" * int(fraction * width) + "-" * (width - int(fraction * width))
            text = f"{self.label} [{bar}] {fraction:6.1%} {elapsed:6.1f}s"
        else:
            text = f"{self.label} {done} {self.unit} {elapsed:6.1f}s"
        if self.interactive:
            self.stream.write("\r" + text + ("\n" if finished else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self._finished = finished
