"""The set-based push batch against a real PostgreSQL: what reading and writing a batch
set-based could get wrong, checked against the entry-by-entry path on a twin database
made from the same central state (CREATE DATABASE ... TEMPLATE)."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app.db.central_schema import central_table
from app.dto.visits import VisitInput
from app.models import OutboxEntry, synced_tables
from app.sync import push as push_mod
from app.sync.digest import central_digest
from app.sync.engine import central_engine
from app.sync.push import PushResult
from app.sync.push import pending as outbox_pending
from tests.factories import customer_input
from tests.integration.test_sync import (  # noqa: F401
    _copy_credentials,
    assert_converged,
    central,
    desks,
)

AREA = "information"


@pytest.fixture
def twin(pg_url, pg_server_url):
    """make() -> an engine on a copy of the central database as it is now."""
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    source = make_url(pg_url).database
    made: list[str] = []
    engines = []

    def make(engine):
        engine.dispose()  # a template database may have no other sessions
        name = f"{source}_twin{len(made)}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        made.append(name)
        engine = central_engine(make_url(pg_url).set(database=name)
                                .render_as_string(hide_password=False))
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _state(engine) -> dict:
    """Every central row a push writes, without what differs between two runs by time
    alone (row_tx, the conflict rows' and applied_mutation's timestamps)."""
    state = dict(central_digest(engine, None, [t for t in synced_tables()
                                               if t != "sync_conflict"]))
    with engine.connect() as conn:
        state["sync_conflict"] = sorted(tuple(r) for r in conn.execute(text(
            "SELECT id, table_name, row_id, field, central_value, client_value, "
            "client_node, client_hlc, service_point_id, status, hlc, version "
            "FROM sync_conflict")))
        state["applied_mutation"] = sorted(tuple(r) for r in conn.execute(text(
            "SELECT mutation_id, client_node, table_name, row_id, result "
            "FROM applied_mutation")))
    return state


def _no_entry_by_entry(monkeypatch):
    def refuse(*_args):
        raise AssertionError("the batch fell back to entry by entry")

    monkeypatch.setattr(push_mod, "apply", refuse)


def _both_ways(engine, twin, entries, node, monkeypatch):
    """Push `entries` set-based to `engine` and entry by entry to a twin of it."""
    other = twin(engine)
    by_entry = PushResult()
    expected = push_mod._push_batch(other, entries, node, by_entry, guarded=True)
    with monkeypatch.context() as patch:
        _no_entry_by_entry(patch)
        set_based = PushResult()
        got = push_mod.push_batch(engine, entries, node, set_based)
    assert got == expected
    assert set_based == by_entry
    assert _state(engine) == _state(other)
    return set_based


def _walk_in(services, customer_id):
    queue = services.queue
    ticket = queue.register_walk_in(customer_id, AREA)
    queue.call(ticket.id)
    queue.start(ticket.id)
    queue.finish(ticket.id, VisitInput(service_area=AREA, outcome="resolved", note="x"))
    return ticket


def _edit(services, customer_id, **changes):
    customers = services.customers
    form = customers.edit_form(customer_id)
    for name, value in changes.items():
        setattr(form, name, value)
    customers.update(customer_id, form, customers.get(customer_id).revision)


def test_a_day_set_based_is_the_same_as_entry_by_entry(desks, central, twin,  # noqa: F811
                                                       monkeypatch):
    """Several entries of one row in one batch (a ticket called, started and finished;
    a customer edited twice, once against a newer central row: conflicts), entries already
    applied, append-only audit rows: set-based, every row, conflict and result is the
    same as entry by entry."""
    a = desks("a", seed=True)
    services = a.sign_in()
    cards = [services.customers.create(customer_input("Set", f"Henkilö {chr(65 + i)}",
                                                      date(1980, 1, 1 + i), 300 + i))
             for i in range(4)]
    a.sync()
    b = desks("b")
    b.sync()
    _copy_credentials(a, b)
    _edit(b.sign_in(), cards[0].id, phone="050 999 9999")
    b.sync()  # the centre's row is now newer than A's
    _edit(services, cards[0].id, phone="040 111 1111")  # a conflict
    _edit(services, cards[0].id, email="a@example.fi")  # the same row again
    ticket = _walk_in(services, cards[1].id)
    services.visits.record_contact(cards[2].id, "phone",
                                   VisitInput(service_area="finding_work", outcome="resolved"),
                                   15)
    _edit(services, cards[3].id, phone="040 333 3333")
    _edit(services, cards[3].id, phone="040 444 4444")
    entries = outbox_pending(a.services.ctx.engine, 1000)
    tables = [e.table_name for e in entries]
    assert tables.count("queue_ticket") >= 4 and "audit_event" in tables
    # Some entries already reached the centre (a lost acknowledgement): an audit row and
    # the ticket's registration, whose later entries are in the batch.
    first = [next(e for e in entries if e.table_name == name)
             for name in ("audit_event", "queue_ticket")]
    push_mod.push_batch(central, first, "a", PushResult())
    result = _both_ways(central, twin, entries, "a", monkeypatch)
    assert result.duplicates == 2
    assert result.conflicts == 1 and result.rejected == 0
    assert result.sent == len(entries) - 2
    with central.connect() as conn:
        state = conn.execute(text("SELECT state FROM queue_ticket WHERE id = :i"),
                             {"i": ticket.id}).scalar()
        phone = conn.execute(text("SELECT phone FROM customer WHERE id = :i"),
                             {"i": cards[3].id}).scalar()
    assert state == "done" and phone == "040 444 4444"
    # Acknowledged as usual, the desks converge.
    push_mod.acknowledge(a.services.ctx.engine,
                         {e.seq: {"outcome": "applied"} for e in entries})
    assert_converged(central, a, b)


def test_an_entry_already_applied_is_a_duplicate_and_not_applied_again(desks, central,  # noqa: F811
                                                                       monkeypatch):
    a = desks("a", seed=True)
    services = a.sign_in()
    card = services.customers.create(customer_input("Kaksi", "Kerta", date(1975, 5, 5), 410))
    _edit(services, card.id, phone="040 100 0000")
    _edit(services, card.id, phone="040 200 0000")
    entries = outbox_pending(a.services.ctx.engine, 1000)
    updates = [e for e in entries if e.table_name == "customer"]
    assert len(updates) == 3
    # All arrived, but the centre forgot having applied the last edit: the batch sent
    # again skips all but that one, which merges on the row it already changed.
    with monkeypatch.context() as patch:
        _no_entry_by_entry(patch)  # the insert and both edits of one row in one batch
        push_mod.push_batch(central, entries, "a", PushResult())
    with central.begin() as conn:
        conn.execute(text("DELETE FROM applied_mutation WHERE mutation_id = :m"),
                     {"m": updates[2].mutation_id})
        version = conn.execute(text("SELECT version FROM customer WHERE id = :i"),
                               {"i": card.id}).scalar()
    assert version == 3
    with monkeypatch.context() as patch:
        _no_entry_by_entry(patch)
        again = PushResult()
        results = push_mod.push_batch(central, entries, "a", again)
    assert again.duplicates == len(entries) - 1 and again.sent == 1
    assert results[updates[2].seq]["outcome"] == "applied"
    with central.connect() as conn:
        phone, now = conn.execute(text("SELECT phone, version FROM customer WHERE id = :i"),
                                  {"i": card.id}).one()
        applied = conn.execute(text("SELECT count(*) FROM applied_mutation")).scalar()
    assert now == version + 1  # the one resent edit touched the row once
    assert phone == "040 200 0000"  # its own value, already there: no conflict
    assert applied == len(entries)


def test_a_bad_entry_in_a_batch_rejects_only_itself(desks, central, twin):  # noqa: F811
    """An invalid entry between two entries of the same ticket and others: only it is
    rejected; the rest apply (the batch is redone entry by entry), as entry by entry."""
    a = desks("a", seed=True)
    services = a.sign_in()
    good = services.customers.create(customer_input("Hyvä", "Ensi", date(1971, 2, 2), 420))
    a.sync()
    queue = services.queue
    ticket = queue.register_walk_in(good.id, AREA)
    bad = services.customers.create(customer_input("Paha", "Toka", date(1972, 3, 3), 430))
    queue.call(ticket.id)
    _edit(services, good.id, phone="040 555 5555")
    with services.ctx.session_factory.begin() as s:
        entry = s.scalars(select(OutboxEntry).where(
            OutboxEntry.table_name == "customer", OutboxEntry.row_id == bad.id)).one()
        fields = json.loads(entry.fields)
        fields["first_names"] = ""  # fails the central CHECK constraint
        entry.fields = json.dumps(fields)
        bad_seq = entry.seq
    entries = outbox_pending(a.services.ctx.engine, 1000)
    other = twin(central)
    expected = push_mod._push_batch(other, entries, "a", PushResult(), guarded=True)
    result = PushResult()
    got = push_mod.push_batch(central, entries, "a", result)
    assert got == expected
    assert result.rejected == 1 and got[bad_seq]["outcome"] == "rejected"
    assert "ck_customer_named" in got[bad_seq]["reason"]
    assert all(r["outcome"] == "applied" for seq, r in got.items() if seq != bad_seq)
    assert _state(central) == _state(other)
    with central.connect() as conn:
        assert conn.execute(text("SELECT state FROM queue_ticket WHERE id = :i"),
                            {"i": ticket.id}).scalar() == "called"
        assert conn.execute(text("SELECT count(*) FROM customer WHERE id = :i"),
                            {"i": bad.id}).scalar() == 0


def test_a_change_other_rows_depend_on_is_applied_on_its_own(desks, central, twin,  # noqa: F811
                                                             monkeypatch):
    """A coach change (row-level security reads it for the customer's other rows) splits
    the batch: the entries before it, it alone, the entries after it; same result."""
    a = desks("a", seed=True)
    services = a.sign_in("lead")
    card = services.customers.create(customer_input("Linkki", "Leena", date(1983, 4, 4), 440))
    a.sync()
    _edit(services, card.id, phone="040 600 0000")
    services.coaching.assign(card.id, "staff-coach", "test")
    _walk_in(services, card.id)
    _edit(services, card.id, phone="040 700 0000")
    entries = outbox_pending(a.services.ctx.engine, 1000)
    seen_alone = []
    original = push_mod._apply_segment

    def spy(conn, items, node, points, results, alone):
        if alone and items:
            seen_alone.append(items[0].entry.table_name)
        return original(conn, items, node, points, results, alone=alone)

    monkeypatch.setattr(push_mod, "_apply_segment", spy)
    result = _both_ways(central, twin, entries, "a", monkeypatch)
    assert result.rejected == 0
    assert "customer" in seen_alone
    with central.connect() as conn:
        assert conn.execute(text("SELECT coach_id, phone FROM customer WHERE id = :i"),
                            {"i": card.id}).one() == ("staff-coach", "040 700 0000")


def test_barriers_are_the_writes_other_rows_read():
    def item(table, op, fields):
        entry = OutboxEntry(mutation_id=str(uuid.uuid4()), table_name=table,
                            row_id="r", op=op, fields=json.dumps(fields))
        return push_mod._Item(entry, central_table(table), fields, {})

    barrier = push_mod._is_barrier
    assert not barrier(item("customer", "update", {"phone": "1", "updated_at": "x"}))
    assert barrier(item("customer", "update", {"coach_id": "s"}))
    assert barrier(item("customer", "update", {"service_point_id": "p"}))
    assert barrier(item("customer", "update", {"hetu": "010101-123N"}))  # unique
    assert barrier(item("customer", "update", {"erased_at": "2026-01-01T00:00:00"}))
    assert barrier(item("customer", "insert", {"erased_at": "2026-01-01T00:00:00"}))
    assert not barrier(item("customer", "insert", {"coach_id": "s", "hetu": "x"}))
    assert barrier(item("queue_ticket", "update", {"customer_id": "c"}))
    assert barrier(item("queue_ticket", "update", {"number": 5}))  # unique with the day
    assert not barrier(item("queue_ticket", "update", {"state": "called"}))
    assert barrier(item("plan_version", "update", {"plan_id": "p"}))
    assert barrier(item("staff", "update", {"full_name": "x"}))  # not a set-based table
    assert not barrier(item("audit_event", "insert", {"customer_id": "c"}))
