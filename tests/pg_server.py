"""A throwaway PostgreSQL server in a temporary directory, for the integration tests and
the benchmarks when no server is named (DESK_TEST_PG_URL, DESK_BENCH_PG_URL).

PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the postgres user.
Passwords are checked over TCP (scram-sha-256), as in production: the sign-in tests need
a server that can say no.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PASSWORD = "desk-test"


class Unavailable(Exception):
    """No server could be started here; the message says why."""


def pg_bin() -> Path | None:
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / "initdb").exists():
            return base
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", " ".join(cmd)]
    return cmd


@contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a server, yield its superuser URL (postgresql+psycopg://…), stop and remove
    it afterwards. Raises Unavailable when there is no initdb or it cannot start."""
    bin_dir = pg_bin()
    if bin_dir is None:
        raise Unavailable("no initdb on this machine")
    tmp = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    os.chmod(tmp, 0o777)
    data = tmp / "data"
    port = 55432 + os.getpid() % 1000
    pwfile = tmp / "pw"
    pwfile.write_text(PASSWORD + "\n")
    os.chmod(pwfile, 0o644)
    try:
        try:
            subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data),
                                         "--auth-local=trust", "--auth-host=scram-sha-256",
                                         f"--pwfile={pwfile}", "-U", "postgres"]),
                           check=True, capture_output=True)
            subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-o",
                                         f"'-p {port} -k {tmp} -c listen_addresses=127.0.0.1'",
                                         "-l", str(tmp / "log"), "start"]),
                           check=True, capture_output=True)
        except (subprocess.CalledProcessError, OSError) as exc:
            raise Unavailable(f"could not start a throwaway server: {exc}") from exc
        yield f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m",
                                         "fast", "stop"]), capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
