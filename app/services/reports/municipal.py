"""The municipal split: the cost share from the statistics against actual use."""

from __future__ import annotations

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from app.dto.reports import (
    COUNT,
    NUMBER,
    PERCENT,
    TEXT,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import N_
from app.models import Customer, ServicePoint, Visit
from app.rules.cost_split import cost_shares
from app.services.reports import members, sql
from app.services.reports.activity import visit_filters

OTHER = Label(N_("Other municipalities"))


def municipal_split(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    # A visit counts for the customer's home municipality; an anonymous one for the
    # municipality of the service point where it happened.
    # The staff time of a visit: its precomputed length (app.models.local_time; none
    # while it is open), summed with total(): a customer whose visits are all still open
    # adds 0 minutes, not NULL.
    minutes = func.total(Visit.minutes)
    # Visits are summed per customer first, walking ix_visit_report_customer in its
    # customer order (no sort, no row read), then each customer's home municipality is
    # looked up once, from ix_customer_municipality alone.
    per = (select(Visit.customer_id.label("customer_id"), func.count().label("visits"),
                  minutes.label("minutes"))
           .where(*visit_filters(f), Visit.customer_id.is_not(None))
           .group_by(Visit.customer_id).subquery())
    used = s.execute(
        select(Customer.home_municipality, func.sum(per.c.visits), func.sum(per.c.minutes),
               func.count(), members.concat(per.c.customer_id))
        .select_from(per).join(Customer, Customer.id == per.c.customer_id)
        .group_by(Customer.home_municipality)).all()
    # Anonymous visits (a question at the desk) count for the service point's municipality.
    anonymous = s.execute(
        select(ServicePoint.municipality, func.count(), minutes, literal(0), literal(None))
        .join(ServicePoint, ServicePoint.id == Visit.service_point_id)
        .where(*visit_filters(f), Visit.customer_id.is_(None))
        .group_by(ServicePoint.municipality)).all()
    shares = cost_shares(inputs.statistics)
    names = list(shares)
    figures: dict[str, list[float]] = {name: [0, 0.0, 0] for name in [*names, OTHER]}
    # The drill-down: the customers column counts customers (each once per municipality,
    # grouped per customer above), so its members are exactly those customers.
    who: dict[str, list[str]] = {name: [] for name in [*names, OTHER]}
    for name, visits, mins, customers, ids in (*used, *anonymous):
        key = name if name in shares else OTHER
        into = figures[key]
        into[0] += visits
        into[1] += float(mins or 0)
        into[2] += customers
        who[key] += members.ids_of(ids)
    totals = [sum(v[i] for v in figures.values()) for i in range(3)]
    rows: list[tuple[object, ...]] = []
    cells: dict[tuple[int, str], tuple[str, ...]] = {}
    for name in [*names, OTHER]:
        visits, mins, customers = figures[name]
        if name == OTHER and not visits:
            continue
        if who[name]:
            cells[(len(rows), "customers")] = tuple(who[name])
        rows.append((Label(name), shares.get(name), visits, sql.share(visits, totals[0]),
                     mins / 60.0, sql.share(mins, totals[1]), customers,
                     sql.share(customers, totals[2])))
    year = inputs.statistics.get("year")
    return ReportTable(
        "municipal_split", N_("Municipal split: cost share against actual use"),
        (Column("municipality", N_("Municipality"), TEXT),
         Column("cost_share", N_("Cost share (%)"), PERCENT),
         Column("visits", N_("Visits"), COUNT),
         Column("visit_share", N_("Share of visits (%)"), PERCENT),
         Column("staff_hours", N_("Staff time (h)"), NUMBER),
         Column("staff_share", N_("Share of staff time (%)"), PERCENT),
         Column("customers", N_("Customers"), COUNT),
         Column("customer_share", N_("Share of customers (%)"), PERCENT)),
        tuple(rows),
        ChartSpec("bars", "municipality",
                  ("cost_share", "visit_share", "staff_share", "customer_share"),
                  percent=True),
        note=N_("Cost share: 50 % by working-age population and 50 % by broad "
                "unemployment (statistics of {year}, area settings). Use: visits, the "
                "staff time of the visits and the customers served, by home "
                "municipality."), note_args=(("year", str(year or "")),),
        total=(Label(N_("Total")), sum(v for v in shares.values()) if shares else None,
               totals[0], 1.0 if totals[0] else None, totals[1] / 60.0,
               1.0 if totals[1] else None, totals[2], 1.0 if totals[2] else None),
        members={**cells, **({(members.TOTAL_ROW, "customers"): tuple(
            id_ for ids in who.values() for id_ in ids)} if cells else {})})
