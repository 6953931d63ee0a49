"""Synchronisation against a real PostgreSQL: push, pull, merge, conflicts, convergence."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, text

from app.db.migrate import upgrade_central
from app.models import OutboxEntry, SyncConflict
from app.rules.customer import CustomerInput
from app.services.registry import Services
from app.sync.digest import central_digest, local_digest
from app.sync.engine import SyncEngine, central_engine
from tests.factories import Clock, customer_input, seed_org

COMPARED = ["service_point", "team", "staff", "customer", "queue_ticket", "visit",
            "desk_duty", "sync_conflict", "job_search_period", "customer_merge",
            "service_provider", "service_contract", "contact_preference", "message",
            "message_template", "messenger_heartbeat", "partner_org", "partner_person",
            "customer_consent", "meeting_participant", "meeting_task", "plan_participant",
            "queue_service"]


@pytest.fixture
def central(pg_url):
    upgrade_central(pg_url)
    engine = central_engine(pg_url)
    yield engine
    engine.dispose()


class Desk:
    """One workstation: its own SQLite file, its services and its sync engine.

    By default it syncs over `central` itself (the superuser of DESK_TEST_PG_URL, the
    development set-up's one shared account: everyone's entries, every row). With
    `as_staff=True` it syncs as the real staff roles (tests/factories.py
    `ensure_staff_logins`): each sign-in is the app's own (online: checked against the
    user's PostgreSQL login, the staff row fetched on a new workstation; offline, with
    `online` False: the local verifier) and makes the session's engine, which connects
    with the user's own URL (`personal_url`) and pushes the entries `SyncService.pushed_by`
    gives that URL. Signed out, such a desk does not sync. `users`: who signed in here;
    what they may read is this workstation's scope (`assert_converged`)."""

    def __init__(self, tmp_path, name, central, seed=False, as_staff=False, logins=None):
        self.tmp_path, self.name, self.central = tmp_path, name, central
        self.services = Services.open(tmp_path / f"{name}.sqlite3", name)
        if seed:
            seed_org(self.services)
        self.as_staff = as_staff
        self.online = True
        self.users: set[str] = set()
        # The staff logins' engines, shared by the desks of one test: {username: Engine}.
        self.logins = {} if logins is None else logins
        self._own_logins = logins is None
        self.engine = SyncEngine(self.services.ctx.engine, central, name,
                                 point_code="ROV", observe=self.services.ctx.clock.observe,
                                 authors=frozenset() if as_staff else None)

    def sync(self):
        if self.as_staff:
            assert self.online, f"{self.name} is off line"
            assert self.services.ctx.actor is not None, f"nobody is signed in on {self.name}"
        return self.engine.sync_once()

    def sign_in(self, user="coach"):
        if not self.as_staff:
            self.services.auth.sign_in(user, "demo")
            return self.services
        return self._sign_in_as_staff(user)

    def _sign_in_as_staff(self, user):
        from sqlalchemy.engine import URL

        from app.sync.central_login import personal_url
        from tests.factories import PASSWORD

        auth = self.services.auth
        if self.services.ctx.actor is not None:
            auth.sign_out()
        full = self.central.url
        base = URL.create(full.drivername, host=full.host, port=full.port,
                          database=full.database)
        auth.central_url = (base if self.online else base.set(port=1)).render_as_string()
        actor = auth.sign_in(user, PASSWORD)
        assert auth.online_sign_in is self.online, (self.name, user, self.online)
        url = personal_url(base.render_as_string(), user, PASSWORD)
        authors = self.services.sync.pushed_by(url)
        assert authors == frozenset({actor.staff_id, None}), authors
        if user not in self.logins:
            self.logins[user] = central_engine(url)
        self.engine = SyncEngine(self.services.ctx.engine, self.logins[user], self.name,
                                 point_code="ROV", observe=self.services.ctx.clock.observe,
                                 authors=authors)
        self.users.add(user)
        return self.services

    def sign_out(self):
        self.services.auth.sign_out()

    def restart(self, user=None):
        """The process dies and starts again: the SQLite file stays (and who signed in
        here, for the scope); `user` signs in again, if given."""
        self.close(dispose=False)
        again = Desk(self.tmp_path, self.name, self.central, as_staff=self.as_staff,
                     logins=self.logins)
        again._own_logins, again.online, again.users = (
            self._own_logins, self.online, set(self.users))
        if user is not None:
            again.sign_in(user)
        return again

    def close(self, dispose=True):
        self.services.close()
        if dispose and self._own_logins:
            for engine in self.logins.values():
                engine.dispose()
            self.logins.clear()


