"""Small, explicit fixtures: an organisation with one account per role, and customers."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import text

from app.models import ServicePoint, Staff, StaffCredential, Team
from app.rules import hetu
from app.rules.codes import Role, ServiceArea, ServicePointMode
from app.rules.customer import CustomerInput
from app.services.registry import Services

PASSWORD = "demo"
_VERIFIER: str | None = None
# The accounts' verifier is argon2id as the application's (`hash_password`), with the
# cost turned down: its parameters travel in the verifier, so every sign-in of a test
# checks it at that cost, about 1 ms instead of a quarter of a second (hundreds of tests
# sign in). Verifiers the application makes keep its own cost.
_TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def verifier() -> str:
    global _VERIFIER
    if _VERIFIER is None:
        _VERIFIER = _TEST_HASHER.hash(PASSWORD)
    return _VERIFIER


_TEMPLATE: Path | None = None


def _template() -> Path:
    """A database migrated to head with `seed_org`'s organisation, made once per test
    process (a migration from nothing takes most of a second); each test gets a copy.
    Its HLC node is taken out, so every copy makes a node of its own at open, as a new
    database would."""
    global _TEMPLATE
    if _TEMPLATE is None or not _TEMPLATE.exists():
        folder = Path(tempfile.mkdtemp(prefix="desk-test-template-"))
        atexit.register(shutil.rmtree, folder, True)
        services = Services.open(folder / "desk.sqlite3", "test-ws")
        seed_org(services)
        with services.ctx.engine.begin() as conn:
            conn.execute(text("DELETE FROM local_setting WHERE key = 'hlc_node'"))
        services.close()  # the last connection closed: the WAL is checkpointed into the file
        _TEMPLATE = folder / "desk.sqlite3"
    return _TEMPLATE


def open_services(tmp_path: Path) -> Services:
    """A new workstation's database with `seed_org`'s organisation: what
    `Services.open` and `seed_org` make, copied from `_template`."""
    path = tmp_path / "desk.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)  # as Services.open makes it
    shutil.copyfile(_template(), path)
    return Services.open(path, "test-ws")


def seed_org(services: Services) -> None:
    with services.ctx.session_factory.begin() as s:
        rov = ServicePoint(id="sp-rov", code="ROV", name="Rovaniemi – Osaamo",
                           municipality="Rovaniemi", mode=ServicePointMode.WALK_IN)
        team = Team(id="team-1", name="Työnvälitys", service_area=ServiceArea.FINDING_WORK)
        s.add_all([rov, team])
        s.flush()
        for username, role, name in (
            ("desk", Role.DESK, "Tiina Tiski"),
            ("coach", Role.COACH, "Pekka Ylitalo"),
            ("lead", Role.TEAM_LEAD, "Liisa Lead"),
            ("admin", Role.ADMIN, "Aapo Admin"),
        ):
            staff = Staff(id=f"staff-{username}", username=username, full_name=name, role=role,
                          team_id=team.id, service_point_id=rov.id)
            s.add(staff)
            s.flush()
            s.add(StaffCredential(staff_id=staff.id, verifier=verifier()))


def customer_input(
    last: str, first: str, born: date, individual: int, **kw: object
) -> CustomerInput:
    return CustomerInput(
        last_name=last, first_names=first, hetu=hetu.make(born, individual),
        home_municipality="Rovaniemi", **kw,  # type: ignore[arg-type]
    )


PEOPLE = (
    ("Mäkelä", "Aino Maria", date(1985, 3, 12), 124),
    ("Virtanen", "Matti", date(1990, 7, 1), 235),
    ("Aikio", "Áilu", date(1978, 11, 23), 347),
    ("Guttorm", "Máret Čuovga", date(2001, 5, 30), 456),
    ("Korhonen", "Ville", date(1969, 1, 15), 571),
)


def add_people(services: Services) -> list[str]:
    ids = []
    for last, first, born, individual in PEOPLE:
        card = services.customers.create(
            customer_input(last, first, born, individual, unemployed_since=date(2026, 6, 1))
        )
        ids.append(card.id)
    return ids


class Clock:
    """A settable clock for the services (`ctx.now`): waiting times become exact."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 10.00 in Helsinki

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


# The seeded staff as PostgreSQL logins: for the tests that sync as the real roles.
STAFF_ROLES = {"desk": Role.DESK, "coach": Role.COACH, "lead": Role.TEAM_LEAD,
               "admin": Role.ADMIN}


def ensure_staff_logins(url: str) -> None:
    """Give the seeded staff ("desk", "coach", "lead", "admin", password "demo") their own
    LOGIN roles on the database of `url` (a superuser's, after `upgrade_central`, which
    makes the group roles). Roles are cluster-wide and shared by every test (and by a
    run going on at the same time): each is made once if missing and never dropped; an
    existing one gets its group, its password again and CONNECT on this database."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError

    from app.db.central_roles import GROUP_OF, create_login_role, scram_verifier

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        for username, role in STAFF_ROLES.items():
            with engine.connect() as conn:
                exists = conn.exec_driver_sql(
                    f"SELECT 1 FROM pg_roles WHERE rolname = '{username}'").scalar()
            if not exists:
                try:
                    create_login_role(engine, username, PASSWORD, role)
                    continue
                except DBAPIError as exc:  # made meanwhile by another run: as existing
                    if "already exists" not in str(exc.orig):
                        raise
            with engine.connect() as conn:
                database = conn.exec_driver_sql("SELECT current_database()").scalar()
                conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO "{username}"')
                conn.exec_driver_sql(f'GRANT {GROUP_OF[role]} TO "{username}"')
                conn.exec_driver_sql(f"ALTER ROLE \"{username}\" LOGIN PASSWORD "
                                     f"'{scram_verifier(PASSWORD)}'")
    finally:
        engine.dispose()
