"""Job-search periods: closing and reopening a case, its dates and permissions, what it
does to the coach and the caseloads, and erasure once a closed case's retention ran out."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from app import cli, i18n
from app.models import AuditEvent, CoachAssignment, Customer, JobSearchPeriod, first_period_id
from app.rules.codes import CaseExitReason, CoachOnClose
from app.rules.permissions import Permission
from app.services.errors import Conflict, PermissionDenied, ValidationFailed
from tests.factories import Clock, customer_input

TODAY_UTC = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 24.11.2026 in Helsinki
TODAY = date(2026, 11, 24)


@pytest.fixture
def coach(signed_in):
    signed_in.ctx.now = Clock(TODAY_UTC)
    return signed_in


def new_customer(services, individual, registered=date(2026, 3, 2), coach_id=None):
    cid = services.customers.create(customer_input(
        "Testi", "Asiakas", date(1990, 1, 1), individual,
        jobseeker_registered_on=registered, unemployed_since=registered)).id
    if coach_id:
        services.coaching.assign(cid, coach_id, "Alkuhaastattelu")
    return cid


def audits(services, action):
    with services.ctx.session_factory() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def active(services, cid):
    with services.ctx.session_factory() as s:
        return s.get(Customer, cid).active


def load_of(services, staff_id):
    return next(r.active for r in services.coaching.caseloads(120).coaches
                if r.staff_id == staff_id)


def test_a_new_customer_opens_their_first_period_on_the_registration_day(coach):
    cid = new_customer(coach, 301)
    case = coach.case_periods.periods(cid)
    assert (case.status, case.opened_on, case.closed_on, case.reason) == (
        "open", date(2026, 3, 2), None, None)
    assert [p.id for p in case.periods] == [first_period_id(cid)]
    # Without a registration day the period opens today (the context clock's).
    other = coach.customers.create(customer_input("Toinen", "Asiakas", date(1991, 1, 1), 302)).id
    assert coach.case_periods.periods(other).opened_on == TODAY


def test_a_customer_without_period_rows_counts_as_one_open_period(coach):
    cid = new_customer(coach, 303)
    with coach.ctx.engine.begin() as conn:  # registered before the upgrade
        conn.execute(delete(JobSearchPeriod.__table__))
    case = coach.case_periods.periods(cid)
    assert (case.status, case.opened_on) == ("open", date(2026, 3, 2))
    coach.case_periods.close(cid, date(2026, 11, 20), CaseExitReason.STUDIES)
    with coach.ctx.session_factory() as s:
        row = s.get(JobSearchPeriod, first_period_id(cid))
        assert (row.opened_on, row.closed_on, row.exit_reason) == (
            date(2026, 3, 2), date(2026, 11, 20), CaseExitReason.STUDIES)


def test_close_then_reopen_keeps_the_history_newest_first(coach):
    cid = new_customer(coach, 304)
    case = coach.case_periods.close(cid, date(2026, 11, 2), "employed_open_market",
                                    "Sai työpaikan kaupasta", revision=None)
    assert (case.status, case.closed_on, case.reason) == (
        "closed", date(2026, 11, 2), "employed_open_market")
    assert active(coach, cid) is False
    case = coach.case_periods.reopen(cid, date(2026, 11, 20))
    assert (case.status, case.opened_on, case.closed_on) == ("open", date(2026, 11, 20), None)
    assert active(coach, cid) is True
    assert [(p.opened_on, p.closed_on, p.reason, p.outcome_note) for p in case.periods] == [
        (date(2026, 11, 20), None, None, ""),
        (date(2026, 3, 2), date(2026, 11, 2), "employed_open_market",
         "Sai työpaikan kaupasta")]
    # Audited with the reason's code only, never the note's text.
    closing = audits(coach, "case.close")
    assert len(closing) == 1 and json.loads(closing[0].detail)["reason"] == "employed_open_market"
    assert "Sai" not in closing[0].detail
    assert [a.entity_id for a in audits(coach, "case.reopen")] == [cid]


def test_closing_checks_the_date_and_the_reason(coach):
    cid = new_customer(coach, 305)
    for on, reason, field in (
        (TODAY + timedelta(days=1), "studies", "on"),  # in the future
        (date(2026, 3, 1), "studies", "on"),  # before the period began
        (None, "studies", "on"),
        (TODAY, "retired", "reason"),
        (TODAY, None, "reason"),
    ):
        with pytest.raises(ValidationFailed) as failed:
            coach.case_periods.close(cid, on, reason)
        assert field in failed.value.errors, (on, reason)
    with pytest.raises(ValidationFailed) as failed:
        coach.case_periods.close(cid, TODAY, "studies", coach="maybe")
    assert "coach" in failed.value.errors
    assert active(coach, cid) is True and not audits(coach, "case.close")
    # The period's first day and today are both allowed.
    coach.case_periods.close(cid, TODAY, "studies")
    with pytest.raises(Conflict):
        coach.case_periods.close(cid, TODAY, "studies")


def test_reopening_needs_a_day_after_the_last_end_and_not_in_the_future(coach):
    cid = new_customer(coach, 306)
    with pytest.raises(Conflict):
        coach.case_periods.reopen(cid, TODAY)  # open already
    coach.case_periods.close(cid, date(2026, 11, 10), "moved_away")
    for on in (date(2026, 11, 10), date(2026, 11, 9), TODAY + timedelta(days=1), None):
        with pytest.raises(ValidationFailed) as failed:
            coach.case_periods.reopen(cid, on)
        assert "on" in failed.value.errors
    coach.case_periods.reopen(cid, date(2026, 11, 11))
    assert active(coach, cid) is True


def test_a_stale_revision_is_refused(coach):
    cid = new_customer(coach, 307)
    shown = coach.case_periods.periods(cid)
    edited = dataclasses.replace(coach.customers.edit_form(cid), phone="040 123 4567")
    coach.customers.update(cid, edited, coach.customers.get(cid).revision)
    with pytest.raises(Conflict):
        coach.case_periods.close(cid, TODAY, "studies", revision=shown.revision)
    fresh = coach.case_periods.periods(cid)
    coach.case_periods.close(cid, TODAY, "studies", revision=fresh.revision)


def test_the_desk_sees_the_status_but_cannot_close_or_reopen(coach):
    cid = new_customer(coach, 308)
    coach.auth.sign_out()
    coach.auth.sign_in("desk", "demo")
    assert coach.case_periods.periods(cid).status == "open"
    with pytest.raises(PermissionDenied):
        coach.case_periods.close(cid, TODAY, "studies")
    with pytest.raises(PermissionDenied):
        coach.case_periods.reopen(cid, TODAY)


def test_only_the_own_coach_or_a_lead_closes_a_coached_case(coach):
    from app.models import Staff
    from app.rules.codes import Role

    with coach.ctx.session_factory.begin() as s:
        s.add(Staff(id="staff-coach2", username="coach2", full_name="Kaisa Toinen",
                    role=Role.COACH, team_id="team-1", service_point_id="sp-rov"))
    cid = new_customer(coach, 309, coach_id="staff-coach2")
    with pytest.raises(PermissionDenied):  # another coach's caseload
        coach.case_periods.close(cid, TODAY, "studies")
    coach.auth.sign_out()
    coach.auth.sign_in("lead", "demo")
    coach.case_periods.close(cid, TODAY, "studies", coach=CoachOnClose.KEEP)
    assert coach.case_periods.periods(cid).status == "closed"


def test_release_writes_the_assignment_and_the_caseload_falls(coach):
    released = new_customer(coach, 310, coach_id="staff-coach")
    kept = new_customer(coach, 311, coach_id="staff-coach")
    new_customer(coach, 312, coach_id="staff-coach")
    assert load_of(coach, "staff-coach") == 3
    assert [o.active for o in coach.coaching.coaches() if o.staff_id == "staff-coach"] == [3]
    coach.ctx.now.advance(60)  # the release comes after the assignments in the history
    coach.case_periods.close(released, TODAY, "employed_pay_subsidy",
                             coach=CoachOnClose.RELEASE)
    with coach.ctx.session_factory() as s:
        assert s.get(Customer, released).coach_id is None
        rows = s.scalars(select(CoachAssignment).where(
            CoachAssignment.customer_id == released)).all()
    assert sorted((r.coach_id or "", r.previous_coach_id or "") for r in rows) == [
        ("", "staff-coach"), ("staff-coach", "")]
    history = coach.coaching.history(released)
    assert history[0].previous_coach_name == "Pekka Ylitalo" and history[0].coach_name is None
    coach.case_periods.close(kept, date(2026, 11, 19), "studies", coach=CoachOnClose.KEEP)
    with coach.ctx.session_factory() as s:
        assert s.get(Customer, kept).coach_id == "staff-coach"  # named, not counted
    assert load_of(coach, "staff-coach") == 1
    assert {c.id for c in coach.coaching.caseload_customers("staff-coach")}.isdisjoint(
        {released, kept})
    # A closed case is no longer one that nobody coaches, either.
    assert coach.coaching.caseloads(120).unassigned == 0
    coach.case_periods.reopen(kept, TODAY)
    assert load_of(coach, "staff-coach") == 2


def test_a_leaving_coach_moves_open_cases_only(coach):
    from app.models import Staff
    from app.rules.codes import Role

    with coach.ctx.session_factory.begin() as s:
        s.add(Staff(id="staff-coach2", username="coach2", full_name="Kaisa Toinen",
                    role=Role.COACH, team_id="team-1", service_point_id="sp-rov"))
    open_one = new_customer(coach, 313, coach_id="staff-coach")
    closed = new_customer(coach, 314, coach_id="staff-coach")
    coach.case_periods.close(closed, TODAY, "studies", coach=CoachOnClose.KEEP)
    coach.auth.sign_out()
    coach.auth.sign_in("lead", "demo")
    assert coach.coaching.reassign_all("staff-coach", "Vuorotteluvapaa") == {"staff-coach2": 1}
    with coach.ctx.session_factory() as s:
        assert s.get(Customer, open_one).coach_id == "staff-coach2"
        assert s.get(Customer, closed).coach_id == "staff-coach"


def test_a_closed_case_is_erasable_once_its_retention_ran_out(coach):
    cid = new_customer(coach, 315)
    coach.auth.sign_out()
    coach.auth.sign_in("admin", "demo")
    with pytest.raises(Conflict, match="case is open"):
        coach.rights.erase(cid)
    coach.case_periods.close(cid, TODAY, "moved_away", "Muutti Ouluun")
    with pytest.raises(Conflict, match="retention"):
        coach.rights.erase(cid)
    ends = coach.rights.retention_ends(cid)
    assert ends == date(2031, 11, 24)  # five years from the closing
    coach.ctx.now.now = datetime(2031, 11, 23, 8, 0, tzinfo=UTC)
    with pytest.raises(Conflict, match="retention"):
        coach.rights.erase(cid)
    coach.ctx.now.now = datetime(2031, 11, 24, 8, 0, tzinfo=UTC)
    coach.rights.erase(cid)
    with coach.ctx.session_factory() as s:
        assert s.get(Customer, cid).erased_at is not None


def test_a_closed_case_leaves_the_worklist(coach):
    cid = new_customer(coach, 319, coach_id="staff-coach")
    assert cid in {item.customer_id for item in coach.clock.worklist()}
    coach.case_periods.close(cid, TODAY, "other_services", coach=CoachOnClose.KEEP)
    assert cid not in {item.customer_id for item in coach.clock.worklist()}


def test_erasure_scrubs_the_outcome_note(coach):
    from tests.customer_data import everything_text

    cid = new_customer(coach, 320)
    coach.auth.sign_out()
    coach.auth.sign_in("admin", "demo")
    coach.case_periods.close(cid, TODAY, "moved_away", "Muutti Ouluun puolison työn perässä")
    coach.ctx.now.now = datetime(2031, 11, 25, 8, 0, tzinfo=UTC)
    coach.rights.erase(cid)
    with coach.ctx.engine.connect() as conn:
        assert "puolison" not in everything_text(conn)


def test_import_opens_the_first_period(coach, tmp_path):
    coach.auth.sign_out()
    coach.auth.sign_in("lead", "demo")
    path = tmp_path / "in.csv"
    path.write_text("first_name;last_name;birth_date;registered_on\n"
                    "Iida;Tuotu;1.2.1990;2.10.2026\n", encoding="utf-8")
    preview = coach.customer_import.preview(path)
    assert coach.customer_import.commit(preview).created == 1
    with coach.ctx.session_factory() as s:
        cid = s.scalar(select(Customer.id).where(Customer.last_name == "Tuotu"))
        period = s.get(JobSearchPeriod, first_period_id(cid))
    assert (period.opened_on, period.closed_on) == (date(2026, 10, 2), None)


# --- the command line -------------------------------------------------------------------


def test_cli_closes_and_reopens_and_shows_the_case(services, tmp_path, capsys):
    i18n.set_language("en")
    services.auth.sign_in("coach", "demo")
    # The command line reads the wall clock: dates relative to today.
    today = services.ctx.today()
    cid = services.customers.create(customer_input(
        "Komento", "Rivi", date(1990, 1, 1), 316,
        jobseeker_registered_on=today - timedelta(days=60))).id
    services.close()
    db = str(tmp_path / "desk.sqlite3")
    closed_on = (today - timedelta(days=3)).isoformat()
    assert cli.main(["customer", "close", cid, "--reason", "self_employed", "--on", closed_on,
                     "--note", "Toiminimi", "--db", db, "--user", "coach"]) == 0
    capsys.readouterr()
    assert cli.main(["customer", "show", cid, "--json", "--db", db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["case"] == {"status": "closed", "opened_on":
                             (today - timedelta(days=60)).isoformat(),
                             "closed_on": closed_on, "reason": "self_employed"}
    assert shown["periods"][0]["outcome_note"] == "Toiminimi"
    assert cli.main(["customer", "reopen", cid, "--on", today.isoformat(), "--db", db,
                     "--user", "coach"]) == 0
    capsys.readouterr()
    assert cli.main(["customer", "show", cid, "--json", "--db", db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["case"]["status"] == "open" and len(shown["periods"]) == 2


def test_cli_refuses_a_bad_code_or_date_and_writes_nothing(services, tmp_path, capsys):
    i18n.set_language("en")
    services.auth.sign_in("coach", "demo")
    cid = services.customers.create(customer_input("Komento", "Rivi", date(1990, 1, 1), 317)).id
    services.close()
    db = str(tmp_path / "desk.sqlite3")
    assert cli.main(["customer", "close", cid, "--reason", "retired", "--on", "2026-01-01",
                     "--db", db]) == 2
    err = capsys.readouterr().err
    assert "retired" in err and "employed_open_market" in err and "ended_by_authority" in err
    assert cli.main(["customer", "close", cid, "--reason", "studies", "--on", "32.1.2026",
                     "--db", db]) == 2
    assert "32.1.2026" in capsys.readouterr().err
    assert cli.main(["customer", "close", cid, "--reason", "studies", "--on", "2999-01-01",
                     "--db", db]) == 2
    assert "future" in capsys.readouterr().err
    assert cli.main(["customer", "close", cid, "--reason", "studies", "--on", "2026-01-01",
                     "--coach", "sometimes", "--db", db]) == 2
    capsys.readouterr()
    assert cli.main(["customer", "show", cid, "--json", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out)["case"]["status"] == "open"


def test_cli_as_the_desk_is_refused(services, tmp_path, capsys):
    services.auth.sign_in("coach", "demo")
    cid = services.customers.create(customer_input("Komento", "Rivi", date(1990, 1, 1), 318)).id
    services.close()
    db = str(tmp_path / "desk.sqlite3")
    assert cli.main(["customer", "close", cid, "--reason", "studies", "--on",
                     date.today().isoformat(), "--db", db, "--user", "desk"]) != 0
    capsys.readouterr()


def test_permission_is_case_close():
    from app.rules.codes import Role
    from app.rules.permissions import allowed

    assert [allowed(r, Permission.CASE_CLOSE) for r in Role] == [
        r not in (Role.DESK, Role.PARTNER) for r in Role]


def test_a_closed_case_stops_counting_unemployment_on_its_closing_day(coach):
    cid = new_customer(coach, 330, registered=date(2026, 1, 5))
    open_card = coach.customers.get(cid)
    coach.case_periods.close(cid, date(2026, 2, 27), "employed_open_market",
                             coach=CoachOnClose.KEEP)
    closed = coach.customers.get(cid)
    # Benefit days Mon-Fri from Mon 5.1.2026 to Fri 27.2.2026: 8 weeks, 40 days; the
    # 100-day mark (late May) was never reached, so none is shown.
    assert closed.days_unemployed == 40 < open_card.days_unemployed
    assert closed.hundred_day_date is None and open_card.hundred_day_date is not None


def test_a_period_the_upgrade_wrote_goes_to_the_centre_as_an_insert(coach):
    """Local 0060 writes first periods without outbox entries (the centre's upgrade
    writes the same rows): for a customer the centre did not have yet, the first close
    must carry the whole row, or the centre would refuse an update of a missing row."""
    from app.models import OutboxEntry

    cid = new_customer(coach, 331)
    with coach.ctx.engine.begin() as conn:  # as the upgrade leaves it: never synced
        conn.execute(JobSearchPeriod.__table__.update().values(hlc="", version=0))
        conn.execute(delete(OutboxEntry.__table__))
    coach.case_periods.close(cid, TODAY, "studies", coach=CoachOnClose.KEEP)
    with coach.ctx.session_factory() as s:
        entry = s.scalars(select(OutboxEntry).where(
            OutboxEntry.table_name == "job_search_period")).one()
    fields = json.loads(entry.fields)
    assert entry.op == "insert" and entry.row_id == first_period_id(cid)
    assert (fields["customer_id"], fields["opened_on"], fields["exit_reason"]) == (
        cid, "2026-03-02", "studies")


def test_the_desk_sees_a_closed_case_without_its_outcome_note(coach):
    cid = new_customer(coach, 332)
    coach.case_periods.close(cid, TODAY, "other_services", "Siirtyi kuntoutukseen",
                             coach=CoachOnClose.KEEP)
    assert coach.case_periods.periods(cid).periods[0].outcome_note == "Siirtyi kuntoutukseen"
    coach.auth.sign_out()
    coach.auth.sign_in("desk", "demo")
    case = coach.case_periods.periods(cid)
    assert (case.status, case.reason) == ("closed", "other_services")
    assert [p.outcome_note for p in case.periods] == [""]


def test_a_closed_case_has_no_statutory_deadlines_and_no_running_count_in_the_list(coach):
    cid = new_customer(coach, 333, coach_id="staff-coach")
    assert coach.clock.customer_clock(cid).deadlines  # the interview, at least
    coach.case_periods.close(cid, TODAY, "studies", coach=CoachOnClose.KEEP)
    clock = coach.clock.customer_clock(cid)
    assert (clock.case_open, clock.deadlines, clock.supplementary_required) == (False, [], 0)
    row = next(r for r in coach.customers.page("Testi Asiakas").rows if r.id == cid)
    assert (row.active, row.days_unemployed) == (False, None)
