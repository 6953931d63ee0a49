"""Outbox entries carry their author: a session sends and shows only its own worker's
changes; the others' are counted, never shown; a team lead exports (then may discard)
the changes of staff who have left. No server: the push's selection is SQL on SQLite."""

from __future__ import annotations

import json
from datetime import date

import pytest
from alembic import command
from sqlalchemy import select, text, update

from app import cli
from app.db import migrate
from app.db.engine import local_engine
from app.models import OutboxEntry, Staff
from app.services.errors import NotFound, PermissionDenied
from app.sync import push as push_mod
from tests.factories import customer_input

DEV_URL = "postgresql+psycopg://desk:desk@127.0.0.1/area"  # one shared account


def entries(services, **where):
    with services.ctx.session_factory() as s:
        rows = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
    return [e for e in rows if all(getattr(e, k) == v for k, v in where.items())]


def edit_phone(services, customer_id, phone):
    form = services.customers.edit_form(customer_id)
    form.phone = phone
    services.customers.update(customer_id, form, services.customers.get(customer_id).revision)


@pytest.fixture
def coach_worked_offline(services):
    """The coach made a customer and set barriers; then the desk made one of its own."""
    services.auth.sign_in("coach", "demo")
    theirs = services.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    services.coaching.set_barriers(theirs.id, {"debt"})
    services.auth.sign_out()
    services.auth.sign_in("desk", "demo")
    mine = services.customers.create(customer_input("Virtanen", "Matti", date(1990, 7, 1), 235))
    return theirs.id, mine.id


def test_every_entry_names_its_author_and_an_audit_row_its_staff_member(
        services, coach_worked_offline):
    coach = entries(services, author="staff-coach")
    assert {e.table_name for e in coach} >= {"customer", "customer_barrier", "audit_event"}
    for entry in entries(services):
        fields = json.loads(entry.fields)
        who = fields["staff_id"] if entry.table_name == "audit_event" else fields["updated_by"]
        assert entry.author == who


def test_a_session_selects_only_its_own_entries_and_waits_behind_others_on_a_row(
        services, coach_worked_offline):
    theirs, mine = coach_worked_offline
    edit_phone(services, theirs, "040 123 4567")  # the desk, on the coach's new customer
    local = services.ctx.engine
    desk = {"staff-desk", None}
    chosen = push_mod.pending(local, 1000, desk)
    assert chosen and {e.author for e in chosen} <= desk
    # The desk's edit of the coach's customer waits: the row's insert is the coach's.
    assert [e.row_id for e in chosen if e.table_name == "customer"] == [mine]
    assert push_mod.count_pending(local, desk) == len(chosen)
    assert len(push_mod.pending(local, 1000)) == len(entries(services))  # None: all
    both = push_mod.pending(local, 1000, {"staff-desk", "staff-coach", None})
    assert len(both) == len(entries(services))


def test_the_desk_sees_only_counts_of_the_coachs_changes(services, coach_worked_offline):
    with services.ctx.session_factory.begin() as s:  # one of the coach's was refused
        s.execute(update(OutboxEntry).where(OutboxEntry.author == "staff-coach",
                                            OutboxEntry.table_name == "customer_barrier")
                  .values(status="rejected", last_error="no"))
    refused = entries(services, status="rejected")[0]
    assert services.sync.rejected() == []
    others = services.sync.others()
    assert (others.users, others.refused, others.orphaned) == (1, 0, 0)
    assert others.changes == len(entries(services, author="staff-coach", status="pending"))
    counts = services.sync.counts()
    assert counts.rejected == 0 and counts.others == others.changes
    for action in (services.sync.retry, services.sync.discard):
        with pytest.raises(NotFound):
            action(refused.seq)
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")  # a team lead: that there are some, no more
    assert services.sync.rejected() == []
    assert services.sync.others().refused == 1
    services.auth.sign_out()
    services.auth.sign_in("coach", "demo")
    assert [r.seq for r in services.sync.rejected()] == [refused.seq]
    assert services.sync.counts().rejected == 1


def test_retry_sends_the_record_as_corrected_under_a_new_mutation_id(services):
    services.auth.sign_in("desk", "demo")
    card = services.customers.create(customer_input("Aikio", "Áilu", date(1978, 11, 23), 347))
    edit_phone(services, card.id, "040 999 9999")
    entry = entries(services, table_name="customer", op="update")[0]
    with services.ctx.session_factory.begin() as s:
        s.execute(update(OutboxEntry).where(OutboxEntry.seq == entry.seq)
                  .values(status="rejected", last_error="ck_phone"))
    edit_phone(services, card.id, "040 111 1111")  # corrected
    services.sync.retry(entry.seq)
    again = entries(services, seq=entry.seq)[0]
    assert again.status == "pending" and again.last_error is None
    assert again.mutation_id != entry.mutation_id
    assert json.loads(again.fields)["phone"] == "040 111 1111"
    assert json.loads(again.fields)["updated_by"] == "staff-desk"


def test_pushed_by(services):
    sync = services.sync
    assert sync.pushed_by(DEV_URL) is None  # the development account: everyone's
    assert sync.pushed_by("postgresql+psycopg://coach@db/area") == {"staff-coach", None}
    assert sync.pushed_by("postgresql+psycopg://db/area") == {None}
    services.auth.sign_in("desk", "demo")
    own = "postgresql+psycopg://desk:Oma-salasana-1@db/area"  # the session's own URL
    assert sync.pushed_by(own) == {"staff-desk", None}


