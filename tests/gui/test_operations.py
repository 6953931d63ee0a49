"""app.views.operations: the one way a view runs an operation, shows its failure and
hears of what a write changed."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtWidgets import QWidget

from app import i18n
from app.services.errors import ServiceError, ValidationFailed
from app.views import error_dialog, operations
from app.views.operations import QueryOp, WriteOp, error_message, refresh_on_change
from app.views.tasks import TaskRunner


class Page(QWidget):
    """A page with a message line: where the operations show a refusal."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def show_error(self, text: str) -> None:
        self.shown.append(text)


def raising(exc: Exception):
    def op() -> None:
        raise exc

    return op


@pytest.fixture
def runner(qapp):
    runner = TaskRunner()
    yield runner
    runner.wait()
    runner.io_pool.waitForDone(5000)


@pytest.fixture
def page(qtbot):
    page = Page()
    qtbot.addWidget(page)
    return page


@pytest.fixture
def unexpected(monkeypatch):
    """The calls of show_unexpected_error (which still logs and shows the dialog)."""
    calls: list[tuple[QWidget | None, BaseException]] = []
    real = operations.show_unexpected_error

    def spy(parent: QWidget | None, exc: BaseException) -> None:
        calls.append((parent, exc))
        real(parent, exc)

    monkeypatch.setattr(operations, "show_unexpected_error", spy)
    yield calls
    shown = error_dialog.open_dialog()
    if shown is not None:
        shown.close()


def test_the_operation_runs_off_the_gui_thread_and_success_comes_back_on_it(
        qtbot, runner, page):
    gui = threading.current_thread()
    seen: dict[str, object] = {}

    def op() -> int:
        seen["op"] = threading.current_thread()
        return 42

    def success(value: int) -> None:
        seen["success"], seen["value"] = threading.current_thread(), value

    QueryOp(runner, page, op, success=success).run_in_background()
    qtbot.waitUntil(lambda: "success" in seen, timeout=15000)
    assert seen["op"] is not gui and seen["success"] is gui and seen["value"] == 42
    assert page.shown == []


def test_a_refusal_is_shown_once_translated_and_not_as_unexpected(
        qtbot, runner, page, unexpected, caplog):
    def refuse() -> None:
        raise ServiceError(i18n.N_("Ticket {code} given."), code="A 012")

    caplog.set_level(logging.INFO)
    QueryOp(runner, page, refuse, success=lambda _r: pytest.fail("no success")) \
        .run_in_background()
    qtbot.waitUntil(lambda: bool(page.shown), timeout=15000)
    runner.wait()
    qtbot.wait(50)
    assert page.shown == [i18n._("Ticket {code} given.").format(code="A 012")]
    assert page.shown[0] != "Ticket A 012 given."  # in the UI language (Finnish)
    assert unexpected == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_unexpected_error_goes_to_the_error_dialog_once_and_into_the_log(
        qtbot, runner, page, unexpected, caplog):
    def crash() -> None:
        raise RuntimeError("a bug")

    QueryOp(runner, page, crash).run_in_background()
    qtbot.waitUntil(lambda: bool(unexpected), timeout=15000)
    runner.wait()
    qtbot.wait(50)
    assert len(unexpected) == 1 and isinstance(unexpected[0][1], RuntimeError)
    assert unexpected[0][0] is page
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1 and logged[0].exc_info and logged[0].exc_info[0] is RuntimeError
    # The page's message line says it failed; the dialog says the rest.
    assert page.shown == [i18n._("Something went wrong")]
    assert error_dialog.open_dialog() is not None


