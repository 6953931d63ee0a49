"""Kiosk answers are written locally (offline) and reach the centre and other desks on
the next sync; the kiosk PIN verifier never leaves the workstation."""

from __future__ import annotations

from sqlalchemy import inspect, select

from app.models import Feedback
from app.services.feedback import FeedbackAnswer
from app.sync.digest import local_digest
from tests.factories import Clock
from tests.integration.test_sync import central, desks, pending  # noqa: F401 (fixtures)


def test_kiosk_answers_sync_and_the_pin_stays_local(desks, central):  # noqa: F811
    a = desks("a", seed=True)
    a.services.ctx.now = Clock()
    # Offline: nothing has been synchronised yet; the answers wait in the outbox.
    for score in (5, 2):
        a.services.feedback.record_at_kiosk("sp-rov", FeedbackAnswer(score=score))
    a.sign_in().auth.set_pin("2468")
    assert len(pending(a)) >= 2
    a.sync()
    assert pending(a) == []
    b = desks("b")
    b.sync()
    with b.services.ctx.session_factory() as s:
        assert sorted(s.scalars(select(Feedback.score))) == [2, 5]
    tables = ["feedback", "feedback_reply_request"]
    assert local_digest(b.services.ctx.engine, tables) == local_digest(
        a.services.ctx.engine, tables)
    assert "staff_credential" not in inspect(central).get_table_names()
