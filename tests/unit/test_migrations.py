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


def test_queue_services_become_rows_per_point_as_configured(tmp_path):
    """0120 (#24): each point's queue services become the 7 built-in rows, those in its
    old `queue_services` list active (in that order, first), the others inactive, with
    the ids every workstation and the centre give them; old tickets keep their area and
    get a nullable queue_service_id."""
    from sqlalchemy import text

    from app.rules.queue import BUILT_IN_NAMES, service_id

    path = tmp_path / "queue.sqlite3"
    engine = local_engine(path)
    command.upgrade(migrate.alembic_config(engine), "0115")
    at = "2026-11-30 08:00:00"
    with engine.begin() as conn:
        for point, code, configured in (("sp-a", "ROV", "information,finding_work"),
                                        ("sp-b", "KEM", "")):
            conn.execute(text(
                "INSERT INTO service_point (id, code, name, municipality, mode, "
                "queue_services, version, hlc, updated_at) VALUES (:id, :code, :code, "
                "'Rovaniemi', 'walk_in', :configured, 1, '', :at)"),
                {"id": point, "code": code, "configured": configured, "at": at})
        conn.execute(text(
            "INSERT INTO queue_ticket (id, service_point_id, ticket_date, letter, number, "
            "service_area, priority, state, leg, recalls, arrived_at, version, hlc, "
            "updated_at) VALUES ('t1', 'sp-a', '2026-11-30', 'A', 1, 'skills', 0, "
            "'waiting', 0, 0, :at, 1, '', :at)"), {"at": at})
    migrate.upgrade(engine, path)
    assert migrate.current_revision(engine) == migrate.LOCAL_HEAD
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT service_point_id, id, code, service_area, active, partner_org_id, "
            "name_fi, name_sv, name_en FROM queue_service "
            "ORDER BY service_point_id, position")).all()
        columns = {c[1]: c for c in conn.execute(text("PRAGMA table_info(queue_ticket)"))}
        ticket = conn.execute(text(
            "SELECT service_area, queue_service_id FROM queue_ticket")).one()
    engine.dispose()
    by_point = {p: [r for r in rows if r[0] == p] for p in ("sp-a", "sp-b")}
    for point, point_rows in by_point.items():
        assert len(point_rows) == 7
        assert {r[2] for r in point_rows} == set(BUILT_IN_NAMES)
        for _p, row_id, code, area, _active, partner, fi, sv, en in point_rows:
            assert row_id == service_id(point, code)
            assert (area, partner, (fi, sv, en)) == (code, None, BUILT_IN_NAMES[code])
    assert [(r[2], bool(r[4])) for r in by_point["sp-a"]][:3] == [
        ("information", True), ("finding_work", True), (by_point["sp-a"][2][2], False)]
    assert sum(bool(r[4]) for r in by_point["sp-a"]) == 2
    assert all(r[4] for r in by_point["sp-b"])  # nothing configured: all offered
    assert "queue_service_id" in columns and columns["queue_service_id"][3] == 0  # nullable
    assert tuple(ticket) == ("skills", None)
