"""Built-in tasks for operations and tests: they prove the path from a schedule to a worker
without any user code, and give failure and duration on demand."""

from __future__ import annotations

import time
from typing import Any

from taskfleet.worker.app import app


@app.task(name="taskfleet.echo")
def echo(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """Return the arguments it was called with."""
    return {"args": list(args), "kwargs": kwargs}


@app.task(name="taskfleet.sleep")
def sleep(seconds: float) -> float:
    """Sleep ``seconds`` and return it: a task that takes a known time."""
    time.sleep(seconds)
    return seconds


class TaskFailedError(RuntimeError):
    """The failure :func:`fail` raises on purpose."""


@app.task(name="taskfleet.fail")
def fail(message: str = "failed on purpose") -> None:
    """Raise :class:`TaskFailedError`: a task that fails on demand."""
    raise TaskFailedError(message)
