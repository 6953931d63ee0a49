"""The administrators' register of queue services (#24): each service point's services,
their names in Finnish, Swedish and English, how their visits are counted and who serves
them (the area's own desks or a partner organisation's). Read by every worker, kept by
administrators (STAFF_MANAGE). A service is never deleted: an unused one is made
inactive, so old tickets keep its name; its code never changes, since tickets and desk
duties name it.

A point without any rows yet (made after the 0120 migration, before a pull brought its
rows) offers the built-in services, as the queue does (QueueService._offered): the list
shows them, and the first write at the point makes them rows, with the same ids every
workstation and the centre make, so what the queue offered stays offered."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dto.queue_services import OfferedServiceInput, OfferedServiceRow
from app.i18n import N_, current_language
from app.models import OfferedService, PartnerOrg, ServicePoint
from app.rules import queue as rules
from app.rules.codes import ServiceArea
from app.rules.customer import nfc
from app.rules.permissions import Permission, allowed
from app.services import text_guard
from app.services.context import AppContext
from app.services.errors import NotFound, ValidationFailed

NAME_FIELDS = ("name_fi", "name_sv", "name_en")
_NAME_MISSING = {
    "name_fi": N_("Give the service's name in Finnish."),
    "name_sv": N_("Give the service's name in Swedish."),
    "name_en": N_("Give the service's name in English."),
}
CODE_INVALID = N_("Give a code of 2–40 characters: small letters a–z, digits and _, "
                  "starting with a letter.")
CODE_TAKEN = N_("The service point already has a service with this code (perhaps one no "
                "longer offered: choose it in the list and offer it again).")
CODE_FIXED = N_("A service's code never changes: tickets and desk duties name it.")
SERVER_FIXED = N_("Who serves a service never changes: its tickets were shared with them. "
                  "Add a new service, and stop offering this one.")
NAME_TOO_LONG = N_("The name is too long (at most 80 characters).")
AREA_MISSING = N_("Choose how the service's visits are counted.")
PARTNER_MISSING = N_("Choose an active partner organisation, or the area's own desks.")
POINT_MISSING = N_("Choose the service point.")
CODES_UNKNOWN = N_("Choose one or more of the service point's own services.")
GONE = N_("The queue service no longer exists: choose another.")


class QueueServiceAdmin:
    """The queue services of the service points: listed for every worker, added,
    changed and put in order by administrators. Every write goes through the context's
    transaction (the outbox and the audit trail)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- reading ----------------------------------------------------------------------

    def list(self, service_point_id: str | None = None,
             include_inactive: bool = True) -> builtins.list[OfferedServiceRow]:
        """The services (of one point, or all), by point name and the point's order."""
        self.ctx.signed_in  # noqa: B018
        with self.ctx.reading() as s:
            query = select(ServicePoint.id).where(ServicePoint.deleted_at.is_(None))
            if service_point_id:
                query = query.where(ServicePoint.id == service_point_id)
            out: builtins.list[OfferedServiceRow] = []
            for point_id in s.scalars(query.order_by(ServicePoint.name, ServicePoint.id)):
                out += [r for r in _point_rows(s, point_id) if include_inactive or r.active]
            return out

    def service_points(self) -> builtins.list[tuple[str, str]]:
        """(id, name) of every service point, by name: the dialog's choice."""
        self.ctx.signed_in  # noqa: B018
        with self.ctx.reading() as s:
            return [(i, n) for i, n in s.execute(
                select(ServicePoint.id, ServicePoint.name)
                .where(ServicePoint.deleted_at.is_(None)).order_by(ServicePoint.name))]

    def partners(self) -> builtins.list[tuple[str, str]]:
        """(id, name) of the active partner organisations, by name: who may serve."""
        self.ctx.signed_in  # noqa: B018
        with self.ctx.reading() as s:
            rows = s.execute(select(PartnerOrg.id, PartnerOrg.name).where(
                PartnerOrg.deleted_at.is_(None), PartnerOrg.active.is_(True))).all()
        return sorted(((i, n) for i, n in rows), key=lambda r: (r[1].casefold(), r[0]))

    def home_point(self) -> str | None:
        """The signed-in worker's own service point (the dialog opens on it)."""
        actor = self.ctx.actor
        return actor.service_point_id if actor else None

    def can_manage(self) -> bool:
        """May the signed-in person add and change queue services (administrators)?"""
        actor = self.ctx.actor
        return actor is not None and allowed(actor.role, Permission.STAFF_MANAGE)

    def get(self, service_id: str) -> OfferedServiceRow:
        self.ctx.signed_in  # noqa: B018
        with self.ctx.reading() as s:
            offer = s.get(OfferedService, service_id)
            if offer is not None and offer.deleted_at is None:
                return _row(s, offer)
            virtual = _built_in_row(s, service_id)
            if virtual is None:
                raise NotFound(GONE)
            return virtual

    # --- writing ----------------------------------------------------------------------

    def add(self, data: OfferedServiceInput) -> OfferedServiceRow:
        """A new service at the end of its point's order. Its id comes from the point
        and the code: two administrators adding the same code offline make one row."""
        with self.ctx.transaction(Permission.STAFF_MANAGE) as s:
            point = s.get(ServicePoint, data.service_point_id) \
                if data.service_point_id else None
            live = point is not None and point.deleted_at is None
            code = data.code.strip().lower()
            errors, names, area = _checked(s, data, None)
            if not rules.CODE_PATTERN.fullmatch(code):
                errors["code"] = CODE_INVALID
            if not live:
                errors["service_point_id"] = POINT_MISSING
            elif "code" not in errors and _code_taken(s, data.service_point_id, code):
                errors["code"] = CODE_TAKEN
            if errors or area is None:
                raise ValidationFailed(errors)
            _ensure_rows(s, data.service_point_id)
            position = s.scalar(select(func.max(OfferedService.position)).where(
                OfferedService.service_point_id == data.service_point_id))
            offer = OfferedService(
                id=rules.service_id(data.service_point_id, code),
                service_point_id=data.service_point_id, code=code,
                name_fi=names[0], name_sv=names[1], name_en=names[2], service_area=area,
                partner_org_id=data.partner_org_id or None,
                position=(position + 1) if position is not None else 0,
                active=bool(data.active))
            s.add(offer)
            s.flush()
            self.ctx.audit(s, "queue_service.add", "queue_service", offer.id, {
                "service_point_id": offer.service_point_id, "code": code,
                "service_area": area.value, "partner_org_id": offer.partner_org_id})
            return _row(s, offer)

    def edit(self, service_id: str, data: OfferedServiceInput) -> OfferedServiceRow:
        """Change a service's names, how it is counted, who serves it and whether it is
        in use. Its code and its point never change (`data.code`, when given, must be
        the service's own)."""
        with self.ctx.transaction(Permission.STAFF_MANAGE) as s:
            offer = _located(s, service_id)
            errors, names, area = _checked(s, data, offer)
            if data.code.strip() and data.code.strip().lower() != offer.code:
                errors["code"] = CODE_FIXED
            partner = data.partner_org_id or None
            if partner != offer.partner_org_id:
                # Who serves a service stays so (central c0120 holds the same line): a
                # partner's reach is its services' tickets, today's and the earlier ones,
                # which were made without that partner's consent in mind.
                errors["partner_org_id"] = SERVER_FIXED
            if errors or area is None:
                raise ValidationFailed(errors)
            changed = sorted(field for field, old, new in (
                ("name_fi", offer.name_fi, names[0]), ("name_sv", offer.name_sv, names[1]),
                ("name_en", offer.name_en, names[2]),
                ("service_area", offer.service_area, area),
                ("partner_org_id", offer.partner_org_id, partner),
                ("active", bool(offer.active), bool(data.active))) if old != new)
            if changed:
                offer.name_fi, offer.name_sv, offer.name_en = names
                offer.service_area, offer.partner_org_id = area, partner
                offer.active = bool(data.active)
                s.flush()
                self.ctx.audit(s, "queue_service.edit", "queue_service", offer.id,
                               {"fields": changed})
            return _row(s, offer)

    def move(self, service_id: str, step: int) -> OfferedServiceRow:
        """Move a service `step` places in its point's order (negative: up). The point's
        services are numbered 0..n again; only those whose place changed are written."""
        with self.ctx.transaction(Permission.STAFF_MANAGE) as s:
            offer = _located(s, service_id)
            order = _ordered(s, offer.service_point_id)
            at = order.index(offer)
            to = max(0, min(len(order) - 1, at + step))
            if to != at:
                order.insert(to, order.pop(at))
            if _renumber(order):
                s.flush()
                self.ctx.audit(s, "queue_service.move", "queue_service", offer.id,
                               {"service_point_id": offer.service_point_id, "code": offer.code,
                                "position": to})
            return _row(s, offer)

    def arrange(self, service_point_id: str,
                codes: Sequence[str]) -> builtins.list[OfferedServiceRow]:
        """The point's queue offers `codes` (each one of its services), in this order,
        first; its other services of the area's own desks are no longer offered; its
        partners' services keep their state and come after (the command line's
        `service-point services CODE a,b,c`)."""
        with self.ctx.transaction(Permission.STAFF_MANAGE) as s:
            point = s.get(ServicePoint, service_point_id)
            if point is None or point.deleted_at is not None:
                raise ValidationFailed({"service_point_id": POINT_MISSING})
            _ensure_rows(s, service_point_id)
            order = _ordered(s, service_point_id)
            by_code = {o.code: o for o in order}
            wanted = builtins.list(dict.fromkeys(codes))
            if not wanted or any(c not in by_code for c in wanted):
                raise ValidationFailed({"codes": CODES_UNKNOWN})
            chosen = [by_code[c] for c in wanted]
            rest = [o for o in order if o.code not in wanted]
            for o in chosen:
                o.active = True
            for o in rest:
                if o.partner_org_id is None:
                    o.active = False
            # Those still offered (partners') right after the chosen ones.
            _renumber(chosen + sorted(rest, key=lambda o: not o.active))
            s.flush()
            self.ctx.audit(s, "queue_service.arrange", "service_point", service_point_id,
                           {"codes": wanted})
            return _point_rows(s, service_point_id)


