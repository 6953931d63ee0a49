"""Failed sign-ins slow down and lock the account on this workstation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules import signin
from app.services.errors import SignInFailed
from tests.factories import Clock

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@given(st.integers(min_value=0, max_value=50))
def test_the_delay_never_shrinks_as_failures_grow(count):
    assert signin.delay_after(count + 1) >= signin.delay_after(count)


def test_the_first_failures_are_free_then_the_delay_grows_then_it_locks():
    delays = [signin.delay_after(n).total_seconds() for n in range(1, signin.LOCK_AFTER + 1)]
    assert delays[:2] == [0, 0] and delays[2] < delays[3] < delays[-1]
    assert signin.delay_after(signin.LOCK_AFTER) == signin.LOCK_FOR


def test_failures_round_trip_and_garbage_is_ignored():
    f = signin.Failures(3, T0)
    assert signin.Failures.decode(f.encode()) == f
    assert signin.Failures.decode("x|y") is None


def test_after_a_lock_runs_out_attempts_are_allowed_again():
    locked = signin.Failures(signin.LOCK_AFTER, T0)
    assert signin.is_locked(locked, T0 + timedelta(minutes=1))
    later = T0 + signin.LOCK_FOR + timedelta(seconds=1)
    assert not signin.is_locked(locked, later)
    again = signin.after_failure(locked, later)
    assert again.count < signin.LOCK_AFTER and signin.delay_after(again.count) > timedelta(0)


@pytest.fixture
def clocked(services):
    clock = Clock(T0)
    services.ctx.now = clock
    return services, clock


def _fail(services, password="wrong"):
    with pytest.raises(SignInFailed) as caught:
        services.auth.sign_in("coach", password)
    return caught.value


def test_wrong_passwords_slow_down_then_lock_then_a_right_one_resets(clocked):
    services, clock = clocked
    for _ in range(signin.FREE_ATTEMPTS):
        assert _fail(services).message == "The username or password is wrong."
    _fail(services)  # the third failure: a delay starts
    early = _fail(services, "demo")  # even the right password waits
    assert "wait {seconds} s" in early.message and early.params["seconds"] >= 1
    for _ in range(signin.LOCK_AFTER - signin.FREE_ATTEMPTS - 1):
        clock.advance(2)  # minutes: past every short delay
        last = _fail(services)
    assert "locked" in last.message and last.params["minutes"] == 15
    clock.advance(5)
    assert "locked" in _fail(services, "demo").message
    clock.advance(11)
    assert services.auth.sign_in("coach", "demo").username == "coach"
    services.auth.sign_out()
    assert _fail(services).message == "The username or password is wrong."  # reset


def test_unknown_names_are_counted_too(clocked):
    services, _clock = clocked
    for _ in range(signin.FREE_ATTEMPTS + 1):
        with pytest.raises(SignInFailed):
            services.auth.sign_in("nobody", "x")
    with pytest.raises(SignInFailed, match="Too many"):
        services.auth.sign_in("nobody", "x")
    assert services.auth.sign_in("coach", "demo")  # another account is not affected


def test_unlocking_needs_the_signed_in_persons_password(clocked):
    services, _clock = clocked
    services.auth.sign_in("coach", "demo")
    with pytest.raises(SignInFailed):
        services.auth.unlock("wrong")
    services.auth.unlock("demo")
    assert services.auth.session_url is None  # no central database configured
