"""The feedback page (each tab), the kiosk, the customer's window and the PIN dialogs:
every control named and reachable by Tab."""

from PySide6.QtCore import Qt

from app.services.feedback import FeedbackAnswer
from app.views.feedback.customer_window import CustomerFeedbackWindow
from app.views.feedback.kiosk import KioskWindow
from app.views.feedback.pin import LeaveKioskDialog, SetPinDialog
from app.views.main_window import ROW
from tests.factories import Clock
from tests.gui.test_accessibility import check_page


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)
    return widget


def test_feedback_page_tabs_are_named_and_reachable(qtbot, window):
    services = window.services
    services.ctx.now = Clock()
    services.feedback.record_at_kiosk("sp-rov", FeedbackAnswer(score=3, comment="Ok"))
    window.login.username.setText("lead")
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    window.nav.setCurrentRow(ROW["feedback"])
    page = window.page("feedback")
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        window.runner.wait()
        qtbot.wait(50)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        check_page(qtbot, window.shell, f"feedback tab {index}")


def test_kiosk_customer_window_and_pin_dialogs(qtbot, window):
    services = window.services
    kiosk = KioskWindow(services.feedback, services.auth, window.runner,
                        services.feedback.kiosk_point("ROV"))
    check_page(qtbot, shown(qtbot, kiosk), "kiosk")
    kiosk.leave()
    customer = CustomerFeedbackWindow(lambda _a: None, window.runner, True)
    check_page(qtbot, shown(qtbot, customer), "customer feedback window")
    customer.close()
    for dialog, where in ((SetPinDialog(window), "set PIN"),
                          (LeaveKioskDialog(window), "leave kiosk")):
        check_page(qtbot, shown(qtbot, dialog), where)
        dialog.close()