@pytest.fixture
def desks(tmp_path, central):
    made = []
    logins: dict = {}

    def make(name, seed=False, as_staff=False):
        desk = Desk(tmp_path, name, central, seed, as_staff=as_staff, logins=logins)
        made.append(desk)
        return desk

    yield make
    for desk in made:
        desk.close()
    for engine in logins.values():
        engine.dispose()


def pending(desk):
    with desk.services.ctx.session_factory() as s:
        return s.scalars(select(OutboxEntry)).all()


def test_a_new_workstation_gets_everything_of_its_scope(desks, central):
    a = desks("a", seed=True)
    a.sign_in().customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    a.sync()
    assert pending(a) == []
    b = desks("b")
    seen = []
    report = b.engine.sync_once(progress=lambda done, total: seen.append((done, total)))
    assert report.pulled > 0 and seen and seen[-1][0] == seen[-1][1]
    _copy_credentials(a, b)
    assert b.sign_in().customers.count("") == 1
    assert local_digest(b.services.ctx.engine, ["customer"]) == local_digest(
        a.services.ctx.engine, ["customer"])


def test_two_desks_edit_offline_and_converge(desks, central):
    a = desks("a", seed=True)
    card = a.sign_in().customers.create(
        customer_input("Virtanen", "Matti", date(1990, 7, 1), 235))
    a.sync()
    b = desks("b")
    b.sync()
    _copy_credentials(a, b)
    b.sign_in()
    # Offline, both edit the same customer: different fields.
    form_a = a.services.customers.edit_form(card.id)
    form_a.phone = "040 111 2222"
    a.services.customers.update(card.id, form_a, a.services.customers.get(card.id).revision)
    form_b = b.services.customers.edit_form(card.id)
    form_b.email = "matti@example.fi"
    b.services.customers.update(card.id, form_b, b.services.customers.get(card.id).revision)
    for _ in range(2):
        a.sync()
        b.sync()
    assert a.services.customers.get(card.id).phone == "040 111 2222"
    assert a.services.customers.get(card.id).email == "matti@example.fi"
    assert_converged(central, a, b)
    with a.services.ctx.session_factory() as s:
        assert s.scalars(select(SyncConflict)).all() == []


def test_same_field_gives_exactly_one_conflict_with_both_values(desks, central):
    a, b, card = _two_desks_edit_the_same_phone(desks)
    a.sync()
    b.sync()
    a.sync()
    with central.connect() as conn:
        rows = conn.execute(text(
            "SELECT field, central_value, client_value FROM sync_conflict")).all()
    assert len(rows) == 1
    field, central_value, client_value = rows[0]
    assert field == "phone"
    assert {json.loads(central_value), json.loads(client_value)} == {
        "040 111 1111", "050 222 2222"}
    # Both desks end with the central value and see the conflict to resolve.
    assert a.services.customers.get(card.id).phone == b.services.customers.get(card.id).phone
    with b.services.ctx.session_factory() as s:
        assert len(s.scalars(select(SyncConflict)).all()) == 1
    assert_converged(central, a, b)


def test_queue_ticket_furthest_state_wins(desks, central):
    a = desks("a", seed=True)
    qa = a.sign_in().queue
    qa.set_workstation("1", "A")
    clock = Clock()
    a.services.ctx.now = clock
    qa.start_duty()
    ticket = qa.register_walk_in(None, "information")
    a.sync()
    b = desks("b")
    b.sync()
    _copy_credentials(a, b)
    b.services.ctx.now = clock
    qb = b.sign_in("desk").queue
    qb.set_workstation("2", "B")
    qb.start_duty()
    # Offline: desk A calls and starts serving; desk B calls the same ticket.
    qa.call(ticket.id)
    qa.start(ticket.id)
    qb.call(ticket.id)
    b.sync()
    a.sync()
    b.sync()
    with central.connect() as conn:
        state, desk = conn.execute(text(
            "SELECT state, desk FROM queue_ticket WHERE id = :i"), {"i": ticket.id}).one()
    assert (state, desk) == ("serving", "1")
    assert_converged(central, a, b)


