"""Records every task run in the run history, from Celery's task signals in the worker.

Beat stamps scheduled fires with the schedule's key, uid and due time as message headers; these
handlers copy them into the history so the operator can show them on the resource's status.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from celery import signals

from taskfleet.worker import headers, runs
from taskfleet.worker.app import app

logger = logging.getLogger(__name__)
history = runs.RunHistory(app.taskfleet_settings.database_url)


@signals.task_prerun.connect
def _record_started(task_id: str, task: Any, **_: Any) -> None:
    request = task.request
    due = getattr(request, headers.DUE, None)
    try:
        history.record_started(
            task_id=task_id,
            task_name=task.name,
            schedule=getattr(request, headers.SCHEDULE, None),
            schedule_uid=getattr(request, headers.UID, None),
            due_at=datetime.fromisoformat(due) if due else None,
        )
    except Exception:
        # History is a record, not the work: a database outage must not fail the user's task.
        logger.exception("could not record the start of task %s", task_id)


@signals.task_postrun.connect
def _record_finished(task_id: str, state: str | None = None, retval: Any = None, **_: Any) -> None:
    error = repr(retval) if isinstance(retval, BaseException) else None
    try:
        history.record_finished(task_id, state or "SUCCESS", error)
    except Exception:
        # As above: losing one history row beats failing the task that already ran.
        logger.exception("could not record the end of task %s", task_id)
