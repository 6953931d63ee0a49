"""The employer register between workstations through the central PostgreSQL, as the real
staff roles (#22). Two desks edit the same employer offline: different fields merge, the
same field changed two ways is a conflict kept for a person (the first push's value
standing); two desks that register the same company offline write one row, because its
id comes from its business ID. The desk's copy holds the register and the vacancies,
never the contact persons, the contacts or the job tips; a tip made on one desk and
settled on another arrives on both."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.models import (
    Employer,
    EmployerContact,
    EmployerPerson,
    JobProposal,
    SyncConflict,
    Vacancy,
    new_id,
)
from app.rules.codes import EmployerChannel, EmployerTopic, ProposalOutcome, VacancyStatus
from app.rules.employers import employer_id, proposal_id
from app.rules.permissions import Permission
from tests.factories import customer_input
from tests.integration.test_sync import assert_converged
from tests.integration.test_sync_referrals import _synced, central

BID = "2541212-4"
EMP = employer_id(BID)


@pytest.fixture
def area(make_desk):
    return functools.partial(make_desk, as_staff=True)


def _world(area):
    """The administrator's seed: an employer with a contact person, a contact and an open
    vacancy, and a customer in the coach's caseload."""
    seeder = area("seed", seed=True, as_staff=False)
    services = seeder.sign_in("admin")
    today = services.ctx.today()
    card = services.customers.create(customer_input(
        "Mäkelä", "Aino", date(1985, 3, 12), 124,
        jobseeker_registered_on=today - timedelta(days=200)))
    services.coaching.assign(card.id, "staff-coach", "Alkuhaastattelu")
    ids = {"customer": card.id, "vacancy": new_id(), "person": new_id(),
           "contact": new_id()}
    with services.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
        s.add(Employer(id=EMP, business_id=BID, name="Lapin Rakennus Oy",
                       municipality="Rovaniemi", active=True))
        s.flush()
        s.add(EmployerPerson(id=ids["person"], employer_id=EMP, name="Matti Esimies",
                             role="Työnjohtaja", active=True))
        s.add(EmployerContact(id=ids["contact"], employer_id=EMP,
                              contacted_on=today - timedelta(days=3),
                              staff_id="staff-coach", channel=EmployerChannel.VISIT,
                              topic=EmployerTopic.RECRUITMENT, summary="Kevään rekrytoinnit",
                              follow_up_on=today + timedelta(days=2),
                              follow_up_by="staff-coach"))
        s.add(Vacancy(id=ids["vacancy"], employer_id=EMP, title="Kirvesmies",
                      municipality="Rovaniemi", positions=2, opened_on=today,
                      status=VacancyStatus.OPEN))
    seeder.sync()
    return seeder, ids


def _edit(desk, **values):
    with desk.services.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
        row = s.get(Employer, EMP)
        for key, value in values.items():
            setattr(row, key, value)


def _employer(desk):
    with desk.services.ctx.session_factory() as s:
        row = s.get(Employer, EMP)
        return (row.name, row.phone, row.website)


def test_two_desks_editing_one_employer_merge_by_field_and_keep_the_conflict(
        area, staff_central):
    _seeder, _ids = _world(area)
    a, b = area("a"), area("b")
    a.sign_in("coach")
    b.sign_in("lead")
    _synced(a)
    _synced(b)
    # Offline: the coach corrects the phone and the name, the lead the web site and the
    # name another way.
    _edit(a, phone="016 123 4567", name="Lapin Rakennus ja Remontti Oy")
    _edit(b, website="https://lapinrakennus.example", name="Lapin Rakennus Oy (Rovaniemi)")
    _synced(a)
    report = b.sync()
    assert report.rejected == 0
    for _ in range(2):
        _synced(a)
        _synced(b)
    want = ("Lapin Rakennus ja Remontti Oy", "016 123 4567", "https://lapinrakennus.example")
    assert _employer(a) == want
    assert _employer(b) == want
    rows = central(staff_central, "SELECT table_name, row_id, field, status FROM sync_conflict")
    assert rows == [("employer", EMP, "name", "open")]
    assert a.services.sync.conflicts()  # the coach may write the row: sees it too
    with b.services.ctx.session_factory() as s:  # the lead sees it, to decide
        assert [(c.table_name, c.field) for c in s.scalars(select(SyncConflict))] == [
            ("employer", "name")]
    # Named by the employer, and resolved by the lead: the lead's name is kept.
    [conflict] = b.services.sync.conflicts()
    assert conflict.record_label == "Lapin Rakennus ja Remontti Oy"
    b.services.sync.resolve(conflict.id, "client")
    _synced(b)
    _synced(a)
    assert _employer(a)[0] == _employer(b)[0] == "Lapin Rakennus Oy (Rovaniemi)"
    assert_converged(staff_central, a, b)


def test_the_same_company_registered_on_two_desks_offline_is_one_employer(
        area, staff_central):
    _world(area)
    a, b = area("a"), area("b")
    a.sign_in("coach")
    b.sign_in("lead")
    _synced(a)
    _synced(b)
    other = "0112038-9"
    for desk, phone in ((a, "040 111 2222"), (b, None)):
        with desk.services.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            s.add(Employer(id=employer_id(other), business_id=other, name="Ranuan Saha Oy",
                           municipality="Ranua", phone=phone, active=True))
    _synced(a)
    _synced(b)
    _synced(a)
    assert central(staff_central, "SELECT count(*) FROM employer WHERE business_id = :bid",
                   bid=other) == [(1,)]
    for desk in (a, b):
        with desk.services.ctx.session_factory() as s:
            assert s.scalar(select(func.count()).select_from(Employer)
                            .where(Employer.business_id == other)) == 1
    assert_converged(staff_central, a, b)


def test_the_desk_holds_the_register_and_a_tip_made_on_one_desk_is_settled_on_another(
        area, staff_central):
    _seeder, ids = _world(area)
    desk, a, b = area("desk"), area("a"), area("b")
    desk.sign_in("desk")
    a.sign_in("coach")
    b.sign_in("lead")
    for d in (desk, a, b):
        _synced(d)
    with desk.services.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Employer)) == 1
        assert s.scalar(select(func.count()).select_from(Vacancy)) == 1
        for model in (EmployerPerson, EmployerContact):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model
    tip = proposal_id(ids["vacancy"], ids["customer"])
    today = a.services.ctx.today()
    with a.services.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
        s.add(JobProposal(id=tip, vacancy_id=ids["vacancy"], customer_id=ids["customer"],
                          proposed_by="staff-coach", proposed_on=today,
                          shared="Ammattitutkinto, oma auto"))
    _synced(a)
    _synced(b)
    with b.services.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
        row = s.get(JobProposal, tip)
        assert row is not None and row.shared == "Ammattitutkinto, oma auto"
        row.outcome, row.outcome_on = ProposalOutcome.HIRED, today
    _synced(b)
    _synced(a)
    _synced(desk)
    with a.services.ctx.session_factory() as s:
        assert s.get(JobProposal, tip).outcome == ProposalOutcome.HIRED
    with desk.services.ctx.session_factory() as s:
        assert s.get(JobProposal, tip) is None  # case work: never the desk's
    assert central(staff_central, "SELECT outcome, updated_by FROM job_proposal") == [
        ("hired", "staff-lead")]
    assert_converged(staff_central, a, b)
