"""Real servers on free loopback ports: etcd, kube-apiserver and redis-server.

kube-apiserver runs with RBAC authorization, a static admin token (group system:masters) and
ServiceAccount token signing, so components can run with their own ServiceAccount's token and be
refused what their Roles do not allow, as in a cluster.
"""

from __future__ import annotations

import secrets
import shutil
import ssl
import subprocess
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import redis
import yaml

from taskfleet.local import processes
from taskfleet.local.settings import LocalSettings


class MissingToolError(RuntimeError):
    """A binary the embedded stack needs has not been built or installed."""


def tool(settings: LocalSettings, name: str) -> str:
    """The path of a built tool, or a clear error saying how to build it."""
    path = settings.tools_dir / name
    if path.is_file():
        return str(path)
    raise MissingToolError(f"{path} is missing: run `bash tests/cluster/build.sh` first")


@dataclass
class _Server:
    """A server process on a free loopback port, with its state and logs in ``workdir``."""

    settings: LocalSettings
    workdir: Path
    port: int = field(default_factory=processes.free_port, kw_only=True)
    process: processes.Process | None = field(default=None, kw_only=True)

    def stop(self) -> None:
        """Stop it."""
        if self.process is not None:
            self.process.stop()


@dataclass
class Etcd(_Server):
    """An etcd member with its data in ``workdir``."""

    @property
    def url(self) -> str:
        """Client URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Etcd:
        """Start and wait until it serves."""
        peer = processes.free_port()
        argv = [
            tool(self.settings, "etcd"),
            f"--data-dir={self.workdir / 'etcd'}",
            f"--listen-client-urls={self.url}",
            f"--advertise-client-urls={self.url}",
            f"--listen-peer-urls=http://127.0.0.1:{peer}",
            f"--initial-advertise-peer-urls=http://127.0.0.1:{peer}",
            f"--initial-cluster=default=http://127.0.0.1:{peer}",
            "--log-level=warn",
            "--unsafe-no-fsync",  # test data only: fsync would dominate start-up on shared disks
        ]
        self.process = processes.Process("etcd", argv, self.workdir / "logs" / "etcd.log").start()
        self.process.wait_ready(
            lambda: b"true" in urllib.request.urlopen(f"{self.url}/health", timeout=1).read(),  # noqa: S310 - our http URL
            self.settings.startup_timeout_seconds,
        )
        return self


@dataclass
class KubeApiServer(_Server):
    """kube-apiserver on etcd, with an admin kubeconfig at ``kubeconfig``."""

    etcd_url: str
    admin_token: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def url(self) -> str:
        """The API server's address."""
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca_file(self) -> Path:
        """The self-signed serving certificate the API server wrote into its cert dir."""
        return self.workdir / "pki" / "apiserver.crt"

    @property
    def kubeconfig(self) -> Path:
        """Admin kubeconfig (system:masters)."""
        return self.workdir / "admin.kubeconfig"

    def start(self) -> KubeApiServer:
        """Write keys and tokens, start, wait for /readyz, write the admin kubeconfig."""
        pki = self.workdir / "pki"
        pki.mkdir(parents=True, exist_ok=True)
        sa_key, sa_pub = pki / "sa.key", pki / "sa.pub"
        if not sa_key.exists():
            openssl = shutil.which("openssl") or "openssl"
            subprocess.run(
                [openssl, "genrsa", "-out", str(sa_key), "2048"], check=True, capture_output=True
            )
            subprocess.run(
                [openssl, "rsa", "-in", str(sa_key), "-pubout", "-out", str(sa_pub)],
                check=True,
                capture_output=True,
            )
        tokens = pki / "tokens.csv"
        tokens.write_text(f'{self.admin_token},admin,admin,"system:masters"\n')
        tokens.chmod(0o600)
        argv = [
            tool(self.settings, "kube-apiserver"),
            f"--etcd-servers={self.etcd_url}",
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            f"--secure-port={self.port}",
            f"--cert-dir={pki}",
            f"--token-auth-file={tokens}",
            "--authorization-mode=Node,RBAC",
            "--service-account-issuer=https://kubernetes.default.svc",
            f"--service-account-key-file={sa_pub}",
            f"--service-account-signing-key-file={sa_key}",
            "--service-cluster-ip-range=10.96.0.0/16",
            "--enable-priority-and-fairness=false",  # one tenant: skip the flow-control machinery
            "--profiling=false",
        ]
        self.process = processes.Process(
            "kube-apiserver", argv, self.workdir / "logs" / "kube-apiserver.log"
        ).start()
        self.process.wait_ready(self._ready, self.settings.startup_timeout_seconds)
        self._write_kubeconfig(self.kubeconfig, "admin", self.admin_token)
        return self

    def _ready(self) -> bool:
        context = ssl.create_default_context(cafile=str(self.ca_file))
        request = urllib.request.Request(  # noqa: S310 - our own https URL
            f"{self.url}/readyz", headers={"Authorization": f"Bearer {self.admin_token}"}
        )
        with urllib.request.urlopen(request, timeout=2, context=context) as response:  # noqa: S310
            return bool(response.status == 200)

    def _write_kubeconfig(self, path: Path, user: str, token: str) -> Path:
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "taskfleet-local",
                    "cluster": {"server": self.url, "certificate-authority": str(self.ca_file)},
                }
            ],
            "users": [{"name": user, "user": {"token": token}}],
            "contexts": [{"name": user, "context": {"cluster": "taskfleet-local", "user": user}}],
            "current-context": user,
        }
        path.write_text(yaml.safe_dump(config))
        path.chmod(0o600)
        return path

    def service_account_kubeconfig(self, namespace: str, account: str, path: Path) -> Path:
        """A kubeconfig carrying a fresh token of ServiceAccount ``namespace/account``."""
        token = subprocess.run(
            [
                tool(self.settings, "kubectl"),
                f"--kubeconfig={self.kubeconfig}",
                "create",
                "token",
                account,
                "-n",
                namespace,
                "--duration=24h",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return self._write_kubeconfig(path, f"system:serviceaccount:{namespace}:{account}", token)


@dataclass
class RedisServer(_Server):
    """redis-server without persistence, on a free port."""

    @property
    def url(self) -> str:
        """redis:// URL of database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        """Start and wait for PING."""
        argv = [
            self.settings.redis_server,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.workdir),
        ]
        self.process = processes.Process(
            "redis-server", argv, self.workdir / "logs" / "redis.log"
        ).start()
        self.process.wait_ready(
            lambda: bool(redis.Redis.from_url(self.url).ping()),
            self.settings.startup_timeout_seconds,
        )
        return self
