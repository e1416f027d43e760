"""Session fixtures: the real servers every integration test uses, started once per run.

etcd and kube-apiserver (built by tests/cluster/build.sh), redis-server and PostgreSQL run as
processes on free loopback ports. A missing binary fails the test with how to get it; nothing
here skips. Each test then gets its own namespace, store prefix and Lease, so tests never see
each other's schedules.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import pgserver
from taskfleet.local import installation, servers
from taskfleet.local.settings import LocalSettings

REPO = Path(__file__).resolve().parent.parent

# Timings for tests: leadership changes within seconds and statuses follow runs closely.
FAST = {
    "TASKFLEET_LEASE_DURATION_SECONDS": "3",
    "TASKFLEET_LEASE_RENEW_DEADLINE_SECONDS": "2",
    "TASKFLEET_LEASE_RETRY_SECONDS": "0.5",
    "TASKFLEET_STATUS_INTERVAL_SECONDS": "0.5",
    "TASKFLEET_STATUS_MIN_PATCH_INTERVAL_SECONDS": "1",
}


@pytest.fixture(scope="session")
def local_settings() -> LocalSettings:
    return LocalSettings()


@pytest.fixture(scope="session")
def cluster(
    tmp_path_factory: pytest.TempPathFactory, local_settings: LocalSettings
) -> Iterator[servers.KubeApiServer]:
    workdir = tmp_path_factory.mktemp("cluster")
    etcd = servers.Etcd(local_settings, workdir).start()
    try:
        apiserver = servers.KubeApiServer(local_settings, workdir, etcd.url).start()
        try:
            yield apiserver
        finally:
            apiserver.stop()
    finally:
        etcd.stop()


@pytest.fixture(scope="session")
def redis_server(
    tmp_path_factory: pytest.TempPathFactory, local_settings: LocalSettings
) -> Iterator[servers.RedisServer]:
    server = servers.RedisServer(local_settings, tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[pgserver.PostgresServer]:
    server = pgserver.PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every test that stores runs runs on both databases taskfleet supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'runs.db'}"
    server: pgserver.PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()


@pytest.fixture
def namespace() -> str:
    """A fresh namespace name per test (created by the installation's bootstrap)."""
    return f"t-{secrets.token_hex(4)}"


MakeInstallation = Callable[..., installation.Installation]


@pytest.fixture
def make_installation(
    cluster: servers.KubeApiServer,
    redis_server: servers.RedisServer,
    local_settings: LocalSettings,
    tmp_path: Path,
    namespace: str,
) -> Iterator[MakeInstallation]:
    """Builds a bootstrapped installation watching only this test's namespace; every component
    process it hands out is stopped at teardown."""
    made: list[installation.Installation] = []

    def make(database_url: str | None = None, **overrides: str) -> installation.Installation:
        install = installation.Installation(
            local_settings,
            tmp_path,
            cluster,
            redis_server.url,
            database_url or f"sqlite:///{tmp_path / 'runs.db'}",
            REPO,
            namespace=namespace,
            release=f"taskfleet-{namespace}",
            watch=[namespace],
            store_prefix=f"tf-{namespace}",
            overrides={**FAST, **overrides},
        )
        made.append(install)
        return install.bootstrap()

    yield make
    for install in made:
        install.stop_all()
        install.kubectl(
            "delete", "namespace", install.namespace, "--wait=false", "--ignore-not-found"
        )
