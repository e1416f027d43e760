"""Pure builders from a ScheduledTask spec to a store entry and to status fields."""

from datetime import UTC, datetime

import pytest

from taskfleet.operator import entries
from taskfleet.worker import runs, store
from taskfleet.worker.schedules import InvalidScheduleError


def test_build_entry_carries_everything_beat_needs():
    entry = entries.build_entry(
        "ns",
        "nightly",
        "uid-1",
        {
            "task": "app.tasks.report",
            "schedule": {"cron": "0 3 * * *"},
            "timeZone": "Europe/Paris",
            "args": [1, "a"],
            "kwargs": {"k": True},
            "queue": "reports",
            "suspend": True,
        },
    )
    assert entry.key == "ns/nightly"
    assert (entry.task, entry.args, entry.kwargs, entry.queue, entry.suspend) == (
        "app.tasks.report",
        [1, "a"],
        {"k": True},
        "reports",
        True,
    )
    assert entry.schedule.time_zone == "Europe/Paris"
    assert store.Entry.from_json(entry.to_json()) == entry


def test_unchanged_spec_serialises_to_the_same_bytes():
    spec = {"task": "t", "schedule": {"interval": "5s"}, "kwargs": {"b": 1, "a": 2}}
    assert (
        entries.build_entry("n", "x", "u", spec).to_json()
        == entries.build_entry("n", "x", "u", dict(spec)).to_json()
    )


def test_blank_task_is_invalid():
    with pytest.raises(InvalidScheduleError, match="spec.task"):
        entries.build_entry("n", "x", "u", {"task": " ", "schedule": {"interval": "5s"}})


def test_runs_status_maps_celery_states_and_times():
    moment = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    summary = runs.ScheduleSummary(moment, "SUCCESS", moment, 1)
    assert entries.runs_status(summary, moment) == {
        "lastScheduleTime": "2026-01-01T03:00:00Z",
        "lastResult": "Succeeded",
        "lastFinishedTime": "2026-01-01T03:00:00Z",
        "active": 1,
        "nextScheduleTime": "2026-01-01T03:00:00Z",
    }
    assert (
        entries.runs_status(runs.ScheduleSummary(None, "FAILURE", None, 0), None)["lastResult"]
        == "Failed"
    )