# --- checks and rows ------------------------------------------------------------------

def _checked(s: Session, data: OfferedServiceInput, offer: OfferedService | None
             ) -> tuple[dict[str, str], tuple[str, str, str], ServiceArea | None]:
    """The form's names, area and partner checked, each problem on its field (all at
    once): the errors, the names as stored (spaces tidied) and the area."""
    names = tuple(" ".join(nfc(getattr(data, f)).split()) for f in NAME_FIELDS)
    errors: dict[str, str] = {}
    refused = text_guard.field_errors(OfferedService, dict(zip(NAME_FIELDS, names,
                                                               strict=True)))
    for field, name in zip(NAME_FIELDS, names, strict=True):
        if not name:
            errors[field] = _NAME_MISSING[field]
        elif len(name) > rules.NAME_MAX:
            errors[field] = NAME_TOO_LONG
        elif field in refused:
            errors[field] = refused[field]
    area: ServiceArea | None
    try:
        area = ServiceArea(data.service_area)
    except ValueError:
        area, errors["service_area"] = None, AREA_MISSING
    partner_id = data.partner_org_id or None
    if partner_id is not None:
        org = s.get(PartnerOrg, partner_id)
        # A service already served by a partner that has since been made inactive
        # keeps it while its other fields are edited.
        kept = offer is not None and offer.partner_org_id == partner_id
        if org is None or org.deleted_at is not None or not (org.active or kept):
            errors["partner_org_id"] = PARTNER_MISSING
    return errors, (names[0], names[1], names[2]), area


