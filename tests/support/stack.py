"""Starting an installation's components in tests and waiting on what they do."""

from __future__ import annotations

from taskfleet.local import installation, processes
from taskfleet.worker import runs, store


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


eventually = processes.wait_until
"""Poll until a check returns something truthy, and return it."""


def history(install: installation.Installation) -> runs.RunHistory:
    """The installation's run history."""
    return runs.RunHistory(install.database_url)


def schedule_store(install: installation.Installation) -> store.ScheduleStore:
    """The installation's schedule store."""
    return store.ScheduleStore.from_url(install.redis_url, install.store_prefix)


def scheduled_runs(install: installation.Installation, key: str) -> list[runs.TaskRun]:
    """Every recorded run of ``key``, oldest first."""
    return list(reversed(history(install).recent(key, limit=500)))
