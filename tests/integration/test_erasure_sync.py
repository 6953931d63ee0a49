"""An erasure leaves nothing of the customer on any synchronised workstation, nor
centrally, even when another desk had an offline edit of them pending."""

from __future__ import annotations

from datetime import timedelta

from app.dto.visits import VisitInput
from app.models import CustomerNote, OutboxEntry
from app.rules.codes import NoteKind
from app.rules.permissions import Permission
from tests.customer_data import leftovers, make_customer, mark_inactive
from tests.factories import Clock
from tests.integration.test_sync import _copy_credentials, central, desks  # noqa: F401

NEW_PHONE = "040 999 8888"
LATE_VISIT = "Myöhäinen käynti"
LATE_NOTE = "Myöhäinen muistiinpano"


def test_an_erasure_reaches_every_workstation(desks, central):  # noqa: F811
    a = desks("a", seed=True)
    clock = Clock()
    a.services.ctx.now = clock
    customer = make_customer(a.sign_in("coach"))
    a.sync()
    b = desks("b")
    b.sync()
    _copy_credentials(a, b)
    c = desks("c")  # a third desk that has everything, and nothing pending
    c.sync()
    for desk in (a, b, c):  # the check below can see the data where it is
        with desk.services.ctx.engine.connect() as conn:
            assert "Guttorm" in leftovers(conn) and "Selkävaiva" in leftovers(conn)
    # Desk B edits the customer offline; that edit is still pending when A erases.
    services = b.sign_in("desk")
    form = services.customers.edit_form(customer)
    form.phone = NEW_PHONE
    services.customers.update(customer, form, services.customers.get(customer).revision)
    # ...and adds rows for them offline: a contact with a note, a case note.
    services.visits.record_contact(customer, "phone", VisitInput(
        "finding_work", note=LATE_VISIT), 10)
    with services.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
        s.add(CustomerNote(customer_id=customer, kind=NoteKind.GENERAL, text=LATE_NOTE,
                           written_at=services.ctx.now()))

    admin = a.services
    admin.auth.sign_out()
    admin.auth.sign_in("admin", "demo")
    mark_inactive(admin, customer)
    clock.now += timedelta(days=366 * 5)
    admin.rights.erase(customer)
    for desk in (a, b, c, a, b, c):
        desk.sync()

    for desk in (a, b, c):
        with desk.services.ctx.engine.connect() as conn:
            assert leftovers(conn) == [], desk.engine.node
            assert NEW_PHONE not in str(conn.execute(OutboxEntry.__table__.select()).all())
    with central.connect() as conn:
        assert leftovers(conn) == []
        found = conn.exec_driver_sql(
            "SELECT count(*) FROM customer_note WHERE deleted_at IS NULL").scalar()
        assert found == 0
    from tests.customer_data import everything_text

    for engine in (a.services.ctx.engine, b.services.ctx.engine, c.services.ctx.engine,
                   central):
        with engine.connect() as conn:
            found = everything_text(conn)
        for late in (NEW_PHONE, LATE_VISIT, LATE_NOTE):
            assert late not in found, (late, engine.url)
