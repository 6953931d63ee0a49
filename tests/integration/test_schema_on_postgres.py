"""The domain model is portable: the same tables and constraints work on PostgreSQL,
where the central database will live (its own Alembic tree comes with sync)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Base, Customer, ServicePoint, Visit, synced_tables
from app.rules.codes import Channel, ServiceArea, ServicePointMode


@pytest.fixture
def pg_engine(pg_url):
    engine = create_engine(pg_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_every_synced_table_has_the_sync_columns(pg_engine):
    from sqlalchemy import inspect

    inspector = inspect(pg_engine)
    for table in synced_tables():
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert {"id", "version", "hlc", "updated_at", "updated_by", "deleted_at"} <= columns


def test_round_trip_with_utc_times_and_sami_names(pg_engine):
    at = datetime(2026, 11, 24, 8, 5, tzinfo=UTC)
    with Session(pg_engine) as s, s.begin():
        s.add(ServicePoint(id="sp", code="ROV", name="Rovaniemi", municipality="Rovaniemi",
                           mode=ServicePointMode.WALK_IN))
        s.flush()
        s.add(Customer(id="c1", customer_number="AAAA-0001", first_names="Máret Čuovga",
                       last_name="Guttorm", sort_name="guttorm máret čuovga",
                       home_municipality="Rovaniemi", service_point_id="sp",
                       birth_date=date(2001, 5, 30)))
        s.flush()
        s.add(Visit(id="v1", customer_id="c1", service_point_id="sp", channel=Channel.PHONE,
                    service_area=ServiceArea.FINDING_WORK, started_at=at))
    with Session(pg_engine) as s:
        customer = s.get(Customer, "c1")
        assert customer.first_names == "Máret Čuovga"
        assert s.scalar(select(Visit.started_at)) == at


def test_check_constraints_hold_on_postgres(pg_engine):
    with pytest.raises(IntegrityError), pg_engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO service_point (id, code, name, municipality, mode, queue_services,"
            " version, hlc, updated_at) VALUES ('x','X','X','X','teleport','',0,'', now())"
        )
