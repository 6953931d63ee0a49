"""A walk-in transferred to a partner's desk (#24), in the real window: the desk registers
a customer for a built-in service, calls and starts them and transfers them to the
partner's service; without the customer's consent the transfer dialog says why it is
refused and keeps what was chosen; with the consent it goes through. The partner's
counsellor signs in: the queue shows only that ticket, without registration or transfer;
they call, start and finish it at once (no visit record); the lobby shows the call with
the partner's desk like any other."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from sqlalchemy import func, select

from app.dto.partners import ConsentInput
from app.i18n import _
from app.models import (
    OfferedService,
    PartnerOrg,
    QueueTicket,
    Staff,
    StaffCredential,
    Visit,
)
from app.rules import queue as queue_rules
from app.rules.codes import PartnerKind, Role, ServiceArea, TicketState
from app.views.main_window import ROW
from app.views.queue.dialogs import PARTNER_DESK
from tests.factories import Clock, verifier
from tests.gui.test_queue import arrive, press, wait_state

WAIT = 20000
START = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)  # 10.00 in Helsinki
POINT, ORG = "sp-rov", "po-redu"
NAMES = ("Opinto-ohjaus", "Studiehandledning", "Study guidance")


@pytest.fixture
def partner_service(services):
    """REDU, its counsellor's account `opo` and its study guidance at the point's queue
    (besides the built-in services, which a point gets from the migrations)."""
    services.ctx.now = Clock(START)
    with services.ctx.session_factory.begin() as s:
        s.add(PartnerOrg(id=ORG, name="REDU", kind=PartnerKind.SCHOOL, active=True))
        s.flush()
        s.add(Staff(id="staff-opo", username="opo", full_name="Olli Opo", role=Role.PARTNER,
                    service_point_id=POINT, partner_org_id=ORG, active=True))
        s.flush()
        s.add(StaffCredential(staff_id="staff-opo", verifier=verifier()))
        if not s.scalar(select(func.count()).select_from(OfferedService).where(
                OfferedService.service_point_id == POINT)):
            for row in queue_rules.built_in_services(POINT, ""):
                s.add(OfferedService(**row))
        s.add(OfferedService(
            id=queue_rules.service_id(POINT, "opinto_ohjaus"), service_point_id=POINT,
            code="opinto_ohjaus", name_fi=NAMES[0], name_sv=NAMES[1], name_en=NAMES[2],
            service_area=ServiceArea.SKILLS, partner_org_id=ORG, position=20, active=True))
    return "opinto_ohjaus"


def sign_in_at_queue(qtbot, window, clock, username, desk, letter="A"):
    window.services.ctx.now = clock
    window.login.username.setText(username)
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=WAIT)
    window.services.queue.set_workstation(desk, letter)
    window.nav.setCurrentRow(ROW["queue"])
    page = window.page("queue")
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.snapshot is not None and page.snapshot.duty is not None
                    and bool(page.offered), timeout=WAIT)
    return page


def open_dialog(qtbot, page, name):
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.objectName() == name
                    and page.dialog.isVisible(), timeout=WAIT)
    return page.dialog


def ok(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_a_walk_in_goes_to_the_partners_desk(qtbot, window, partner_service):
    clock = Clock(START)
    page = sign_in_at_queue(qtbot, window, clock, "coach", "1")
    services = window.services
    # The desk's own services by default; the partner's is no default of this desk.
    assert set(page.snapshot.duty.services) == set(queue_rules.BUILT_IN_NAMES)
    ticket = arrive(qtbot, window, page, "virtanen", "finding_work")
    label = ticket.customer_label
    assert label
    clock.advance(3)
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, ticket.code, TicketState.CALLED.value)
    press(qtbot, window, Qt.Key.Key_F9)
    wait_state(qtbot, page, ticket.code, TicketState.SERVING.value)

    # The transfer lists the services by name, the partner's with its desk.
    press(qtbot, window, Qt.Key.Key_F11)
    transfer = open_dialog(qtbot, page, "transfer_dialog")
    index = transfer.service.findData(partner_service)
    assert transfer.service.itemText(index) == _(PARTNER_DESK).format(
        service=NAMES[0], partner="REDU")
    assert transfer.service.itemText(transfer.service.findData("finding_work")) == \
        queue_rules.BUILT_IN_NAMES["finding_work"][0]
    assert transfer.service.accessibleName()
    transfer.service.setCurrentIndex(index)
    qtbot.keyClicks(transfer.note, "Kysyy opinnoista")
    ok(qtbot, transfer)
    # No consent: refused with the reason, the dialog keeps its input.
    qtbot.waitUntil(lambda: transfer.error.isVisible() and bool(transfer.error.text()),
                    timeout=WAIT)
    assert _("The customer has not given consent to share information with this "
             "partner.") in transfer.error.text()
    assert transfer.isVisible()
    assert transfer.service.currentData() == partner_service
    assert transfer.note.text() == "Kysyy opinnoista"
    assert transfer.buttons.isEnabled()
    with services.ctx.reading() as s:
        assert s.get(QueueTicket, ticket.id).state is TicketState.SERVING

    # The customer consents to REDU seeing their contact details: it goes through.
    services.consents.record(ticket.customer_id, ConsentInput(
        ORG, "Opinto-ohjaus", ("contact",), "signed", clock().date()))
    ok(qtbot, transfer)
    qtbot.waitUntil(lambda: not transfer.isVisible(), timeout=WAIT)
    wait_state(qtbot, page, ticket.code, TicketState.WAITING.value)
    row = next(r for r in page.snapshot.waiting if r.id == ticket.id)
    assert row.service == partner_service
    position = page.snapshot.waiting.index(row)
    assert page.waiting_model.index(position, 1).data() == NAMES[0]

    # The partner's counsellor at the queue: only REDU's ticket, no registration, no
    # transfer; their desk serves REDU's services.
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    assert page.snapshot is None and not page.offered
    clock.advance(5)
    opo = sign_in_at_queue(qtbot, window, clock, "opo", "REDU 2")
    assert opo is page and page.partner
    assert window.actor.role is Role.PARTNER
    assert page.snapshot.duty.services == (partner_service,)
    assert not page.new_button.isVisible() and not page.new_button.isEnabled()
    assert [(r.id, r.customer_label) for r in page.snapshot.waiting] == [(ticket.id, label)]
    assert page.duty_label.text().endswith(NAMES[0])
    press(qtbot, window, Qt.Key.Key_F2)  # no arrival dialog for a partner's desk
    assert page.dialog is None

    # Its desk dialog offers its own organisation's services only.
    qtbot.mouseClick(page.desk_button, Qt.MouseButton.LeftButton)
    desk = open_dialog(qtbot, page, "desk_dialog")
    assert list(desk.checks) == [partner_service]
    box = desk.checks[partner_service]
    assert box.isChecked() and box.accessibleName() == _(PARTNER_DESK).format(
        service=NAMES[0], partner="REDU")
    desk.reject()

    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, ticket.code, TicketState.CALLED.value)
    assert label in page.current_text()
    # The lobby calls it to the partner's desk like any other: code → desk, no name.
    from app.views.queue.lobby import LobbyWindow

    lobby = LobbyWindow(services.queue, window.runner, chime=False)
    qtbot.addWidget(lobby)
    lobby.show()
    lobby.start()
    desk_text = _("Desk {desk}").format(desk="REDU 2")
    qtbot.waitUntil(lambda: lobby.big[0][0].text() == f"{ticket.code}  →  {desk_text}",
                    timeout=WAIT)
    shown = " ".join(lbl.text() for lbl in lobby.findChildren(QLabel))
    assert label not in shown and "Virtanen" not in shown
    window.activateWindow()
    assert not page.buttons["transfer"].isVisible()
    assert not page.buttons["transfer"].isEnabled()
    press(qtbot, window, Qt.Key.Key_F9)
    wait_state(qtbot, page, ticket.code, TicketState.SERVING.value)
    assert page.buttons["finish"].isVisible()
    assert page.buttons["finish"].accessibleName() == _("&Finish").replace("&", "")
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: page.snapshot is not None and not page.snapshot.serving,
                    timeout=WAIT)
    assert page.dialog is desk and not desk.isVisible()  # no visit record dialog
    assert page.message.text() == _("{code} finished.").format(code=ticket.code)
    with services.ctx.reading() as s:
        done = s.get(QueueTicket, ticket.id)
        assert done.state is TicketState.DONE
        assert done.desk == "REDU 2"
        # Only the desk's first leg is a visit (transferred); the partner's is none.
        assert s.scalar(select(func.count()).select_from(Visit)
                        .where(Visit.ticket_id == ticket.id)) == 1

    # The lobby: the finished call among the last calls, as any desk's.
    qtbot.waitUntil(lambda: any(lbl.text() == f"{ticket.code} → REDU 2"
                                for lbl in lobby.recent_labels), timeout=WAIT)
    lobby.close()

    # Back as the desk: registration and transfer are there again.
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    page = sign_in_at_queue(qtbot, window, clock, "coach", "1")
    assert not page.partner and page.new_button.isVisible()
    assert page.buttons["finish"].text().startswith(_("&Finish…"))


def test_the_arrival_lists_services_by_name_in_the_users_language(qtbot, window,
                                                                   partner_service):
    clock = Clock(START)
    window.preferences.switcher.switch("sv")
    page = sign_in_at_queue(qtbot, window, clock, "coach", "1")
    assert page.offered[0].name == queue_rules.BUILT_IN_NAMES[page.offered[0].code][1]
    press(qtbot, window, Qt.Key.Key_F2)
    dialog = open_dialog(qtbot, page, "arrival_dialog")
    combo = dialog.service
    texts = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert texts[partner_service] == _(PARTNER_DESK).format(service=NAMES[1],
                                                              partner="REDU")
    assert texts["finding_work"] == queue_rules.BUILT_IN_NAMES["finding_work"][1]
    assert combo.accessibleName()
    # The code goes to the registration: an anonymous visitor for the partner's service.
    combo.setCurrentIndex(combo.findData(partner_service))
    ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    assert dialog.registered is not None and dialog.registered.service == partner_service
    qtbot.waitUntil(lambda: page.waiting_model.rowCount() == 1, timeout=WAIT)
    assert page.waiting_model.index(0, 1).data() == NAMES[1]
