"""Progress reporting shared by the web (a Job row the page polls) and the command line (a progress line)."""

import sys
import time
from typing import TextIO

from django.utils import timezone

from apps.jobs.models import Job


class Progress:
    """Base: counts work; subclasses show it. `update` is cheap to call per row (it throttles)."""

    interval = 0.5

    def __init__(self) -> None:
        self.done = 0
        self.total = 0
        self.message = ""
        self._last = 0.0

    def start(self, total: int, message: str = "") -> None:
        self.total, self.done, self.message = total, 0, message
        self._emit(force=True)

    def update(self, done: int, message: str | None = None) -> None:
        self.done = done
        if message is not None:
            self.message = message
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._emit()

    def finish(self, message: str = "") -> None:
        self.done = max(self.done, self.total)
        self.message = message or self.message
        self._emit(force=True)

    def _emit(self, force: bool = False) -> None:
        pass


class ConsoleProgress(Progress):
    """`[#####-----]  52%  104.000/200.000 baris  pesan` on one line of stderr."""

    def __init__(self, stream: TextIO | None = None, unit: str = "baris") -> None:
        super().__init__()
        self.stream = stream or sys.stderr
        self.unit = unit

    def _emit(self, force: bool = False) -> None:
        pct = int(self.done * 100 / self.total) if self.total else 0
        bar = "#" * (pct // 5) + "-" * (20 - pct // 5)
        done = f"{self.done:,}".replace(",", ".")
        total = f"{self.total:,}".replace(",", ".") if self.total else "?"
        line = f"\r[{bar}] {pct:3d}%  {done}/{total} {self.unit}  {self.message}"[:160]
        end = "\n" if force and self.total and self.done >= self.total else ""
        self.stream.write(line.ljust(100) + end)
        self.stream.flush()


class JobProgress(Progress):
    """Writes progress to the Job row, which the page polls."""

    def __init__(self, job_id) -> None:
        super().__init__()
        self.job_id = job_id

    def _emit(self, force: bool = False) -> None:

        Job.objects.filter(pk=self.job_id).update(
            progress_done=self.done,
            progress_total=self.total,
            message=self.message[:300],
            heartbeat_at=timezone.now(),
        )
