"""A customer with data in every kind of row, and a check that none of it is left."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from app.dto.visits import VisitInput
from app.models import CustomerNote, PlanGoal
from app.rules.codes import NoteKind
from app.rules.permissions import Permission
from tests.factories import customer_input

SECRETS = ("Guttorm", "Máret", "300501A456", "guttorm@example.fi", "040 765 4321",
           "Selkävaiva", "Kokiksi Rovaniemelle", "Puhuttiin kuntoutuksesta")


def make_customer(services) -> str:
    """As a coach: record, notes of both kinds, a plan with a goal, a contact."""
    card = services.customers.create(customer_input(
        "Guttorm", "Máret Čuovga", date(2001, 5, 30), 456, phone="040 765 4321",
        email="guttorm@example.fi"))
    with services.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
        s.add_all([
            CustomerNote(customer_id=card.id, kind=NoteKind.WORK_ABILITY,
                         text="Selkävaiva rajoittaa", written_at=services.ctx.now()),
            CustomerNote(customer_id=card.id, kind=NoteKind.GENERAL,
                         text="Soittaa mieluummin aamulla", written_at=services.ctx.now()),
        ])
    info = services.plans.create_plan(card.id, "employment")
    with services.ctx.transaction(Permission.PLAN_EDIT) as s:
        s.add(PlanGoal(plan_version_id=info.row.id, kind="work",
                       text="Kokiksi Rovaniemelle", position=0))
    services.visits.record_contact(card.id, "phone", VisitInput(
        "finding_work", note="Puhuttiin kuntoutuksesta"), 20)
    return card.id


def mark_inactive(services, customer_id: str) -> None:
    from app.models import Customer

    with services.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
        s.get(Customer, customer_id).active = False


def everything_text(conn) -> str:
    """Every text value in every table of a database (SQLite or PostgreSQL)."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        tables = [r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table'"))]
    else:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public'"))]
    parts = []
    for table in tables:
        for row in conn.execute(text(f'SELECT * FROM "{table}"')):
            parts += [str(v) for v in row if isinstance(v, str)]
    return "\n".join(parts)


def leftovers(conn) -> list[str]:
    found = everything_text(conn)
    return [s for s in SECRETS if s in found]
