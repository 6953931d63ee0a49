"""The employer register (#22) as the views and the command line see it: employers,
their contact persons, contacts with them, vacancies and the job seekers proposed.

Inputs are what was typed (all text where a person types, nothing lost on a refusal);
rows are what was stored, with the names the screens show resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class EmployerInput:
    """The employer form. `industry` a TOL 2008 main class letter or ""; `size_class` an
    EmployerSize code or ""; `team_id`/`contact_staff_id` "" for none."""

    business_id: str = ""
    name: str = ""
    industry: str = ""
    size_class: str = ""
    municipality: str = ""
    street_address: str = ""
    postal_code: str = ""
    post_office: str = ""
    visiting_address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    team_id: str = ""
    contact_staff_id: str = ""
    note: str = ""


@dataclass(frozen=True)
class EmployerRow:
    """One employer in the register's list (search results, keyset pages by name)."""

    id: str
    business_id: str
    name: str
    industry: str  # letter or ""
    size_class: str  # code or ""
    municipality: str
    team_name: str  # the responsible sector team, "" for none
    contact_staff_name: str  # the named staff contact, "" for none
    active: bool
    open_vacancies: int = 0
    sort_key: str = ""  # the keyset: (sort_key, id) of the last row asks for the next page


@dataclass(frozen=True)
class PersonInput:
    """A contact person at an employer."""

    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class PersonRow:
    id: str
    employer_id: str
    name: str
    role: str
    phone: str
    email: str
    active: bool


@dataclass(frozen=True)
class ContactInput:
    """A contact with an employer. `channel` an EmployerChannel code, `topic` an
    EmployerTopic code; `follow_up_by` "" means the employer's named staff contact, else
    the one who records it."""

    contacted_on: date | None = None
    channel: str = "visit"
    topic: str = "recruitment"
    person_id: str = ""
    summary: str = ""
    follow_up_on: date | None = None
    follow_up_by: str = ""


@dataclass(frozen=True)
class ContactRow:
    id: str
    employer_id: str
    employer_name: str
    contacted_on: date
    staff_name: str
    channel: str
    topic: str
    person_name: str
    summary: str
    follow_up_on: date | None
    follow_up_by_name: str
    follow_up_done_on: date | None


@dataclass(frozen=True)
class VacancyInput:
    """A vacancy or recruitment need. `hours` a VacancyHours code; `positions` as typed."""

    title: str = ""
    occupation: str = ""
    municipality: str = ""
    hours: str = "full_time"
    starts_on: date | None = None
    positions: str = "1"
    apply_by: date | None = None
    hidden: bool = False
    pay_subsidy_possible: bool = False
    staff_id: str = ""
    description: str = ""


@dataclass(frozen=True)
class VacancyRow:
    id: str
    employer_id: str
    employer_name: str
    title: str
    occupation: str
    municipality: str
    hours: str
    starts_on: date | None
    positions: int
    apply_by: date | None
    hidden: bool
    pay_subsidy_possible: bool
    status: str  # VacancyStatus code
    opened_on: date
    closed_on: date | None
    staff_name: str
    description: str
    proposed: int = 0  # job seekers proposed
    interviewed: int = 0
    hired: int = 0
    staff_id: str = ""  # the responsible worker's id (the form's choice), "" for none


@dataclass(frozen=True)
class CandidateFilter:
    """Whom to look for when proposing job seekers for a vacancy: empty fields do not
    narrow. `own_caseload`: only the signed-in coach's customers; `group` a customer
    group code of app/rules/groups.py; `language` an ISO code; `municipality` the home
    municipality."""

    own_caseload: bool = True
    group: str = ""
    language: str = ""
    municipality: str = ""
    text: str = ""  # name or customer number


@dataclass(frozen=True)
class CandidateRow:
    """A job seeker who could be proposed: what the proposing worker needs to choose,
    nothing of the case (the employer sees even less: ProposalRow.shared)."""

    customer_id: str
    customer_number: str
    name: str
    municipality: str
    language: str
    coach_name: str
    already_proposed: bool


@dataclass(frozen=True)
class ProposalRow:
    """A job seeker proposed for a vacancy: a job tip on the customer's timeline."""

    id: str
    vacancy_id: str
    vacancy_title: str
    employer_name: str
    customer_id: str
    customer_name: str
    customer_number: str
    proposed_on: date
    proposed_by_name: str
    outcome: str  # ProposalOutcome code
    outcome_on: date | None
    shared: str


@dataclass(frozen=True)
class EmployerDetail:
    """An employer's card: the register's facts, contact persons, vacancies and the
    timeline of contacts (newest first)."""

    employer: EmployerRow
    form: EmployerInput
    persons: list[PersonRow] = field(default_factory=list)
    vacancies: list[VacancyRow] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    first_contact_on: date | None = None
    last_contact_on: date | None = None
