"""The schedule store: what the operator writes and the leading beat reads, kept in Redis.

Two keys hold it: a hash of entry definitions and a sorted set of each active entry's next due
time (epoch milliseconds). Beat asks only for what is due, so a tick costs O(log N + due) however
many schedules exist, and a change written by the operator is seen on beat's next look without
any reload. A fire is claimed by compare-and-set on its due time, so even two beats that both
believe they lead publish each (schedule, due time) once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import redis

from taskfleet.worker import schedules

logger = logging.getLogger(__name__)

# Replaces an entry's definition only when it differs, so re-applying an unchanged resource (or
# an operator restart's resume pass) keeps the pending fire instead of skipping it.
_PUT = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old == ARGV[2] then return redis.call('ZSCORE', KEYS[2], ARGV[1]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return false
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return ARGV[3]
"""

# ARGV holds triples (member, due, next). A fire is ours only if its score is still the due time
# we read; next == '' drops the member (its definition is gone).
_CLAIM = """
local won = {}
for i = 1, #ARGV, 3 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    if ARGV[i + 2] == '' then
      redis.call('ZREM', KEYS[1], ARGV[i])
    else
      redis.call('ZADD', KEYS[1], ARGV[i + 2], ARGV[i])
      won[#won + 1] = ARGV[i]
    end
  end
end
return won
"""


def _text(raw: bytes | str) -> str:
    return raw.decode() if isinstance(raw, bytes) else raw


def to_ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime: the store's score unit."""
    return round(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    """The aware UTC datetime of epoch milliseconds."""
    return datetime.fromtimestamp(ms / 1000, UTC)


@dataclass(frozen=True)
class Entry:
    """One schedule as beat needs it: what to send, where, and when."""

    key: str
    uid: str
    task: str
    schedule: schedules.Schedule
    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    queue: str | None = None
    suspend: bool = False

    def to_json(self) -> str:
        """Canonical JSON, so an unchanged entry serialises to the same bytes."""
        body = {
            "key": self.key,
            "uid": self.uid,
            "task": self.task,
            "args": self.args,
            "kwargs": self.kwargs,
            "queue": self.queue,
            "suspend": self.suspend,
            "cron": self.schedule.cron,
            "interval": self.schedule.interval_seconds,
            "timeZone": self.schedule.time_zone,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Entry:
        """The entry :meth:`to_json` wrote."""
        body = json.loads(text)
        schedule = schedules.Schedule(
            cron=body["cron"], interval_seconds=body["interval"], time_zone=body["timeZone"]
        )
        return cls(
            key=body["key"],
            uid=body["uid"],
            task=body["task"],
            schedule=schedule,
            args=body["args"],
            kwargs=body["kwargs"],
            queue=body["queue"],
            suspend=body["suspend"],
        )


@dataclass(frozen=True)
class Fire:
    """A claimed fire: the entry and the due time it was claimed for."""

    entry: Entry
    due: datetime


class ScheduleStore:
    """Reads and writes schedule entries in Redis; safe to share between threads."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._redis = client
        self._defs = f"{prefix}:schedules"
        self._due = f"{prefix}:due"
        self._put = client.register_script(_PUT)
        self._claim = client.register_script(_CLAIM)

    @classmethod
    def from_url(cls, url: str, prefix: str) -> ScheduleStore:
        """A store on the Redis server at ``url``."""
        return cls(redis.Redis.from_url(url), prefix)

    def put(self, entry: Entry, now: datetime) -> datetime | None:
        """Write ``entry``; returns its next due time, or None while it is suspended."""
        score = "" if entry.suspend else str(to_ms(entry.schedule.next_after(now)))
        result = self._put(keys=[self._defs, self._due], args=[entry.key, entry.to_json(), score])
        return None if result is None else from_ms(int(float(result)))

    def remove(self, key: str) -> None:
        """Forget ``key``: it will not fire again."""
        with self._redis.pipeline() as pipe:
            pipe.hdel(self._defs, key)
            pipe.zrem(self._due, key)
            pipe.execute()

    def get(self, key: str) -> Entry | None:
        """The stored entry called ``key``, if any."""
        raw = self._redis.hget(self._defs, key)
        return None if raw is None else Entry.from_json(raw)

    def keys(self) -> Iterator[str]:
        """Every stored key, scanned in batches (start-up resync only: O(N))."""
        # HSCAN NOVALUES needs Redis 7.4; the values are small, so take them and drop them.
        for raw, _ in self._redis.hscan_iter(self._defs, count=1000):
            yield _text(raw)

    def retain(self, wanted: Iterable[str]) -> list[str]:
        """Remove every entry whose key is not in ``wanted``; returns the removed keys."""
        keep = set(wanted)
        stale = [key for key in self.keys() if key not in keep]
        for key in stale:
            self.remove(key)
        return stale

    def next_due(self, keys: list[str]) -> dict[str, datetime | None]:
        """Each key's next due time (None when suspended or absent)."""
        if not keys:
            return {}
        scores = self._redis.zmscore(self._due, keys)
        return {
            k: None if s is None else from_ms(int(s)) for k, s in zip(keys, scores, strict=True)
        }

    def earliest_due(self) -> datetime | None:
        """When the soonest entry is due, so beat knows how long it may sleep."""
        head = cast(list[tuple[bytes, float]], self._redis.zrange(self._due, 0, 0, withscores=True))
        return from_ms(int(head[0][1])) if head else None

    def claim_due(self, now: datetime, limit: int) -> list[Fire]:
        """Claim up to ``limit`` fires due at ``now``, advancing each entry past ``now`` first.

        Advancing before the caller publishes means a publish that fails cannot make the same
        fire spin; a fire some other beat claimed first is not returned.
        """
        due = cast(
            list[tuple[bytes, float]],
            self._redis.zrangebyscore(self._due, "-inf", to_ms(now), 0, limit, withscores=True),
        )
        if not due:
            return []
        members = [_text(m) for m, _ in due]
        raws = self._redis.hmget(self._defs, members)
        argv: list[str] = []
        fires: dict[str, Fire] = {}
        for member, (_, score), raw in zip(members, due, raws, strict=True):
            due_ms = int(score)
            nxt = ""
            if raw is not None:
                try:
                    entry = Entry.from_json(raw)
                    due_at = from_ms(due_ms)
                    nxt = str(to_ms(entry.schedule.next_after(max(now, due_at))))
                    fires[member] = Fire(entry, due_at)
                except Exception:
                    # A bad entry must never stop beat or spin: it is dropped from the due set
                    # (its definition stays) until the operator writes it again.
                    logger.exception("schedule store: cannot evaluate %s; unscheduling it", member)
                    nxt = ""
            argv += [member, str(due_ms), nxt]
        won = self._claim(keys=[self._due], args=argv)
        return [fires[_text(m)] for m in won]
