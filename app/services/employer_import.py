"""Importing employers from a UTF-8 CSV file (as Excel saves it: `;`, `,` or tab, a BOM,
CRLF; the reading is the provider import's). Every row is checked with the register's
own rules (the business ID with python-stdnum), each bad row reported with its line and
reason, the good rows imported; a business ID already in the register updates that
employer (an empty cell keeps the stored value) rather than adding another.

Columns (a header row names them; order free): business_id, name, industry,
municipality; optional size_class, street_address, postal_code, post_office,
visiting_address, phone, email, website, team (a team's name), contact_staff (a staff
member's username), note, and one contact person per row: person_name, person_role,
person_phone, person_email. Another row of the same business ID adds a person, or
updates the employer's person of that name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select

from app.dto.employers import EmployerInput, PersonInput
from app.i18n import N_
from app.models import Employer, EmployerPerson, Staff, Team
from app.rules import text_input
from app.rules.customer import nfc
from app.rules.permissions import Permission, allowed
from app.services import provider_import
from app.services.context import AppContext
from app.services.customer_import import ImportFileError, Problem
from app.services.employers import (
    apply_employer,
    apply_person,
    employer_id_of,
    validate_employer,
    validate_person,
)

EMPLOYER_COLUMNS = ("business_id", "name", "industry", "municipality", "size_class",
                    "street_address", "postal_code", "post_office", "visiting_address",
                    "phone", "email", "website", "note")
PERSON_COLUMNS = ("person_name", "person_role", "person_phone", "person_email")
COLUMNS = (*EMPLOYER_COLUMNS, "team", "contact_staff", *PERSON_COLUMNS)
REQUIRED_COLUMNS = ("business_id", "name", "industry", "municipality")
LIMITS = {"business_id": 40, "name": 200, "industry": 80, "municipality": 60,
          "size_class": 20, "street_address": 200, "postal_code": 10, "post_office": 80,
          "visiting_address": 200, "phone": 40, "email": 200, "website": 200, "note": 4000,
          "team": 120, "contact_staff": 64, "person_name": 160, "person_role": 120,
          "person_phone": 40, "person_email": 200}

# A TOL 2008 division (the first two digits of a five-digit industry code, as the
# trade register gives it) -> its main class.
_DIVISIONS = (((1, 3), "A"), ((5, 9), "B"), ((10, 33), "C"), ((35, 35), "D"),
              ((36, 39), "E"), ((41, 43), "F"), ((45, 47), "G"), ((49, 53), "H"),
              ((55, 56), "I"), ((58, 63), "J"), ((64, 66), "K"), ((68, 68), "L"),
              ((69, 75), "M"), ((77, 82), "N"), ((84, 84), "O"), ((85, 85), "P"),
              ((86, 88), "Q"), ((90, 93), "R"), ((94, 96), "S"), ((97, 98), "T"),
              ((99, 99), "U"))
UNKNOWN_TEAM = N_("No team of this name.")
UNKNOWN_STAFF = N_("No active staff member with this username who works with employers.")
PERSON_NAME = N_("A contact person's name is required when the row gives their other "
                 "details.")


def industry_letter(text: str) -> str:
    """A TOL 2008 main class from a cell: the letter ("I", "i", "I Majoitus…") or an
    industry code of two to five digits ("55101" -> "I"); else the cell as it is (the
    register's check then refuses it)."""
    cell = nfc(text)
    digits = re.sub(r"[\s.]", "", cell)
    if re.fullmatch(r"\d{2,5}", digits):
        division = int(digits[:2])
        for (low, high), letter in _DIVISIONS:
            if low <= division <= high:
                return letter
        return cell
    if re.match(r"^[A-Za-z](\s|$)", cell):
        return cell[0].upper()
    return cell


@dataclass(frozen=True)
class EmployerImportRow:
    line: int
    business_id: str  # formatted when right
    action: str  # "new", "update", "reject"
    problems: tuple[Problem, ...] = ()
    data: EmployerInput | None = None
    person: PersonInput | None = None


@dataclass(frozen=True)
class EmployerImportPreview:
    rows: list[EmployerImportRow] = field(default_factory=list)

    @property
    def rejected(self) -> list[EmployerImportRow]:
        return [r for r in self.rows if r.action == "reject"]

    @property
    def accepted(self) -> list[EmployerImportRow]:
        return [r for r in self.rows if r.action != "reject"]

    @property
    def new_employers(self) -> int:
        return len({r.business_id for r in self.accepted if r.action == "new"})

    @property
    def known_employers(self) -> int:
        return len({r.business_id for r in self.accepted if r.action == "update"})


@dataclass(frozen=True)
class EmployerImportResult:
    created: int  # employers
    updated: int
    rejected: int  # rows
    persons_added: int = 0
    persons_updated: int = 0


def read_rows(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line, row) per data row, read as the provider import reads its file (Excel's
    dialects); ImportFileError when unreadable or a required column is missing."""
    return provider_import.read_rows(raw, REQUIRED_COLUMNS)


def check_row(line: int, row: dict[str, str], teams: dict[str, str] | None = None,
              staff: dict[str, str] | None = None) -> EmployerImportRow:
    """One row against the register's rules. `teams`: casefolded team name -> id;
    `staff`: username -> id of those who may be an employer's named contact."""
    problems: list[Problem] = []
    values = {c: nfc(row.get(c, "")) if c != "note" else (row.get(c) or "").strip()
              for c in COLUMNS}
    for column in COLUMNS:
        why = text_input.refusal(values[column], multiline=column == "note",
                                 limit=LIMITS[column])
        if why is not None:
            message, params = why.detail()
            problems.append(Problem(column, message,
                                    tuple((k, str(v)) for k, v in params.items())))
            values[column] = ""
    flagged = {p.column for p in problems}
    team_id = staff_id = ""
    if values["team"]:
        team_id = (teams or {}).get(values["team"].casefold(), "")
        if not team_id:
            problems.append(Problem("team", UNKNOWN_TEAM))
    if values["contact_staff"]:
        staff_id = (staff or {}).get(values["contact_staff"].lower(), "")
        if not staff_id:
            problems.append(Problem("contact_staff", UNKNOWN_STAFF))
    data = EmployerInput(
        **{c: values[c] for c in EMPLOYER_COLUMNS if c not in ("industry", "size_class")},
        industry=industry_letter(values["industry"]),
        size_class=values["size_class"].lower(), team_id=team_id,
        contact_staff_id=staff_id)
    errors, formatted = validate_employer(data)
    for name, message in errors.items():
        if name not in flagged:  # one reason per column: the first is the real one
            problems.append(Problem(name, message))
    person = None
    if any(values[c] for c in PERSON_COLUMNS):
        person = PersonInput(values["person_name"], values["person_role"],
                             values["person_phone"], values["person_email"])
        if not values["person_name"] and "person_name" not in flagged:
            problems.append(Problem("person_name", PERSON_NAME))
        for name, message in validate_person(person).items():
            column = f"person_{name}"
            if name != "name" and column not in flagged:
                problems.append(Problem(column, message))
    return EmployerImportRow(line, formatted or values["business_id"],
                             "reject" if problems else "new", tuple(problems), data, person)


class EmployerImportService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def preview(self, path: Path) -> EmployerImportPreview:
        """Check every row (nothing is written)."""
        self.ctx.require(Permission.EMPLOYER_EDIT)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise ImportFileError(N_("The file cannot be read: {reason}"),
                                  reason=exc.strerror or str(exc)) from exc
        return self.preview_rows(read_rows(raw))

    def preview_rows(self, rows: list[tuple[int, dict[str, str]]]) -> EmployerImportPreview:
        self.ctx.require(Permission.EMPLOYER_EDIT)
        with self.ctx.reading() as s:
            known = set(s.scalars(select(Employer.business_id).where(
                Employer.deleted_at.is_(None))))
            teams = {name.casefold(): i for i, name in s.execute(
                select(Team.id, Team.name).where(Team.deleted_at.is_(None)))}
            staff = {username.lower(): i for i, username, role in s.execute(
                select(Staff.id, Staff.username, Staff.role).where(
                    Staff.deleted_at.is_(None), Staff.active.is_(True)))
                if allowed(role, Permission.EMPLOYER_EDIT)}
        checked: list[EmployerImportRow] = []
        seen: set[str] = set()
        for line, row in rows:
            result = check_row(line, row, teams, staff)
            if result.action != "reject":
                # A business ID seen on an earlier row: that row made or updated it.
                if result.business_id in known or result.business_id in seen:
                    result = replace(result, action="update" if result.business_id in known
                                     else "new")
                seen.add(result.business_id)
            checked.append(result)
        return EmployerImportPreview(checked)

    def commit(self, preview: EmployerImportPreview) -> EmployerImportResult:
        """Write the accepted rows in one transaction, in the file's order (audited,
        counts only)."""
        created: set[str] = set()
        updated: set[str] = set()
        persons_added = persons_updated = 0
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            for row in preview.accepted:
                assert row.data is not None
                e = s.get(Employer, employer_id_of(row.business_id)) or s.scalar(
                    select(Employer).where(Employer.business_id == row.business_id))
                if e is None:
                    e = Employer(id=employer_id_of(row.business_id),
                                 business_id=row.business_id, active=True)
                    s.add(e)
                    apply_employer(e, row.data)
                    created.add(e.id)
                else:
                    if e.deleted_at is not None:
                        e.deleted_at = None
                        e.active = True
                    apply_employer(e, row.data, keep_empty=True)
                    if e.id not in created:
                        updated.add(e.id)
                s.flush()
                if row.person is not None:
                    wanted = nfc(row.person.name).casefold()
                    person = next((p for p in s.scalars(select(EmployerPerson).where(
                        EmployerPerson.employer_id == e.id,
                        EmployerPerson.deleted_at.is_(None)))
                        if p.name.casefold() == wanted), None)
                    if person is None:
                        person = EmployerPerson(employer_id=e.id, active=True)
                        s.add(person)
                        apply_person(person, row.person)
                        persons_added += 1
                    else:  # the stored spelling of the name stays
                        apply_person(person, replace(row.person, name=person.name),
                                     keep_empty=True)
                        persons_updated += 1
                    s.flush()
            self.ctx.audit(s, "employer.import", "employer", None,
                           {"created": len(created), "updated": len(updated),
                            "rejected": len(preview.rejected),
                            "persons_added": persons_added,
                            "persons_updated": persons_updated})
        return EmployerImportResult(len(created), len(updated), len(preview.rejected),
                                    persons_added, persons_updated)
