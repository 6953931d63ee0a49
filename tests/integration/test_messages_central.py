"""Messages to customers in the central database (#23, c0105), as each role's own login
sees them in SQL, and as the messenger's: whoever sees a customer reads their messages
and contact preferences, never the plan's password at the desk; a worker asks for a
letter (and, with `plan.print`, the plan and its password), queued, for a customer they
see, and later only decides on a failed, held or print-list message; what was sent,
where and when is the messenger's alone to write; templates are kept by `settings.edit`
under derived ids; the heartbeat is the messenger's; the messenger reads of a customer
only what a message is made from; a merge moves messages and folds the preference; an
erasure scrubs where messages went and what they said."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app.db.central_roles import create_messenger_login, drop_login_role
from app.rules.codes import MessageChannel, MessageKind, MessageStatus
from app.rules.messages import heartbeat_id, person_may_move, preference_id, template_id
from tests.integration.test_central_security import PASSWORD
from tests.integration.test_hostile_client import ERASE, MERGE, owner, refused

pytestmark = pytest.mark.usefixtures("pg_url")

TABLES = ("contact_preference", "message", "message_template", "messenger_heartbeat")
STAFF = ("desk", "coach", "lead", "admin")
DUE = datetime(2026, 12, 3, 9, 0)


@pytest.fixture
def world(pg_url):
    from tests.integration.test_central_security import World

    made = World(pg_url)
    yield made
    made.close()


@pytest.fixture
def messenger(world):
    """A login in the `desk_messenger` group (central_roles.create_messenger_login, as
    `python -m app.cli central messenger-login` makes one): CONNECT to this area's
    database, nothing of its own."""
    name = f"t{uuid.uuid4().hex[:8]}_messenger"
    create_messenger_login(world.admin_engine, name, PASSWORD)
    engine = create_engine(make_url(world.url).set(username=name, password=PASSWORD))
    yield engine
    engine.dispose()
    with world.admin_engine.begin() as conn:
        conn.exec_driver_sql(f'REVOKE ALL ON SCHEMA public FROM "{name}"')
    drop_login_role(world.admin_engine, name)


def _insert_sql(table: str, values: dict) -> str:
    return (f"INSERT INTO {table} ({', '.join(values)}) "
            f"VALUES ({', '.join(':' + k for k in values)})")


def message(**values) -> tuple[str, dict]:
    """A letter request as a desk would write it; `values` override."""
    row = {"id": str(uuid.uuid4()), "customer_id": "c-rov", "service_point_id": "sp-rov",
           "kind": "letter", "channel": "email", "status": "queued", "language": "fi",
           "due_at": DUE, "attempts": 0, "document": "appointment_letter",
           "attachment_name": "kirje.pdf", "attachment": "JVBERi0=", "updated_at": DUE,
           **values}
    return _insert_sql("message", row), row


def preference(cid: str, **values) -> tuple[str, dict]:
    row = {"id": preference_id(cid), "customer_id": cid, "sms": True, "email": False,
           "opted_out": False, "language": None, "given_how": "in_person",
           "given_on": date(2026, 11, 30), "updated_at": DUE, **values}
    return _insert_sql("contact_preference", row), row


def template(kind="reminder", channel="sms", language="fi", **values) -> tuple[str, dict]:
    row = {"id": template_id(MessageKind(kind), MessageChannel(channel), language),
           "kind": kind, "channel": channel, "language": language, "subject": None,
           "body": "Muistutus: {date} {time}, {place}. Peruutukset {phone}.",
           "updated_at": DUE, **values}
    return _insert_sql("message_template", row), row


def heartbeat(name="messenger-1", **values) -> tuple[str, dict]:
    row = {"id": heartbeat_id(name), "name": name, "host": "central", "started_at": DUE,
           "seen_at": DUE, "sent_count": 0, "failed_count": 0, "updated_at": DUE, **values}
    return _insert_sql("messenger_heartbeat", row), row


def put(world, who, made: tuple[str, dict]) -> str:
    """Insert `made` as `who` ("owner": the migration's superuser); returns its id."""
    sql, row = made
    if who == "owner":
        owner(world, sql, **row)
    else:
        world.run(who, sql, **row)
    return row["id"]


def sent(cid="c-rov", point="sp-rov", **values) -> tuple[str, dict]:
    """A confirmation the messenger has sent."""
    return message(**{"customer_id": cid, "service_point_id": point, "kind": "confirmation",
                      "channel": "sms", "status": "sent", "attempts": 1,
                      "recipient": "+358401234567",
                      "body": "Aika ti 8.12. klo 10.00, Osaamo. Peruutukset 016 123 4567.",
                      "sent_at": DUE, "channel_ref": "ref-1", "document": None,
                      "attachment": None, "attachment_name": None, **values})


def refuse(world, who, made: tuple[str, dict]) -> str:
    """As `refused`, for a made row (its columns may be called `name`)."""
    sql, row = made
    with pytest.raises((ProgrammingError, DBAPIError)) as caught, \
            world.connect(who).begin() as conn:
        conn.execute(text(sql), row)
    return str(caught.value.orig)


def run_as(engine, sql, **params):
    with engine.begin() as conn:
        return conn.execute(text(sql), params)


def refused_as(engine, sql, row=None, **params) -> str:
    params = {**(row or {}), **params}
    with pytest.raises((ProgrammingError, DBAPIError)) as caught:
        run_as(engine, sql, **params)
    return str(caught.value.orig)


# --- Row-level security and reading ------------------------------------------------------

def test_every_message_table_has_row_level_security_and_policies(world):
    rows = owner(world, "SELECT c.relname, c.relrowsecurity, (SELECT count(*) FROM pg_policy "
                        "p WHERE p.polrelid = c.oid) FROM pg_class c JOIN pg_namespace n ON "
                        "n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = "
                        "ANY(:tables)", tables=list(TABLES)).all()
    assert len(rows) == len(TABLES)
    for name, secured, policies in rows:
        assert secured and policies >= 2, name
    for table in TABLES:
        for name in STAFF:
            assert "permission denied" in refused(world, name, f"DELETE FROM {table}"), table


def test_messages_and_preferences_are_read_where_the_customer_is_seen(world):
    for cid in ("c-rov", "c-ran", "c-mine", "c-ran-mine"):
        put(world, "owner", preference(cid))
    ids = {cid: put(world, "owner", sent(cid, point))
           for cid, point in (("c-rov", "sp-rov"), ("c-ran", "sp-ran"),
                              ("c-ran-mine", "sp-rov"), ("c-other", "sp-rov"))}
    pref = preference_id

    def seen(name, table):
        return set(world.ids(name, table))

    # The Rovaniemi desk: its point's customers, not Ranua's (nor the Ranua customer a
    # Rovaniemi coach coaches, though the message was made at Rovaniemi).
    assert seen("desk", "contact_preference") == {pref("c-rov"), pref("c-mine")}
    assert seen("desk", "message") == {ids["c-rov"], ids["c-other"]}
    # The coach: its point's and its own caseload elsewhere.
    assert seen("coach", "contact_preference") == {pref("c-rov"), pref("c-mine"),
                                                   pref("c-ran-mine")}
    assert seen("coach", "message") == {ids["c-rov"], ids["c-other"], ids["c-ran-mine"]}
    # Ranua's coach: Ranua's customers only.
    assert seen("ran_coach", "contact_preference") == {pref("c-ran"), pref("c-ran-mine")}
    assert seen("ran_coach", "message") == {ids["c-ran"], ids["c-ran-mine"]}
    assert seen("lead", "message") == set(ids.values())
    for table in TABLES:
        assert world.ids("gone", table) == [], table
    # Nor does a desk's update reach a message or preference it cannot see.
    assert world.run("desk", "UPDATE message SET status = 'cancelled' WHERE id = :id",
                     id=ids["c-ran"]) == 0
    assert world.run("desk", "UPDATE contact_preference SET sms = false WHERE id = :id",
                     id=pref("c-ran")) == 0


def test_the_desk_never_reads_the_plans_password_and_a_coach_does(world, messenger):
    put(world, "owner", message(customer_id="c-mine", kind="password", channel="sms",
                                document=None, attachment=None, attachment_name=None,
                                secret="kala-PUU-42", id="pw-1"))
    assert "permission denied" in refused(world, "desk", "SELECT secret FROM message")
    assert "permission denied" in refused(world, "desk", "SELECT * FROM message")
    assert "permission denied" in refused(
        world, "desk", "SELECT id FROM message WHERE secret LIKE 'k%'")  # nor probes it
    with world.connect("desk").connect() as conn:
        assert conn.execute(text("SELECT id, kind, status FROM message")).all() == [
            ("pw-1", "password", "queued")]
    for name in ("coach", "lead", "admin"):
        with world.connect(name).connect() as conn:
            assert conn.execute(text("SELECT secret FROM message")).scalar() == \
                "kala-PUU-42", name
    with messenger.connect() as conn:
        assert conn.execute(text("SELECT secret FROM message")).scalar() == "kala-PUU-42"


def test_a_preference_is_recorded_for_a_visible_customer_under_the_customer_s_id(world):
    put(world, "desk", preference("c-rov", recorded_by="staff-lead"))
    put(world, "coach", preference("c-ran-mine"))  # the coach's caseload at Ranua
    assert "has the id of its customer" in refuse(
        world, "desk", preference("c-mine", id=str(uuid.uuid4())))
    assert "may only name a customer" in refuse(world, "desk", preference("c-ran"))
    assert "may only name a customer" in refuse(world, "ran_coach", preference("c-other"))
    assert "only in a merge" in refused(
        world, "coach", "UPDATE contact_preference SET customer_id = 'c-mine' "
                       "WHERE id = :id", id=preference_id("c-rov"))
    assert world.run("desk", "UPDATE contact_preference SET opted_out = true, sms = false "
                             "WHERE id = :id", id=preference_id("c-rov")) == 1
    assert world.run("ran_coach", "UPDATE contact_preference SET sms = false "
                                  "WHERE id = :id", id=preference_id("c-rov")) == 0
    assert owner(world, "SELECT customer_id, opted_out, updated_by FROM contact_preference "
                        "ORDER BY customer_id").all() == [
        ("c-ran-mine", False, "staff-coach"), ("c-rov", True, "staff-desk")]
    # A sync conflict about a preference or a message is seen where the customer is.
    conflict = ("INSERT INTO sync_conflict (id, table_name, row_id, field, central_value, "
                "client_value, client_node, client_hlc, status, updated_at) VALUES (:id, "
                ":table, :row, 'sms', 'true', 'false', 'ws', '', 'open', now())")
    owner(world, conflict, id="sc-p", table="contact_preference",
          row=preference_id("c-ran-mine"))
    mid = put(world, "owner", sent("c-ran", "sp-ran"))
    owner(world, conflict, id="sc-m", table="message", row=mid)
    assert owner(world, "SELECT id, service_point_id FROM sync_conflict ORDER BY id"
                 ).all() == [("sc-m", "sp-ran"), ("sc-p", "sp-ran")]
    assert world.ids("desk", "sync_conflict") == []
    assert world.ids("ran_coach", "sync_conflict") == ["sc-m", "sc-p"]


# --- What a worker asks for --------------------------------------------------------------

def test_a_desk_asks_for_a_letter_for_a_customer_it_sees_and_nothing_else(world):
    letter = put(world, "desk", message(requested_by="staff-lead"))
    assert owner(world, "SELECT kind, channel, status, requested_by, attachment FROM message "
                        "WHERE id = :id", id=letter).one() == (
        "letter", "email", "queued", "staff-desk", "JVBERi0=")  # in its own name
    asks_only = "a worker asks only for a letter, the plan or its password"
    for values in ({"kind": "reminder", "document": None},
                   {"kind": "confirmation"},
                   {"status": "sent"},
                   {"status": "held"},
                   {"channel": "sms"},
                   {"channel": "print"},
                   {"attempts": 1},
                   {"recipient": "aino@example.fi"},
                   {"sent_at": DUE},
                   {"channel_ref": "<x@desk-messenger>"},
                   {"claimed_by": "messenger-1"}):
        assert asks_only in refuse(world, "desk", message(**values)), values
    # The plan and its password need plan.print.
    for values in ({"kind": "plan"}, {"kind": "password", "channel": "sms",
                                      "secret": "x"}):
        assert "those who may print it" in refuse(world, "desk", message(**values))
    # Not for a customer of another point (no reach gained by asking).
    for cid in ("c-ran", "c-ran-mine"):
        assert refuse(world, "desk", message(customer_id=cid))
    assert owner(world, "SELECT count(*) FROM message").scalar() == 1


def test_a_coach_sends_the_plan_by_email_and_its_password_by_sms(world):
    plan = put(world, "coach", message(customer_id="c-mine", kind="plan",
                                       document="plan", attachment_name="suunnitelma.pdf"))
    password = put(world, "coach", message(customer_id="c-mine", kind="password",
                                           channel="sms", document=None, attachment=None,
                                           attachment_name=None, secret="kala-PUU-42"))
    assert owner(world, "SELECT id, requested_by FROM message ORDER BY kind").all() == [
        (password, "staff-coach"), (plan, "staff-coach")]
    asks_only = "a worker asks only for a letter, the plan or its password"
    assert asks_only in refuse(world, "coach", message(customer_id="c-mine", kind="plan",
                                                         channel="sms"))
    assert asks_only in refuse(world, "coach", message(customer_id="c-mine",
                                                         kind="password"))  # by e-mail
    # Not for a customer the coach does not see (Ranua's, not in the caseload).
    assert refuse(world, "coach", message(customer_id="c-ran", kind="plan"))


def test_only_the_messenger_records_what_was_sent(world, messenger):
    done = put(world, "owner", sent("c-mine"))
    failed = put(world, "owner", sent("c-mine", status="failed", sent_at=None,
                                      channel_ref=None, error="gateway refused"))
    for name in STAFF:
        for change in ("recipient = '+358409999999'", "body = 'Toinen teksti'",
                       "subject = 'x'", "sent_at = now()", "channel_ref = 'ref-2'",
                       "attempts = 0", "kind = 'reminder'", "channel = 'email'",
                       "attachment = 'x'", "secret = 'x'", "claimed_by = 'me'",
                       "delivered_at = now()", "requested_by = 'staff-desk'",
                       "service_point_id = 'sp-ran'", "about_id = 'ap-1'"):
            for mid in (done, failed):
                assert "only the messenger records what was sent" in refused(
                    world, name, f"UPDATE message SET {change} WHERE id = :id", id=mid), (
                    name, change)
    # Moving a message to another customer: only in a merge.
    assert "only in a merge" in refused(world, "coach", "UPDATE message SET customer_id = "
                                                        "'c-rov' WHERE id = :id", id=done)
    # The messenger writes what it sent.
    assert run_as(messenger, "UPDATE message SET status = 'queued', attempts = 2, "
                             "error = NULL, sent_at = NULL WHERE id = :id", id=failed
                  ).rowcount == 1
    assert run_as(messenger, "UPDATE message SET status = 'sent', channel_ref = 'ref-9', "
                             "recipient = '+358401111111', sent_at = now() WHERE id = :id",
                  id=failed).rowcount == 1
    assert owner(world, "SELECT status, recipient, updated_by FROM message WHERE id = :id",
                 id=failed).one() == ("sent", "+358401111111", None)


def test_a_person_moves_a_message_only_as_the_rules_say(world):
    """Every status change of every channel, as the desk: the centre refuses exactly what
    rules/messages.py person_may_move refuses. (A print-list letter is never failed or
    held: no messenger sends it; those pairs are left out.)"""
    checked = 0
    for channel, old, new in itertools.product(MessageChannel, MessageStatus, MessageStatus):
        if old is new or (channel is MessageChannel.PRINT
                          and old in (MessageStatus.FAILED, MessageStatus.HELD)):
            continue
        mid = put(world, "owner", sent("c-rov", status=old.value, channel=channel.value))
        change = "UPDATE message SET status = :new, decided_by = 'staff-lead' WHERE id = :id"
        if person_may_move(old, new, channel):
            assert world.run("desk", change, new=new.value, id=mid) == 1, (channel, old, new)
            assert owner(world, "SELECT status, decided_by FROM message WHERE id = :id",
                         id=mid).one() == (new.value, "staff-desk")  # who decided
        else:
            assert "cannot go from" in refused(world, "desk", change, new=new.value, id=mid), (
                channel, old, new)
        checked += 1
    assert checked == 3 * 9 * 8 - 2 * 8
    # The named cases of the design, with a re-queue due again now.
    failed = put(world, "owner", sent("c-rov", status="failed", error="smtp 550"))
    assert world.run("desk", "UPDATE message SET status = 'queued', due_at = now(), "
                             "error = NULL WHERE id = :id", id=failed) == 1
    assert "cannot go from queued to sent" in refused(
        world, "desk", "UPDATE message SET status = 'sent' WHERE id = :id", id=failed)
    # The time moves only with a re-queue; the plan's messages are for plan.print.
    held = put(world, "owner", sent("c-rov", status="held"))
    assert "changes only when it is queued again" in refused(
        world, "desk", "UPDATE message SET due_at = now() WHERE id = :id", id=held)
    plan = put(world, "owner", sent("c-rov", status="held", kind="plan", channel="email"))
    assert "only by those who may print it" in refused(
        world, "desk", "UPDATE message SET status = 'cancelled' WHERE id = :id", id=plan)
    assert world.run("coach", "UPDATE message SET status = 'cancelled' WHERE id = :id",
                     id=plan) == 1


# --- Templates and the heartbeat ---------------------------------------------------------

def test_only_settings_edit_keeps_templates_under_their_derived_ids(world):
    for name in ("desk", "coach"):
        assert refuse(world, name, template())
    put(world, "lead", template())
    assert "id of its kind, channel and language" in refuse(
        world, "admin", template(language="sv", id=str(uuid.uuid4())))
    assert "id of its kind, channel and language" in refused(
        world, "lead", "UPDATE message_template SET language = 'sv'")
    put(world, "admin", template(kind="confirmation", channel="email", language="sv",
                                 subject="Bokningsbekräftelse", body="Tid {date} {time}"))
    assert world.run("coach", "UPDATE message_template SET body = 'x'") == 0
    assert "permission denied" in refused(world, "desk",
                                          "UPDATE message_template SET body = 'x'")
    assert world.run("admin", "UPDATE message_template SET body = 'Muistutus {date}' "
                              "WHERE language = 'fi'") == 1
    expected = sorted([template_id(MessageKind.REMINDER, MessageChannel.SMS, "fi"),
                       template_id(MessageKind.CONFIRMATION, MessageChannel.EMAIL, "sv")])
    for name in (*STAFF, "ran_coach"):
        assert world.ids(name, "message_template") == expected, name


def test_the_heartbeat_is_the_messengers_alone(world, messenger):
    beat = put(world, "owner", heartbeat())
    for name in STAFF:
        assert "permission denied" in refuse(world, name, heartbeat(f"fake-{name}"))
        assert "permission denied" in refused(
            world, name, "UPDATE messenger_heartbeat SET seen_at = now()")
        assert world.ids(name, "messenger_heartbeat") == [beat], name
    assert world.ids("gone", "messenger_heartbeat") == []
    sql, row = heartbeat("messenger-2")
    run_as(messenger, sql, **row)
    assert run_as(messenger, "UPDATE messenger_heartbeat SET seen_at = now(), sent_count = "
                             "sent_count + 3 WHERE id = :id", id=row["id"]).rowcount == 1
    assert owner(world, "SELECT name, sent_count FROM messenger_heartbeat ORDER BY name"
                 ).all() == [("messenger-1", 0), ("messenger-2", 3)]


# --- The messenger's login ---------------------------------------------------------------

def test_the_messenger_group_may_use_the_schema(world):
    assert owner(world, "SELECT has_schema_privilege('desk_messenger', 'public', 'USAGE')"
                 ).scalar()


def test_the_messenger_reads_what_messages_are_made_from_and_writes_only_messages(
        world, messenger):
    owner(world, "UPDATE customer SET phone = '040 123 4567', email = 'aino@example.fi' "
                 "WHERE id = 'c-ran'")
    owner(world, "INSERT INTO appointment (id, customer_id, staff_id, service_point_id, "
                 "type, channel, status, starts_at, ends_at, updated_at) VALUES ('ap-1', "
                 "'c-ran', 'staff-ran_coach', 'sp-ran', 'other', 'phone', 'booked', "
                 "'2026-12-08 08:00', '2026-12-08 08:45', now())")
    put(world, "owner", preference("c-ran", email=True, language="sv"))
    with messenger.connect() as conn:
        # Every customer's contact columns, in every point.
        contacts = conn.execute(text("SELECT id, phone, email, language, service_point_id, "
                                     "active, erased_at FROM customer ORDER BY id")).all()
        assert [c.id for c in contacts] == ["c-mine", "c-other", "c-ran", "c-ran-mine",
                                            "c-rov"]
        assert contacts[2][1:3] == ("040 123 4567", "aino@example.fi")
        assert conn.execute(text("SELECT id, starts_at FROM appointment")).all() == [
            ("ap-1", datetime(2026, 12, 8, 8, 0))]
        assert conn.execute(text("SELECT language FROM contact_preference")).scalar() == "sv"
        for table in ("service_point", "area_setting", "event", "event_session",
                      "event_participant", "customer_merge", "message_template"):
            conn.execute(text(f"SELECT count(*) FROM {table}"))  # readable
    # Not who they are, nor anything of their case.
    for column in ("hetu", "last_name", "first_names", "sort_name", "customer_number",
                   "coach_id", "home_municipality"):
        assert "permission denied" in refused_as(messenger, f"SELECT {column} FROM customer")
    assert "permission denied" in refused_as(messenger, "SELECT * FROM customer")
    for table in ("customer_note", "plan", "plan_version", "customer_barrier", "staff",
                  "audit_event", "visit", "queue_ticket"):
        assert "permission denied" in refused_as(messenger, f"SELECT count(*) FROM {table}")
    # It writes messages (any kind: it makes them) and nothing the desks write.
    sql, row = sent("c-ran", "sp-ran", kind="reminder", about_id="ap-1")
    run_as(messenger, sql, **row)
    assert run_as(messenger, "UPDATE message SET status = 'delivered', delivered_at = now() "
                             "WHERE id = :id", id=row["id"]).rowcount == 1
    # Made once, whoever makes it first (two messengers, or one pass twice).
    again = dict(row, status="queued", attempts=0, recipient=None, body=None)
    assert run_as(messenger, sql + " ON CONFLICT (id) DO NOTHING", **again).rowcount == 0
    # Claimed without waiting for a batch another messenger holds.
    other = dict(row, id=str(uuid.uuid4()), status="queued", attempts=0, sent_at=None)
    run_as(messenger, sql, **other)
    with messenger.begin() as first, messenger.connect() as second:
        held = first.execute(text("SELECT id FROM message WHERE status = 'queued' "
                                  "FOR UPDATE SKIP LOCKED")).scalars().all()
        assert held == [other["id"]]
        assert second.execute(text("SELECT id FROM message WHERE status = 'queued' "
                                   "FOR UPDATE SKIP LOCKED")).scalars().all() == []
        second.rollback()
    # Its heartbeat is kept with an upsert.
    beat, values = heartbeat("messenger-1")
    upsert = beat + " ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at"
    run_as(messenger, upsert, **values)
    run_as(messenger, upsert, **values)
    # A staff member cannot become the messenger.
    for name in STAFF:
        assert "permission denied" in refused(world, name, "SET ROLE desk_messenger")
    for sql in ("UPDATE appointment SET status = 'cancelled'",
                "UPDATE customer SET phone = '050 000 0000'",
                "UPDATE contact_preference SET opted_out = true",
                "UPDATE message_template SET body = 'x'",
                "INSERT INTO appointment (id, customer_id, staff_id, service_point_id, type, "
                "channel, status, starts_at, ends_at, updated_at) VALUES ('ap-2', 'c-ran', "
                "'staff-ran_coach', 'sp-ran', 'other', 'phone', 'booked', now(), now(), "
                "now())",
                "DELETE FROM message"):
        assert "permission denied" in refused_as(messenger, sql), sql
    assert "permission denied" in refused_as(messenger, *preference("c-rov"))
    assert "permission denied" in refused_as(messenger, *template())
    assert "permission denied" in refused_as(messenger, "SET ROLE desk_owner")
    assert owner(world, "SELECT status FROM appointment").scalar() == "booked"


# --- Merge and erasure -------------------------------------------------------------------

def test_a_merge_moves_the_messages_and_folds_the_preference(world, messenger):
    # The duplicate (c-ran-mine) has a preference and a message; the real one has none.
    put(world, "owner", preference("c-ran-mine", email=True, sms=False, language="sv"))
    moved = put(world, "owner", sent("c-ran-mine"))
    # c-ran has a preference; so has the real one (c-mine), which is kept.
    put(world, "owner", preference("c-ran", sms=True, email=False, language="en"))
    put(world, "owner", preference("c-mine", sms=False, email=True, language="fi"))
    world.run("lead", MERGE, id="m-1", src="c-ran-mine", dst="c-rov")
    world.run("lead", MERGE, id="m-2", src="c-ran", dst="c-mine")
    assert owner(world, "SELECT customer_id FROM message WHERE id = :id",
                 id=moved).scalar() == "c-rov"
    live = owner(world, "SELECT id, customer_id, sms, email, language FROM "
                        "contact_preference WHERE deleted_at IS NULL ORDER BY customer_id"
                 ).all()
    assert live == [(preference_id("c-mine"), "c-mine", False, True, "fi"),
                    (preference_id("c-rov"), "c-rov", False, True, "sv")]
    assert owner(world, "SELECT count(*) FROM contact_preference WHERE deleted_at IS NOT "
                        "NULL AND customer_id IN ('c-ran', 'c-ran-mine')").scalar() == 2
    # The desk now reads the moved message with its real customer.
    assert moved in world.ids("desk", "message")
    # A message arriving later for the duplicate lands on the real customer.
    sql, row = sent("c-ran-mine", kind="reminder")
    run_as(messenger, sql, **row)
    late = row["id"]
    assert owner(world, "SELECT customer_id FROM message WHERE id = :id",
                 id=late).scalar() == "c-rov"


def test_an_opt_out_of_the_duplicate_holds_after_a_merge(world):
    put(world, "owner", preference("c-ran", sms=False, email=False, opted_out=True))
    put(world, "owner", preference("c-mine", sms=True, email=True, language="fi"))
    world.run("lead", MERGE, id="m-3", src="c-ran", dst="c-mine")
    assert owner(world, "SELECT sms, email, opted_out, language FROM contact_preference "
                        "WHERE id = :id", id=preference_id("c-mine")).one() == (
        False, False, True, "fi")


def _erase(world, cid):
    """An administrator erases `cid` (inactive, six years without activity)."""
    owner(world, "UPDATE customer SET active = false WHERE id = :cid", cid=cid)
    with world.admin_engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # no triggers
        for table in conn.execute(text("SELECT table_name FROM information_schema.columns "
                                       "WHERE column_name = 'updated_at' "
                                       "AND table_schema = 'public'")).scalars():
            conn.execute(text(f"UPDATE {table} SET updated_at = now() - interval '6 years'"))
    assert world.run("admin", ERASE, cid=cid) == 1


SCRUBBED = ("SELECT kind, channel, status, recipient, subject, body, attachment, "
            "attachment_name, secret FROM message WHERE id = :id")


def test_an_erasure_scrubs_where_messages_went_and_what_they_said(world):
    done = put(world, "owner", sent("c-mine", subject="Aika"))
    letter = put(world, "owner", message(customer_id="c-mine", status="sent",
                                         recipient="aino@example.fi", subject="Kirje",
                                         body="Liitteenä kirje."))
    password = put(world, "owner", message(customer_id="c-mine", kind="password",
                                           channel="sms", document=None, attachment=None,
                                           attachment_name=None, secret="kala-PUU-42"))
    other = put(world, "owner", sent("c-rov"))
    _erase(world, "c-mine")
    assert owner(world, SCRUBBED, id=done).one() == ("confirmation", "sms", "sent", None,
                                                     None, None, None, None, None)
    assert owner(world, SCRUBBED, id=letter).one() == ("letter", "email", "sent", None,
                                                       None, None, None, None, None)
    assert owner(world, SCRUBBED, id=password).one()[-1] is None
    assert owner(world, SCRUBBED, id=other).one()[3] == "+358401234567"  # others stay


def test_an_erasure_tombstones_the_preference_and_scrubs_what_arrives_later(
        world, messenger):
    """(With messages that carry nothing yet: see the test above.)"""
    printed = put(world, "owner", message(customer_id="c-mine", kind="confirmation",
                                          channel="print", document=None, attachment=None,
                                          attachment_name=None))
    put(world, "owner", preference("c-mine", email=True))
    _erase(world, "c-mine")
    assert owner(world, "SELECT deleted_at IS NOT NULL FROM contact_preference WHERE "
                        "customer_id = 'c-mine'").scalar()
    # A preference recorded offline before the erasure arrived: tombstoned as it lands.
    assert world.run("lead", "UPDATE contact_preference SET sms = true, deleted_at = NULL "
                             "WHERE customer_id = 'c-mine'") == 1
    assert owner(world, "SELECT deleted_at IS NOT NULL FROM contact_preference WHERE "
                        "customer_id = 'c-mine'").scalar()
    # What the messenger writes later for the erased customer is scrubbed as it is written.
    sql, row = sent("c-mine", kind="reminder")
    run_as(messenger, sql, **row)
    assert owner(world, SCRUBBED, id=row["id"]).one()[3:] == (None,) * 6
    run_as(messenger, "UPDATE message SET status = 'sent', body = 'x', recipient = 'y' "
                      "WHERE id = :id", id=printed)
    assert owner(world, SCRUBBED, id=printed).one()[2:] == ("sent",) + (None,) * 6
