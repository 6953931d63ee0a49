"""A stateful model (hypothesis) of desks, the network and crashes. Rules edit, go off
and on line, sync, lose a push acknowledgement, and crash; at the end of each run, once
quiet, every desk holds exactly the central rows of its scope and no write is lost."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app.db.migrate import upgrade_central
from app.models import Customer
from app.sync import push as push_mod
from app.sync.engine import central_engine
from tests.factories import add_people
from tests.integration.test_sync import Desk, _copy_credentials, assert_converged

CLIENTS = int(os.environ.get("DESK_CHAOS_CLIENTS", "3"))
STEPS = int(os.environ.get("DESK_CHAOS_STEPS", "60"))
EXAMPLES = int(os.environ.get("DESK_CHAOS_EXAMPLES", "3"))


@pytest.fixture
def model_env(pg_server_url, tmp_path):
    return pg_server_url, tmp_path


def test_stateful_sync_model(model_env):
    server_url, tmp_root = model_env
    print(f"\nDESK_CHAOS_CLIENTS={CLIENTS} DESK_CHAOS_STEPS={STEPS} "
          f"DESK_CHAOS_EXAMPLES={EXAMPLES} (hypothesis prints the failing example)")

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
            self.central = central_engine(url)
            self.folder = Path(tmp_root) / name
            self.folder.mkdir()
            first = Desk(self.folder, "m0", self.central, seed=True)
            first.sign_in("admin")
            add_people(first.services)
            first.sync()
            self.desks = [first]
            for i in range(1, CLIENTS):
                desk = Desk(self.folder, f"m{i}", self.central)
                desk.sync()
                _copy_credentials(first, desk)
                desk.sign_in("coach")
                self.desks.append(desk)
            self.online = [True] * CLIENTS
            self.written: set[tuple[str, str]] = set()  # (customer id, phone) committed

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

        @rule(i=st.integers(0, CLIENTS - 1))
        def toggle_network(self, i):
            self.online[i] = not self.online[i]

        @precondition(lambda self: any(self.online))
        @rule(i=st.integers(0, CLIENTS - 1))
        def sync(self, i):
            if self.online[i]:
                self.desks[i].sync()

        @rule(i=st.integers(0, CLIENTS - 1))
        def lose_acknowledgement(self, i):
            """The centre commits a batch but the answer never arrives."""
            if not self.online[i]:
                return
            desk = self.desks[i]
            entries = push_mod.pending(desk.services.ctx.engine, 50)
            if entries:
                push_mod.push_batch(self.central, entries, desk.engine.node,
                                    push_mod.PushResult())

        @rule(i=st.integers(0, CLIENTS - 1))
        def crash(self, i):
            desk = self.desks[i]
            name = desk.engine.node
            desk.close()
            self.desks[i] = Desk(self.folder, name, self.central)
            self.desks[i].sign_in("admin" if i == 0 else "coach")

        def teardown(self):
            try:
                assert_converged(self.central, *self.desks)
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
                    desk.close()
                self.central.dispose()
                with self.admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'))
                self.admin.dispose()

    SyncModel.TestCase.settings = settings(
        max_examples=EXAMPLES, stateful_step_count=max(5, STEPS // 3), deadline=None,
        suppress_health_check=list(HealthCheck))
    SyncModel.TestCase().runTest()
