"""The barriers on the customer card save the way a plan's draft does: by themselves a
second after a change, at once with Ctrl+S or on leaving the card, with the state shown
beside them, and a refused save keeps the ticks and says why."""

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.i18n import _
from app.models import CustomerBarrier
from app.services.errors import ValidationFailed
from app.views.main_window import ROW
from tests.gui.test_coaching import prepare, sign_in_as


def stored(window, customer_id):
    with window.services.ctx.session_factory() as s:
        return set(s.scalars(select(CustomerBarrier.barrier).where(
            CustomerBarrier.customer_id == customer_id,
            CustomerBarrier.deleted_at.is_(None))).all())


@pytest.fixture
def card(qtbot, window):
    """The coach on the card of one of the coach's customers, the barriers loaded."""
    prepare(window)
    sign_in_as(qtbot, window, "coach")
    window.nav.setCurrentRow(ROW["customers"])
    customers = window.page("customers")
    ids = [r.id for r in window.services.customers.page("").rows[:2]]
    customers.open_customer(ids[0])
    view = customers.card_view
    qtbot.waitUntil(lambda: customers.currentWidget() is view and view.card is not None
                    and customers.coaching.stored is not None, timeout=10000)
    view.sections.setCurrentIndex(0)
    return customers, ids


def test_a_tick_saves_itself_and_says_so(qtbot, window, card):
    customers, ids = card
    panel, controller = customers.card_view.coaching, customers.coaching
    assert panel.save_state.text() == _("Saves itself when you change it (Ctrl+S saves now)")
    panel.checks["debt"].click()
    assert panel.save_state.text() == _("Unsaved changes…")
    assert controller.has_unsaved_changes()
    # Nothing else is pressed: the draft-like autosave stores it.
    qtbot.waitUntil(lambda: stored(window, ids[0]) == {"debt"}, timeout=15000)
    qtbot.waitUntil(lambda: not controller.has_unsaved_changes(), timeout=15000)
    qtbot.waitUntil(lambda: panel.save_state.text().startswith(
        _("All changes saved {time}").split("{")[0]), timeout=15000)
    assert panel.checks["debt"].isChecked()


def test_ctrl_s_saves_at_once(qtbot, window, card):
    customers, ids = card
    panel, controller = customers.card_view.coaching, customers.coaching
    window.activateWindow()
    panel.checks["health"].setFocus()
    panel.checks["health"].click()
    qtbot.keyClick(panel.checks["health"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not controller.timer.isActive()  # sent now, not after the second
    qtbot.waitUntil(lambda: stored(window, ids[0]) == {"health"}, timeout=3000)


def test_leaving_the_card_saves_what_was_ticked(qtbot, window, card):
    customers, ids = card
    panel = customers.card_view.coaching
    panel.checks["skills"].click()
    customers.open_customer(ids[1])  # straight to the next customer
    qtbot.waitUntil(lambda: stored(window, ids[0]) == {"skills"}, timeout=15000)
    qtbot.waitUntil(lambda: customers.card_view.card.id == ids[1]
                    and customers.coaching.stored is not None, timeout=15000)
    assert not panel.checks["skills"].isChecked()  # the next customer's own barriers


def test_a_refused_save_keeps_the_ticks_and_says_why(qtbot, window, card, monkeypatch):
    customers, ids = card
    panel, controller = customers.card_view.coaching, customers.coaching
    real = window.services.coaching.set_barriers

    def refuse(customer_id, barriers):
        raise ValidationFailed({"barriers": "Unknown barrier."})

    monkeypatch.setattr(window.services.coaching, "set_barriers", refuse)
    panel.checks["debt"].click()
    panel.checks["age"].click()
    controller.save_barriers()
    qtbot.waitUntil(lambda: panel.save_state.text().startswith("⚠"), timeout=15000)
    assert panel.save_state.property("status") == "warn"
    assert panel.checked() == {"debt", "age"}
    assert stored(window, ids[0]) == set()
    # A refresh (another write to the barriers or the coach) does not undo the ticks.
    controller.load(ids[0])
    qtbot.waitUntil(lambda: controller.in_flight == 0 and not window.runner.busy,
                    timeout=15000)
    qtbot.wait(50)
    assert panel.checked() == {"debt", "age"}
    # Once the service takes it again, saving now stores what was ticked.
    monkeypatch.setattr(window.services.coaching, "set_barriers", real)
    controller.save_barriers()
    qtbot.waitUntil(lambda: stored(window, ids[0]) == {"debt", "age"}, timeout=15000)
