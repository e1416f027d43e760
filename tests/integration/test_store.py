"""The schedule store on a real Redis: live changes, claims that cannot double, bad entries."""

import secrets
import threading
from datetime import UTC, datetime, timedelta

import pytest
import redis

from taskfleet.worker import schedules, store


@pytest.fixture
def schedule_store(redis_server):
    return store.ScheduleStore.from_url(redis_server.url, f"test-{secrets.token_hex(4)}")


def entry(key="ns/a", interval=5.0, suspend=False, task="taskfleet.echo"):
    return store.Entry(
        key=key,
        uid="u1",
        task=task,
        schedule=schedules.Schedule(interval_seconds=interval),
        suspend=suspend,
    )


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_put_schedules_the_next_aligned_fire(schedule_store):
    assert schedule_store.put(entry(), T0 + timedelta(seconds=1)) == T0 + timedelta(seconds=5)
    assert schedule_store.earliest_due() == T0 + timedelta(seconds=5)


def test_reputting_an_unchanged_entry_keeps_its_pending_fire(schedule_store):
    schedule_store.put(entry(), T0 + timedelta(seconds=1))
    # Later than the due time, e.g. an operator restart before beat claimed the fire.
    assert schedule_store.put(entry(), T0 + timedelta(seconds=7)) == T0 + timedelta(seconds=5)
    assert [f.due for f in schedule_store.claim_due(T0 + timedelta(seconds=7), 10)] == [
        T0 + timedelta(seconds=5)
    ]


def test_a_change_is_seen_by_the_next_claim(schedule_store):
    schedule_store.put(entry(interval=60), T0)
    assert schedule_store.claim_due(T0 + timedelta(seconds=5), 10) == []
    schedule_store.put(entry(interval=5), T0)
    fires = schedule_store.claim_due(T0 + timedelta(seconds=5), 10)
    assert [(f.entry.schedule.interval_seconds, f.due) for f in fires] == [
        (5.0, T0 + timedelta(seconds=5))
    ]


def test_suspend_and_remove_stop_firing(schedule_store):
    schedule_store.put(entry(), T0)
    assert schedule_store.put(entry(suspend=True), T0) is None
    assert schedule_store.claim_due(T0 + timedelta(hours=1), 10) == []
    schedule_store.put(entry(), T0)
    schedule_store.remove("ns/a")
    assert schedule_store.get("ns/a") is None
    assert schedule_store.claim_due(T0 + timedelta(hours=1), 10) == []


def test_claim_advances_past_now_without_catch_up_bursts(schedule_store):
    schedule_store.put(entry(), T0)
    fires = schedule_store.claim_due(T0 + timedelta(seconds=61), 10)
    assert len(fires) == 1
    assert schedule_store.next_due(["ns/a"]) == {"ns/a": T0 + timedelta(seconds=65)}


def test_concurrent_claimers_publish_each_fire_once(schedule_store, redis_server):
    for i in range(200):
        schedule_store.put(entry(key=f"ns/{i}"), T0)
    rival = store.ScheduleStore(
        redis.Redis.from_url(redis_server.url), schedule_store._due.rsplit(":", 1)[0]
    )
    won: list[list[store.Fire]] = [[], []]
    barrier = threading.Barrier(2)

    def claim(index, claimer):
        barrier.wait()
        for _ in range(20):
            won[index] += claimer.claim_due(T0 + timedelta(seconds=5), 50)

    threads = [
        threading.Thread(target=claim, args=(i, s)) for i, s in enumerate([schedule_store, rival])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    keys = [f.entry.key for f in won[0] + won[1]]
    assert len(keys) == 200
    assert len(set(keys)) == 200


def test_an_entry_that_cannot_be_evaluated_is_unscheduled_not_fatal(schedule_store, redis_server):
    schedule_store.put(entry(key="ns/good"), T0)
    client = redis.Redis.from_url(redis_server.url)
    client.hset(schedule_store._defs, "ns/broken", b"{not json")
    client.zadd(schedule_store._due, {"ns/broken": store.to_ms(T0)})
    fires = schedule_store.claim_due(T0 + timedelta(seconds=5), 10)
    assert [f.entry.key for f in fires] == ["ns/good"]
    assert client.zscore(schedule_store._due, "ns/broken") is None


def test_retain_removes_what_has_no_resource(schedule_store):
    for key in ("ns/a", "ns/b", "other/c"):
        schedule_store.put(entry(key=key), T0)
    assert sorted(schedule_store.retain(["ns/a"])) == ["ns/b", "other/c"]
    assert list(schedule_store.keys()) == ["ns/a"]