def test_resent_batch_is_harmless(desks, central):
    from app.sync.push import PushResult, push_batch
    from app.sync.push import pending as outbox_pending

    a = desks("a", seed=True)
    a.sign_in().customers.create(customer_input("Aikio", "Áilu", date(1978, 11, 23), 347))
    entries = outbox_pending(a.services.ctx.engine, 1000)
    # The first delivery commits centrally but its acknowledgement is lost...
    push_batch(central, entries, "a", PushResult())
    # ...so the whole batch is sent again: every entry is recognised, nothing doubles.
    again = PushResult()
    push_batch(central, entries, "a", again)
    assert again.duplicates == len(entries) and again.sent == 0
    a.sync()
    with central.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM customer")).scalar() == 1
    assert_converged(central, a)


def test_invalid_entry_is_rejected_kept_and_the_rest_goes_through(desks, central):
    a = desks("a", seed=True)
    services = a.sign_in()
    services.customers.create(customer_input("Korhonen", "Ville", date(1969, 1, 15), 571))
    with services.ctx.session_factory.begin() as s:
        entry = s.scalars(select(OutboxEntry).where(
            OutboxEntry.table_name == "customer")).one()
        fields = json.loads(entry.fields)
        fields["first_names"] = ""  # fails the central CHECK constraint
        entry.fields = json.dumps(fields)
    report = a.sync()
    assert report.rejected == 1
    left = pending(a)
    assert [(e.table_name, e.status) for e in left] == [("customer", "rejected")]
    assert "ck_customer_named" in left[0].last_error


def test_append_only_refused_centrally(central):
    with pytest.raises(Exception, match="append-only"), central.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit_event (id, at, workstation, action, entity, version, hlc,"
            " updated_at) VALUES ('x', now(), 'w', 'a', 'e', 0, '', now())"))
        conn.execute(text("UPDATE audit_event SET action = 'b' WHERE id = 'x'"))


def test_cursor_never_skips_a_slow_transaction(desks, central, pg_url):
    """A row written by a transaction that commits after a later one is still pulled."""
    a = desks("a", seed=True)
    a.sync()
    b = desks("b")
    b.sync()
    slow = central.connect()
    slow_tx = slow.begin()
    slow.execute(text(
        "INSERT INTO team (id, name, service_area, version, hlc, updated_at)"
        " VALUES ('slow', 'Slow team', 'skills', 0, '', now())"))
    with central.begin() as conn:
        conn.execute(text(
            "INSERT INTO team (id, name, service_area, version, hlc, updated_at)"
            " VALUES ('fast', 'Fast team', 'skills', 0, '', now())"))
    b.sync()  # the fast row is held back while an older transaction is open
    slow_tx.commit()
    slow.close()
    b.sync()
    with b.services.ctx.session_factory() as s:
        from app.models import Team

        names = set(s.scalars(select(Team.name)))
    assert {"Slow team", "Fast team"} <= names


def _two_desks_edit_the_same_phone(desks):
    """Desk A registers a customer and both desks, apart, change the phone number."""
    a = desks("a", seed=True)
    card = a.sign_in().customers.create(
        customer_input("Virtanen", "Matti", date(1990, 7, 1), 235))
    a.sync()
    b = desks("b")
    b.sync()
    _copy_credentials(a, b)
    b.sign_in()
    for desk, phone in ((a, "040 111 1111"), (b, "050 222 2222")):
        form = desk.services.customers.edit_form(card.id)
        form.phone = phone
        desk.services.customers.update(card.id, form,
                                       desk.services.customers.get(card.id).revision)
    return a, b, card


def _copy_credentials(a, b):
    """Sign-in verifiers are local only (the sign-in issue fetches them on first online
    sign-in); tests copy them across."""
    from app.models import StaffCredential

    with a.services.ctx.session_factory() as s:
        creds = [(c.staff_id, c.verifier) for c in s.scalars(select(StaffCredential))]
    with b.services.ctx.session_factory.begin() as s:
        for staff_id, verifier in creds:
            s.merge(StaffCredential(staff_id=staff_id, verifier=verifier))


def assert_converged(central, *desks):
    """Once quiet (every desk pushed and pulled twice), nothing is waiting and every
    desk holds exactly the central rows of its scope. Desks syncing as the real staff
    roles (`as_staff`): see `_assert_converged_as_staff`."""
    if any(desk.as_staff for desk in desks):
        assert all(desk.as_staff for desk in desks), "compare staff desks on their own"
        _assert_converged_as_staff(central, desks)
        return
    for _ in range(2):
        for desk in desks:
            desk.sync()
    point = desks[0].engine.point_id()
    expected = central_digest(central, point, COMPARED)
    for desk in desks:
        assert [e for e in pending(desk) if e.status == "pending"] == []
        assert local_digest(desk.services.ctx.engine, COMPARED) == expected, desk.engine.node


