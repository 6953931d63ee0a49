"""The walk-in queue: arrivals, calling, transfers, service and the lobby's calls.

Every change goes through `AppContext.transaction`, so each one is role-checked, stamped
and recorded in the outbox; the queue therefore survives a crash and will merge between
desks (ticket progress only moves forward, see rules.queue)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from app.dto.queue import (
    DutyInfo,
    LobbyBoard,
    LobbyCall,
    OfferedChoice,
    QueueSnapshot,
    QueueStats,
    StaffChoice,
    TicketRow,
)
from app.dto.visits import VisitInput
from app.i18n import N_, current_language
from app.models import (
    Customer,
    DeskDuty,
    LocalSetting,
    OfferedService,
    PartnerOrg,
    QueueTicket,
    Staff,
)
from app.rules import queue as rules
from app.rules.codes import ConsentInfo, Role, ServiceArea, TicketState, VisitOutcome
from app.rules.permissions import Permission, allowed
from app.services.context import AppContext
from app.services.errors import NotFound, ServiceError
from app.services.partner_reach import is_partner
from app.services.partners import require_consent
from app.services.visits import new_visit

Coach = aliased(Staff)
Offered = aliased(OfferedService)
Server = aliased(Staff)
Target = aliased(Staff)

DESK_KEY, LETTER_KEY = "desk", "ticket_letter"
ACTIVE = (TicketState.CALLED, TicketState.SERVING)


def customer_label(customer: Customer | None) -> str | None:
    """Short enough for a serving list across the room: 'Virtanen M.'."""
    if customer is None:
        return None
    return f"{customer.last_name} {customer.first_names[:1]}."


class QueueService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- this workstation -----------------------------------------------------------

    def workstation(self) -> tuple[str, str]:
        """(desk name, ticket letter) of this workstation. Until someone sets a letter,
        it comes from the workstation's own node id, so that two new workstations rarely
        share one; the desk dialog sets it for good."""
        letter = self.ctx.setting(LETTER_KEY) or rules.default_letter(self.ctx.clock.node)
        return self.ctx.setting(DESK_KEY) or "1", letter

    def set_workstation(self, desk: str, letter: str) -> None:
        desk, letter = desk.strip(), letter.strip().upper()
        if not desk or len(desk) > 20:
            raise ServiceError(N_("Give the desk a short name, for example 2."))
        if len(letter) != 1 or letter not in rules.TICKET_LETTERS:
            raise ServiceError(N_("The ticket letter is one letter, for example A."))
        with self.ctx.transaction(Permission.QUEUE_SERVE) as s:
            s.merge(LocalSetting(key=DESK_KEY, value=desk))
            s.merge(LocalSetting(key=LETTER_KEY, value=letter))

    # --- duty -------------------------------------------------------------------------

    def start_duty(self, services: set[str] | None = None) -> DutyInfo:
        """Go on duty at this workstation's desk, calling `services` (queue service
        codes; default: the point's services its own desks serve, or for a partner's
        desk its organisation's)."""
        desk, _letter = self.workstation()
        with self.ctx.transaction(Permission.QUEUE_SERVE) as s:
            actor = self.ctx.actor
            assert actor is not None
            open_duty = self._open_duty(s, actor.staff_id)
            mine = [o.code for o in self._offered(s) if self._serves(o)]
            if services:
                allowed_codes = set(mine) if is_partner(actor) else {
                    o.code for o in self._offered(s)}
                unknown = sorted(set(services) - allowed_codes)
                if unknown:
                    raise ServiceError(N_("This service is not offered in this queue."))
            chosen = sorted(services) if services else mine
            if not chosen:
                raise ServiceError(N_("No queue service here is served at your desk."))
            now = self.ctx.now()
            if open_duty is not None:
                if open_duty.desk == desk and open_duty.services == ",".join(chosen):
                    return DutyInfo(open_duty.desk, tuple(chosen))
                open_duty.ended_at = now
            s.add(DeskDuty(staff_id=actor.staff_id, service_point_id=actor.service_point_id,
                           desk=desk, services=",".join(chosen), started_at=now))
            self.ctx.audit(s, "duty.start", "desk_duty", None, {"desk": desk})
        return DutyInfo(desk, tuple(chosen))

    def end_duty(self) -> None:
        with self.ctx.transaction(Permission.QUEUE_SERVE) as s:
            actor = self.ctx.actor
            assert actor is not None
            duty = self._open_duty(s, actor.staff_id)
            if duty is not None:
                duty.ended_at = self.ctx.now()

    def point_services(self) -> list[str]:
        """The codes of the services this point's queue offers, in their order."""
        return [o.code for o in self.offered()]

    def offered(self) -> list[OfferedChoice]:
        """The services this point's queue offers, in their order, named in the user's
        language (Settings > Queue services keeps them)."""
        self._require_queue()
        with self.ctx.reading() as s:
            return self._offered(s)

    def _offered(self, s: Session, include_inactive: bool = False) -> list[OfferedChoice]:
        point = self.ctx.signed_in.service_point_id
        query = (select(OfferedService, PartnerOrg.name)
                 .outerjoin(PartnerOrg, PartnerOrg.id == OfferedService.partner_org_id)
                 .where(OfferedService.service_point_id == point,
                        OfferedService.deleted_at.is_(None))
                 .order_by(OfferedService.position, OfferedService.code))
        if not include_inactive:
            query = query.where(OfferedService.active.is_(True))
        rows = s.execute(query).all()
        if not rows and not s.scalar(select(func.count()).select_from(OfferedService).where(
                OfferedService.service_point_id == point)):
            # A point without rows yet (before its first pull brought them): the
            # built-in services, as the migrations make them.
            from app.services.queue_services import built_in_rows

            return [OfferedChoice(r["id"], r["code"], rules.service_name(
                (r["name_fi"], r["name_sv"], r["name_en"]), current_language()),
                r["service_area"]) for r in built_in_rows(s, point) if r["active"]]
        return [offered_choice(o, partner) for o, partner in rows]

    def _offer(self, s: Session, code: str) -> OfferedChoice:
        for offer in self._offered(s):
            if offer.code == code:
                return offer
        raise ServiceError(N_("This service is not offered in this queue."))

    def _serves(self, offer: OfferedChoice) -> bool:
        """Is `offer` served at the signed-in person's desk by default: a partner's
        desk serves its own organisation's services, the area's desks the others."""
        actor = self.ctx.signed_in
        if is_partner(actor):
            return offer.partner_org_id is not None and \
                offer.partner_org_id == actor.partner_org_id
        return offer.partner_org_id is None

    def _require_queue(self) -> None:
        """The queue is read by the desks that register (QUEUE_REGISTER) and the desks
        that serve (QUEUE_SERVE: a partner's desk has only that one)."""
        actor = self.ctx.signed_in
        if not allowed(actor.role, Permission.QUEUE_REGISTER):
            self.ctx.require(Permission.QUEUE_SERVE)

    def _share_with_partner(self, s: Session, offer: OfferedChoice,
                            customer_id: str | None, action: str) -> None:
        """A ticket that names a customer goes to a partner's desk only under the
        customer's consent to that partner covering identity and contact details (its
        desk sees whom it calls); refused with the reason and audited otherwise
        (central c0120 desk_guard_ticket_partner holds the same line)."""
        if offer.partner_org_id is None or customer_id is None:
            return
        require_consent(self.ctx, s, customer_id, offer.partner_org_id,
                        ConsentInfo.CONTACT, action)
        self.ctx.audit(s, "partner.share.queue", "customer", customer_id,
                       {"partner_org_id": offer.partner_org_id})

    def _open_duty(self, s: Session, staff_id: str) -> DeskDuty | None:
        return s.scalar(
            select(DeskDuty)
            .where(DeskDuty.staff_id == staff_id, DeskDuty.ended_at.is_(None),
                   DeskDuty.started_at >= self._day_start())
            .order_by(DeskDuty.started_at.desc())
        )

    def _on_duty(self, s: Session) -> set[str]:
        return set(s.scalars(
            select(DeskDuty.staff_id).where(
                DeskDuty.service_point_id == self.ctx.signed_in.service_point_id,
                DeskDuty.ended_at.is_(None),
                DeskDuty.started_at >= self._day_start(),
            )
        ))

    def _day_start(self) -> datetime:
        from app.i18n import HELSINKI

        today = self.ctx.today()
        return datetime(today.year, today.month, today.day, tzinfo=HELSINKI)

    def staff_choices(self) -> list[StaffChoice]:
        """Workers of this service point for a transfer, those on duty first."""
        with self.ctx.transaction(Permission.QUEUE_SERVE) as s:
            on_duty = self._on_duty(s)
            # Not a partner's account: its desk serves only its own organisation's
            # services, a ticket sent to it by name would wait for ever.
            rows = s.execute(
                select(Staff.id, Staff.full_name)
                .where(Staff.service_point_id == self.ctx.signed_in.service_point_id,
                       Staff.active.is_(True), Staff.role != Role.PARTNER)
                .order_by(Staff.full_name)
            ).all()
        choices = [StaffChoice(i, n, i in on_duty) for i, n in rows]
        return sorted(choices, key=lambda c: (not c.on_duty, c.name))

    # --- arrival ------------------------------------------------------------------------

    def register_walk_in(
        self,
        customer_id: str | None,
        service_area: str,
        priority_reason: str | None = None,
        note: str = "",
    ) -> TicketRow:
        _desk, letter = self.workstation()
        with self.ctx.transaction(Permission.QUEUE_REGISTER) as s:
            actor = self.ctx.actor
            assert actor is not None
            offer = self._offer(s, service_area)
            if customer_id is not None and s.get(Customer, customer_id) is None:
                raise NotFound(N_("The customer was not found."))
            self._share_with_partner(s, offer, customer_id, "queue")
            today = self.ctx.today()
            taken = s.scalars(select(QueueTicket.number).where(
                QueueTicket.service_point_id == actor.service_point_id,
                QueueTicket.ticket_date == today, QueueTicket.letter == letter))
            ticket = QueueTicket(
                service_point_id=actor.service_point_id, ticket_date=today, letter=letter,
                number=rules.next_number(taken), customer_id=customer_id,
                service_area=ServiceArea(offer.service_area), queue_service_id=offer.id,
                priority=1 if priority_reason else 0, priority_reason=priority_reason or None,
                note=note.strip() or None, state=TicketState.WAITING,
                arrived_at=self.ctx.now(), leg=0, recalls=0,
            )
            s.add(ticket)
            s.flush()
            self.ctx.audit(s, "queue.register", "queue_ticket", ticket.id)
            return self._row(s, ticket.id)

    # --- calling and serving --------------------------------------------------------------

    def call_next(self) -> TicketRow | None:
        """Call the best waiting customer for this desk (see rules.queue.call_order)."""
        with self.ctx.transaction(Permission.QUEUE_SERVE) as s:
            actor = self.ctx.actor
            assert actor is not None
            duty = self._open_duty(s, actor.staff_id)
            if duty is None:
                raise ServiceError(N_("Go on duty at a desk before calling customers."))
            self._refuse_second_visit(s)
            rows = s.execute(
                select(QueueTicket, Customer.coach_id, Offered.code, Offered.partner_org_id)
                .outerjoin(Customer, Customer.id == QueueTicket.customer_id)
                .outerjoin(Offered, Offered.id == QueueTicket.queue_service_id)
                .where(*self._today(), *self._reach(),
                       QueueTicket.state == TicketState.WAITING)
            ).all()
            # A customer who waits for a partner's service waits for the partner's desk:
            # their own coach neither calls them first nor holds them (no coach given).
            waiting = [
                rules.Waiting(t.id, code or t.service_area.value, t.priority, t.arrived_at,
                              None if partner else coach, t.transferred_to_staff)
                for t, coach, code, partner in rows
            ]
            order = rules.call_order(waiting, actor.staff_id, set(duty.services.split(",")),
                                     self._on_duty(s) - {actor.staff_id}, self.ctx.now())
            if not order:
                return None
            return self._call(s, order[0].id, duty.desk)

    def call(self, ticket_id: str) -> TicketRow:
        """Call this one, whatever the order."""
        with self.ctx.transaction(Permission.QUEUE_SERVE) as s:
            self._refuse_second_visit(s)
            duty = self._open_duty(s, self.ctx.signed_in.staff_id)
            desk = duty.desk if duty else self.workstation()[0]
            return self._call(s, ticket_id, desk)

    def _refuse_second_visit(self, s: Session) -> None:
        """One customer at a desk at a time: a worker who is still serving (or has
        called) someone today finishes with them before calling the next."""
        busy = s.execute(
            select(QueueTicket.letter, QueueTicket.number).where(
                *self._today(), QueueTicket.served_by == self.ctx.signed_in.staff_id,
                QueueTicket.state.in_(ACTIVE))
        ).first()
        if busy is not None:
            raise ServiceError(N_("Finish {code} before calling the next customer."),
                               code=rules.format_ticket(*busy))

    def _call(self, s: Session, ticket_id: str, desk: str) -> TicketRow:
        ticket = self._ticket(s, ticket_id)
        self._check("call", ticket)
        now = self.ctx.now()
        ticket.state = TicketState.CALLED
        ticket.called_at = now
        ticket.first_called_at = ticket.first_called_at or now
        ticket.desk = desk
        ticket.served_by = self.ctx.signed_in.staff_id
        self.ctx.audit(s, "queue.call", "queue_ticket", ticket.id)
        s.flush()
        return self._row(s, ticket.id)

    def recall(self, ticket_id: str) -> TicketRow:
        return self._step(ticket_id, "recall")

    def not_present(self, ticket_id: str) -> TicketRow:
        return self._step(ticket_id, "not_present")

    def start(self, ticket_id: str) -> TicketRow:
        return self._step(ticket_id, "start")

    def _step(self, ticket_id: str, action: str) -> TicketRow:
        with self.ctx.transaction(Permission.QUEUE_SERVE) as s:
            ticket = self._ticket(s, ticket_id)
            self._check(action, ticket)
            now = self.ctx.now()
            if action == "recall":
                ticket.recalls += 1
                ticket.called_at = now
            elif action == "not_present":
                ticket.state, ticket.finished_at = TicketState.LEFT, now
            elif action == "start":
                ticket.state, ticket.service_started_at = TicketState.SERVING, now
                ticket.served_by = self.ctx.signed_in.staff_id
            self.ctx.audit(s, f"queue.{action}", "queue_ticket", ticket.id)
            s.flush()
            return self._row(s, ticket.id)

    def transfer(
        self, ticket_id: str, service_area: str | None, staff_id: str | None, note: str
    ) -> TicketRow:
        """Back to waiting, for another service (`service_area`: a queue service's code,
        a partner's desk's too) or a named worker, with a note. The service so far is
        recorded as a visit if it had started. A partner's desk does not transfer: the
        customer goes back to the area's desk."""
        if not service_area and not staff_id:
            raise ServiceError(N_("Choose a service or a worker to transfer to."))
        if is_partner(self.ctx.signed_in):
            raise ServiceError(N_("A partner's desk does not transfer customers: ask the "
                                  "customer to return to the service point's desk."))
        with self.ctx.transaction(Permission.QUEUE_SERVE) as s:
            ticket = self._ticket(s, ticket_id)
            self._check("transfer", ticket)
            if staff_id is not None:
                worker = s.get(Staff, staff_id)
                if worker is None or not worker.active or worker.role is Role.PARTNER \
                        or worker.service_point_id != ticket.service_point_id:
                    raise ServiceError(N_("Choose a worker of this service point, or a "
                                          "partner's service."))
            offer = self._offer(s, service_area) if service_area else None
            if offer is not None:
                self._share_with_partner(s, offer, ticket.customer_id, "queue_transfer")
            if ticket.state is TicketState.SERVING:
                self._record_visit(s, ticket, VisitInput(
                    service_area=ticket.service_area.value,
                    outcome=VisitOutcome.TRANSFERRED.value))
            if offer is not None:
                ticket.service_area = ServiceArea(offer.service_area)
                ticket.queue_service_id = offer.id
            ticket.transferred_to_staff = staff_id
            ticket.transfer_note = note.strip() or None
            ticket.state = TicketState.WAITING
            ticket.leg += 1
            ticket.desk = ticket.called_at = ticket.service_started_at = None
            ticket.served_by = None
            self.ctx.audit(s, "queue.transfer", "queue_ticket", ticket.id,
                           {"service": service_area, "staff": staff_id})
            s.flush()
            return self._row(s, ticket.id)

    def finish(self, ticket_id: str, record: VisitInput | None) -> TicketRow:
        """Finish the service and record the visit (waiting and service times measured).
        A partner's desk finishes without a visit (`record` None): the visit record is
        the employment services' own, a partner's service is its own."""
        partner = is_partner(self.ctx.signed_in)
        if record is None and not partner:
            raise ServiceError(N_("Record the visit to finish the service."))
        permission = Permission.QUEUE_SERVE if partner else Permission.VISIT_RECORD
        with self.ctx.transaction(permission) as s:
            ticket = self._ticket(s, ticket_id)
            self._check("finish", ticket)
            ticket.state, ticket.finished_at = TicketState.DONE, self.ctx.now()
            if record is not None and not partner:
                ticket.service_area = ServiceArea(record.service_area)
                self._record_visit(s, ticket, record)
            self.ctx.audit(s, "queue.finish", "queue_ticket", ticket.id)
            s.flush()
            return self._row(s, ticket.id)

    def _record_visit(self, s: Session, ticket: QueueTicket, record: VisitInput) -> None:
        actor = self.ctx.actor
        assert actor is not None
        visit = new_visit(
            actor, ticket.customer_id, "service_point", record,
            started_at=ticket.service_started_at or ticket.called_at or ticket.arrived_at,
            ended_at=self.ctx.now(),
            wait_minutes=rules.minutes_between(ticket.arrived_at, ticket.first_called_at),
        )
        visit.walk_in, visit.ticket_id = True, ticket.id
        s.add(visit)

    # --- reading --------------------------------------------------------------------------

    def snapshot(self) -> QueueSnapshot:
        """Everything a desk's queue view shows, in one read (a partner's desk: the
        tickets of its own organisation's services)."""
        self._require_queue()
        actor = self.ctx.actor
        assert actor is not None
        with self.ctx.reading() as s:
            on_duty = self._on_duty(s)
            rows = [self._make_row(r, on_duty) for r in s.execute(
                self._rows_query().where(*self._today(), *self._reach(),
                                         QueueTicket.state.in_((TicketState.WAITING, *ACTIVE)))
            ).all()]
            done = s.execute(
                select(QueueTicket.arrived_at, QueueTicket.first_called_at)
                .outerjoin(Offered, Offered.id == QueueTicket.queue_service_id)
                .where(*self._today(), *self._reach(),
                       QueueTicket.first_called_at.is_not(None))
            ).all()
            served = s.scalar(select(func.count()).select_from(QueueTicket)
                              .outerjoin(Offered, Offered.id == QueueTicket.queue_service_id)
                              .where(*self._today(), *self._reach(),
                                     QueueTicket.state == TicketState.DONE)) or 0
            duty = self._open_duty(s, actor.staff_id)
        waiting = sorted((r for r in rows if r.state == TicketState.WAITING.value),
                         key=lambda r: (-r.priority, r.arrived_at))
        serving = sorted((r for r in rows if r.state != TicketState.WAITING.value),
                         key=lambda r: (r.desk or "", r.called_at or r.arrived_at))
        mine = [r for r in serving if r.served_by == actor.staff_id]
        median = rules.median_minutes(
            (c - a).total_seconds() / 60 for a, c in done if c is not None)
        return QueueSnapshot(
            waiting=waiting, serving=serving, mine=mine,
            stats=QueueStats(len(waiting), served, median),
            duty=DutyInfo(duty.desk, tuple(duty.services.split(","))) if duty else None,
            now=self.ctx.now(),
        )

    def lobby_board(self) -> LobbyBoard:
        """All the waiting-room screen shows: the calls, how many wait, the time and the
        languages. Needs no sign-in, like `lobby`; nothing personal."""
        from app.models import ServicePoint
        from app.services.settings import SettingsService

        point = self._lobby_point()
        calls = self.lobby(point=point)
        with self.ctx.reading() as s:
            waiting = s.scalar(select(func.count()).select_from(QueueTicket).where(
                QueueTicket.service_point_id == point,
                QueueTicket.ticket_date == self.ctx.today(),
                QueueTicket.state == TicketState.WAITING)) or 0
            code = s.scalar(select(ServicePoint.code).where(ServicePoint.id == point))
        chosen = SettingsService(self.ctx).get("lobby_languages")
        return LobbyBoard(calls, waiting, self.ctx.now(), rules.lobby_languages(chosen, code))

    def lobby(self, limit: int = 9, point: str | None = None) -> list[LobbyCall]:
        """The latest calls for the waiting-room screen, newest first: codes and desks,
        nothing else. Needs no sign-in: the lobby screen runs unattended."""
        point = point or self._lobby_point()
        with self.ctx.reading() as s:
            rows = s.execute(
                select(QueueTicket.letter, QueueTicket.number, QueueTicket.desk,
                       QueueTicket.called_at, QueueTicket.state)
                .where(QueueTicket.service_point_id == point,
                       QueueTicket.ticket_date == self.ctx.today(),
                       QueueTicket.called_at.is_not(None), QueueTicket.desk.is_not(None))
                .order_by(QueueTicket.called_at.desc()).limit(limit)
            ).all()
        return [LobbyCall(rules.format_ticket(letter, number), desk or "", called,
                          state is TicketState.CALLED)
                for letter, number, desk, called, state in rows
                if called is not None]  # always: the query asks for called tickets only

    def _lobby_point(self) -> str | None:
        if self.ctx.actor is not None:
            return self.ctx.actor.service_point_id
        from app.models import ServicePoint

        code = self.ctx.setting("service_point")
        with self.ctx.reading() as s:
            stmt = select(ServicePoint.id)
            stmt = stmt.where(ServicePoint.code == code) if code else stmt.order_by(
                ServicePoint.code.desc())
            return s.scalar(stmt.limit(1))

    # --- helpers ---------------------------------------------------------------------------

    def _today(self) -> tuple:
        return (QueueTicket.service_point_id == self.ctx.signed_in.service_point_id,
                QueueTicket.ticket_date == self.ctx.today())

    def _reach(self) -> tuple:
        """A partner's desk reaches only its own organisation's services' tickets (the
        queries join `Offered` on the ticket's service)."""
        actor = self.ctx.signed_in
        if not is_partner(actor):
            return ()
        return (Offered.partner_org_id == actor.partner_org_id,)

    def _ticket(self, s: Session, ticket_id: str) -> QueueTicket:
        ticket = s.get(QueueTicket, ticket_id)
        if ticket is None or ticket.service_point_id != self.ctx.signed_in.service_point_id:
            raise NotFound(N_("The ticket was not found."))
        if is_partner(self.ctx.signed_in):
            offer = s.get(OfferedService, ticket.queue_service_id or "")
            if offer is None or offer.partner_org_id != self.ctx.signed_in.partner_org_id:
                raise NotFound(N_("The ticket was not found."))
        return ticket

    def _check(self, action: str, ticket: QueueTicket) -> None:
        try:
            rules.check(action, ticket.state, ticket.recalls)
        except rules.TransitionRefused as exc:
            raise self._taken_elsewhere(ticket) or ServiceError(exc.message) from exc

    def _taken_elsewhere(self, ticket: QueueTicket) -> ServiceError | None:
        """Two desks that call within a sync of each other call the same customer; the
        furthest state wins (rules.queue.merge). The one whose next step is then refused
        learns that another desk has the customer, not that a step is missing (88 of 928
        serves in `make bench-load`'s day)."""
        if ticket.served_by is None or ticket.served_by == self.ctx.signed_in.staff_id:
            return None
        code = rules.format_ticket(ticket.letter, ticket.number)
        if ticket.state is TicketState.DONE:
            return ServiceError(N_("{code} was already served at desk {desk}."),
                                code=code, desk=ticket.desk or "?")
        if ticket.state in ACTIVE:
            return ServiceError(N_("{code} was already called to desk {desk}."),
                                code=code, desk=ticket.desk or "?")
        return None

    @staticmethod
    def _rows_query() -> Select:
        return (
            select(QueueTicket, Customer, Coach.id, Coach.full_name, Server.full_name,
                   Target.full_name, Offered)
            .outerjoin(Customer, Customer.id == QueueTicket.customer_id)
            .outerjoin(Offered, Offered.id == QueueTicket.queue_service_id)
            .outerjoin(Coach, Coach.id == Customer.coach_id)
            .outerjoin(Server, Server.id == QueueTicket.served_by)
            .outerjoin(Target, Target.id == QueueTicket.transferred_to_staff)
        )

    def _row(self, s: Session, ticket_id: str) -> TicketRow:
        row = s.execute(self._rows_query().where(QueueTicket.id == ticket_id)).one()
        return self._make_row(row, self._on_duty(s))

    @staticmethod
    def _make_row(row: tuple, on_duty: set[str]) -> TicketRow:
        t, customer, coach_id, coach_name, server_name, target_name, offer = row
        lang = current_language()
        name = rules.service_name((offer.name_fi, offer.name_sv, offer.name_en), lang) \
            if offer is not None else rules.service_name(
                rules.BUILT_IN_NAMES.get(t.service_area.value, (t.service_area.value,) * 3),
                lang)
        return TicketRow(
            id=t.id, code=rules.format_ticket(t.letter, t.number), state=t.state.value,
            service_area=t.service_area.value, priority=t.priority,
            priority_reason=t.priority_reason, arrived_at=t.arrived_at, called_at=t.called_at,
            service_started_at=t.service_started_at, desk=t.desk, served_by=t.served_by,
            served_by_name=server_name, customer_id=t.customer_id,
            customer_label=customer_label(customer), own_coach_name=coach_name,
            own_coach_on_duty=coach_id in on_duty if coach_id else False,
            transferred_to_name=target_name, note=t.note, transfer_note=t.transfer_note,
            recalls=t.recalls, leg=t.leg,
            service=offer.code if offer is not None else t.service_area.value,
            service_name=name,
            partner_org_id=offer.partner_org_id if offer is not None else None,
        )


def offered_choice(o: OfferedService, partner_name: str | None = None) -> OfferedChoice:
    return OfferedChoice(
        o.id, o.code, rules.service_name((o.name_fi, o.name_sv, o.name_en),
                                         current_language()),
        o.service_area.value, o.partner_org_id, partner_name)
