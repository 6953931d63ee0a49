"""Multi-professional work (#24) at the workstation: the area's register of partner
organisations and their people, and a customer's consents to share information with a
partner.

The register is reference data, no customer in it: everyone signed in reads it,
`partner.manage` keeps it. A consent is read with `customer.read` by whoever sees the
customer and recorded or withdrawn with `consent.record` by those in charge of the
customer (their service point's, their own coach; team leads and admins: all), as the
central database holds it (c0110). A withdrawal is never undone: a new consent is a new
row.

Every sharing action of another service asks `require_consent` inside its own
transaction first: without a consent in force covering the information it is refused
with the reason (rules/partners.py `refusal`), and the refusal is audited. Every write
goes through the one write path (`ctx.transaction`, the outbox) and is audited without
personal data (ids and codes only)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dto.partners import (
    ConsentInput,
    ConsentRow,
    PartnerOrgInput,
    PartnerOrgRow,
    PartnerPersonInput,
    PartnerPersonRow,
)
from app.i18n import N_
from app.models import Customer, Staff
from app.models.partner import CustomerConsent, PartnerOrg, PartnerPerson
from app.rules import partners as rules
from app.rules.codes import ConsentHow, ConsentInfo, PartnerKind
from app.rules.customer import nfc, normalise_phone
from app.rules.permissions import Permission
from app.services import text_guard
from app.services.context import AppContext
from app.services.customers import live_customer
from app.services.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from app.sync import outbox

REQUIRED = N_("Required.")
# As the customer form and the provider register check them.
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")

ORG_TEXT = ("name", "phone", "email", "street_address", "postal_code", "post_office")
PERSON_TEXT = ("full_name", "title", "phone", "email")

NO_ORG = N_("No such partner organisation.")
NO_PERSON = N_("No such partner person.")
NO_CONSENT = N_("No such consent.")
NOT_IN_CHARGE = N_("Consents are recorded by the customer's own service point or coach.")


class ConsentRefused(ServiceError):
    """A sharing action without a consent in force that covers it: `message` is the
    reason (rules/partners.py `refusal`), an N_() msgid."""


# --- helpers shared with the other services of #24 ----------------------------------------


def consent_facts(consent: CustomerConsent) -> rules.ConsentFacts:
    return rules.ConsentFacts(consent.partner_org_id,
                              rules.parse_information(consent.information),
                              consent.valid_from, consent.valid_until, consent.withdrawn_on)


def customer_consents(s: Session, customer_id: str) -> list[rules.ConsentFacts]:
    """The customer's consents (not tombstoned) as the rules read them."""
    return [consent_facts(c) for c in s.scalars(select(CustomerConsent).where(
        CustomerConsent.customer_id == customer_id, CustomerConsent.deleted_at.is_(None)))]


def refusal_for(s: Session, customer_id: str, partner_org_id: str, info: ConsentInfo,
                day: date) -> str | None:
    """The refusal msgid, or None when a consent in force on `day` covers `info`."""
    return rules.refusal(customer_consents(s, customer_id), partner_org_id, info, day)


def require_consent(ctx: AppContext, s: Session, customer_id: str, partner_org_id: str,
                    info: ConsentInfo, action: str) -> None:
    """Inside the caller's transaction (call it before writing anything there): refuse
    the sharing `action` ("meeting", "invitation", "plan_print", "plan") unless the
    customer's consent in force today covers `info` for the partner. A refusal is audited
    (`partner.share.refused`) in a transaction of its own, so it stays when the caller's
    rolls back, and raised as ConsentRefused(reason). The caller audits a successful
    sharing itself."""
    reason = refusal_for(s, customer_id, partner_org_id, info, ctx.today())
    if reason is None:
        return
    with ctx.session_factory.begin() as own:
        if ctx.actor is not None:
            own.info[outbox.ACTOR_KEY] = ctx.actor.staff_id
        ctx.audit(own, "partner.share.refused", "customer", customer_id,
                  {"action": action, "partner_org_id": partner_org_id,
                   "info": ConsentInfo(info).value})
    raise ConsentRefused(reason)


def _name(value: str) -> str:
    """A name as typed, its runs of white space made one space."""
    return " ".join(nfc(value or "").split())


def _blank(value: str | None) -> str | None:
    text = nfc(value or "")
    return text or None


