"""`messages list --customer (ID|HETU|NUMBER)` (a table or JSON, newest first) and
`messages templates` (the built-in wordings, the edited one marked), with the operator's
mistakes told clearly (also tests/unit/test_cli_operator_errors.py)."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from app import cli
from app.models.message import Message
from app.rules import hetu
from app.rules.codes import MessageChannel, MessageKind, MessageStatus
from app.rules.messages import message_id
from tests.factories import Clock, customer_input

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
HETU = hetu.make(date(1985, 3, 12), 124)


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(services, tmp_path):
    services.ctx.now = Clock(START)
    services.auth.sign_in("coach", "demo")
    card = services.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124,
                                                    email="aino@example.fi"))
    with services.ctx.session_factory.begin() as s:
        s.add(Message(id=message_id(MessageKind.CONFIRMATION, "a-1"), customer_id=card.id,
                      service_point_id="sp-rov", kind=MessageKind.CONFIRMATION,
                      channel=MessageChannel.EMAIL, status=MessageStatus.DELIVERED,
                      language="fi", about_id="a-1", due_at=START - timedelta(days=2),
                      sent_at=START - timedelta(days=2), recipient="aino@example.fi",
                      subject="Aikavaraus", body="Tervetuloa", attempts=1))
        s.add(Message(id=message_id(MessageKind.REMINDER, "a-1"), customer_id=card.id,
                      service_point_id="sp-rov", kind=MessageKind.REMINDER,
                      channel=MessageChannel.SMS, status=MessageStatus.FAILED,
                      language="fi", about_id="a-1", due_at=START - timedelta(hours=1),
                      error="the gateway refused the number", attempts=3))
    services.close()
    return tmp_path / "desk.sqlite3"


def test_list_as_table_and_json(db, capsys):
    code, out, err = run(capsys, "messages", "list", "--customer", HETU, "--db", db)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("2026-11-24 09:00  Muistutus  Tekstiviesti  Epäonnistui")
    assert "the gateway refused the number" in lines[0]
    assert lines[1].startswith("2026-11-22 10:00  Varausvahvistus  Sähköposti  Perillä")
    assert "aino@example.fi" in lines[1]
    code, out, err = run(capsys, "messages", "list", "--customer", HETU, "--json", "--db", db,
                         "--user", "desk")
    assert code == 0, err
    data = json.loads(out)
    assert [(r["kind"], r["channel"], r["status"], r["attempts"]) for r in data] == [
        ("reminder", "sms", "failed", 3), ("confirmation", "email", "delivered", 1)]
    assert data[1]["sent_at"] == "2026-11-22T08:00:00+00:00"
    assert data[1]["customer_name"] == "Mäkelä, Aino"


def test_a_customer_without_messages(db, capsys, services):
    services.auth.sign_in("coach", "demo")
    other = services.customers.create(customer_input("Virtanen", "Matti", date(1990, 7, 1),
                                                     235))
    services.close()
    code, out, err = run(capsys, "messages", "list", "--customer", other.customer_number,
                         "--db", db)
    assert code == 0 and out.strip() in ("No messages.", "Ei viestejä."), err


def test_templates_list_every_wording(db, capsys):
    code, out, err = run(capsys, "messages", "templates", "--json", "--db", db)
    assert code == 0, err
    data = json.loads(out)
    assert len(data) == 45 and not any(r["custom"] for r in data)
    assert {r["language"] for r in data} == {"fi", "sv", "en"}
    code, out, err = run(capsys, "messages", "templates", "--db", db)
    assert code == 0 and "  reminder sms sv" in out


def test_an_unknown_customer_is_told(db, capsys):
    code, _out, err = run(capsys, "messages", "list", "--customer", "NOPE", "--db", db)
    assert code == 2 and "asiakas" in err.lower()
