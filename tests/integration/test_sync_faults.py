"""Faults with real processes and a real PostgreSQL: a desk killed with SIGKILL before,
during and after a push commit; a connection cut in the middle of a batch; a chaos run
of several desks. Afterwards, once quiet: no committed change lost, none applied twice,
and every desk holds what the centre holds of its scope.

Every desk syncs as the REAL staff roles (tests/integration/test_sync.py `Desk(as_staff=
True)`): the organisation's seed is the superuser's, from then on each signed-in staff
member syncs with their own PostgreSQL login, desk and coach sharing workstations.

Sizes and the seed come from DESK_TEST_SEED, DESK_CHAOS_CLIENTS, DESK_CHAOS_STEPS and
DESK_CHAOS_KILLS (the SIGKILL rounds per case; printed, so a failing run can be
replayed); the defaults keep `make test` quick."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from app.db.migrate import upgrade_central
from app.models import OutboxEntry, QueueTicket
from app.sync import push as push_mod
from app.sync.engine import central_engine
from tests.factories import Clock, add_people, customer_input, ensure_staff_logins
from tests.integration.test_sync import Desk, assert_converged

SEED = int(os.environ.get("DESK_TEST_SEED", str(random.randrange(1_000_000))))
CLIENTS = int(os.environ.get("DESK_CHAOS_CLIENTS", "3"))
STEPS = int(os.environ.get("DESK_CHAOS_STEPS", "60"))
KILLS = int(os.environ.get("DESK_CHAOS_KILLS", "3"))
WORKER = Path(__file__).with_name("sync_worker.py")


@pytest.fixture
def central(pg_url):
    upgrade_central(pg_url)
    ensure_staff_logins(pg_url)
    engine = central_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def say_seed():
    print(f"\nDESK_TEST_SEED={SEED} DESK_CHAOS_CLIENTS={CLIENTS} DESK_CHAOS_STEPS={STEPS} "
          f"DESK_CHAOS_KILLS={KILLS}")


def _central_tickets(central) -> dict[str, str]:
    with central.connect() as conn:
        return dict(conn.execute(text("SELECT id, state FROM queue_ticket")).all())


def _seeded(tmp_path, central):
    """The organisation and its customers, seeded by the superuser (as `central init
    --seed-from` by an administrator): the only sync that is not a staff member's own."""
    seeder = Desk(tmp_path, "seed", central, seed=True)
    seeder.sign_in("admin")
    add_people(seeder.services)
    seeder.sync()
    seeder.close()


def _prepared_desk(tmp_path, central, name, user="desk", logins=None):
    """A new workstation: `user` signs in on line (their staff row fetched) and makes its
    first sync with their own login."""
    desk = Desk(tmp_path, name, central, as_staff=True, logins=logins)
    desk.sign_in(user)
    desk.sync()
    return desk


@pytest.mark.parametrize("pause", [0.0, 0.4], ids=["random-moments", "after-central-commit"])
def test_desk_killed_mid_push_loses_nothing_and_doubles_nothing(tmp_path, central, pg_url,
                                                                pause):
    """The worker process signs in, on line, as the desk or the coach in turn (a shared
    workstation) and pushes with that one's own login: a killed one's changes wait in
    the outbox for their author's next session."""
    rng = random.Random(SEED)
    _seeded(tmp_path, central)
    first = _prepared_desk(tmp_path, central, "a", "desk")
    first.sign_in("coach")  # both have signed in here on line: both sync at the end
    first.sync()
    users = set(first.users)
    db = first.services.ctx.engine.url.database
    first.close()
    committed: set[str] = set()
    env = dict(os.environ, DESK_FAULT_PAUSE_AFTER_COMMIT=str(pause))
    for round_ in range(KILLS):
        user = ("desk", "coach")[round_ % 2]
        worker = subprocess.Popen(
            [sys.executable, str(WORKER), db, pg_url, "K", str(SEED + round_), user],
            stdout=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 20
        lines: list[str] = []
        wanted = "central-committed" if pause else "committed"
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
            if line.startswith(wanted) and rng.random() < 0.5:
                break
        worker.send_signal(signal.SIGKILL)
        rest, _ = worker.communicate(timeout=10)
        lines += rest.splitlines()
        assert worker.returncode == -signal.SIGKILL, lines[-5:]  # killed, not failed
        committed |= {ln.split()[1] for ln in lines if ln.startswith("committed ")}
    again = Desk(tmp_path, "a", central, as_staff=True)
    again.users = users
    assert_converged(central, again)
    tickets = _central_tickets(central)
    assert committed <= set(tickets), "a committed walk-in never reached the centre"
    with again.services.ctx.session_factory() as s:
        local = set(s.scalars(select(QueueTicket.id)))
        assert s.scalars(select(OutboxEntry).where(OutboxEntry.status != "pending")).all() == []
    assert local == set(tickets)  # none doubled, none missing
    again.close()


def test_connection_cut_mid_batch_rolls_back_and_retries(tmp_path, central, monkeypatch):
    _seeded(tmp_path, central)
    desk = _prepared_desk(tmp_path, central, "a", "coach")
    services = desk.services
    for i in range(5):
        services.customers.create(customer_input("Testi", f"Henkilö {chr(65 + i)}",
                                                 date(1980, 1, 1 + i), 200 + i))
    calls = {"n": 0}
    original = push_mod.apply

    def flaky(conn, entry, node, points):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))
        return original(conn, entry, node, points)

    def flaky_writes(conn, plans):  # the set-based batch: cut after part of its writes
        original_writes(conn, plans[:2])
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    original_writes = push_mod._run_writes
    monkeypatch.setattr(push_mod, "apply", flaky)
    monkeypatch.setattr(push_mod, "_run_writes", flaky_writes)
    with pytest.raises(OperationalError):
        desk.sync()
    with central.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM customer WHERE last_name = 'Testi'")
                            ).scalar() == 0  # nothing of the cut batch was kept
    monkeypatch.setattr(push_mod, "apply", original)
    monkeypatch.setattr(push_mod, "_run_writes", original_writes)
    assert_converged(central, desk)
    with central.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM customer WHERE last_name = 'Testi'")
                            ).scalar() == 5
    desk.close()


