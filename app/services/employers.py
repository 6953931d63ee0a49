"""The employer register (#22): employers, their contact persons and every contact with
them, with the follow-ups those contacts ask for (shown in Today).

Everyone signed in looks employers up (`employer.read`: name, business ID, addresses);
`employer.edit` (coaches, team leads, admins) writes the register and alone reads the
contact persons (personal data: a card that shows them is an audited read) and the
contacts. An employer's id is derived from its business ID (app/rules/employers.py), so
two workstations that register one company write one row, and the business ID of a
registered employer never changes. Writes go through the one write path; audit details
hold ids and counts, never a name or free text."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from app.dto.employers import (
    ContactInput,
    ContactRow,
    EmployerDetail,
    EmployerInput,
    EmployerRow,
    PersonInput,
    PersonRow,
)
from app.i18n import N_, _
from app.models import (
    Employer,
    EmployerContact,
    EmployerPerson,
    Staff,
    Team,
    Vacancy,
)
from app.rules import business_id
from app.rules.codes import (
    EmployerChannel,
    EmployerSize,
    EmployerTopic,
    VacancyStatus,
)
from app.rules.customer import nfc, normalise_phone
from app.rules.employers import INDUSTRIES, employer_id
from app.rules.permissions import Permission, allowed
from app.services import text_guard
from app.services.context import AppContext
from app.services.errors import NotFound, ValidationFailed
from app.services.vacancies import VacanciesService

PAGE_SIZE = 200
LAST_CONTACTS = 10  # the card's and `employer show`'s "last contacts"

REQUIRED = N_("Required.")
# As the customer and provider forms check them.
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
BAD_PHONE = N_("A phone number has 6 to 15 digits, for example 040 123 4567.")
BAD_EMAIL = N_("Check the email address, for example name@example.fi.")
BAD_POSTAL_CODE = N_("A postal code has five digits.")
BAD_INDUSTRY = N_("Choose an industry from the list (a TOL 2008 main class, A to U).")
BAD_SIZE = N_("Choose a size class from the list.")
BAD_WEBSITE = N_("Check the web address, for example www.example.fi.")
EXISTS = N_("This business ID is already in the register: {name}.")
ID_FIXED = N_("The business ID of a registered employer cannot be changed. A company "
              "with another business ID is another employer: add it as a new one.")
UNKNOWN_TEAM = N_("Choose a team from the list.")
UNKNOWN_STAFF = N_("Choose a staff member from the list.")
NO_EMPLOYER = N_("No such employer.")
NO_PERSON = N_("No such contact person.")
NO_CONTACT = N_("No such contact.")
FUTURE = N_("The date cannot be in the future.")
FOLLOW_UP_EARLY = N_("A follow-up cannot be before the contact.")
BAD_CHANNEL = N_("Choose how the contact was made from the list.")
BAD_TOPIC = N_("Choose a topic from the list.")
OTHER_EMPLOYERS_PERSON = N_("Choose a contact person of this employer.")
NO_FOLLOW_UP = N_("This contact asks for no follow-up.")
DONE_EARLY = N_("A follow-up cannot be done before the contact.")

EMPLOYER_TEXT = ("name", "municipality", "street_address", "postal_code", "post_office",
                 "visiting_address", "phone", "email", "website")
PERSON_TEXT = ("name", "role", "phone", "email")

ContactStaff = aliased(Staff)


def end_of_week(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _phone_email_errors(phone: str, email: str) -> dict[str, str]:
    errors = {}
    if nfc(phone) and not _PHONE.match(normalise_phone(phone)):
        errors["phone"] = BAD_PHONE
    if nfc(email) and not _EMAIL.match(nfc(email)):
        errors["email"] = BAD_EMAIL
    return errors


def validate_employer(data: EmployerInput) -> tuple[dict[str, str], str | None]:
    """({field: untranslated message}, the formatted business ID when right): the
    register's own rules, shared by the form and the import."""
    errors: dict[str, str] = text_guard.field_errors(
        Employer, {name: nfc(getattr(data, name)) for name in EMPLOYER_TEXT})
    errors.update(text_guard.field_errors(Employer, {"note": (data.note or "").strip()}))
    formatted = None
    if not nfc(data.business_id):
        errors["business_id"] = REQUIRED
    else:
        checked = business_id.check(data.business_id)
        if checked.ok:
            formatted = checked.value
        else:
            errors["business_id"] = checked.error or ""
    if not nfc(data.name):
        errors.setdefault("name", REQUIRED)
    if not nfc(data.municipality):
        errors.setdefault("municipality", REQUIRED)
    industry = nfc(data.industry).upper()
    if industry and industry not in INDUSTRIES:
        errors["industry"] = BAD_INDUSTRY
    size = nfc(data.size_class)
    if size and size not in {s.value for s in EmployerSize}:
        errors["size_class"] = BAD_SIZE
    for name, message in _phone_email_errors(data.phone, data.email).items():
        errors.setdefault(name, message)
    if nfc(data.postal_code) and not re.fullmatch(r"\d{5}", nfc(data.postal_code)):
        errors.setdefault("postal_code", BAD_POSTAL_CODE)
    website = nfc(data.website)
    if website and (" " in website or "." not in website):
        errors.setdefault("website", BAD_WEBSITE)
    return errors, formatted


