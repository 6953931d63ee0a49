"""The diagnostics log: where it goes, its level, unexpected errors and crashes in it,
and no personal data in it (app.diagnostics.logsetup)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app import cli
from app.diagnostics import logsetup
from app.diagnostics.logsetup import redact

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def logs(tmp_path, monkeypatch):
    monkeypatch.delenv("DESK_LOG_LEVEL", raising=False)
    setup = logsetup.configure(directory=tmp_path)
    yield setup
    setup.close()


def read(setup: logsetup.LogSetup) -> str:
    for handler in setup.handlers:
        handler.flush()
    assert setup.path is not None
    return setup.path.read_text(encoding="utf-8")


def test_the_log_file_and_its_format(logs, tmp_path):
    assert logs.path == tmp_path / "desk.log" and logsetup.log_file() == logs.path
    logging.getLogger("app.test").info("hello")
    logging.getLogger("app.test").debug("not at INFO")
    line = read(logs).splitlines()[-1]
    # time, level, thread, logger
    assert line.endswith(" INFO     [MainThread] app.test: hello")
    assert line[:4].isdigit() and "not at INFO" not in read(logs)
    handler = next(h for h in logs.handlers
                   if isinstance(h, logging.handlers.RotatingFileHandler))
    assert handler.maxBytes == 1_000_000 and handler.backupCount == 5


def test_the_level_from_the_argument_or_the_environment(monkeypatch):
    monkeypatch.delenv("DESK_LOG_LEVEL", raising=False)
    assert logsetup.resolve_level(None) == logging.INFO
    monkeypatch.setenv("DESK_LOG_LEVEL", "debug")
    assert logsetup.resolve_level(None) == logging.DEBUG
    assert logsetup.resolve_level("WARNING") == logging.WARNING  # the argument wins
    monkeypatch.setenv("DESK_LOG_LEVEL", "chatty")
    assert logsetup.resolve_level(None) == logging.INFO


def test_closing_puts_everything_back(tmp_path):
    root = logging.getLogger()
    before = (list(root.handlers), root.level, sys.excepthook, threading.excepthook)
    setup = logsetup.configure("DEBUG", tmp_path)
    assert root.level == logging.DEBUG and sys.excepthook is not before[2]
    # Statement parameters are personal data: SQLAlchemy stays quiet even at DEBUG.
    assert logging.getLogger("sqlalchemy").getEffectiveLevel() >= logging.WARNING
    setup.close()
    assert (list(root.handlers), root.level, sys.excepthook, threading.excepthook) == before
    assert logsetup.active() is None


def test_an_unwritable_folder_does_not_stop_the_program(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    setup = logsetup.configure(directory=blocker / "logs")
    try:
        assert setup.path is None
        logging.getLogger("app.test").warning("still fine")
    finally:
        setup.close()


@pytest.fixture
def default_hooks(monkeypatch):
    """Python's own hooks underneath, not pytest's: these errors are raised on purpose."""
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)


def test_unexpected_errors_of_any_thread_are_logged_with_the_traceback(default_hooks, logs):
    shown: list[BaseException] = []
    undo = logsetup.set_presenter(shown.append)
    try:
        try:
            raise ValueError("boom in the main thread")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)

        def fail() -> None:
            raise KeyError("boom in a thread")

        worker = threading.Thread(target=fail, name="worker-7")
        worker.start()
        worker.join()
    finally:
        undo()
    text = read(logs)
    assert "ERROR    [MainThread] app.unexpected: unexpected error: ValueError" in text
    assert "Traceback (most recent call last)" in text and "boom in the main thread" in text
    assert "unexpected error in thread worker-7: KeyError" in text
    assert [type(e) for e in shown] == [ValueError, KeyError]


def test_a_hard_crash_leaves_its_stacks_in_crash_log(tmp_path):
    probe = ("from app.diagnostics import logsetup\nimport faulthandler\n"
             "logsetup.configure()\nfaulthandler._sigsegv()")
    env = {**os.environ, "DESK_LOG_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    crash = (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash
    assert "started" in crash.splitlines()[0]


def test_the_command_line_logs_its_command_not_its_arguments(capsys, tmp_path):
    code = cli.main(["customer", "show", "120385-123A", "--db", str(tmp_path / "none.db")])
    assert code == 2  # no such database: the operator's mistake
    text = (Path(os.environ["DESK_LOG_DIR"]) / "desk.log").read_text(encoding="utf-8")
    assert "command customer" in text
    assert "120385-123A" not in text


@pytest.mark.parametrize(("text", "hidden"), [
    ("customer 120385-123A not found", "120385-123A"),
    ("born 010199A1234", "010199A1234"),
    ("reply to aino.makela@example.fi please", "aino.makela@example.fi"),
    ("call 040 123 4567", "040 123 4567"),
    ("call +358 40 123 4567", "+358 40 123 4567"),
    ("call 0401234567.", "0401234567"),
    ("(sqlite3.IntegrityError) UNIQUE constraint failed: customer.hetu\n[SQL: INSERT INTO "
     "customer (id, hetu) VALUES (?, ?)]\n[parameters: ('c-1', 'Mäkelä, Aino')]",
     "Mäkelä"),
    ('DETAIL:  Key (hetu)=(Mäkelä Aino) already exists.', "Mäkelä"),
    ("DETAIL:  Failing row contains (c-1, Virtanen, Matti, null).", "Virtanen"),
    ("CustomerInput(last_name='Virtanen', first_names='Matti Juhani', phone=None)",
     "Matti Juhani"),
    ("{'last_name': 'Virtanen', 'email': \"x\"}", "Virtanen"),
])
def test_personal_data_is_redacted(text, hidden):
    assert hidden not in redact(text)


@pytest.mark.parametrize("text", [
    "2026-11-24 08:00:00,123 INFO [MainThread] app.queue: 3 waiting",
    "staff 0a1b2c3d-1234-4567-89ab-0123456789ab signed in",
    "staff 01234567-8901-2345-6789-012345678901 signed in",
    "desk 0.1.0 started, pid 12345, schema 0040, took 0.25 s, 1048576 bytes",
    "[SQL: SELECT customer.id FROM customer WHERE customer.id = ?]",
])
def test_what_is_not_personal_data_stays(text):
    assert redact(text) == text
