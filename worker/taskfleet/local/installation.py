"""One taskfleet installation's components as local processes against a real API server.

Each component gets its own ServiceAccount and a kubeconfig holding that account's token, bound
to the same roles the chart ships, so what a component may do locally is exactly what
RBAC grants it in a cluster.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from taskfleet.local import processes, servers
from taskfleet.local.settings import LocalSettings

COMPONENTS = ("operator", "beat", "worker", "api")


@dataclass
class Installation:
    """Operator, beat, workers and API of one installation in ``namespace``.

    The chart itself (``helm upgrade --install``) creates the ServiceAccounts and RBAC, so local
    components are held to exactly the rules a cluster install gives them. ``watch`` lists the
    namespaces the operator watches; empty means the whole cluster. ``overrides`` are extra
    ``TASKFLEET_*`` settings.
    """

    settings: LocalSettings
    workdir: Path
    apiserver: servers.KubeApiServer
    redis_url: str
    database_url: str
    repo: Path
    namespace: str = "taskfleet-system"
    release: str = "taskfleet"
    watch: list[str] = field(default_factory=list)
    store_prefix: str = "taskfleet"
    overrides: dict[str, str] = field(default_factory=dict)
    kubeconfigs: dict[str, Path] = field(default_factory=dict)
    children: list[processes.Process] = field(default_factory=list)

    @property
    def fullname(self) -> str:
        """The chart's ``taskfleet.fullname`` for this release (see _helpers.tpl)."""
        name = self.release if "taskfleet" in self.release else f"{self.release}-taskfleet"
        return name[:63].rstrip("-")

    def account(self, component: str) -> str:
        """The ServiceAccount the chart creates for ``component``."""
        return f"{self.fullname}-{component}"

    def kubectl(self, *args: str, stdin: str | None = None) -> str:
        """Run kubectl as admin; raises CalledProcessError with kubectl's message."""
        return self._run("kubectl", *args, stdin=stdin)

    def helm(self, *args: str) -> str:
        """Run helm as admin; raises CalledProcessError with helm's message."""
        return self._run("helm", *args)

    def _run(self, name: str, *args: str, stdin: str | None = None) -> str:
        argv = [servers.tool(self.settings, name), f"--kubeconfig={self.apiserver.kubeconfig}"]
        done = subprocess.run(
            [*argv, *args], input=stdin, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise subprocess.CalledProcessError(
                done.returncode, [name, *args], done.stdout, done.stderr
            )
        return done.stdout

    def install_crds(self) -> None:
        """Apply the CRDs and wait until the API server serves them (helm never upgrades CRDs,
        so they are applied on their own, as a cluster admin would)."""
        self.kubectl("apply", "-f", str(self.repo / "manifests" / "crds"))
        self.kubectl(
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/scheduledtasks.taskfleet.dev",
        )

    def bootstrap(self) -> Installation:
        """CRDs, namespaces, the chart (ServiceAccounts and RBAC), a kubeconfig per component."""
        self.install_crds()
        namespaces = dict.fromkeys([self.namespace, *self.watch])
        self.kubectl(
            "apply",
            "-f",
            "-",
            stdin=yaml.safe_dump_all(
                [
                    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}
                    for ns in namespaces
                ]
            ),
        )
        self.helm(
            "upgrade",
            "--install",
            self.release,
            str(self.repo / "charts" / "taskfleet"),
            "--namespace",
            self.namespace,
            "--skip-crds",
            "--set-json",
            f"operator.watchNamespaces={json.dumps(self.watch)}",
        )
        for component in COMPONENTS:
            self.kubeconfigs[component] = self.apiserver.service_account_kubeconfig(
                self.namespace, self.account(component), self.workdir / f"{component}.kubeconfig"
            )
        return self

    def env(self, component: str) -> dict[str, str]:
        """Environment of ``component``, running with its own ServiceAccount's token."""
        values = {
            "TASKFLEET_REDIS_URL": self.redis_url,
            "TASKFLEET_DATABASE_URL": self.database_url,
            "TASKFLEET_STORE_PREFIX": self.store_prefix,
            "TASKFLEET_KUBECONFIG": str(self.kubeconfigs[component]),
            "TASKFLEET_LEASE_NAMESPACE": self.namespace,
            "TASKFLEET_NAMESPACES": json.dumps(self.watch),
            "PYTHONUNBUFFERED": "1",
            **self.overrides,
        }
        return {**_inherited_env(), **values}

    def _component(self, name: str, component: str, *args: str) -> processes.Process:
        argv = [sys.executable, "-m", "taskfleet.cli", *args]
        process = processes.Process(
            name,
            argv,
            self.workdir / "logs" / f"{name}.log",
            env=self.env(component),
            cwd=self.workdir,
        )
        self.children.append(process)
        return process

    def stop_all(self) -> None:
        """Stop every component this installation handed out, newest first."""
        for process in reversed(self.children):
            process.stop()

    def operator(self, name: str = "operator") -> processes.Process:
        """The operator (not yet started)."""
        return self._component(name, "operator", "operator")

    def beat(self, name: str = "beat") -> processes.Process:
        """A beat replica (not yet started)."""
        return self._component(name, "beat", "beat")

    def worker(self, name: str = "worker", *celery_args: str) -> processes.Process:
        """A Celery worker (not yet started); ``celery_args`` go to ``celery worker``."""
        return self._component(name, "worker", "worker", "--hostname", f"{name}@%h", *celery_args)

    def api(self, port: int, name: str = "api") -> processes.Process:
        """The REST API on ``port`` (not yet started)."""
        return self._component(name, "api", "api", "--host", "127.0.0.1", "--port", str(port))


def _inherited_env() -> dict[str, str]:
    # Children get PATH and the like, but only the TASKFLEET_* settings chosen here.
    return {k: v for k, v in os.environ.items() if not k.startswith("TASKFLEET_")}