def validate_person(data: PersonInput) -> dict[str, str]:
    errors = text_guard.field_errors(
        EmployerPerson, {name: nfc(getattr(data, name)) for name in PERSON_TEXT})
    if not nfc(data.name):
        errors.setdefault("name", REQUIRED)
    for name, message in _phone_email_errors(data.phone, data.email).items():
        errors.setdefault(name, message)
    return errors


def apply_employer(e: Employer, data: EmployerInput, keep_empty: bool = False) -> None:
    """The form's values onto the row (`keep_empty`: an empty value keeps the stored one,
    as an import's empty cell does). Team and staff ids are checked by the caller."""
    values: dict[str, object] = {name: nfc(getattr(data, name)) for name in EMPLOYER_TEXT}
    values["email"] = str(values["email"]).lower()
    values["industry"] = nfc(data.industry).upper()
    values["size_class"] = EmployerSize(nfc(data.size_class)) if nfc(data.size_class) else ""
    values["note"] = (data.note or "").strip()
    values["team_id"] = data.team_id
    values["contact_staff_id"] = data.contact_staff_id
    for name, value in values.items():
        if value == "" or value is None:
            if keep_empty or name in ("name", "municipality"):
                continue
            value = None
        setattr(e, name, value)


def apply_person(p: EmployerPerson, data: PersonInput, keep_empty: bool = False) -> None:
    for name in PERSON_TEXT:
        value = nfc(getattr(data, name))
        if name == "email":
            value = value.lower()
        if not value and (keep_empty or name == "name"):
            continue
        setattr(p, name, value or None)


class EmployerExists(ValidationFailed):
    """A new employer whose business ID is already registered: the message names the
    existing employer; `existing_id` opens it."""

    def __init__(self, existing_id: str, name: str) -> None:
        # The field's message is shown as it is (an untranslated id would lose the name).
        super().__init__({"business_id": _(EXISTS).format(name=name)})
        self.message = EXISTS
        self.params = {"name": name}
        self.existing_id = existing_id


def _employer_row(e: Employer, team: str | None, staff: str | None,
                  open_vacancies: int = 0) -> EmployerRow:
    return EmployerRow(e.id, e.business_id, e.name, e.industry or "",
                       e.size_class.value if e.size_class else "", e.municipality,
                       team or "", staff or "", bool(e.active), open_vacancies, e.name)


def _form(e: Employer) -> EmployerInput:
    return EmployerInput(
        business_id=e.business_id, name=e.name, industry=e.industry or "",
        size_class=e.size_class.value if e.size_class else "",
        municipality=e.municipality, street_address=e.street_address or "",
        postal_code=e.postal_code or "", post_office=e.post_office or "",
        visiting_address=e.visiting_address or "", phone=e.phone or "",
        email=e.email or "", website=e.website or "", team_id=e.team_id or "",
        contact_staff_id=e.contact_staff_id or "", note=e.note or "")


def _person_row(p: EmployerPerson) -> PersonRow:
    return PersonRow(p.id, p.employer_id, p.name, p.role or "", p.phone or "",
                     p.email or "", bool(p.active))


def business_id_condition(query: str):
    """The query as (part of) a business ID: digits with an optional hyphen, or None."""
    compact = re.sub(r"[\s-]", "", query)
    if compact.upper().startswith("FI"):
        compact = compact[2:]
    if len(compact) >= 2 and compact.isdigit():
        return func.replace(Employer.business_id, "-", "").like(
            "%" + _like_escape(compact) + "%", escape="\\")
    return None