def _contact_errors(phone: str, email: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if nfc(phone) and not _PHONE.match(normalise_phone(phone)):
        errors["phone"] = N_("A phone number has 6 to 15 digits, for example 040 123 4567.")
    if nfc(email) and not _EMAIL.match(nfc(email)):
        errors["email"] = N_("Check the email address, for example name@example.fi.")
    return errors


def _phone(value: str) -> str | None:
    return normalise_phone(value) if nfc(value) else None


def _org_row(o: PartnerOrg, people: int) -> PartnerOrgRow:
    return PartnerOrgRow(o.id, o.name, PartnerKind(o.kind).value, o.phone, o.email,
                         o.street_address, o.postal_code, o.post_office, bool(o.active),
                         people)


def _person_row(p: PartnerPerson, o: PartnerOrg) -> PartnerPersonRow:
    return PartnerPersonRow(p.id, p.partner_org_id, o.name, PartnerKind(o.kind).value,
                            p.full_name, p.title, p.phone, p.email, bool(p.active))


def _information(codes: Iterable[str]) -> tuple[str, ...]:
    chosen = set(codes)
    return tuple(i.value for i in ConsentInfo if i.value in chosen)


class PartnerService:
    """The partner register (organisations and their people)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- reading ----------------------------------------------------------------------

    def orgs(self, include_inactive: bool = False) -> list[PartnerOrgRow]:
        """The organisations by name (active first), each with its active people."""
        self.ctx.signed_in  # noqa: B018 - reading needs only a signed-in actor
        with self.ctx.reading() as s:
            counts = dict(s.execute(
                select(PartnerPerson.partner_org_id, func.count())
                .where(PartnerPerson.deleted_at.is_(None), PartnerPerson.active.is_(True))
                .group_by(PartnerPerson.partner_org_id)).all())
            stmt = select(PartnerOrg).where(PartnerOrg.deleted_at.is_(None))
            if not include_inactive:
                stmt = stmt.where(PartnerOrg.active.is_(True))
            rows = [_org_row(o, counts.get(o.id, 0)) for o in s.scalars(stmt)]
        rows.sort(key=lambda r: (not r.active, r.name.casefold(), r.id))
        return rows

    def org(self, org_id: str) -> PartnerOrgRow:
        self.ctx.signed_in  # noqa: B018
        with self.ctx.reading() as s:
            o = self._org(s, org_id)
            return _org_row(o, self._people_count(s, o.id))

    def people(self, org_id: str | None = None, include_inactive: bool = False
               ) -> list[PartnerPersonRow]:
        """The people (of one organisation, or of all), by organisation and name. Without
        `include_inactive`, neither inactive people nor those of inactive organisations."""
        self.ctx.signed_in  # noqa: B018
        with self.ctx.reading() as s:
            stmt = (select(PartnerPerson, PartnerOrg)
                    .join(PartnerOrg, PartnerOrg.id == PartnerPerson.partner_org_id)
                    .where(PartnerPerson.deleted_at.is_(None), PartnerOrg.deleted_at.is_(None)))
            if org_id is not None:
                stmt = stmt.where(PartnerPerson.partner_org_id == org_id)
            if not include_inactive:
                stmt = stmt.where(PartnerPerson.active.is_(True), PartnerOrg.active.is_(True))
            rows = [_person_row(p, o) for p, o in s.execute(stmt).all()]
        rows.sort(key=lambda r: (not r.active, r.org_name.casefold(), r.full_name.casefold(),
                                 r.id))
        return rows

    def person(self, person_id: str) -> PartnerPersonRow:
        self.ctx.signed_in  # noqa: B018
        with self.ctx.reading() as s:
            p = self._person(s, person_id)
            return _person_row(p, self._org(s, p.partner_org_id, live_only=False))

    # --- writing ----------------------------------------------------------------------

    def save_org(self, org_id: str | None, data: PartnerOrgInput) -> PartnerOrgRow:
        """A new organisation (org_id None) or the edits of one."""
        self.ctx.require(Permission.PARTNER_MANAGE)
        errors = text_guard.field_errors(
            PartnerOrg, {name: nfc(getattr(data, name)) for name in ORG_TEXT})
        if not nfc(data.name):
            errors.setdefault("name", REQUIRED)
        try:
            kind = PartnerKind(data.kind)
        except ValueError:
            errors["kind"] = N_("Choose the kind of organisation.")
        for key, message in _contact_errors(data.phone, data.email).items():
            errors.setdefault(key, message)
        if nfc(data.postal_code) and not re.fullmatch(r"\d{5}", nfc(data.postal_code)):
            errors.setdefault("postal_code", N_("A postal code has five digits."))
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.PARTNER_MANAGE) as s:
            wanted = _name(data.name).casefold()
            if any(name.casefold() == wanted for name in s.scalars(
                    select(PartnerOrg.name).where(PartnerOrg.deleted_at.is_(None),
                                                  PartnerOrg.id != (org_id or "")))):
                raise ValidationFailed({"name": N_(
                    "The register already has an organisation of this name.")})
            if org_id is None:
                o = PartnerOrg()
                s.add(o)
            else:
                o = self._org(s, org_id)
            o.name = _name(data.name)
            o.kind = kind
            o.phone = _phone(data.phone)
            o.email = _blank(data.email)
            o.street_address = _blank(data.street_address)
            o.postal_code = _blank(data.postal_code)
            o.post_office = _blank(data.post_office)
            o.active = bool(data.active)
            s.flush()
            self.ctx.audit(s, "partner.org.create" if org_id is None else "partner.org.update",
                           "partner_org", o.id, {"kind": kind.value, "active": o.active})
            return _org_row(o, self._people_count(s, o.id))

    def save_person(self, person_id: str | None, data: PartnerPersonInput
                    ) -> PartnerPersonRow:
        """A new person of an organisation (person_id None) or the edits of one. A person
        stays with their organisation: someone who moved is a new person there."""
        self.ctx.require(Permission.PARTNER_MANAGE)
        errors = text_guard.field_errors(
            PartnerPerson, {name: nfc(getattr(data, name)) for name in PERSON_TEXT})
        if not nfc(data.full_name):
            errors.setdefault("full_name", REQUIRED)
        if not data.partner_org_id:
            errors["partner_org_id"] = N_("Choose the organisation.")
        for key, message in _contact_errors(data.phone, data.email).items():
            errors.setdefault(key, message)
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.PARTNER_MANAGE) as s:
            o = s.get(PartnerOrg, data.partner_org_id)
            if o is None or o.deleted_at is not None:
                raise ValidationFailed({"partner_org_id": N_("Choose the organisation.")})
            if person_id is None:
                p = PartnerPerson(partner_org_id=o.id)
                s.add(p)
            else:
                p = self._person(s, person_id)
                if p.partner_org_id != o.id:
                    raise ValidationFailed({"partner_org_id": N_(
                        "A person stays with their organisation: add them to the new one "
                        "as a new person.")})
            p.full_name = _name(data.full_name)
            p.title = _blank(data.title)
            p.phone = _phone(data.phone)
            p.email = _blank(data.email)
            p.active = bool(data.active)
            s.flush()
            self.ctx.audit(s, "partner.person.create" if person_id is None
                           else "partner.person.update", "partner_person", p.id,
                           {"partner_org_id": o.id, "active": p.active})
            return _person_row(p, o)

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _people_count(s: Session, org_id: str) -> int:
        return int(s.scalar(select(func.count()).select_from(PartnerPerson).where(
            PartnerPerson.partner_org_id == org_id, PartnerPerson.deleted_at.is_(None),
            PartnerPerson.active.is_(True))) or 0)

    @staticmethod
    def _org(s: Session, org_id: str, live_only: bool = True) -> PartnerOrg:
        o = s.get(PartnerOrg, org_id)
        if o is None or (live_only and o.deleted_at is not None):
            raise NotFound(NO_ORG)
        return o

    @staticmethod
    def _person(s: Session, person_id: str) -> PartnerPerson:
        p = s.get(PartnerPerson, person_id)
        if p is None or p.deleted_at is not None:
            raise NotFound(NO_PERSON)
        return p


class ConsentService:
    """A customer's consents to share information with partners."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def consents(self, customer_id: str) -> list[ConsentRow]:
        """The customer's consents, newest first (by the day given, then as recorded)."""
        self.ctx.require(Permission.CUSTOMER_READ)
        with self.ctx.reading() as s:
            live_customer(s, customer_id)
            found = list(s.scalars(select(CustomerConsent).where(
                CustomerConsent.customer_id == customer_id,
                CustomerConsent.deleted_at.is_(None))))
            found.sort(key=lambda c: (c.valid_from, c.hlc or "", c.id), reverse=True)
            return self._rows(s, found)

    def consent(self, consent_id: str) -> ConsentRow:
        self.ctx.require(Permission.CUSTOMER_READ)
        with self.ctx.reading() as s:
            c = self._consent(s, consent_id)
            return self._rows(s, [c])[0]

    def check(self, customer_id: str, partner_org_id: str, info: str) -> str | None:
        """The refusal msgid for sharing `info` with the partner today, or None (for the
        screens to grey out or explain; the sharing action checks again)."""
        self.ctx.require(Permission.CUSTOMER_READ)
        with self.ctx.reading() as s:
            return refusal_for(s, customer_id, partner_org_id, ConsentInfo(info),
                               self.ctx.today())

    def record(self, customer_id: str, data: ConsentInput) -> ConsentRow:
        """Record a consent the customer gave. It may start later than today; it cannot
        end before it starts."""
        actor = self.ctx.require(Permission.CONSENT_RECORD)
        purpose = nfc(data.purpose)
        errors = text_guard.field_errors(CustomerConsent, {"purpose": purpose})
        if not purpose:
            errors.setdefault("purpose", REQUIRED)
        if not data.partner_org_id:
            errors["partner_org_id"] = N_("Choose the partner organisation.")
        known = {i.value for i in ConsentInfo}
        if not data.information or any(i not in known for i in data.information):
            errors["information"] = N_("Choose at least one kind of information.")
        try:
            how = ConsentHow(data.given_how)
        except ValueError:
            errors["given_how"] = N_("Choose how the consent was given.")
        if data.valid_until is not None and data.valid_until < data.valid_from:
            errors["valid_until"] = N_("The consent cannot end before it starts.")
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.CONSENT_RECORD) as s:
            customer = live_customer(s, customer_id)
            self._check_in_charge(s, customer)
            o = s.get(PartnerOrg, data.partner_org_id)
            if o is None or o.deleted_at is not None or not o.active:
                raise ValidationFailed({"partner_org_id": N_(
                    "Choose the partner organisation.")})
            information = _information(data.information)
            c = CustomerConsent(
                customer_id=customer.id, partner_org_id=o.id, purpose=purpose,
                information=rules.format_information(ConsentInfo(i) for i in information),
                given_how=how, valid_from=data.valid_from, valid_until=data.valid_until,
                recorded_by=actor.staff_id)
            s.add(c)
            s.flush()
            self.ctx.audit(s, "consent.record", "customer_consent", c.id,
                           {"customer_id": customer.id, "partner_org_id": o.id,
                            "information": list(information), "given_how": how.value})
            return self._rows(s, [c])[0]

    def withdraw(self, consent_id: str, on: date | None = None) -> ConsentRow:
        """The customer withdraws the consent from `on` (today by default): from that day
        nothing more is shared under it. Never undone: a new consent is a new row."""
        actor = self.ctx.require(Permission.CONSENT_RECORD)
        with self.ctx.transaction(Permission.CONSENT_RECORD) as s:
            c = self._consent(s, consent_id)
            self._check_in_charge(s, live_customer(s, c.customer_id))
            if c.withdrawn_on is not None:
                raise ServiceError(N_("The consent has already been withdrawn."))
            # Today by default; a consent not yet in force is withdrawn from its first
            # day (it never comes into force).
            day = on or max(self.ctx.today(), c.valid_from)
            if day < c.valid_from:
                raise ValidationFailed({"withdrawn_on": N_(
                    "A consent is withdrawn no earlier than it was given.")})
            c.withdrawn_on = day
            c.withdrawn_by = actor.staff_id
            s.flush()
            self.ctx.audit(s, "consent.withdraw", "customer_consent", c.id,
                           {"customer_id": c.customer_id, "partner_org_id": c.partner_org_id})
            return self._rows(s, [c])[0]

    # --- helpers ----------------------------------------------------------------------

    def _check_in_charge(self, s: Session, customer: Customer) -> None:
        """As the centre's desk_customer_in_charge: the customer's service point, their
        coach; team leads and admins all."""
        from app.rules.case_access import sees_all

        actor = self.ctx.signed_in
        if sees_all(actor.role) or customer.service_point_id == actor.service_point_id \
                or customer.coach_id == actor.staff_id:
            return
        raise PermissionDenied(NOT_IN_CHARGE)

    def _rows(self, s: Session, consents: list[CustomerConsent]) -> list[ConsentRow]:
        today = self.ctx.today()
        org_ids = {c.partner_org_id for c in consents}
        staff_ids = {i for c in consents for i in (c.recorded_by, c.withdrawn_by) if i}
        orgs = dict(s.execute(select(PartnerOrg.id, PartnerOrg.name)
                              .where(PartnerOrg.id.in_(org_ids))).all()) \
            if org_ids else {}
        names = dict(s.execute(select(Staff.id, Staff.full_name)
                               .where(Staff.id.in_(staff_ids))).all()) \
            if staff_ids else {}
        rows = []
        for c in consents:
            facts = consent_facts(c)
            rows.append(ConsentRow(
                c.id, c.customer_id, c.partner_org_id, orgs.get(c.partner_org_id, ""),
                c.purpose, tuple(i.value for i in ConsentInfo if i in facts.information),
                ConsentHow(c.given_how).value, c.valid_from, c.valid_until, c.withdrawn_on,
                names.get(c.recorded_by) if c.recorded_by else None,
                names.get(c.withdrawn_by) if c.withdrawn_by else None,
                rules.in_force(facts, today)))
        return rows

    @staticmethod
    def _consent(s: Session, consent_id: str) -> CustomerConsent:
        c = s.get(CustomerConsent, consent_id)
        if c is None or c.deleted_at is not None:
            raise NotFound(NO_CONSENT)
        return c
