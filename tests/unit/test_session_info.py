"""`services.session`: what the views know of the session, read from the context at each
call (tests set the context's clock), with no database in it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.factories import Clock


def test_the_session_reads_the_context_clock_and_the_actor_at_each_call(services):
    clock = Clock(datetime(2026, 11, 24, 21, 30, tzinfo=UTC))  # 23.30 in Helsinki
    services.ctx.now = clock
    session = services.session
    assert session.now() == clock.now and session.today() == date(2026, 11, 24)
    clock.advance(60)  # past midnight in Helsinki
    assert session.now() == clock.now and session.today() == date(2026, 11, 25)
    assert session.actor is None
    services.auth.sign_in("coach", "demo")
    assert session.actor is not None and session.actor.username == "coach"
    services.auth.sign_out()
    assert session.actor is None


def test_the_session_holds_no_engine_nor_context(services):
    held = vars(services.session).values()
    assert all(callable(value) for value in held)  # functions over the context, no objects
    assert not any(hasattr(services.session, name) for name in ("ctx", "engine"))
