"""A desk in a process of its own, for the fault tests: registers walk-ins, edits a
customer and pushes, over and over, until it is killed. Each committed local change is
printed ("committed <ticket id>") only after its SQLite commit.

With a fifth argument, a username of the seeded staff (tests/factories.py
`ensure_staff_logins`), it works as that staff member's session: signs in on line the
app's way and syncs with their own login, pushing what `SyncService.pushed_by` gives
that URL (their entries and nobody's). Without it: the given URL's shared account."""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy.engine import URL, make_url

from app.services.registry import Services
from app.sync import push as push_mod
from app.sync.engine import SyncEngine, central_engine
from tests import memory_keyring


def main() -> None:
    db, url, letter, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    user = sys.argv[5] if len(sys.argv) > 5 else None
    rng = random.Random(seed)
    memory_keyring.install()  # the test's key, through DESK_TEST_DB_KEY
    pause = float(os.environ.get("DESK_FAULT_PAUSE_AFTER_COMMIT", "0"))
    if pause:
        # Widen the window between the central commit and the local acknowledgement,
        # where a kill leaves a pushed batch unacknowledged.
        original = push_mod.acknowledge

        def slow_acknowledge(local, results):
            print("central-committed", flush=True)
            time.sleep(pause)
            original(local, results)

        push_mod.acknowledge = slow_acknowledge
    services = Services.open(Path(db), f"worker-{letter}")
    authors = None
    if user is None:
        services.auth.sign_in("desk", "demo")
    else:
        full = make_url(url)
        services.auth.central_url = URL.create(
            full.drivername, host=full.host, port=full.port,
            database=full.database).render_as_string()
        actor = services.auth.sign_in(user, "demo")
        assert services.auth.online_sign_in
        url = services.auth.session_url or ""
        authors = services.sync.pushed_by(url)
        assert authors == frozenset({actor.staff_id, None}), authors
    services.queue.set_workstation(letter, letter)
    engine = SyncEngine(services.ctx.engine, central_engine(url), f"worker-{letter}", "ROV",
                        authors=authors)
    customers = [r.id for r in services.customers.page("").rows]
    while True:
        ticket = services.queue.register_walk_in(rng.choice([*customers, None]), "information")
        print(f"committed {ticket.id}", flush=True)
        if rng.random() < 0.3:
            engine.push_only()
        if rng.random() < 0.2:
            engine.sync_once()


if __name__ == "__main__":
    main()
