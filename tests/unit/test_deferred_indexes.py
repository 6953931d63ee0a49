"""A table's first fill in bulk (#28 item 2, app/db/deferred.py): its secondary indexes
and timeliness triggers are set aside and made again exactly, the unique ones never
leave, every customer is marked for the steps' summary when the triggers come back, and
a process killed in between leaves nothing missing at the next open."""

from __future__ import annotations

from sqlalchemy import text

from app.db import deferred
from app.services.registry import Services
from tests.factories import add_people, open_services


def _schema(services, table: str) -> set[tuple[str, str, str]]:
    with services.ctx.engine.connect() as conn:
        return set(conn.execute(text(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = :t "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL"), {"t": table}).all())


def _dirty(services) -> set[str]:
    with services.ctx.engine.connect() as conn:
        return set(conn.execute(text("SELECT customer_id FROM timeliness_dirty")).scalars())


def test_indexes_and_timeliness_triggers_leave_and_come_back_exactly(tmp_path):
    services = open_services(tmp_path)
    services.auth.sign_in("admin", "demo")
    ids = add_people(services)
    whole = _schema(services, "customer")
    assert any(kind == "trigger" for kind, _n, _s in whole)
    with services.ctx.engine.connect() as conn:
        conn.execute(text("DELETE FROM timeliness_dirty"))
        conn.commit()
        assert deferred.defer(conn, "customer")
        left = _schema(services, "customer")
        # Only the unique indexes stay (and triggers that are not the steps').
        assert all((kind == "index" and "UNIQUE" in sql.upper()) or
                   (kind == "trigger" and "_steps_" not in name) for kind, name, sql in left)
        assert deferred.pending(conn) == ["customer"]
        deferred.restore(conn, "customer")
        assert deferred.pending(conn) == []
    assert _schema(services, "customer") == whole
    assert _dirty(services) == set(ids)  # what the inserts' triggers would have marked
    services.close()


def test_a_table_holding_more_rows_keeps_its_indexes(tmp_path):
    services = open_services(tmp_path)
    services.auth.sign_in("admin", "demo")
    add_people(services)  # five customers
    with services.ctx.engine.connect() as conn:
        assert deferred.worth_deferring(conn, "customer", 10)
        assert not deferred.worth_deferring(conn, "customer", 3)
    services.close()


def test_what_a_killed_pull_set_aside_is_made_again_at_the_next_open(tmp_path):
    services = open_services(tmp_path)
    whole = _schema(services, "visit")
    with services.ctx.engine.connect() as conn:
        assert deferred.defer(conn, "visit")
    assert _schema(services, "visit") != whole
    services.close()  # the process dies here, in the middle of its first sync
    again = Services.open(tmp_path / "desk.sqlite3", "test-ws")
    assert _schema(again, "visit") == whole
    with again.ctx.engine.connect() as conn:
        assert deferred.pending(conn) == []
    again.close()


def test_the_windows_start_makes_them_again_after_its_check(tmp_path):
    services = open_services(tmp_path)
    whole = _schema(services, "visit")
    with services.ctx.engine.connect() as conn:
        deferred.defer(conn, "visit")
    services.close()
    later = Services.open(tmp_path / "desk.sqlite3", "test-ws", check_later=True)
    assert _schema(later, "visit") != whole  # nothing written before the check
    later.ctx.check_integrity()
    assert _schema(later, "visit") == whole
    later.close()


def test_restoring_twice_or_after_a_migration_rebuilt_the_table_does_no_harm(tmp_path):
    """Idempotent: an index made again by someone else meanwhile, or a statement that no
    longer applies (a migration rebuilt the table since), is passed over, and the record
    goes."""
    import json

    services = open_services(tmp_path)
    whole = _schema(services, "visit")
    with services.ctx.engine.connect() as conn:
        deferred.defer(conn, "visit")
        record = json.loads(conn.execute(text(
            "SELECT value FROM local_setting WHERE key = 'pull_deferred:visit'")).scalar())
        record.append(["index", "ix_gone", "CREATE INDEX ix_gone ON visit (no_such_column)"])
        conn.execute(text("UPDATE local_setting SET value = :v "
                          "WHERE key = 'pull_deferred:visit'"), {"v": json.dumps(record)})
        first = record[0]
        conn.execute(text(first[2]))  # one of them made again already
        conn.commit()
        deferred.restore(conn, "visit")
        assert deferred.pending(conn) == []
        deferred.restore(conn, "visit")  # nothing recorded: nothing done
    assert _schema(services, "visit") == whole
    services.close()
