"""One taskfleet installation's components as local processes against a real API server.

Each component gets its own ServiceAccount and a kubeconfig holding that account's token, bound
to the same ClusterRoles the manifests ship, so what a component may do locally is exactly what
RBAC grants it in a cluster.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from taskfleet.local import processes, servers
from taskfleet.local.settings import LocalSettings

ACCOUNTS = ("taskfleet-operator", "taskfleet-beat", "taskfleet-worker", "taskfleet-api")


@dataclass
class Installation:
    """Operator, beat, workers and API of one installation in ``namespace``.

    ``watch`` lists the namespaces the operator watches (bound by RoleBindings); empty means the
    whole cluster (a ClusterRoleBinding). ``overrides`` are extra ``TASKFLEET_*`` settings.
    """

    settings: LocalSettings
    workdir: Path
    apiserver: servers.KubeApiServer
    redis_url: str
    database_url: str
    manifests: Path
    namespace: str = "taskfleet-system"
    watch: list[str] = field(default_factory=list)
    store_prefix: str = "taskfleet"
    overrides: dict[str, str] = field(default_factory=dict)
    kubeconfigs: dict[str, Path] = field(default_factory=dict)
    processes: list[processes.Process] = field(default_factory=list)

    def kubectl(self, *args: str, stdin: str | None = None) -> str:
        """Run kubectl as admin; raises CalledProcessError with kubectl's message."""
        argv = [servers.tool(self.settings, "kubectl"), f"--kubeconfig={self.apiserver.kubeconfig}"]
        done = subprocess.run([*argv, *args], input=stdin, capture_output=True, text=True, check=False)
        if done.returncode:
            raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)
        return done.stdout

    def apply(self, documents: list[dict[str, Any]]) -> None:
        """``kubectl apply`` these objects."""
        self.kubectl("apply", "-f", "-", stdin=yaml.safe_dump_all(documents))

    def install_crds(self) -> None:
        """Apply the CRDs and wait until the API server serves them."""
        self.kubectl("apply", "-f", str(self.manifests / "crds"))
        self.kubectl("wait", "--for=condition=Established", "--timeout=60s",
                     "crd/scheduledtasks.taskfleet.dev")

    def bootstrap(self) -> Installation:
        """Namespace, ServiceAccounts, RBAC bindings, and a kubeconfig per component."""
        self.install_crds()
        self.kubectl("apply", "-f", str(self.manifests / "rbac"))
        docs: list[dict[str, Any]] = [_object("v1", "Namespace", self.namespace)]
        docs += [_object("v1", "ServiceAccount", a, self.namespace) for a in ACCOUNTS]
        docs += [_object("v1", "Namespace", ns) for ns in self.watch if ns != self.namespace]
        operator_subject = _subject("taskfleet-operator", self.namespace)
        if self.watch:
            docs += [_binding("RoleBinding", "taskfleet-operator", operator_subject, ns)
                     for ns in self.watch]
        else:
            docs.append(_binding("ClusterRoleBinding", "taskfleet-operator", operator_subject,
                                 name=f"taskfleet-operator-{self.namespace}"))
        docs.append(_binding("ClusterRoleBinding", "taskfleet-operator-cluster", operator_subject,
                             name=f"taskfleet-operator-cluster-{self.namespace}"))
        docs.append(_binding("RoleBinding", "taskfleet-beat",
                             _subject("taskfleet-beat", self.namespace), self.namespace))
        self.apply(docs)
        for account in ACCOUNTS:
            self.kubeconfigs[account] = self.apiserver.service_account_kubeconfig(
                self.namespace, account, self.workdir / f"{account}.kubeconfig"
            )
        return self

    def env(self, account: str) -> dict[str, str]:
        """Environment of a component running as ``account``."""
        values = {
            "TASKFLEET_REDIS_URL": self.redis_url,
            "TASKFLEET_DATABASE_URL": self.database_url,
            "TASKFLEET_STORE_PREFIX": self.store_prefix,
            "TASKFLEET_KUBECONFIG": str(self.kubeconfigs[account]),
            "TASKFLEET_LEASE_NAMESPACE": self.namespace,
            "TASKFLEET_NAMESPACES": json.dumps(self.watch),
            "PYTHONUNBUFFERED": "1",
            **self.overrides,
        }
        return {**_inherited_env(), **values}

    def _component(self, name: str, account: str, *args: str) -> processes.Process:
        argv = [sys.executable, "-m", "taskfleet.cli", *args]
        process = processes.Process(name, argv, self.workdir / "logs" / f"{name}.log",
                                    env=self.env(account), cwd=self.workdir)
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        """Stop every component this installation handed out, newest first."""
        for process in reversed(self.processes):
            process.stop()

    def operator(self, name: str = "operator") -> processes.Process:
        """The operator (not yet started)."""
        return self._component(name, "taskfleet-operator", "operator")

    def beat(self, name: str = "beat") -> processes.Process:
        """A beat replica (not yet started)."""
        return self._component(name, "taskfleet-beat", "beat")

    def worker(self, name: str = "worker", *celery_args: str) -> processes.Process:
        """A Celery worker (not yet started); ``celery_args`` go to ``celery worker``."""
        return self._component(name, "taskfleet-worker", "worker", "--hostname",
                               f"{name}@%h", *celery_args)

    def api(self, port: int, name: str = "api") -> processes.Process:
        """The REST API on ``port`` (not yet started)."""
        return self._component(name, "taskfleet-api", "api", "--host", "127.0.0.1",
                               "--port", str(port))


def _inherited_env() -> dict[str, str]:
    # Children get PATH and the like, but only the TASKFLEET_* settings chosen here.
    return {k: v for k, v in os.environ.items() if not k.startswith("TASKFLEET_")}


def _object(api_version: str, kind: str, name: str, namespace: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "labels": {"app.kubernetes.io/name": "taskfleet"}}
    if namespace is not None:
        metadata["namespace"] = namespace
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata}


def _subject(account: str, namespace: str) -> dict[str, str]:
    return {"kind": "ServiceAccount", "name": account, "namespace": namespace}


def _binding(
    kind: str, role: str, subject: dict[str, str], namespace: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    body = _object("rbac.authorization.k8s.io/v1", kind, name or role, namespace)
    body["roleRef"] = {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role}
    body["subjects"] = [subject]
    return body

