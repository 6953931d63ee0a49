"""A stateful model (hypothesis) of desks, the network and crashes, synced as the REAL
staff roles: after the organisation's seed (by the superuser, as `central init
--seed-from` would be by an administrator) every workstation syncs with its signed-in
staff member's own PostgreSQL login. Workstations are shared: the desk, the coach and
the team lead sign out and in between steps, on line or off. Rules edit phones and (a
coach or a lead) barriers, go off and on line, switch user, sync, lose a push
acknowledgement, and crash; at the end of each run, once quiet, every workstation holds
exactly what the centre holds of its scope as its users read it, and no write is lost
or refused (tests/integration/test_sync.py `assert_converged`).

Sizes: DESK_CHAOS_CLIENTS workstations, DESK_CHAOS_STEPS steps per run (rules called),
DESK_CHAOS_EXAMPLES runs. DESK_TEST_SEED, when set, seeds hypothesis (`@seed`): `make
chaos` runs one seed per process, so each seed is replayable on its own. Runs of more
than 100 steps are not shrunk (a failure prints its seed and steps as they came)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app.db.migrate import upgrade_central
from app.models import Customer
from app.rules.codes import Role
from app.rules.groups import Barrier
from app.sync import push as push_mod
from app.sync.engine import central_engine
from tests.factories import add_people, ensure_staff_logins
from tests.integration.test_sync import Desk, assert_converged

CLIENTS = int(os.environ.get("DESK_CHAOS_CLIENTS", "3"))
STEPS = int(os.environ.get("DESK_CHAOS_STEPS", "20"))
EXAMPLES = int(os.environ.get("DESK_CHAOS_EXAMPLES", "3"))
SEED = os.environ.get("DESK_TEST_SEED")
USERS = ("desk", "coach", "lead")
BARRIERS = sorted(b.value for b in Barrier)


@pytest.fixture
def model_env(pg_server_url, tmp_path):
    return pg_server_url, tmp_path


def test_stateful_sync_model(model_env):
    server_url, tmp_root = model_env
    print(f"\nDESK_CHAOS_CLIENTS={CLIENTS} DESK_CHAOS_STEPS={STEPS} "
          f"DESK_CHAOS_EXAMPLES={EXAMPLES} DESK_TEST_SEED={SEED} "
          "(hypothesis prints the failing example)")

    class SyncModel(RuleBasedStateMachine):
        @initialize()
        def start(self):
            name = f"model_{uuid.uuid4().hex[:10]}"
            self.admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            self.db_name = name
            url = make_url(server_url).set(database=name).render_as_string(
                hide_password=False)
            upgrade_central(url)
            ensure_staff_logins(url)
            self.central = central_engine(url)
            self.folder = Path(tmp_root) / name
            self.folder.mkdir()
            self.desks: list[Desk] = []
            # The organisation's seed, by the superuser; from here on the staff's own roles.
            seeder = Desk(self.folder, "seed", self.central, seed=True)
            seeder.sign_in("admin")
            add_people(seeder.services)
            seeder.sync()
            seeder.close()
            self.logins: dict = {}
            for i in range(CLIENTS):
                # A new workstation: the first user signs in on line (the staff row is
                # fetched), the first sync is theirs. Workstation 0 is shared from the start.
                desk = Desk(self.folder, f"m{i}", self.central, as_staff=True,
                            logins=self.logins)
                self.desks.append(desk)
                desk.sign_in(USERS[i % 2])
                desk.sync()
                if i == 0:
                    desk.sign_in("coach" if USERS[i % 2] == "desk" else "desk")
                    desk.sync()
            self.written: set[tuple[str, str]] = set()  # (customer id, phone) committed
            self.steps = -1  # the invariant below runs once after `start`, then per step

        @invariant()
        def count_step(self):
            """Counts the steps hypothesis really ran (it may stop a run before
            `stateful_step_count`), so a long run's record says how long it was."""
            self.steps += 1

        def _customers(self, desk):
            with desk.services.ctx.session_factory() as s:
                return list(s.scalars(select(Customer.id).order_by(Customer.id)))

        @rule(i=st.integers(0, CLIENTS - 1), pick=st.integers(0, 4),
              phone=st.integers(0, 9999))
        def edit_phone(self, i, pick, phone):
            desk = self.desks[i]
            ids = self._customers(desk)
            customer_id = ids[pick % len(ids)]
            form = desk.services.customers.edit_form(customer_id)
            form.phone = f"040 123 {phone:04d}"
            desk.services.customers.update(customer_id, form,
                                           desk.services.customers.get(customer_id).revision)
            self.written.add((customer_id, form.phone))

        @rule(i=st.integers(0, CLIENTS - 1), pick=st.integers(0, 4),
              barriers=st.sets(st.sampled_from(BARRIERS), max_size=3))
        def set_barriers(self, i, pick, barriers):
            """Case work: a coach's or a lead's only; a desk's workstation never holds it."""
            desk = self.desks[i]
            if desk.services.ctx.signed_in.role == Role.DESK:
                return
            ids = self._customers(desk)
            desk.services.coaching.set_barriers(ids[pick % len(ids)], set(barriers))

        @rule(i=st.integers(0, CLIENTS - 1), user=st.sampled_from(USERS))
        def switch_user(self, i, user):
            """Sign out, and the next staff member signs in (on line, or off line with the
            verifier of an earlier on-line sign-in here: a stranger waits for the network)."""
            desk = self.desks[i]
            if not desk.online and user not in desk.users:
                return
            desk.sign_in(user)

        @rule(i=st.integers(0, CLIENTS - 1))
        def toggle_network(self, i):
            self.desks[i].online = not self.desks[i].online

        @precondition(lambda self: any(d.online for d in self.desks))
        @rule(i=st.integers(0, CLIENTS - 1))
        def sync(self, i):
            if self.desks[i].online:
                self.desks[i].sync()

        @rule(i=st.integers(0, CLIENTS - 1))
        def lose_acknowledgement(self, i):
            """The centre commits a batch but the answer never arrives."""
            desk = self.desks[i]
            if not desk.online:
                return
            engine = desk.engine
            entries = push_mod.pending(desk.services.ctx.engine, 50, engine.authors)
            if entries:
                push_mod.push_batch(engine.central, entries, engine.node,
                                    push_mod.PushResult())

        @rule(i=st.integers(0, CLIENTS - 1))
        def crash(self, i):
            desk = self.desks[i]
            user = desk.services.ctx.signed_in.username
            self.desks[i] = desk.restart(user)  # signs in again, on line or off

        def teardown(self):
            try:
                assert_converged(self.central, *self.desks)
                print(f"model converged: {self.steps} rules after the start, "
                      f"{len(self.desks)} desks")
                with self.central.connect() as conn:
                    conflicts = conn.execute(text(
                        "SELECT row_id, client_value FROM sync_conflict")).all()
                    phones = dict(conn.execute(text("SELECT id, phone FROM customer")).all())
                # Every committed phone is either the central value or kept in a conflict.
                kept = {(row_id, value.strip('"')) for row_id, value in conflicts}
                for customer_id, phone in self.written:
                    later = phones[customer_id] == phone or (customer_id, phone) in kept
                    overwritten = any(c == customer_id and p != phone
                                      for c, p in self.written)
                    assert later or overwritten, (customer_id, phone)
            finally:
                for desk in self.desks:
                    desk.close(dispose=False)
                for engine in self.logins.values():
                    engine.dispose()
                self.central.dispose()
                with self.admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'))
                self.admin.dispose()

    phases = list(Phase) if STEPS <= 100 else [p for p in Phase if p is not Phase.shrink]
    SyncModel.TestCase.settings = settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, phases=phases,
        suppress_health_check=list(HealthCheck), database=None if SEED else settings().database)
    if SEED is not None:
        seed(int(SEED))(SyncModel)
    SyncModel.TestCase().runTest()
