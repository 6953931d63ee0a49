"""Every rule of the statutory clock against dates counted by hand, across the holidays
of 2025-2027 (Christmas and New Year, Easter, Midsummer, Independence Day) and the
1.1.2026 change; and the 100-day mark the same on the card, Today, the report and the
activation count (docs/statutory-clock.md).

Holidays used below (weekday ones in brackets are counted as benefit days, but are not
working days for the authority's deadlines): 2025 Wed 24.12. Christmas Eve, Thu 25.12.,
Fri 26.12.; 2026 Thu 1.1., Tue 6.1., Fri 3.4. Good Friday, Mon 6.4. Easter Monday,
Fri 1.5., Thu 14.5. Ascension, Fri 19.6. Midsummer Eve, Sun 6.12. Independence Day,
Thu 24.12., Fri 25.12.; 2027 Fri 1.1., Wed 6.1., Fri 26.3. Good Friday, Mon 29.3.,
Thu 6.5., Fri 25.6. Midsummer Eve, Mon 6.12. Independence Day, Fri 24.12.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.dto.reports import ReportFilter
from app.i18n import HELSINKI
from app.models import Appointment, CaseFacts, UnemploymentPeriod, case_facts_id
from app.rules import clock
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    BenefitType,
    Channel,
)
from app.rules.statutory import RULES, initial_interview_deadline, rule_for
from app.rules.workdays import is_working_day
from tests.factories import Clock, customer_input

D = date


# --- the 100-day mark: benefit days, Mon-Fri, holidays included -------------------------

@pytest.mark.parametrize(("start", "mark"), [
    # The example of the notes. Unemployed from Mon 22.12.2025: day 1 is 22.12.; 24.-26.12.,
    # 1.1., 6.1., Good Friday 3.4., Easter Monday 6.4. and May Day 1.5. are all benefit
    # days. 19 whole weeks (95 days) on, Mon 4.5.2026 is the 96th; Tue 5.5. 97th, Wed 6.5.
    # 98th, Thu 7.5. 99th, Fri 8.5.2026 the 100th. (The old card said 21.5., the old
    # report 31.3.: seven weeks apart.)
    (D(2025, 12, 22), D(2026, 5, 8)),
    # Sat 27.12.2025: day 1 is Mon 29.12.; the 96th Mon 11.5.2026 (19 weeks on), the 100th
    # Fri 15.5.2026 (Ascension Thu 14.5. counted).
    (D(2025, 12, 27), D(2026, 5, 15)),
    # Mon 2.2.2026: the 96th Mon 15.6., the 100th Fri 19.6.2026, Midsummer Eve itself: a
    # benefit day, and the mark is not moved as a deadline would be.
    (D(2026, 2, 2), D(2026, 6, 19)),
    # Sun 8.11.2026: day 1 Mon 9.11.; Independence Day (Sun 6.12.) is no weekday; 24.12.,
    # 25.12., 1.1., 6.1. counted; the 96th Mon 22.3.2027, the 100th Good Friday 26.3.2027.
    (D(2026, 11, 8), D(2027, 3, 26)),
    # Mon 9.8.2027: Independence Day Mon 6.12.2027 counted; the 96th Mon 20.12., the 100th
    # Fri 24.12.2027, Christmas Eve.
    (D(2027, 8, 9), D(2027, 12, 24)),
])
def test_hundred_day_mark_in_benefit_days(start, mark):
    found = clock.hundred_day_date(start, D(2026, 11, 24))
    assert (found.due_on, found.approximate) == (mark, True)
    assert clock.days_unemployed(start, mark) == 100
    assert clock.days_unemployed(start, mark - timedelta(days=1)) < 100


def test_the_first_benefit_day_when_known_is_day_one():
    # Unemployed from 22.12.2025, first benefit day Mon 5.1.2026 (after the waiting
    # period): the 96th Mon 18.5.2026, the 100th Fri 22.5.2026, not approximate.
    found = clock.hundred_day_date(D(2025, 12, 22), D(2026, 11, 24), D(2026, 1, 5))
    assert (found.due_on, found.approximate) == (D(2026, 5, 22), False)
    # On Fri 9.1.2026: 5.1.-9.1., five benefit days (Epiphany Tue 6.1. counted).
    assert clock.days_unemployed(D(2025, 12, 22), D(2026, 1, 9), D(2026, 1, 5)) == 5
    # The report's range of start dates covers both ways of starting the count.
    lo, hi = clock.since_range_reaching_mark(D(2026, 5, 1), D(2026, 5, 31))
    # May 2026: the earliest start is Sat 13.12.2025 (day 1 Mon 15.12., 100th Fri 1.5.),
    # the latest Mon 12.1.2026 (100th Fri 29.5.); Tue 13.1. reaches it on Mon 1.6.
    assert (lo, hi) == (D(2025, 12, 13), D(2026, 1, 12))


def test_hundred_day_rule_cites_the_right_act():
    rule = rule_for("hundred_day_mark", D(2026, 1, 1))
    assert rule.source.startswith("Laki työttömyysetuuksien rahoituksesta 555/1998")
    assert "§ unverified" in rule.source and rule.unit == "benefit_days"


# --- the initial interview: working days, the rule of the registration day -------------

@pytest.mark.parametrize(("registered", "due", "days"), [
    # Mon 22.12.2025, five working days (reading A across 1.1.2026): 23., (24.-26.), 29.,
    # 30., 31., (1.1.), Fri 2.1.2026.
    (D(2025, 12, 22), D(2026, 1, 2), 5),
    # Fri 2.1.2026, ten: 5., (6.), 7., 8., 9., 12., 13., 14., 15., 16., Mon 19.1.
    (D(2026, 1, 2), D(2026, 1, 19), 10),
    # Thu 26.3.2026, ten: 27., 30., 31., 1.4., 2.4., (Good Friday 3.4., Easter Monday
    # 6.4.), 7., 8., 9., 10., Mon 13.4.
    (D(2026, 3, 26), D(2026, 4, 13), 10),
    # Fri 19.6.2026 (Midsummer Eve), ten: 22.-26.6., 29., 30.6., 1., 2., Fri 3.7.
    (D(2026, 6, 19), D(2026, 7, 3), 10),
    # Fri 3.12.2027, ten: (Independence Day Mon 6.12.), 7.-10., 13.-17., Mon 20.12.2027.
    (D(2027, 12, 3), D(2027, 12, 20), 10),
    # Fri 17.12.2027, ten: 20.-23., (24.12.), 27.-31., (1.1. is a Saturday), Mon 3.1.2028.
    (D(2027, 12, 17), D(2028, 1, 3), 10),
])
def test_initial_interview_by_hand(registered, due, days):
    deadline = initial_interview_deadline(registered)
    assert (deadline.due_on, deadline.rule.value) == (due, days)
    assert "Laki työvoimapalveluiden järjestämisestä 380/2023 (§ unverified)" in \
        deadline.rule.source
    if registered >= D(2026, 1, 1):
        assert "HE 108/2025 vp" in deadline.rule.source


# --- job-search conversations: only the interview and job-search conversations count --

@pytest.mark.parametrize(("interview", "last", "due"), [
    # Interview Tue 16.12.2025: three months on, Mon 16.3.2026.
    (D(2025, 12, 16), None, D(2026, 3, 16)),
    # A job-search conversation Fri 13.3.2026: 13.6. is a Saturday -> Mon 15.6.2026.
    (D(2025, 12, 16), D(2026, 3, 13), D(2026, 6, 15)),
    # From 2026, counted from the interview: Mon 12.1.2026 -> Sun 12.4. -> Mon 13.4.2026.
    (D(2026, 1, 12), None, D(2026, 4, 13)),
    # ... and from the job-search conversation after it, Fri 20.3.2026: Sat 20.6.2026 is
    # Midsummer Day -> Mon 22.6.2026.
    (D(2026, 1, 12), D(2026, 3, 20), D(2026, 6, 22)),
    # Mon 6.9.2027: Mon 6.12.2027 is Independence Day -> Tue 7.12.2027.
    (D(2027, 6, 1), D(2027, 9, 6), D(2027, 12, 7)),
    # Fri 24.9.2027: Fri 24.12. Christmas Eve, then the weekend -> Mon 27.12.2027.
    (D(2027, 6, 1), D(2027, 9, 24), D(2027, 12, 27)),
])
def test_job_search_conversation_by_hand(interview, last, due):
    plan = clock.conversations(D(2025, 12, 1), interview, last, D(2026, 11, 24))
    assert plan.next_conversation.due_on == due
    assert is_working_day(plan.next_conversation.due_on)


def test_supplementary_conversations_before_2026_only():
    # Interview Tue 16.12.2025: the close-contact phase ends Mon 16.3.2026, 90 days, six
    # whole two-week intervals, so five supplementary conversations between.
    before = clock.conversations(D(2025, 12, 15), D(2025, 12, 16), None, D(2026, 1, 5))
    assert (before.initial_phase_ends, before.supplementary_required) == (D(2026, 3, 16), 5)
    assert before.supplementary_rule.value == 2 and before.supplementary_rule.unit == "weeks"
    assert "HE 167/2021 vp" in before.supplementary_rule.source
    assert "unverified" in before.supplementary_rule.source
    # Wed 31.12.2025, the day before the change: the rule of that day; the phase ends Tue
    # 31.3.2026 (90 days, five).
    last_day = clock.conversations(D(2025, 12, 22), D(2025, 12, 31), None, D(2026, 1, 5))
    assert (last_day.initial_phase_ends, last_day.supplementary_required) == (
        D(2026, 3, 31), 5)
    # Fri 2.1.2026: none by schedule and no initial phase shown.
    after = clock.conversations(D(2026, 1, 1), D(2026, 1, 2), None, D(2026, 1, 5))
    assert (after.initial_phase_ends, after.supplementary_required) == (None, 0)
    assert "HE 108/2025 vp" in after.supplementary_rule.source


def test_no_rule_cites_the_wrong_proposal_or_titles():
    sources = " ".join(r.source for r in RULES)
    assert "HE 13/2025" not in sources
    assert "työvoimapalvelujen" not in sources and "työttömyysturvan rahoituksesta" not in \
        sources
    assert "44 §" not in sources and "45" not in sources and "46 §" not in sources
    assert rule_for("activation_days_adult", D(2026, 1, 1)).source.endswith("3 § 2 mom.")
    assert rule_for("activation_days_after_allowance", D(2026, 1, 1)).source.endswith(
        "3 § 2 mom.")


# --- the activation plan ----------------------------------------------------------------

def test_activation_under_25_across_christmas_and_easter():
    # Subsidy from Mon 22.12.2025, born 2003: 35 whole weeks on, Mon 24.8.2026 is the
    # 176th; the 180th is Fri 28.8.2026 (all holidays counted).
    due = clock.activation_plan_due(D(2003, 1, 1), [clock.SubsidySpell(D(2025, 12, 22),
                                                                        None)], D(2026, 1, 5))
    assert (due.due_on, due.rule.key, due.paid_days, due.approximate) == (
        D(2026, 8, 28), "activation_days_young", 180, True)
    # The same benefit days as the 100-day mark: on Fri 8.5.2026 there are 100 of them.
    assert clock.benefit_days_from(D(2025, 12, 22), D(2026, 5, 8)) == 100


def test_activation_500_days_from_kelas_count():
    spells = [clock.SubsidySpell(D(2025, 1, 1), None)]
    # Kela: 480 days as of Fri 6.11.2026. Then 9.-13.11. (485), 16.-20. (490), 23.-27.
    # (495), 30.11.-4.12. (500): the 500th Fri 4.12.2026, estimated (after Kela's date).
    due = clock.activation_plan_due(D(1980, 1, 1), spells, D(2026, 11, 6),
                                    known=clock.SubsidyCount(480, D(2026, 11, 6)))
    assert (due.due_on, due.rule.key, due.approximate) == (
        D(2026, 12, 4), "activation_days_adult", True)
    # Kela: 510 days as of Fri 4.12.2026 (the 510th): back ten benefit days, 3.12. (509),
    # 2., 1.12., 30.11. (506), 27., 26., 25., 24., 23.11. (501), Fri 20.11.2026 the 500th.
    # Known, not estimated.
    due = clock.activation_plan_due(D(1980, 1, 1), spells, D(2026, 12, 4),
                                    known=clock.SubsidyCount(510, D(2026, 12, 4)))
    assert (due.due_on, due.approximate) == (D(2026, 11, 20), False)
    # Kela: 495 as of Fri 17.12.2027: 20.-23.12. (499), the 500th Fri 24.12.2027 Christmas
    # Eve, a benefit day; the plan's due day moves to the next working day, Mon 27.12.
    due = clock.activation_plan_due(D(1980, 1, 1), spells, D(2027, 12, 17),
                                    known=clock.SubsidyCount(495, D(2027, 12, 17)))
    assert (due.due_on, due.paid_days) == (D(2027, 12, 27), 500)


def test_activation_180_days_after_the_maximum_allowance():
    # Earnings-related allowance ended Fri 11.12.2026; subsidy from Mon 14.12.2026. 35
    # whole weeks on, Mon 16.8.2027 is the 176th subsidy day, Fri 20.8.2027 the 180th
    # (Christmas, New Year, Epiphany, Easter, Ascension, Midsummer Eve counted), long
    # before the 500 days.
    spells = [clock.SubsidySpell(D(2026, 12, 14), None)]
    due = clock.activation_plan_due(D(1970, 1, 1), spells, D(2026, 12, 14),
                                    allowance_exhausted_on=D(2026, 12, 11))
    assert (due.due_on, due.rule.key, due.paid_days) == (
        D(2027, 8, 20), "activation_days_after_allowance", 180)
    assert due.rule.source == "Laki kuntouttavasta työtoiminnasta 189/2001, 3 § 2 mom."
    # Without the allowance's end only the 500-day route applies: 100 weeks on.
    plain = clock.activation_plan_due(D(1970, 1, 1), spells, D(2026, 12, 14))
    assert plain.rule.key == "activation_days_adult"
    assert plain.due_on == clock.due(clock.nth_benefit_day(D(2026, 12, 14), 500))


# --- one count everywhere: card, Today, the report and the activation estimate ----------

def _at(day: date) -> Clock:
    return Clock(datetime.combine(day, time(10), HELSINKI).astimezone(UTC))


@pytest.fixture
def unemployed_from_22_12(signed_in):
    """A coach's customer unemployed and registered from Mon 22.12.2025, born 2003, on
    labour-market subsidy from that day; today is Mon 27.4.2026."""
    services = signed_in
    services.ctx.now = _at(D(2026, 4, 27))
    cid = services.customers.create(customer_input(
        "Laskettu", "Käsin", D(2003, 1, 1), 412, unemployed_since=D(2025, 12, 22),
        jobseeker_registered_on=D(2025, 12, 22))).id
    services.coaching.assign(cid, "staff-coach", "Alkuhaastattelu")
    with services.ctx.session_factory.begin() as s:
        s.add(UnemploymentPeriod(customer_id=cid, starts_on=D(2025, 12, 22), ends_on=None,
                                 benefit=BenefitType.LABOUR_MARKET_SUBSIDY))
    return services, cid


def _report(services, first: date, last: date) -> dict[date, int]:
    services.auth.sign_in("lead", "demo")
    try:
        table = services.reports.run("hundred_days", ReportFilter(first, last))
    finally:
        services.auth.sign_in("coach", "demo")
    return {row[0]: row[1] for row in table.rows}


def test_card_today_report_and_activation_agree(unemployed_from_22_12):
    services, cid = unemployed_from_22_12
    # The 100th benefit day from 22.12.2025 is Fri 8.5.2026 (counted above), estimated.
    card = services.customers.get(cid)
    assert (card.hundred_day_date, card.hundred_day_approximate) == (D(2026, 5, 8), True)
    # On Mon 27.4.2026: 22.12.-31.12. 8, January 22, February 20, March 22, April 1.-27.
    # 19: 91 benefit days.
    assert card.days_unemployed == 91
    shown = services.clock.customer_clock(cid)
    assert (shown.hundred_day_date, shown.days_unemployed, shown.hundred_day_approximate) \
        == (D(2026, 5, 8), 91, True)
    items = {i.kind: i for i in services.clock.worklist() if i.customer_id == cid}
    assert (items["hundred_days"].due_on, items["hundred_days"].approximate) == (
        D(2026, 5, 8), True)
    assert _report(services, D(2026, 3, 1), D(2026, 5, 31)) == {
        D(2026, 3, 1): 0, D(2026, 4, 1): 0, D(2026, 5, 1): 1}
    # The activation estimate counts the same days: under 25, the 180th Fri 28.8.2026.
    activation = next(d for d in shown.deadlines if d.key == "activation_plan")
    assert (activation.due_on, activation.detail, activation.approximate) == (
        D(2026, 8, 28), "180", True)


def test_the_first_benefit_day_moves_every_view_alike(unemployed_from_22_12):
    services, cid = unemployed_from_22_12
    # First benefit day Mon 5.1.2026: the 100th Fri 22.5.2026 (counted above), known.
    # Kela: 60 subsidy days as of Fri 27.3.2026 (the spell from 22.12. would give 70).
    with services.ctx.session_factory.begin() as s:
        s.add(CaseFacts(id=case_facts_id(cid), customer_id=cid, partial_work_ability=True,
                        first_benefit_on=D(2026, 1, 5), subsidy_days=60,
                        subsidy_days_on=D(2026, 3, 27)))
    card = services.customers.get(cid)
    assert (card.hundred_day_date, card.hundred_day_approximate) == (D(2026, 5, 22), False)
    # 5.1.-27.4.2026: January 20, February 20, March 22, April 19 = 81.
    assert card.days_unemployed == 81
    shown = services.clock.customer_clock(cid)
    assert (shown.hundred_day_date, shown.hundred_day_approximate) == (D(2026, 5, 22), False)
    assert "partial_work_ability" in shown.groups  # from the case facts
    # Today (27.4.): the mark is more than two weeks away (11.5. is the window's end).
    assert not any(i.customer_id == cid and i.kind == "hundred_days"
                   for i in services.clock.worklist())
    services.ctx.now = _at(D(2026, 5, 11))
    items = {i.kind: i for i in services.clock.worklist() if i.customer_id == cid}
    assert (items["hundred_days"].due_on, items["hundred_days"].approximate) == (
        D(2026, 5, 22), False)
    assert _report(services, D(2026, 5, 1), D(2026, 5, 31)) == {D(2026, 5, 1): 1}
    assert _report(services, D(2026, 5, 1), D(2026, 5, 21)) == {D(2026, 5, 1): 0}
    # Activation from Kela's 60 as of Fri 27.3.: the 61st is Mon 30.3., 23 whole weeks
    # (115 days) on Mon 7.9.2026 the 176th, Fri 11.9.2026 the 180th; estimated, as it
    # lies after Kela's date.
    activation = next(d for d in shown.deadlines if d.key == "activation_plan")
    assert (activation.due_on, activation.approximate) == (D(2026, 9, 11), True)


def test_the_desk_sees_no_case_facts_and_an_estimate(unemployed_from_22_12):
    services, cid = unemployed_from_22_12
    with services.ctx.session_factory.begin() as s:
        s.add(CaseFacts(id=case_facts_id(cid), customer_id=cid, partial_work_ability=True,
                        first_benefit_on=D(2026, 1, 5)))
    services.auth.sign_in("desk", "demo")
    card = services.customers.get(cid)
    assert (card.hundred_day_date, card.hundred_day_approximate) == (D(2026, 5, 8), True)
    assert "partial_work_ability" not in services.clock.customer_clock(cid).groups


def _held(services, cid: str, kind: AppointmentType, day: date,
          status: AppointmentStatus = AppointmentStatus.DONE) -> None:
    start = datetime.combine(day, time(9), HELSINKI).astimezone(UTC)
    with services.ctx.session_factory.begin() as s:
        s.add(Appointment(customer_id=cid, staff_id="staff-coach", service_point_id="sp-rov",
                          type=kind, channel=Channel.SERVICE_POINT, status=status,
                          starts_at=start, ends_at=start + timedelta(minutes=45)))


def _conversation_due(services, cid: str) -> date:
    clock_now = services.clock.customer_clock(cid)
    return next(d.due_on for d in clock_now.deadlines if d.key == "job_search_conversation")


def test_only_interviews_and_job_search_conversations_restart_the_clock(signed_in):
    services = signed_in
    services.ctx.now = _at(D(2026, 2, 2))
    cid = services.customers.create(customer_input(
        "Keskustelu", "Testi", D(1990, 1, 1), 413,
        jobseeker_registered_on=D(2025, 12, 10))).id
    services.coaching.assign(cid, "staff-coach", "Alkuhaastattelu")
    # Interview Tue 16.12.2025: the next job-search conversation Mon 16.3.2026; the
    # initial phase (before 2026) ends the same day, five supplementary conversations.
    _held(services, cid, AppointmentType.INITIAL_INTERVIEW, D(2025, 12, 16))
    assert _conversation_due(services, cid) == D(2026, 3, 16)
    phase = next(d for d in services.clock.customer_clock(cid).deadlines
                 if d.key == "initial_phase")
    assert (phase.due_on, phase.detail) == (D(2026, 3, 16), "5")
    # A supplementary conversation, a plan review and a multi-professional meeting held:
    # the clock does not move.
    _held(services, cid, AppointmentType.SUPPLEMENTARY_CONVERSATION, D(2026, 1, 13))
    _held(services, cid, AppointmentType.PLAN_REVIEW, D(2026, 1, 20))
    _held(services, cid, AppointmentType.MULTI_PROFESSIONAL, D(2026, 1, 27))
    assert _conversation_due(services, cid) == D(2026, 3, 16)
    assert services.clock.customer_clock(cid).last_conversation_on == D(2025, 12, 16)
    # On Mon 16.3.2026 it is due today: a supplementary conversation booked for Tue 17.3.
    # does not take it off Today (a job-search conversation booked would).
    services.ctx.now = _at(D(2026, 3, 16))
    _held(services, cid, AppointmentType.SUPPLEMENTARY_CONVERSATION, D(2026, 3, 17),
          AppointmentStatus.BOOKED)
    assert any(i.customer_id == cid and i.kind == "job_search_conversation"
               for i in services.clock.worklist())
    _held(services, cid, AppointmentType.JOB_SEARCH_CONVERSATION, D(2026, 3, 18),
          AppointmentStatus.BOOKED)
    assert not any(i.customer_id == cid and i.kind == "job_search_conversation"
                   for i in services.clock.worklist())
    # A job-search conversation held Fri 13.3.2026: Sat 13.6. -> Mon 15.6.2026.
    _held(services, cid, AppointmentType.JOB_SEARCH_CONVERSATION, D(2026, 3, 13))
    assert _conversation_due(services, cid) == D(2026, 6, 15)


def test_from_2026_no_initial_phase_and_counted_from_the_interview(signed_in):
    services = signed_in
    services.ctx.now = _at(D(2026, 2, 2))
    cid = services.customers.create(customer_input(
        "Uusi", "Malli", D(1990, 1, 1), 414, jobseeker_registered_on=D(2026, 1, 2))).id
    # Interview Mon 12.1.2026: Sun 12.4. -> Mon 13.4.2026; no initial phase shown.
    _held(services, cid, AppointmentType.INITIAL_INTERVIEW, D(2026, 1, 12))
    _held(services, cid, AppointmentType.SUPPLEMENTARY_CONVERSATION, D(2026, 1, 26))
    shown = services.clock.customer_clock(cid)
    assert not any(d.key == "initial_phase" for d in shown.deadlines)
    assert shown.supplementary_required == 0
    assert _conversation_due(services, cid) == D(2026, 4, 13)



def test_the_card_says_about_only_when_estimated(unemployed_from_22_12):
    from app.i18n import current_language, set_language
    from app.views.customers.card import CustomerCardView

    services, cid = unemployed_from_22_12
    before = current_language()
    set_language("en")
    try:
        estimated = CustomerCardView._situation(services.customers.get(cid))
        assert estimated.startswith("Unemployed about 91 benefit days")
        assert "100 days will be reached about" in estimated
        with services.ctx.session_factory.begin() as s:
            s.add(CaseFacts(id=case_facts_id(cid), customer_id=cid,
                            first_benefit_on=D(2026, 1, 5)))
        known = CustomerCardView._situation(services.customers.get(cid))
        assert known.startswith("Unemployed 81 benefit days")
        assert "100 days will be reached on" in known
    finally:
        set_language(before)
