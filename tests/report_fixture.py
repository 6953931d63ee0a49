"""A small area for the report tests, each figure of which is worked out by hand in
tests/unit/test_reports.py. Times are local (Helsinki, UTC+2 in November)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.dto.reports import ReportFilter
from app.i18n import HELSINKI
from app.models import (
    Appointment,
    Customer,
    Feedback,
    Plan,
    PlanVersion,
    ServicePoint,
    Staff,
    Team,
    Visit,
)
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    Channel,
    PlanStatus,
    PlanType,
    Role,
    ServiceArea,
    ServicePointMode,
)
from app.services.registry import Services

TODAY = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
NOVEMBER = ReportFilter(date(2026, 11, 2), date(2026, 11, 15))
A = ServiceArea


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HELSINKI).astimezone(UTC)


def build(services: Services) -> None:
    services.ctx.now = lambda: TODAY
    with services.ctx.session_factory.begin() as s:
        s.add_all([
            ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                         mode=ServicePointMode.APPOINTMENT),
            Team(id="team-2", name="Osaaminen", service_area=A.SKILLS),
        ])
        s.flush()
        s.add(Staff(id="staff-coach2", username="riikka", full_name="Riikka Ranua",
                    role=Role.COACH, team_id="team-2", service_point_id="sp-ran"))
        s.flush()
        for cid, home, point, coach, since, active in (
            ("c1", "Rovaniemi", "sp-rov", "staff-coach", date(2026, 7, 26), True),
            ("c2", "Ranua", "sp-ran", "staff-coach2", date(2026, 8, 10), True),
            ("c3", "Kemi", "sp-rov", "staff-coach", None, True),
            ("c4", "Rovaniemi", "sp-rov", "staff-coach", date(2026, 7, 26), False),
        ):
            s.add(Customer(id=cid, customer_number=cid.upper(), first_names="Testi",
                           last_name=cid, sort_name=cid, home_municipality=home,
                           service_point_id=point, coach_id=coach, unemployed_since=since,
                           active=active))
        s.flush()
        s.add_all(visits() + appointments() + feedback())
        s.flush()
        s.add_all(plans())


def _visit(vid: str, customer: str | None, point: str, channel: Channel, walk_in: bool,
           area: ServiceArea, staff: str, team: str, start: datetime, minutes: int,
           wait: int | None = None) -> Visit:
    from datetime import timedelta

    return Visit(id=vid, customer_id=customer, service_point_id=point, channel=channel,
                 walk_in=walk_in, service_area=area, staff_id=staff, team_id=team,
                 started_at=start, ended_at=start + timedelta(minutes=minutes),
                 wait_minutes=wait)


def visits() -> list[Visit]:
    sp, ph, vi = Channel.SERVICE_POINT, Channel.PHONE, Channel.VIDEO
    return [
        _visit("v1", "c1", "sp-rov", sp, True, A.INITIAL, "staff-coach", "team-1",
               local(2, 9, 10), 20, wait=10),
        _visit("v2", "c1", "sp-rov", ph, False, A.FINDING_WORK, "staff-coach", "team-1",
               local(3, 13), 15),
        _visit("v3", None, "sp-rov", sp, True, A.INFORMATION, "staff-desk", "team-1",
               local(4, 9, 40), 5, wait=30),
        _visit("v4", "c2", "sp-ran", sp, False, A.INITIAL, "staff-coach2", "team-2",
               local(10, 10), 45),
        _visit("v5", "c3", "sp-rov", sp, True, A.SKILLS, "staff-coach", "team-1",
               local(11, 14, 20), 10, wait=20),
        # Late on the last Sunday: 21.30 UTC, still in the range in local time.
        _visit("v6", "c1", "sp-rov", vi, False, A.SKILLS, "staff-coach", "team-1",
               local(15, 23, 30), 30),
        # Outside the range in local time although inside it in UTC, and the reverse.
        _visit("v7", "c1", "sp-rov", ph, False, A.SKILLS, "staff-coach", "team-1",
               local(1, 23, 30), 10),
        _visit("v8", "c2", "sp-ran", ph, False, A.INITIAL, "staff-coach2", "team-2",
               local(16, 0, 30), 10),
        _visit("v9", None, "sp-rov", sp, True, A.INFORMATION, "staff-desk", "team-1",
               local(12, 9, 24), 6, wait=4),
    ]


def appointments() -> list[Appointment]:
    from datetime import timedelta

    S = AppointmentStatus
    rows = []
    for aid, staff, point, day, status in (
        ("a1", "staff-coach", "sp-rov", 3, S.DONE),
        ("a2", "staff-coach", "sp-rov", 5, S.NO_SHOW),
        ("a3", "staff-coach", "sp-rov", 6, S.CANCELLED),
        ("a4", "staff-coach2", "sp-ran", 10, S.NO_SHOW),
        ("a5", "staff-coach2", "sp-ran", 12, S.ARRIVED),
        ("a6", "staff-coach2", "sp-ran", 13, S.BOOKED),
        ("a7", "staff-coach", "sp-rov", 20, S.DONE),
        ("a8", "staff-coach", "sp-rov", 9, S.DONE),
    ):
        start = local(day, 10)
        rows.append(Appointment(id=aid, customer_id="c1", staff_id=staff, service_point_id=point,
                                type=AppointmentType.JOB_SEARCH_CONVERSATION,
                                channel=Channel.SERVICE_POINT, status=status, starts_at=start,
                                ends_at=start + timedelta(minutes=45)))
    return rows


def feedback() -> list[Feedback]:
    rows = []
    for fid, point, team, when, score, recommend in (
        ("f1", "sp-rov", "team-1", local(2, 10), 5, 10),
        ("f2", "sp-rov", "team-1", local(3, 10), 4, 9),
        ("f3", "sp-ran", "team-2", local(10, 11), 2, 3),
        ("f4", "sp-rov", "team-1", local(12, 10), 3, None),
        ("f5", "sp-rov", "team-1", local(30, 10, month=10), 1, 0),
    ):
        rows.append(Feedback(id=fid, service_point_id=point, channel=Channel.SERVICE_POINT,
                             team_id=team, answered_at=when, score=score, recommend=recommend))
    return rows


def plans() -> list[object]:
    P = PlanStatus
    rows: list[object] = [
        Plan(id="p1", customer_id="c1", plan_type=PlanType.EMPLOYMENT, coach_id="staff-coach"),
        Plan(id="p2", customer_id="c2", plan_type=PlanType.EMPLOYMENT,
             coach_id="staff-coach2"),
        Plan(id="p3", customer_id="c3", plan_type=PlanType.EMPLOYMENT, coach_id="staff-coach"),
    ]
    for vid, plan, number, status, accepted, review in (
        ("p1v1", "p1", 1, P.SUPERSEDED, local(3, 10), date(2026, 12, 3)),
        ("p1v2", "p1", 2, P.ACCEPTED, local(10, 10), date(2026, 11, 14)),
        ("p2v1", "p2", 1, P.ACCEPTED, local(1, 10, month=10), date(2026, 11, 5)),
        ("p3v1", "p3", 1, P.ACCEPTED, local(12, 10), date(2027, 2, 12)),
        ("p3v2", "p3", 2, P.DRAFT, None, None),
    ):
        rows.append(PlanVersion(id=vid, plan_id=plan, number=number, status=status,
                                accepted_at=accepted, next_review_on=review))
    return rows
