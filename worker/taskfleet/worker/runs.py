"""Run history in SQL: one row per task run, written by workers and read by the operator and API.

SQLAlchemy keeps it portable: SQLite for the embedded default, PostgreSQL in production. The
operator asks only for schedules whose runs changed since its last look (an indexed
``updated_at``), so keeping statuses current costs in proportion to the runs, not to the
schedules.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    Engine,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ACTIVE_STATES = ("STARTED", "RETRY")
FINISHED_STATES = ("SUCCESS", "FAILURE", "REVOKED")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database: SQLite stores no zone and hands back naive
    values, so the zone is put back here once, not by each reader."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store UTC."""
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read UTC, aware."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of taskfleet's tables."""


class TaskRun(Base):
    """One execution of a task (retries of it update the same row)."""

    __tablename__ = "taskfleet_task_runs"
    __table_args__ = (
        Index("ix_taskfleet_runs_schedule_due", "schedule", "due_at"),
        Index("ix_taskfleet_runs_updated", "updated_at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    task_id: Mapped[str] = mapped_column(String(64), unique=True)
    task_name: Mapped[str] = mapped_column(String(255))
    schedule: Mapped[str | None] = mapped_column(String(320))
    schedule_uid: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


@dataclass(frozen=True)
class ScheduleSummary:
    """What a ScheduledTask's status shows of its runs."""

    last_schedule_time: datetime | None
    last_state: str | None
    last_finished: datetime | None
    active: int


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    # WAL lets the operator and API read while worker processes write; the busy timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the tables created (migrations arrive with history limits)."""
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    Base.metadata.create_all(engine)
    return engine


class RunHistory:
    """Records and queries task runs. Opens its engine lazily and again after a fork, because
    Celery's prefork children must not share their parent's connections."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._engine: Engine | None = None
        self._pid = 0
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The engine of this process."""
        with self._lock:
            if self._engine is None or self._pid != os.getpid():
                self._engine = make_engine(self._url)
                self._pid = os.getpid()
            return self._engine

    def record_started(
        self,
        task_id: str,
        task_name: str,
        schedule: str | None,
        schedule_uid: str | None,
        due_at: datetime | None,
    ) -> None:
        """Note that ``task_id`` started (again, on a retry or redelivery)."""
        now = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            run = session.scalar(select(TaskRun).where(TaskRun.task_id == task_id))
            if run is None:
                run = TaskRun(
                    task_id=task_id,
                    task_name=task_name,
                    schedule=schedule,
                    schedule_uid=schedule_uid,
                    due_at=due_at,
                )
                session.add(run)
            run.state, run.started_at, run.finished_at, run.updated_at = "STARTED", now, None, now

    def record_finished(self, task_id: str, state: str, error: str | None) -> None:
        """Note the outcome of ``task_id``; a run never seen starting is ignored."""
        now = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            run = session.scalar(select(TaskRun).where(TaskRun.task_id == task_id))
            if run is None:
                return
            run.state, run.error, run.updated_at = state, error, now
            if state in FINISHED_STATES:
                run.finished_at = now

    def get(self, task_id: str) -> TaskRun | None:
        """The run of ``task_id``, detached from any session."""
        with Session(self.engine, expire_on_commit=False) as session:
            return session.scalar(select(TaskRun).where(TaskRun.task_id == task_id))

    def recent(self, schedule: str | None = None, limit: int = 50) -> list[TaskRun]:
        """The newest runs, of one schedule or of all."""
        query = select(TaskRun).order_by(TaskRun.id.desc()).limit(limit)
        if schedule is not None:
            query = query.where(TaskRun.schedule == schedule)
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(query))

    def changed_schedules(self, since: datetime) -> set[str]:
        """Schedules with a run written at or after ``since``."""
        query = (
            select(TaskRun.schedule)
            .where(TaskRun.updated_at >= since, TaskRun.schedule.is_not(None))
            .distinct()
        )
        with Session(self.engine) as session:
            return {s for s in session.scalars(query) if s is not None}

    def summary(self, schedule: str) -> ScheduleSummary:
        """Last fire, last outcome and number of runs in flight of ``schedule``."""
        by_schedule = TaskRun.schedule == schedule
        with Session(self.engine) as session:
            last_due = session.scalar(
                select(TaskRun.due_at).where(by_schedule).order_by(TaskRun.due_at.desc()).limit(1)
            )
            last_done = session.scalar(
                select(TaskRun)
                .where(by_schedule, TaskRun.state.in_(FINISHED_STATES))
                .order_by(TaskRun.finished_at.desc())
                .limit(1)
            )
            active = session.scalar(
                select(func.count()).where(
                    by_schedule,
                    TaskRun.state.in_(ACTIVE_STATES),
                    # A run whose worker died without a word must not count as active forever.
                    TaskRun.updated_at >= datetime.now(UTC) - timedelta(hours=24),
                )
            )
            return ScheduleSummary(
                last_schedule_time=last_due,
                last_state=None if last_done is None else last_done.state,
                last_finished=None if last_done is None else last_done.finished_at,
                active=active or 0,
            )
