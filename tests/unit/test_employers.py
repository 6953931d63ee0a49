"""The employer register (#22): the Y-tunnus (its format, its check digit, seven digits
whose check remainder is 1), saving, editing and what is refused (a changed or a taken
business ID), who may write and who sees contact persons, contacts and their follow-ups
in Today, and the keyset paging of the search."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.dto.employers import ContactInput, EmployerInput, PersonInput
from app.models import AuditEvent, Employer, OutboxEntry
from app.rules import business_id
from app.rules.employers import employer_id
from app.services import employers as service
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from tests.factories import Clock

TODAY = date(2026, 11, 24)  # a Tuesday: the week ends on Sunday 29.11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def valid_ids(count: int, start: int = 1_000_000) -> list[str]:
    """Formatted business IDs with the right check digit (remainder 1 skipped)."""
    found = []
    number = start
    while len(found) < count:
        digits = f"{number:07d}"
        remainder = sum(w * int(d) for w, d in zip(_WEIGHTS, digits, strict=True)) % 11
        if remainder != 1:
            found.append(f"{digits}-{0 if remainder == 0 else 11 - remainder}")
        number += 1
    return found


def as_role(services, username):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_out() if services.ctx.actor else None
    services.auth.sign_in(username, "demo")
    return services


@pytest.fixture
def coach(services):
    return as_role(services, "coach")


def employer(name="Äkäslompolon Kelo Oy", bid="2077474-0", **kw):
    values = dict(name=name, business_id=bid, municipality="Rovaniemi", industry="I")
    values.update(kw)
    return EmployerInput(**values)


def audit(services, action):
    with services.ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_check_digit_of_the_test_ids_is_right():
    for bid in valid_ids(30):
        assert business_id.check(bid).value == bid


@pytest.mark.parametrize(("typed", "error"), [
    ("2077474-1", business_id.BAD_CHECKSUM),  # the check digit wrong
    ("2077474", business_id.BAD_FORMAT),  # no check digit
    ("12345", business_id.BAD_FORMAT),
    ("2077474-X", business_id.BAD_FORMAT),
    ("20774740-0", business_id.BAD_FORMAT),
    ("Y-2077474", business_id.BAD_FORMAT),
    # 0000006: 6 x 2 = 12, remainder 1: no check digit makes these digits an ID.
    ("0000006-0", business_id.REMAINDER_ONE),
    ("0000006-1", business_id.REMAINDER_ONE),
    # 1000008: 1 x 7 + 8 x 2 = 23, remainder 1, whatever the check digit typed.
    ("1000008-0", business_id.REMAINDER_ONE),
    ("10000089", business_id.REMAINDER_ONE),
    ("", service.REQUIRED),
])
def test_a_wrong_business_id_is_refused_with_its_reason(coach, typed, error):
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.save_employer(employer(bid=typed))
    assert caught.value.errors == {"business_id": error}


@pytest.mark.parametrize("typed", ["2077474-0", "20774740", " 2077474 - 0 ", "FI20774740"])
def test_a_business_id_in_any_accepted_spelling_is_stored_formatted(coach, typed):
    row = coach.employers.save_employer(employer(bid=typed))
    assert row.business_id == "2077474-0"
    assert row.id == employer_id("2077474-0")  # the one id on every workstation
    assert coach.employers.find(typed).id == row.id
    assert coach.employers.find(row.id).id == row.id


def test_the_other_fields_are_checked(coach):
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.save_employer(employer(
            name=" ", municipality="", industry="Z", size_class="huge", email="x@",
            phone="12 ab", postal_code="960", website="not a site"))
    assert caught.value.errors == {
        "name": service.REQUIRED, "municipality": service.REQUIRED,
        "industry": service.BAD_INDUSTRY, "size_class": service.BAD_SIZE,
        "email": service.BAD_EMAIL, "phone": service.BAD_PHONE,
        "postal_code": service.BAD_POSTAL_CODE, "website": service.BAD_WEBSITE}
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.save_employer(employer(name="A\u202eB", team_id="no-such-team"))
    assert set(caught.value.errors) == {"name"}
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.save_employer(employer(team_id="no-such-team",
                                               contact_staff_id="staff-desk"))
    # The desk edits no employers, so it is no employer's named contact.
    assert caught.value.errors == {"team_id": service.UNKNOWN_TEAM,
                                   "contact_staff_id": service.UNKNOWN_STAFF}


def test_save_edit_and_what_is_refused(coach):
    row = coach.employers.save_employer(employer(
        industry="i", size_class="small", email="Info@Kelo.FI", phone="040 123 4567",
        team_id="team-1", contact_staff_id="staff-lead", note="Kausityö"))
    assert (row.industry, row.size_class, row.team_name, row.contact_staff_name) == (
        "I", "small", "Työnvälitys", "Liisa Lead")
    detail = coach.employers.employer(row.id)
    assert detail.form.email == "info@kelo.fi" and detail.form.note == "Kausityö"
    # Edited: the id stays, an emptied field is cleared.
    edited = coach.employers.save_employer(
        employer("Kelo Oy", "20774740", email="", team_id="team-1"), row.id)
    assert edited.id == row.id and edited.name == "Kelo Oy"
    assert coach.employers.employer(row.id).form.email == ""
    assert edited.contact_staff_name == ""
    # A registered employer's business ID never changes (its id is derived from it).
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.save_employer(employer("Kelo Oy", "0112038-9"), row.id)
    assert caught.value.errors == {"business_id": service.ID_FIXED}
    # A new employer with a taken business ID: the error names the one registered.
    with pytest.raises(service.EmployerExists) as exists:
        coach.employers.save_employer(employer("Toinen Oy", "FI20774740"))
    assert exists.value.existing_id == row.id
    assert "Kelo Oy" in exists.value.text() and "Kelo Oy" in exists.value.errors[
        "business_id"]
    with coach.ctx.session_factory() as s:
        assert len(s.scalars(select(Employer)).all()) == 1
        tables = set(s.scalars(select(OutboxEntry.table_name)))
    assert "employer" in tables
    events = audit(coach, "employer.create") + audit(coach, "employer.update")
    assert len(events) == 2
    assert all("Kelo" not in (e.detail or "") for e in events)
    off = coach.employers.set_active(row.id, False)
    assert not off.active
    assert coach.employers.search("Kelo") == []
    assert [r.id for r in coach.employers.search("Kelo", include_inactive=True)] == [row.id]


def test_the_desk_reads_but_does_not_write_and_sees_no_persons(services):
    coach = as_role(services, "coach")
    row = coach.employers.save_employer(employer())
    person = coach.employers.save_person(row.id, PersonInput("Maija Mänty", "HR",
                                                             "040 765 4321", "maija@kelo.fi"))
    coach.employers.record_contact(row.id, ContactInput(TODAY, "phone", "recruitment",
                                                        person.id, "Kesätyöt"))
    assert [p.name for p in coach.employers.employer(row.id).persons] == ["Maija Mänty"]
    views = audit(coach, "employer.view")
    assert len(views) == 1 and "Maija" not in (views[0].detail or "")

    desk = as_role(services, "desk")
    assert [r.id for r in desk.employers.search("kelo")] == [row.id]
    assert desk.employers.find("2077474-0").name == row.name
    detail = desk.employers.employer(row.id)
    assert detail.employer.name == row.name
    assert detail.persons == [] and detail.contacts == []
    assert detail.last_contact_on is None
    assert len(audit(desk, "employer.view")) == 1  # no persons shown: nothing to audit
    with pytest.raises(PermissionDenied):
        desk.employers.save_employer(employer(name="Desk Oy"), row.id)
    with pytest.raises(PermissionDenied):
        desk.employers.save_person(row.id, PersonInput("X"))
    with pytest.raises(PermissionDenied):
        desk.employers.record_contact(row.id, ContactInput(TODAY))
    with pytest.raises(PermissionDenied):
        desk.employers.contacts(row.id)
    with pytest.raises(PermissionDenied):
        desk.employers.follow_ups()
    assert ("staff-desk", "Tiina Tiski") not in desk.employers.staff_choices()
    assert ("staff-coach", "Pekka Ylitalo") in desk.employers.staff_choices()


def test_persons(coach):
    row = coach.employers.save_employer(employer())
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.save_person(row.id, PersonInput("", phone="1", email="a@b"))
    assert caught.value.errors == {"name": service.REQUIRED, "phone": service.BAD_PHONE,
                                   "email": service.BAD_EMAIL}
    p = coach.employers.save_person(row.id, PersonInput("Maija Mänty", "HR"))
    edited = coach.employers.save_person(row.id, PersonInput("Maija Mänty", "CEO"), p.id)
    assert edited.id == p.id and edited.role == "CEO"
    gone = coach.employers.set_person_active(p.id, False)
    assert not gone.active
    assert coach.employers.persons(row.id) == []
    assert [x.id for x in coach.employers.persons(row.id, include_inactive=True)] == [p.id]
    other = coach.employers.save_employer(employer("Muu Oy", "0112038-9"))
    with pytest.raises(NotFound):  # a person is edited under their own employer
        coach.employers.save_person(other.id, PersonInput("Maija Mänty"), p.id)
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.record_contact(other.id, ContactInput(TODAY, person_id=p.id))
    assert caught.value.errors == {"person_id": service.OTHER_EMPLOYERS_PERSON}


def test_a_contact_is_never_in_the_future_nor_its_follow_up_before_it(coach):
    row = coach.employers.save_employer(employer())
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.record_contact(row.id, ContactInput(
            TODAY + timedelta(days=1), channel="fax", topic="gossip"))
    assert caught.value.errors == {"contacted_on": service.FUTURE,
                                   "channel": service.BAD_CHANNEL,
                                   "topic": service.BAD_TOPIC}
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.record_contact(row.id, ContactInput(
            TODAY, follow_up_on=TODAY - timedelta(days=1)))
    assert caught.value.errors == {"follow_up_on": service.FOLLOW_UP_EARLY}
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.record_contact(row.id, ContactInput(None))
    assert caught.value.errors == {"contacted_on": service.REQUIRED}
    # The employer's timeline: newest first.
    for days in (30, 2, 10):
        coach.employers.record_contact(row.id, ContactInput(TODAY - timedelta(days=days),
                                                            "visit", "training"))
    assert [c.contacted_on for c in coach.employers.contacts(row.id)] == [
        TODAY - timedelta(days=2), TODAY - timedelta(days=10), TODAY - timedelta(days=30)]
    detail = coach.employers.employer(row.id)
    assert detail.first_contact_on == TODAY - timedelta(days=30)
    assert detail.last_contact_on == TODAY - timedelta(days=2)


def test_follow_ups_appear_in_today_until_done(coach):
    mine = coach.employers.save_employer(employer())
    # The lead is the named contact of this one: its follow-ups go to the lead.
    leads = coach.employers.save_employer(employer("Ranuan Saha Oy", "0112038-9",
                                                   contact_staff_id="staff-lead"))
    record = coach.employers.record_contact
    overdue = record(mine.id, ContactInput(TODAY - timedelta(days=20), "visit",
                                           "recruitment", follow_up_on=TODAY - timedelta(
                                               days=3)))
    this_week = record(mine.id, ContactInput(TODAY, "phone", "pay_subsidy",
                                             follow_up_on=date(2026, 11, 29)))
    record(mine.id, ContactInput(TODAY, "phone", "other", follow_up_on=date(2026, 11, 30)))
    record(mine.id, ContactInput(TODAY, "email", "other"))  # no follow-up
    to_lead = record(leads.id, ContactInput(TODAY, "visit", "training",
                                            follow_up_on=TODAY))
    assert to_lead.follow_up_by_name == "Liisa Lead"
    named = record(leads.id, ContactInput(TODAY, "visit", "training", follow_up_on=TODAY,
                                          follow_up_by="staff-coach"))
    assert named.follow_up_by_name == "Pekka Ylitalo"

    assert [c.id for c in coach.employers.follow_ups()] == [overdue.id, named.id,
                                                           this_week.id]
    assert [c.id for c in coach.employers.follow_ups("staff-lead")] == [to_lead.id]
    items = [i for i in coach.clock.worklist() if i.kind == "employer_followup"]
    assert [(i.detail, i.name, i.due_on, i.overdue, i.customer_id) for i in items] == [
        (overdue.id, mine.name, TODAY - timedelta(days=3), True, ""),
        (named.id, leads.name, TODAY, False, ""),
        (this_week.id, mine.name, date(2026, 11, 29), False, "")]

    with pytest.raises(ValidationFailed):
        coach.employers.follow_up_done(overdue.id, TODAY + timedelta(days=1))
    done = coach.employers.follow_up_done(overdue.id)
    assert done.follow_up_done_on == TODAY
    assert overdue.id not in [c.id for c in coach.employers.follow_ups()]
    assert overdue.id not in [i.detail for i in coach.clock.worklist()]
    plain = record(mine.id, ContactInput(TODAY, "email", "other"))
    with pytest.raises(ValidationFailed) as caught:
        coach.employers.follow_up_done(plain.id)
    assert caught.value.errors == {"follow_up_on": service.NO_FOLLOW_UP}


def test_keyset_paging_and_search(coach):
    ids = valid_ids(9)
    names = ["Lapin Kone Oy", "Äkäs Hotelli Oy", "Ranuan Puu Oy", "Aaltonen Tmi",
             "Rovaniemen Leipä Oy", "Napapiirin Huolto Oy", "Kemijoen Rakennus Oy",
             "Ounas Kuljetus Oy", "Lapin Marjat Oy"]
    for name, bid in zip(names, ids, strict=True):
        coach.employers.save_employer(employer(name, bid))
    seen = []
    after = None
    while True:
        page = coach.employers.search(after=after, limit=4)
        seen.extend(r.name for r in page)
        if len(page) < 4:
            break
        after = (page[-1].sort_key, page[-1].id)
    assert seen == sorted(names)  # every one, once, by name
    assert coach.employers.count() == 9
    assert [r.name for r in coach.employers.search("lapin")] == ["Lapin Kone Oy",
                                                                 "Lapin Marjat Oy"]
    assert [r.name for r in coach.employers.search("marjat lapin")] == ["Lapin Marjat Oy"]
    assert [r.name for r in coach.employers.search("äkäs")] == ["Äkäs Hotelli Oy"]
    assert [r.business_id for r in coach.employers.search(ids[4].replace("-", ""))] == [
        ids[4]]
    assert [r.business_id for r in coach.employers.search(ids[4])] == [ids[4]]
    assert coach.employers.search("100%") == []
    with pytest.raises(NotFound):
        coach.employers.find("1234567-8")


def test_the_demo_register(tmp_path):
    """The demo's employers: valid and unique business IDs (their ids derived from them),
    one to three persons each, a year of contacts never in the future, follow-ups never
    before their contact, and the demo coach's Today with some overdue and some due."""
    from app.db.engine import local_engine
    from app.db.migrate import upgrade
    from app.demo.area import build_demo
    from app.models import EmployerContact, EmployerPerson, Staff

    today = date(2025, 11, 12)  # a Wednesday
    engine = local_engine(tmp_path / "demo.sqlite3")
    upgrade(engine)
    build_demo(engine, seed=3, scale=0.05, today=today)
    with engine.connect() as conn:
        found = conn.execute(select(Employer.id, Employer.business_id)).all()
        persons = conn.execute(select(EmployerPerson.employer_id)).scalars().all()
        contacts = conn.execute(select(
            EmployerContact.contacted_on, EmployerContact.follow_up_on,
            EmployerContact.follow_up_done_on, EmployerContact.follow_up_by)).all()
        coach = conn.execute(select(Staff.id).where(Staff.username == "coach")).scalar_one()
    engine.dispose()
    assert len(found) >= 40  # the least the demo makes at any scale
    assert len({bid for _i, bid in found}) == len(found)
    for row_id, bid in found:
        assert business_id.check(bid).value == bid and row_id == employer_id(bid)
    per_employer = {i: persons.count(i) for i, _b in found}
    assert set(per_employer.values()) <= {1, 2, 3}
    assert contacts and all(c.contacted_on <= today for c in contacts)
    assert all(c.contacted_on >= today - timedelta(days=366) for c in contacts)
    assert all(c.follow_up_on >= c.contacted_on for c in contacts if c.follow_up_on)
    assert all(c.contacted_on <= c.follow_up_done_on <= today
               for c in contacts if c.follow_up_done_on)
    open_ones = [c.follow_up_on for c in contacts
                 if c.follow_up_by == coach and c.follow_up_on and not c.follow_up_done_on]
    week_end = today + timedelta(days=6 - today.weekday())
    assert sum(1 for d in open_ones if d < today) >= 2
    assert sum(1 for d in open_ones if today <= d <= week_end) >= 3


