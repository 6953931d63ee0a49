"""The pull writes central values to SQLite without SQLAlchemy's per-value processing: each
column's converter must store exactly what the central column's result processing and
the local column's bind processing would (the `select` + `insert` the pull used to run)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Boolean, Date, DateTime, Enum, Float, Integer, String
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.dialects.sqlite.pysqlcipher import SQLiteDialect_pysqlcipher

from app.db.central_schema import synced_central_tables
from app.models import Base
from app.models.local_time import is_local_only
from app.sync.pull import _kind, _reference_converter, stored_value

CENTRAL, LOCAL = PGDialect_psycopg(), SQLiteDialect_pysqlcipher()


def _samples(kind) -> list:
    """Values as psycopg returns them for a column of this kind."""
    if isinstance(kind, DateTime):
        return [datetime(2024, 3, 31, 1, 2, 3), datetime(2024, 3, 31, 1, 2, 3, 456789),
                datetime(2024, 12, 31, 23, 59, 59, 999999), datetime(5, 1, 1),
                datetime(2024, 1, 1, 12, tzinfo=UTC),
                datetime(2024, 6, 1, 12, 30, 1, 5, tzinfo=timezone(timedelta(hours=3)))]
    if isinstance(kind, Date):
        return [date(2024, 2, 29), date(5, 1, 1), date(9999, 12, 31)]
    if isinstance(kind, Boolean):
        return [True, False]
    if isinstance(kind, Enum):
        return list(kind.enums)
    if isinstance(kind, String):
        return ["", "Äijä ÅÖ 🙂", "x" * 400]
    if isinstance(kind, Integer):
        return [0, -5, 2**40]
    if isinstance(kind, Float):
        return [0.0, 37.5, -1.25]
    raise AssertionError(f"no samples for {kind!r}: add them, and a converter if needed")


COLUMNS = [
    (table.name, column.name)
    for table in synced_central_tables()
    for column in Base.metadata.tables[table.name].columns
    if column.name in table.c
]


@pytest.mark.parametrize(("table", "name"), COLUMNS)
def test_stored_value_is_what_sqlalchemy_stores(table, name):
    central = next(t for t in synced_central_tables() if t.name == table).c[name]
    local = Base.metadata.tables[table].c[name]
    fast = stored_value(local, LOCAL, central, CENTRAL)
    # psycopg names a float column's type by its oid (float8: 701), never None.
    type_code = 701 if isinstance(_kind(local), Float) else None
    reference = _reference_converter(local, LOCAL, central, CENTRAL, type_code)
    for value in _samples(_kind(local)):
        expected = value if reference is None else reference(value)
        got = value if fast is None else fast(value)
        assert got == expected and type(got) is type(expected), (table, name, value)


def test_every_synchronised_table_has_its_columns_on_both_sides():
    for table in synced_central_tables():
        local = Base.metadata.tables[table.name]
        # Less the workstation's own report columns (app.models.local_time), never synced.
        assert [c.name for c in local.columns if not is_local_only(c)] == [
            c.name for c in table.columns]
