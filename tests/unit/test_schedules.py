"""Schedule maths: fire times of cron and interval schedules, on fixed instants."""

from datetime import UTC, datetime

import pytest

from taskfleet.worker.schedules import InvalidScheduleError, Schedule, parse_duration


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("5m", 300), ("6h", 21600), ("1h30m", 5400), ("1.5h", 5400), ("500ms", 0.5)],
)
def test_durations(text, seconds):
    assert parse_duration(text, "f") == seconds


@pytest.mark.parametrize("text", ["", "5", "5d", "m5", "1h 30m", "-5s"])
def test_bad_durations_name_the_field(text):
    with pytest.raises(InvalidScheduleError) as caught:
        parse_duration(text, "spec.schedule.interval")
    assert caught.value.field == "spec.schedule.interval"


def test_interval_is_aligned_to_the_epoch_so_reapplying_never_shifts_fires():
    every_5s = Schedule(interval_seconds=5)
    assert every_5s.next_after(at("2026-01-01T00:00:01+00:00")) == at("2026-01-01T00:00:05+00:00")
    assert every_5s.next_after(at("2026-01-01T00:00:05+00:00")) == at("2026-01-01T00:00:10+00:00")
    assert every_5s.next_after(at("2026-01-01T00:00:04.999+00:00")) == at(
        "2026-01-01T00:00:05+00:00"
    )


def test_cron_is_evaluated_in_its_time_zone():
    daily_3am_paris = Schedule(cron="0 3 * * *", time_zone="Europe/Paris")
    # Winter: Paris is UTC+1, so 03:00 there is 02:00 UTC.
    assert daily_3am_paris.next_after(at("2026-01-10T12:00:00+00:00")) == at(
        "2026-01-11T02:00:00+00:00"
    )
    # Summer: UTC+2.
    assert daily_3am_paris.next_after(at("2026-07-10T12:00:00+00:00")) == at(
        "2026-07-11T01:00:00+00:00"
    )


def test_cron_next_is_strictly_after_a_whole_minute():
    every_minute = Schedule(cron="* * * * *")
    assert every_minute.next_after(at("2026-01-01T00:01:00+00:00")) == at(
        "2026-01-01T00:02:00+00:00"
    )


def test_macros():
    assert Schedule(cron="@hourly").next_after(at("2026-01-01T00:30:00+00:00")) == at(
        "2026-01-01T01:00:00+00:00"
    )


def test_from_spec_requires_exactly_one_kind():
    with pytest.raises(InvalidScheduleError, match="spec.schedule: set exactly one"):
        Schedule.from_spec({"cron": "* * * * *", "interval": "5s"}, None)
    with pytest.raises(InvalidScheduleError, match="spec.schedule: set exactly one"):
        Schedule.from_spec({}, None)


def test_from_spec_rejects_unknown_zone_and_tiny_interval():
    with pytest.raises(
        InvalidScheduleError, match="spec.timeZone: unknown time zone 'Mars/Olympus'"
    ):
        Schedule.from_spec({"interval": "5s"}, "Mars/Olympus")
    with pytest.raises(InvalidScheduleError, match="spec.schedule.interval: must be at least 1s"):
        Schedule.from_spec({"interval": "500ms"}, None)


def test_describe():
    assert Schedule(interval_seconds=5400).describe() == "every 1h30m"
    assert Schedule(interval_seconds=2.5).describe() == "every 2.5s"
    assert Schedule(cron="*/5 * * * *").describe() == "*/5 * * * *"
