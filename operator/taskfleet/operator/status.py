"""Keeps each ScheduledTask's status showing its runs, with bounded writes to the API server.

One loop for the whole operator, not a timer per resource: each pass asks the run history which
schedules had runs written since the last pass (one indexed query), so the cost follows the
runs, not the number of schedules. A resource is patched only when its status would change and
at most once per ``status_min_patch_interval_seconds``; a change inside that window waits for
the next pass.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kubernetes import client
from kubernetes.client.exceptions import ApiException

from taskfleet.operator import entries, resources
from taskfleet.worker import runs, store

logger = logging.getLogger(__name__)


class StatusSync:
    """Copies run outcomes from the history onto resources' statuses."""

    def __init__(
        self,
        history: runs.RunHistory,
        schedule_store: store.ScheduleStore,
        api: client.CustomObjectsApi,
        *,
        namespaces: list[str],
        min_patch_interval: float,
        lookback: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._history = history
        self._store = schedule_store
        self._api = api
        self._namespaces = set(namespaces)
        self._min_interval = min_patch_interval
        self._clock = clock
        self._since = datetime.now(UTC) - timedelta(seconds=lookback)
        self._pending: set[str] = set()
        self._shown: dict[str, dict[str, Any]] = {}
        self._patched_at: dict[str, float] = {}

    def forget(self, key: str) -> None:
        """Drop what is remembered of a deleted resource."""
        self._pending.discard(key)
        self._shown.pop(key, None)
        self._patched_at.pop(key, None)

    def sync_once(self) -> int:
        """One pass; returns how many resources were patched."""
        # Overlap the window by a second: rows written by other hosts may carry slightly older
        # timestamps. Re-reading a row is harmless, as unchanged statuses are not patched.
        now = datetime.now(UTC)
        changed = self._history.changed_schedules(self._since - timedelta(seconds=1))
        self._since = now
        keys = sorted(k for k in changed | self._pending if self._watched(k))
        self._pending.clear()
        next_due = self._store.next_due(keys)
        patched = 0
        for key in keys:
            if self._clock() - self._patched_at.get(key, -1e18) < self._min_interval:
                self._pending.add(key)
                continue
            status = entries.runs_status(self._history.summary(key), next_due[key])
            if status == self._shown.get(key):
                continue
            if self._patch(key, status):
                patched += 1
        return patched

    def _watched(self, key: str) -> bool:
        # Runs of schedules this operator does not watch (another installation sharing the
        # database) are not its to show, and RBAC would refuse the patch anyway.
        return not self._namespaces or key.split("/", 1)[0] in self._namespaces

    def _patch(self, key: str, status: dict[str, Any]) -> bool:
        namespace, name = key.split("/", 1)
        try:
            self._api.patch_namespaced_custom_object_status(
                resources.GROUP,
                resources.VERSION,
                namespace,
                resources.PLURAL,
                name,
                {"status": status},
            )
        except ApiException as exc:
            if exc.status == 404:  # deleted meanwhile; its delete handler cleans the rest
                self.forget(key)
                return False
            # One resource refusing its patch must not hold back every other status: retry it
            # on the next pass.
            logger.warning("status of %s not patched: %s %s", key, exc.status, exc.reason)
            self._pending.add(key)
            return False
        self._shown[key] = status
        self._patched_at[key] = self._clock()
        return True

    async def run(self, interval: float) -> None:
        """Pass after pass until cancelled; a failing pass is logged and retried."""
        while True:
            try:
                await asyncio.to_thread(self.sync_once)
            except Exception:
                # The database or API server may be briefly away; statuses catch up next pass.
                logger.exception("status sync pass failed")
            await asyncio.sleep(interval)
