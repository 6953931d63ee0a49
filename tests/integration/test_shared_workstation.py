"""A shared workstation: each change reaches the centre with its author's own role and
under its author's name. A coach works offline and signs out; a desk signs in online:
the desk's sync sends nothing of the coach's and shows none of it, only a count; the
coach's next online session sends it all. And a refused change, once corrected or once
the centre allows it, is sent again and judged afresh (the counts say what happened)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import URL, make_url

from app.db.central_roles import drop_login_role
from app.db.migrate import upgrade_central
from app.models import OutboxEntry
from app.rules.codes import Role
from app.services.registry import Services
from app.sync.engine import SyncEngine, central_engine
from tests.factories import customer_input, seed_org
from tests.unit.test_plans import good_content

PASSWORD = "Oma-salasana-1"
SUMMARY = "Hakee ympärivuotista työtä."


class Area:
    """One workstation and a central database with a coach and a desk, each with their
    own PostgreSQL role; the workstation is configured with a URL without credentials."""

    def __init__(self, pg_url: str, tmp_path) -> None:
        upgrade_central(pg_url)
        self.admin = central_engine(pg_url)
        self.ws = Services.open(tmp_path / "ws.sqlite3", "ws")
        seed_org(self.ws)
        tag = uuid.uuid4().hex[:8]
        self.users = {"coach": f"t{tag}_coach", "desk": f"t{tag}_desk"}
        ws = self.ws
        ws.auth.sign_in("admin", "demo")
        coach = ws.staff.add(self.users["coach"], "Pekka Ylitalo", Role.COACH, "ROV",
                             PASSWORD, self.admin)
        desk = ws.staff.add(self.users["desk"], "Tiina Tiski", Role.DESK, "ROV", PASSWORD,
                            self.admin)
        self.ids = {"coach": coach.id, "desk": desk.id}
        self.card = ws.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12),
                                                       124, phone="040 100 1000"))
        ws.coaching.assign(self.card.id, coach.id, "Alkuhaastattelu")
        ws.auth.sign_out()
        SyncEngine(ws.ctx.engine, self.admin, "ws", "ROV").sync_once()  # the set-up, shared
        full = make_url(pg_url)
        self.url = URL.create(full.drivername, host=full.host, port=full.port,
                              database=full.database).render_as_string()
        self.engines: list[SyncEngine] = []

    def sign_in(self, name: str, online: bool = True) -> Services:
        self.ws.auth.central_url = (self.url if online
                                    else make_url(self.url).set(port=1).render_as_string())
        self.ws.auth.sign_in(self.users[name], PASSWORD)
        assert self.ws.auth.online_sign_in is online
        return self.ws

    def session_sync(self) -> SyncEngine:
        """The session's sync, as the desk's controller makes it: the worker's own URL."""
        url = self.ws.auth.session_url
        assert url is not None and make_url(url).username in self.users.values()
        engine = self.ws.sync.engine(url, "ROV")
        self.engines.append(engine)
        return engine

    def central(self, sql: str, **params):
        with self.admin.connect() as conn:
            return conn.execute(text(sql), params).all()

    def outbox(self, author: str) -> list[OutboxEntry]:
        with self.ws.ctx.session_factory() as s:
            return list(s.scalars(select(OutboxEntry).where(
                OutboxEntry.author == self.ids[author]).order_by(OutboxEntry.seq)))

    def close(self) -> None:
        for engine in self.engines:
            engine.central.dispose()
        self.ws.close()
        for user in self.users.values():
            drop_login_role(self.admin, user)
        self.admin.dispose()


@pytest.fixture
def area(pg_url, tmp_path):
    made = Area(pg_url, tmp_path)
    yield made
    made.close()


def edit_phone(services: Services, customer_id: str, phone: str) -> None:
    form = services.customers.edit_form(customer_id)
    form.phone = phone
    services.customers.update(customer_id, form, services.customers.get(customer_id).revision)


