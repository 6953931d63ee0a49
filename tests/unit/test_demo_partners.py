"""The demo's multi-professional work (#24): the area's partners and their people, the
consents of customers with multi-professional meetings (some withdrawn, none shared under
after), participants only under a consent in force on the meeting's day covering plans,
follow-up tasks, multi-professional plans with their minute and participants, the plan
types' own parts; reproducible; the services read it back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, text

from app.db.engine import local_engine
from app.db.migrate import upgrade
from app.demo.area import build_demo
from app.rules import partners as rules

TODAY = date(2025, 11, 12)  # a Wednesday
NOW = datetime(2025, 11, 12, 12, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("demo-partners") / "demo.sqlite3"
    engine = local_engine(path)
    upgrade(engine)
    build_demo(engine, seed=5, scale=0.1, today=TODAY)
    yield engine
    engine.dispose()


def rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_the_areas_partners_and_their_people(engine):
    orgs = dict(rows(engine, "SELECT name, kind FROM partner_org"))
    assert {"Lapin hyvinvointialue", "Kela Rovaniemi", "Ohjaamo Rovaniemi",
            "Lapin koulutuskeskus REDU", "Lapin ammattikorkeakoulu", "Työkanava Oy"} <= set(orgs)
    assert "third_sector" in orgs.values()
    assert rows(engine, "SELECT count(*) FROM partner_org WHERE NOT active") == [(1,)]
    titles = {t for (t,) in rows(engine, "SELECT title FROM partner_person")}
    assert {"Sosiaalityöntekijä", "Työkykykoordinaattori"} <= titles


def test_consents_of_those_in_multi_professional_work(engine):
    without = rows(engine, """SELECT count(DISTINCT a.customer_id) FROM appointment a
        WHERE a.type = 'multi_professional' AND a.status != 'cancelled'
        AND NOT EXISTS (SELECT 1 FROM customer_consent c WHERE c.customer_id = a.customer_id)""")
    assert without == [(0,)]
    withdrawn = rows(engine, "SELECT count(*), count(withdrawn_by) FROM customer_consent "
                             "WHERE withdrawn_on IS NOT NULL")[0]
    assert withdrawn[0] > 0 and withdrawn[0] == withdrawn[1]
    assert rows(engine, "SELECT count(*) FROM customer_consent WHERE valid_until < "
                        "valid_from OR withdrawn_on < valid_from") == [(0,)]


def test_partners_meet_only_under_a_consent_in_force(engine):
    consents: dict[str, list[rules.ConsentFacts]] = {}
    for customer, org, info, since, until, withdrawn in rows(
            engine, "SELECT customer_id, partner_org_id, information, valid_from, "
                    "valid_until, withdrawn_on FROM customer_consent"):
        consents.setdefault(customer, []).append(rules.ConsentFacts(
            org, rules.parse_information(info), date.fromisoformat(since),
            date.fromisoformat(until) if until else None,
            date.fromisoformat(withdrawn) if withdrawn else None))
    found = rows(engine, """SELECT m.id, m.appointment_id, m.customer_id, m.partner_person_id,
        p.partner_org_id, a.local_day, a.customer_id, m.staff_id
        FROM meeting_participant m JOIN appointment a ON a.id = m.appointment_id
        LEFT JOIN partner_person p ON p.id = m.partner_person_id""")
    assert any(r[3] for r in found) and any(r[7] for r in found)
    for pid, appointment, customer, person, org, day, owner, staff in found:
        assert customer == owner
        assert pid == rules.participant_id(appointment, person or staff)
        if person:
            assert rules.refusal(consents[customer], org, rules.MEETING_NEEDS,
                                 date.fromisoformat(day)) is None


def test_tasks_are_a_participants_with_some_overdue(engine):
    assert rows(engine, """SELECT count(*) FROM meeting_task t LEFT JOIN meeting_participant m
        ON m.id = t.participant_id AND m.appointment_id = t.appointment_id
        WHERE m.id IS NULL""") == [(0,)]
    done, open_ = rows(engine, "SELECT count(done_on), count(*) - count(done_on) "
                               "FROM meeting_task")[0]
    assert done > 0 and open_ > 0


def test_plans_of_every_type_with_their_own_part(engine):
    types = {t for (t,) in rows(engine, "SELECT DISTINCT plan_type FROM plan")}
    assert types == {"employment", "multi_professional", "activation", "integration"}
    assert rows(engine, """SELECT count(*) FROM plan p JOIN plan_version v ON v.plan_id = p.id
        WHERE p.plan_type = 'multi_professional' AND (v.meeting_id IS NULL
        OR v.meeting_minute IS NULL OR v.customer_view IS NULL OR v.follow_up_on IS NULL)""") \
        == [(0,)]
    assert rows(engine, """SELECT count(*) FROM plan p JOIN plan_version v ON v.plan_id = p.id
        WHERE p.plan_type = 'multi_professional' AND NOT EXISTS (
            SELECT 1 FROM plan_participant pp WHERE pp.plan_version_id = v.id)""") == [(0,)]
    assert rows(engine, """SELECT count(*) FROM plan p JOIN plan_version v ON v.plan_id = p.id
        WHERE (p.plan_type = 'activation' AND (v.activation_conditions IS NULL
               OR v.activation_measures IS NULL OR v.social_worker_part IS NULL))
           OR (p.plan_type = 'integration' AND v.integration_training IS NULL)""") == [(0,)]
    assert rows(engine, """SELECT count(*) FROM plan p JOIN plan_version v ON v.plan_id = p.id
        JOIN customer c ON c.id = p.customer_id WHERE p.plan_type = 'integration'
        AND v.residence_permit_on IS NOT c.first_residence_permit_on""") == [(0,)]
    # One accepted version per plan at most.
    assert rows(engine, """SELECT count(*) FROM (SELECT plan_id FROM plan_version
        WHERE status = 'accepted' GROUP BY plan_id HAVING count(*) > 1)""") == [(0,)]


def test_the_same_seed_gives_the_same_rows(engine, tmp_path):
    again = local_engine(tmp_path / "again.sqlite3")
    upgrade(again)
    try:
        build_demo(again, seed=5, scale=0.1, today=TODAY)
        for table in ("partner_org", "partner_person", "customer_consent",
                      "meeting_participant", "meeting_task", "plan_participant"):
            sql = f"SELECT * FROM {table} ORDER BY id"
            assert rows(again, sql) == rows(engine, sql), table
    finally:
        again.dispose()


def test_the_services_read_it_back(engine):
    from app.services.auth import AuthService
    from app.services.context import AppContext
    from app.services.partners import ConsentService, PartnerService
    from tests.factories import Clock

    ctx = AppContext(engine, "demo-test", Clock(NOW))
    AuthService(ctx).sign_in("admin", "demo")
    partners, consents = PartnerService(ctx), ConsentService(ctx)
    orgs = partners.orgs()
    assert len(orgs) == 7 and all(o.people for o in orgs)
    assert len(partners.orgs(include_inactive=True)) == 8
    customer = rows(engine, "SELECT customer_id FROM customer_consent "
                            "WHERE withdrawn_on IS NOT NULL LIMIT 1")[0][0]
    found = consents.consents(customer)
    assert any(c.withdrawn_on and not c.in_force for c in found)
    withdrawn = next(c for c in found if c.withdrawn_on)
    assert consents.check(customer, withdrawn.partner_org_id, "plan") is not None


def test_the_demo_partner_account_reaches_its_consented_customers(engine):
    (role, org), = rows(engine, "SELECT s.role, o.name FROM staff s JOIN partner_org o "
                                "ON o.id = s.partner_org_id WHERE s.username = 'opo'")
    assert (role, org) == ("partner", "Lapin koulutuskeskus REDU")
    kinds = rows(engine, """SELECT c.information, c.withdrawn_on IS NOT NULL, count(*)
        FROM customer_consent c JOIN staff s ON s.partner_org_id = c.partner_org_id
        WHERE s.username = 'opo' GROUP BY 1, 2""")
    assert ("contact,plan", 0) in {(i, w) for i, w, _n in kinds}
    assert ("contact", 0) in {(i, w) for i, w, _n in kinds}
    assert any(w for _i, w, _n in kinds)  # one withdrew


def test_the_demo_queue_has_its_services_and_the_partners_desk(engine):
    """Each point's built-in queue services as rows (#24 item 5), and REDU's career
    guidance at Rovaniemi served at the partner's desk, with today's walk-ins waiting for
    it: the one who came from the desk has consented to share with REDU."""
    from app.rules.queue import BUILT_IN_NAMES, service_id

    services = rows(engine, """SELECT p.code, q.code, q.id, q.service_point_id, q.active,
        o.name FROM queue_service q JOIN service_point p ON p.id = q.service_point_id
        LEFT JOIN partner_org o ON o.id = q.partner_org_id ORDER BY p.code, q.position""")
    by_point: dict[str, list[str]] = {}
    for point, code, sid, point_id, _active, partner in services:
        by_point.setdefault(point, []).append(code)
        assert sid == service_id(point_id, code)
        assert (partner is not None) == (code == "career_guidance")
    assert set(by_point["RAN"]) == set(BUILT_IN_NAMES)
    assert by_point["ROV"][-1] == "career_guidance"
    ranua_active = {code for point, code, _i, _p, active, _o in services
                    if point == "RAN" and active}
    assert ranua_active == {"information", "initial", "finding_work"}
    waiting = rows(engine, f"""SELECT t.customer_id, t.leg FROM queue_ticket t
        JOIN queue_service q ON q.id = t.queue_service_id
        WHERE q.code = 'career_guidance' AND t.state = 'waiting'
        AND t.ticket_date = '{TODAY.isoformat()}' ORDER BY t.number""")
    assert len(waiting) == 2
    sent, _came = waiting
    consents = rows(engine, f"""SELECT count(*) FROM customer_consent c
        JOIN partner_org o ON o.id = c.partner_org_id
        WHERE o.name = 'Lapin koulutuskeskus REDU' AND c.customer_id = '{sent[0]}'
        AND c.withdrawn_on IS NULL AND c.information LIKE '%contact%'""")
    assert consents == [(1,)] and sent[1] == 1
    # Every other ticket of the day names one of Rovaniemi's built-in services.
    unnamed = rows(engine, """SELECT count(*) FROM queue_ticket t
        LEFT JOIN queue_service q ON q.id = t.queue_service_id WHERE q.id IS NULL""")
    assert unnamed == [(0,)]
