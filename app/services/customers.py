"""The customer register: list, search, read (audited), create and edit."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection, Select, and_, func, inspect, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from app.dto.customers import CustomerCard, CustomerPage, CustomerRow
from app.i18n import N_
from app.models import (
    CaseFacts,
    Customer,
    JobSearchPeriod,
    ServicePoint,
    Staff,
    first_period_id,
    new_id,
)
from app.rules import customer as rules
from app.rules import hetu as hetu_rules
from app.rules.case_access import Case, may_read
from app.rules.clock import days_unemployed, hundred_day_date
from app.rules.codes import CaseStatus
from app.rules.customer import CustomerInput, nfc
from app.rules.permissions import Permission, allowed
from app.rules.unemployment import age
from app.services import case_access, partner_reach, text_guard
from app.services.context import AppContext
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.statutory_clock_facts import first_benefit_on

PAGE_SIZE = 200
_HETU_PREFIX = re.compile(r"^\d{6}([-+A-FU-Y][0-9A-Y]{0,4})?$", re.IGNORECASE)
_NUMBER_PREFIX = re.compile(r"^[0-9A-Z]{4}-?[0-9A-Z]{0,4}$", re.IGNORECASE)

Coach = aliased(Staff)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefix(column, prefix: str):
    """`column` starts with `prefix`, as a range so that the column's index is used
    (SQLite's LIKE cannot use an index on a case-sensitive column)."""
    return and_(column >= prefix, column < prefix + "\uffff")


def search_condition(query: str, is_number: Callable[[str], bool] = lambda _prefix: False):
    """What a search box query means: an identity-code prefix, a customer number, or
    name fragments that must all occur in "last first" (in any order). `is_number` says
    whether some customer number starts so (for letters that could be either)."""
    text = nfc(query)
    if not text:
        return None
    compact = text.upper().replace(" ", "")
    if compact.isdigit():
        # Digits only: the start of a birth date (hetu) or of a customer number.
        if len(compact) == 1:
            # One digit matches a third of the register: walking the name index and
            # stopping at a page is faster than sorting every match of two ranges.
            return or_(func.substr(Customer.hetu, 1, 1) == compact,
                       func.substr(Customer.customer_number, 1, 1) == compact)
        # A number is printed 'XXXX-XXXX': typed without the hyphen it is still found.
        return or_(_prefix(Customer.hetu, compact),
                   _prefix(Customer.customer_number, _printed_number(compact)))
    if _HETU_PREFIX.match(compact):
        return _prefix(Customer.hetu, compact)
    number: str | None = None
    if _NUMBER_PREFIX.match(compact):
        number = _printed_number(compact)
        if any(ch.isdigit() for ch in compact):
            return _prefix(Customer.customer_number, number)
    tokens = text.casefold().split()
    names = and_(
        *(Customer.sort_name.like("%" + _like_escape(t) + "%", escape="\\") for t in tokens)
    )
    whole = "-" in compact or len(compact) == 8  # a number's shape, typed with or without "-"
    if number is not None and whole and " " not in text and is_number(number):
        # Letters only in a number's printed shape: one number in about thirty has no
        # digit ("ABCD-EFGH"), and "ANNE-MA" may as well be the start of a hyphenated
        # name. Asked first through the number's index (a fraction of a millisecond):
        # one OR of both would read every customer row (300 ms at 46 000 customers).
        return _prefix(Customer.customer_number, number)
    return names


def _printed_number(compact: str) -> str:
    """A customer number as printed ('XXXX-XXXX'), however much of it was typed, with or
    without its hyphen."""
    if "-" in compact or len(compact) <= 4:
        return compact
    return compact[:4] + "-" + compact[4:]


def _number_exists(conn: Connection) -> Callable[[str], bool]:
    def exists(prefix: str) -> bool:
        stmt = select(Customer.id).where(_prefix(Customer.customer_number, prefix)).limit(1)
        return conn.execute(stmt).first() is not None

    return exists


def apply_identity_and_contact(customer: Customer, data: CustomerInput,
                               checked: rules.Validated) -> None:
    """What the customer form and the import both set. The import's file has no address
    or interpreter columns, so an import that updates a customer keeps those."""
    customer.first_names = nfc(data.first_names)
    customer.last_name = nfc(data.last_name)
    customer.sort_name = rules.sort_name(data.last_name, data.first_names)
    customer.hetu = checked.hetu
    customer.hetu_temporary = checked.hetu_temporary
    customer.birth_date = checked.birth_date
    customer.language = data.language
    customer.phone = nfc(data.phone) or None
    customer.email = nfc(data.email).lower() or None
    customer.home_municipality = nfc(data.home_municipality)
    customer.jobseeker_registered_on = data.jobseeker_registered_on
    customer.unemployed_since = data.unemployed_since


# The form's text fields, each stored (after NFC) in the Customer column of its name.
TEXT_FIELDS = ("first_names", "last_name", "hetu", "phone", "email", "street_address",
               "postal_code", "post_office", "home_municipality")


def validate(data: CustomerInput, today: date) -> rules.Validated:
    """The register's rules, and app.rules.text_input on every text field (a control
    character, a direction override or more than the column holds is that field's error,
    before any other of its errors); ValidationFailed when anything is wrong."""
    checked = rules.validate(data, today)
    refused = text_guard.field_errors(
        Customer, {name: nfc(getattr(data, name)) for name in TEXT_FIELDS})
    errors = {**checked.errors, **refused}
    if errors:
        raise ValidationFailed(errors)
    return checked


def live_customer(s: Session, customer_id: str) -> Customer:
    """The customer, unless unknown or tombstoned (then NotFound): every service that
    works on one customer looks them up through this."""
    customer = s.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise NotFound(N_("The customer was not found."))
    return customer


class CustomerService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- list and search -----------------------------------------------------------

    def _list_query(self, query: str, conn: Connection) -> Select:
        # Only the columns the list shows: whole entities cost twice as much per page.
        stmt = (
            select(Customer.id, Customer.sort_name, Customer.customer_number,
                   Customer.first_names, Customer.last_name, Customer.hetu,
                   Customer.birth_date, Customer.language, Customer.unemployed_since,
                   Coach.full_name, ServicePoint.code, Customer.active)
            .join(ServicePoint, ServicePoint.id == Customer.service_point_id)
            .outerjoin(Coach, Coach.id == Customer.coach_id)
            .where(Customer.deleted_at.is_(None))
        )
        condition = search_condition(query, _number_exists(conn))
        return stmt if condition is None else stmt.where(condition)

    def page(
        self, query: str = "", after: tuple[str, str] | None = None, limit: int = PAGE_SIZE,
        status: str = "",
    ) -> CustomerPage:
        """One keyset page ordered by name: `after` is the last row's (sort_key, id).

        Read with Core on a connection (no ORM session: nothing here is an entity) into
        plain tuples; age and days unemployed are left to the rows that are shown."""
        actor = self.ctx.require(partner_reach.reading_permission(self.ctx))
        today = self.ctx.today()
        # The first benefit day counts for a reader of the case facts, by the caseload
        # rule (as the card): read with the row, only for a role that may ever see it.
        facts = allowed(actor.role, Permission.CASE_FACTS)
        with self.ctx.engine.connect() as conn:
            stmt = self._list_query(query, conn)
            if facts:
                stmt = stmt.add_columns(CaseFacts.first_benefit_on, Customer.coach_id,
                                        Coach.team_id, Customer.service_point_id).outerjoin(
                    CaseFacts, and_(CaseFacts.customer_id == Customer.id,
                                    CaseFacts.deleted_at.is_(None)))
            if status:  # a CaseStatus code: open or closed cases only
                stmt = stmt.where(Customer.active.is_(status == CaseStatus.OPEN))
            if partner_reach.is_partner(actor):  # only the consents' customers (#24)
                stmt = stmt.where(Customer.id.in_(
                    partner_reach.consented_customers(actor, today)))
            if after is not None:
                stmt = stmt.where(tuple_(Customer.sort_name, Customer.id) > tuple_(*after))
            stmt = stmt.order_by(Customer.sort_name, Customer.id).limit(limit + 1)
            rows = conn.execute(stmt).all()
        has_more = len(rows) > limit
        if has_more:
            rows = rows[:limit]
        masked, row = hetu_rules.masked, CustomerRow
        reader = case_access.worker(actor)
        result = [
            row(r[0], r[1], r[2], f"{r[4]}, {r[3]}", masked(r[5]), r[6], r[7], r[10], r[9],
                r[8], today, r[11],
                r[12] if facts and r[12] is not None and may_read(
                    reader, Case(r[13], r[14], r[15]), Permission.CASE_FACTS) else None)
            for r in rows
        ]
        return CustomerPage(rows=result, has_more=has_more)

    def count(self, query: str = "", status: str = "") -> int:
        actor = self.ctx.require(partner_reach.reading_permission(self.ctx))
        stmt = select(func.count()).select_from(Customer).where(Customer.deleted_at.is_(None))
        if status:  # a CaseStatus code: open or closed cases only
            stmt = stmt.where(Customer.active.is_(status == CaseStatus.OPEN))
        if partner_reach.is_partner(actor):
            stmt = stmt.where(Customer.id.in_(
                partner_reach.consented_customers(actor, self.ctx.today())))
        with self.ctx.reading() as s:
            condition = search_condition(query, _number_exists(s.connection()))
            if condition is not None:
                stmt = stmt.where(condition)
            return s.scalar(stmt) or 0

    # --- one customer -------------------------------------------------------------

    def get(self, customer_id: str) -> CustomerCard:
        """Open a customer record (audited: every read of a record is)."""
        with self.ctx.transaction(partner_reach.reading_permission(self.ctx)) as s:
            partner_reach.check(self.ctx, s, customer_id)  # a partner: by consent (#24)
            card = self._card(s, customer_id)
            self.ctx.audit(s, "customer.read", "customer", customer_id)
        return card

    def find(self, key: str) -> CustomerCard:
        """By id, identity code or customer number (the CLI's `customer show`)."""
        text = nfc(key).upper()
        with self.ctx.transaction(partner_reach.reading_permission(self.ctx)) as s:
            customer_id = s.scalar(
                select(Customer.id).where(
                    or_(
                        Customer.id == nfc(key).lower(),
                        Customer.hetu == text,
                        Customer.customer_number == text,
                    )
                )
            )
            if customer_id is None or not partner_reach.known(self.ctx, s, customer_id):
                raise NotFound(N_("No customer with this ID, identity code or customer number."))
            partner_reach.check(self.ctx, s, customer_id)
            card = self._card(s, customer_id)
            self.ctx.audit(s, "customer.read", "customer", customer_id)
        return card

    def reveal_hetu(self, customer_id: str) -> str:
        with self.ctx.transaction(Permission.CUSTOMER_REVEAL_HETU) as s:
            customer = live_customer(s, customer_id)
            self.ctx.audit(s, "customer.reveal_hetu", "customer", customer_id)
            return customer.hetu or ""

    def edit_form(self, customer_id: str) -> CustomerInput:
        """The stored values as form input (the full identity code is an audited read)."""
        with self.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
            c = live_customer(s, customer_id)
            self.ctx.audit(s, "customer.open_edit", "customer", customer_id)
            return CustomerInput(
                first_names=c.first_names,
                last_name=c.last_name,
                hetu=c.hetu or "",
                birth_date=None if c.hetu else c.birth_date,
                language=c.language,
                interpreter_needed=c.interpreter_needed,
                phone=c.phone or "",
                email=c.email or "",
                street_address=c.street_address or "",
                postal_code=c.postal_code or "",
                post_office=c.post_office or "",
                home_municipality=c.home_municipality,
                jobseeker_registered_on=c.jobseeker_registered_on,
                unemployed_since=c.unemployed_since,
                first_residence_permit_on=c.first_residence_permit_on,
            )

    def create(self, data: CustomerInput) -> CustomerCard:
        checked = validate(data, self.ctx.today())
        with self.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
            self._refuse_duplicate_hetu(s, checked.hetu, None)
            actor = self.ctx.require(Permission.CUSTOMER_EDIT)
            customer = Customer(id=new_id(), service_point_id=actor.service_point_id)
            while s.scalar(
                select(Customer.id).where(
                    Customer.customer_number == rules.customer_number(customer.id)
                )
            ):
                customer.id = new_id()
            customer.customer_number = rules.customer_number(customer.id)
            self._apply(customer, data, checked)
            s.add(customer)
            s.flush()
            # The case opens with its first job-search period (services/case_periods.py).
            s.add(JobSearchPeriod(id=first_period_id(customer.id), customer_id=customer.id,
                                  opened_on=customer.jobseeker_registered_on
                                  or self.ctx.today()))
            self.ctx.audit(s, "customer.create", "customer", customer.id)
            return self._card(s, customer.id)

    def update(self, customer_id: str, data: CustomerInput, revision: str) -> CustomerCard:
        """Save edits made on the card shown at `revision` (the row's hlc then)."""
        checked = validate(data, self.ctx.today())
        with self.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
            customer = live_customer(s, customer_id)
            if customer.hlc != revision:
                raise Conflict(N_("Someone else changed this customer meanwhile. Reopen it."))
            self._refuse_duplicate_hetu(s, checked.hetu, customer_id)
            self._apply(customer, data, checked)
            state = inspect(customer)
            changed = sorted(a.key for a in state.attrs if a.history.has_changes())
            s.flush()
            self.ctx.audit(s, "customer.update", "customer", customer_id, {"fields": changed})
            return self._card(s, customer_id)

    # --- helpers ------------------------------------------------------------------

    @staticmethod
    def _refuse_duplicate_hetu(s: Session, hetu: str | None, own_id: str | None) -> None:
        if not hetu:
            return
        other = s.scalar(select(Customer.id).where(Customer.hetu == hetu))
        if other is not None and other != own_id:
            raise ValidationFailed(
                {"hetu": N_("A customer with this identity code is already registered.")}
            )

    @staticmethod
    def _apply(customer: Customer, data: CustomerInput, checked: rules.Validated) -> None:
        apply_identity_and_contact(customer, data, checked)
        customer.interpreter_needed = data.interpreter_needed
        customer.street_address = nfc(data.street_address) or None
        customer.postal_code = nfc(data.postal_code) or None
        customer.post_office = nfc(data.post_office) or None
        customer.first_residence_permit_on = data.first_residence_permit_on


    def _card(self, s: Session, customer_id: str) -> CustomerCard:
        c = live_customer(s, customer_id)
        point = s.get(ServicePoint, c.service_point_id)
        coach = s.get(Staff, c.coach_id) if c.coach_id else None
        today = self.ctx.today()
        # A closed case stops the count on its closing day (the person found work, moved..).
        counted_to = today if c.active else (s.scalar(
            select(func.max(JobSearchPeriod.closed_on)).where(
                JobSearchPeriod.customer_id == c.id, JobSearchPeriod.deleted_at.is_(None)))
            or today)
        return CustomerCard(
            id=c.id,
            revision=c.hlc,
            customer_number=c.customer_number,
            first_names=c.first_names,
            last_name=c.last_name,
            hetu_masked=hetu_rules.masked(c.hetu),
            hetu_temporary=c.hetu_temporary,
            has_hetu=bool(c.hetu),
            birth_date=c.birth_date,
            age=age(c.birth_date, today),
            language=c.language,
            interpreter_needed=c.interpreter_needed,
            phone=c.phone or "",
            email=c.email or "",
            street_address=c.street_address or "",
            postal_code=c.postal_code or "",
            post_office=c.post_office or "",
            home_municipality=c.home_municipality,
            service_point_code=point.code if point else "",
            service_point_name=point.name if point else "",
            coach_name=coach.full_name if coach else None,
            jobseeker_registered_on=c.jobseeker_registered_on,
            unemployed_since=c.unemployed_since,
            # One 100-day count (rules.clock): from the first benefit day for a role that
            # reads the case facts, else estimated and marked approximate.
            days_unemployed=days_unemployed(c.unemployed_since, counted_to, benefit_on := (
                first_benefit_on(s, c.id, self.ctx.actor))),
            hundred_day_date=(mark.due_on if (mark := hundred_day_date(
                c.unemployed_since, counted_to, benefit_on)) and (
                    c.active or mark.due_on <= counted_to) else None),
            hundred_day_approximate=bool(mark and mark.approximate),
            first_residence_permit_on=c.first_residence_permit_on,
        )
