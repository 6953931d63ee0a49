"""A walk-in from another service point: the desk finds them in the area's register by
identity code (the centre's one audited lookup), gives them a ticket, and the ticket
reaches the centre under the desk's own role; without the lookup the same ticket is
refused there (no reach gained by creating rows)."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import insert, select, text
from sqlalchemy.engine import URL, make_url

from app.db.central_roles import drop_login_role
from app.db.central_schema import central_table
from app.db.migrate import upgrade_central
from app.models import Customer, OutboxEntry
from app.rules.codes import Role
from app.services.registry import Services
from app.sync.engine import SyncEngine, central_engine
from tests.factories import seed_org
from tests.integration.test_central_security import NOW
from tests.integration.test_central_security import customer as central_customer

PASSWORD = "Tiskin-salasana-1"
HETU = "010185-902F"


@pytest.fixture
def area(pg_url, tmp_path):
    upgrade_central(pg_url)
    admin = central_engine(pg_url)
    first = Services.open(tmp_path / "first.sqlite3", "first")
    seed_org(first)
    first.auth.sign_in("admin", "demo")
    user = f"t{uuid.uuid4().hex[:8]}_desk"
    first.staff.add(user, "Tiina Tiski", Role.DESK, "ROV", PASSWORD, admin)
    SyncEngine(first.ctx.engine, admin, "first", "ROV").sync_once()
    first.close()
    with admin.begin() as conn:  # Ranua and its customer, known only centrally
        conn.execute(insert(central_table("service_point")), {
            "id": "sp-ran", "code": "RAN", "name": "Ranua", "municipality": "Ranua",
            "mode": "appointment", "queue_services": "", "updated_at": NOW, "hlc": ""})
        conn.execute(insert(central_table("customer")),
                     central_customer("c-ranua", "sp-ran", "9001", hetu=HETU))
    full = make_url(pg_url)
    bare = URL.create(full.drivername, host=full.host, port=full.port, database=full.database)
    yield {"user": user, "url": bare.render_as_string(), "admin": admin}
    drop_login_role(admin, user)
    admin.dispose()


def _desk(tmp_path, area):
    ws = Services.open(tmp_path / "rov.sqlite3", "rov")
    ws.auth.central_url = area["url"]
    ws.auth.sign_in(area["user"], PASSWORD)
    engine = SyncEngine(ws.ctx.engine, central_engine(ws.auth.session_url), "rov", "ROV")
    engine.sync_once()
    return ws, engine


def test_a_walk_in_from_another_point_is_found_and_served(area, tmp_path):
    ws, engine = _desk(tmp_path, area)
    with ws.ctx.reading() as s:
        assert s.get(Customer, "c-ranua") is None  # not this point's customer
    match = ws.area_lookup.find(HETU.lower())
    assert match is not None and match.customer_id == "c-ranua" and match.found_centrally
    assert match.service_point_name == "Ranua"
    with ws.ctx.reading() as s:
        held = s.get(Customer, "c-ranua")
        assert held is not None and held.hetu == HETU
        # A mirror of the centre's row, not a change of ours: nothing to push for it.
        assert not s.scalar(select(OutboxEntry.seq).where(OutboxEntry.row_id == "c-ranua"))
    ticket = ws.queue.register_walk_in("c-ranua", "finding_work", None, "")
    report = engine.sync_once()
    assert report.rejected == 0
    with area["admin"].connect() as conn:
        assert conn.execute(text("SELECT customer_id FROM queue_ticket WHERE id = :i"),
                            {"i": ticket.id}).scalar() == "c-ranua"
        assert conn.execute(text("SELECT staff_id FROM audit_event WHERE action = "
                                 "'customer.lookup'")).scalar() is not None
    # A second look finds them on this workstation, without asking the centre again.
    again = ws.area_lookup.find(HETU)
    assert again is not None and not again.found_centrally
    assert ws.area_lookup.find("131052-308T") is None  # nobody with this code
    ws.close()


def test_without_the_lookup_the_centre_refuses_the_ticket(area, tmp_path):
    ws, engine = _desk(tmp_path, area)
    with ws.ctx.engine.begin() as conn:  # as if the workstation had the id from elsewhere
        conn.execute(insert(Customer.__table__), {
            "id": "c-ranua", "customer_number": "9001", "hetu_temporary": False,
            "first_names": "Aino", "last_name": "Asiakas", "sort_name": "asiakas",
            "language": "fi", "interpreter_needed": False, "home_municipality": "Ranua",
            "service_point_id": "sp-rov", "partial_work_ability": False, "active": True,
            "updated_at": NOW, "hlc": "", "version": 0})
    ws.queue.register_walk_in("c-ranua", "finding_work", None, "")
    report = engine.sync_once()
    assert report.rejected >= 1
    ws.close()


def test_the_arrival_dialog_searches_the_area_register(area, tmp_path, qapp, qtbot):
    from app.i18n import _
    from app.views.queue.arrival import ArrivalDialog
    from app.views.tasks import TaskRunner

    ws, _engine = _desk(tmp_path, area)
    runner = TaskRunner(qapp)
    dialog = ArrivalDialog(ws.queue, ws.customers, runner, ["finding_work"],
                           lookup=ws.area_lookup)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.search, HETU)
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=10000)
    assert dialog.results.item(0).text() == _(
        "Search the area's register (logged)")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.customer_id == "c-ranua", timeout=15000)
    assert "Ranua" in dialog.chosen.text()
    runner.wait()
    ws.close()
