"""The figures of multi-professional work (#24) on the local SQLite against a small
fixture worked out by hand: meetings held by partner, plans by type made and reviewed on
time, consents given and withdrawn by partner; the customers behind the figures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.dto.reports import ReportFilter
from app.models import Appointment, Plan, PlanVersion, ServicePoint
from app.models.partner import CustomerConsent, MeetingParticipant, PartnerOrg, PartnerPerson
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    Channel,
    PartnerKind,
    PlanStatus,
    PlanType,
    ServicePointMode,
)
from app.rules.partners import participant_id
from app.services.reports.members import TOTAL_ROW
from tests.factories import Clock, customer_input

NOVEMBER = ReportFilter(date(2026, 11, 1), date(2026, 11, 30))
RANUA = ReportFilter(date(2026, 11, 1), date(2026, 11, 30), service_point_id="sp-ran")
A = AppointmentStatus


def utc(month, day, hour=10):
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def area(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("admin", "demo")
    people = [services.customers.create(customer_input(last, "Testi", date(1980, 1, 1), n)).id
              for last, n in (("Aalto", 101), ("Berg", 102), ("Croft", 103))]
    a, b, c = people
    with services.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.APPOINTMENT))
        s.add_all([PartnerOrg(id="county", name="Lapin hyvinvointialue",
                              kind=PartnerKind.WELLBEING_COUNTY),
                   PartnerOrg(id="kela", name="Kela Rovaniemi", kind=PartnerKind.KELA)])
        s.flush()
        s.add_all([PartnerPerson(id="p1", partner_org_id="county", full_name="Riikka S"),
                   PartnerPerson(id="p2", partner_org_id="county", full_name="Jussi H"),
                   PartnerPerson(id="k1", partner_org_id="kela", full_name="Sari S")])

        def consent(cid, customer, org, since, until=None, withdrawn=None):
            s.add(CustomerConsent(id=cid, customer_id=customer, partner_org_id=org,
                                  purpose="x", information="contact,plan", valid_from=since,
                                  valid_until=until, withdrawn_on=withdrawn))

        consent("c1", a, "county", date(2026, 10, 1))
        consent("c2", a, "kela", date(2026, 11, 3), withdrawn=date(2026, 11, 21))
        consent("c3", b, "county", date(2026, 11, 10), until=date(2026, 11, 29))
        consent("c4", c, "county", date(2026, 12, 1))
        s.flush()

        def meeting(aid, customer, month, day, status, *who):
            s.add(Appointment(id=aid, customer_id=customer, staff_id="staff-coach",
                              service_point_id="sp-rov",
                              type=AppointmentType.MULTI_PROFESSIONAL,
                              channel=Channel.SERVICE_POINT, status=status,
                              starts_at=utc(month, day), ends_at=utc(month, day, 11)))
            s.flush()
            for person, staff, attended in who:
                s.add(MeetingParticipant(id=participant_id(aid, person or staff),
                                         appointment_id=aid, customer_id=customer,
                                         partner_person_id=person, staff_id=staff,
                                         attended=attended))

        meeting("m1", a, 11, 10, A.DONE, ("p1", None, True), ("k1", None, None))
        meeting("m2", b, 11, 12, A.DONE, ("p2", None, False), (None, "staff-lead", True))
        meeting("m3", a, 11, 20, A.DONE, ("p1", None, True))
        meeting("m4", c, 11, 25, A.BOOKED, ("p1", None, None))
        meeting("m5", b, 10, 5, A.DONE, ("p2", None, True))

        def plan(pid, customer, kind, *versions):
            s.add(Plan(id=pid, customer_id=customer, plan_type=kind, coach_id="staff-coach"))
            s.flush()
            for number, (status, accepted, review) in enumerate(versions, start=1):
                s.add(PlanVersion(id=f"{pid}{number}", plan_id=pid, number=number,
                                  status=status, accepted_at=accepted,
                                  next_review_on=review))

        plan("E", a, PlanType.EMPLOYMENT,
             (PlanStatus.SUPERSEDED, utc(8, 1), date(2026, 11, 5)),
             (PlanStatus.ACCEPTED, utc(11, 4), date(2027, 2, 4)))
        plan("M", b, PlanType.MULTI_PROFESSIONAL,
             (PlanStatus.ACCEPTED, utc(11, 12), date(2026, 11, 20)))
        plan("A", c, PlanType.ACTIVATION,
             (PlanStatus.SUPERSEDED, utc(9, 1), date(2026, 11, 10)),
             (PlanStatus.ACCEPTED, utc(11, 15), date(2027, 2, 15)))
        plan("I", c, PlanType.INTEGRATION,
             (PlanStatus.ACCEPTED, utc(11, 2), date(2026, 11, 30)))
    services.people = people
    return services


def test_meetings_held_by_partner(area):
    a, b, _c = area.people
    table = area.reports.run("partner_meetings", NOVEMBER)
    assert table.rows == (("Lapin hyvinvointialue", 2, 1, 1), ("Kela Rovaniemi", 1, 1, 1),
                          ("Staff only (no partner)", 1, 1, 0))
    assert table.total[1:] == (3, 2, 2)
    assert table.members_of(0, "meetings") == (a, a)
    assert table.members_of(2, "customers") == (b,)
    assert sorted(table.members_of(TOTAL_ROW, "customers")) == sorted([a, b])
    assert area.reports.run("partner_meetings", RANUA).rows == ()


def test_plans_by_type_made_and_reviewed_on_time(area):
    table = area.reports.run("plans_by_type", NOVEMBER)
    assert [r[1:] for r in table.rows] == [
        (0, 1, 1, 1, 0, 0, 1.0),  # employment: a review on time
        (1, 0, 1, 0, 0, 1, 0.0),  # multi-professional: the review overdue
        (0, 1, 1, 0, 1, 0, 0.0),  # activation: reviewed late
        (1, 0, 1, 0, 0, 0, None),  # integration: the review not yet due
    ]
    assert table.total[1:] == (2, 2, 4, 1, 1, 1, pytest.approx(1 / 3))
    _a, b, _c = area.people
    assert table.members_of(1, "overdue") == (b,)


def test_consents_given_and_withdrawn_by_partner(area):
    a, b, _c = area.people
    table = area.reports.run("partner_consents", NOVEMBER)
    assert table.rows == (("Kela Rovaniemi", 1, 1, 0), ("Lapin hyvinvointialue", 1, 0, 1))
    assert table.total[1:] == (2, 1, 1)
    assert table.members_of(0, "withdrawn") == (a,)
    assert table.members_of(1, "given") == (b,)
    assert area.reports.run("partner_consents", RANUA).rows == ()
