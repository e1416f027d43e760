"""Helpers for tests that drive ScheduledTasks through the real API server."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import yaml

from taskfleet.local import installation


def scheduled_task(name: str, namespace: str, **spec: Any) -> dict[str, Any]:
    """A ScheduledTask body; ``spec`` defaults to the echo task every 2 seconds."""
    body_spec: dict[str, Any] = {"task": "taskfleet.echo", "schedule": {"interval": "2s"}}
    body_spec.update(spec)
    return {
        "apiVersion": "taskfleet.dev/v1alpha1",
        "kind": "ScheduledTask",
        "metadata": {"name": name, "namespace": namespace},
        "spec": body_spec,
    }


def apply(
    install: installation.Installation, body: dict[str, Any]
) -> subprocess.CompletedProcess[str]:
    """``kubectl apply`` one object; returns the completed process (check=False)."""
    argv = [
        installation.servers.tool(install.settings, "kubectl"),
        f"--kubeconfig={install.apiserver.kubeconfig}",
        "apply",
        "-f",
        "-",
    ]
    return subprocess.run(
        argv, input=yaml.safe_dump(body), capture_output=True, text=True, check=False
    )


def get(install: installation.Installation, namespace: str, name: str) -> dict[str, Any]:
    """The ScheduledTask as JSON."""
    out = install.kubectl("get", "scheduledtask", name, "-n", namespace, "-o", "json")
    result: dict[str, Any] = json.loads(out)
    return result


def status(install: installation.Installation, namespace: str, name: str) -> dict[str, Any]:
    """The ScheduledTask's status (empty when none yet)."""
    result: dict[str, Any] = get(install, namespace, name).get("status") or {}
    return result