def test_a_team_lead_exports_then_discards_the_changes_of_staff_who_left(
        services, coach_worked_offline, tmp_path, capsys):
    services.auth.sign_out()
    with services.ctx.session_factory.begin() as s:
        s.execute(update(Staff).where(Staff.id == "staff-coach").values(active=False))
    coach = entries(services, author="staff-coach")
    services.auth.sign_in("desk", "demo")
    with pytest.raises(PermissionDenied):
        services.sync.orphaned()
    assert services.sync.others().orphaned == 0  # a desk: not even the count
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")
    assert services.sync.others().orphaned == len(coach)
    listed = services.sync.orphaned()
    assert [o.seq for o in listed] == [e.seq for e in coach]
    assert {o.author for o in listed} == {"coach"}
    services.auth.sign_out()
    services.close()
    db = str(tmp_path / "desk.sqlite3")
    with pytest.raises(SystemExit):  # no copy, no discarding
        cli.main(["sync", "orphaned", "--db", db, "--discard"])
    assert cli.main(["sync", "orphaned", "--db", db, "--list", "--discard"]) == 2
    assert cli.main(["sync", "orphaned", "--db", db, "--list"]) == 0
    out, _err = capsys.readouterr()
    assert len(out.splitlines()) == len(coach) and "Mäkelä" not in out
    saved = tmp_path / "left.json"
    assert cli.main(["sync", "orphaned", "--db", db, "--export", str(saved),
                     "--discard"]) == 0
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert [e["seq"] for e in exported] == [e.seq for e in coach]
    assert any("Mäkelä" in json.dumps(e["fields"], ensure_ascii=False) for e in exported)
    engine = local_engine(tmp_path / "desk.sqlite3")
    with engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM outbox WHERE author = 'staff-coach'"))
        assert left.scalar() == 0
        actions = conn.execute(text("SELECT action FROM audit_event WHERE action LIKE "
                                    "'sync.%orphaned'")).scalars().all()
    engine.dispose()
    assert sorted(actions) == ["sync.discard_orphaned", "sync.export_orphaned"]


def test_the_migration_names_the_authors_of_entries_written_before(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = local_engine(path)
    command.upgrade(migrate.alembic_config(engine), "0040")
    with engine.begin() as conn:
        for seq, table, fields in (
                (1, "customer", {"phone": "1", "updated_by": "staff-coach"}),
                (2, "audit_event", {"staff_id": "staff-desk", "updated_by": None}),
                (3, "feedback", {"score": 5, "updated_by": None})):
            conn.execute(text(
                "INSERT INTO outbox (seq, mutation_id, table_name, row_id, op, fields, "
                "base_values, base_version, hlc, schema_version, created_at, attempts, "
                "status) VALUES (:seq, :m, :t, 'r', 'update', :f, '{}', 0, '', '0040', "
                "'2026-01-01 00:00:00', 0, 'pending')"),
                {"seq": seq, "m": f"m{seq}", "t": table, "f": json.dumps(fields)})
    migrate.upgrade(engine, path)
    with engine.connect() as conn:
        authors = conn.execute(text("SELECT author FROM outbox ORDER BY seq")).scalars().all()
    engine.dispose()
    assert authors == ["staff-coach", "staff-desk", None]


def test_retry_without_a_correction_sends_the_change_as_it_was(services):
    services.auth.sign_in("desk", "demo")
    card = services.customers.create(customer_input("Aikio", "Áilu", date(1978, 11, 23), 347))
    edit_phone(services, card.id, "040 999 9999")
    entry = entries(services, table_name="customer", op="update")[0]
    with services.ctx.session_factory.begin() as s:
        s.execute(update(OutboxEntry).where(OutboxEntry.seq == entry.seq)
                  .values(status="rejected", last_error="no"))
        # A pull put the central value back (pulls re-apply only pending entries).
        s.execute(text("UPDATE customer SET phone = '040 000 0000' WHERE id = :i"),
                  {"i": card.id})
    services.sync.retry(entry.seq)
    assert json.loads(entries(services, seq=entry.seq)[0].fields)["phone"] == "040 999 9999"


def test_the_entries_of_a_row_whose_insert_was_refused_wait_for_its_retry(services):
    services.auth.sign_in("desk", "demo")
    card = services.customers.create(customer_input("Aikio", "Áilu", date(1978, 11, 23), 347))
    [insert] = entries(services, table_name="customer", op="insert")
    with services.ctx.session_factory.begin() as s:
        s.execute(update(OutboxEntry).where(OutboxEntry.seq == insert.seq)
                  .values(status="rejected", last_error="no"))
    edit_phone(services, card.id, "040 111 1111")  # the correction: waits
    local, desk = services.ctx.engine, {"staff-desk", None}
    assert [e for e in push_mod.pending(local, 100, desk) if e.table_name == "customer"] == []
    assert [e for e in push_mod.pending(local, 100) if e.table_name == "customer"] == []
    services.sync.retry(insert.seq)  # goes as corrected, then the correction after it
    sent = [e for e in push_mod.pending(local, 100, desk) if e.table_name == "customer"]
    assert [e.op for e in sent] == ["insert", "update"]
    assert json.loads(sent[0].fields)["phone"] == "040 111 1111"