def test_chaos_of_several_desks_converges(tmp_path, central):
    """Desks edit the same customers and tickets while going on and off line at random;
    the desk and the coach share each workstation, signing out and in between steps."""
    rng = random.Random(SEED)
    _seeded(tmp_path, central)
    logins: dict = {}
    desks = [_prepared_desk(tmp_path, central, f"d{i}", "desk" if i % 2 else "coach",
                            logins) for i in range(CLIENTS)]
    clock = Clock()
    for i, desk in enumerate(desks):
        desk.services.ctx.now = clock
        queue = desk.services.queue
        queue.set_workstation(str(i + 1), "ABCDEFGHJK"[i])
        queue.start_duty()
    switches = 0
    for _step in range(STEPS):
        index = rng.randrange(len(desks))
        desk = desks[index]
        services = desk.services
        clock.advance(rng.random() * 3)
        action = rng.random()
        customers = [r.id for r in services.customers.page("").rows]
        if action < 0.25:
            services.queue.register_walk_in(rng.choice([*customers, None]),
                                            rng.choice(["information", "finding_work"]))
        elif action < 0.45:
            snapshot = services.queue.snapshot()
            movable = snapshot.waiting + snapshot.serving
            if movable:
                ticket = rng.choice(movable)
                try:
                    if ticket.state == "waiting":
                        services.queue.call(ticket.id)
                    elif ticket.state == "called":
                        services.queue.start(ticket.id)
                    else:
                        from app.dto.visits import VisitInput

                        services.queue.finish(ticket.id, VisitInput(ticket.service_area))
                except Exception:
                    pass
        elif action < 0.6 and customers:
            customer_id = rng.choice(customers)
            form = services.customers.edit_form(customer_id)
            form.phone = f"040 {rng.randrange(1000000):07d}"
            if rng.random() < 0.5:
                form.email = f"x{rng.randrange(99)}@example.fi"
            revision = services.customers.get(customer_id).revision
            services.customers.update(customer_id, form, revision)
        elif action < 0.7:
            desk.online = not desk.online
        elif action < 0.78:
            # The other staff member takes the workstation (off line: only one who has
            # signed in here on line before).
            now = services.ctx.signed_in.username
            other = "coach" if now == "desk" else "desk"
            if desk.online or other in desk.users:
                desk.sign_in(other)
                switches += 1
        elif action < 0.82:
            # Crash and restart: the process dies, the SQLite file stays.
            user = services.ctx.signed_in.username
            desk = desks[index] = desk.restart()
            desk.services.ctx.now = clock
            desk.sign_in(user)
        if desk.online and rng.random() < 0.5:
            desk.sync()
    assert_converged(central, *desks)
    with central.connect() as conn:
        conflicts = conn.execute(text("SELECT count(*) FROM sync_conflict")).scalar()
        doubles = conn.execute(text(
            "SELECT count(*) FROM (SELECT letter, number, count(*) FROM queue_ticket "
            "GROUP BY service_point_id, ticket_date, letter, number HAVING count(*) > 1) d"
        )).scalar()
    assert doubles == 0
    print(f"converged: {STEPS} steps, {CLIENTS} desks, {switches} user switches, "
          f"{conflicts} conflicts recorded")
    for desk in desks:
        desk.close(dispose=False)
    for engine in logins.values():
        engine.dispose()
