"""Importing customers from a UTF-8 CSV file (as Excel saves it: see read_rows): every
row checked with the register's own rules (rules.customer, rules.hetu, rules.text_input),
each bad row reported with its line and reason, the good rows imported; existing identity
codes updated only when asked.

Columns (a header row names them; order free): hetu, first_name, last_name, birth_date,
home_municipality, language, phone, email, registered_on, unemployed_since,
coach_username; optional first_residence_permit_on, and the case facts
partial_work_ability (yes/no), benefit (a BenefitType code) and first_benefit_on, which
only a user with `case.facts` may import (otherwise the row is refused). Dates as
2026-11-24 or 24.11.2026; an empty cell leaves the stored value as it is."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from app.i18n import N_
from app.models import CoachAssignment, Customer, Staff, new_id
from app.rules import customer as rules
from app.rules import hetu as hetu_rules
from app.rules import text_input
from app.rules.codes import BenefitType
from app.rules.customer import CustomerInput, nfc
from app.rules.permissions import Permission, allowed
from app.services.case_facts import facts_row
from app.services.case_periods import first_period
from app.services.context import AppContext
from app.services.customers import apply_identity_and_contact
from app.services.errors import ServiceError

COLUMNS = ("hetu", "first_name", "last_name", "birth_date", "home_municipality", "language",
           "phone", "email", "registered_on", "unemployed_since", "coach_username",
           "first_residence_permit_on", "partial_work_ability", "benefit", "first_benefit_on")
# Case facts (CaseFacts): written only when the importing user has `case.facts`.
FACT_COLUMNS = ("partial_work_ability", "benefit", "first_benefit_on")
_YES = frozenset({"yes", "y", "true", "1", "kyllä", "k", "ja", "x"})
_NO = frozenset({"no", "n", "false", "0", "ei", "e", "nej"})
REQUIRED = ("first_name", "last_name")
# The register's column sizes (models.customer): longer values are refused, not cut.
LIMITS = {"first_name": 120, "last_name": 120, "home_municipality": 60, "language": 8,
          "phone": 40, "email": 200, "coach_username": 64, "hetu": 11}
OTHER_LIMIT = 40  # a date column: "2026-11-24" with room to spare
CENTURY_SIGNS = "+-YXWVUABCDEF"
IMPORT_REASON = "Tuonti tiedostosta"  # stored in the coach history: data, not UI text


class ImportFileError(ServiceError):
    """The file cannot be read at all (exit status 2)."""


@dataclass(frozen=True)
class Problem:
    """What is wrong in a row: the column, an untranslated message and its values."""

    column: str
    message: str
    values: tuple[tuple[str, str], ...] = ()

    def text(self, translate: Callable[[str], str]) -> str:
        return f"{self.column}: " + translate(self.message).format(**dict(self.values))


@dataclass(frozen=True)
class ImportRow:
    line: int
    hetu: str
    name: str
    action: str  # "new", "update", "reject"
    problems: tuple[Problem, ...] = ()
    data: CustomerInput | None = None
    coach_id: str | None = None
    facts: ImportFacts | None = None  # the case facts the row gives (None: none)


@dataclass(frozen=True)
class ImportFacts:
    """The case facts of one row; None where the cell was empty (kept as stored)."""

    partial_work_ability: bool | None = None
    benefit: str | None = None
    first_benefit_on: date | None = None


@dataclass(frozen=True)
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def rejected(self) -> list[ImportRow]:
        return [r for r in self.rows if r.action == "reject"]

    @property
    def accepted(self) -> list[ImportRow]:
        return [r for r in self.rows if r.action != "reject"]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    rejected: int


def _delimiter(header_line: str) -> str:
    """The separator the header row uses: Excel writes `;` where `,` is the decimal comma
    (Finnish and Swedish Windows), `,` elsewhere; a tab from a copied sheet. Counted, not
    sniffed: csv.Sniffer guesses the quoting too, and on a header without quotes it turns
    doubled quotes off (a quote written twice inside a quoted name, as Excel writes it),
    and the rest of the row then lands in the wrong columns."""
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_rows(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; ImportFileError when unreadable.

    Excel's dialects are read: UTF-8 with or without a byte-order mark, `;`, `,` or tab
    between fields, doubled quotes, CRLF. A field however long is read whole (its row is
    refused by check_row, not the file)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(N_("The file is not UTF-8 text.")) from exc
    # The csv module refuses a field over 128 kB and stops the whole file there; the text
    # is in memory already, so no field can be longer than it.
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=csv.excel,
                            delimiter=_delimiter(text.split("\n", 1)[0]))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(N_("The first row must name the columns; missing: {columns}."),
                              columns=", ".join(missing))
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            rows.append((reader.line_num, {k: (v or "") if isinstance(v, str) else ""
                                           for k, v in row.items() if k}))
    except csv.Error as exc:
        raise ImportFileError(N_("The file is not valid CSV.")) from exc
    return rows


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def check_row(line: int, row: dict[str, str], today: date, coaches: dict[str, str],
              facts_allowed: bool = True) -> ImportRow:
    """One row against the rules; problems as "field: message" with untranslated ids."""
    problems: list[Problem] = []
    values = {c: nfc(row.get(c, "")) for c in COLUMNS}
    for column in COLUMNS:
        # No control character, direction override or over-long text (app.rules.text_input):
        # the row is refused with the reason, its value set aside for the other checks.
        why = text_input.refusal(values[column], limit=LIMITS.get(column, OTHER_LIMIT))
        if why is not None:
            message, params = why.detail()
            problems.append(Problem(column, message,
                                    tuple((k, str(v)) for k, v in params.items())))
            values[column] = ""
    dates: dict[str, date | None] = {}
    for column in ("birth_date", "registered_on", "unemployed_since",
                   "first_residence_permit_on", "first_benefit_on"):
        try:
            dates[column] = parse_date(values[column])
        except ValueError:
            problems.append(Problem(column, N_("Not a date: use 2026-11-24 or 24.11.2026.")))
            dates[column] = None
    code = hetu_rules.normalise(values["hetu"])
    if len(code) == 11 and code[6] not in CENTURY_SIGNS:
        problems.append(Problem("hetu", N_("Unknown century sign in the identity code.")))
        code = ""
    data = CustomerInput(
        first_names=values["first_name"], last_name=values["last_name"], hetu=code,
        birth_date=dates["birth_date"], language=(values["language"] or "fi").lower(),
        phone=values["phone"], email=values["email"],
        home_municipality=values["home_municipality"] or "Rovaniemi",
        jobseeker_registered_on=dates["registered_on"],
        unemployed_since=dates["unemployed_since"],
        first_residence_permit_on=dates["first_residence_permit_on"],
    )
    facts = _check_facts(values, dates["first_benefit_on"], facts_allowed, problems)
    checked = rules.validate(data, today)
    flagged = {p.column for p in problems}
    if "hetu" in flagged:
        flagged.add("birth_date")  # "give the birth date" follows from the code's problem
    for name, message in checked.errors.items():
        column = _FIELDS.get(name, name)
        if column not in flagged:  # one reason per column: the first is the real one
            problems.append(Problem(column, message))
    if checked.ok and code and dates["birth_date"] and checked.birth_date != dates["birth_date"]:
        problems.append(Problem("birth_date",
                                N_("The birth date differs from the identity code's.")))
    coach_id = None
    if values["coach_username"]:
        coach_id = coaches.get(values["coach_username"].lower())
        if coach_id is None:
            problems.append(Problem("coach_username", N_("No such coach.")))
    name = f"{values['last_name']}, {values['first_name']}"
    return ImportRow(line, checked.hetu or code, name, "reject" if problems else "new",
                     tuple(problems), data, coach_id, facts)


def _check_facts(values: dict[str, str], first_benefit_on: date | None, allowed_: bool,
                 problems: list[Problem]) -> ImportFacts | None:
    """The row's case facts, or None when it gives none; problems appended."""
    given = [c for c in FACT_COLUMNS if values[c]]
    if not given:
        return None
    if not allowed_:
        for column in given:
            problems.append(Problem(column, N_(
                "Only coaches and team leads may import work ability and benefit facts.")))
        return None
    partial = None
    answer = values["partial_work_ability"].casefold()
    if answer in _YES:
        partial = True
    elif answer in _NO:
        partial = False
    elif answer:
        problems.append(Problem("partial_work_ability",
                                N_("Write yes or no (kyllä/ei, ja/nej).")))
    benefit = values["benefit"].lower() or None
    if benefit is not None and benefit not in {b.value for b in BenefitType}:
        problems.append(Problem("benefit", N_("Unknown benefit: use {codes}."),
                                (("codes", ", ".join(b.value for b in BenefitType)),)))
        benefit = None
    elif first_benefit_on is not None and benefit in (None, BenefitType.NONE.value):
        # As the card's form: the day belongs to a benefit named on the same row.
        problems.append(Problem("first_benefit_on",
                                N_("A first benefit day needs a benefit.")))
    return ImportFacts(partial, benefit, first_benefit_on)


