"""Pure builders from a ScheduledTask's spec to what the store and the status hold."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from taskfleet.worker import runs, schedules, store

RESULTS = {"SUCCESS": "Succeeded", "FAILURE": "Failed", "REVOKED": "Revoked"}
"""Celery's final states as a ScheduledTask's ``status.lastResult`` shows them."""


def key_of(namespace: str, name: str) -> str:
    """The store key of a resource: unique per namespace and name, readable in logs."""
    return f"{namespace}/{name}"


def build_entry(namespace: str, name: str, uid: str, spec: Mapping[str, Any]) -> store.Entry:
    """The store entry of a resource; raises InvalidScheduleError for what CEL cannot judge."""
    task = spec.get("task") or ""
    if not task.strip():
        raise schedules.InvalidScheduleError("spec.task", "must name a task")
    schedule = schedules.Schedule.from_spec(dict(spec.get("schedule") or {}), spec.get("timeZone"))
    return store.Entry(
        key=key_of(namespace, name),
        uid=uid,
        task=task,
        schedule=schedule,
        args=list(spec.get("args") or []),
        kwargs=dict(spec.get("kwargs") or {}),
        queue=spec.get("queue") or None,
        suspend=bool(spec.get("suspend", False)),
    )


def timestamp(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC with a ``Z``, as Kubernetes writes times."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def runs_status(summary: runs.ScheduleSummary, next_due: datetime | None) -> dict[str, Any]:
    """The status fields that follow from the run history and the store's next due time."""
    last = summary.last_state
    return {
        "lastScheduleTime": timestamp(summary.last_schedule_time),
        "lastResult": None if last is None else RESULTS.get(last, last.title()),
        "lastFinishedTime": timestamp(summary.last_finished),
        "active": summary.active,
        "nextScheduleTime": timestamp(next_due),
    }


def condition(kind: str, ok: bool, reason: str, message: str, now: datetime) -> dict[str, str]:
    """A metav1.Condition."""
    return {
        "type": kind,
        "status": "True" if ok else "False",
        "reason": reason,
        "message": message,
        "lastTransitionTime": timestamp(now) or "",
    }
