"""The demo's messages (#23): preferences of every kind, channels only where agreed and
with an address, the messages consistent with the appointments and events, one failure
with a reason, one held, print-list letters, and a heartbeat seen just before the demo's
now; the services read it all back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from app.db.engine import local_engine
from app.db.migrate import upgrade
from app.demo.area import build_demo
from app.rules.messages import message_id

TODAY = date(2025, 11, 12)  # a Wednesday
QUEUE_NOW = 14 * 60 + 10  # 14.10 in Helsinki: 12.10 UTC
NOW = datetime(2025, 11, 12, 12, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = tmp_path_factory.mktemp("demo-messages") / "demo.sqlite3"
    engine = local_engine(path)
    upgrade(engine)
    build_demo(engine, seed=11, scale=0.08, today=TODAY, queue_now=QUEUE_NOW)
    yield engine
    engine.dispose()


def rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_preferences_of_every_kind_only_with_contacts(engine):
    kinds = {r[:3] for r in rows(engine, "SELECT sms, email, opted_out FROM contact_preference")}
    assert {(1, 0, 0), (0, 1, 0), (1, 1, 0), (0, 0, 1)} <= kinds
    assert rows(engine, """SELECT count(*) FROM contact_preference p
                           JOIN customer c ON c.id = p.customer_id
                           WHERE (p.sms AND coalesce(c.phone, '') = '')
                              OR (p.email AND coalesce(c.email, '') = '')""") == [(0,)]
    without = rows(engine, """SELECT count(*) FROM customer c WHERE NOT EXISTS (
                              SELECT 1 FROM contact_preference p
                              WHERE p.customer_id = c.id)""")[0][0]
    assert without > 0


def test_messages_follow_consent_and_the_appointments(engine):
    # Nothing electronic to anyone who has not agreed to that channel.
    assert rows(engine, """SELECT count(*) FROM message m
        LEFT JOIN contact_preference p ON p.customer_id = m.customer_id
        WHERE (m.channel = 'sms' AND NOT coalesce(p.sms, 0))
           OR (m.channel = 'email' AND NOT coalesce(p.email, 0))
           OR coalesce(p.opted_out, 0)""") == [(0,)]
    # Every appointment message is about an appointment of its customer, with its time.
    assert rows(engine, """SELECT count(*) FROM message m
        LEFT JOIN appointment a ON a.id = m.about_id
        WHERE m.kind IN ('confirmation', 'moved', 'reminder', 'cancelled')
          AND (a.id IS NULL OR a.customer_id <> m.customer_id
               OR a.starts_at <> m.about_starts_at)""") == [(0,)]
    assert rows(engine, """SELECT count(*) FROM message m
        JOIN appointment a ON a.id = m.about_id
        WHERE m.kind = 'cancelled' AND a.status <> 'cancelled'""") == [(0,)]
    # A reminder is due the day before at 16.00 (Helsinki); none on paper.
    for due, starts in rows(engine, "SELECT due_at, about_starts_at FROM message "
                                    "WHERE kind = 'reminder'"):
        due, starts = datetime.fromisoformat(due), datetime.fromisoformat(starts)
        assert (starts - due) < timedelta(days=2) and due.minute == 0
    assert rows(engine, "SELECT count(*) FROM message WHERE kind = 'reminder' "
                        "AND channel = 'print'") == [(0,)]
    # The ids are the messenger's: made once however often it runs.
    kind, about, mid = rows(engine, "SELECT kind, about_id, id FROM message LIMIT 1")[0]
    from app.rules.codes import MessageKind

    assert message_id(MessageKind(kind), about) == mid


def test_states_the_messages_page_shows(engine):
    states = dict(((k, c, s), n) for k, c, s, n in rows(
        engine, "SELECT kind, channel, status, count(*) FROM message GROUP BY 1, 2, 3"))
    statuses = {s for (_k, _c, s) in states}
    assert {"sent", "delivered", "failed", "held", "queued", "printed"} <= statuses
    failed = rows(engine, "SELECT error, recipient, body FROM message WHERE status = 'failed'")
    assert len(failed) == 1 and failed[0][0] and failed[0][1:] == (None, None)
    assert rows(engine, "SELECT count(*) FROM message WHERE status = 'held' "
                        "AND error IS NOT NULL") == [(1,)]
    # Sent ones carry their text and where they went; queued ones not yet.
    assert rows(engine, "SELECT count(*) FROM message WHERE status IN ('sent', 'delivered')"
                        " AND (recipient IS NULL OR body IS NULL OR sent_at IS NULL)") == [(0,)]
    assert rows(engine, "SELECT count(*) FROM message WHERE status = 'queued' "
                        "AND (recipient IS NOT NULL OR sent_at IS NOT NULL)") == [(0,)]
    assert rows(engine, "SELECT count(*) FROM message WHERE channel = 'print' "
                        "AND status = 'queued'")[0][0] >= 1
    # Nothing sent after the demo's now.
    latest = rows(engine, "SELECT max(sent_at) FROM message")[0][0]
    assert datetime.fromisoformat(latest).replace(tzinfo=UTC) <= NOW


def test_the_services_read_it_back(engine, tmp_path):
    from app.services.context import AppContext
    from app.services.messages import MessageService
    from tests.factories import Clock

    ctx = AppContext(engine, "demo-test", Clock(NOW + timedelta(minutes=3)))
    from app.services.auth import AuthService

    AuthService(ctx).sign_in("admin", "demo")
    messages = MessageService(ctx)
    status = messages.messenger_status()
    assert (status.heard, status.minutes_since, status.stale) == (True, 4, False)
    assert status.sent_count > 0 and status.failed_count == 1
    assert len(messages.to_handle()) == 2
    assert messages.print_list()
    customer = rows(engine, "SELECT customer_id FROM message WHERE status = 'delivered' "
                            "LIMIT 1")[0][0]
    history = messages.history(customer)
    assert history and history[0].customer_name
    assert messages.preference(customer).recorded
    pdf = messages.print_letter(messages.print_list()[0].id)
    assert pdf.startswith(b"%PDF")
