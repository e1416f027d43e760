"""The operator's settings: the shared core settings plus how it watches and reports."""

from __future__ import annotations

from pydantic import Field

from taskfleet.worker import settings


class OperatorSettings(settings.Settings):
    """Read once at start-up from ``TASKFLEET_*`` variables and kept in kopf's memo."""

    namespaces: list[str] = Field(
        default_factory=list,
        description="Namespaces to watch (a JSON list); empty watches the whole cluster.",
    )
    status_interval_seconds: float = Field(
        default=2.0,
        description="How often, in seconds, the operator looks for new runs to show on statuses. "
        "Each look costs one indexed query, whatever the number of schedules.",
    )
    status_min_patch_interval_seconds: float = Field(
        default=5.0,
        description="Fewest seconds between two status patches of one resource: a schedule "
        "firing every second still writes to the API server at most this often.",
    )
    status_lookback_seconds: float = Field(
        default=600.0,
        description="At start-up, runs written this many seconds back are shown again, covering "
        "runs that finished while the operator was down.",
    )
