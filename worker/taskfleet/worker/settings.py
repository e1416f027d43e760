"""Settings shared by every taskfleet component, read once from ``TASKFLEET_*`` variables.

The operator and the API extend this class with their own fields, so the Redis and database
locations are spelled the same way everywhere.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the broker, the schedule store and the run history live, and how beat leads."""

    model_config = SettingsConfigDict(env_prefix="TASKFLEET_", extra="ignore")

    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        description="Redis URL used as Celery broker, result backend and schedule store. One "
        "server keeps a fire's claim and its publish on the same source of truth.",
    )
    database_url: str = Field(
        default="sqlite:///taskfleet.db",
        description="SQLAlchemy URL of the run history. SQLite for the embedded default, "
        "PostgreSQL (postgresql+psycopg://…) in production.",
    )
    store_prefix: str = Field(
        default="taskfleet",
        description="Prefix of the schedule store's Redis keys, so several installations can "
        "share one Redis server without seeing each other's schedules.",
    )
    imports: list[str] = Field(
        default_factory=list,
        description="Extra Python modules the worker imports at start-up: the users' own task "
        "modules (a JSON list, e.g. '[\"myapp.tasks\"]').",
    )
    kubeconfig: str | None = Field(
        default=None,
        description="Path of a kubeconfig; unset means the in-cluster ServiceAccount, which is "
        "how the chart runs every component.",
    )
    lease_namespace: str = Field(
        default="default",
        description="Namespace of the beat leader-election Lease (the release's namespace).",
    )
    lease_name: str = Field(
        default="taskfleet-beat",
        description="Name of the beat leader-election Lease.",
    )
    lease_duration_seconds: float = Field(
        default=15.0,
        description="How long a leader's claim lasts without renewal, in seconds. A standby "
        "takes over at most this long after the leader dies; client-go's default.",
    )
    lease_renew_deadline_seconds: float = Field(
        default=10.0,
        description="A leader that has not renewed for this many seconds stops dispatching, in "
        "seconds. Shorter than the lease so it yields before a standby may take over.",
    )
    lease_retry_seconds: float = Field(
        default=2.0,
        description="How often, in seconds, the leader renews and a standby tries to acquire.",
    )
    beat_max_sleep_seconds: float = Field(
        default=1.0,
        description="Longest beat sleeps between looks at the store, in seconds: bounds how "
        "late a schedule created or changed while beat sleeps can first fire.",
    )
    beat_batch_size: int = Field(
        default=500,
        description="Most due fires beat claims in one round trip to Redis; more wait for the "
        "next tick, which comes at once.",
    )