def test_a_form_handles_its_field_errors_and_other_texts_go_where_told(
        qtbot, runner, page, unexpected):
    fields: list[dict[str, str]] = []
    QueryOp(runner, page, raising(ValidationFailed({"name": "x"}))) \
        .on(ValidationFailed, lambda exc: fields.append(exc.errors)).run_in_background()
    qtbot.waitUntil(lambda: bool(fields), timeout=15000)
    assert fields == [{"name": "x"}] and page.shown == []

    elsewhere: list[str] = []
    message = i18n.N_("The username or password is wrong.")
    QueryOp(runner, page, raising(ServiceError(message))) \
        .errors_to(elsewhere.append, translate=lambda m: i18n.translate_in("sv", m)) \
        .run_in_background()
    qtbot.waitUntil(lambda: bool(elsewhere), timeout=15000)
    assert elsewhere == [i18n.translate_in("sv", message)] and page.shown == []
    assert error_message(ServiceError(message)) == i18n._(message)
    assert unexpected == []


def test_a_stale_result_with_the_same_key_is_dropped(qtbot, runner, page):
    shown: list[str] = []
    ran: list[str] = []
    started, gate = threading.Event(), threading.Event()

    def slow() -> str:
        ran.append("slow")
        started.set()
        gate.wait(5)
        return "old"

    def quick(name: str) -> str:
        ran.append(name)
        return name

    QueryOp(runner, page, slow, success=shown.append).latest("search").run_in_background()
    assert started.wait(5)
    # Queued behind the slow one; the next one with the key supersedes it before it runs.
    QueryOp(runner, page, lambda: quick("skipped"), success=shown.append) \
        .latest("search").run_in_background()
    QueryOp(runner, page, lambda: quick("new"), success=shown.append) \
        .latest("search").run_in_background()
    # Another key is its own channel.
    QueryOp(runner, page, lambda: quick("other"), success=shown.append) \
        .latest("count").run_in_background()
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=15000)
    assert shown == ["new", "other"]
    assert ran == ["slow", "new", "other"]  # the superseded one never ran


def test_a_write_reports_its_tables_and_a_subscribed_page_refreshes(
        qtbot, runner, page, services):
    services.auth.sign_in("admin", "demo")
    refreshed: list[str] = []
    refresh_on_change(runner, page, {"area_setting"}, lambda: refreshed.append("settings"))
    refresh_on_change(runner, page, {"appointment"}, lambda: refreshed.append("calendar"))
    results: list[object] = []
    with qtbot.waitSignal(runner.tables_changed, timeout=15000) as changed:
        WriteOp(runner, page, lambda: services.settings.set("caseload_cap", 7),
                success=results.append).run_in_background()
    assert "area_setting" in changed.args[0]
    assert results == [None] and refreshed == ["settings"]
    # A read reports nothing; a page that is gone hears nothing more.
    QueryOp(runner, page, lambda: services.settings.get("caseload_cap"),
            success=results.append).run_in_background()
    qtbot.waitUntil(lambda: len(results) == 2, timeout=15000)
    assert results[1] == 7 and refreshed == ["settings"]


def test_a_file_or_printer_refusal_is_told_not_reported_as_a_bug(qtbot, runner, page,
                                                                  unexpected, caplog):
    i18n.set_language("en")
    locked = PermissionError(13, "Permission denied", "/home/x/Virtanen Matti.pdf")
    with caplog.at_level(logging.INFO, logger="app.views.operations"):
        QueryOp(runner, page, raising(locked)).run_in_background()
        qtbot.waitUntil(lambda: bool(page.shown), timeout=15000)
    assert page.shown == ["The file or printer could not be used: Permission denied"]
    assert unexpected == []
    assert "Virtanen" not in caplog.text  # the path may name a customer


def test_a_bug_of_a_closed_page_still_reaches_the_log(qtbot, runner, unexpected, caplog):
    gone = Page()
    release = threading.Event()

    def op() -> None:
        release.wait(5)
        raise ZeroDivisionError("a bug")

    with caplog.at_level(logging.ERROR, logger="app.views.operations"):
        QueryOp(runner, gone, op).run_in_background()
        gone.deleteLater()
        qtbot.waitUntil(lambda: not operations.isValid(gone), timeout=15000)
        release.set()
        qtbot.waitUntil(lambda: "ZeroDivisionError" in caplog.text, timeout=15000)
    assert unexpected == []


def test_a_write_is_never_dropped_as_stale(runner, page):
    with pytest.raises(TypeError):
        WriteOp(runner, page, lambda: None).latest("save")
