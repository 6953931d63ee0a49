"""`--diagnostics` after a real synchronisation: the last successful sync is the one just
made, nothing is left in the outbox, and the central password is not printed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import make_url

from app.__main__ import main
from app.db.migrate import upgrade_central
from app.services.registry import Services
from app.sync.engine import SyncEngine, central_engine
from tests.factories import customer_input, seed_org


def test_the_last_successful_sync_and_the_outbox(capsys, tmp_path, pg_url):
    upgrade_central(pg_url)
    central = central_engine(pg_url)
    services = Services.open(tmp_path / "desk.sqlite3", "a")
    try:
        seed_org(services)
        services.auth.sign_in("coach", "demo")
        services.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
        before = datetime.now(UTC).replace(microsecond=0)
        SyncEngine(services.ctx.engine, central, "a", point_code="ROV").sync_once()
    finally:
        services.close()
        central.dispose()

    assert main(["--diagnostics", "--db", str(tmp_path / "desk.sqlite3"),
                 "--central", pg_url]) == 0
    out = capsys.readouterr().out
    fields = dict(line.split(": ", 1) for line in out.splitlines())
    assert fields["pending outbox entries"] == "0"
    synced = datetime.fromisoformat(fields["last successful sync"].split(" ")[0])
    assert before <= synced <= datetime.now(UTC)
    password = make_url(pg_url).password
    assert password and password not in out