def test_the_coachs_offline_work_waits_for_the_coach_and_goes_under_the_coachs_name(area):
    from app.views.sync.page import others_text

    card = area.card.id
    ws = area.sign_in("coach", online=False)
    draft = ws.plans.create_plan(card, "employment")
    ws.plans.save_draft(draft.id, good_content(ws.ctx.today()), draft.revision)
    ws.coaching.set_barriers(card, {"debt", "health"})
    edit_phone(ws, card, "040 222 3333")
    ws.auth.sign_out()
    waiting = [e.seq for e in area.outbox("coach")]
    assert waiting

    area.sign_in("desk")
    report = area.session_sync().sync_once()
    assert report.rejected == 0
    coach = area.outbox("coach")
    assert [e.seq for e in coach] == waiting and {e.status for e in coach} == {"pending"}
    assert ws.sync.rejected() == []  # nothing of the coach's, refused or not
    others = ws.sync.others()
    assert (others.users, others.changes, others.refused) == (1, len(waiting), 0)
    assert others.oldest is not None
    shown = " ".join(others_text(others))
    assert "1" in shown and SUMMARY not in shown and "040 222 3333" not in shown
    assert ws.sync.counts().others == len(waiting)
    assert area.central("SELECT phone FROM customer WHERE id = :i", i=card) == [
        ("040 100 1000",)]
    assert area.central("SELECT count(*) FROM plan_version") == [(0,)]
    assert area.central("SELECT count(*) FROM customer_barrier") == [(0,)]
    ws.auth.sign_out()

    area.sign_in("coach")
    report = area.session_sync().sync_once()
    assert report.rejected == 0 and report.pushed >= len(waiting)
    assert area.outbox("coach") == [] and ws.sync.rejected() == []
    coach_id = area.ids["coach"]
    assert area.central("SELECT phone, updated_by FROM customer WHERE id = :i", i=card) == [
        ("040 222 3333", coach_id)]
    assert area.central("SELECT summary, updated_by FROM plan_version") == [
        (SUMMARY, coach_id)]
    assert area.central("SELECT barrier, updated_by FROM customer_barrier ORDER BY 1") == [
        ("debt", coach_id), ("health", coach_id)]
    assert area.central("SELECT DISTINCT staff_id FROM audit_event WHERE action IN "
                        "('customer.barriers', 'customer.update', 'plan.create')") == [
        (coach_id,)]
    # Each sign-in under its own name: the coach's offline one went with the coach's work.
    assert sorted(area.central("SELECT staff_id, count(*) FROM audit_event WHERE action = "
                               "'sign_in' AND staff_id <> 'staff-admin' GROUP BY 1")) == \
        sorted([(coach_id, 2), (area.ids["desk"], 1)])
    # The desk's own sign-out waits for the desk; the coach sees that, not what it is.
    assert ws.sync.others().users == 1 and ws.sync.others().changes == len(
        area.outbox("desk"))