def _code_taken(s: Session, point_id: str, code: str) -> bool:
    """Has the point a service `code` (in use or not; a built-in one even before the
    point has rows)?"""
    if not _has_rows(s, point_id):
        return code in rules.BUILT_IN_NAMES
    return bool(s.scalar(select(func.count()).select_from(OfferedService).where(
        OfferedService.service_point_id == point_id, OfferedService.code == code)))


def _has_rows(s: Session, point_id: str) -> bool:
    return bool(s.scalar(select(func.count()).select_from(OfferedService).where(
        OfferedService.service_point_id == point_id)))


def built_in_rows(s: Session, point_id: str) -> builtins.list[dict]:
    """A point's built-in services as rows, as migration 0120 makes them: those in the
    point's old comma list (`service_point.queue_services`; empty: all) active. For a
    point without rows yet (made after the migration, before its first pull brought
    them): the queue offers these meanwhile, the register lists them."""
    configured = s.scalar(select(ServicePoint.queue_services).where(
        ServicePoint.id == point_id)) or ""
    return rules.built_in_services(point_id, configured)


def _ensure_rows(s: Session, point_id: str) -> None:
    """A point without rows gets its built-in services as rows (as the queue offers
    them meanwhile), before its first change."""
    if not _has_rows(s, point_id):
        for row in built_in_rows(s, point_id):
            s.add(OfferedService(**row))
        s.flush()


