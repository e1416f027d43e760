"""Where the embedded stack finds its binaries."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LocalSettings(BaseSettings):
    """Read from ``TASKFLEET_*`` variables by ``taskfleet dev`` and the test fixtures."""

    model_config = SettingsConfigDict(env_prefix="TASKFLEET_", extra="ignore")

    tools_dir: Path = Field(
        default=Path.home() / ".cache" / "taskfleet" / "tools",
        description="Where tests/cluster/build.sh put etcd, kube-apiserver, kubectl and helm; "
        "outside the repo so a fresh clone reuses an earlier build.",
    )
    redis_server: str = Field(
        default="redis-server",
        description="The redis-server binary (Debian's package puts it on PATH).",
    )
    startup_timeout_seconds: float = Field(
        default=60.0,
        description="How long a server may take to become ready, in seconds; kube-apiserver "
        "needs about 3 s here, the rest is headroom for a loaded machine.",
    )
