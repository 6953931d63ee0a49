"""What a partner-role account (#24) may open: the customers whose consent to share with
the partner's organisation is in force today and covers identity and contact details,
and of them their plans when the consent also covers plans and meetings. Nothing else:
the role holds `partner.read` only, so every other reader of customers refuses it.

Central c0115 holds the same line in its policies (desk_partner_consents), so a partner's
workstation never even receives the rest from the centre; on a workstation shared with
the service point's staff the rows are there, and these checks keep them out of sight."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, literal, or_, select
from sqlalchemy.orm import Session

from app.i18n import N_
from app.models import CustomerConsent
from app.rules import partners as rules
from app.rules.codes import ConsentInfo, Role
from app.rules.permissions import Permission
from app.services.context import Actor, AppContext
from app.services.errors import PermissionDenied
from app.sync import outbox


def is_partner(actor: Actor | None) -> bool:
    return actor is not None and actor.role is Role.PARTNER


def reading_permission(ctx: AppContext) -> Permission:
    """The permission a customer's record is opened with: the partner's own, else
    customer.read."""
    return Permission.PARTNER_READ if is_partner(ctx.actor) else Permission.CUSTOMER_READ


def _covers(info: ConsentInfo, today: date) -> ColumnElement[bool]:
    c = CustomerConsent
    return and_(
        c.deleted_at.is_(None),
        (literal(",") + c.information + literal(",")).like(f"%,{info.value},%"),
        c.valid_from <= today,
        or_(c.valid_until.is_(None), c.valid_until >= today),
        or_(c.withdrawn_on.is_(None), c.withdrawn_on > today),
    )


def consented_customers(actor: Actor, today: date,
                        info: ConsentInfo = ConsentInfo.CONTACT) -> Select:
    """The ids of the customers whose consent for the actor's organisation is in force
    today and covers `info` (for a list's WHERE customer.id IN (...))."""
    return select(CustomerConsent.customer_id).where(
        CustomerConsent.partner_org_id == (actor.partner_org_id or ""), _covers(info, today))


def _facts(s: Session, actor: Actor, customer_id: str) -> list[rules.ConsentFacts]:
    rows = s.scalars(select(CustomerConsent).where(
        CustomerConsent.customer_id == customer_id,
        CustomerConsent.partner_org_id == (actor.partner_org_id or ""),
        CustomerConsent.deleted_at.is_(None))).all()
    return [rules.ConsentFacts(r.partner_org_id, rules.parse_information(r.information),
                               r.valid_from, r.valid_until, r.withdrawn_on) for r in rows]


def known(ctx: AppContext, s: Session, customer_id: str) -> bool:
    """May the signed-in person learn that `customer_id` is a customer here? Staff: yes.
    A partner: only a customer who gave its organisation a consent at some time (in force
    or not: the partner knows of them from it). A look-up by identity code answers "not
    found" otherwise, never "no consent", which would tell that the code is a customer
    of the employment services."""
    actor = ctx.actor
    if not is_partner(actor):
        return True
    assert actor is not None
    return bool(_facts(s, actor, customer_id))


def check(ctx: AppContext, s: Session, customer_id: str, *needed: ConsentInfo) -> None:
    """For a partner: refuse, with the reason, unless a consent in force covers every one
    of `needed` (identity and contact details always); the refusal is audited in a
    transaction of its own, so it stays when the caller's rolls back. Staff: nothing."""
    actor = ctx.actor
    if not is_partner(actor):
        return
    assert actor is not None
    consents = _facts(s, actor, customer_id)
    for info in (ConsentInfo.CONTACT, *needed):
        reason = rules.refusal(consents, actor.partner_org_id or "", info, ctx.today())
        if reason is not None:
            with ctx.session_factory.begin() as audit:
                audit.info[outbox.ACTOR_KEY] = actor.staff_id  # the entry's author
                ctx.audit(audit, "partner.share.refused", "customer", customer_id,
                          {"action": "open", "info": info.value,
                           "partner_org_id": actor.partner_org_id})
            raise PermissionDenied(reason)


NOT_A_PARTNER = N_("Your role does not allow this.")
