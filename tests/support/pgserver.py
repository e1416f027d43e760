"""A throw-away PostgreSQL server from Debian's packages, for tests.

initdb and postgres refuse to run as root, and sessions and CI run as root, so the cluster
belongs to the ``postgres`` user the Debian package creates and is driven through runuser.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from taskfleet.local import processes


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise FileNotFoundError(f"{name} not found: apt-get install postgresql")
    return found[-1]


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")


@dataclass
class PostgresServer:
    """A PostgreSQL cluster on a free port; ``url`` is a SQLAlchemy URL. Its directory is its
    own under /tmp: pytest's temporary folders are private to root, and the server is not root."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="taskfleet-pg-")))
    port: int = 0

    def _as_owner(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def start(self) -> PostgresServer:
        """initdb, start, and create the ``taskfleet`` database."""
        self.port = processes.free_port()
        data = self.workdir / "pgdata"
        self.workdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres", "postgres")
        _run(
            [
                *self._as_owner(),
                _bin("initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ]
        )
        options = f"-k {self.workdir} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run(
            [
                *self._as_owner(),
                _bin("pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(self.workdir / "postgres.log"),
                "-w",
                "start",
            ]
        )
        self._createdb("taskfleet")
        return self

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``taskfleet`` database (psycopg 3)."""
        return self.url_of("taskfleet")

    def url_of(self, database: str) -> str:
        """SQLAlchemy URL of ``database`` on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database with a fresh name; returns its URL."""
        name = f"t_{secrets.token_hex(6)}"
        self._createdb(name)
        return self.url_of(name)

    def _createdb(self, name: str) -> None:
        host = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        _run([*self._as_owner(), _bin("createdb"), *host, name])

    def stop(self) -> None:
        """Stop the server immediately."""
        subprocess.run(
            [
                *self._as_owner(),
                _bin("pg_ctl"),
                "-D",
                str(self.workdir / "pgdata"),
                "-m",
                "immediate",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.workdir, ignore_errors=True)