def test_departed_contact_persons_are_erased_when_their_retention_ends(services):
    """A contact person is personal data kept as a customer's: once they are no longer
    active and their last activity is older than the retention period (5 years), an
    administrator's erasure clears them; a recent or active one stays; a coach may not."""
    coach = as_role(services, "coach")
    row = coach.employers.save_employer(employer())
    left = coach.employers.save_person(row.id, PersonInput("Lähtenyt Henkilö", "HR",
                                                           "040 123 4567", "l@h.example"))
    stays = coach.employers.save_person(row.id, PersonInput("Pysyvä Henkilö"))
    recent = coach.employers.save_person(row.id, PersonInput("Äsken Lähtenyt"))
    coach.employers.set_person_active(left.id, False)
    coach.employers.record_contact(row.id, ContactInput(TODAY, person_id=recent.id))
    coach.ctx.now.advance(minutes=(5 * 365 - 30) * 24 * 60)
    coach.employers.set_person_active(recent.id, False)
    with pytest.raises(PermissionDenied):
        coach.employers.erase_departed_persons()
    admin = services
    admin.auth.sign_out()
    admin.auth.sign_in("admin", "demo")
    assert admin.employers.erase_departed_persons() == 0  # not five years yet
    admin.ctx.now.advance(minutes=40 * 24 * 60)
    assert admin.employers.erase_departed_persons(dry_run=True) == 1
    assert admin.employers.erase_departed_persons() == 1
    with admin.ctx.session_factory() as s:
        from app.models import EmployerPerson

        gone = s.get(EmployerPerson, left.id)
        assert (gone.name, gone.role, gone.phone, gone.email) == ("", None, None, None)
        assert gone.deleted_at is not None
        assert s.get(EmployerPerson, stays.id).name == "Pysyvä Henkilö"
        assert s.get(EmployerPerson, recent.id).name == "Äsken Lähtenyt"
    [event] = audit(admin, "employer_person.erase")
    assert "Lähtenyt" not in (event.detail or "")


def test_a_code_of_several_lists_is_labelled_by_its_own_list():
    """"other" is a topic of a contact and a vacancy's working hours."""
    from app.rules.codes import EmployerTopic, VacancyHours
    from app.views.employers.texts import code_label

    assert code_label("other", VacancyHours) == "Muu työaika"
    assert code_label("other", EmployerTopic) == "Muu aihe"
