"""Finnish working days, the initial-interview rule across 1 January 2026, and the
synchronised area settings."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.statutory import initial_interview_deadline, rule_for
from app.rules.workdays import add_working_days, holiday_name, is_working_day


@pytest.mark.parametrize("day", [
    date(2026, 1, 1), date(2026, 1, 6), date(2026, 4, 3), date(2026, 4, 6),
    date(2026, 5, 14), date(2026, 6, 19), date(2026, 6, 20), date(2026, 12, 24),
    date(2026, 12, 25), date(2026, 12, 26), date(2027, 3, 26), date(2027, 3, 29),
    date(2027, 6, 25), date(2027, 12, 6),
])
def test_holidays_and_eves_are_not_working_days(day):
    assert not is_working_day(day)
    assert holiday_name(day)


def test_ordinary_weekdays_work():
    assert is_working_day(date(2026, 11, 27))  # a Friday
    assert not is_working_day(date(2026, 11, 28))  # a Saturday


def test_initial_interview_five_days_before_2026_ten_after():
    # Registered Fri 19.12.2025: 22, 23, (24-26 closed), 29, 30, 31 -> 31.12.2025.
    assert initial_interview_deadline(date(2025, 12, 19)).due_on == date(2025, 12, 31)
    # Registered Fri 2.1.2026: 5, (6 Epiphany), 7, 8, 9, 12, 13, 14, 15, 16, 19.
    deadline = initial_interview_deadline(date(2026, 1, 2))
    assert deadline.due_on == date(2026, 1, 19)
    assert deadline.rule.value == 10 and "380/2023" in deadline.rule.source
    assert rule_for("initial_interview", date(2025, 12, 31)).value == 5


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
       st.integers(min_value=1, max_value=40))
def test_deadlines_never_fall_on_a_non_working_day(start, count):
    assert is_working_day(add_working_days(start, count))


def test_area_setting_defaults_and_change(services):
    assert services.settings.get("caseload_cap") == 120
    services.auth.sign_in("lead", "demo")
    services.settings.set("caseload_cap", 100)
    assert services.settings.get("caseload_cap") == 100
    services.auth.sign_in("coach", "demo")
    from app.services.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.settings.set("caseload_cap", 90)
    with pytest.raises(KeyError):
        services.settings.get("no_such_setting")