# Case work: what a desk's workstation must not hold, a coach's must.
CASE_WORK = ["customer_barrier", "customer_note", "plan", "case_facts", "referral",
             "support_decision", "effect_followup"]
# The audit actions that write a row (entity_id: the row), for its `updated_by`.
WRITES = {"customer": ("customer.create", "customer.update"),
          "queue_ticket": ("queue.",)}


def quiet_as_staff(desks, rounds=8):
    """Every user who signed in on a workstation signs in there again online and syncs,
    round after round, until none of the run's changes waits (the sign-in and sign-out
    trail rows of these rounds wait for their authors like any other), then once more so
    that everyone has pulled the last pushes. Returns the outbox entries still there."""
    # The run's entries by mutation id (an outbox seq is reused once the last is sent).
    marks = {desk.name: {e.mutation_id for e in pending(desk)} for desk in desks}
    for desk in desks:
        desk.online = True
    settled = False
    for _ in range(rounds):
        for desk in desks:
            for user in sorted(desk.users):
                desk.sign_in(user)
                desk.sync()
        if settled:
            break
        settled = not any(e.mutation_id in marks[desk.name]  # pending, or refused
                          for desk in desks for e in pending(desk))
    assert settled, {d.name: [(e.table_name, e.author, e.status, e.last_error)
                              for e in pending(d) if e.mutation_id in marks[d.name]]
                      for d in desks}
    return {desk.name: [e for e in pending(desk) if e.mutation_id not in marks[desk.name]]
            for desk in desks}


HIDDEN = object()  # a column the login may not read (app/db/central_trust.py WITHHELD)


def scope_rows(engine, name, point, mark_hidden=False):
    """{id: row} of table `name` in a workstation's scope, as `engine`'s login reads it
    (canonical values, as `db digest` compares them). A column the login may not read is
    None, as the workstation of a user who cannot read it holds it (`mark_hidden`:
    HIDDEN, for merging several users' views)."""
    from app.db.central_schema import central_table
    from app.models import Base
    from app.models.local_time import is_local_only
    from app.sync.columns import withheld
    from app.sync.digest import _canonical
    from app.sync.pull import scope

    local = Base.metadata.tables[name]
    table = central_table(name) if point else local
    # The workstation's own report columns (app.models.local_time) are not the centre's.
    names = [c.name for c in local.columns if not is_local_only(c)]
    with engine.connect() as conn:
        hidden = withheld(conn, name) if point else frozenset()
        shown = [n for n in names if n not in hidden]
        stmt = select(*(table.c[n] for n in shown))
        if point:
            stmt = stmt.where(scope(table, point))
        blank = HIDDEN if mark_hidden else None
        rows = {}
        for row in conn.execute(stmt):
            values = dict(zip(shown, row, strict=True))
            rows[values["id"]] = tuple(_canonical(values[n]) if n in values else blank
                                       for n in names)
        return rows


def _union_of_views(views):
    """Several users' scope_rows(mark_hidden=True) as one workstation holds them: a
    column one of them could read has its value; one none of them could, None."""
    union: dict = {}
    for rows in views:
        for rid, row in rows.items():
            known = union.get(rid)
            union[rid] = row if known is None else tuple(
                mine if theirs is HIDDEN else theirs for theirs, mine in zip(known, row,
                                                                              strict=True))
    return {rid: tuple(None if v is HIDDEN else v for v in row)
            for rid, row in union.items()}


