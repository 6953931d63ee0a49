"""Audit of #19: the card's case work (the notes and work-ability tab, the job-search
periods tab) and its dialogs (close, reopen, a note with its earlier versions, the facts)
at 1600x1000 with 150 % text, in Finnish and Swedish: nothing cut off. The layout test
(tests/gui/test_layout.py) looks at the card's first tab only.

The note column of the notes list is elided by design (the chosen note is shown whole
under the list), so its cells are not counted; every other text is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from app import demo, i18n
from app.models import Customer, CustomerNote, JobSearchPeriod
from app.views.application import build_main_window
from app.views.main_window import ROW, MainWindow
from app.views.screenshot import settle
from tests.factories import Clock
from tests.gui.layout_check import cut_text, too_large
from tests.gui.test_layout import as_on_screen

NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)  # a Wednesday, 10.30 in Helsinki
SCREEN = QSize(1600, 1000)
SHOTS = os.environ.get("LAYOUT_SHOTS")  # a folder: each checked view saved as a PNG


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Iterator[object]:
    from app.services.registry import Services

    services = Services.open(tmp_path_factory.mktemp("audit19") / "desk.sqlite3", "test-ws")
    services.ctx.now = Clock(NOW)
    demo.fill(services, scale=0.5)
    yield services
    services.close()


def _customers(services) -> tuple[str, str]:
    """A customer with notes and more than one period whose case is open, and one whose
    case is closed (with an outcome note when there is one)."""
    with services.ctx.session_factory() as s:
        periods = (select(JobSearchPeriod.customer_id, func.count().label("n"))
                   .where(JobSearchPeriod.deleted_at.is_(None))
                   .group_by(JobSearchPeriod.customer_id).subquery())
        notes = (select(CustomerNote.customer_id, func.count().label("n"))
                 .where(CustomerNote.deleted_at.is_(None))
                 .group_by(CustomerNote.customer_id).subquery())
        busy = s.scalar(
            select(Customer.id).join(periods, periods.c.customer_id == Customer.id)
            .join(notes, notes.c.customer_id == Customer.id)
            .where(Customer.active.is_(True), Customer.erased_at.is_(None),
                   Customer.deleted_at.is_(None))
            .order_by(periods.c.n.desc(), notes.c.n.desc(), Customer.id).limit(1))
        closed = s.scalar(
            select(Customer.id).join(JobSearchPeriod, JobSearchPeriod.customer_id == Customer.id)
            .where(Customer.active.is_(False), Customer.deleted_at.is_(None),
                   Customer.erased_at.is_(None), JobSearchPeriod.closed_on.is_not(None))
            .order_by(JobSearchPeriod.outcome_note.is_(None), Customer.id).limit(1))
    assert busy and closed, "the demo has no case history to look at"
    return busy, closed


@pytest.fixture(params=["fi", "sv"])
def window(qapp, qtbot, area, request) -> Iterator[MainWindow]:
    base = QApplication.font()
    win, _runner = build_main_window(qapp, area, request.param, text_scale=150)
    qtbot.addWidget(win)
    win.resize(SCREEN)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.preferences.switcher.switch("fi")
    QApplication.setFont(base)


def _problems(window: QWidget, notes: list[str], where: str = "") -> list[str]:
    QApplication.processEvents()
    if SHOTS and where:  # to look at what was checked
        window.grab().save(f"{SHOTS}/audit19-{where.replace(' ', '_')}.png")
    found = cut_text(window)
    # The note column elides by design: a cell showing the start of a note is fine.
    return [line for line in found
            if not ("case_notes_table row" in line
                    and any(line.split("'")[1].rstrip("…") in n for n in notes if n))]


def _dialog(qtbot, controller, open_it, where: str, notes: list[str]) -> list[str]:
    before = controller.dialog
    open_it()
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog is not before
                    and controller.dialog.isVisible(), timeout=15000)
    dialog = controller.dialog
    try:
        as_on_screen(dialog, SCREEN)
        QApplication.processEvents()
        return [f"{where}: {p}" for p in too_large(dialog, SCREEN)
                + _problems(dialog, notes, where)]
    finally:
        dialog.reject()


def test_the_case_tabs_and_dialogs_fit_at_150_percent(qtbot, window, area):
    busy, closed = _customers(area)
    window.session.sign_in("admin", "demo")
    qtbot.waitUntil(lambda: window.actor is not None, timeout=15000)
    settle(window.runner, 8000)
    window.nav.setCurrentRow(ROW["customers"])
    settle(window.runner, 8000)
    customers = window.page("customers")
    card = customers.card_view
    findings: list[str] = []
    lang = i18n.current_language()

    customers.open_customer(busy)
    qtbot.waitUntil(lambda: card.case.case is not None and card.case.case.customer_id == busy
                    and card.case_notes.model.rowCount() > 0, timeout=15000)
    notes = [n.text for n in card.case_notes.model.rows]
    assert len(card.case.case.periods) >= 2
    card.sections.setCurrentWidget(card.case_work)
    settle(window.runner, 3000)
    findings += [f"{lang} notes tab: {p}" for p in _problems(window, notes, f"{lang} notes")]
    card.sections.setCurrentWidget(card.case.history)
    settle(window.runner, 3000)
    findings += [f"{lang} periods tab: {p}"
                 for p in _problems(window, notes, f"{lang} periods")]
    findings += _dialog(qtbot, customers.case, card.case.strip.close_case.click,
                        f"{lang} close dialog", notes)
    findings += _dialog(qtbot, customers.case_notes, customers.case_notes.edit,
                        f"{lang} note dialog", notes)
    findings += _dialog(qtbot, customers.case_facts, customers.case_facts.edit,
                        f"{lang} facts dialog", notes)

    customers.open_customer(closed)
    qtbot.waitUntil(lambda: card.case.case is not None
                    and card.case.case.customer_id == closed, timeout=15000)
    card.sections.setCurrentWidget(card.case.history)
    settle(window.runner, 3000)
    findings += [f"{lang} closed case: {p}"
                 for p in _problems(window, notes, f"{lang} closed")]
    findings += _dialog(qtbot, customers.case, card.case.strip.reopen_case.click,
                        f"{lang} reopen dialog", notes)
    assert not findings, "\n".join(findings)
