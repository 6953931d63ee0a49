"""The per-customer summary of the statutory steps (app.services.reports.timeliness_steps)
across a real PostgreSQL: a meeting held on one desk reaches another by pull, whose
trigger marks the customer's steps to be computed again there, so the other desk's
timeliness report counts it; the summary's tables never reach the centre."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import text

from app.dto.reports import ReportFilter
from app.models import Appointment
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.services.reports import timeliness, timeliness_steps
from tests.factories import customer_input


def _dirty(desk) -> set[str]:
    with desk.services.ctx.engine.connect() as conn:
        return {row[0] for row in conn.exec_driver_sql(
            "SELECT customer_id FROM timeliness_dirty")}


def _report(services, f: ReportFilter, direct: bool = False):
    inputs = services.reports.inputs()
    with services.ctx.reading() as s:
        table = timeliness.report("initial_interviews_on_time", s, f, inputs, direct=direct)
    return table.rows, table.members


def test_a_pulled_meeting_marks_its_customer_and_reaches_the_report(make_desk,
                                                                     staff_central):
    a = make_desk("a", seed=True)
    services = a.sign_in("admin")
    today = services.ctx.today()
    registered = today - timedelta(days=60)
    card = services.customers.create(customer_input(
        "Mäkelä", "Aino", date(1985, 3, 12), 124,
        jobseeker_registered_on=registered))
    a.sync()

    b = make_desk("b")
    b.sync()
    lead = b.services  # the report functions themselves: no sign-in needed
    period = ReportFilter(registered, today)
    assert card.id in _dirty(b)  # pulled: computed at the first report
    before = _report(lead, period)
    assert _dirty(b) == set()
    assert before == _report(lead, period, direct=True)
    assert card.id in before[1][(0, "not_yet_held")]

    held = datetime.combine(registered + timedelta(days=5), time(10), tzinfo=UTC)
    with services.ctx.session_factory.begin() as s:
        s.add(Appointment(customer_id=card.id, staff_id="staff-coach",
                          service_point_id="sp-rov", type=AppointmentType.INITIAL_INTERVIEW,
                          channel=Channel.SERVICE_POINT, status=AppointmentStatus.DONE,
                          starts_at=held, ends_at=held + timedelta(hours=1)))
    a.sync()
    b.engine.sync_once()
    assert _dirty(b) == {card.id}  # the pull's insert fired the trigger
    after = _report(lead, period)
    assert after == _report(lead, period, direct=True)
    assert card.id not in after[1].get((0, "not_yet_held"), ())
    assert _dirty(b) == set()

    with staff_central.connect() as conn:
        tables = set(conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    assert not tables & set(timeliness_steps.TABLES)
