"""Referrals to purchased services (#20): refer a customer to a contracted service and
move the referral forward (app/rules/referrals.py), checking the contract's places when
it is sent (app/rules/contracts.py).

Writing needs `referral.make` and the customer's case to be the actor's to write
(app/rules/case_access.py: their own coach, a team lead, an administrator); reading needs
`plan.read` and the case to be readable. The desk sees none of it. The audit trail holds
ids and states only: never a name, an identity code or the note."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.dto.referrals import (
    ContractChoice,
    CustomerReferrals,
    PlacesInfo,
    PlanLineChoice,
    ReferralLetter,
    ReferralListRow,
    ReferralRow,
)
from app.i18n import N_, format_date
from app.models import (
    Customer,
    Plan,
    PlannedService,
    PlanVersion,
    Referral,
    ServiceContract,
    ServicePoint,
    ServiceProvider,
    Staff,
)
from app.rules import case_access as caseload
from app.rules.codes import PlanStatus, ReferralEndReason, ReferralState
from app.rules.contracts import ContractTerms, places_on
from app.rules.customer import nfc
from app.rules.permissions import Permission, allowed
from app.rules.referrals import (
    REFERRAL_DATE,
    REFERRAL_NEEDS_REASON,
    REFERRAL_NEXT,
    StateRefused,
    check_referral_step,
)
from app.services import case_access
from app.services.context import AppContext
from app.services.contract_places import sent_days
from app.services.customers import live_customer
from app.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

NOTE_LIMIT = 2000
LETTER_LANGUAGES = ("fi", "sv", "en")
NOT_FOR_ROLE = N_("Referrals are for coaches and team leads: your role does not show "
                  "or make them.")


class PlacesFull(Conflict):
    """Sending would take a place in a period whose places are taken. Not a refusal: the
    view asks, and sends anyway with `send_anyway=True`."""

    def __init__(self, places: PlacesInfo) -> None:
        period = _period_text(places.period_start, places.period_end)
        if places.next_free is not None:
            super().__init__(N_("The contract's places for {period} are taken; the next "
                                "free period is {next}."), period=period,
                             next=_period_text(*places.next_free))
        else:
            super().__init__(N_("The contract's places for {period} are taken; no free "
                                "period is left."), period=period)
        self.places = places


def _period_text(start: date, end: date) -> str:
    return f"{format_date(start)}–{format_date(end)}"


def _terms(contract: ServiceContract) -> ContractTerms:
    return ContractTerms(contract.starts_on, contract.ends_on, contract.places,
                         contract.places_per)


def contract_places(s: Session, contract: ServiceContract, day: date) -> PlacesInfo:
    """The contract's places in the period of `day`, counting its place-using referrals
    by the day they were sent."""
    p = places_on(_terms(contract), day, sent_days(s, [contract.id])[contract.id])
    return PlacesInfo(p.period_start, p.period_end, p.places, p.used, p.next_free)


def serves(contract: ServiceContract, service_point_id: str) -> bool:
    points = (contract.service_point_ids or "").split()
    return not points or service_point_id in points


def carry_referrals(s: Session, old_rows: Sequence[PlannedService],
                    new_rows: Sequence[PlannedService]) -> None:
    """A new plan draft copied from a version keeps its service lines' referrals: the
    line's own referral_id, or the referral that points at the old line."""
    if not old_rows:
        return
    pointing = dict(s.execute(select(Referral.plan_service_id, Referral.id).where(
        Referral.plan_service_id.in_([r.id for r in old_rows]),
        Referral.deleted_at.is_(None)).order_by(Referral.proposed_on)).all())
    for old, new in zip(old_rows, new_rows, strict=False):
        referral_id = old.referral_id or pointing.get(old.id)
        if referral_id and new.referral_id != referral_id:
            new.referral_id = referral_id


def referral_states(s: Session, rows: Sequence[PlannedService],
                    ) -> dict[str, tuple[str, date]]:
    """Each plan service line's referral (its referral_id, else the latest referral
    pointing at it) as (state, the day of that state)."""
    if not rows:
        return {}
    ids = [r.id for r in rows]
    direct = {r.referral_id: r.id for r in rows if r.referral_id}
    found: dict[str, Referral] = {}
    for ref in s.scalars(select(Referral).where(
            or_(Referral.id.in_(list(direct)), Referral.plan_service_id.in_(ids)),
            Referral.deleted_at.is_(None)).order_by(Referral.proposed_on)):
        if ref.id in direct:
            found[direct[ref.id]] = ref
        elif ref.plan_service_id and ref.plan_service_id not in direct.values():
            found[ref.plan_service_id] = ref
    out = {}
    for line, ref in found.items():
        day = getattr(ref, REFERRAL_DATE[ref.state]) or ref.proposed_on
        out[line] = (ref.state.value, day)
    return out