def _assert_converged_as_staff(central, desks):
    """Per role: once quiet, each workstation holds exactly what the centre holds in its
    scope AS SEEN BY the users who signed in there (the union of their own logins'
    views: a desk-only workstation has no case work, a shared one has the coach's), each
    user's cursors having caught up. No write is lost or refused: nothing the run wrote
    waits or was rejected, every trail row reached the centre in its author's name
    (`staff_id` and the connection's `db_role`), and each customer and ticket was last
    stamped (`updated_by`) by someone who wrote it."""
    left = quiet_as_staff(desks)
    point = desks[0].engine.point_id()
    for desk in desks:
        for entry in left[desk.name]:  # only this quiet phase's own trail rows
            assert entry.table_name == "audit_event" and entry.status == "pending", (
                desk.name, entry.table_name, entry.status, entry.last_error)
        for table in COMPARED + CASE_WORK:
            expected = _union_of_views(
                scope_rows(desk.logins[user], table, point, mark_hidden=True)
                for user in sorted(desk.users))
            held = scope_rows(desk.services.ctx.engine, table, None)
            if held != expected:
                differ = [i for i in set(held) & set(expected) if held[i] != expected[i]]
                raise AssertionError(
                    f"{desk.name} ({sorted(desk.users)}) {table}: only local "
                    f"{sorted(set(held) - set(expected))}, only central "
                    f"{sorted(set(expected) - set(held))}, different {sorted(differ)}")
    waiting = {e.row_id for d in desks for e in left[d.name]}
    with central.connect() as conn:
        usernames = dict(conn.execute(text("SELECT id, username FROM staff")).all())
        trail = {r.id: r for r in conn.execute(text(
            "SELECT id, staff_id, db_role, action, entity, entity_id FROM audit_event"))}
        for table, actions in WRITES.items():
            writers: dict[str, set] = {}
            for r in trail.values():
                if r.entity == table and r.action.startswith(actions):
                    writers.setdefault(r.entity_id, set()).add(r.staff_id)
            for row_id, stamped in conn.execute(text(
                    f"SELECT id, updated_by FROM {table} WHERE updated_by IS NOT NULL")):
                assert stamped in writers.get(row_id, set()) | {"staff-admin"}, (
                    table, row_id, stamped, writers.get(row_id))
        barrier_writers: dict[str, set] = {}
        for r in trail.values():
            if r.action == "customer.barriers":
                barrier_writers.setdefault(r.entity_id, set()).add(r.staff_id)
        for customer_id, stamped in conn.execute(text(
                "SELECT customer_id, updated_by FROM customer_barrier")):
            assert stamped in barrier_writers.get(customer_id, set()), (customer_id, stamped)
    from app.models import AuditEvent

    for desk in desks:
        with desk.services.ctx.session_factory() as s:
            for event in s.scalars(select(AuditEvent)):
                if event.id in waiting:
                    continue
                assert event.id in trail, (desk.name, event.action, "never reached the centre")
                central_row = trail[event.id]
                assert central_row.staff_id == event.staff_id, (desk.name, event.action)
                if event.staff_id is not None:
                    assert central_row.db_role == usernames[event.staff_id], (
                        desk.name, event.action, central_row.db_role)


def _unused() -> CustomerInput:  # keeps the import used for type readers
    return CustomerInput()


def test_resolving_a_conflict_with_the_desks_value_reaches_every_desk(desks, central):
    a, b, card = _two_desks_edit_the_same_phone(desks)
    a.sync()
    b.sync()
    conflicts = b.services.sync.conflicts()
    assert [(c.field, c.record_label) for c in conflicts] == [("phone", "Virtanen, Matti")]
    b.services.sync.resolve(conflicts[0].id, "client")
    assert_converged(central, a, b)
    assert a.services.customers.get(card.id).phone == "050 222 2222"
    assert a.services.sync.conflicts() == []


def test_interrupted_first_sync_resumes_where_it_stopped(desks, central):
    from app.sync.pull import pull

    a = desks("a", seed=True)
    services = a.sign_in("admin")
    from tests.factories import add_people

    add_people(services)
    a.sync()
    b = desks("b")
    point = a.engine.point_id()
    pages = {"n": 0}

    def count_page(_seen: int, _total: int) -> None:
        pages["n"] += 1

    def stop_after_two_pages() -> bool:  # asked before each table too: count pages only
        return pages["n"] >= 2

    from app.sync.pull import remaining

    in_scope = remaining(central, b.services.ctx.engine, point)
    first = pull(b.services.ctx.engine, central, point, page=2, progress=count_page,
                 should_stop=stop_after_two_pages)
    assert 0 < first.rows < in_scope  # stopped part way, as a closed laptop would
    # Rows beyond the horizon (another session's transaction open) were applied, and the
    # cursor waits behind them: they remain to be read again.
    assert remaining(central, b.services.ctx.engine, point) == (
        in_scope - first.rows + first.beyond)
    rest = pull(b.services.ctx.engine, central, point, page=2)
    assert first.rows + rest.rows == in_scope  # resumed: nothing pulled twice, nothing missed
    assert local_digest(b.services.ctx.engine, COMPARED) == central_digest(
        central, point, COMPARED)