def test_a_refused_change_corrected_or_allowed_is_sent_again_and_judged_afresh(area):
    card = area.card.id
    ws = area.sign_in("coach")
    sync = area.session_sync()
    sync.sync_once()
    with area.admin.begin() as conn:  # the centre refuses phones ending in 666
        conn.execute(text("ALTER TABLE customer ADD CONSTRAINT ck_test_no_666 "
                          "CHECK (phone NOT LIKE '%666')"))
    edit_phone(ws, card, "040 666 6666")
    report = sync.sync_once()
    assert report.rejected == 1
    [refused] = ws.sync.rejected()
    assert "ck_test_no_666" in refused.reason
    ws.sync.retry(refused.seq)  # as it is: refused again, counted as refused
    report = sync.sync_once()
    assert report.rejected == 1
    [refused] = ws.sync.rejected()

    edit_phone(ws, card, "040 777 7777")  # corrected, then sent again
    ws.sync.retry(refused.seq)
    report = sync.sync_once()
    assert report.rejected == 0 and report.pushed >= 2
    assert ws.sync.rejected() == [] and ws.sync.counts().rejected == 0
    assert area.central("SELECT phone FROM customer WHERE id = :i", i=card) == [
        ("040 777 7777",)]
    assert area.central("SELECT count(*) FROM sync_conflict") == [(0,)]

    edit_phone(ws, card, "040 666 0666")
    assert sync.sync_once().rejected == 1
    with area.admin.begin() as conn:  # the centre now allows it: the retry is applied
        conn.execute(text("ALTER TABLE customer DROP CONSTRAINT ck_test_no_666"))
    [refused] = ws.sync.rejected()
    ws.sync.retry(refused.seq)
    report = sync.sync_once()
    assert report.rejected == 0 and report.pushed >= 1
    assert ws.sync.rejected() == []
    assert area.central("SELECT phone, updated_by FROM customer WHERE id = :i", i=card) == [
        ("040 666 0666", area.ids["coach"])]
    # The centre remembers only what it took, never a refusal.
    assert area.central("SELECT count(*) FROM applied_mutation WHERE result LIKE "
                        "'%rejected%'") == [(0,)]


def test_each_staff_member_pulls_case_work_with_a_cursor_of_their_own(area, tmp_path):
    """The central policies show each staff member different rows: a coach's pull, which
    sees their own caseload's plans and not another team's, must not carry a shared
    cursor past the older plan a team lead signing in next is entitled to."""
    from sqlalchemy import insert

    from app.db.central_schema import central_table
    from app.models import Plan
    from tests.integration.test_central_security import NOW
    from tests.integration.test_central_security import customer as central_customer

    ws = area.ws
    ws.auth.sign_in("admin", "demo")
    lead = f"{area.users['coach']}_lead"
    ws.staff.add(lead, "Liisa Lead", Role.TEAM_LEAD, "ROV", PASSWORD, area.admin)
    area.users["lead"] = lead
    ws.auth.sign_out()
    SyncEngine(ws.ctx.engine, area.admin, "ws", "ROV").sync_once()
    with area.admin.begin() as conn:  # another team's customer and plan, made first
        conn.execute(insert(central_table("team")), {
            "id": "team-2", "name": "Toinen", "service_area": "finding_work",
            "updated_at": NOW, "hlc": ""})
        conn.execute(insert(central_table("staff")), {
            "id": "staff-c2", "username": "c2_nologin", "full_name": "Toinen Valmentaja",
            "role": "coach", "team_id": "team-2", "service_point_id": "sp-rov",
            "active": True, "updated_at": NOW, "hlc": ""})
        conn.execute(insert(central_table("customer")),
                     central_customer("c-team2", "sp-rov", "8002", coach="staff-c2"))
        conn.execute(insert(central_table("plan")), {
            "id": "p-team2", "customer_id": "c-team2", "plan_type": "employment",
            "updated_at": NOW, "hlc": ""})
    ws = area.sign_in("coach")
    mine = ws.plans.create_plan(area.card.id, "employment")  # a newer plan, the coach's
    assert area.session_sync().sync_once().rejected == 0
    ws.auth.sign_out()

    other = Services.open(tmp_path / "other.sqlite3", "other")
    other.auth.central_url = area.url

    def sync_as(name: str) -> None:
        other.auth.sign_in(area.users[name], PASSWORD)
        engine = other.sync.engine(other.auth.session_url or "", "ROV")
        engine.sync_once()
        engine.central.dispose()
        other.auth.sign_out()

    def plans_here() -> list[str]:
        with other.ctx.reading() as s:
            return sorted(s.scalars(select(Plan.id)))

    sync_as("desk")
    assert plans_here() == []  # never the desk's to read
    sync_as("coach")
    assert plans_here() == [mine.row.plan_id]  # not the other team's
    sync_as("lead")
    assert plans_here() == sorted([mine.row.plan_id, "p-team2"])
    other.close()
