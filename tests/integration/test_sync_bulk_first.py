"""A new workstation's first fill of a big table in bulk (#28 item 2, app/db/deferred.py)
over real sync: with pages small enough that tables fill in several, the pull sets their
secondary indexes and timeliness triggers aside and makes them again, so the workstation
ends with exactly the schema of any other and exactly the centre's rows; a pull that
fails or stops in the middle of a table leaves nothing set aside."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.db import deferred
from app.services.registry import Services
from app.sync import pull as pull_mod
from app.sync.digest import central_digest, local_digest
from tests.factories import add_people
from tests.integration.test_sync import COMPARED


def _schema(engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        return set(conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND sql IS NOT NULL")).all())


@pytest.fixture
def seeded(make_desk):
    a = make_desk("a", seed=True)
    services = a.sign_in("admin")
    first, *_others = add_people(services)  # the others are history: no ticket today
    services.queue.register_walk_in(first, "information")
    a.sync()
    return a


def test_a_first_sync_in_bulk_ends_with_the_same_schema_and_rows(
        seeded, make_desk, staff_central, tmp_path, monkeypatch):
    fresh = Services.open(tmp_path / "fresh.sqlite3", "fresh")
    expected = _schema(fresh.ctx.engine)
    fresh.close()
    set_aside: list[str] = []
    defer = deferred.defer
    monkeypatch.setattr(deferred, "defer",
                        lambda conn, table: set_aside.append(table) or defer(conn, table))
    b = make_desk("b")
    point = seeded.engine.point_id()
    pull_mod.pull(b.services.ctx.engine, staff_central, point, page=2)
    # Five rows of history in pages of two; the working set's tables keep their indexes.
    assert "job_search_period" in set_aside
    assert not {"customer", "queue_ticket", "appointment"} & set(set_aside)
    assert _schema(b.services.ctx.engine) == expected
    with b.services.ctx.engine.connect() as conn:
        assert deferred.pending(conn) == []
        dirty = set(conn.execute(text("SELECT customer_id FROM timeliness_dirty")).scalars())
        customers = set(conn.execute(text("SELECT id FROM customer")).scalars())
    assert dirty == customers  # the steps' summary is counted for everyone
    assert local_digest(b.services.ctx.engine, COMPARED) == central_digest(
        staff_central, point, COMPARED)


def test_a_pull_failing_in_the_middle_of_a_table_leaves_nothing_aside(
        seeded, make_desk, staff_central, monkeypatch):
    b = make_desk("b")
    expected = _schema(b.services.ctx.engine)
    apply_page = pull_mod.apply_page
    calls = {"n": 0}

    def failing(conn, plan, rows, upto, key=None):
        if plan.table.name == "job_search_period" and upto is not None:
            calls["n"] += 1
            if calls["n"] == 2:  # the table's second page, its indexes set aside
                assert deferred.pending(conn) == ["job_search_period"]
                raise OSError("the network went away")
        return apply_page(conn, plan, rows, upto, key)

    monkeypatch.setattr(pull_mod, "apply_page", failing)
    with pytest.raises(OSError):
        # `wait`: the horizon past every transaction open on the cluster when the pull
        # starts (another run's), so that the pages lie below it and move the cursor.
        pull_mod.pull(b.services.ctx.engine, staff_central, seeded.engine.point_id(), page=2,
                      wait=30)
    assert _schema(b.services.ctx.engine) == expected
    monkeypatch.setattr(pull_mod, "apply_page", apply_page)
    pull_mod.pull(b.services.ctx.engine, staff_central, seeded.engine.point_id(), page=2)
    point = seeded.engine.point_id()
    assert local_digest(b.services.ctx.engine, COMPARED) == central_digest(
        staff_central, point, COMPARED)


def test_a_pull_stopped_in_the_middle_of_a_table_leaves_nothing_aside(seeded, make_desk,
                                                                      staff_central):
    b = make_desk("b")
    expected = _schema(b.services.ctx.engine)
    pages: list[int] = []

    def count(_seen: int, _total: int) -> None:
        with b.services.ctx.engine.connect() as conn:
            pages.append(len(deferred.pending(conn)))

    def stop() -> bool:  # after the first page of the first table set aside
        return any(pages)

    result = pull_mod.pull(b.services.ctx.engine, staff_central, seeded.engine.point_id(),
                           page=2, progress=count, should_stop=stop)
    assert result.stopped and any(pages)
    assert _schema(b.services.ctx.engine) == expected
    with b.services.ctx.engine.connect() as conn:
        assert deferred.pending(conn) == []
