"""Right of access (extract as JSON and PDF) and erasure after the retention period."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from pypdf import PdfReader

from app import cli, i18n
from app.models import utcnow
from app.services.errors import Conflict, PermissionDenied
from tests.customer_data import SECRETS, leftovers, make_customer, mark_inactive
from tests.factories import Clock


@pytest.fixture
def clocked(services):
    clock = Clock()
    services.ctx.now = clock
    services.auth.sign_in("coach", "demo")
    customer = make_customer(services)
    services.auth.sign_out()
    return services, clock, customer


def test_the_extract_holds_everything_on_the_customer(clocked):
    services, _clock, customer = clocked
    services.auth.sign_in("lead", "demo")
    extract = services.rights.extract(customer)
    text = json.dumps(extract, ensure_ascii=False)
    for secret in SECRETS:
        assert secret in text, secret
    sections = extract["sections"]
    assert {n["kind"] for n in sections["customer_note"]} == {"general", "work_ability"}
    assert any(e["action"] == "customer.create" and e["staff"] == "Pekka Ylitalo"
               for e in sections["audit_event"])
    assert "customer.extract" in {r.action for r in services.audit.access_log(customer)}


def test_the_extract_shows_the_event_lists_the_customer_was_on(clocked):
    from app.models import Event, EventAttendance, EventParticipant, EventSession, Staff
    from app.rules.codes import EventKind, ParticipantStatus
    from app.rules.events import attendance_id, participant_id
    from app.rules.permissions import Permission

    services, _clock, customer = clocked
    services.auth.sign_in("lead", "demo")
    now = services.ctx.now()
    with services.ctx.transaction(Permission.EVENT_EDIT) as s:
        point = s.get(Staff, services.ctx.signed_in.staff_id).service_point_id
        s.add(Event(id="ev-1", service_point_id=point, kind=EventKind.SERVICE_INFO,
                    title="Palveluinfo", language="fi", organiser_ids=""))
        s.flush()
        s.add(EventSession(id="s-1", event_id="ev-1", service_point_id=point, number=1,
                           starts_at=now, ends_at=now + timedelta(hours=1)))
        s.flush()
        s.add(EventParticipant(id=participant_id("ev-1", customer), event_id="ev-1",
                               customer_id=customer, service_point_id=point,
                               status=ParticipantStatus.REGISTERED))
        s.add(EventAttendance(id=attendance_id("s-1", customer), session_id="s-1",
                              event_id="ev-1", customer_id=customer, service_point_id=point,
                              attended=True))
    sections = services.rights.extract(customer)["sections"]
    assert [r["event_id"] for r in sections["event_participant"]] == ["ev-1"]
    assert [r["session_id"] for r in sections["event_attendance"]] == ["s-1"]


@pytest.mark.parametrize("user", ["desk", "coach"])
def test_only_team_leads_and_administrators_make_extracts(clocked, user):
    services, _clock, customer = clocked
    services.auth.sign_in(user, "demo")
    with pytest.raises(PermissionDenied):
        services.rights.extract(customer)


def test_cli_writes_the_extract_as_json_and_pdf(clocked, tmp_path, capsys):
    services, _clock, customer = clocked
    db = str(tmp_path / "desk.sqlite3")
    services.close()
    assert cli.main(["customer", "extract", customer, "--db", db, "--out",
                     str(tmp_path / "x.json")]) == 0
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert data["sections"]["customer"][0]["last_name"] == "Guttorm"
    assert cli.main(["customer", "extract", customer, "--db", db, "--out",
                     str(tmp_path / "x.pdf"), "--lang", "en"]) == 0
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        (tmp_path / "x.pdf").read_bytes())).pages)
    for secret in ("Guttorm", "Máret Čuovga", "Selkävaiva rajoittaa", "Kokiksi Rovaniemelle"):
        assert secret in pdf, secret
    assert cli.main(["customer", "extract", customer, "--db", db, "--out",
                     str(tmp_path / "x.txt")]) == 2
    capsys.readouterr()


def test_erasure_waits_for_inactivity_and_the_retention_period(clocked):
    services, clock, customer = clocked
    services.auth.sign_in("admin", "demo")
    with pytest.raises(Conflict, match="case is open"):
        services.rights.erase(customer)
    mark_inactive(services, customer)
    with pytest.raises(Conflict, match="retention"):
        services.rights.erase(customer)
    ends = services.rights.retention_ends(customer)
    assert ends.year == clock.now.year + 5
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")
    clock.now += timedelta(days=366 * 5)
    with pytest.raises(PermissionDenied):
        services.rights.erase(customer)


def test_erasure_leaves_nothing_of_the_person_on_this_workstation(clocked):
    services, clock, customer = clocked
    services.auth.sign_in("admin", "demo")
    mark_inactive(services, customer)
    clock.now += timedelta(days=366 * 5)
    services.rights.erase(customer)
    with services.ctx.engine.connect() as conn:
        assert leftovers(conn) == []
    # The erasure itself is on its way to the centre.
    from sqlalchemy import select

    from app.models import OutboxEntry

    with services.ctx.session_factory() as s:
        entries = s.scalars(select(OutboxEntry).where(OutboxEntry.row_id == customer)).all()
    assert any("erased_at" in json.loads(e.fields) for e in entries)


def test_cli_erases_only_after_the_retention_period(clocked, tmp_path, capsys):
    i18n.set_language("en")  # the messages are checked in English
    services, clock, customer = clocked
    db = str(tmp_path / "desk.sqlite3")
    # The command line's context clock is the wall clock: the customer's last activity
    # is today on that clock, so the retention period runs whatever day this test runs.
    clock.now = utcnow()
    services.auth.sign_in("admin", "demo")
    mark_inactive(services, customer)
    services.close()
    assert cli.main(["customer", "erase", customer, "--db", db]) == 1
    assert "retention" in capsys.readouterr().err
