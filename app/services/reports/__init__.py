"""Reports for knowledge-based management: figures by SQL aggregation, with filters,
for the reports view, the exports and the CLI. The tables they hand over are in
app.dto.reports."""

from app.services.reports.catalogue import REPORTS
from app.services.reports.service import ReportService

__all__ = ["REPORTS", "ReportService"]
