"""Merging a duplicate registration into the real customer: what moves, what is folded,
what is refused, and the register's warning about a likely duplicate."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.dto.visits import VisitInput
from app.models import (
    AuditEvent,
    CaseFacts,
    CoachAssignment,
    Customer,
    CustomerBarrier,
    CustomerMerge,
    CustomerNote,
    JobSearchPeriod,
    OutboxEntry,
    Plan,
    Visit,
    case_facts_id,
)
from app.models.coaching import barrier_id
from app.rules.codes import BenefitType, NoteKind, PlanType
from app.services.errors import Conflict, NotFound, PermissionDenied
from tests.factories import Clock, customer_input

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def lead(services):
    services.ctx.now = Clock(NOW)
    services.auth.sign_in("lead", "demo")
    return services


def new_customer(services, individual, last="Testi", first="Asiakas", born=date(1990, 1, 1),
                 **kw):
    return services.customers.create(customer_input(last, first, born, individual, **kw)).id


def contact(services, customer_id):
    return services.visits.record_contact(customer_id, "phone",
                                          VisitInput(service_area="finding_work"), 10).id


def rows(services, model, **where):
    with services.ctx.session_factory() as s:
        stmt = select(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return list(s.scalars(stmt))


def test_merge_moves_every_dependent_row_and_tombstones_the_duplicate(lead):
    real = new_customer(lead, 301)
    dup = new_customer(lead, 302, first="Asiakas Maria")
    visit = contact(lead, dup)
    contact(lead, real)
    plan = lead.plans.create_plan(dup, PlanType.EMPLOYMENT.value).customer_id
    assert plan == dup
    lead.coaching.set_barriers(dup, {"debt", "health"})
    lead.coaching.set_barriers(real, {"health"})
    lead.coaching.assign(dup, "staff-coach", "Alkuhaastattelu")
    with lead.ctx.session_factory.begin() as s:
        s.add(CustomerNote(customer_id=dup, kind=NoteKind.GENERAL, text="Muistio",
                           author_id="staff-lead", written_at=NOW))
        s.add(CaseFacts(id=case_facts_id(dup), customer_id=dup, partial_work_ability=True,
                        work_ability_basis="Lääkärinlausunto", benefit=BenefitType.BASIC))
        s.add(CaseFacts(id=case_facts_id(real), customer_id=real, partial_work_ability=False,
                        benefit=BenefitType.LABOUR_MARKET_SUBSIDY))

    preview = lead.customer_merge.preview(dup, real)
    counts = dict(preview.moves)
    assert counts["visit"] == 1 and counts["plan"] == 1 and counts["customer_note"] == 1
    assert counts["customer_barrier"] == 2 and counts["case_facts"] == 1
    assert counts["job_search_period"] == 1
    assert preview.duplicate.name == "Testi, Asiakas Maria"

    done = lead.customer_merge.merge(dup, real)
    assert dict(done.moves) == counts

    assert {v.id for v in rows(lead, Visit, customer_id=real)} >= {visit}
    assert rows(lead, Visit, customer_id=dup) == []
    assert [p.customer_id for p in rows(lead, Plan)] == [real]
    assert [n.customer_id for n in rows(lead, CustomerNote)] == [real]
    # Barriers: the real customer's derived ids, the duplicate's tombstoned.
    live = {(b.id, b.barrier) for b in rows(lead, CustomerBarrier, customer_id=real)
            if b.deleted_at is None}
    assert live == {(barrier_id(real, "debt"), "debt"), (barrier_id(real, "health"), "health")}
    assert all(b.deleted_at == NOW for b in rows(lead, CustomerBarrier, customer_id=dup))
    # Case facts: empty fields filled, filled ones kept; the duplicate's tombstoned.
    facts = {f.customer_id: f for f in rows(lead, CaseFacts)}
    assert facts[real].partial_work_ability is True
    assert facts[real].work_ability_basis == "Lääkärinlausunto"
    assert facts[real].benefit == BenefitType.LABOUR_MARKET_SUBSIDY
    assert facts[dup].deleted_at == NOW
    # One open period stands (both were open): the one opened first, ties by id.
    periods = rows(lead, JobSearchPeriod)
    assert {p.customer_id for p in periods} == {real}
    assert len([p for p in periods if p.deleted_at is None and p.closed_on is None]) == 1
    # The coach-assignment history stays where it was written (append-only).
    assert [a.customer_id for a in rows(lead, CoachAssignment)] == [dup]
    (customer,) = rows(lead, Customer, id=dup)
    assert customer.deleted_at == NOW and customer.active is False
    assert rows(lead, Customer, id=real)[0].active is True
    (merge,) = rows(lead, CustomerMerge)
    assert (merge.from_customer_id, merge.into_customer_id) == (dup, real)
    (event,) = rows(lead, AuditEvent, action="customer.merge")
    assert event.entity_id == real
    assert "Testi" not in (event.detail or "") and dup in (event.detail or "")
    # The merge row is the last synchronised change of the transaction.
    with lead.ctx.session_factory() as s:
        tables = list(s.scalars(select(OutboxEntry.table_name).order_by(OutboxEntry.seq)))
    assert tables[-2:] == ["customer_merge", "audit_event"]
    # The list no longer shows the duplicate; the real customer's card opens.
    assert dup not in {r.id for r in lead.customers.page("Testi").rows}
    with pytest.raises(NotFound):
        lead.customers.get(dup)


def test_a_merge_is_refused_when_both_have_an_open_plan(lead):
    real = new_customer(lead, 311)
    dup = new_customer(lead, 312)
    lead.plans.create_plan(real, PlanType.EMPLOYMENT.value)
    lead.plans.create_plan(dup, PlanType.ACTIVATION.value)
    with pytest.raises(Conflict) as refused:
        lead.customer_merge.merge(dup, real)
    assert "plan" in refused.value.message
    # Nothing half-written.
    assert rows(lead, CustomerMerge) == []
    assert {p.customer_id for p in rows(lead, Plan)} == {real, dup}
    assert rows(lead, Customer, id=dup)[0].deleted_at is None


def test_a_merge_is_refused_for_itself_missing_and_erased_records(lead):
    real = new_customer(lead, 321)
    dup = new_customer(lead, 322)
    with pytest.raises(Conflict):
        lead.customer_merge.merge(real, real)
    with pytest.raises(NotFound):
        lead.customer_merge.merge("no-such-id", real)
    with pytest.raises(NotFound):
        lead.customer_merge.merge(dup, "no-such-id")
    with lead.ctx.session_factory.begin() as s:
        s.get(Customer, dup).erased_at = NOW
    with pytest.raises(NotFound):
        lead.customer_merge.merge(dup, real)
    with pytest.raises(NotFound):
        lead.customer_merge.preview(real, dup)
    # Merged once: the duplicate is gone, a second merge finds nothing to merge.
    other = new_customer(lead, 323)
    lead.customer_merge.merge(other, real)
    with pytest.raises(NotFound):
        lead.customer_merge.merge(other, real)


@pytest.mark.parametrize("username", ["desk", "coach"])
def test_only_team_leads_and_administrators_merge(services, username):
    services.ctx.now = Clock(NOW)
    services.auth.sign_in("admin", "demo")
    real = new_customer(services, 331)
    dup = new_customer(services, 332)
    services.auth.sign_out()
    services.auth.sign_in(username, "demo")
    with pytest.raises(PermissionDenied):
        services.customer_merge.merge(dup, real)
    with pytest.raises(PermissionDenied):
        services.customer_merge.preview(dup, real)
    assert rows(services, CustomerMerge) == []


def test_admin_merges_a_closed_duplicate_into_a_closed_case_and_it_stays_closed(services):
    services.ctx.now = Clock(NOW)
    services.auth.sign_in("admin", "demo")
    real = new_customer(services, 341)
    dup = new_customer(services, 342)
    with services.ctx.session_factory.begin() as s:
        for cid in (real, dup):
            for period in s.scalars(select(JobSearchPeriod).where(
                    JobSearchPeriod.customer_id == cid)):
                period.closed_on = date(2026, 11, 24)
                period.exit_reason = "studies"
            s.get(Customer, cid).active = False
    services.customer_merge.merge(dup, real)
    periods = rows(services, JobSearchPeriod, customer_id=real)
    assert len(periods) == 2 and all(p.deleted_at is None for p in periods)
    assert rows(services, Customer, id=real)[0].active is False


def test_an_open_duplicate_reopens_a_closed_real_case(lead):
    real = new_customer(lead, 351)
    dup = new_customer(lead, 352)
    with lead.ctx.session_factory.begin() as s:
        for period in s.scalars(select(JobSearchPeriod).where(
                JobSearchPeriod.customer_id == real)):
            period.closed_on = date(2026, 11, 24)
            period.exit_reason = "studies"
        s.get(Customer, real).active = False
    lead.customer_merge.merge(dup, real)
    assert rows(lead, Customer, id=real)[0].active is True


def test_similar_finds_the_same_name_and_birth_date(lead):
    born = date(1985, 3, 12)
    first = new_customer(lead, 361, last="Mäkelä", first="Aino Maria", born=born)
    new_customer(lead, 362, last="Mäkelä", first="Aino", born=date(1985, 3, 13))
    new_customer(lead, 363, last="Mäkinen", first="Aino", born=born)
    found = lead.customer_merge.similar("aino", " MÄKELÄ ", born)
    assert [(f.id, f.name) for f in found] == [(first, "Mäkelä, Aino Maria")]
    assert found[0].customer_number
    assert lead.customer_merge.similar("Liisa", "Mäkelä", born) == []
    assert lead.customer_merge.similar("Aino", "Mäkelä", None) == []
    assert lead.customer_merge.similar("Aino", "Mäkelä", born, exclude_id=first) == []


def test_cli_merge_shows_what_moves_refuses_and_merges(lead, capsys, monkeypatch):
    from app import cli

    real = new_customer(lead, 371)
    dup = new_customer(lead, 372)
    contact(lead, dup)
    numbers = {c: lead.customers.get(c).customer_number for c in (real, dup)}
    db = str(lead.ctx.engine.url.database)
    lead.close()

    # Without a terminal and without --yes: shown, not merged (exit 1).
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    code = cli.main(["customer", "merge", numbers[dup], numbers[real], "--db", db,
                     "--user", "lead"])
    out, err = capsys.readouterr()
    assert code == 1 and "--yes" in err
    assert "visit" in out and "    1" in out
    # A coach is refused with the reason (exit 1).
    code = cli.main(["customer", "merge", dup, real, "--db", db, "--user", "coach", "--yes"])
    out, err = capsys.readouterr()
    assert code == 1 and err.strip()
    # Merged by the lead.
    code = cli.main(["customer", "merge", numbers[dup], real, "--db", db, "--user", "lead",
                     "--yes"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"merged {dup} into {real}" in out
    # Into itself: refused with a message, exit 1.
    code = cli.main(["customer", "merge", real, real, "--db", db, "--yes"])
    out, err = capsys.readouterr()
    assert code == 1 and err.strip()


def test_an_older_open_case_stays_open_beside_the_duplicates_later_closed_period(lead):
    """The real case open since 2025, the duplicate registered and closed later: after
    the merge the case is open on the card (status), in the flag and for closing."""
    real = new_customer(lead, 381, jobseeker_registered_on=date(2025, 1, 10))
    dup = new_customer(lead, 382, jobseeker_registered_on=date(2026, 10, 1))
    lead.case_periods.close(dup, date(2026, 11, 2), "other")
    lead.customer_merge.merge(dup, real)
    case = lead.case_periods.periods(real)
    assert rows(lead, Customer, id=real)[0].active is True
    assert (case.status, case.opened_on) == ("open", date(2025, 1, 10))
    assert [p.closed_on for p in case.periods] == [None, date(2026, 11, 2)]
    lead.case_periods.close(real, date(2026, 11, 20), "studies")  # not "already closed"
    assert lead.case_periods.periods(real).status == "closed"


def test_a_merge_puts_the_real_customer_on_an_event_list_once(lead):
    from app.dto.events import EventInput, SessionInput
    from app.models import EventAttendance, EventParticipant
    from app.rules.events import attendance_id, participant_id

    real = new_customer(lead, 303)
    dup = new_customer(lead, 304, first="Asiakas Maria")
    event = lead.events.create(EventInput(
        service_point_id="sp-rov", kind="service_info", title="Palveluinfo",
        sessions=(SessionInput("24.11.2026", "13:00", "14:00"),)))
    session = event.sessions[0].id
    lead.events.invite(event.row.id, [real])  # the real one invited
    lead.events.register(event.row.id, dup)  # the duplicate registered and present
    lead.events.check_in(session, dup)
    assert dict(lead.customer_merge.preview(dup, real).moves)["event_participant"] == 1
    lead.customer_merge.merge(dup, real)
    live = [(p.id, p.status.value) for p in rows(lead, EventParticipant)
            if p.deleted_at is None]
    assert live == [(participant_id(event.row.id, real), "registered")]
    assert [(a.id, a.attended) for a in rows(lead, EventAttendance) if a.deleted_at is None] \
        == [(attendance_id(session, real), True)]
    # Later writes find the real customer's one row.
    lead.events.cancel_participation(event.row.id, real)
    assert [p.status for p in lead.events.participants(event.row.id)
            if p.customer_id == real] == ["cancelled"]
