"""Staff accounts from the command line, and the documented permission matrix."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from app import cli
from app.rules.codes import Role
from app.rules.permissions import MATRIX, Permission
from tests.factories import open_services

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_the_documented_matrix_is_the_one_the_services_check():
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[a-z_]+\.[a-z_]+", cells[0]):
            rows[cells[0]] = {role for role, cell in zip(
                ("desk", "coach", "team_lead", "admin", "partner"), cells[1:], strict=True)
                if cell}
    assert set(rows) == {p.value for p in Permission}
    for permission in Permission:
        assert rows[permission.value] == {r.value for r in Role
                                          if permission in MATRIX[r]}, permission


def _add(monkeypatch, db, *args, password="Salasana-1"):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return cli.main(["staff", "add", *args, "--db", str(db), "--password-stdin"])


def test_staff_add_creates_an_account_that_can_sign_in(tmp_path, monkeypatch, capsys):
    open_services(tmp_path).close()
    db = tmp_path / "desk.sqlite3"
    code = _add(monkeypatch, db, "maija.m", "--full-name", "Maija Meikäläinen",
                "--role", "coach", "--service-point", "ROV")
    assert code == 0, capsys.readouterr().err
    assert "maija.m (coach, ROV)" in capsys.readouterr().out
    from app.services.registry import Services

    services = Services.open(db, "t")
    actor = services.auth.sign_in("maija.m", "Salasana-1")
    assert actor.role is Role.COACH and actor.service_point_code == "ROV"
    services.close()


@pytest.mark.parametrize(("args", "message"), [
    (["Bad Name", "--full-name", "X", "--role", "desk", "--service-point", "ROV"],
     "username"),
    (["coach", "--full-name", "X", "--role", "desk", "--service-point", "ROV"], "username"),
    (["new", "--full-name", "X", "--role", "desk", "--service-point", "XXX"],
     "service_point"),
])
def test_staff_add_refuses_bad_input(tmp_path, monkeypatch, capsys, args, message):
    open_services(tmp_path).close()
    assert _add(monkeypatch, tmp_path / "desk.sqlite3", *args) == 2  # the operator's mistake
    assert message in capsys.readouterr().err


def test_staff_add_refuses_a_short_password(tmp_path, monkeypatch, capsys):
    open_services(tmp_path).close()
    assert _add(monkeypatch, tmp_path / "desk.sqlite3", "new", "--full-name", "X", "--role",
                "desk", "--service-point", "ROV", password="short") == 2
    assert "password" in capsys.readouterr().err


def test_only_an_administrator_adds_staff(tmp_path, monkeypatch, capsys):
    open_services(tmp_path).close()
    assert _add(monkeypatch, tmp_path / "desk.sqlite3", "new", "--full-name", "X", "--role",
                "desk", "--service-point", "ROV", "--user", "lead") == 1
    assert capsys.readouterr().err.startswith("error:")
