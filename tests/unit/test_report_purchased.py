"""The purchased-services figures (#20) against a small fixture whose every figure is
worked out by hand below: places contracted and used, referrals by outcome and by end
reason, the share employed or studying 3 and 6 months after, and euros by municipality
next to the municipal cost split."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app import cli
from app.dto.reports import ReportFilter
from app.models import Customer
from app.models.purchased import (
    EffectFollowup,
    Referral,
    ServiceContract,
    ServiceProvider,
    SupportDecision,
    followup_id,
)
from app.rules.codes import (
    CaseExitReason,
    DecisionKind,
    DecisionStatus,
    PlacesPeriod,
    ReferralEndReason,
    ReferralState,
    ServiceKind,
)
from app.rules.cost_split import cost_shares
from app.services.effect_followups import add_months
from tests.factories import Clock, customer_input

YEAR = ReportFilter(date(2026, 1, 1), date(2026, 12, 31))
STATS = {"year": 2024, "municipalities": [
    {"name": "Rovaniemi", "working_age": 40000, "broad_unemployment": 3000},
    {"name": "Sodankylä", "working_age": 5000, "broad_unemployment": 1000},
]}
# The split by hand: half by working-age population, half by broad unemployment.
ROV_SHARE = 0.5 * 40000 / 45000 + 0.5 * 3000 / 4000
SOD_SHARE = 0.5 * 5000 / 45000 + 0.5 * 1000 / 4000
S = ReferralState


@pytest.fixture
def area(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("admin", "demo")
    services.reports.set_statistics(STATS)
    build(services)
    return services


def customer(services, individual, first, home) -> str:
    cid = services.customers.create(customer_input(
        "Ostopalvelu", first, date(1985, 1, 1), individual,
        jobseeker_registered_on=date(2025, 12, 1), unemployed_since=date(2025, 12, 1))).id
    with services.ctx.session_factory.begin() as s:
        s.get(Customer, cid).home_municipality = home
    return cid


def referral(s, rid, cid, contract, state, proposed, sent=None, started=None, ended=None,
             reason=None):
    s.add(Referral(id=rid, customer_id=cid, contract_id=contract, state=state,
                   proposed_on=proposed, sent_on=sent, started_on=started, ended_on=ended,
                   end_reason=reason))


def decision(s, did, cid, kind, status, starts, ends, decided, euros, paying, ended=None):
    s.add(SupportDecision(id=did, customer_id=cid, kind=kind, status=status,
                          employer_name="Lapin Työnantaja Oy", starts_on=starts, ends_on=ends,
                          decided_on=decided, amount_cents=euros * 100,
                          paying_municipality=paying, ended_on=ended))


def answer(s, source, cid, months, situation, decision_source=False):
    s.add(EffectFollowup(id=followup_id(source, months), customer_id=cid, months=months,
                         referral_id=None if decision_source else source,
                         decision_id=source if decision_source else None,
                         due_on=date(2026, 1, 1), situation=situation,
                         answered_on=date(2026, 11, 1)))


def build(services):
    a = customer(services, 501, "Anna", "Rovaniemi")
    b = customer(services, 502, "Bertta", "Rovaniemi")
    c = customer(services, 503, "Cecilia", "Sodankylä")
    d = customer(services, 504, "Daniel", "Kemi")  # not in the statistics: "other"
    d26 = date(2026, 1, 1)
    with services.ctx.session_factory.begin() as s:
        s.add_all([ServiceProvider(id="p1", name="Alfa Valmennus Oy", business_id="1572860-0"),
                   ServiceProvider(id="p2", name="Beta Koulutus Oy", business_id="0112038-9")])
        s.flush()
        # K1: 4 places a quarter, 1 000 € a customer. K2: 3 places for the contract, a
        # 9 000 € lump sum. K3: last year's, not in the period.
        s.add_all([
            ServiceContract(id="k1", provider_id="p1", service=ServiceKind.INDIVIDUAL_COACHING,
                            title="Yksilövalmennus 2026", starts_on=d26,
                            ends_on=date(2026, 12, 31), places=4,
                            places_per=PlacesPeriod.QUARTER, unit_price_cents=100000),
            ServiceContract(id="k2", provider_id="p2",
                            service=ServiceKind.LABOUR_MARKET_TRAINING,
                            title="Koulutus 2026", starts_on=d26, ends_on=date(2026, 12, 31),
                            places=3, places_per=PlacesPeriod.CONTRACT,
                            lump_sum_cents=900000),
            ServiceContract(id="k3", provider_id="p1", service=ServiceKind.GROUP_COACHING,
                            title="Ryhmävalmennus 2025", starts_on=date(2025, 1, 1),
                            ends_on=date(2025, 12, 31), places=10, unit_price_cents=50000),
        ])
        s.flush()
        referral(s, "r1", a, "k1", S.COMPLETED, date(2026, 1, 10), date(2026, 1, 12),
                 date(2026, 2, 1), date(2026, 5, 31))
        referral(s, "r2", b, "k1", S.INTERRUPTED, date(2026, 1, 15), date(2026, 1, 20),
                 date(2026, 2, 15), date(2026, 4, 30), ReferralEndReason.HEALTH)
        referral(s, "r3", c, "k1", S.DECLINED, date(2026, 4, 2), date(2026, 4, 5),
                 reason=ReferralEndReason.NO_PLACES)
        referral(s, "r4", c, "k1", S.ACCEPTED, date(2026, 4, 20), date(2026, 4, 21))
        referral(s, "r5", d, "k1", S.STARTED, date(2026, 6, 1), date(2026, 6, 2),
                 date(2026, 7, 1))
        referral(s, "r6", a, "k2", S.COMPLETED, date(2026, 2, 1), date(2026, 2, 2),
                 date(2026, 3, 1), date(2026, 6, 30))
        referral(s, "r7", c, "k2", S.COMPLETED, date(2026, 3, 1), date(2026, 3, 2),
                 date(2026, 3, 15), date(2026, 7, 31))
        referral(s, "r8", d, "k2", S.PROPOSED, date(2026, 11, 1))
        P = DecisionKind.PAY_SUBSIDY
        decision(s, "d1", a, P, DecisionStatus.DECIDED, d26, date(2026, 3, 31),
                 date(2025, 12, 15), 6000, "Rovaniemi")
        decision(s, "d2", c, DecisionKind.WORK_TRIAL, DecisionStatus.ENDED, date(2026, 2, 1),
                 date(2026, 4, 30), date(2026, 1, 20), 1200, "Sodankylä",
                 ended=date(2026, 2, 28))
        decision(s, "d3", b, DecisionKind.START_UP_GRANT, DecisionStatus.DECIDED,
                 date(2026, 10, 1), date(2027, 3, 31), date(2026, 9, 15), 4000, "Rovaniemi")
        decision(s, "d4", d, P, DecisionStatus.REPLACED, date(2026, 2, 1), date(2026, 4, 30),
                 date(2026, 2, 1), 3000, "Kemi")
        decision(s, "d5", d, P, DecisionStatus.DECIDED, date(2026, 3, 1), date(2026, 12, 31),
                 date(2026, 3, 1), 5000, "Kemi")
        decision(s, "d6", a, P, DecisionStatus.DRAFT, date(2026, 5, 1), date(2026, 5, 31),
                 None, 9999, "Rovaniemi")  # a draft: neither ended nor costs
        answer(s, "r1", a, 3, "unemployed")
        answer(s, "r1", a, 6, "employed_open_market")
        answer(s, "r6", a, 3, "studies")
        answer(s, "r7", c, 3, "other_services")
        answer(s, "d1", a, 3, "employed_supported", decision_source=True)
        answer(s, "d1", a, 6, "unknown", decision_source=True)
    services.case_periods.close(b, date(2026, 10, 15), CaseExitReason.SELF_EMPLOYED)
    services.case_periods.close(d, date(2026, 8, 10), CaseExitReason.MOVED_AWAY)


def rows(table):
    return [tuple(r) for r in table.rows]


def test_places_contracted_and_used_per_contract_and_period(area):
    table = area.reports.run("purchased_places", YEAR)
    q = [(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30)),
         (date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 10, 1), date(2026, 12, 31))]
    # K1: r1 and r2 sent in Q1; r4 and r5 in Q2 (r3 declined gives its place back).
    # K2: r6 and r7 (r8 only proposed). K3 was last year's.
    assert [(r[0], r[1], r[3], r[4], r[5], r[6], r[7]) for r in rows(table)] == [
        ("Alfa Valmennus Oy", "Yksilövalmennus 2026", *q[0], 4, 2, 0.5),
        ("Alfa Valmennus Oy", "Yksilövalmennus 2026", *q[1], 4, 2, 0.5),
        ("Alfa Valmennus Oy", "Yksilövalmennus 2026", *q[2], 4, 0, 0.0),
        ("Alfa Valmennus Oy", "Yksilövalmennus 2026", *q[3], 4, 0, 0.0),
        ("Beta Koulutus Oy", "Koulutus 2026", date(2026, 1, 1), date(2026, 12, 31), 3, 2,
         pytest.approx(2 / 3)),
    ]
    assert table.total[5:] == (19, 6, pytest.approx(6 / 19))
    # Only the second quarter: K1's Q2 and K2's one period.
    spring = area.reports.run("purchased_places", ReportFilter(date(2026, 5, 1),
                                                               date(2026, 5, 31)))
    assert [(r[3], r[6]) for r in rows(spring)] == [(q[1][0], 2), (date(2026, 1, 1), 2)]


def test_referrals_by_service_provider_and_outcome(area):
    table = area.reports.run("purchased_referrals", YEAR)
    states = [c.key for c in table.columns[2:-1]]
    assert states == [s.value for s in S]
    by = {(str(r[0]), r[1]): dict(zip(states, r[2:-1], strict=True)) | {"total": r[-1]}
          for r in rows(table)}
    assert by == {
        ("Individual coaching", "Alfa Valmennus Oy"): {
            "proposed": 0, "sent": 0, "accepted": 1, "declined": 1, "started": 1,
            "interrupted": 1, "completed": 1, "total": 5},
        ("Labour-market training", "Beta Koulutus Oy"): {
            "proposed": 1, "sent": 0, "accepted": 0, "declined": 0, "started": 0,
            "interrupted": 0, "completed": 2, "total": 3},
    }
    assert table.total[-1] == 8
    reasons = area.reports.run("purchased_end_reasons", YEAR)
    keys = [c.key for c in reasons.columns]
    (row,) = rows(reasons)
    assert (row[1], row[keys.index("health")], row[keys.index("no_places")], row[-1]) == (
        "Alfa Valmennus Oy", 1, 1, 2)
    # Proposed in November only: r8.
    autumn = area.reports.run("purchased_referrals", ReportFilter(date(2026, 11, 1),
                                                                  date(2026, 11, 30)))
    assert [(r[1], r[-1]) for r in rows(autumn)] == [("Beta Koulutus Oy", 1)]


def test_employed_or_studying_three_and_six_months_after(area):
    """By hand (the points are the end + 3 or 6 months; all in 2026 but r7's 6 months):
    r1 (A, ended 31.5.): 3 mo answered unemployed -> other; 6 mo employed -> good.
    r2 (B, 30.4.): 3 mo (30.7.) unanswered, B's case open then -> unknown; 6 mo (30.10.):
        B's case closed 15.10. as self-employed -> good.
    r6 (A, 30.6.): 3 mo studies -> good; 6 mo (30.12.) still to come (today is 24.11.)
        and unanswered -> not counted yet.
    r7 (C, 31.7.): 3 mo other services -> other; 6 mo 31.1.2027 not in the period.
    r1's 6 months (30.11.) is still to come too, but already answered: counted.
    d1 (A, pay subsidy to 31.3.): 3 mo employed with support -> good; 6 mo answered
        "not known" -> unknown.
    d2 (C, work trial ended early 28.2.): both unanswered -> unknown.
    d4 was replaced: d5, which replaced it, carries the follow-up (and still runs).
    d3 and d5 still run; d6 is a draft."""
    table = area.reports.run("purchased_effect", YEAR)
    assert [(str(r[0]), r[1], *r[2:]) for r in rows(table)] == [
        ("Individual coaching", "Alfa Valmennus Oy", 2, 0, 1, 0.0, 2, 2, 0, 1.0),
        ("Labour-market training", "Beta Koulutus Oy", 2, 1, 0, 0.5, 0, 0, 0, None),
        ("Pay subsidy", None, 1, 1, 0, 1.0, 1, 0, 1, 0.0),
        ("Work trial", None, 1, 0, 1, 0.0, 1, 0, 1, 0.0),
    ]
    assert table.total[2:] == (6, 2, 2, pytest.approx(2 / 6), 4, 2, 2, pytest.approx(2 / 4))
    # The autumn only: points from 1.9. to 30.11. — r1 (3 mo 31.8.) is out, its 6 mo in.
    autumn = area.reports.run("purchased_effect", ReportFilter(date(2026, 9, 1),
                                                               date(2026, 11, 30)))
    assert add_months(date(2026, 5, 31), 6) == date(2026, 11, 30)
    assert [(str(r[0]), *r[2:]) for r in rows(autumn)] == [
        ("Individual coaching", 0, 0, 0, None, 2, 2, 0, 1.0),  # r1 and r2 at 6 months
        ("Labour-market training", 2, 1, 0, 0.5, 0, 0, 0, None),  # r6, r7 at 3 months
        ("Pay subsidy", 0, 0, 0, None, 1, 0, 1, 0.0),  # d1 at 6 months
    ]


def test_euros_by_municipality_against_the_cost_split(area):
    """By hand: referrals started in 2026 on the unit-priced K1: r1 and r2 (Rovaniemi)
    and r5 (Kemi: other) at 1 000 €. K2's 9 000 € over its two used places: r6
    (Rovaniemi) and r7 (Sodankylä) 4 500 € each. Decisions decided in 2026: d2 1 200 €
    Sodankylä, d3 4 000 € Rovaniemi, d5 5 000 € Kemi; d1 was decided in 2025, d4 was
    replaced (d5 carries it), d6 is a draft."""
    table = area.reports.run("purchased_euros", YEAR)
    keys = [c.key for c in table.columns]
    got = {str(r[0]): dict(zip(keys, r, strict=True)) for r in rows(table)}
    assert set(got) == {"Rovaniemi", "Sodankylä", "Other municipalities"}
    grand = 10500 + 5700 + 6000
    for name, money, share in (("Rovaniemi", (2000, 4500, 4000, 10500), ROV_SHARE),
                               ("Sodankylä", (0, 4500, 1200, 5700), SOD_SHARE),
                               ("Other municipalities", (1000, 0, 5000, 6000), None)):
        row = got[name]
        assert (row["referrals_eur"], row["lump_sums_eur"], row["decisions_eur"],
                row["total_eur"]) == pytest.approx(money), name
        assert row["euro_share"] == pytest.approx(money[3] / grand)
        assert row["cost_share"] == (pytest.approx(share) if share else None)
        assert row["by_split_eur"] == (pytest.approx(grand * share) if share else None)
    assert cost_shares(STATS) == {"Rovaniemi": pytest.approx(ROV_SHARE),
                                  "Sodankylä": pytest.approx(SOD_SHARE)}
    # The shares of use are the municipal split's own, side by side.
    split = area.reports.run("municipal_split", YEAR)
    for r in split.rows:
        name = str(r[0])
        for key in ("visit_share", "staff_share", "customer_share"):
            assert got[name][key] == r[split.column(key)]
    assert table.total[1:5] == pytest.approx((3000, 9000, 10200, grand))
    # The first half-year: K2's lump sum for 181 of its 365 days; r5 started in July and
    # d3 was decided in September: not in it.
    half = area.reports.run("purchased_euros", ReportFilter(date(2026, 1, 1),
                                                            date(2026, 6, 30)))
    by = {str(r[0]): r for r in rows(half)}
    lump = 9000 * 181 / 365
    assert by["Rovaniemi"][1:5] == pytest.approx((2000, lump / 2, 0, 2000 + lump / 2))
    assert by["Sodankylä"][1:5] == pytest.approx((0, lump / 2, 1200, 1200 + lump / 2))
    assert by["Other municipalities"][1:5] == pytest.approx((0, 0, 5000, 5000))


def test_the_figures_on_the_command_line(area, tmp_path, capsys):
    db = area.ctx.engine.url.database
    area.close()
    assert cli.main(["report", "purchased_effect", "--db", db, "--from", "2026-01-01",
                     "--to", "2026-12-31", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Employed or studying 3 and 6 months after a service" in out
    assert "Alfa Valmennus Oy" in out and "Work trial" in out
    assert cli.main(["report", "purchased_euros", "--db", db, "--from", "2026-01-01",
                     "--to", "2026-12-31", "--format", "csv", "--out",
                     str(tmp_path / "e.csv")]) == 0
    assert "Sodankylä" in (tmp_path / "e.csv").read_text("utf-8-sig")
    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    assert "purchased_places" in capsys.readouterr().out
