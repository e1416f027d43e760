"""When a schedule fires: cron expressions in an IANA time zone, and fixed intervals.

Pure functions of the spec and a point in time, so the operator and beat compute the same fire
times and a schedule's fire times are derivable from its resource alone. Intervals are aligned
to the Unix epoch (as Temporal aligns them), so re-applying an unchanged resource, or restarting
the operator, never shifts when it fires.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_DURATION = re.compile(rf"(?:{_DURATION_PART.pattern})+")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
MIN_INTERVAL_SECONDS = 1.0


class InvalidScheduleError(ValueError):
    """A schedule the API server's schema let through but that cannot be run."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse_duration(text: str, field: str) -> float:
    """Seconds in a Go-style duration such as ``90s``, ``1h30m`` or ``1.5h``."""
    if not _DURATION.fullmatch(text):
        raise InvalidScheduleError(field, f"{text!r} is not a duration such as 90s, 5m or 1h30m")
    return sum(float(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION_PART.findall(text))


def load_zone(name: str, field: str = "spec.timeZone") -> ZoneInfo:
    """The IANA zone called ``name``; an unknown name is an invalid schedule, not a crash."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidScheduleError(field, f"unknown time zone {name!r}") from exc


@dataclass(frozen=True)
class Schedule:
    """Exactly one of ``cron`` or ``interval_seconds``, evaluated in ``time_zone``."""

    cron: str | None = None
    interval_seconds: float | None = None
    time_zone: str = "UTC"

    @classmethod
    def from_spec(cls, schedule: dict[str, str], time_zone: str | None) -> Schedule:
        """Build and check a schedule from ``spec.schedule`` and ``spec.timeZone``."""
        zone = time_zone or "UTC"
        load_zone(zone)
        cron, interval = schedule.get("cron"), schedule.get("interval")
        if (cron is None) == (interval is None):
            raise InvalidScheduleError("spec.schedule", "set exactly one of cron or interval")
        if cron is not None:
            if not croniter.is_valid(cron):
                raise InvalidScheduleError(
                    "spec.schedule.cron", f"{cron!r} is not a cron expression"
                )
            return cls(cron=cron, time_zone=zone)
        assert interval is not None
        seconds = parse_duration(interval, "spec.schedule.interval")
        if seconds < MIN_INTERVAL_SECONDS:
            raise InvalidScheduleError("spec.schedule.interval", "must be at least 1s")
        return cls(interval_seconds=seconds, time_zone=zone)

    def next_after(self, after: datetime) -> datetime:
        """The first fire time strictly after ``after`` (an aware datetime), in UTC."""
        if self.interval_seconds is not None:
            step = self.interval_seconds
            ticks = math.floor(after.timestamp() / step) + 1
            return datetime.fromtimestamp(ticks * step, UTC)
        assert self.cron is not None
        local = after.astimezone(ZoneInfo(self.time_zone))
        following: datetime = croniter(self.cron, local).get_next(datetime)
        if following <= after:  # croniter may return `after` itself at whole minutes
            following = croniter(self.cron, local + timedelta(seconds=1)).get_next(datetime)
        return following.astimezone(UTC)

    def describe(self) -> str:
        """A short human form for ``kubectl get``: the cron text or ``every <interval>``."""
        if self.cron is not None:
            return self.cron
        assert self.interval_seconds is not None
        return f"every {_format_seconds(self.interval_seconds)}"


def _format_seconds(seconds: float) -> str:
    whole = int(seconds)
    if whole != seconds:
        return f"{seconds:g}s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{v}{u}" for v, u in ((hours, "h"), (minutes, "m"), (secs, "s")) if v]
    return "".join(parts) or "0s"
