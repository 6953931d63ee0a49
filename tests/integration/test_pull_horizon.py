"""A pull waits (briefly) for transactions that were open when it began, so a desk sees
everything committed before its sync started, its own push included."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

from app.sync.pull import await_horizon
from tests.integration.test_sync import central  # noqa: F401 (fixture)


def test_pull_waits_for_a_transaction_open_when_it_began(central):  # noqa: F811
    assert await_horizon(central, timeout=1.0)
    writer = central.connect()
    writer.execute(text("SELECT pg_current_xact_id()"))  # holds a transaction id open
    try:
        assert not await_horizon(central, timeout=0.2)  # gives up: next sync catches up
        threading.Timer(0.3, writer.commit).start()
        started = time.monotonic()
        assert await_horizon(central, timeout=5.0)
        assert time.monotonic() - started >= 0.25
    finally:
        time.sleep(0.4)
        writer.close()