def _next_states(state: ReferralState) -> tuple[str, ...]:
    order = list(ReferralState)
    return tuple(str(x) for x in sorted(REFERRAL_NEXT[state], key=order.index))


class ReferralService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- reading ----------------------------------------------------------------------

    def _require_read(self) -> None:
        actor = self.ctx.require(Permission.CUSTOMER_READ)
        if not allowed(actor.role, Permission.PLAN_READ):
            raise PermissionDenied(NOT_FOR_ROLE)

    def list_for_customer(self, customer_id: str) -> CustomerReferrals:
        """The customer's referrals, the newest first, with the steps allowed next."""
        self._require_read()
        with self.ctx.reading() as s:
            live_customer(s, customer_id)
            actor = self.ctx.signed_in
            case_access.check_read(s, actor, customer_id, Permission.PLAN_READ)
            writable = caseload.may_write(case_access.worker(actor),
                                          case_access.case_of(s, customer_id),
                                          Permission.REFERRAL_MAKE)
            rows = s.scalars(select(Referral).where(
                Referral.customer_id == customer_id, Referral.deleted_at.is_(None))
                .order_by(Referral.proposed_on.desc(), Referral.updated_at.desc(),
                          Referral.id)).all()
            return CustomerReferrals(customer_id,
                                     tuple(self._row(s, r, writable) for r in rows), writable)

    def referral(self, referral_id: str) -> ReferralRow:
        self._require_read()
        with self.ctx.reading() as s:
            r = self._get(s, referral_id)
            actor = self.ctx.signed_in
            case_access.check_read(s, actor, r.customer_id, Permission.PLAN_READ)
            writable = caseload.may_write(case_access.worker(actor),
                                          case_access.case_of(s, r.customer_id),
                                          Permission.REFERRAL_MAKE)
            return self._row(s, r, writable)

    def list_all(self, customer_id: str | None = None) -> list[ReferralListRow]:
        """Every referral the signed-in person may read (one customer's with
        `customer_id`), the newest first: for the command line."""
        self._require_read()
        actor = self.ctx.signed_in
        with self.ctx.reading() as s:
            query = (select(Referral, Customer.customer_number, ServiceContract,
                            ServiceProvider.name)
                     .join(Customer, Customer.id == Referral.customer_id)
                     .join(ServiceContract, ServiceContract.id == Referral.contract_id)
                     .join(ServiceProvider, ServiceProvider.id == ServiceContract.provider_id)
                     .where(Referral.deleted_at.is_(None), Customer.deleted_at.is_(None)))
            if customer_id is not None:
                live_customer(s, customer_id)
                case_access.check_read(s, actor, customer_id, Permission.PLAN_READ)
                query = query.where(Referral.customer_id == customer_id)
            out = []
            readable: dict[str, bool] = {}
            for r, number, contract, provider in s.execute(query.order_by(
                    Referral.proposed_on.desc(), Referral.id)):
                if r.customer_id not in readable:
                    readable[r.customer_id] = caseload.may_read(
                        case_access.worker(actor), case_access.case_of(s, r.customer_id),
                        Permission.PLAN_READ)
                if not readable[r.customer_id]:
                    continue
                out.append(ReferralListRow(
                    r.id, r.customer_id, number, provider, contract.title,
                    contract.service.value, r.state.value, r.proposed_on, r.sent_on,
                    r.answered_on, r.started_on, r.ended_on,
                    r.end_reason.value if r.end_reason else None))
            return out

    def contracts_for(self, customer_id: str) -> list[ContractChoice]:
        """The contracts serving the customer's service point today, with places left."""
        self._require_read()
        today = self.ctx.today()
        with self.ctx.reading() as s:
            customer = live_customer(s, customer_id)
            contracts = s.execute(
                select(ServiceContract, ServiceProvider.name)
                .join(ServiceProvider, ServiceProvider.id == ServiceContract.provider_id)
                .where(ServiceContract.deleted_at.is_(None),
                       ServiceProvider.deleted_at.is_(None),
                       ServiceProvider.active.is_(True),
                       ServiceContract.starts_on <= today, ServiceContract.ends_on >= today)
                .order_by(ServiceContract.service, ServiceProvider.name,
                          ServiceContract.title)).all()
            return [ContractChoice(c.id, name, c.title, c.service.value,
                                   contract_places(s, c, today))
                    for c, name in contracts if serves(c, customer.service_point_id)]

    def plan_lines(self, customer_id: str) -> list[PlanLineChoice]:
        """The service lines of the customer's current plan versions (each plan's draft,
        else its latest accepted version)."""
        self._require_read()
        with self.ctx.reading() as s:
            live_customer(s, customer_id)
            case_access.check_read(s, self.ctx.signed_in, customer_id, Permission.PLAN_READ)
            out: list[PlanLineChoice] = []
            plans = s.scalars(select(Plan.id).where(Plan.customer_id == customer_id,
                                                    Plan.deleted_at.is_(None))).all()
            for plan_id in plans:
                versions = s.scalars(select(PlanVersion).where(
                    PlanVersion.plan_id == plan_id, PlanVersion.deleted_at.is_(None),
                    PlanVersion.status != PlanStatus.SUPERSEDED)
                    .order_by(PlanVersion.number.desc())).all()
                if not versions:
                    continue
                version = versions[0]
                lines = s.scalars(select(PlannedService).where(
                    PlannedService.plan_version_id == version.id,
                    PlannedService.deleted_at.is_(None))
                    .order_by(PlannedService.starts_on, PlannedService.id)).all()
                out.extend(PlanLineChoice(x.id, x.service_type, x.provider or "", x.starts_on,
                                          x.ends_on, version.number,
                                          version.status == PlanStatus.DRAFT, x.referral_id)
                           for x in lines)
            return out

    def states_for_lines(self, plan_service_ids: Iterable[str]) -> dict[str, ReferralRow]:
        """The live referral of each plan service line (by the line's referral_id or a
        referral pointing at it), for the plan editor; empty for a role without plan.read."""
        ids = [i for i in plan_service_ids if i]
        actor = self.ctx.require(Permission.CUSTOMER_READ)
        if not ids or not allowed(actor.role, Permission.PLAN_READ):
            return {}
        with self.ctx.reading() as s:
            lines = s.execute(select(PlannedService.id, PlannedService.referral_id)
                              .where(PlannedService.id.in_(ids))).all()
            by_line: dict[str, Referral] = {}
            direct = {rid: lid for lid, rid in lines if rid}
            if direct:
                for r in s.scalars(select(Referral).where(Referral.id.in_(list(direct)),
                                                          Referral.deleted_at.is_(None))):
                    by_line[direct[r.id]] = r
            for r in s.scalars(select(Referral).where(Referral.plan_service_id.in_(ids),
                                                      Referral.deleted_at.is_(None))
                               .order_by(Referral.proposed_on)):
                by_line.setdefault(r.plan_service_id or "", r)
            return {line: self._row(s, r, False) for line, r in by_line.items()}

    # --- writing ----------------------------------------------------------------------

    def refer(self, customer_id: str, contract_id: str, plan_service_id: str | None = None,
              note: str | None = None) -> ReferralRow:
        """A new referral, proposed today, by the signed-in coach."""
        note = nfc(note or "").strip()
        if len(note) > NOTE_LIMIT:
            raise ValidationFailed({"note": N_("At most 2000 characters.")})
        today = self.ctx.today()
        with self.ctx.transaction(Permission.REFERRAL_MAKE) as s:
            customer = live_customer(s, customer_id)
            actor = self.ctx.signed_in
            case_access.check_write(s, actor, customer_id, Permission.REFERRAL_MAKE)
            contract = s.get(ServiceContract, contract_id)
            if contract is None or contract.deleted_at is not None:
                raise ValidationFailed({"contract": N_("Choose the contracted service.")})
            if not (contract.starts_on <= today <= contract.ends_on):
                raise ValidationFailed({"contract": N_(
                    "The contract is not in force today.")})
            if not serves(contract, customer.service_point_id):
                raise ValidationFailed({"contract": N_(
                    "The contract does not serve the customer's service point.")})
            line = None
            if plan_service_id:
                line = s.get(PlannedService, plan_service_id)
                version = s.get(PlanVersion, line.plan_version_id) if line else None
                plan = s.get(Plan, version.plan_id) if version else None
                if (line is None or line.deleted_at is not None or plan is None
                        or plan.customer_id != customer_id):
                    raise ValidationFailed({"plan_service": N_(
                        "The plan's service line was not found.")})
            referral = Referral(customer_id=customer_id, contract_id=contract.id,
                                plan_service_id=plan_service_id or None,
                                coach_id=actor.staff_id, state=ReferralState.PROPOSED,
                                proposed_on=today, note=note or None)
            s.add(referral)
            s.flush()
            if line is not None and version is not None \
                    and version.status == PlanStatus.DRAFT:
                line.referral_id = referral.id
            s.flush()
            self.ctx.audit(s, "referral.create", "referral", referral.id,
                           {"customer_id": customer_id, "contract_id": contract.id,
                            "plan_service_id": plan_service_id or None,
                            "state": ReferralState.PROPOSED.value})
            return self._row(s, referral, True)

    def advance(self, referral_id: str, target_state: ReferralState | str,
                on: date | None = None, reason: ReferralEndReason | str | None = None,
                note: str | None = None, send_anyway: bool = False) -> ReferralRow:
        """Move the referral one step forward on `on` (today by default; never in the
        future, never before the previous step). Declining and interrupting need a
        reason. Sending into a period whose places are taken raises PlacesFull unless
        `send_anyway`."""
        try:
            target = ReferralState(target_state)
        except ValueError:
            raise ValidationFailed({"state": N_("Choose the next step.")}) from None
        code: ReferralEndReason | None = None
        if target in REFERRAL_NEEDS_REASON:
            try:
                code = ReferralEndReason(reason) if reason else None
            except ValueError:
                code = None
            if code is None:
                raise ValidationFailed({"reason": N_("Choose the reason.")})
        if note is not None:
            note = nfc(note).strip()
            if len(note) > NOTE_LIMIT:
                raise ValidationFailed({"note": N_("At most 2000 characters.")})
        today = self.ctx.today()
        day = on or today
        with self.ctx.transaction(Permission.REFERRAL_MAKE) as s:
            referral = self._get(s, referral_id)
            live_customer(s, referral.customer_id)
            case_access.check_write(s, self.ctx.signed_in, referral.customer_id,
                                    Permission.REFERRAL_MAKE)
            previous = referral.state
            try:
                check_referral_step(previous, target)
            except StateRefused as refused:
                raise Conflict(refused.message) from None
            if day > today:
                raise ValidationFailed({"on": N_("The date cannot be in the future.")})
            before = max(d for d in (referral.proposed_on, referral.sent_on,
                                     referral.answered_on, referral.started_on) if d)
            if day < before:
                raise ValidationFailed({"on": N_(
                    "The date cannot be before the referral's previous step.")})
            if target == ReferralState.SENT and not send_anyway:
                contract = s.get(ServiceContract, referral.contract_id)
                assert contract is not None
                places = contract_places(s, contract, day)
                if places.full:
                    raise PlacesFull(places)
            setattr(referral, REFERRAL_DATE[target], day)
            referral.state = target
            if code is not None:
                referral.end_reason = code
            if note is not None and note != (referral.note or ""):
                referral.note = note or None
            s.flush()
            detail: dict[str, object] = {"from": previous.value, "to": target.value}
            if code is not None:
                detail["reason"] = code.value
            if target == ReferralState.SENT and send_anyway:
                detail["places_full_confirmed"] = True
            self.ctx.audit(s, "referral.advance", "referral", referral.id, detail)
            return self._row(s, referral, True)

    # --- letters ----------------------------------------------------------------------

    def letter(self, referral_id: str, lang: str | None = None) -> ReferralLetter:
        """The data of the referral letter and the customer's copy, in the customer's
        language (fi, sv or en; Finnish otherwise) unless `lang` is given."""
        self._require_read()
        # Written, not only read: the letter carries the customer's identity and contact,
        # so making it is audited, as printing a plan or a decision is.
        with self.ctx.transaction(Permission.PLAN_READ) as s:
            r = self._get(s, referral_id)
            customer = live_customer(s, r.customer_id)
            case_access.check_read(s, self.ctx.signed_in, r.customer_id, Permission.PLAN_READ)
            self.ctx.audit(s, "referral.print", "referral", r.id,
                           {"lang": lang or customer.language or ""})
            contract = s.get(ServiceContract, r.contract_id)
            assert contract is not None
            provider = s.get(ServiceProvider, contract.provider_id)
            assert provider is not None
            coach = s.get(Staff, r.coach_id or customer.coach_id or "") \
                if (r.coach_id or customer.coach_id) else None
            point = s.get(ServicePoint, customer.service_point_id)
            line = s.get(PlannedService, r.plan_service_id) if r.plan_service_id else None
            language = lang or (customer.language if customer.language in LETTER_LANGUAGES
                                else "fi")
            return ReferralLetter(
                referral_id=r.id, language=language,
                customer_name=f"{customer.first_names} {customer.last_name}",
                customer_number=customer.customer_number,
                customer_address=_address(customer.street_address, customer.postal_code,
                                          customer.post_office),
                customer_phone=customer.phone or "", customer_email=customer.email or "",
                service=contract.service.value, contract_title=contract.title,
                contract_starts_on=contract.starts_on, contract_ends_on=contract.ends_on,
                provider_name=provider.name,
                provider_address=_address(provider.street_address, provider.postal_code,
                                          provider.post_office),
                provider_contact_person=provider.contact_person or "",
                provider_phone=provider.phone or "", provider_email=provider.email or "",
                state=r.state.value, proposed_on=r.proposed_on, sent_on=r.sent_on,
                started_on=r.started_on,
                plan_service_starts_on=line.starts_on if line else None,
                plan_service_ends_on=line.ends_on if line else None,
                coach_name=coach.full_name if coach else "",
                coach_title=(coach.title or "") if coach else "",
                coach_phone=(coach.phone or "") if coach else "",
                coach_email=(coach.email or "") if coach else "",
                office_name=point.name if point else "",
                office_address=" ".join(x for x in ((point.street_address or ""),
                                                    (point.postal_code or ""),
                                                    point.municipality) if x)
                if point else "",
                office_phone=(point.phone or "") if point else "",
                note=r.note or "", printed_on=self.ctx.today())

    @staticmethod
    def render_letter(data: ReferralLetter, copy: str = "both") -> bytes:
        """The PDF of letter data already read (no database: it runs in the io pool)."""
        from app.printing import referral_letter

        if copy == "customer":
            return referral_letter.customer_copy_pdf(data)
        if copy == "provider":
            return referral_letter.provider_letter_pdf(data)
        return referral_letter.both_pdf(data)

    def letter_pdf(self, referral_id: str, copy: str = "provider",
                   lang: str | None = None) -> bytes:
        """The letter as PDF: `copy` "provider" (the referral letter) or "customer" (the
        customer's own copy); both with "both"."""
        return self.render_letter(self.letter(referral_id, lang), copy)

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _get(s: Session, referral_id: str) -> Referral:
        r = s.get(Referral, referral_id)
        if r is None or r.deleted_at is not None:
            raise NotFound(N_("The referral was not found."))
        return r

    def _row(self, s: Session, r: Referral, writable: bool) -> ReferralRow:
        contract = s.get(ServiceContract, r.contract_id)
        assert contract is not None
        provider = s.get(ServiceProvider, contract.provider_id)
        coach = s.scalar(select(Staff.full_name).where(Staff.id == r.coach_id)) \
            if r.coach_id else None
        day = r.sent_on or min(max(self.ctx.today(), contract.starts_on), contract.ends_on)
        return ReferralRow(
            id=r.id, customer_id=r.customer_id, contract_id=r.contract_id,
            provider_name=provider.name if provider else "", contract_title=contract.title,
            service=contract.service.value, state=r.state.value, proposed_on=r.proposed_on,
            sent_on=r.sent_on, answered_on=r.answered_on, started_on=r.started_on,
            ended_on=r.ended_on, end_reason=r.end_reason.value if r.end_reason else None,
            note=r.note or "", plan_service_id=r.plan_service_id, coach_name=coach,
            places=contract_places(s, contract, day),
            next_states=_next_states(r.state) if writable else (), writable=writable)


def _address(street: str | None, postal: str | None, office: str | None) -> tuple[str, ...]:
    second = " ".join(x for x in (postal or "", office or "") if x)
    return tuple(x for x in (street or "", second) if x)

