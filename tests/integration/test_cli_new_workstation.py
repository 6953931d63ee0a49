"""The command line on a new workstation against a real PostgreSQL: a missing setting is
told, not a traceback (exit status 2)."""

from __future__ import annotations

import pytest

from app import cli
from app.db.migrate import upgrade_central

pytestmark = pytest.mark.integration


def test_sync_of_a_new_workstation_with_no_service_point_centrally(pg_url, tmp_path, capsys):
    upgrade_central(pg_url)  # the schema, but no service point yet
    code = cli.main(["sync", "--db", str(tmp_path / "new.sqlite3"), "--central", pg_url,
                     "--once"])
    err = capsys.readouterr().err
    assert code == 2 and "no service point" in err and "--service-point" in err
    assert "Traceback" not in err


def test_sync_naming_a_service_point_the_centre_lacks(pg_url, tmp_path, capsys):
    upgrade_central(pg_url)
    code = cli.main(["sync", "--db", str(tmp_path / "new.sqlite3"), "--central", pg_url,
                     "--once", "--service-point", "XYZ"])
    err = capsys.readouterr().err
    assert code == 2 and "'XYZ'" in err


def test_central_init_seeding_leaves_the_planner_its_statistics(pg_url, tmp_path, capsys):
    """`central init --seed-from` analyzes what it loaded: without statistics the desks'
    pulls through the row-level policies were planned ten times slower until autovacuum
    came round (make bench-load, docs/central-server.md)."""
    from sqlalchemy import create_engine, text

    from app.services.registry import Services
    from tests.factories import seed_org

    local = tmp_path / "seed.sqlite3"
    services = Services.open(local, "seed")
    seed_org(services)
    services.close()
    assert cli.main(["central", "init", pg_url, "--seed-from", str(local)]) == 0
    assert "seeded" in capsys.readouterr().out
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        analyzed = conn.execute(text(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'staff'")).scalar()
    engine.dispose()
    assert analyzed