def name_condition(query: str):
    """Every word of the query occurs in the name (SQLite's LIKE folds ASCII letters
    only: a word is also tried capitalised and in capitals, for Ä, Å and Ö)."""
    words = nfc(query).split()
    if not words:
        return None
    parts = []
    for word in words:
        variants = {word, word.lower(), word.capitalize(), word.upper()}
        parts.append(or_(*(Employer.name.like("%" + _like_escape(v) + "%", escape="\\")
                           for v in sorted(variants))))
    return and_(*parts)


class EmployersService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- looking employers up ------------------------------------------------------

    def search(self, query: str = "", after: tuple[str, str] | None = None,
               limit: int = PAGE_SIZE, include_inactive: bool = False) -> list[EmployerRow]:
        """Employers whose name holds every word of `query`, or whose business ID holds
        its digits; one keyset page by name: `after` is the last row's (sort_key, id)."""
        self.ctx.require(Permission.EMPLOYER_READ)
        text = nfc(query)
        open_count = (select(Vacancy.employer_id, func.count().label("n"))
                      .where(Vacancy.deleted_at.is_(None),
                             Vacancy.status == VacancyStatus.OPEN)
                      .group_by(Vacancy.employer_id).subquery())
        stmt = (select(Employer, Team.name, ContactStaff.full_name, open_count.c.n)
                .outerjoin(Team, Team.id == Employer.team_id)
                .outerjoin(ContactStaff, ContactStaff.id == Employer.contact_staff_id)
                .outerjoin(open_count, open_count.c.employer_id == Employer.id)
                .where(Employer.deleted_at.is_(None)))
        if not include_inactive:
            stmt = stmt.where(Employer.active.is_(True))
        if text:
            by_id = business_id_condition(text)
            by_name = name_condition(text)
            stmt = stmt.where(by_name if by_id is None else or_(by_id, by_name))
        if after is not None:
            stmt = stmt.where(tuple_(Employer.name, Employer.id) > tuple_(*after))
        stmt = stmt.order_by(Employer.name, Employer.id).limit(limit)
        with self.ctx.reading() as s:
            return [_employer_row(e, team, staff, n or 0)
                    for e, team, staff, n in s.execute(stmt)]

    def count(self, query: str = "", include_inactive: bool = False) -> int:
        """How many employers `search` would list over all its pages."""
        self.ctx.require(Permission.EMPLOYER_READ)
        stmt = select(func.count()).select_from(Employer).where(Employer.deleted_at.is_(None))
        if not include_inactive:
            stmt = stmt.where(Employer.active.is_(True))
        text = nfc(query)
        if text:
            by_id = business_id_condition(text)
            by_name = name_condition(text)
            stmt = stmt.where(by_name if by_id is None else or_(by_id, by_name))
        with self.ctx.reading() as s:
            return s.scalar(stmt) or 0

    def find(self, key: str) -> EmployerRow:
        """An employer by business ID (any accepted spelling: 1234567-8, 12345678,
        FI12345678) or by id; NotFound."""
        self.ctx.require(Permission.EMPLOYER_READ)
        checked = business_id.check(key)
        with self.ctx.reading() as s:
            e = s.get(Employer, nfc(key).lower()) if nfc(key) else None
            if (e is None or e.deleted_at is not None) and checked.ok:
                e = s.scalar(select(Employer).where(Employer.business_id == checked.value))
            if e is None or e.deleted_at is not None:
                raise NotFound(NO_EMPLOYER)
            return self._row(s, e)

    def employer(self, employer_id: str) -> EmployerDetail:
        """The employer's card. Contact persons and contacts only for `employer.edit`
        (the desk sees the register's facts and vacancies); showing persons is an
        audited read (the detail holds counts, no names)."""
        actor = self.ctx.require(Permission.EMPLOYER_READ)
        editor = allowed(actor.role, Permission.EMPLOYER_EDIT)
        with self.ctx.transaction(Permission.EMPLOYER_READ) as s:
            e = self._employer(s, employer_id)
            persons: list[PersonRow] = []
            contacts: list[ContactRow] = []
            first = last = None
            if editor:
                persons = sorted((_person_row(p) for p in s.scalars(
                    select(EmployerPerson).where(EmployerPerson.employer_id == e.id,
                                                 EmployerPerson.deleted_at.is_(None)))),
                                 key=lambda p: (not p.active, p.name.casefold()))
                contacts = self._contacts(s, e.id, LAST_CONTACTS * 20)
                first, last = s.execute(
                    select(func.min(EmployerContact.contacted_on),
                           func.max(EmployerContact.contacted_on))
                    .where(EmployerContact.employer_id == e.id,
                           EmployerContact.deleted_at.is_(None))).one()
                if persons:
                    self.ctx.audit(s, "employer.view", "employer", e.id,
                                   {"persons": len(persons)})
            row, form = self._row(s, e), _form(e)
        # The vacancies as the vacancies' own service lists them (open first, newest).
        vacancies = VacanciesService(self.ctx).vacancies(employer_id=row.id)
        return EmployerDetail(row, form, persons, vacancies, contacts, first, last)

    def persons(self, employer_id: str, include_inactive: bool = False) -> list[PersonRow]:
        """The employer's contact persons (employer.edit; an audited read)."""
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            e = self._employer(s, employer_id)
            stmt = select(EmployerPerson).where(EmployerPerson.employer_id == e.id,
                                                EmployerPerson.deleted_at.is_(None))
            if not include_inactive:
                stmt = stmt.where(EmployerPerson.active.is_(True))
            rows = sorted((_person_row(p) for p in s.scalars(stmt)),
                          key=lambda p: (not p.active, p.name.casefold()))
            if rows:
                self.ctx.audit(s, "employer.view", "employer", e.id, {"persons": len(rows)})
            return rows

    def contacts(self, employer_id: str, limit: int = 200) -> list[ContactRow]:
        """The employer's contacts, newest first (employer.edit); an audited read when
        they name contact persons (as the card's), the detail with counts only."""
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            e = self._employer(s, employer_id)
            rows = self._contacts(s, e.id, limit)
            named = sum(1 for r in rows if r.person_name)
            if named:
                self.ctx.audit(s, "employer.view", "employer", e.id,
                               {"contacts_naming_persons": named})
            return rows

    def contact(self, contact_id: str) -> ContactRow:
        self.ctx.require(Permission.EMPLOYER_EDIT)
        with self.ctx.reading() as s:
            return self._contact_row(s, self._contact(s, contact_id))

    def contact_form(self, contact_id: str) -> ContactInput:
        """A stored contact as its form shows it (for editing)."""
        self.ctx.require(Permission.EMPLOYER_EDIT)
        with self.ctx.reading() as s:
            c = self._contact(s, contact_id)
            return ContactInput(c.contacted_on, c.channel.value, c.topic.value,
                                c.person_id or "", c.summary or "", c.follow_up_on,
                                c.follow_up_by or "")

    def follow_ups(self, staff_id: str | None = None) -> list[ContactRow]:
        """Open follow-ups of the staff member (default: the signed-in one) due up to the
        end of this week, overdue (the oldest) first."""
        actor = self.ctx.require(Permission.EMPLOYER_EDIT)
        today = self.ctx.today()
        with self.ctx.reading() as s:
            return open_follow_ups(s, staff_id or actor.staff_id, end_of_week(today))

    def staff_choices(self) -> list[tuple[str, str]]:
        """(id, name) of the active staff who may be an employer's named contact (those
        who edit the register), by name."""
        self.ctx.require(Permission.EMPLOYER_READ)
        with self.ctx.reading() as s:
            rows = s.execute(select(Staff.id, Staff.full_name, Staff.role).where(
                Staff.deleted_at.is_(None), Staff.active.is_(True))).all()
        return sorted(((i, n) for i, n, role in rows
                       if allowed(role, Permission.EMPLOYER_EDIT)),
                      key=lambda r: r[1].casefold())

    def team_choices(self) -> list[tuple[str, str]]:
        """(id, name) of the teams, by name."""
        self.ctx.require(Permission.EMPLOYER_READ)
        with self.ctx.reading() as s:
            rows = s.execute(select(Team.id, Team.name).where(Team.deleted_at.is_(None))).all()
        return sorted(((i, n) for i, n in rows), key=lambda r: r[1].casefold())

    # --- writing -------------------------------------------------------------------

    def save_employer(self, data: EmployerInput,
                      employer_id: str | None = None) -> EmployerRow:
        """A new employer (its id from its business ID), or the edits of one. A business
        ID already registered is refused naming that employer (EmployerExists); an
        existing employer's business ID never changes."""
        self.ctx.require(Permission.EMPLOYER_EDIT)
        errors, formatted = validate_employer(data)
        if errors:
            raise ValidationFailed(errors)
        assert formatted is not None
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            self._check_refs(s, data)
            if employer_id is None:
                e = s.get(Employer, employer_id_of(formatted)) or s.scalar(
                    select(Employer).where(Employer.business_id == formatted))
                if e is not None and e.deleted_at is None:
                    raise EmployerExists(e.id, e.name)
                if e is None:
                    e = Employer(id=employer_id_of(formatted), business_id=formatted,
                                 active=True)
                    s.add(e)
                else:  # a removed employer registered again: the one row comes back
                    e.deleted_at = None
                    e.active = True
                action = "employer.create"
            else:
                e = self._employer(s, employer_id)
                if e.business_id != formatted:
                    raise ValidationFailed({"business_id": ID_FIXED})
                action = "employer.update"
            apply_employer(e, data)
            s.flush()
            self.ctx.audit(s, action, "employer", e.id)
            return self._row(s, e)

    def set_active(self, employer_id: str, active: bool) -> EmployerRow:
        """Deactivate (left out of searches; its history stays) or reactivate."""
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            e = self._employer(s, employer_id)
            if bool(e.active) != active:
                e.active = active
                s.flush()
                self.ctx.audit(s, "employer.activate" if active else "employer.deactivate",
                               "employer", e.id)
            return self._row(s, e)

    def save_person(self, employer_id: str, data: PersonInput,
                    person_id: str | None = None) -> PersonRow:
        self.ctx.require(Permission.EMPLOYER_EDIT)
        errors = validate_person(data)
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            e = self._employer(s, employer_id)
            if person_id is None:
                p = EmployerPerson(employer_id=e.id, active=True)
                s.add(p)
            else:
                p = self._person(s, person_id)
                if p.employer_id != e.id:
                    raise NotFound(NO_PERSON)
            apply_person(p, data)
            s.flush()
            self.ctx.audit(s, "employer_person.create" if person_id is None
                           else "employer_person.update", "employer_person", p.id,
                           {"employer_id": e.id})
            return _person_row(p)

    def set_person_active(self, person_id: str, active: bool) -> PersonRow:
        """A person who left the employer is kept (contacts name them) but not offered."""
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            p = self._person(s, person_id)
            if bool(p.active) != active:
                p.active = active
                s.flush()
                self.ctx.audit(s, "employer_person.activate" if active
                               else "employer_person.deactivate", "employer_person", p.id,
                               {"employer_id": p.employer_id})
            return _person_row(p)

    def erase_departed_persons(self, dry_run: bool = False) -> int:
        """Contact persons are personal data kept as customers' are (#22): a person no
        longer active whose last activity (their row's last change, or the last contact
        that names them) is older than the area's retention period (`retention_years`)
        is erased: name, role, phone and e-mail cleared, the row removed; the contacts
        that named them stay, without the name. For administrators, as the customers'
        erasure; audited as one event with the count. Returns how many."""
        from app.services.settings import SettingsService

        self.ctx.require(Permission.CUSTOMER_ERASE)
        years = int(SettingsService(self.ctx).get("retention_years"))
        today = self.ctx.today()
        limit = today.replace(year=today.year - years) if not (
            today.month == 2 and today.day == 29) else date(today.year - years, 2, 28)
        last_contact = (select(func.max(EmployerContact.contacted_on))
                        .where(EmployerContact.person_id == EmployerPerson.id,
                               EmployerContact.deleted_at.is_(None))
                        .scalar_subquery())
        with self.ctx.transaction(Permission.CUSTOMER_ERASE) as s:
            due = [p for p in s.scalars(select(EmployerPerson).where(
                EmployerPerson.active.is_(False), EmployerPerson.deleted_at.is_(None),
                or_(last_contact.is_(None), last_contact < limit)))
                if p.updated_at.date() < limit]
            if dry_run or not due:
                return len(due)
            for p in due:
                p.name, p.role, p.phone, p.email = "", None, None, None
                p.deleted_at = self.ctx.now()
            s.flush()
            self.ctx.audit(s, "employer_person.erase", "employer_person", None,
                           {"count": len(due), "retention_years": years})
            return len(due)

    def record_contact(self, employer_id: str, data: ContactInput,
                       contact_id: str | None = None) -> ContactRow:
        """A contact with the employer (or the edits of one). Never in the future; a
        follow-up not before it, for `follow_up_by` ("" = the employer's named staff
        contact, else the one who records it)."""
        actor = self.ctx.require(Permission.EMPLOYER_EDIT)
        today = self.ctx.today()
        errors = text_guard.field_errors(EmployerContact,
                                         {"summary": (data.summary or "").strip()})
        if data.contacted_on is None:
            errors["contacted_on"] = REQUIRED
        elif data.contacted_on > today:
            errors["contacted_on"] = FUTURE
        if data.channel not in {c.value for c in EmployerChannel}:
            errors["channel"] = BAD_CHANNEL
        if data.topic not in {t.value for t in EmployerTopic}:
            errors["topic"] = BAD_TOPIC
        if (data.follow_up_on is not None and data.contacted_on is not None
                and data.follow_up_on < data.contacted_on):
            errors["follow_up_on"] = FOLLOW_UP_EARLY
        if errors:
            raise ValidationFailed(errors)
        assert data.contacted_on is not None
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            e = self._employer(s, employer_id)
            if data.person_id:
                person = s.get(EmployerPerson, data.person_id)
                if person is None or person.deleted_at is not None or \
                        person.employer_id != e.id:
                    raise ValidationFailed({"person_id": OTHER_EMPLOYERS_PERSON})
            follow_up_by = None
            if data.follow_up_on is not None:
                follow_up_by = data.follow_up_by or e.contact_staff_id or actor.staff_id
                if not self._active_staff(s, follow_up_by):
                    raise ValidationFailed({"follow_up_by": UNKNOWN_STAFF})
            if contact_id is None:
                c = EmployerContact(employer_id=e.id, staff_id=actor.staff_id)
                s.add(c)
            else:
                c = self._contact(s, contact_id)
                if c.employer_id != e.id:
                    raise NotFound(NO_CONTACT)
            c.contacted_on = data.contacted_on
            c.channel = EmployerChannel(data.channel)
            c.topic = EmployerTopic(data.topic)
            c.person_id = data.person_id or None
            c.summary = (data.summary or "").strip() or None
            c.follow_up_on = data.follow_up_on
            c.follow_up_by = follow_up_by
            if data.follow_up_on is None:
                c.follow_up_done_on = None
            s.flush()
            self.ctx.audit(s, "employer_contact.create" if contact_id is None
                           else "employer_contact.update", "employer_contact", c.id,
                           {"employer_id": e.id})
            return self._contact_row(s, c)

    def follow_up_done(self, contact_id: str, on: date | None = None) -> ContactRow:
        """The contact's follow-up done (on `on`, default today): it leaves Today."""
        self.ctx.require(Permission.EMPLOYER_EDIT)
        day = on or self.ctx.today()
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            c = self._contact(s, contact_id)
            if c.follow_up_on is None:
                raise ValidationFailed({"follow_up_on": NO_FOLLOW_UP})
            if day > self.ctx.today():
                raise ValidationFailed({"follow_up_done_on": FUTURE})
            if day < c.contacted_on:
                raise ValidationFailed({"follow_up_done_on": DONE_EARLY})
            c.follow_up_done_on = day
            s.flush()
            self.ctx.audit(s, "employer_contact.follow_up_done", "employer_contact", c.id,
                           {"employer_id": c.employer_id})
            return self._contact_row(s, c)

    # --- helpers -------------------------------------------------------------------

    def _row(self, s: Session, e: Employer) -> EmployerRow:
        team = s.get(Team, e.team_id) if e.team_id else None
        staff = s.get(Staff, e.contact_staff_id) if e.contact_staff_id else None
        n = s.scalar(select(func.count()).select_from(Vacancy).where(
            Vacancy.employer_id == e.id, Vacancy.deleted_at.is_(None),
            Vacancy.status == VacancyStatus.OPEN)) or 0
        return _employer_row(e, team.name if team else None,
                             staff.full_name if staff else None, n)

    def _check_refs(self, s: Session, data: EmployerInput) -> None:
        errors = {}
        if data.team_id and s.scalar(select(Team.id).where(
                Team.id == data.team_id, Team.deleted_at.is_(None))) is None:
            errors["team_id"] = UNKNOWN_TEAM
        if data.contact_staff_id and not self._active_staff(s, data.contact_staff_id):
            errors["contact_staff_id"] = UNKNOWN_STAFF
        if errors:
            raise ValidationFailed(errors)

    @staticmethod
    def _active_staff(s: Session, staff_id: str) -> bool:
        """An active staff member who works with employers (edits the register): only
        they see contacts and follow-ups."""
        role = s.scalar(select(Staff.role).where(
            Staff.id == staff_id, Staff.deleted_at.is_(None), Staff.active.is_(True)))
        return role is not None and allowed(role, Permission.EMPLOYER_EDIT)

    def _contacts(self, s: Session, employer_id: str, limit: int) -> list[ContactRow]:
        rows = s.scalars(select(EmployerContact).where(
            EmployerContact.employer_id == employer_id, EmployerContact.deleted_at.is_(None))
            .order_by(EmployerContact.contacted_on.desc(), EmployerContact.updated_at.desc(),
                      EmployerContact.id).limit(limit)).all()
        return contact_rows(s, list(rows))

    def _contact_row(self, s: Session, c: EmployerContact) -> ContactRow:
        return contact_rows(s, [c])[0]

    @staticmethod
    def _employer(s: Session, employer_id: str) -> Employer:
        e = s.get(Employer, employer_id)
        if e is None or e.deleted_at is not None:
            raise NotFound(NO_EMPLOYER)
        return e

    @staticmethod
    def _person(s: Session, person_id: str) -> EmployerPerson:
        p = s.get(EmployerPerson, person_id)
        if p is None or p.deleted_at is not None:
            raise NotFound(NO_PERSON)
        return p

    @staticmethod
    def _contact(s: Session, contact_id: str) -> EmployerContact:
        c = s.get(EmployerContact, contact_id)
        if c is None or c.deleted_at is not None:
            raise NotFound(NO_CONTACT)
        return c


