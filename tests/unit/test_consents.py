"""A customer's consents to share information with partners (#24): recorded and withdrawn
by those in charge of the customer, the checks of the form, in force by the day, newest
first; `require_consent` refuses a sharing action with the reason and audits the refusal
in a transaction of its own, so it stays when the caller's rolls back."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.dto.partners import ConsentInput, PartnerOrgInput
from app.models import AuditEvent, OutboxEntry, ServicePoint, Staff, StaffCredential
from app.rules.codes import ConsentInfo, Role, ServicePointMode
from app.rules.permissions import Permission
from app.services.errors import PermissionDenied, ServiceError, ValidationFailed
from app.services.partners import ConsentRefused, require_consent
from tests.factories import Clock, add_people, verifier

TODAY = date(2026, 11, 24)


@pytest.fixture
def coach(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("coach", "demo")
    return services


@pytest.fixture
def customer(coach):
    return add_people(coach)[0]


@pytest.fixture
def kela(coach):
    return coach.partners.save_org(None, PartnerOrgInput("Kela Rovaniemi", "kela")).id


def consent(org_id, info=("plan", "contact"), **kw):
    values = dict(partner_org_id=org_id, purpose="Monialainen suunnitelma",
                  information=info, given_how="signed", valid_from=TODAY)
    values.update(kw)
    return ConsentInput(**values)


def audits(services, action):
    with services.ctx.reading() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_coach_records_a_consent(coach, customer, kela):
    row = coach.consents.record(customer, consent(kela, info=("plan", "contact", "plan"),
                                                  valid_until=date(2027, 11, 23)))
    assert (row.org_name, row.information, row.given_how, row.in_force) == (
        "Kela Rovaniemi", ("contact", "plan"), "signed", True)
    assert row.recorded_by_name == "Pekka Ylitalo" and row.withdrawn_by_name is None
    assert coach.consents.consents(customer) == [row]
    (audit,) = audits(coach, "consent.record")
    detail = json.loads(audit.detail)
    assert detail == {"customer_id": customer, "partner_org_id": kela,
                      "information": ["contact", "plan"], "given_how": "signed"}
    with coach.ctx.reading() as s:
        assert s.scalar(select(OutboxEntry.seq).where(
            OutboxEntry.table_name == "customer_consent", OutboxEntry.row_id == row.id))


def test_the_form_says_what_is_wrong(coach, customer, kela):
    with pytest.raises(ValidationFailed) as failed:
        coach.consents.record(customer, ConsentInput("", " ", (), "by_pigeon", TODAY,
                                                     TODAY - timedelta(days=1)))
    assert set(failed.value.errors) == {"partner_org_id", "purpose", "information",
                                        "given_how", "valid_until"}
    with pytest.raises(ValidationFailed) as failed:
        coach.consents.record(customer, consent(kela, info=("plan", "shoe_size")))
    assert set(failed.value.errors) == {"information"}
    with pytest.raises(ValidationFailed) as failed:
        coach.consents.record(customer, consent("no-such-org"))
    assert set(failed.value.errors) == {"partner_org_id"}


def test_a_consent_may_start_later_and_is_not_in_force_before(coach, customer, kela):
    row = coach.consents.record(customer, consent(kela, valid_from=TODAY + timedelta(7)))
    assert not row.in_force
    assert coach.consents.check(customer, kela, "plan") == (
        "The customer's consent for this partner is not yet in force.")
    # Withdrawn before it starts (by default from its first day): it never comes in force.
    gone = coach.consents.withdraw(row.id)
    assert gone.withdrawn_on == TODAY + timedelta(7)
    coach.ctx.now = Clock(coach.ctx.now() + timedelta(days=8))
    assert coach.consents.check(customer, kela, "plan") is not None


def test_newest_first(coach, customer, kela):
    ohjaamo = coach.partners.save_org(None, PartnerOrgInput("Ohjaamo", "ohjaamo")).id
    old = coach.consents.record(customer, consent(kela, valid_from=date(2026, 1, 5)))
    new = coach.consents.record(customer, consent(ohjaamo))
    assert [c.id for c in coach.consents.consents(customer)] == [new.id, old.id]


def test_a_withdrawal_ends_the_consent_for_good(coach, customer, kela):
    row = coach.consents.record(customer, consent(kela, valid_from=date(2026, 10, 1)))
    with pytest.raises(ValidationFailed) as failed:
        coach.consents.withdraw(row.id, date(2026, 9, 30))
    assert set(failed.value.errors) == {"withdrawn_on"}
    gone = coach.consents.withdraw(row.id)
    assert (gone.withdrawn_on, gone.withdrawn_by_name, gone.in_force) == (
        TODAY, "Pekka Ylitalo", False)
    with pytest.raises(ServiceError, match="already been withdrawn"):
        coach.consents.withdraw(row.id)
    assert coach.consents.check(customer, kela, "plan") == (
        "The customer has withdrawn their consent to share this with this partner.")
    assert len(audits(coach, "consent.withdraw")) == 1


def test_a_withdrawal_from_a_later_day_leaves_it_in_force_until_then(coach, customer, kela):
    row = coach.consents.record(customer, consent(kela))
    later = coach.consents.withdraw(row.id, TODAY + timedelta(days=3))
    assert later.in_force and coach.consents.check(customer, kela, "plan") is None


def test_check_names_what_is_missing(coach, customer, kela):
    assert coach.consents.check(customer, kela, "plan") == (
        "The customer has not given consent to share information with this partner.")
    coach.consents.record(customer, consent(kela, info=("contact",)))
    assert coach.consents.check(customer, kela, "contact") is None
    assert coach.consents.check(customer, kela, "plan") == (
        "The customer's consent for this partner does not cover this information.")
    coach.consents.record(customer, consent(kela, info=("plan",), valid_from=date(2025, 1, 1),
                                            valid_until=date(2025, 12, 31)))
    assert coach.consents.check(customer, kela, "plan") == (
        "The customer's consent for this partner has expired.")


def test_require_consent_refuses_and_the_refusal_is_audited(coach, customer, kela):
    with (pytest.raises(ConsentRefused) as refused,
          coach.ctx.transaction(Permission.PLAN_EDIT) as s):
        require_consent(coach.ctx, s, customer, kela, ConsentInfo.PLAN, "meeting")
    assert refused.value.message == (
        "The customer has not given consent to share information with this partner.")
    (audit,) = audits(coach, "partner.share.refused")
    assert audit.entity_id == customer and audit.staff_id == "staff-coach"
    assert json.loads(audit.detail) == {"action": "meeting", "partner_org_id": kela,
                                        "info": "plan"}
    coach.consents.record(customer, consent(kela))
    with coach.ctx.transaction(Permission.PLAN_EDIT) as s:
        require_consent(coach.ctx, s, customer, kela, ConsentInfo.PLAN, "meeting")
    assert len(audits(coach, "partner.share.refused")) == 1


def test_the_desk_reads_consents_but_does_not_record_them(coach, customer, kela):
    row = coach.consents.record(customer, consent(kela))
    coach.auth.sign_out()
    coach.auth.sign_in("desk", "demo")
    assert [c.id for c in coach.consents.consents(customer)] == [row.id]
    assert coach.consents.check(customer, kela, "plan") is None
    with pytest.raises(PermissionDenied):
        coach.consents.record(customer, consent(kela))
    with pytest.raises(PermissionDenied):
        coach.consents.withdraw(row.id)


def test_only_those_in_charge_of_the_customer_record(coach, customer, kela):
    with coach.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.APPOINTMENT))
        s.flush()
        s.add(Staff(id="staff-other", username="other", full_name="Olli Muu",
                    role=Role.COACH, service_point_id="sp-ran"))
        s.flush()
        s.add(StaffCredential(staff_id="staff-other", verifier=verifier()))
    row = coach.consents.record(customer, consent(kela))
    coach.auth.sign_out()
    coach.auth.sign_in("other", "demo")
    with pytest.raises(PermissionDenied):
        coach.consents.record(customer, consent(kela))
    with pytest.raises(PermissionDenied):
        coach.consents.withdraw(row.id)
    coach.auth.sign_out()
    coach.auth.sign_in("lead", "demo")
    assert coach.consents.withdraw(row.id).withdrawn_by_name == "Liisa Lead"


def test_no_new_consent_to_an_organisation_no_longer_worked_with(coach, customer, kela):
    coach.partners.save_org(kela, PartnerOrgInput("Kela Rovaniemi", "kela", active=False))
    with pytest.raises(ValidationFailed) as failed:
        coach.consents.record(customer, consent(kela))
    assert set(failed.value.errors) == {"partner_org_id"}
