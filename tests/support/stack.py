"""Starting an installation's components in tests and waiting on what they do."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from taskfleet.local import installation, processes
from taskfleet.worker import runs, store

T = TypeVar("T")


def start(
    install: installation.Installation, *, operator: bool = True, beats: int = 1, workers: int = 1
) -> dict[str, processes.Process]:
    """Start the components; returns them by name (worker, beat-0, beat-1, operator)."""
    started: dict[str, processes.Process] = {}
    for i in range(workers):
        started[f"worker-{i}"] = install.worker(f"worker-{i}").start()
    for i in range(beats):
        started[f"beat-{i}"] = install.beat(f"beat-{i}").start()
    if operator:
        started["operator"] = install.operator().start()
    return started


def eventually(check: Callable[[], T], timeout: float, what: str) -> T:
    """Poll ``check`` until it returns something truthy; returns that."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last saw {last!r}")


def history(install: installation.Installation) -> runs.RunHistory:
    """The installation's run history."""
    return runs.RunHistory(install.database_url)


def schedule_store(install: installation.Installation) -> store.ScheduleStore:
    """The installation's schedule store."""
    return store.ScheduleStore.from_url(install.redis_url, install.store_prefix)


def scheduled_runs(install: installation.Installation, key: str) -> list[runs.TaskRun]:
    """Every recorded run of ``key``, oldest first."""
    return list(reversed(history(install).recent(key, limit=500)))
