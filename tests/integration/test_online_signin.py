"""Online sign-in with the staff member's own PostgreSQL role; the cached verifier for
offline sign-in; no password on disk; the session's sync runs with that role."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL, make_url

from app.db.central_roles import drop_login_role, set_login_password
from app.db.migrate import upgrade_central
from app.models import StaffCredential
from app.rules.codes import Role
from app.services.errors import SignInFailed
from app.services.registry import Services
from app.sync.engine import SyncEngine, central_engine
from tests.factories import seed_org

PASSWORD = "Oma-salasana-1"


@pytest.fixture
def area(pg_url, tmp_path):
    """A central database with the organisation, one staff member with a real role,
    and the central URL as a workstation is configured with it: no credentials."""
    upgrade_central(pg_url)
    admin = central_engine(pg_url)
    first = Services.open(tmp_path / "first.sqlite3", "first")
    seed_org(first)
    first.auth.sign_in("admin", "demo")
    user = f"t{uuid.uuid4().hex[:8]}_coach"
    first.staff.add(user, "Pekka Ylitalo", Role.COACH, "ROV", PASSWORD, admin)
    SyncEngine(first.ctx.engine, admin, "first", "ROV").sync_once()
    first.close()
    full = make_url(pg_url)
    bare = URL.create(full.drivername, host=full.host, port=full.port, database=full.database)
    yield {"user": user, "url": bare.render_as_string(), "admin": admin}
    drop_login_role(admin, user)
    admin.dispose()


def _workstation(tmp_path, name, url):
    services = Services.open(tmp_path / f"{name}.sqlite3", name)
    services.auth.central_url = url
    return services


def test_a_new_workstation_signs_in_online_and_then_offline(area, tmp_path):
    url, user = area["url"], area["user"]
    ws = _workstation(tmp_path, "new", url)
    actor = ws.auth.sign_in(user, PASSWORD)  # knows nobody yet: the centre decides
    assert actor.role is Role.COACH and ws.auth.online_sign_in
    assert make_url(ws.auth.session_url).username == user
    with ws.ctx.session_factory() as s:
        assert s.scalar(select(StaffCredential.verifier)).startswith("$argon2id$")
    # The session's sync runs with the staff member's own role.
    report = SyncEngine(ws.ctx.engine, central_engine(ws.auth.session_url), "new",
                        "ROV").sync_once()
    assert report.pulled > 0 and report.rejected == 0
    ws.auth.sign_out()
    assert ws.auth.session_url is None
    # The centre unreachable: the cached verifier decides.
    ws.auth.central_url = make_url(url).set(port=1).render_as_string()
    assert ws.auth.sign_in(user, PASSWORD).username == user
    assert not ws.auth.online_sign_in
    ws.auth.sign_out()
    with pytest.raises(SignInFailed):
        ws.auth.sign_in(user, "wrong-password")
    ws.close()
    for path in tmp_path.glob("new.sqlite3*"):  # the password is nowhere on disk
        assert PASSWORD.encode() not in path.read_bytes()


def test_the_centre_refuses_an_old_password_the_cache_would_accept(area, tmp_path):
    url, user = area["url"], area["user"]
    ws = _workstation(tmp_path, "ws", url)
    ws.auth.sign_in(user, PASSWORD)
    ws.auth.sign_out()
    set_login_password(area["admin"], user, "Uusi-salasana-2")
    with pytest.raises(SignInFailed, match="wrong"):
        ws.auth.sign_in(user, PASSWORD)
    ws.auth.sign_in(user, "Uusi-salasana-2")
    ws.auth.sign_out()
    ws.auth.central_url = make_url(url).set(port=1).render_as_string()
    assert ws.auth.sign_in(user, "Uusi-salasana-2")  # the refreshed verifier offline
    ws.close()


def test_a_database_role_without_a_staff_account_cannot_sign_in(area, tmp_path):
    from app.db.central_roles import create_login_role

    ghost = f"t{uuid.uuid4().hex[:8]}_ghost"
    create_login_role(area["admin"], ghost, PASSWORD, Role.DESK)
    try:
        ws = _workstation(tmp_path, "ws", area["url"])
        with pytest.raises(SignInFailed, match="no staff account"):
            ws.auth.sign_in(ghost, PASSWORD)
        ws.close()
    finally:
        drop_login_role(area["admin"], ghost)


def test_a_deactivated_staff_member_signs_in_nowhere(area, tmp_path):
    """`staff deactivate --central`: the role loses LOGIN, the synchronised row makes
    the centre show it nothing, and the workstation's own sign-in refuses it too."""
    from app import cli

    url, user = area["url"], area["user"]
    ws = _workstation(tmp_path, "ws", url)
    ws.auth.sign_in(user, PASSWORD)  # known here, with a cached verifier
    ws.auth.sign_out()
    SyncEngine(ws.ctx.engine, area["admin"], "ws", "ROV").sync_once()
    ws.close()
    admin_url = area["admin"].url.render_as_string(hide_password=False)
    assert cli.main(["staff", "deactivate", user, "--db", str(tmp_path / "ws.sqlite3"),
                     "--central", admin_url, "--user", "admin"]) == 0
    with area["admin"].connect() as conn:
        assert conn.exec_driver_sql("SELECT NOT rolcanlogin AND NOT s.active FROM pg_roles "
                                    "JOIN staff s ON s.username = rolname "
                                    f"WHERE rolname = '{user}'").scalar()
    ws = _workstation(tmp_path, "ws", url)
    with pytest.raises(SignInFailed):
        ws.auth.sign_in(user, PASSWORD)  # refused centrally
    ws.auth.central_url = make_url(url).set(port=1).render_as_string()
    with pytest.raises(SignInFailed):
        ws.auth.sign_in(user, PASSWORD)  # and offline, by the local row
    ws.close()
