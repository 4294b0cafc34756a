"""Progress of long fits: a line per trained network, with an estimate of the time left."""

import contextvars
import sys
import time
from contextlib import contextmanager

__all__ = ["fit_progress", "report_fitted"]

_PROGRESS = contextvars.ContextVar("sklearn_hydro_fit_progress", default=None)


class _Progress:
    def __init__(self, total, what, file):
        self.total, self.what, self.file = total, what, file
        self.done, self.start = 0, time.perf_counter()

    def step(self):
        self.done += 1
        spent = time.perf_counter() - self.start
        line = f"{self.what} {self.done}/{self.total} fitted, {spent:.0f} s so far"
        if self.done < self.total:
            line += f", about {spent / self.done * (self.total - self.done):.0f} s left"
        print(line, file=self.file, flush=True)


@contextmanager
def fit_progress(total, what="network", file=None):
    """Print a line each time one of ``total`` models reports its fit (:func:`report_fitted`).

    Each line gives the count, the seconds so far and the seconds left, estimated from the
    mean time per fit. Fits run in other processes (``n_jobs`` > 1) do not report. With
    ``total`` < 1 nothing is printed.
    """
    if total < 1:
        yield
        return
    token = _PROGRESS.set(_Progress(int(total), what, file or sys.stdout))
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def report_fitted():
    """Tell the enclosing :func:`fit_progress`, if any, that one more model is fitted."""
    progress = _PROGRESS.get()
    if progress is not None:
        progress.step()
