"""The everyday start: the sign-in view shows before the database and the pages exist,
and nothing typed or asked for meanwhile is lost (app.__main__.start_behind_sign_in)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.rules.codes import Role
from app.views.application import connect_central, sign_in_window
from app.views.main_window import ROW

ROOT = Path(__file__).resolve().parents[2]


def test_the_sign_in_view_needs_neither_the_database_nor_the_services():
    """What paints first imports no SQLAlchemy, no models, no icon font: that is what
    keeps the start near a bare Qt window (benchmark 1)."""
    probe = ("import sys, app.__main__, app.views.application\n"
             "heavy = [m for m in ('sqlalchemy', 'app.models', 'app.services.registry',\n"
             "         'qtawesome', 'matplotlib', 'psycopg') if m in sys.modules]\n"
             "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.strip() == ""


def test_a_sign_in_given_before_the_database_is_open_goes_through_after(qapp, qtbot,
                                                                         services):
    window, runner = sign_in_window(qapp, "fi")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.root.currentWidget() is window.login and not window.attached
    assert not window.menuBar().isVisible()
    # Typed and submitted while the services are still opening.
    qtbot.keyClicks(window.login.username, "coach")
    qtbot.keyClicks(window.login.password, "demo")
    qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
    assert window.session.pending_sign_in == ("coach", "demo")
    assert window.actor is None
    # The central database is connected before the waiting sign-in is carried out: an
    # online sign-in needs it (AuthService.central_url).
    order: list[str] = []
    sign_in = window.session.sign_in
    window.session.sign_in = lambda *a: (order.append("sign in"), sign_in(*a))
    window.attach_soon(services, services.is_demo(), lambda: (
        connect_central(window, services, runner, None, None), order.append("central")))
    qtbot.waitUntil(lambda: len(order) == 2, timeout=10000)
    assert order == ["central", "sign in"]
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    assert window.actor.username == "coach"
    assert window.root.currentWidget() is window.shell
    assert window.menuBar().isVisible()
    assert window.login.hint.isVisible() == services.is_demo()
    runner.wait()


def test_the_language_can_be_changed_before_the_pages_exist(qapp, qtbot, services):
    window, runner = sign_in_window(qapp, "fi")
    qtbot.addWidget(window)
    window.show()
    fi_button = window.login.button.text()
    window.preferences.set_language("sv")
    qtbot.waitUntil(lambda: window.login.button.text() != fi_button)
    window.attach(services, False)
    # The pages built afterwards speak the language chosen before them.
    assert window.nav.item(0).text() == "I dag"
    window.preferences.switcher.switch("fi")
    runner.wait()


def test_a_database_that_cannot_be_opened_ends_the_start_with_the_reason(tmp_path):
    not_a_file = tmp_path / "desk.sqlite3"
    not_a_file.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "DESK_CONFIG": str(tmp_path / "none.ini"), "DESK_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "app", "--db", str(not_a_file)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"cannot open the database {not_a_file}" in result.stderr


def test_an_empty_database_file_ends_the_start_in_words_not_a_new_database(tmp_path):
    """Issue #27: a zero-length file is refused with its name and what to do, and stays
    as it is (no new empty database, no new key); no traceback."""
    empty = tmp_path / "desk.sqlite3"
    empty.touch()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "DESK_CONFIG": str(tmp_path / "none.ini"), "DESK_DATA_DIR": str(tmp_path),
           "DESK_LOG_DIR": str(tmp_path / "logs"), "DESK_KEY_FILE": str(tmp_path / "key"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = subprocess.run([sys.executable, "-m", "app", "--db", str(empty), "--lang", "en"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"The local database {empty} is an empty file" in result.stderr
    assert "db recover" in result.stderr and "Traceback" not in result.stderr
    assert empty.stat().st_size == 0 and not (tmp_path / "key").exists()


def test_a_refused_database_is_shown_in_a_message_box(qapp, tmp_path, monkeypatch):
    """The everyday start (behind the sign-in view): the database thread's refusal comes
    back as one message box with the file and what to do, and the start ends with 1."""
    import argparse

    from PySide6.QtWidgets import QMessageBox

    import app.__main__ as main
    from app import config

    empty = tmp_path / "desk.sqlite3"
    empty.touch()
    shown: list[str] = []
    monkeypatch.setattr(main, "can_show_boxes", lambda _app: True)
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _parent, _title, text: shown.append(text)))
    settings = config.load().with_(db_path=empty, language="fi")
    args = argparse.Namespace(demo=False, demo_scale=1.0)
    assert main.start_behind_sign_in(args, settings) == 1
    assert len(shown) == 1 and str(empty) in shown[0] and "db recover" in shown[0]
    assert empty.stat().st_size == 0


def test_damaged_pages_are_found_behind_the_sign_in_view_before_any_sign_in(
        qapp, tmp_path, monkeypatch):
    """Issue #28 item 4: the everyday start opens the file with its key only and checks
    every page in the database thread after the sign-in view is up. A damaged file is
    still said with its name and what to do, the start ends with 1, and a sign-in typed
    meanwhile never runs (it would write its audit row into the damaged file)."""
    import argparse

    from PySide6.QtWidgets import QMessageBox

    import app.__main__ as main
    from app import config
    from app.services.registry import Services
    from app.views.main_window import MainWindow
    from tests.unit.test_local_database_safety import a_workstation, damage, digest, pad

    path = a_workstation(tmp_path)
    before, after = pad(path)
    middle = (before + after) // 2
    damage(path, [middle, middle + 1])
    damaged = digest(path)
    Services.open(path, "ws", check_later=True).close()  # the key alone opens it
    shown: list[str] = []
    monkeypatch.setattr(main, "can_show_boxes", lambda _app: True)
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _parent, _title, text: shown.append(text)))
    signed_in: list[str] = []
    original_show = MainWindow.show

    def show_and_type(window: MainWindow) -> None:
        original_show(window)
        window.login.username.setText("coach")
        window.login.password.setText("demo")
        window.login.button.click()  # waits for the pages, which wait for the check
        signed_in.append(str(window.session.pending_sign_in))

    monkeypatch.setattr(MainWindow, "show", show_and_type)
    settings = config.load().with_(db_path=path, language="en")
    args = argparse.Namespace(demo=False, demo_scale=1.0)
    assert main.start_behind_sign_in(args, settings) == 1
    assert signed_in == ["('coach', 'demo')"]
    assert len(shown) == 1 and str(path) in shown[0] and "db recover" in shown[0]
    assert digest(path) == damaged


# --- the start page by role and service point (issue 18, fault 12) ----------------------


def add_ranua(services) -> None:
    """Ranua works by appointment: its desk and coach start their day in the calendar."""
    from app.models import ServicePoint, Staff, StaffCredential
    from app.rules.codes import Role, ServicePointMode
    from tests.factories import verifier

    with services.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.APPOINTMENT))
        s.flush()
        for username, role in (("ranua.coach", Role.COACH), ("ranua.desk", Role.DESK)):
            s.add(Staff(id=f"staff-{username}", username=username, full_name=username,
                        role=role, team_id="team-1", service_point_id="sp-ran"))
            s.flush()
            s.add(StaffCredential(staff_id=f"staff-{username}", verifier=verifier()))


@pytest.mark.parametrize(("username", "page"), [
    ("desk", "queue"), ("coach", "today"), ("lead", "today"), ("admin", "queue"),
    ("ranua.coach", "appointments"), ("ranua.desk", "appointments"),
])
def test_each_role_and_service_point_starts_where_its_day_does(qtbot, window, username,
                                                               page):
    from tests.gui.test_sign_out_privacy import type_sign_in

    add_ranua(window.services)
    type_sign_in(qtbot, window, username)
    assert window.pages.currentWidget() is window.page(page)
    assert window.nav.currentRow() == ROW[page]
    assert window.menus.start_action.isChecked()  # "Start on this page" is where they are


def test_the_start_page_a_worker_chooses_is_theirs_alone(qtbot, window):
    from tests.gui.test_sign_out_privacy import type_sign_in

    kept: list[tuple[str, str]] = []
    window.preferences.remember = lambda key, value: kept.append((key, value))
    type_sign_in(qtbot, window, "coach")
    assert window.pages.currentWidget() is window.page("today")
    window.nav.setCurrentRow(ROW["customers"])
    start_here = window.menus.start_action
    assert not start_here.isChecked()
    start_here.trigger()  # Settings → Start on this page
    # Kept in the io pool (preferences._remember): wait for it, not for the database's.
    qtbot.waitUntil(lambda: kept == [("start_page.coach", "customers")], timeout=15000)
    assert start_here.isChecked()
    window.session.sign_out()

    type_sign_in(qtbot, window, "desk")  # another worker at the same desk: their own start
    assert window.pages.currentWidget() is window.page("queue")
    window.session.sign_out()
    type_sign_in(qtbot, window, "coach")
    assert window.pages.currentWidget() is window.page("customers")
    assert start_here.isChecked()
    start_here.trigger()  # unticked: by role again
    qtbot.waitUntil(lambda: kept[-1] == ("start_page.coach", ""), timeout=15000)
    window.session.sign_out()
    type_sign_in(qtbot, window, "coach")
    assert window.pages.currentWidget() is window.page("today")


def test_a_chosen_start_page_is_kept_in_the_users_settings(tmp_path, monkeypatch):
    from app import config
    from app.services.context import Actor
    from app.views.shell.pages import start_page

    monkeypatch.setenv("DESK_CONFIG", str(tmp_path / "desk.ini"))
    config.save_user({"start_page.coach": "customers", "start_page.desk": "appointments"})
    assert config.start_pages() == {"coach": "customers", "desk": "appointments"}
    config.save_user({"start_page.desk": ""})
    assert config.start_pages() == {"coach": "customers"}
    # A page the role may no longer see is no start: the role's own is.
    desk = Actor("s", "desk", "Tiina Tiski", Role.DESK, "sp", "ROV", "Rovaniemi", None)
    assert start_page(desk, "reports") == "queue"
    assert start_page(desk, "no-such-page") == "queue"
