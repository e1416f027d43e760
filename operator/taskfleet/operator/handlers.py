"""kopf handlers: ScheduledTask events in, schedule store entries and statuses out.

Handlers are thin; the decisions live in :mod:`entries` (pure) and the store. A spec that the
API server's schema let through but that cannot run (a well-formed but unknown time zone) gets a
``Valid=False`` condition, a Warning Event and a PermanentError, and is never scheduled.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any, cast

import kopf
from kubernetes import client

from taskfleet.operator import entries, resources, settings, status
from taskfleet.worker import kube, runs, schedules, store

RESOURCE = (resources.GROUP, resources.VERSION, resources.PLURAL)


@kopf.on.startup()
async def operator_startup(
    *, settings: kopf.OperatorSettings, memo: Any, logger: kopf.Logger, **_: Any
) -> None:
    """Build the collaborators once, resync the store, start the status loop."""
    config = _config(memo)
    settings.peering.standalone = True
    settings.persistence.finalizer = resources.FINALIZER
    settings.persistence.progress_storage = kopf.AnnotationsProgressStorage(
        prefix=resources.ANNOTATION_PREFIX
    )
    settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
        prefix=resources.ANNOTATION_PREFIX
    )
    # Events only for warnings: an Event per successful handler call is an API write per change.
    settings.posting.level = logging.WARNING
    memo.store = store.ScheduleStore.from_url(config.redis_url, config.store_prefix)
    memo.history = runs.RunHistory(config.database_url)
    custom = client.CustomObjectsApi(_api_client(memo))
    removed = await asyncio.to_thread(resync, memo.store, custom, config.namespaces)
    logger.info("resync: %d stale store entries removed", len(removed))
    memo.status = status.StatusSync(
        memo.history,
        memo.store,
        custom,
        namespaces=config.namespaces,
        min_patch_interval=config.status_min_patch_interval_seconds,
        lookback=config.status_lookback_seconds,
    )
    memo.status_task = asyncio.create_task(memo.status.run(config.status_interval_seconds))


def settings_from_env() -> settings.OperatorSettings:
    """The operator's settings, read from the environment (the one place that does)."""
    return settings.OperatorSettings()


def _config(memo: Any) -> settings.OperatorSettings:
    if "config" not in memo:  # started as `kopf run -m taskfleet.operator.handlers`
        memo.config = settings_from_env()
    config: settings.OperatorSettings = memo.config
    return config


def _api_client(memo: Any) -> client.ApiClient:
    # Login may run before or after the startup handlers, so whichever comes first builds it.
    if "api_client" not in memo:
        memo.api_client = kube.api_client(_config(memo).kubeconfig)
    api_client: client.ApiClient = memo.api_client
    return api_client


@kopf.on.cleanup()
async def operator_cleanup(*, memo: Any, **_: Any) -> None:
    """Stop the status loop."""
    task: asyncio.Task[None] | None = memo.get("status_task")
    if task is not None:
        task.cancel()


@kopf.on.login()
def operator_login(*, memo: Any, **_: Any) -> kopf.ConnectionInfo:
    """Log kopf in with the same credentials as the operator's own client."""
    configuration = _api_client(memo).configuration
    header = configuration.get_api_key_with_prefix("BearerToken") or ""
    token = header.split(" ", 1)[-1] or None
    return kopf.ConnectionInfo(
        server=configuration.host,
        ca_path=configuration.ssl_ca_cert,
        insecure=not configuration.verify_ssl,
        token=token,
        certificate_path=configuration.cert_file,
        private_key_path=configuration.key_file,
        default_namespace="default",
    )


def resync(
    schedule_store: store.ScheduleStore, custom: client.CustomObjectsApi, namespaces: list[str]
) -> list[str]:
    """Remove store entries whose resource is gone, so the store derives from resources alone.

    Entries of existing resources are (re)written by the resume handlers that kopf calls next.
    """
    wanted: set[str] = set()
    scopes: list[str | None] = [*namespaces] or [None]
    for namespace in scopes:
        token: str | None = None
        while True:
            paging: dict[str, Any] = {"limit": 500}
            if token:
                paging["_continue"] = token
            if namespace is None:
                page = cast(dict[str, Any], custom.list_cluster_custom_object(*RESOURCE, **paging))
            else:
                page = cast(
                    dict[str, Any],
                    custom.list_namespaced_custom_object(
                        resources.GROUP, resources.VERSION, namespace, resources.PLURAL, **paging
                    ),
                )
            for item in page["items"]:
                meta = item["metadata"]
                wanted.add(entries.key_of(meta["namespace"], meta["name"]))
            token = page["metadata"].get("continue")
            if not token:
                break
    return schedule_store.retain(wanted)


@kopf.on.resume(*RESOURCE)
@kopf.on.create(*RESOURCE)
@kopf.on.update(*RESOURCE)
def scheduledtask_reconcile(
    *,
    namespace: str | None,
    name: str,
    uid: str,
    spec: kopf.Spec,
    meta: kopf.Meta,
    status: kopf.Status,
    body: kopf.Body,
    patch: kopf.Patch,
    memo: Any,
    logger: kopf.Logger,
    **_: Any,
) -> None:
    """Write the resource into the store (or take it out while invalid)."""
    assert namespace is not None, "ScheduledTask is namespaced"
    now = datetime.now(UTC)
    key = entries.key_of(namespace, name)
    patch.status["observedGeneration"] = meta.get("generation")
    try:
        entry = entries.build_entry(namespace, name, uid, spec)
    except schedules.InvalidScheduleError as exc:
        memo.store.remove(key)
        patch.status["conditions"] = _conditions(
            status,
            entries.condition("Valid", False, "InvalidSpec", str(exc), now),
            entries.condition("Ready", False, "InvalidSpec", "not scheduled", now),
        )
        patch.status["nextScheduleTime"] = None
        kopf.warn(body, reason="InvalidSpec", message=str(exc))
        raise kopf.PermanentError(str(exc)) from exc
    next_due = memo.store.put(entry, now)
    ready = ("Suspended", "suspended") if entry.suspend else ("Scheduled", "in the schedule")
    patch.status["schedule"] = entry.schedule.describe()
    if "active" not in status:
        patch.status["active"] = 0
    patch.status["nextScheduleTime"] = entries.timestamp(next_due)
    patch.status["conditions"] = _conditions(
        status,
        entries.condition("Valid", True, "Valid", "spec accepted", now),
        entries.condition("Ready", not entry.suspend, *ready, now),
    )
    logger.info("scheduled %s: %s, next %s", key, entry.schedule.describe(), next_due)


def _conditions(current: kopf.Status, *new: dict[str, str]) -> list[dict[str, str]]:
    """``new`` conditions, keeping each one's transition time while its status is unchanged."""
    old = {c.get("type"): c for c in current.get("conditions") or []}
    merged = []
    for cond in new:
        previous = old.get(cond["type"]) or {}
        if previous.get("status") == cond["status"] and previous.get("lastTransitionTime"):
            merged.append({**cond, "lastTransitionTime": previous["lastTransitionTime"]})
        else:
            merged.append(cond)
    return merged


@kopf.on.delete(*RESOURCE)
def scheduledtask_delete(*, namespace: str | None, name: str, memo: Any, **_: Any) -> None:
    """Remove the store entry; kopf then lifts the finalizer."""
    key = entries.key_of(namespace or "", name)
    memo.store.remove(key)
    memo.status.forget(key)
