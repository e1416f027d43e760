"""Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it.

A standby judges the holder's lease expired by its own monotonic clock from the moment it last
saw the lease change, never by comparing timestamps written by another machine, so clock skew
cannot make two replicas lead. A leader that cannot renew within the renew deadline stops
leading before any standby may take over; on a clean stop it releases the lease at once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kubernetes import client
from kubernetes.client.exceptions import ApiException

logger = logging.getLogger(__name__)


def _micro_time(moment: datetime) -> str:
    """A MicroTime as the API server parses it (RFC 3339 with exactly six fraction digits)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def default_identity() -> str:
    """Unique per process: host name (the pod name in a cluster), pid and a random suffix."""
    return f"{socket.gethostname()}_{os.getpid()}_{uuid.uuid4().hex[:6]}"


class LeaseElector:
    """Holds or waits for one Lease from a background thread; :meth:`is_leader` is cheap."""

    def __init__(
        self,
        api: client.CoordinationV1Api,
        namespace: str,
        name: str,
        *,
        identity: str,
        lease_duration: float,
        renew_deadline: float,
        retry_period: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._api = api
        self._namespace = namespace
        self._name = name
        self.identity = identity
        self._duration = lease_duration
        self._renew_deadline = renew_deadline
        self._retry = retry_period
        self._clock = clock
        self._leading_until = 0.0
        self._observed: tuple[str | None, str | None] = (None, None)
        self._observed_at = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def is_leader(self) -> bool:
        """Whether this process may dispatch now."""
        return self._clock() < self._leading_until

    def start(self) -> None:
        """Start competing for the lease in a daemon thread."""
        self._thread = threading.Thread(target=self._run, name="lease-elector", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop competing and, if leading, release the lease so a standby takes over at once."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._retry + 5)
        if self.is_leader():
            self._leading_until = 0.0
            self._release()

    def _run(self) -> None:
        while not self._stop.is_set():
            started = self._clock()
            try:
                leading = self.try_acquire_or_renew()
                self._leading_until = started + self._renew_deadline if leading else 0.0
            except Exception:
                # An unreachable API server must not kill the elector thread: leadership then
                # simply lapses at the renew deadline and the next attempt may succeed.
                logger.exception(
                    "lease %s/%s: acquire or renew failed", self._namespace, self._name
                )
            self._stop.wait(self._retry)

    def try_acquire_or_renew(self) -> bool:
        """One attempt to take or keep the lease; True when this process holds it."""
        now = datetime.now(UTC)
        try:
            lease = self._read()
        except ApiException as exc:
            if exc.status != 404:
                raise
            return self._write(None, self._spec(now, now, 0))
        if lease.holder is not None and lease.holder != self.identity:
            seen = (lease.holder, lease.resource_version)
            if seen != self._observed:
                self._observed, self._observed_at = seen, self._clock()
                return False
            if self._clock() - self._observed_at < self._duration:
                return False
            logger.info(
                "lease %s/%s: %s expired; taking over", self._namespace, self._name, lease.holder
            )
        if lease.holder == self.identity:
            acquired, transitions = lease.acquired or now, lease.transitions
        else:
            acquired, transitions = now, lease.transitions + 1
        return self._write(lease.resource_version, self._spec(acquired, now, transitions))

    def _read(self) -> _Lease:
        raw = self._api.read_namespaced_lease(self._name, self._namespace)
        spec, metadata = raw.spec or client.V1LeaseSpec(), raw.metadata or client.V1ObjectMeta()
        return _Lease(
            holder=spec.holder_identity or None,
            resource_version=metadata.resource_version,
            acquired=spec.acquire_time,
            transitions=spec.lease_transitions or 0,
        )

    def _spec(self, acquired: datetime, renewed: datetime, transitions: int) -> dict[str, Any]:
        return {
            "holderIdentity": self.identity,
            "leaseDurationSeconds": max(1, round(self._duration)),
            "acquireTime": _micro_time(acquired),
            "renewTime": _micro_time(renewed),
            "leaseTransitions": transitions,
        }

    def _write(self, resource_version: str | None, spec: dict[str, Any]) -> bool:
        metadata: dict[str, Any] = {"name": self._name, "namespace": self._namespace}
        body = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": metadata}
        body["spec"] = spec
        # Plain dict bodies: the typed V1Lease would serialise a whole-second time without the
        # six fraction digits that the API server's MicroTime parser requires.
        try:
            if resource_version is None:
                self._api.create_namespaced_lease(self._namespace, body)  # type: ignore[arg-type]
            else:
                metadata["resourceVersion"] = resource_version
                self._api.replace_namespaced_lease(self._name, self._namespace, body)  # type: ignore[arg-type]
        except ApiException as exc:
            if exc.status == 409:  # another replica wrote first: it leads, we wait
                return False
            raise
        return True

    def _release(self) -> None:
        try:
            lease = self._read()
            if lease.holder != self.identity:
                return
            spec = self._spec(datetime.now(UTC), datetime.now(UTC), lease.transitions)
            spec.update(holderIdentity=None, leaseDurationSeconds=1)
            self._write(lease.resource_version, spec)
            logger.info("lease %s/%s released", self._namespace, self._name)
        except Exception:
            # Best effort: if the release fails the standby waits out the lease instead.
            logger.exception("lease %s/%s: release failed", self._namespace, self._name)


@dataclass(frozen=True)
class _Lease:
    holder: str | None
    resource_version: str | None
    acquired: datetime | None
    transitions: int
