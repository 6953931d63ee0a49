"""Online sign-in: the staff member's own PostgreSQL role is the credential. A central
database that answers "wrong password" refuses the sign-in; one that cannot be reached
leaves the decision to the verifier cached at the last online sign-in."""

from __future__ import annotations

from enum import Enum

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.db.central_schema import central_table
from app.models import Base

# invalid_authorization_specification, invalid_password (role unknown, wrong password,
# refused by pg_hba.conf): the server has answered, the answer is no.
REFUSED_STATES = ("28000", "28P01")


class Login(Enum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"


def has_credentials(url: str) -> bool:
    """A URL with a password in it is a development set-up (one shared account, as the
    tests and the two-desk demo use); a production URL names only host and database."""
    return make_url(url).password is not None


def personal_url(url: str, username: str, password: str) -> str:
    """The central URL with the staff member's own credentials: kept in memory only."""
    return make_url(url).set(username=username, password=password).render_as_string(
        hide_password=False)


def check(url: str, timeout: int = 5) -> Login:
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": timeout})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return Login.ACCEPTED
    except DBAPIError as exc:
        state = getattr(exc.orig, "sqlstate", None)
        message = str(exc.orig or exc)
        if state in REFUSED_STATES or "password authentication failed" in message:
            return Login.REFUSED
        return Login.UNREACHABLE
    except OSError:
        return Login.UNREACHABLE
    finally:
        engine.dispose()


def fetch_staff(url: str, local: Engine, username: str) -> bool:
    """A new workstation knows no staff yet: copy the signed-in staff member's row, their
    service point and team from the centre (the first sync brings the rest)."""
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            staff = central_table("staff")
            row = conn.execute(select(staff).where(staff.c.username == username)
                               ).mappings().first()
            if row is None:
                return False
            rows = {"staff": [dict(row)]}
            for name, key in (("service_point", "service_point_id"), ("team", "team_id")):
                table = central_table(name)
                if row[key]:
                    rows[name] = [dict(r) for r in conn.execute(
                        select(table).where(table.c.id == row[key])).mappings()]
    finally:
        engine.dispose()
    with local.begin() as conn:
        for name in ("service_point", "team", "staff"):
            table = Base.metadata.tables[name]
            for values in rows.get(name, []):
                values = {c.name: values[c.name] for c in table.columns if c.name in values}
                stmt = sqlite_insert(table).values(**values)
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=[table.c.id],
                    set_={k: v for k, v in values.items() if k != "id"}))
    return True
