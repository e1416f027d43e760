"""Liveness and readiness: the process is up, and the broker and history database answer."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response, status
from pydantic import BaseModel
from sqlalchemy import text

from taskfleet.api.deps import HistoryDep, RedisDep

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)


class Health(BaseModel):
    """Each dependency's state, so an operator sees which one is down."""

    status: str
    broker: str
    database: str


@router.get("/livez", summary="The process is serving")
def livez() -> dict[str, str]:
    """Always ok while the process can answer."""
    return {"status": "ok"}


@router.get("/healthz", response_model=Health, summary="Broker and database reachable")
def healthz(response: Response, broker: RedisDep, history: HistoryDep) -> Health:
    """503 naming the dependency that is down."""
    broker_state = database_state = "ok"
    try:
        broker.ping()
    except Exception:
        # Reported in the body rather than raised: a down broker is an answer, not an API error.
        logger.exception("health: broker unreachable")
        broker_state = "unreachable"
    try:
        with history.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        # As above, for the history database.
        logger.exception("health: database unreachable")
        database_state = "unreachable"
    healthy = broker_state == database_state == "ok"
    if not healthy:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(
        status="ok" if healthy else "degraded", broker=broker_state, database=database_state
    )
