"""Run history on both databases: what workers record is what the operator and API read."""

from datetime import UTC, datetime, timedelta

from taskfleet.worker import runs


def test_runs_are_recorded_and_summarised(database_url):
    history = runs.RunHistory(database_url)
    due = datetime(2026, 1, 1, 3, tzinfo=UTC)
    history.record_started("t1", "taskfleet.echo", "ns/a", "uid", due)
    history.record_finished("t1", "SUCCESS", None)
    history.record_started("t2", "taskfleet.fail", "ns/a", "uid", due + timedelta(minutes=1))
    history.record_finished("t2", "FAILURE", "TaskFailedError('boom')")
    history.record_started("t3", "taskfleet.sleep", "ns/a", "uid", due + timedelta(minutes=2))

    summary = history.summary("ns/a")
    assert summary.last_schedule_time == due + timedelta(minutes=2)
    assert summary.last_state == "FAILURE"
    assert summary.active == 1
    assert history.get("t2").error == "TaskFailedError('boom')"
    # Aware UTC on both databases, whatever the database keeps.
    assert history.get("t1").started_at.tzinfo is not None
    assert summary.last_finished is not None and summary.last_finished.utcoffset().seconds == 0
    assert [r.task_id for r in history.recent("ns/a")] == ["t3", "t2", "t1"]
    assert history.changed_schedules(datetime.now(UTC) - timedelta(minutes=1)) == {"ns/a"}
    assert history.changed_schedules(datetime.now(UTC) + timedelta(minutes=1)) == set()


def test_a_redelivered_task_updates_its_row(database_url):
    history = runs.RunHistory(database_url)
    history.record_started("t1", "taskfleet.sleep", None, None, None)
    history.record_started("t1", "taskfleet.sleep", None, None, None)
    history.record_finished("t1", "SUCCESS", None)
    assert [(r.task_id, r.state) for r in history.recent()] == [("t1", "SUCCESS")]