def _located(s: Session, service_id: str) -> OfferedService:
    """The row `service_id`; a built-in service of a point without rows made a row
    first (with the rest of the point's)."""
    offer = s.get(OfferedService, service_id)
    if offer is None:
        virtual = _built_in_row(s, service_id)
        if virtual is not None:
            _ensure_rows(s, virtual.service_point_id)
            offer = s.get(OfferedService, service_id)
    if offer is None or offer.deleted_at is not None:
        raise NotFound(GONE)
    return offer


def _built_in_row(s: Session, service_id: str) -> OfferedServiceRow | None:
    """The built-in service `service_id` of a point that has no rows yet, if it is one."""
    for point_id in s.scalars(select(ServicePoint.id).where(
            ServicePoint.deleted_at.is_(None))):
        if any(rules.service_id(point_id, code) == service_id
               for code in rules.BUILT_IN_NAMES) and not _has_rows(s, point_id):
            return next(r for r in _point_rows(s, point_id) if r.id == service_id)
    return None


def _ordered(s: Session, point_id: str) -> builtins.list[OfferedService]:
    return builtins.list(s.scalars(select(OfferedService).where(
        OfferedService.service_point_id == point_id, OfferedService.deleted_at.is_(None))
        .order_by(OfferedService.position, OfferedService.code)))


def _renumber(order: Iterable[OfferedService]) -> bool:
    """Positions 0..n in this order; only the rows whose position changes are touched
    (each a synchronised change). Whether any changed."""
    moved = False
    for position, o in enumerate(order):
        if o.position != position:
            o.position, moved = position, True
    return moved


def _point_name(s: Session, point_id: str) -> str:
    return s.scalar(select(ServicePoint.name).where(ServicePoint.id == point_id)) or ""


def _point_rows(s: Session, point_id: str) -> builtins.list[OfferedServiceRow]:
    """The point's services in its order; the built-in ones when it has no rows."""
    point_name = _point_name(s, point_id)
    rows = s.execute(
        select(OfferedService, PartnerOrg.name)
        .outerjoin(PartnerOrg, PartnerOrg.id == OfferedService.partner_org_id)
        .where(OfferedService.service_point_id == point_id,
               OfferedService.deleted_at.is_(None))
        .order_by(OfferedService.position, OfferedService.code)).all()
    if rows or _has_rows(s, point_id):
        return [_make(o, point_name, partner) for o, partner in rows]
    lang = current_language()
    return [OfferedServiceRow(
        r["id"], point_id, point_name, r["code"], r["name_fi"], r["name_sv"], r["name_en"],
        rules.service_name((r["name_fi"], r["name_sv"], r["name_en"]), lang),
        r["service_area"], None, None, r["position"], r["active"])
        for r in built_in_rows(s, point_id)]


def _row(s: Session, offer: OfferedService) -> OfferedServiceRow:
    partner = s.scalar(select(PartnerOrg.name).where(
        PartnerOrg.id == offer.partner_org_id)) if offer.partner_org_id else None
    return _make(offer, _point_name(s, offer.service_point_id), partner)


def _make(o: OfferedService, point_name: str, partner: str | None) -> OfferedServiceRow:
    names = (o.name_fi, o.name_sv, o.name_en)
    return OfferedServiceRow(
        o.id, o.service_point_id, point_name, o.code, *names,
        rules.service_name(names, current_language()), ServiceArea(o.service_area).value,
        o.partner_org_id, partner, o.position, bool(o.active))
