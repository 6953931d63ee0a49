"""Importing service providers from a UTF-8 CSV file (as Excel saves it: the reading is
customer_import.read_rows'). Every row is checked with the register's own rules (the
business ID with python-stdnum), each bad row reported with its line and reason, the good
rows imported; a business ID already in the register updates that provider.

Columns (a header row names them; order free): name, business_id, email, phone; optional
contact_person, street_address, postal_code, post_office. An empty optional cell clears
nothing on an update: it keeps the stored value."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select

from app.dto.providers import ProviderInput
from app.i18n import N_
from app.models import ServiceProvider
from app.rules import text_input
from app.rules.customer import nfc
from app.rules.permissions import Permission
from app.services import customer_import
from app.services.context import AppContext
from app.services.customer_import import ImportFileError, Problem
from app.services.providers import apply_provider, validate_provider

COLUMNS = ("name", "business_id", "email", "phone", "contact_person", "street_address",
           "postal_code", "post_office")
REQUIRED_COLUMNS = ("name", "business_id", "email", "phone")
LIMITS = {"name": 200, "business_id": 40, "email": 200, "phone": 40, "contact_person": 200,
          "street_address": 200, "postal_code": 10, "post_office": 80}


@dataclass(frozen=True)
class ProviderImportRow:
    line: int
    business_id: str  # formatted when right
    action: str  # "new", "update", "reject"
    problems: tuple[Problem, ...] = ()
    data: ProviderInput | None = None


@dataclass(frozen=True)
class ProviderImportPreview:
    rows: list[ProviderImportRow] = field(default_factory=list)

    @property
    def rejected(self) -> list[ProviderImportRow]:
        return [r for r in self.rows if r.action == "reject"]

    @property
    def accepted(self) -> list[ProviderImportRow]:
        return [r for r in self.rows if r.action != "reject"]


@dataclass(frozen=True)
class ProviderImportResult:
    created: int
    updated: int
    rejected: int


def read_rows(raw: bytes, required: tuple[str, ...] = REQUIRED_COLUMNS
              ) -> list[tuple[int, dict[str, str]]]:
    """(line, row) per data row; ImportFileError when unreadable or a `required` column is
    missing. Excel's dialects as the customer import reads them (`;`, `,` or tab; a BOM;
    CRLF). The employer import reads its files with it too."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(N_("The file is not UTF-8 text.")) from exc
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=csv.excel,
                            delimiter=customer_import._delimiter(text.split("\n", 1)[0]))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(N_("The first row must name the columns; missing: {columns}."),
                              columns=", ".join(missing))
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            rows.append((reader.line_num, {k: (v or "") if isinstance(v, str) else ""
                                           for k, v in row.items() if k}))
    except csv.Error as exc:
        raise ImportFileError(N_("The file is not valid CSV.")) from exc
    return rows


def check_row(line: int, row: dict[str, str]) -> ProviderImportRow:
    problems: list[Problem] = []
    values = {c: nfc(row.get(c, "")) for c in COLUMNS}
    for column in COLUMNS:
        why = text_input.refusal(values[column], limit=LIMITS[column])
        if why is not None:
            message, params = why.detail()
            problems.append(Problem(column, message,
                                    tuple((k, str(v)) for k, v in params.items())))
            values[column] = ""
    data = ProviderInput(**values)
    errors, formatted = validate_provider(data)
    flagged = {p.column for p in problems}
    for name, message in errors.items():
        if name not in flagged:  # one reason per column: the first is the real one
            problems.append(Problem(name, message))
    return ProviderImportRow(line, formatted or values["business_id"],
                             "reject" if problems else "new", tuple(problems), data)


class ProviderImportService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def preview(self, path: Path) -> ProviderImportPreview:
        """Check every row (nothing is written)."""
        self.ctx.require(Permission.PROVIDER_MANAGE)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise ImportFileError(N_("The file cannot be read: {reason}"),
                                  reason=exc.strerror or str(exc)) from exc
        rows = read_rows(raw)
        with self.ctx.reading() as s:
            known = set(s.scalars(select(ServiceProvider.business_id).where(
                ServiceProvider.deleted_at.is_(None))))
        checked: list[ProviderImportRow] = []
        seen: dict[str, int] = {}
        for line, row in rows:
            result = check_row(line, row)
            if result.action != "reject":
                if result.business_id in seen:
                    result = replace(result, action="reject", problems=(Problem(
                        "business_id", N_("Duplicate in the file (line {line})."),
                        (("line", str(seen[result.business_id])),)),))
                elif result.business_id in known:
                    result = replace(result, action="update")
                seen.setdefault(result.business_id, line)
            checked.append(result)
        return ProviderImportPreview(checked)

    def commit(self, preview: ProviderImportPreview) -> ProviderImportResult:
        """Write the accepted rows in one transaction (audited, counts only)."""
        created = updated = 0
        with self.ctx.transaction(Permission.PROVIDER_MANAGE) as s:
            for row in preview.accepted:
                assert row.data is not None
                provider = None
                if row.action == "update":
                    provider = s.scalar(select(ServiceProvider).where(
                        ServiceProvider.business_id == row.business_id,
                        ServiceProvider.deleted_at.is_(None)))
                if provider is None:
                    provider = ServiceProvider(active=True)
                    s.add(provider)
                    apply_provider(provider, row.data, row.business_id)
                    created += 1
                else:
                    _update(provider, row.data)
                    updated += 1
            s.flush()
            self.ctx.audit(s, "provider.import", "service_provider", None,
                           {"created": created, "updated": updated,
                            "rejected": len(preview.rejected)})
        return ProviderImportResult(created, updated, len(preview.rejected))


def _update(provider: ServiceProvider, data: ProviderInput) -> None:
    """The row's non-empty cells over the stored values."""
    provider.name = nfc(data.name)
    for name in ("email", "phone", "contact_person", "street_address", "postal_code",
                 "post_office"):
        value = nfc(getattr(data, name))
        if value:
            setattr(provider, name, value)

