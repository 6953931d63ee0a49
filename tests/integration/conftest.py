"""A real PostgreSQL for integration tests: DESK_TEST_PG_URL, else a throwaway server
started here (as the postgres user when running as root), else skip with the reason.
With DESK_REQUIRE_PG=1 (CI) a missing server is a failure, not a skip."""

from __future__ import annotations

import os
import uuid
from contextlib import ExitStack

import pytest

from tests.pg_server import Unavailable, throwaway_server


def _unavailable(reason: str):
    if os.environ.get("DESK_REQUIRE_PG") == "1":
        pytest.fail(f"PostgreSQL required (DESK_REQUIRE_PG=1) but {reason}")
    pytest.skip(f"no PostgreSQL: {reason}")


@pytest.fixture(scope="session")
def pg_server_url():
    url = os.environ.get("DESK_TEST_PG_URL")
    if url:
        yield url
        return
    with ExitStack() as stack:
        try:
            url = stack.enter_context(throwaway_server())
        except Unavailable as exc:
            _unavailable(f"no DESK_TEST_PG_URL and {exc}")
        yield url


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


@pytest.fixture
def staff_central(pg_url):
    """The central database upgraded, with a PostgreSQL login per demo staff member."""
    from app.db.migrate import upgrade_central
    from app.sync.engine import central_engine
    from tests.factories import ensure_staff_logins

    upgrade_central(pg_url)
    ensure_staff_logins(pg_url)
    engine = central_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def make_desk(tmp_path, staff_central):
    """Workstations on `staff_central`: make_desk(name, seed=False, as_staff=False); with
    as_staff each signs in and syncs as the staff member's own central login."""
    from tests.integration.test_sync import Desk

    made: list = []
    logins: dict = {}

    def make(name, seed=False, as_staff=False):
        made.append(Desk(tmp_path, name, staff_central, seed, as_staff=as_staff,
                         logins=logins))
        return made[-1]

    yield make
    for desk in made:
        desk.close(dispose=False)
    for engine in logins.values():
        engine.dispose()
