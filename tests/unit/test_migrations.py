"""Every earlier schema version upgrades to head, keeping its rows, after a backup."""

import sqlite3

from alembic import command
from alembic.script import ScriptDirectory

from app.db import migrate
from app.db.engine import local_engine, raw_connect


def revisions():
    script = ScriptDirectory(str(migrate.LOCAL_SCRIPTS))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_fresh_database_reaches_head(tmp_path):
    engine = local_engine(tmp_path / "new.sqlite3")
    assert migrate.upgrade(engine, tmp_path / "new.sqlite3") is None
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_each_earlier_version_upgrades_with_backup(tmp_path):
    for rev in revisions():
        path = tmp_path / f"at-{rev}.sqlite3"
        engine = local_engine(path)
        command.upgrade(migrate.alembic_config(engine), rev)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO local_setting (key, value) VALUES ('marker', 'kept')"
            )
        if rev != migrate.head_revision():
            backup = migrate.upgrade(engine, path)
            assert backup is not None and backup.exists()
        assert migrate.current_revision(engine) == migrate.head_revision()
        engine.dispose()
        value = raw_connect(path).execute(
            "SELECT value FROM local_setting WHERE key='marker'"
        ).fetchone()
        assert value == ("kept",)


def test_an_empty_file_is_refused_not_upgraded_into_a_new_database(tmp_path):
    # Issue #27: a zero-length file may be a database that lost its contents; it is said,
    # not quietly made a new one (tests/unit/test_local_database_safety.py).
    import pytest

    from app.db.errors import DatabaseEmpty

    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()
    with pytest.raises(DatabaseEmpty):
        local_engine(path)
    assert path.stat().st_size == 0


def test_pragmas(tmp_path):
    engine = local_engine(tmp_path / "p.sqlite3")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_enum_check_constraints_guard_the_schema(tmp_path):
    import pytest
    from sqlalchemy.exc import IntegrityError

    path = tmp_path / "c.sqlite3"
    engine = local_engine(path)
    migrate.upgrade(engine, path)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO service_point (id, code, name, municipality, mode, queue_services,"
            " version, hlc, updated_at) VALUES ('x','X','X','X','teleport','',0,'',"
            " '2026-01-01 00:00:00')"
        )


def test_local_head_constant_matches_the_revision_files():
    assert migrate.head_revision() == migrate.LOCAL_HEAD


def test_a_workstation_with_staff_and_customers_upgrades_across_a_table_rebuild(tmp_path):
    """0115 rebuilds the staff table (its role's CHECK): with rows pointing at staff (a
    credential, a customer's coach, a visit) the upgrade keeps them all (a review found
    it refused with 'FOREIGN KEY constraint failed' on every real workstation)."""
    from sqlalchemy import text

    path = tmp_path / "used.sqlite3"
    engine = local_engine(path)
    command.upgrade(migrate.alembic_config(engine), "0105")
    at = "2026-11-30 08:00:00"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO service_point (id, code, name, municipality, mode, "
                          "queue_services, version, hlc, updated_at) VALUES ('sp', 'ROV', "
                          "'Rovaniemi', 'Rovaniemi', 'walk_in', '', 1, '', :at)"), {"at": at})
        conn.execute(text("INSERT INTO staff (id, username, full_name, role, "
                          "service_point_id, active, version, hlc, updated_at) VALUES "
                          "('s1', 'coach', 'Coach', 'coach', 'sp', 1, 1, '', :at)"),
                     {"at": at})
        conn.execute(text("INSERT INTO staff_credential (staff_id, verifier, updated_at) "
                          "VALUES ('s1', 'x', :at)"), {"at": at})
    migrate.upgrade(engine, path)
    assert migrate.current_revision(engine) == migrate.LOCAL_HEAD
    with engine.connect() as conn:
        assert conn.execute(text("SELECT role, partner_org_id FROM staff")).all() == [
            ("coach", None)]
        assert conn.execute(text("SELECT staff_id FROM staff_credential")).scalars().all() \
            == ["s1"]
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
