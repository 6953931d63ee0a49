"""Checking the central database address against a real PostgreSQL: success (with the
service points found there), a wrong password, a database that does not exist."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from app import config, i18n
from app.db.migrate import upgrade_central
from app.services.setup import (
    MESSAGES,
    CentralCheckFailed,
    Failure,
    check_central,
    split_central_url,
)
from app.sync.engine import central_engine
from app.sync.seed import seed_central
from app.views.first_run import FirstRunDialog
from app.views.tasks import TaskRunner
from app.views.translator import LanguageSwitcher

pytestmark = pytest.mark.integration


def test_a_set_up_central_database_lists_its_service_points(services, pg_url):
    address = split_central_url(pg_url)
    check = check_central(address)
    assert not check.initialised and check.service_points == []
    upgrade_central(pg_url)
    central = central_engine(pg_url)
    seed_central(services.ctx.engine, central)
    central.dispose()
    check = check_central(address)
    assert check.initialised
    assert check.service_points == [("ROV", "Rovaniemi – Osaamo")]
    assert check.server_version


def test_wrong_password_is_an_authentication_failure(pg_url):
    address = split_central_url(pg_url)
    wrong = replace(address, password=address.password + "-wrong")
    try:
        check_central(wrong)
    except CentralCheckFailed as exc:
        assert exc.failure is Failure.AUTHENTICATION, exc.detail
    else:
        pytest.skip("this server trusts every password (pg_hba 'trust')")


def test_missing_database_is_told_apart(pg_url):
    address = split_central_url(pg_url)
    with pytest.raises(CentralCheckFailed) as caught:
        check_central(replace(address, database="desk_no_such_database"))
    assert caught.value.failure is Failure.DATABASE_MISSING


def test_dialog_test_button_against_the_server(qapp, qtbot, services, pg_url):
    runner = TaskRunner(qapp)
    switcher = LanguageSwitcher(qapp)
    switcher.switch("fi")
    dialog = FirstRunDialog(services.setup, runner, switcher, config.load())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.url.setText(pg_url)
    dialog.url.editingFinished.emit()
    dialog.database.setText("desk_no_such_database")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_error.isVisible(), timeout=15000)
    assert i18n._(MESSAGES[Failure.DATABASE_MISSING]) in dialog.test_error.text()

    dialog.database.setText(split_central_url(pg_url).database)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_ok.text().startswith("✓"), timeout=15000)
    assert not dialog.test_error.isVisible()
    runner.wait()
    switcher.detach()
