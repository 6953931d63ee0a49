"""The statutory clock against dates counted by hand (holidays, eves, the 1.1.2026
change), and properties: no deadline ever falls on a non-working day."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules import clock
from app.rules.caseload import CoachLoad, Move, spread, suggest_moves
from app.rules.groups import Group, groups, in_integration, is_long_term, is_young
from app.rules.statutory import RULES, initial_interview_deadline, rule_for
from app.rules.workdays import is_working_day, working_days_between


def test_every_rule_names_its_source():
    assert all(r.source and r.effective_from for r in RULES)


def test_days_unemployed_in_benefit_days():
    # Benefit days, Mon-Fri with holidays included (was: working days, holidays left out).
    # January 2026: 22 weekdays, New Year's Day (Thu) and Epiphany (Tue) counted.
    assert clock.days_unemployed(date(2026, 1, 1), date(2026, 1, 31)) == 22
    # December 2025 from Mon 1.12.: 23 weekdays, 24., 25., 26. counted.
    assert clock.days_unemployed(date(2025, 12, 1), date(2025, 12, 31)) == 23
    assert clock.days_unemployed(date(2026, 12, 1), date(2026, 11, 30)) is None
    assert clock.days_unemployed(None, date(2026, 1, 1)) is None


def test_hundred_day_mark_across_christmas_and_easter():
    # Benefit days (was: working days, 28.4.2026). From Mon 1.12.2025: December 23,
    # January 22, February 20, March 22 -> 87 by 31.3.; April: 1.-3. (90, Good Friday
    # counted), 6.-10. (95, Easter Monday counted), 13.-16. (99), Fri 17.4. the 100th.
    mark = clock.hundred_day_date(date(2025, 12, 1), date(2026, 11, 28))
    assert mark.due_on == date(2026, 4, 17)
    assert mark.approximate  # estimated from the start of unemployment
    assert "Laki työttömyysetuuksien rahoituksesta 555/1998" in mark.rule.source
    # Starting on a Saturday counts from the Monday after.
    assert clock.hundred_day_date(date(2025, 11, 29), date(2026, 11, 28)).due_on == \
        clock.hundred_day_date(date(2025, 12, 1), date(2026, 11, 28)).due_on


def test_since_range_for_the_worklist_matches_the_mark():
    first, last = date(2026, 11, 30), date(2026, 12, 14)
    lo, hi = clock.since_range_reaching_mark(first, last)
    for since in (lo, hi):
        assert first <= clock.hundred_day_date(since, first).due_on <= last
    assert clock.hundred_day_date(lo - timedelta(days=1), first).due_on < first
    assert clock.hundred_day_date(hi + timedelta(days=1), first).due_on > last


@pytest.mark.parametrize(("registered", "due", "days"), [
    # Mon 22.12.2025, five working days: 23., (24.-26.), 29., 30., 31., (1.1.), 2.1.
    (date(2025, 12, 22), date(2026, 1, 2), 5),
    # Wed 31.12.2025, still five: 2.1., 5.1., (6.1.), 7., 8., 9.1.
    (date(2025, 12, 31), date(2026, 1, 9), 5),
    # Thu 1.1.2026, ten: 2., 5., (6.), 7., 8., 9., 12., 13., 14., 15., 16.1.
    (date(2026, 1, 1), date(2026, 1, 16), 10),
])
def test_initial_interview_across_the_change(registered, due, days):
    deadline = initial_interview_deadline(registered)
    assert (deadline.due_on, deadline.rule.value) == (due, days)


def test_conversations_before_and_after_2026():
    before = clock.conversations(date(2025, 12, 15), date(2025, 12, 30), None,
                                 date(2026, 1, 5))
    assert before.initial_interview is None
    assert before.supplementary_required == 5
    assert before.initial_phase_ends == date(2026, 3, 30)  # a Monday
    assert before.next_conversation.due_on == date(2026, 3, 30)
    after = clock.conversations(date(2026, 1, 2), date(2026, 1, 12), None, date(2026, 1, 20))
    assert after.supplementary_required == 0
    assert clock.conversations(date(2026, 1, 2), date(2026, 1, 12), None, date(2026, 1, 20),
                               plan_supplementary=2).supplementary_required == 2
    # Not yet interviewed: the next thing due is the initial interview itself.
    pending = clock.conversations(date(2026, 1, 2), None, None, date(2026, 1, 5))
    assert pending.initial_interview.due_on == date(2026, 1, 19)


@pytest.mark.parametrize(("last", "due"), [
    (date(2026, 3, 4), date(2026, 6, 4)),     # an ordinary Thursday
    (date(2026, 9, 6), date(2026, 12, 7)),    # 6.12. Independence Day (Sun) -> Mon 7.12.
    (date(2026, 3, 19), date(2026, 6, 22)),   # 19.6. Midsummer Eve -> Mon 22.6.
    (date(2025, 11, 30), date(2026, 3, 2)),   # 28.2. (month end) is a Saturday -> 2.3.
])
def test_job_search_conversation_every_three_months(last, due):
    plan = clock.conversations(date(2024, 1, 2), date(2024, 1, 8), last, last)
    assert plan.next_conversation.due_on == due


def test_review_periods_and_applications():
    periods = clock.review_periods(date(2026, 11, 1), 1, 4)
    assert [(p.starts_on, p.ends_on, p.applications, p.review_on) for p in periods] == [
        (date(2026, 11, 1), date(2026, 11, 30), 4, date(2026, 12, 1)),
        (date(2026, 12, 1), date(2026, 12, 31), 4, date(2027, 1, 4)),  # Fri 1.1. closed -> Mon
        (date(2027, 1, 1), date(2027, 1, 31), 4, date(2027, 2, 1)),
    ]
    # Part time: one application per three months; the review day 24.12. is Christmas
    # Eve, then Christmas, a weekend: Monday 28.12.2026.
    part_time = clock.review_periods(date(2026, 9, 24), 3, 1, count=1)[0]
    assert (part_time.ends_on, part_time.review_on) == (date(2026, 12, 23), date(2026, 12, 28))
    assert clock.current_review(periods, date(2026, 12, 15)) == periods[1]
    assert clock.review_periods(None, 1, 4) == []


def test_activation_plan_under_25_after_180_days():
    # Subsidy from Thu 1.1.2026, paid Mon-Fri: Jan 22, Feb 20, Mar 22, Apr 22, May 21,
    # Jun 22, Jul 23, Aug 21 = 173; September 1.-4. (177), 7., 8., 9.9. -> the 180th.
    due = clock.activation_plan_due(date(2003, 1, 1), [clock.SubsidySpell(date(2026, 1, 1),
                                                                           None)],
                                    date(2026, 2, 1))
    assert (due.due_on, due.rule.key, due.paid_days, due.approximate) == (
        date(2026, 9, 9), "activation_days_young", 180, True)


def test_activation_plan_window_of_twelve_months():
    # 100 days in early 2025, then nothing until 2026: the old days fall out of the window,
    # so the 180 days are counted within the last 12 months only.
    spells = [clock.SubsidySpell(date(2025, 1, 1), date(2025, 5, 20)),
              clock.SubsidySpell(date(2026, 1, 1), None)]
    due = clock.activation_plan_due(date(2003, 1, 1), spells, date(2026, 2, 1))
    assert due.due_on == date(2026, 9, 9)


def test_activation_plan_from_25_after_500_days():
    # 2025: 261 weekdays; 2026 to the end of August 173 (434), September 22 (456),
    # October 22 (478), November 21 (499), Tue 1.12.2026 the 500th.
    due = clock.activation_plan_due(date(1980, 1, 1), [clock.SubsidySpell(date(2025, 1, 1),
                                                                           None)],
                                    date(2026, 2, 1))
    assert (due.due_on, due.rule.key) == (date(2026, 12, 1), "activation_days_adult")


def test_turning_25_before_the_180_days_applies_the_500_day_rule():
    due = clock.activation_plan_due(date(2001, 6, 15), [clock.SubsidySpell(date(2026, 1, 1),
                                                                           None)],
                                    date(2026, 2, 1))
    assert due is None or due.rule.key == "activation_days_adult"


def test_groups_at_their_limits():
    today = date(2026, 11, 28)
    assert is_young(date(1996, 11, 29), today) and not is_young(date(1996, 11, 28), today)
    assert is_long_term(date(2025, 11, 28), today) and not is_long_term(date(2025, 11, 29),
                                                                          today)
    assert in_integration(date(2023, 11, 29), today)
    assert not in_integration(date(2023, 11, 28), today)
    found = groups(born=date(2000, 1, 1), unemployed_since=date(2025, 1, 1),
                   days_unemployed=400, partial_work_ability=True,
                   first_permit_on=None, barriers=3, today=today)
    assert found == [Group.YOUNG, Group.LONG_TERM, Group.PAST_100_DAYS,
                     Group.PARTIAL_WORK_ABILITY, Group.MANY_BARRIERS]
    assert rule_for("young_age_limit", today).value == 30


def test_balancing_moves_within_the_team_only():
    loads = [CoachLoad("a", "t1", 130), CoachLoad("b", "t1", 100), CoachLoad("c", "t1", 115),
             CoachLoad("d", "t2", 10), CoachLoad("e", "t2", 125)]
    moves = suggest_moves(loads, 120)
    assert moves == [Move("a", "b", 10), Move("e", "d", 5)]
    full = [CoachLoad("a", "t1", 130), CoachLoad("b", "t1", 120)]
    assert suggest_moves(full, 120) == []


def test_spread_fills_the_coach_with_most_room_first():
    chosen = spread(["x1", "x2", "x3"], [CoachLoad("a", None, 100), CoachLoad("b", None, 98)],
                    120)
    assert sorted(chosen.values()) == ["a", "b", "b"]


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@given(days, days)
def test_fast_working_day_count_matches_the_plain_one(first, last):
    expected = working_days_between(first - timedelta(days=1), last)
    assert clock.working_days_from(first, last) == (expected if last >= first else 0)


@settings(max_examples=200)
@given(days, days, st.integers(1, 3), st.integers(0, 10))
def test_no_deadline_falls_on_a_non_working_day(registered, last, months, applications):
    # The 100-day mark is a count, not a deadline: a weekday, possibly a holiday.
    assert clock.hundred_day_date(registered, date(2026, 11, 28)).due_on.weekday() < 5
    assert is_working_day(initial_interview_deadline(registered).due_on)
    plan = clock.conversations(registered, registered, last, last)
    assert is_working_day(plan.next_conversation.due_on)
    # No formulaic initial phase for interviews from 1.1.2026.
    assert (plan.initial_phase_ends is None) == (registered >= date(2026, 1, 1))
    assert plan.initial_phase_ends is None or is_working_day(plan.initial_phase_ends)
    for period in clock.review_periods(registered, months, applications):
        assert is_working_day(period.review_on)


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=date(1960, 1, 1), max_value=date(2008, 1, 1)), days,
       st.integers(30, 900))
def test_activation_due_is_a_working_day(born, start, length):
    spell = clock.SubsidySpell(start, start + timedelta(days=length))
    due = clock.activation_plan_due(born, [spell], start)
    assert due is None or is_working_day(due.due_on)
