"""The Celery application every taskfleet worker, beat and API process shares.

Serialization is JSON only: a pickle payload on a shared broker is remote code execution.
Acks are late and a lost worker's task is rejected back to the queue, so a task whose worker is
killed mid-run is delivered again; prefetch is one so a long task never holds others hostage.
Users' own task modules come in through ``TASKFLEET_IMPORTS``.
"""

from __future__ import annotations

from celery import Celery

from taskfleet.worker import settings as settings_module

BUILTIN_TASK_MODULES = ("taskfleet.worker.tasks", "taskfleet.worker.recording")


def create_app(settings: settings_module.Settings) -> Celery:
    """A Celery app configured from ``settings``."""
    app = Celery("taskfleet", broker=settings.redis_url, backend=settings.redis_url)
    app.conf.update(
        imports=[*BUILTIN_TASK_MODULES, *settings.imports],
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_track_started=True,
        broker_connection_retry_on_startup=True,
        enable_utc=True,
        timezone="UTC",
        beat_scheduler="taskfleet.worker.beat.scheduler:StoreScheduler",
        worker_hijack_root_logger=False,
    )
    app.taskfleet_settings = settings
    return app


app = create_app(settings_module.Settings())
