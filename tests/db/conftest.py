"""A real PostgreSQL on a free loopback port, started and stopped by the test session.

Debian's ``postgresql`` package puts the server in ``/usr/lib/postgresql/<version>/bin`` (not on
PATH); ``make test`` installs it when missing. PostgreSQL refuses to run as root, so as root the
cluster is created and run as the ``postgres`` system user (which the package creates).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port


def pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


class PostgresProcess:
    def __init__(self) -> None:
        initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
        if initdb is None or pg_ctl is None:
            pytest.fail("PostgreSQL is not installed: `make test` installs Debian's package")
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="peer-report-pg-"))
        self.data = self.workdir / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail("running as root needs the `postgres` system user (Debian package)")
            os.chown(self.workdir, account.pw_uid, account.pw_gid)
            runuser = shutil.which("runuser") or next(
                (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if Path(p).exists()), None
            )
            if runuser is None:
                pytest.fail("running as root needs `runuser` (util-linux) to start PostgreSQL")
            self.as_user = [runuser, "-u", "postgres", "--"]

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *argv: str) -> None:
        subprocess.run(
            [*self.as_user, *argv],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.workdir,
        )

    def start(self) -> None:
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-h 127.0.0.1 -p {self.port} -k {self.workdir} -c fsync=off"
        self._run(
            self.pg_ctl,
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.workdir / "log"),
            "-w",
            "start",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return
            time.sleep(0.1)
        pytest.fail("PostgreSQL did not start")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.workdir, ignore_errors=True)

    def create_database(self) -> str:
        import asyncio

        import asyncpg

        name = f"t_{uuid.uuid4().hex[:12]}"

        async def create() -> None:
            conn = await asyncpg.connect(self.admin_url)
            try:
                await conn.execute(f'CREATE DATABASE "{name}"')
            finally:
                await conn.close()

        asyncio.run(create())
        return name


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresProcess]:
    server = PostgresProcess()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres: PostgresProcess) -> str:
    """An async SQLAlchemy URL of a fresh, empty database."""
    return postgres.url(postgres.create_database())
