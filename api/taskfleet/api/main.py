"""The FastAPI application: ``uvicorn taskfleet.api.main:app`` or ``taskfleet api``."""

from __future__ import annotations

from fastapi import FastAPI

from taskfleet.api.routes import health, tasks


def create_app() -> FastAPI:
    """The app with every router mounted."""
    app = FastAPI(
        title="taskfleet",
        version="0.1.0",
        description="Scheduled and background Celery tasks on Kubernetes: task status and history.",
    )
    app.include_router(health.router)
    app.include_router(tasks.router)
    return app


app = create_app()
