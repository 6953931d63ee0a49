"""An upgraded centre (#20, c0080): the place ledger is filled from the referrals the
centre already holds, and the customer guard's retention check is re-created to see the
case rows added since c0050 (a fresh install always had it; an upgrade did not)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, text

from app.db.migrate import CENTRAL_SCRIPTS


def _upgrade(engine, revision: str) -> None:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(CENTRAL_SCRIPTS))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, revision)


def test_an_upgrade_fills_the_ledger_and_re_creates_the_customer_guard(pg_url):
    engine = create_engine(pg_url)
    try:
        _upgrade(engine, "c0070")
        with engine.begin() as conn:
            # The guard as c0050 left it on an upgraded centre: without the later tables.
            conn.execute(text(
                "CREATE OR REPLACE FUNCTION desk_guard_customer() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"))
            for rid, state, sent in (("r-sent", "started", "current_date - 30"),
                                     ("r-declined", "declined", "current_date - 20"),
                                     ("r-proposed", "proposed", "NULL")):
                conn.execute(text(
                    "INSERT INTO referral (id, customer_id, contract_id, state, proposed_on, "
                    f"sent_on, updated_at) VALUES (:id, 'c-1', 'ct-1', :state, current_date "
                    f"- 40, {sent}, now())"), {"id": rid, "state": state})
        _upgrade(engine, "head")
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT id, contract_id, holds_place, sent_on IS NOT NULL FROM contract_place "
                "ORDER BY id")).all()
            guard = conn.execute(text(
                "SELECT prosrc FROM pg_proc WHERE proname = 'desk_guard_customer'")).scalar()
        assert [tuple(r) for r in rows] == [("r-declined", "ct-1", False, True),
                                            ("r-proposed", "ct-1", False, False),
                                            ("r-sent", "ct-1", True, True)]
        for table in ("referral", "support_decision", "job_search_period", "case_facts"):
            assert f"FROM {table} " in guard, table
    finally:
        engine.dispose()
