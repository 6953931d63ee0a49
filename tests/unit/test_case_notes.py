"""Case notes through the service as the card calls it: newest first, editing keeps the
earlier text (as the note's history, audited without the text), and who may read and
write them by role and caseload; the desk neither reads nor writes any note."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.models import AuditEvent, CustomerNote, OutboxEntry, Staff, Team
from app.rules.codes import Role
from app.services.errors import Conflict, PermissionDenied, ValidationFailed
from app.services.text_guard import TextRefused
from tests.factories import Clock, customer_input

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def coach(signed_in):
    signed_in.ctx.now = Clock(START)
    return signed_in


def new_customer(services, individual=301):
    return services.customers.create(
        customer_input("Mäkelä", "Aino", date(1985, 3, 12), individual)).id


def audits(services, action):
    with services.ctx.session_factory() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_notes_newest_first_with_kind_author_and_time(coach):
    cid = new_customer(coach)
    coach.case_notes.add(cid, "general", "Ensitapaaminen sovittu.")
    coach.ctx.now.advance(60)
    coach.case_notes.add(cid, "work_ability", "Selkävaiva, työkykyarvio tilattu.")
    notes = coach.case_notes.notes(cid)
    assert notes.writable
    assert [(n.kind, n.text, n.author_name) for n in notes.notes] == [
        ("work_ability", "Selkävaiva, työkykyarvio tilattu.", "Pekka Ylitalo"),
        ("general", "Ensitapaaminen sovittu.", "Pekka Ylitalo")]
    assert notes.notes[0].written_at.replace(tzinfo=UTC) == START.replace(hour=9)
    [event] = audits(coach, "case_note.add")[:1]
    assert "Ensitapaaminen" not in (event.detail or "")


def test_editing_keeps_the_earlier_text_as_history_and_audits_without_text(coach):
    cid = new_customer(coach)
    first = coach.case_notes.add(cid, "general", "Ensimmäinen teksti")
    coach.ctx.now.advance(30)
    second = coach.case_notes.edit(first.id, "Korjattu teksti")
    coach.ctx.now.advance(30)
    third = coach.case_notes.edit(second.id, "Kolmas versio")
    shown = coach.case_notes.notes(cid).notes
    assert [(n.id, n.text, n.edited) for n in shown] == [(third.id, "Kolmas versio", True)]
    history = coach.case_notes.history(third.id)
    assert [h.text for h in history] == ["Kolmas versio", "Korjattu teksti",
                                         "Ensimmäinen teksti"]
    with coach.ctx.session_factory() as s:
        rows = {n.id: n for n in s.scalars(select(CustomerNote))}
        tables = {e.table_name for e in s.scalars(select(OutboxEntry))}
    assert rows[third.id].supersedes_id == second.id
    assert rows[first.id].deleted_at is not None and rows[second.id].deleted_at is not None
    assert rows[first.id].text == "Ensimmäinen teksti"  # never overwritten
    assert "customer_note" in tables  # the versions and tombstones sync
    edits = audits(coach, "case_note.edit")
    assert len(edits) == 2
    detail = json.loads(edits[0].detail)
    assert detail["supersedes_id"] == first.id
    assert all("teksti" not in (e.detail or "") for e in edits)
    # An edit made on a superseded version is refused, not forked.
    with pytest.raises(Conflict):
        coach.case_notes.edit(first.id, "Vanhan päälle")


def test_note_text_is_checked(coach):
    cid = new_customer(coach)
    for bad in ("", "   ", "x" * 4001):
        with pytest.raises(ValidationFailed) as caught:
            coach.case_notes.add(cid, "general", bad)
        assert "text" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        coach.case_notes.add(cid, "general", "ok\u202eevil")
    assert "text" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        coach.case_notes.add(cid, "diagnosis", "Teksti")
    assert "kind" in caught.value.errors
    assert coach.case_notes.notes(cid).notes == []


def test_the_text_guard_is_the_backstop(coach):
    """A note written past the service's own checks is still held to the text rules."""
    cid = new_customer(coach)
    with pytest.raises(TextRefused), coach.ctx.session_factory.begin() as s:
        s.add(CustomerNote(customer_id=cid, kind="general", text="a\x00b",
                           written_at=START))


def test_the_desk_neither_reads_nor_writes_notes(services):
    services.auth.sign_in("coach", "demo")
    cid = new_customer(services)
    note = services.case_notes.add(cid, "work_ability", "Terveydellinen asia")
    services.auth.sign_out()
    services.auth.sign_in("desk", "demo")
    for call in (lambda: services.case_notes.notes(cid),
                 lambda: services.case_notes.history(note.id),
                 lambda: services.case_notes.add(cid, "general", "Tiskiltä"),
                 lambda: services.case_notes.edit(note.id, "Tiskiltä")):
        with pytest.raises(PermissionDenied) as caught:
            call()
        assert "coaches and team leads" in caught.value.message
    services.auth.sign_out()
    services.auth.sign_in("coach", "demo")
    assert [n.text for n in services.case_notes.notes(cid).notes] == ["Terveydellinen asia"]


def test_notes_follow_the_caseload(services):
    """The customer's own coach writes; a coach of the same team reads only; a coach of
    another team sees nothing; team leads and administrators read and write."""
    with services.ctx.session_factory.begin() as s:
        s.add(Team(id="team-2", name="Osaaminen", service_area="skills"))
        s.flush()
        for sid, team in (("staff-mate", "team-1"), ("staff-far", "team-2")):
            s.add(Staff(id=sid, username=sid, full_name=sid, role=Role.COACH,
                        team_id=team, service_point_id="sp-rov"))
    services.auth.sign_in("coach", "demo")
    cid = new_customer(services)
    services.coaching.assign(cid, "staff-coach", "Oma asiakas")
    note = services.case_notes.add(cid, "general", "Oma muistiinpano")
    actor = services.ctx.actor

    def act_as(staff_id, role, team):
        services.ctx.actor = type(actor)(**{**actor.__dict__, "staff_id": staff_id,
                                            "role": role, "team_id": team})

    act_as("staff-mate", Role.COACH, "team-1")
    assert not services.case_notes.notes(cid).writable
    assert [n.text for n in services.case_notes.notes(cid).notes] == ["Oma muistiinpano"]
    with pytest.raises(PermissionDenied):
        services.case_notes.add(cid, "general", "Kollegalta")
    with pytest.raises(PermissionDenied):
        services.case_notes.edit(note.id, "Kollegalta")
    act_as("staff-far", Role.COACH, "team-2")
    with pytest.raises(PermissionDenied):
        services.case_notes.notes(cid)
    with pytest.raises(PermissionDenied):
        services.case_notes.history(note.id)
    for role in (Role.TEAM_LEAD, Role.ADMIN):
        act_as(f"staff-{role.value}", role, "team-2")
        assert services.case_notes.notes(cid).writable
    act_as("staff-lead", Role.TEAM_LEAD, "team-1")
    services.case_notes.edit(note.id, "Esihenkilön korjaus")
    assert [n.text for n in services.case_notes.notes(cid).notes] == ["Esihenkilön korjaus"]
