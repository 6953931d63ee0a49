"""Staff members' own PostgreSQL roles: each a LOGIN member of the group role that
matches their application role (groups, grants and policies: central migration c0040).

The password is sent as a SCRAM-SHA-256 verifier computed here, so the plain password
never reaches the server's statement log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from sqlalchemy import Engine, text

from app.rules.codes import Role

GROUP_OF: dict[Role, str] = {
    Role.DESK: "desk_desk",
    Role.COACH: "desk_coach",
    Role.TEAM_LEAD: "desk_team_lead",
    Role.ADMIN: "desk_admin",
    Role.PARTNER: "desk_partner",  # central c0115: reach by the customer's consent
}
_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,62}$")


def valid_username(username: str) -> bool:
    """Application usernames double as PostgreSQL role names (lower case, no quoting
    surprises, at most 63 bytes)."""
    return bool(_NAME.match(username))


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The verifier PostgreSQL stores for SCRAM-SHA-256 (RFC 5802 / 7677)."""
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    b64 = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _quote(name: str) -> str:
    if not valid_username(name):
        raise ValueError(f"not a valid role name: {name!r}")
    return '"' + name + '"'


def create_login_role(engine: Engine, username: str, password: str, role: Role) -> None:
    """CREATE ROLE username LOGIN IN ROLE <group>; run with an administrator's connection
    (CREATEROLE). The verifier is a literal: CREATE ROLE takes no bind parameters."""
    verifier = scram_verifier(password)
    with engine.begin() as conn:
        # exec_driver_sql: the verifier's colons are not bind parameters.
        conn.exec_driver_sql(f"CREATE ROLE {_quote(username)} LOGIN PASSWORD '{verifier}' "
                             f"IN ROLE {GROUP_OF[role]}")
        # The group roles are cluster-wide: CONNECT is the login's own, to this area's
        # database only (PUBLIC has none, central migration c0050).
        database = conn.exec_driver_sql("SELECT current_database()").scalar()
        conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO {_quote(username)}')


def create_messenger_login(engine: Engine, username: str, password: str) -> None:
    """The messenger's own login (#23, app/messenger): LOGIN IN ROLE desk_messenger
    (central c0105), with CONNECT on this area's database only. Run with an
    administrator's connection (CREATEROLE)."""
    verifier = scram_verifier(password)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {_quote(username)} LOGIN PASSWORD '{verifier}' "
                             f"IN ROLE desk_messenger")
        database = conn.exec_driver_sql("SELECT current_database()").scalar()
        conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO {_quote(username)}')


def set_login_password(engine: Engine, username: str, password: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ALTER ROLE {_quote(username)} PASSWORD "
                             f"'{scram_verifier(password)}'")


def disable_login(engine: Engine, username: str) -> None:
    """A staff member who has left: their role may no longer sign in (kept, not dropped,
    so that the trail's db_role still names an existing role)."""
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ALTER ROLE {_quote(username)} NOLOGIN")


def drop_login_role(engine: Engine, username: str) -> None:
    with engine.begin() as conn:
        if conn.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{username}'"
                                ).scalar():
            database = conn.exec_driver_sql("SELECT current_database()").scalar()
            conn.exec_driver_sql(
                f'REVOKE ALL ON DATABASE "{database}" FROM {_quote(username)}')
        conn.exec_driver_sql(f"DROP ROLE IF EXISTS {_quote(username)}")


def role_exists(engine: Engine, username: str) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                                 {"n": username}).scalar())
