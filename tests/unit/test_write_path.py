import pytest
from sqlalchemy import select

from app.models import AuditEvent, Feedback, ServicePoint
from app.rules.codes import Channel
from app.sync.hlc import HybridClock, parse_hlc
from app.sync.outbox import AppendOnlyViolation


def test_append_only_rows_cannot_change(signed_in):
    from app.models import utcnow

    ctx = signed_in.ctx
    with ctx.session_factory.begin() as s:
        s.add(Feedback(id="f1", service_point_id="sp-rov", channel=Channel.SERVICE_POINT,
                       answered_at=utcnow(), score=5))
    with pytest.raises(AppendOnlyViolation), ctx.session_factory.begin() as s:
        s.get(Feedback, "f1").score = 1


def test_synchronised_rows_are_tombstoned_not_deleted(signed_in):
    with pytest.raises(AppendOnlyViolation), signed_in.ctx.session_factory.begin() as s:
        s.delete(s.get(ServicePoint, "sp-rov"))


def test_sign_in_is_audited(signed_in):
    with signed_in.ctx.session_factory() as s:
        actions = s.scalars(select(AuditEvent.action)).all()
    assert "sign_in" in actions


def test_wrong_password_refused(services):
    from app.services.errors import SignInFailed

    with pytest.raises(SignInFailed):
        services.auth.sign_in("coach", "wrong")
    with pytest.raises(SignInFailed):
        services.auth.sign_in("nobody", "demo")
    assert services.ctx.actor is None


def test_hlc_is_monotonic_even_when_wall_clock_steps_back():
    wall = iter([1000, 1000, 900, 1500])
    clock = HybridClock("a", lambda: next(wall))
    stamps = [clock.now() for _ in range(4)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4


def test_hlc_observe_moves_past_remote():
    clock = HybridClock("a", lambda: 1000)
    clock.observe("0000000005000:00003:b")
    ms, counter, node = parse_hlc(clock.now())
    assert (ms, node) == (5000, "a") and counter > 3
