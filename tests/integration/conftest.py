"""A real PostgreSQL for integration tests: DESK_TEST_PG_URL, else a throwaway server
started here (as the postgres user when running as root), else skip with the reason.
With DESK_REQUIRE_PG=1 (CI) a missing server is a failure, not a skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest


def _pg_bin() -> Path | None:
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / "initdb").exists():
            return base
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _unavailable(reason: str):
    if os.environ.get("DESK_REQUIRE_PG") == "1":
        pytest.fail(f"PostgreSQL required (DESK_REQUIRE_PG=1) but {reason}")
    pytest.skip(f"no PostgreSQL: {reason}")


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", " ".join(cmd)]
    return cmd


@pytest.fixture(scope="session")
def pg_server_url():
    url = os.environ.get("DESK_TEST_PG_URL")
    if url:
        yield url
        return
    bin_dir = _pg_bin()
    if bin_dir is None:
        _unavailable("no DESK_TEST_PG_URL and no initdb on this machine")
    tmp = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    os.chmod(tmp, 0o777)
    data = tmp / "data"
    port = 55432 + os.getpid() % 1000
    # Passwords checked over TCP (as in production): the sign-in tests need a server
    # that can say no.
    pwfile = tmp / "pw"
    pwfile.write_text("desk-test\n")
    os.chmod(pwfile, 0o644)
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
        _unavailable(f"could not start a throwaway server: {exc}")
    yield f"postgresql+psycopg://postgres:desk-test@127.0.0.1:{port}/postgres"
    subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                   capture_output=True)
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server_url):
    """A fresh database per test, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"desk_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
