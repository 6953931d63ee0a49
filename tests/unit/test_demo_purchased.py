"""The purchased services' demo data (app/demo/purchased.py): valid providers and
contracts, referrals that only ever moved forward with realistic outcomes, decisions in
every status, follow-ups where the rules expect them, and the same rows for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from stdnum.fi import ytunnus

from app.db.engine import local_engine
from app.db.migrate import upgrade
from app.demo.area import build_demo
from app.models import Staff, followup_id
from app.rules.clock import add_months
from app.rules.codes import DecisionKind, DecisionStatus, ReferralState, ServiceKind
from app.rules.contracts import USES_A_PLACE, ContractTerms, period_of
from app.rules.referrals import REFERRAL_DATE, REFERRAL_NEEDS_REASON
from app.services.effect_followups import coach_followups

TODAY = date(2025, 11, 12)
TABLES = ("service_provider", "service_contract", "referral", "support_decision",
          "effect_followup")


R = ReferralState
# The states the demo's referrals pass through to each state (in order).
PATH = {R.PROPOSED: (R.PROPOSED,), R.SENT: (R.PROPOSED, R.SENT),
        R.ACCEPTED: (R.PROPOSED, R.SENT, R.ACCEPTED),
        R.DECLINED: (R.PROPOSED, R.SENT, R.DECLINED),
        R.STARTED: (R.PROPOSED, R.SENT, R.ACCEPTED, R.STARTED),
        R.INTERRUPTED: (R.PROPOSED, R.SENT, R.ACCEPTED, R.STARTED, R.INTERRUPTED),
        R.COMPLETED: (R.PROPOSED, R.SENT, R.ACCEPTED, R.STARTED, R.COMPLETED)}


def fresh(path: Path) -> Engine:
    engine = local_engine(path)
    upgrade(engine)
    return engine


def rows(engine: Engine, sql: str) -> list:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = fresh(tmp_path_factory.mktemp("demo") / "purchased.sqlite3")
    build_demo(engine, seed=3, scale=0.25, today=TODAY)
    yield engine
    engine.dispose()


def test_providers_and_contracts(demo: Engine) -> None:
    providers = rows(demo, "SELECT business_id, post_office, contact_person, email "
                           "FROM service_provider")
    assert len(providers) == 12
    for business_id, town, contact, email in providers:
        assert ytunnus.is_valid(business_id), business_id
        assert town in ("ROVANIEMI", "RANUA", "OULU") and contact and "@" in email
    contracts = rows(demo, "SELECT service, places, places_per, unit_price_cents, "
                           "lump_sum_cents, starts_on, ends_on FROM service_contract")
    assert {ServiceKind(c.service) for c in contracts} == set(ServiceKind) - {ServiceKind.OTHER}
    assert {c.places_per for c in contracts} == {"quarter", "year"}
    for c in contracts:
        assert (c.unit_price_cents is None) != (c.lump_sum_cents is None)
        assert 30000 <= (c.unit_price_cents or c.lump_sum_cents) <= 6000000
    # A contract of each kind runs today.
    running = {c.service for c in contracts
               if c.starts_on <= TODAY.isoformat() <= c.ends_on}
    assert len(running) == 6
    assert {b for (b,) in rows(demo, "SELECT employer_business_id FROM support_decision")}
    for (business_id,) in rows(demo, "SELECT DISTINCT employer_business_id FROM "
                                     "support_decision"):
        assert ytunnus.is_valid(business_id), business_id


def test_referrals_moved_forward_with_dates_and_reasons(demo: Engine) -> None:
    referrals = rows(demo, "SELECT * FROM referral")
    states = Counter(ReferralState(r.state) for r in referrals)
    assert set(states) == set(ReferralState)
    assert states[ReferralState.COMPLETED] == max(states.values())
    for r in referrals:
        state = ReferralState(r.state)
        reached = PATH[state]
        if state == R.INTERRUPTED and r.started_on is None:  # the case closed first
            reached = tuple(s for s in reached if s != R.STARTED)
        days = [getattr(r, REFERRAL_DATE[s]) for s in reached]
        assert None not in days, (state, days)
        assert days == sorted(days) and days[-1] < TODAY.isoformat(), (state, days)
        assert (r.end_reason is not None) == (state in REFERRAL_NEEDS_REASON), r
        assert r.proposed_on >= (TODAY - timedelta(days=400)).isoformat()
    # Never before the customer's present case began.
    assert rows(demo, "SELECT count(*) FROM referral r JOIN customer c ON c.id = "
                      "r.customer_id WHERE r.proposed_on < c.jobseeker_registered_on")[0][0] == 0
    # Several carry out a line of their customer's plan.
    linked = rows(demo, "SELECT r.customer_id, p.customer_id FROM referral r JOIN "
                        "plan_service s ON s.id = r.plan_service_id JOIN plan_version v "
                        "ON v.id = s.plan_version_id JOIN plan p ON p.id = v.plan_id")
    assert len(linked) >= 3 and all(a == b for a, b in linked)
    # A plan under review: its draft's copied line names the referral still running.
    drafts = rows(demo, "SELECT v.status, v.based_on_id, r.state, old.id = r.plan_service_id "
                        "FROM plan_service s JOIN plan_version v ON v.id = s.plan_version_id "
                        "JOIN referral r ON r.id = s.referral_id JOIN plan_service old ON "
                        "old.plan_version_id = v.based_on_id AND old.service_type = "
                        "s.service_type AND old.starts_on = s.starts_on")
    assert drafts and all(d[0] == "draft" and d[1] and d[2] in ("sent", "accepted", "started")
                          and d[3] for d in drafts)


def test_places_are_kept_and_some_periods_are_full(demo: Engine) -> None:
    contracts = {c.id: ContractTerms(date.fromisoformat(c.starts_on),
                                     date.fromisoformat(c.ends_on), c.places,
                                     c.places_per)
                 for c in rows(demo, "SELECT * FROM service_contract")}
    used: Counter = Counter()
    for r in rows(demo, "SELECT contract_id, state, sent_on FROM referral"):
        if ReferralState(r.state) in USES_A_PLACE:
            terms = contracts[r.contract_id]
            used[(r.contract_id, period_of(terms, date.fromisoformat(r.sent_on)))] += 1
    over = [key for key, n in used.items()
            if contracts[key[0]].places is not None and n > contracts[key[0]].places]
    assert over == [], over
    assert rows(demo, "SELECT count(*) FROM referral WHERE end_reason = 'no_places'"
                )[0][0] >= 1


def test_decisions_in_every_status(demo: Engine) -> None:
    decisions = rows(demo, "SELECT * FROM support_decision")
    assert {DecisionKind(d.kind) for d in decisions} == set(DecisionKind)
    assert {DecisionStatus(d.status) for d in decisions} == set(DecisionStatus)
    leads = {i for (i,) in rows(demo, "SELECT id FROM staff WHERE role = 'team_lead'")}
    by_id = {d.id: d for d in decisions}
    for d in decisions:
        assert d.paying_municipality in ("Rovaniemi", "Ranua")
        assert d.starts_on <= d.ends_on
        if d.status == "draft":
            assert d.decided_on is None and d.decided_by is None
        else:
            assert d.decided_by in leads and d.decided_on <= TODAY.isoformat()
        if d.status == "ended":
            assert d.end_reason and d.starts_on <= d.ended_on <= d.ends_on
        if d.status == "replaced":
            new = by_id[d.replaced_by_id]
            assert new.replaces_id == d.id and new.status in ("decided", "ended")
        if d.kind == "pay_subsidy":
            assert d.percentage in (50, 70, 100) and d.amount_cents > 0


def test_follow_ups_answered_and_a_few_due_for_the_demo_coach(demo: Engine) -> None:
    ended = {r.id: r.ended_on for r in rows(
        demo, "SELECT id, ended_on FROM referral WHERE ended_on IS NOT NULL")}
    ends = {d.id: (d.ended_on if d.status == "ended" else d.ends_on) for d in rows(
        demo, "SELECT id, status, ends_on, ended_on FROM support_decision")}
    answers = rows(demo, "SELECT * FROM effect_followup")
    assert len(answers) >= 10
    assert {a.months for a in answers} == {3, 6}
    for a in answers:
        source = a.referral_id or a.decision_id
        assert a.id == followup_id(source, a.months)
        end = date.fromisoformat(ended.get(source) or ends[source])
        assert a.due_on == add_months(end, a.months).isoformat()
        assert a.due_on <= a.answered_on <= TODAY.isoformat()
    with Session(demo) as s:
        coach = s.scalar(select(Staff.id).where(Staff.username == "coach"))
        due = coach_followups(s, coach, TODAY)
    assert len(due) >= 2 and any(f.months == 3 for f in due)


def test_some_exits_follow_a_completed_service(demo: Engine) -> None:
    followed = rows(demo, "SELECT count(*) FROM job_search_period p JOIN referral r ON "
                          "r.customer_id = p.customer_id WHERE r.state = 'completed' AND "
                          "p.exit_reason IN ('employed_open_market', 'studies', "
                          "'other_services') AND julianday(p.closed_on) - "
                          "julianday(r.ended_on) BETWEEN 0 AND 45")[0][0]
    assert followed >= 3
    grants = rows(demo, "SELECT count(*) FROM job_search_period p JOIN support_decision d "
                        "ON d.customer_id = p.customer_id AND d.starts_on = p.closed_on "
                        "WHERE p.exit_reason IN ('employed_pay_subsidy', 'self_employed')"
                        )[0][0]
    assert grants >= 1


def test_same_seed_same_rows(demo: Engine, tmp_path: Path) -> None:
    again = fresh(tmp_path / "again.sqlite3")
    build_demo(again, seed=3, scale=0.25, today=TODAY)
    for table in TABLES:
        sql = f"SELECT * FROM {table} ORDER BY id"
        assert rows(again, sql) == rows(demo, sql), table
    again.dispose()