def employer_id_of(formatted: str) -> str:
    """The id of the employer with this formatted business ID (app.rules.employers)."""
    return employer_id(formatted)


def contact_rows(s: Session, contacts: list[EmployerContact]) -> list[ContactRow]:
    """The contacts as rows, with the employer, staff and person names resolved."""
    staff_ids = {i for c in contacts for i in (c.staff_id, c.follow_up_by) if i}
    person_ids = {c.person_id for c in contacts if c.person_id}
    employer_ids = {c.employer_id for c in contacts}
    staff = dict(s.execute(select(Staff.id, Staff.full_name)
                           .where(Staff.id.in_(staff_ids))).all()) if staff_ids else {}
    persons = dict(s.execute(select(EmployerPerson.id, EmployerPerson.name)
                             .where(EmployerPerson.id.in_(person_ids))).all()) \
        if person_ids else {}
    employers = dict(s.execute(select(Employer.id, Employer.name)
                               .where(Employer.id.in_(employer_ids))).all()) \
        if employer_ids else {}
    return [ContactRow(
        c.id, c.employer_id, employers.get(c.employer_id, ""), c.contacted_on,
        staff.get(c.staff_id or "", ""), c.channel.value, c.topic.value,
        persons.get(c.person_id or "", ""), c.summary or "", c.follow_up_on,
        staff.get(c.follow_up_by or "", ""), c.follow_up_done_on) for c in contacts]


def open_follow_ups(s: Session, staff_id: str, until: date) -> list[ContactRow]:
    """The staff member's open follow-ups due by `until`, the oldest first (of employers
    still in the register). Today's worklist reads them through this too."""
    rows = s.scalars(select(EmployerContact)
                     .join(Employer, Employer.id == EmployerContact.employer_id)
                     .where(EmployerContact.follow_up_by == staff_id,
                            EmployerContact.follow_up_on.is_not(None),
                            EmployerContact.follow_up_on <= until,
                            EmployerContact.follow_up_done_on.is_(None),
                            EmployerContact.deleted_at.is_(None),
                            Employer.deleted_at.is_(None))
                     .order_by(EmployerContact.follow_up_on, Employer.name,
                               EmployerContact.id)).all()
    return contact_rows(s, list(rows))

