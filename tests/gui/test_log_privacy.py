"""No personal data in the diagnostics log: a morning at the desk on the demo area, at
DEBUG, through the real widgets, with failures that get logged; then not one demo
customer's identity code, name, phone number or e-mail address is in the log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.diagnostics import logsetup
from app.models import Customer
from app.services.registry import Services
from app.views import error_dialog
from app.views.application import build_demo_with_progress, build_main_window
from app.views.error_dialog import install_error_reporting, show_unexpected_error
from app.views.main_window import ROW


@pytest.fixture
def debug_log(qapp, tmp_path):
    setup = logsetup.configure("DEBUG", tmp_path / "logs")
    undo = install_error_reporting(qapp)  # Qt's own messages go to the log too
    yield setup
    undo()
    setup.close()


def personal_data(services: Services) -> tuple[list[str], list[str]]:
    """(strings, names): every demo customer's identity code, phone and e-mail (also
    phone digits alone), and each part of their names."""
    strings: set[str] = set()
    names: set[str] = set()
    with services.ctx.session_factory() as s:
        rows = s.execute(select(Customer.hetu, Customer.first_names, Customer.last_name,
                                Customer.phone, Customer.email)).all()
    assert len(rows) > 50
    for hetu, first_names, last_name, phone, email in rows:
        strings.update(v for v in (hetu, phone, email) if v)
        if phone:
            strings.add(re.sub(r"\D", "", phone))
        names.update(part for part in re.split(r"[\s-]+", f"{first_names} {last_name}")
                     if len(part) > 1)
    return sorted(strings), sorted(names)


def press(qtbot, window, key) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, key)


def test_a_morning_at_the_desk_leaves_no_personal_data_in_the_log(qapp, qtbot, tmp_path,
                                                                    debug_log):
    services = Services.open(tmp_path / "demo.sqlite3", "ws")
    window, runner = build_main_window(qapp, services, "fi")
    qtbot.addWidget(window)
    # The first run's demo build (its progress dialog deletes itself when done).
    build_demo_with_progress(runner, services, 0.02, 7, window.demo_ready)
    qtbot.waitUntil(window.isVisible, timeout=60000)
    with services.ctx.session_factory() as s:
        someone = s.execute(
            select(Customer.last_name, Customer.hetu)
            .where(Customer.hetu.is_not(None), Customer.erased_at.is_(None))
            .order_by(Customer.customer_number)).all()
    last_name, hetu = next((n, h) for n, h in someone if n.isascii() and n.isalpha())

    # A wrong password first (refused, logged without the name typed), then the desk.
    window.login.username.setText("desk")
    window.login.password.setText("wrong")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.login.error.isVisible, timeout=10000)
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)

    # The register: search by last name while typing, open the first one's card.
    window.nav.setCurrentRow(ROW["customers"])
    page = window.page("customers")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    press(qtbot, window, Qt.Key.Key_F3)
    search = page.list_view.search
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, last_name)
    qtbot.waitUntil(lambda: page.model.query == last_name and not page.model.loading
                    and page.model.rowCount() > 0
                    and last_name in page.model.row_at(0).name, timeout=10000)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.currentWidget() is page.card_view, timeout=10000)
    qtbot.waitUntil(lambda: last_name in page.card_view.title.text(), timeout=10000)

    # The queue: register the customer found by identity code as a walk-in (F2).
    services.queue.set_workstation("1", "A")
    window.nav.setCurrentRow(ROW["queue"])
    queue = window.page("queue")
    qtbot.waitUntil(lambda: queue.snapshot is not None and queue.snapshot.duty is not None,
                    timeout=10000)
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: queue.dialog is not None and queue.dialog.isVisible())
    arrival = queue.dialog
    qtbot.keyClicks(arrival.search, hetu)
    qtbot.waitUntil(lambda: arrival.results.count() == 1, timeout=15000)
    qtbot.keyClick(arrival.search, Qt.Key.Key_Down)
    qtbot.keyClick(arrival.results, Qt.Key.Key_Return)
    assert arrival.customer_id is not None
    arrival.service.setCurrentIndex(max(arrival.service.currentIndex(), 0))
    qtbot.mouseClick(arrival.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not arrival.isVisible(), timeout=15000)
    assert arrival.registered is not None

    # Failures, carrying the customer's data the way real errors do: a statement's
    # parameters (a background task nobody handles) and a repr (the error dialog).
    with services.ctx.session_factory() as s:
        customer = s.scalars(select(Customer).where(Customer.hetu == hetu)).one()
        values = (customer.id, customer.hetu, customer.first_names, customer.last_name,
                  customer.phone, customer.email)
    failure = IntegrityError("INSERT INTO customer (id, hetu, first_names, last_name, phone, "
                             "email) VALUES (?, ?, ?, ?, ?, ?)", values,
                             Exception("UNIQUE constraint failed: customer.hetu"))
    done: list[bool] = []

    def fails():
        done.append(True)
        raise failure

    runner.submit(fails)
    qtbot.waitUntil(lambda: bool(done) and not runner.busy, timeout=15000)
    fields = dict(zip(("id", "hetu", "first_names", "last_name", "phone", "email"), values,
                      strict=True))
    try:
        raise ValueError(f"could not register {fields!r}")
    except ValueError as exc:
        show_unexpected_error(window, exc)
    dialog = error_dialog.open_dialog()
    assert dialog is not None
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: error_dialog.open_dialog() is None, timeout=15000)
    runner.wait()

    for handler in debug_log.handlers:
        handler.flush()
    logs = sorted(Path(debug_log.path).parent.glob("desk.log*"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in logs)
    assert "signed in: staff" in text and "sign-in refused" in text
    assert "background task failed" in text and "IntegrityError" in text
    assert "unexpected error: ValueError" in text
    assert " DEBUG " in text  # the level was DEBUG
    strings, names = personal_data(services)
    leaked = [v for v in strings if v in text]
    leaked += [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)]
    assert leaked == [], leaked
    services.close()
