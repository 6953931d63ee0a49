"""ReportService: the reports use case for team leads and administrators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, func, select

from app.dto.drilldown import Drilldown
from app.dto.quarterly import QuarterlyReport
from app.dto.reports import (
    FilterOption,
    FilterOptions,
    KeyFigures,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import N_
from app.models import Appointment, ServicePoint, Team, Visit
from app.rules.codes import AppointmentStatus
from app.rules.cost_split import statistics_problem
from app.rules.permissions import Permission
from app.services.errors import ValidationFailed
from app.services.feedback import tally_columns, tally_of
from app.services.reports import activity, appointments, drilldown, export, outcomes, sql
from app.services.reports.catalogue import REPORTS
from app.services.reports.periods import default_period, with_partial
from app.services.settings import SettingsService

STATISTICS_KEY = "municipal_statistics"


class ReportService:
    def __init__(self, ctx: Any, settings: SettingsService) -> None:
        self.ctx = ctx
        self.settings = settings

    def default_filter(self) -> ReportFilter:
        """The last twelve weeks up to today (the Feedback page's period too)."""
        return ReportFilter(*default_period(self.ctx.today()))

    def options(self) -> FilterOptions:
        self.ctx.require(Permission.REPORTS_READ)
        with self.ctx.reading() as s:
            points = s.execute(select(ServicePoint.id, ServicePoint.name)
                               .where(ServicePoint.deleted_at.is_(None))
                               .order_by(ServicePoint.code)).all()
            teams = s.execute(select(Team.id, Team.name).where(Team.deleted_at.is_(None))
                              .order_by(Team.name)).all()
        return FilterOptions(tuple(FilterOption(*p) for p in points),
                             tuple(FilterOption(*t) for t in teams))

    def inputs(self) -> ReportInputs:
        return ReportInputs(today=self.ctx.today(),
                            caseload_cap=int(self.settings.get("caseload_cap")),
                            statistics=self.settings.get(STATISTICS_KEY))

    def run(self, name: str, f: ReportFilter, inputs: ReportInputs | None = None
            ) -> ReportTable:
        self.ctx.require(Permission.REPORTS_READ)
        _check_range(f)
        inputs = inputs or self.inputs()
        with self.ctx.reading() as s:
            table = REPORTS[name].compute(s, f, inputs)
        return with_partial(table, f, inputs.today)

    def run_all(self, f: ReportFilter) -> list[ReportTable]:
        inputs = self.inputs()
        return [self.run(name, f, inputs) for name in REPORTS]

    def key_figures(self, f: ReportFilter) -> KeyFigures:
        self.ctx.require(Permission.REPORTS_READ)
        _check_range(f)
        inputs = self.inputs()
        with self.ctx.reading() as s:
            visits = s.scalar(select(func.count()).select_from(Visit)
                              .where(*activity.visit_filters(f))) or 0
            wait = sql.quantiles(s, sql.literal(0), Visit.wait_minutes,
                                 activity.walk_in_filters(f), (0.5,))
            feedback = tally_of(s.execute(
                select(*tally_columns()).where(*outcomes.feedback_filters(f))).one())
            due, missed = s.execute(
                select(func.count(), func.sum(case(
                    (Appointment.status == AppointmentStatus.NO_SHOW, 1), else_=0)))
                .where(*appointments.appointment_filters(f))).one()
            overdue = outcomes.overdue_reviews(s, f, inputs)
        return KeyFigures(visits=visits, walk_in_median_wait=wait[0][1][0] if wait else None,
                          satisfied_share=sql.share(feedback.satisfied, feedback.answers),
                          feedback_answers=feedback.answers, no_show_rate=sql.share(missed, due),
                          reviews_overdue=overdue)

    # --- the drill-down (#25) --------------------------------------------------------

    def customers_behind(self, name: str, row: int, column: str,
                         customer_ids: Sequence[str]) -> Drilldown:
        """The customers behind a figure (ReportTable.members_of(row, column)) that the
        signed-in person may see, and how many more there are; audited."""
        return drilldown.customers_behind(self.ctx, name, row, column, customer_ids)

    # --- the municipal statistics (plan, table 1) -----------------------------------

    def statistics(self) -> dict[str, Any]:
        return self.settings.get(STATISTICS_KEY)

    def set_statistics(self, statistics: dict[str, Any]) -> None:
        problem = statistics_problem(statistics)
        if problem:
            raise ValidationFailed({"statistics": problem})
        self.settings.set(STATISTICS_KEY, statistics)

    # --- exports --------------------------------------------------------------------

    def export(self, name: str, f: ReportFilter, fmt: str) -> bytes:
        """One report as CSV or XLSX bytes, in the current language; audited."""
        table = self.run(name, f)
        data = export.to_csv(table) if fmt == "csv" else export.to_xlsx(table)
        self.record_export(name, f, fmt)
        return data

    def record_export(self, name: str, f: ReportFilter, fmt: str) -> None:
        with self.ctx.transaction(Permission.REPORTS_READ) as s:
            self.ctx.audit(s, "report.export", "report", None, {
                "report": name, "format": fmt, "from": f.date_from.isoformat(),
                "to": f.date_to.isoformat(), "service_point": f.service_point_id,
                "team": f.team_id})


    # --- the quarterly export for the ministry and the ELY centre (#25) -------------

    def quarterly(self, year: int, quarter: int, service_point_id: str | None = None,
                  team_id: str | None = None) -> QuarterlyReport:
        """The agreed indicators of a quarter, each from its source report."""
        from app.services.reports import quarterly

        self.ctx.require(Permission.REPORTS_READ)
        return quarterly.compute(self, year, quarter, service_point_id, team_id)

    def export_quarterly(self, report: QuarterlyReport, fmt: str, lang: str) -> bytes:
        """The quarter as CSV, XLSX or PDF in `lang`; audited as every export."""

        data = self.render_quarterly(report, fmt, lang)
        self.record_export("quarterly", report.filter, fmt)
        return data

    @staticmethod
    def render_quarterly(report: QuarterlyReport, fmt: str, lang: str) -> bytes:
        """The quarter as CSV, XLSX or PDF bytes: no database (the view renders in the
        io pool and records the export on the database thread)."""
        from app.services.reports import quarterly

        return quarterly.render(report, fmt, lang)


def _check_range(f: ReportFilter) -> None:
    if f.date_to < f.date_from:
        raise ValidationFailed({"date_to": N_("The end date is before the start date.")})
