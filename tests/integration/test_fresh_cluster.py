"""The central schema reaches head on a brand-new PostgreSQL cluster, where none of the
group roles exist yet (they are the cluster's, not the database's): every migration
touches only the groups that exist by then. A test cluster that has run the migrations
before already holds every group, so this one starts its own server (tests/pg_server.py).
Found when c0095's column grants met c0115's desk_partner before c0115 had made it."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from app.db.migrate import upgrade_central
from tests.pg_server import Unavailable, throwaway_server


def test_a_new_cluster_upgrades_to_head():
    try:
        server = throwaway_server()
        url = server.__enter__()
    except Unavailable as exc:
        if os.environ.get("DESK_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL required (DESK_REQUIRE_PG=1) but {exc}")
        pytest.skip(str(exc))
    try:
        assert upgrade_central(url)
        engine = create_engine(url)
        with engine.connect() as conn:
            groups = set(conn.execute(text(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE 'desk_%'")).scalars())
            hidden, shown = conn.execute(text(
                "SELECT has_column_privilege('desk_partner', 'public.customer', "
                "'unemployed_since', 'SELECT'), has_column_privilege('desk_partner', "
                "'public.customer', 'phone', 'SELECT')")).one()
        engine.dispose()
        assert {"desk_desk", "desk_coach", "desk_team_lead", "desk_admin", "desk_partner",
                "desk_messenger"} <= groups
        assert (hidden, shown) == (False, True)
    finally:
        server.__exit__(None, None, None)
