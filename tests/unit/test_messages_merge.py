"""A customer merge and messages (#23): the duplicate's messages move to the real customer;
the contact preference folds as the centre's c0105 merge does it (the real customer's
kept; the duplicate's copied under the real customer's derived id when the real has
none; the duplicate's tombstoned)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.dto.messages import PreferenceInput
from app.models.message import ContactPreference, Message
from app.rules.codes import MessageChannel, MessageKind, MessageStatus
from app.rules.messages import message_id, preference_id
from app.services.customer_merge import MOVE_LABELS
from tests.factories import Clock, customer_input

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def lead(services):
    services.ctx.now = Clock(NOW)
    services.auth.sign_in("lead", "demo")
    return services


def customer(services, individual, **kw):
    return services.customers.create(customer_input(
        "Testi", "Asiakas", date(1990, 1, 1), individual, phone="040 765 4321",
        email=f"a{individual}@example.fi", **kw)).id


def agree(services, customer_id, sms, email, language=None):
    services.messages.save_preference(customer_id, PreferenceInput(
        sms=sms, email=email, opted_out=False, language=language, given_how="phone",
        given_on=date(2026, 11, 20)))


def add_message(services, customer_id, about):
    with services.ctx.session_factory.begin() as s:
        s.add(Message(id=message_id(MessageKind.REMINDER, about), customer_id=customer_id,
                      service_point_id="sp-rov", kind=MessageKind.REMINDER,
                      channel=MessageChannel.SMS, status=MessageStatus.SENT, language="fi",
                      about_id=about, due_at=NOW, sent_at=NOW, attempts=1))


def preferences(services):
    with services.ctx.session_factory() as s:
        return {p.id: (p.customer_id, p.sms, p.email, p.language, p.deleted_at is None)
                for p in s.scalars(select(ContactPreference))}


def test_messages_move_and_the_duplicates_preference_is_copied_when_the_real_has_none(lead):
    real, dup = customer(lead, 301), customer(lead, 302)
    add_message(lead, dup, "a-1")
    add_message(lead, dup, "a-2")
    add_message(lead, real, "a-3")
    agree(lead, dup, sms=True, email=False, language="sv")
    assert "message" in MOVE_LABELS and "contact_preference" in MOVE_LABELS
    preview = lead.customer_merge.preview(dup, real)
    assert dict(preview.moves)["message"] == 2
    assert dict(preview.moves)["contact_preference"] == 1
    done = lead.customer_merge.merge(dup, real)
    assert dict(done.moves) == dict(preview.moves)
    assert [m.customer_id for m in lead.messages.history(real)] == [real] * 3
    assert preferences(lead) == {
        preference_id(dup): (dup, True, False, "sv", False),
        preference_id(real): (real, True, False, "sv", True)}
    assert lead.messages.preference(real).recorded


def test_the_real_customers_own_preference_is_kept(lead):
    real, dup = customer(lead, 301), customer(lead, 302)
    agree(lead, real, sms=False, email=True)
    agree(lead, dup, sms=True, email=True, language="en")
    lead.customer_merge.merge(dup, real)
    assert preferences(lead) == {
        preference_id(dup): (dup, True, True, "en", False),
        preference_id(real): (real, False, True, None, True)}


def test_a_tombstoned_preference_of_the_real_customer_is_revived_with_the_duplicates(lead):
    real, dup = customer(lead, 301), customer(lead, 302)
    agree(lead, real, sms=False, email=True)
    with lead.ctx.session_factory.begin() as s:
        s.get(ContactPreference, preference_id(real)).deleted_at = NOW
    agree(lead, dup, sms=True, email=False)
    lead.customer_merge.merge(dup, real)
    assert preferences(lead)[preference_id(real)] == (real, True, False, None, True)


def test_an_opt_out_on_the_duplicate_holds_after_the_merge(lead):
    real, dup = customer(lead, 301), customer(lead, 302)
    agree(lead, real, sms=True, email=True)
    lead.messages.save_preference(dup, PreferenceInput(
        sms=False, email=False, opted_out=True, language=None, given_how="phone",
        given_on=date(2026, 11, 21)))
    lead.customer_merge.merge(dup, real)
    kept = lead.messages.preference(real)
    assert kept.opted_out and not kept.sms and not kept.email
