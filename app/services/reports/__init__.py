"""Reports for knowledge-based management: figures by SQL aggregation, with filters,
for the reports view, the exports and the CLI."""

from app.services.reports.catalogue import REPORTS
from app.services.reports.model import KeyFigures, ReportFilter, ReportTable
from app.services.reports.service import ReportService

__all__ = ["REPORTS", "KeyFigures", "ReportFilter", "ReportService", "ReportTable"]
