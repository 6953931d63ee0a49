"""`python -m app --diagnostics`: what IT support asks for, without a window, without
changing anything, and without the central password."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import keyring
from sqlalchemy import create_engine, func, select

from app import __version__
from app.__main__ import main
from app.db.keys import ENTRY, SERVICE
from app.db.migrate import LOCAL_HEAD
from app.models import OutboxEntry
from app.sync.engine import SyncEngine
from tests.factories import add_people, open_services

ROOT = Path(__file__).resolve().parents[2]
CENTRAL = "postgresql+psycopg://desk_admin:Sal4isuus!@db.rovaseutu.example:5432/rovaseutu"


def diagnostics(capsys, *argv: str) -> dict[str, str]:
    assert main(["--diagnostics", *argv]) == 0
    out = capsys.readouterr().out
    assert "Sal4isuus" not in out and "desk_admin" not in out
    fields: dict[str, str] = {}
    for line in out.splitlines():
        key, sep, value = line.partition(": ")
        assert sep, line
        fields.setdefault(key, value)
    return fields


def test_a_database_made_by_the_app(capsys, tmp_path):
    services = open_services(tmp_path)
    services.auth.sign_in("admin", "demo")
    add_people(services)  # writes go into the outbox until pushed
    with services.ctx.session_factory() as s:
        pending = s.scalar(select(func.count()).select_from(OutboxEntry)
                           .where(OutboxEntry.status == "pending"))
    assert pending
    synced = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    SyncEngine(services.ctx.engine, create_engine("sqlite://"), "n")._remember_success(synced)
    services.close()

    fields = diagnostics(capsys, "--db", str(tmp_path / "desk.sqlite3"), "--central", CENTRAL)
    assert fields["application version"] == __version__
    assert fields["python"].startswith(".".join(map(str, sys.version_info[:3])))
    assert re.fullmatch(r"6\.\d+\.\d+", fields["qt"])
    assert fields["pyside6"] == version("PySide6-Essentials")
    assert fields["platform"]
    assert fields["config file"].endswith("(missing)")  # the tests' DESK_CONFIG
    assert fields["local database"] == str(tmp_path / "desk.sqlite3")
    assert fields["local database state"].startswith("present") and "encrypted" in fields[
        "local database state"]
    assert fields["schema revision"] == f"{LOCAL_HEAD} (current)"
    assert fields["pending outbox entries"] == str(pending)
    assert fields["last successful sync"].startswith("2026-11-24T08:30:00+00:00")
    assert "10:30 Europe/Helsinki" in fields["last successful sync"]
    assert fields["central database"] == "postgresql+psycopg://db.rovaseutu.example:5432/rovaseutu"
    assert fields["log folder"] == os.environ["DESK_LOG_DIR"]
    assert fields["log file"].endswith("desk.log")


def test_a_missing_database_is_reported_not_created(capsys, tmp_path):
    db = tmp_path / "nowhere" / "desk.sqlite3"
    fields = diagnostics(capsys, "--db", str(db), "--central", CENTRAL)
    assert fields["local database state"] == "missing"
    assert fields["schema revision"] == "missing"
    assert not db.parent.exists()


def test_without_the_key_it_says_so(capsys, tmp_path, monkeypatch):
    services = open_services(tmp_path)
    services.close()
    backend = keyring.get_keyring()
    key = backend.get_password(SERVICE, ENTRY)
    backend.delete_password(SERVICE, ENTRY)
    try:
        fields = diagnostics(capsys, "--db", str(tmp_path / "desk.sqlite3"))
        # None was made up either: the entry is still missing.
        assert backend.get_password(SERVICE, ENTRY) is None
    finally:
        backend.set_password(SERVICE, ENTRY, key)
    assert fields["schema revision"].startswith("key unavailable")
    assert fields["central database"] == "not configured"


def test_no_display_and_no_widgets_needed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM",
                                                            "WAYLAND_DISPLAY")}
    env["DESK_LOG_DIR"] = str(tmp_path / "logs")
    probe = ("import sys\nfrom app.__main__ import main\n"
             f"code = main(['--diagnostics', '--db', {str(tmp_path / 'x.sqlite3')!r}, "
             f"'--central', {CENTRAL!r}])\n"
             "print('widgets loaded:', 'PySide6.QtWidgets' in sys.modules)\nsys.exit(code)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "schema revision: missing" in result.stdout
    assert "widgets loaded: False" in result.stdout
    assert "Sal4isuus" not in result.stdout + result.stderr
    assert not (tmp_path / "logs").exists()  # a report writes nothing, not even a log
