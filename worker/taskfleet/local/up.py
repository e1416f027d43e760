"""``taskfleet dev up``: the whole stack on this machine, shown working, until Ctrl-C."""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import threading
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from taskfleet.local import installation, processes, servers
from taskfleet.local.settings import LocalSettings


def _say(message: str) -> None:
    print(f"[taskfleet] {message}", flush=True)


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback URL
        return json.loads(response.read())


def _examples_succeeded(install: installation.Installation) -> bool:
    listing = json.loads(install.kubectl("get", "scheduledtasks", "-A", "-o", "json"))
    results = [i.get("status", {}).get("lastResult") for i in listing["items"]]
    return bool(results) and "Succeeded" in results


def run(workdir: Path, repo: Path, api_port: int) -> int:
    """Start everything, show it working, and stop it all on SIGINT or SIGTERM."""
    settings = LocalSettings()
    workdir = workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    stopping = threading.Event()

    def _stop(signum: int, _: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    started: list[Callable[[], None]] = []
    try:
        _say(f"starting etcd, kube-apiserver and redis-server (state in {workdir})")
        etcd = servers.Etcd(settings, workdir).start()
        started.append(etcd.stop)
        apiserver = servers.KubeApiServer(settings, workdir, etcd.url).start()
        started.append(apiserver.stop)
        redis_server = servers.RedisServer(settings, workdir).start()
        started.append(redis_server.stop)
        _say(f"API server {apiserver.url} ready; redis {redis_server.url}")
        install = installation.Installation(
            settings,
            workdir,
            apiserver,
            redis_server.url,
            f"sqlite:///{workdir / 'taskfleet.db'}",
            repo.resolve(),
        ).bootstrap()
        _say("CRD applied; chart installed in taskfleet-system (ServiceAccounts and RBAC)")
        api = install.api(api_port)
        components = [install.worker(), install.beat(), install.operator(), api]
        started.append(install.stop_all)
        for component in components:
            component.start()
        _say("operator, beat, worker and API started; applying manifests/examples")
        install.kubectl("apply", "-f", str(repo / "manifests" / "examples"))
        processes.wait_until(lambda: _examples_succeeded(install), 90, "a first successful run")
        _say("ScheduledTasks (kubectl get st -A):")
        print(install.kubectl("get", "st", "-A"), flush=True)
        base = f"http://127.0.0.1:{api_port}"
        _say(f"GET {base}/healthz -> {json.dumps(_get_json(base + '/healthz'))}")
        task_id = _get_json(f"{base}/api/v1/runs?limit=1")[0]["task_id"]
        _say(
            f"GET {base}/api/v1/tasks/{task_id} -> "
            f"{json.dumps(_get_json(f'{base}/api/v1/tasks/{task_id}'))}"
        )
        _say("taskfleet is up. In another shell:")
        _say(f"  export KUBECONFIG={apiserver.kubeconfig}")
        _say(f"  kubectl get st -A -w        # or: {settings.tools_dir}/kubectl ...")
        _say(f"  curl {base}/api/v1/runs     # API docs: {base}/docs")
        _say(f"logs in {workdir / 'logs'}; Ctrl-C stops everything")
        while not stopping.wait(1.0):
            dead = [c.name for c in components if not c.alive()]
            if dead:
                _say(f"stopping: {', '.join(dead)} exited (see {workdir / 'logs'})")
                return 1
        return 0
    finally:
        _say("stopping")
        for stop in reversed(started):
            with contextlib.suppress(Exception):
                stop()
