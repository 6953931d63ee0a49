"""Multi-professional work in figures (#24): the multi-professional meetings held, by
partner organisation; the plans of each type made and reviewed on time; the consents
given and withdrawn, by partner.

Counted over the local database (as last pulled). A meeting is an appointment of type
multi-professional that was held (done) on a day of the period (Helsinki time), at the
service point filtered (the appointment's) and by a worker of the team filtered; it
counts for a partner when a person of that partner took part (not marked absent). Plans
and consents count for the customer's service point and their coach's team."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.dto.reports import (
    COUNT,
    PERCENT,
    TEXT,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import HELSINKI, N_
from app.models import Appointment, Customer, Plan, PlanVersion, Staff
from app.models.partner import CustomerConsent, MeetingParticipant, PartnerOrg, PartnerPerson
from app.rules import partners as rules
from app.rules.codes import AppointmentStatus, AppointmentType, PlanStatus, PlanType
from app.rules.plan_vocabulary import PLAN_TYPES
from app.services.reports import members, sql

TOTAL = Label(N_("Total"))
NO_PARTNER = Label(N_("Staff only (no partner)"))

MEETING_COLUMNS = ("partner", "meetings", "customers", "people")
PLAN_COLUMNS = ("plan_type", "new", "revised", "reviews_due", "on_time", "late", "overdue",
                "share_on_time")
CONSENT_COLUMNS = ("partner", "given", "withdrawn", "in_force")


def _customer_scope(stmt: Any, customer_id: Any, f: ReportFilter) -> Any:
    """The customer's service point and their coach's team."""
    if f.service_point_id or f.team_id:
        stmt = stmt.join(Customer, Customer.id == customer_id)
        if f.service_point_id:
            stmt = stmt.where(Customer.service_point_id == f.service_point_id)
        if f.team_id:
            coach = aliased(Staff)
            stmt = stmt.join(coach, coach.id == Customer.coach_id).where(
                coach.team_id == f.team_id)
    return stmt


# --- meetings held, by partner -----------------------------------------------------------


def meetings(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    where = [*sql.days(Appointment.local_day, f), Appointment.deleted_at.is_(None),
             Appointment.type == AppointmentType.MULTI_PROFESSIONAL,
             Appointment.status == AppointmentStatus.DONE,
             Appointment.customer_id.is_not(None)]
    if f.service_point_id:
        where.append(Appointment.service_point_id == f.service_point_id)
    if f.team_id:
        where.append(Appointment.staff_id.in_(select(Staff.id).where(Staff.team_id == f.team_id)))
    held: dict[str, str] = {a: str(c) for a, c in s.execute(
        select(Appointment.id, Appointment.customer_id).where(*where))}
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"meetings": set(), "customers": set(), "people": set()})
    names: dict[str, str] = {}
    with_partner: set[str] = set()
    if held:
        found = s.execute(
            select(MeetingParticipant.appointment_id, MeetingParticipant.partner_person_id,
                   PartnerOrg.id, PartnerOrg.name)
            .join(PartnerPerson, PartnerPerson.id == MeetingParticipant.partner_person_id)
            .join(PartnerOrg, PartnerOrg.id == PartnerPerson.partner_org_id)
            .where(MeetingParticipant.deleted_at.is_(None),
                   MeetingParticipant.appointment_id.in_(held),
                   MeetingParticipant.attended.is_not(False))).all()
        for appointment_id, person_id, org_id, org_name in found:
            names[org_id] = org_name
            cell = per[org_id]
            cell["meetings"].add(appointment_id)
            cell["customers"].add(held[appointment_id])
            cell["people"].add(person_id)
            with_partner.add(appointment_id)
    order = sorted(per, key=lambda o: (-len(per[o]["meetings"]), names[o].casefold(), o))
    rows: list[tuple[Any, ...]] = []
    cells = members.Members()
    for org_id in order:
        cell = per[org_id]
        cells.add(len(rows), "meetings", sorted(held[a] for a in cell["meetings"]))
        cells.add(len(rows), "customers", sorted(cell["customers"]))
        rows.append((names[org_id], len(cell["meetings"]), len(cell["customers"]),
                     len(cell["people"])))
    alone = [a for a in held if a not in with_partner]
    if alone:
        cells.add(len(rows), "meetings", sorted(held[a] for a in alone))
        cells.add(len(rows), "customers", sorted({held[a] for a in alone}))
        rows.append((NO_PARTNER, len(alone), len({held[a] for a in alone}), 0))
    cells.add(members.TOTAL_ROW, "meetings", sorted(held.values()))
    cells.add(members.TOTAL_ROW, "customers", sorted(set(held.values())))
    people = len({p for cell in per.values() for p in cell["people"]})
    return ReportTable(
        "partner_meetings", N_("Multi-professional meetings held by partner"),
        (Column("partner", N_("Partner"), TEXT),
         Column("meetings", N_("Meetings held"), COUNT),
         Column("customers", N_("Customers"), COUNT),
         Column("people", N_("Partner people taking part"), COUNT)),
        tuple(rows), ChartSpec("hbars", "partner", ("meetings",)),
        note=N_("Multi-professional meetings held in the period, by the partner "
                "organisations whose people took part (a meeting with two partners counts "
                "for both; the total counts each meeting once)."),
        total=(TOTAL, len(held), len(set(held.values())), people), members=cells.result())


# --- plans by type: made and reviewed on time ---------------------------------------------


def _local_day(value: datetime | None) -> date | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(HELSINKI).date()


def plans_by_type(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    stmt = (select(PlanVersion.plan_id, PlanVersion.number, PlanVersion.status,
                   PlanVersion.accepted_at, PlanVersion.next_review_on, Plan.plan_type,
                   Plan.customer_id)
            .join(Plan, Plan.id == PlanVersion.plan_id)
            .where(PlanVersion.deleted_at.is_(None), Plan.deleted_at.is_(None),
                   PlanVersion.status.in_((PlanStatus.ACCEPTED, PlanStatus.SUPERSEDED))))
    found = s.execute(_customer_scope(stmt, Plan.customer_id, f)).all()
    accepted: dict[str, list[tuple[int, date]]] = defaultdict(list)
    for v in found:
        day = _local_day(v.accepted_at)
        if day is not None:
            accepted[v.plan_id].append((v.number, day))
    counts: dict[str, dict[str, list[str]]] = {
        t.value: {k: [] for k in PLAN_COLUMNS[1:7]} for t in PlanType}
    for v in found:
        kind = counts[PlanType(v.plan_type).value]
        day = _local_day(v.accepted_at)
        if day is not None and f.date_from <= day <= f.date_to:
            kind["new" if v.number == 1 else "revised"].append(v.customer_id)
        due = v.next_review_on
        if due is None or not f.date_from <= due <= f.date_to:
            continue
        kind["reviews_due"].append(v.customer_id)
        later = [d for n, d in accepted[v.plan_id] if n > v.number]
        if later:
            kind["on_time" if min(later) <= due else "late"].append(v.customer_id)
        elif due < inputs.today:
            kind["overdue"].append(v.customer_id)
    rows: list[tuple[Any, ...]] = []
    cells = members.Members()
    for plan_type in PlanType:
        kind = counts[plan_type.value]
        for key, ids in kind.items():
            cells.add(len(rows), key, sorted(ids), total=True)
        n = {k: len(v) for k, v in kind.items()}
        rows.append((Label(PLAN_TYPES[plan_type]), n["new"], n["revised"], n["reviews_due"],
                     n["on_time"], n["late"], n["overdue"],
                     sql.share(n["on_time"], n["on_time"] + n["late"] + n["overdue"])))
    sums = [sum(r[i] for r in rows) for i in range(1, 7)]
    return ReportTable(
        "plans_by_type", N_("Plans by type: made and reviewed on time"),
        (Column("plan_type", N_("Plan type"), TEXT),
         Column("new", N_("First plans"), COUNT),
         Column("revised", N_("New versions"), COUNT),
         Column("reviews_due", N_("Reviews due"), COUNT),
         Column("on_time", N_("Reviewed on time"), COUNT),
         Column("late", N_("Reviewed late"), COUNT),
         Column("overdue", N_("Reviews overdue"), COUNT),
         Column("share_on_time", N_("Reviewed on time (%)"), PERCENT)),
        tuple(rows), ChartSpec("bars", "plan_type", ("new", "revised", "on_time", "overdue")),
        note=N_("Plans accepted in the period by type: first plans and new versions. "
                "Reviews falling due in the period: reviewed on time when a new version "
                "was accepted by the review day, late when after it, overdue when not yet "
                "and the day has passed. The share counts those reviewed or overdue."),
        total=(TOTAL, *sums, sql.share(sums[3], sums[3] + sums[4] + sums[5])),
        members=cells.result())


# --- consents given and withdrawn, by partner -------------------------------------------


def consents(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    stmt = (select(CustomerConsent.customer_id, CustomerConsent.partner_org_id,
                   CustomerConsent.information, CustomerConsent.valid_from,
                   CustomerConsent.valid_until, CustomerConsent.withdrawn_on, PartnerOrg.name)
            .join(PartnerOrg, PartnerOrg.id == CustomerConsent.partner_org_id)
            .where(CustomerConsent.deleted_at.is_(None)))
    found = s.execute(_customer_scope(stmt, CustomerConsent.customer_id, f)).all()
    per: dict[str, dict[str, list[str]]] = defaultdict(
        lambda: {"given": [], "withdrawn": [], "in_force": []})
    names: dict[str, str] = {}
    for c in found:
        names[c.partner_org_id] = c.name
        cell = per[c.partner_org_id]
        if f.date_from <= c.valid_from <= f.date_to:
            cell["given"].append(c.customer_id)
        if c.withdrawn_on is not None and f.date_from <= c.withdrawn_on <= f.date_to:
            cell["withdrawn"].append(c.customer_id)
        facts = rules.ConsentFacts(c.partner_org_id, rules.parse_information(c.information),
                                   c.valid_from, c.valid_until, c.withdrawn_on)
        if rules.in_force(facts, f.date_to):
            cell["in_force"].append(c.customer_id)
    order = sorted((o for o in per if any(per[o].values())),
                   key=lambda o: (names[o].casefold(), o))
    rows: list[tuple[Any, ...]] = []
    cells = members.Members()
    for org_id in order:
        for key, ids in per[org_id].items():
            cells.add(len(rows), key, sorted(ids), total=True)
        rows.append((names[org_id], *(len(per[org_id][k]) for k in CONSENT_COLUMNS[1:])))
    return ReportTable(
        "partner_consents", N_("Consents given and withdrawn by partner"),
        (Column("partner", N_("Partner"), TEXT),
         Column("given", N_("Consents given"), COUNT),
         Column("withdrawn", N_("Consents withdrawn"), COUNT),
         Column("in_force", N_("In force at the end of the period"), COUNT)),
        tuple(rows), ChartSpec("hbars", "partner", ("given", "withdrawn")),
        note=N_("Customers' consents to share information with each partner: given (in "
                "force from a day of the period), withdrawn in the period, and in force on "
                "the period's last day."),
        total=(TOTAL, *(sum(r[i] for r in rows) for i in range(1, 4))),
        members=cells.result())
