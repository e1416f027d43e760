"""Task status and run history: what the teams' status and history endpoints returned."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict

from taskfleet.api.deps import CeleryDep, HistoryDep

router = APIRouter(prefix="/api/v1", tags=["tasks"])


class RunPublic(BaseModel):
    """One run as the history recorded it."""

    model_config = ConfigDict(from_attributes=True)

    task_id: str
    task_name: str
    schedule: str | None
    state: str
    due_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None


class TaskStatus(RunPublic):
    """A run plus its result from the result backend, when it has one."""

    result: Any = None


@router.get("/tasks/{task_id}", response_model=TaskStatus, summary="Status of one task run")
def get_task(task_id: str, history: HistoryDep, celery: CeleryDep) -> TaskStatus:
    """404 when no worker has started a task with this id."""
    run = history.get(task_id)
    if run is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no task run with id {task_id!r}")
    answer = TaskStatus.model_validate(run)
    if run.state == "SUCCESS":
        answer.result = celery.AsyncResult(task_id).result
    return answer


@router.get("/runs", response_model=list[RunPublic], summary="Recent runs, newest first")
def list_runs(
    history: HistoryDep,
    schedule: Annotated[str | None, Query(description="namespace/name of a ScheduledTask")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[RunPublic]:
    """The newest runs, of one ScheduledTask or of all."""
    return [RunPublic.model_validate(run) for run in history.recent(schedule, limit)]
