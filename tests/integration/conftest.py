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