_FIELDS = {"first_names": "first_name", "jobseeker_registered_on": "registered_on"}


def _write_facts(s, customer: Customer, facts: ImportFacts) -> None:
    """The row's facts onto the customer's CaseFacts row (made when missing); empty cells
    keep what is stored. Without partial work ability its date and basis are cleared."""
    row = facts_row(s, customer.id)
    if facts.partial_work_ability is not None:
        row.partial_work_ability = facts.partial_work_ability
        if not facts.partial_work_ability:
            row.work_ability_since = row.work_ability_basis = None
    if facts.benefit is not None:
        row.benefit = BenefitType(facts.benefit)
    if facts.first_benefit_on is not None:
        row.first_benefit_on = facts.first_benefit_on


class CustomerImportService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def preview(self, path: Path, update: bool = False) -> ImportPreview:
        """Check every row (nothing is written)."""
        self.ctx.require(Permission.CUSTOMER_IMPORT)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise ImportFileError(N_("The file cannot be read: {reason}"),
                                  reason=exc.strerror or str(exc)) from exc
        rows = read_rows(raw)
        today = self.ctx.today()
        facts_allowed = allowed(self.ctx.signed_in.role, Permission.CASE_FACTS)
        with self.ctx.reading() as s:
            coaches = {u: i for u, i in s.execute(select(Staff.username, Staff.id).where(
                Staff.active.is_(True), Staff.deleted_at.is_(None)))}
            codes = [hetu_rules.normalise(r.get("hetu", "")) for _line, r in rows]
            known = set(s.scalars(select(Customer.hetu).where(Customer.hetu.in_(
                [c for c in codes if c]))))
        checked: list[ImportRow] = []
        seen: dict[str, int] = {}  # hetu -> the line it first came on
        for line, row in rows:
            result = check_row(line, row, today, coaches, facts_allowed)
            if result.action != "reject" and result.hetu:
                if result.hetu in seen:
                    result = replace(result, action="reject", problems=(Problem(
                        "hetu", N_("Duplicate in the file (line {line})."),
                        (("line", str(seen[result.hetu])),)),))
                elif result.hetu in known:
                    if update:
                        result = replace(result, action="update")
                    else:
                        result = replace(result, action="reject", problems=(Problem(
                            "hetu", N_("Already in the register (import with updating).")),))
                seen.setdefault(result.hetu, line)
            checked.append(result)
        return ImportPreview(checked)

    def commit(self, preview: ImportPreview) -> ImportResult:
        """Write the accepted rows of a preview in one transaction (audited)."""
        today = self.ctx.today()
        created = updated = with_facts = 0
        with self.ctx.transaction(Permission.CUSTOMER_IMPORT) as s:
            actor = self.ctx.require(Permission.CUSTOMER_IMPORT)
            if any(r.facts for r in preview.accepted):
                self.ctx.require(Permission.CASE_FACTS)
            for row in preview.accepted:
                assert row.data is not None
                checked = rules.validate(row.data, today)
                customer, new_case = None, False
                if row.action == "update":
                    customer = s.scalar(select(Customer).where(Customer.hetu == row.hetu))
                if customer is None:
                    customer = Customer(id=new_id(), service_point_id=actor.service_point_id)
                    customer.customer_number = rules.customer_number(customer.id)
                    s.add(customer)
                    new_case = True
                    created += 1
                else:
                    updated += 1
                apply_identity_and_contact(customer, row.data, checked)
                if row.data.first_residence_permit_on is not None:
                    customer.first_residence_permit_on = row.data.first_residence_permit_on
                if new_case:  # the case opens with its first job-search period
                    s.flush()
                    s.add(first_period(customer, today))
                if row.coach_id and row.coach_id != customer.coach_id:
                    s.flush()  # the customer row first: the history refers to it
                    s.add(CoachAssignment(customer_id=customer.id, coach_id=row.coach_id,
                                          previous_coach_id=customer.coach_id,
                                          reason=IMPORT_REASON, assigned_at=self.ctx.now()))
                    customer.coach_id = row.coach_id
                if row.facts is not None:
                    s.flush()  # the customer row first: the facts refer to it
                    _write_facts(s, customer, row.facts)
                    with_facts += 1
            s.flush()
            self.ctx.audit(s, "customer.import", "customer", None,
                           {"created": created, "updated": updated,
                            "rejected": len(preview.rejected), "facts": with_facts})
        return ImportResult(created, updated, len(preview.rejected))
