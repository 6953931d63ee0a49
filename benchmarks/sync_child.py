"""5. First sync and a day's push, and 6. a walk-in across desks, through the real sync
engine against a scratch PostgreSQL database; with their raw baselines.

`python -m benchmarks.sync_child DEMO_DB WORKDIR --pg URL [--walk-ins N] [--day-scale S]`
emits one JSON object. Desk A is a copy of the demo database (it seeds the central
database); desk B is a new, empty workstation of the same service point.
"""

from __future__ import annotations

import argparse
import shutil
import threading
import time
import traceback
from pathlib import Path

from app.db.engine import raw_connect  # keyed: the local files are encrypted
from benchmarks import central as raw
from benchmarks.common import emit, summary

POINT = "ROV"  # the walk-in service point of the demo area
AREA = "information"


def act_as(services, username: str) -> None:
    """Sign a desk in without its password (a pulled workstation has no cached verifier)."""
    from sqlalchemy import select

    from app.models import ServicePoint, Staff
    from app.services.context import Actor

    with services.ctx.session_factory() as s:
        staff, point = s.execute(
            select(Staff, ServicePoint)
            .join(ServicePoint, ServicePoint.id == Staff.service_point_id)
            .where(Staff.username == username)).one()
    services.ctx.actor = Actor(staff.id, staff.username, staff.full_name, staff.role, point.id,
                               point.code, point.name, staff.team_id)


def copy_db(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def day_of_changes(services, scale: float) -> dict[str, int]:
    """What one office does in a day, through the services: walk-ins served with a visit
    record, phone contacts and customer edits (demo rates: ~15 walk-ins per scale unit)."""
    from app.dto.visits import VisitInput

    con = raw_connect(services.ctx.engine.url.database)
    customers = [r[0] for r in con.execute(
        "SELECT c.id FROM customer c JOIN service_point p ON p.id = c.service_point_id "
        "WHERE p.code = ? AND c.deleted_at IS NULL ORDER BY c.customer_number LIMIT ?",
        (POINT, int(60 * scale) + 10))]
    con.close()
    walk_ins, contacts, edits = (max(1, round(n * scale)) for n in (15, 20, 5))
    queue, visits, register = services.queue, services.visits, services.customers
    for i in range(walk_ins):
        ticket = queue.register_walk_in(customers[i], AREA)
        queue.call(ticket.id)
        queue.start(ticket.id)
        queue.finish(ticket.id, VisitInput(service_area=AREA, outcome="resolved",
                                           note="benchmark"))
    for i in range(contacts):
        visits.record_contact(customers[walk_ins + i], "phone",
                              VisitInput(service_area="finding_work", outcome="resolved"), 15)
    for i in range(edits):
        customer_id = customers[walk_ins + contacts + i]
        card = register.get(customer_id)
        form = register.edit_form(customer_id)
        register.update(customer_id, type(form)(**{**form.__dict__, "phone": f"040 {i:07d}"}),
                        card.revision)
    return {"walk_ins": walk_ins, "contacts": contacts, "edits": edits}


def pending_outbox(db: Path) -> list[tuple[int, str, str]]:
    con = raw_connect(db)
    rows = con.execute("SELECT seq, table_name, row_id FROM outbox WHERE status = 'pending' "
                       "ORDER BY seq").fetchall()
    con.close()
    return rows


class DeskB:
    """The other desk: LISTENs, pulls on a notification, and reads its queue view."""

    def __init__(self, services, engine, central_url: str) -> None:
        self.services, self.engine = services, engine
        self.wake, self.stopping = threading.Event(), threading.Event()
        self.seen: dict[str, float] = {}
        self.pull_s: list[float] = []
        self.errors: list[str] = []
        channel = f"desk_{POINT.lower()}"
        try:
            from app.sync.listen import Listener

            self.listener = Listener(central_url, [channel], lambda _c: self.wake.set())
        except ImportError:  # the app's listener not there yet: the same thing, bare
            self.listener = _BareListener(central_url, channel, self.wake)
        self.listener.start()
        self.worker = threading.Thread(target=self._run, daemon=True)
        self.worker.start()

    def _run(self) -> None:
        while not self.stopping.is_set():
            if not self.wake.wait(0.2):
                continue
            self.wake.clear()
            try:
                started = time.perf_counter()
                self.engine.sync_once()
                snapshot = self.services.queue.snapshot()
                now = time.perf_counter()
                self.pull_s.append(now - started)
                for row in snapshot.waiting + snapshot.serving:
                    self.seen.setdefault(row.id, now)
            except Exception:
                self.errors.append(traceback.format_exc(limit=3))

    def stop(self) -> None:
        self.stopping.set()
        self.listener.stop()
        self.worker.join(5)


class _BareListener(threading.Thread):
    def __init__(self, url: str, channel: str, wake: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.channel, self.wake = raw.psycopg_url(url), channel, wake
        self.stopping = threading.Event()

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(psycopg.sql.SQL("LISTEN {}").format(psycopg.sql.Identifier(self.channel)))
            while not self.stopping.is_set():
                for _note in conn.notifies(timeout=0.5):
                    self.wake.set()


def run(demo: Path, work: Path, url: str, walk_ins: int, day_scale: float, out: dict) -> None:
    """Fills `out` as it goes, so that a failure late keeps the figures made before it."""
    from app.db.migrate import upgrade_central
    from app.services.registry import Services
    from app.sync import pull as pull_mod
    from app.sync import push as push_mod
    from app.sync.engine import SyncEngine, central_engine

    with raw.scratch_database(url) as central_url:
        if central_url is None:
            raise RuntimeError(f"cannot create a scratch database with {raw.ENV} "
                               "(the role needs CREATEDB)")
        started = time.perf_counter()
        upgrade_central(central_url)
        out["central_init_s"] = time.perf_counter() - started
        central = central_engine(central_url)
        desk_a = Services.open(copy_db(demo, work / "desk-a.sqlite3"), "desk-a")
        from app.sync.seed import seed_central  # uncommitted when this was written

        started = time.perf_counter()
        seeded = seed_central(desk_a.ctx.engine, central)
        out["seed"] = {"rows": seeded, "s": time.perf_counter() - started}
        push_mod.push(desk_a.ctx.engine, central, desk_a.ctx.clock.node)  # A's leftovers

        # 5a. first sync of a new workstation
        b_path = work / "desk-b.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(b_path) + suffix).unlink(missing_ok=True)
        desk_b = Services.open(b_path, "desk-b")
        engine_b = SyncEngine(desk_b.ctx.engine, central, desk_b.ctx.clock.node, POINT,
                              observe=desk_b.ctx.clock.observe)
        usable: dict[str, float] = {}

        def ready(rows: int) -> None:  # the working set is in (app/sync/working_set.py)
            usable.update(s=time.perf_counter() - started, rows=rows)

        started = time.perf_counter()
        report = engine_b.sync_once(ready=ready)
        first_s = time.perf_counter() - started
        out["first_sync"] = {"rows": report.pulled, "s": first_s,
                             "rows_per_s": report.pulled / first_s,
                             "usable_s": usable.get("s"), "working_set_rows": usable.get("rows")}
        schema = "desk_bench_raw"
        tables = raw.read_tables(b_path)
        raw.create_raw_schema(central_url, schema, tables)
        seconds, rows = raw.copy_in(central_url, schema, b_path, None)
        out["raw_copy_in"] = {"rows": rows, "s": seconds, "rows_per_s": rows / seconds}
        seconds, rows, parts = raw.copy_out(central_url, schema, tables, b_path,
                                            work / "raw-pull.sqlite3")
        out["raw_first_sync"] = {"rows": rows, "s": seconds, "rows_per_s": rows / seconds,
                                 **parts}

        # 5b. a day of one office's changes, pushed
        desk_a.auth.sign_in("coach", "demo")
        started = time.perf_counter()
        out["day"] = day_of_changes(desk_a, day_scale)
        out["day"]["made_in_s"] = time.perf_counter() - started
        a_path = Path(desk_a.ctx.engine.url.database)
        entries = pending_outbox(a_path)
        ids: dict[str, list[str]] = {}
        for _seq, table, row_id in entries:
            ids.setdefault(table, []).append(row_id)
        day_schema = "desk_bench_raw_day"
        raw.create_raw_schema(central_url, day_schema,
                              raw.read_tables(a_path, ids))
        seconds, rows = raw.copy_in(central_url, day_schema, a_path, ids,
                                    acknowledge=[e[0] for e in entries])
        out["raw_push"] = {"rows": rows, "s": seconds, "rows_per_s": rows / seconds}
        try:
            seconds, rows = raw.set_based_push(central_url, a_path, ids,
                                                 acknowledge=[e[0] for e in entries])
            out["raw_push_set"] = {"rows": rows, "s": seconds, "rows_per_s": rows / seconds}
        except Exception as exc:  # the row keeps the bare baseline; says why
            out["raw_push_set_error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
        started = time.perf_counter()
        pushed = push_mod.push(desk_a.ctx.engine, central, desk_a.ctx.clock.node)
        seconds = time.perf_counter() - started
        out["push"] = {"rows": pushed.sent, "entries_pending": len(entries), "s": seconds,
                       "rows_per_s": pushed.sent / seconds, "conflicts": pushed.conflicts,
                       "rejected": pushed.rejected}
        pull_mod.pull(desk_b.ctx.engine, central, engine_b.point_id())  # B catches up

        # 6. walk-ins across desks
        act_as(desk_b, "desk")
        b = DeskB(desk_b, engine_b, central_url)
        time.sleep(1.0)  # the listener connects
        latencies, parts, lost = [], [], 0
        try:
            for _ in range(walk_ins + 1):
                started = time.perf_counter()
                ticket = desk_a.queue.register_walk_in(None, AREA)
                registered = time.perf_counter()
                push_mod.push(desk_a.ctx.engine, central, desk_a.ctx.clock.node)
                pushed_at = time.perf_counter()
                deadline = started + 10
                while ticket.id not in b.seen and time.perf_counter() < deadline:
                    time.sleep(0.001)
                if ticket.id not in b.seen:
                    lost += 1
                    continue
                latencies.append(b.seen[ticket.id] - started)
                parts.append({"register_s": registered - started,
                              "push_s": pushed_at - registered,
                              "notify_pull_view_s": b.seen[ticket.id] - pushed_at})
                time.sleep(0.1)
        finally:
            b.stop()
        latencies, parts = latencies[1:], parts[1:]  # the first warms both desks up
        out["walk_in"] = {"latency_s": summary(latencies) if latencies else None,
                          "lost": lost, "parts": parts, "b_pull_s": summary(b.pull_s)
                          if b.pull_s else None, "errors": b.errors[:3]}
        central.dispose()
        desk_a.close()
        desk_b.close()


def raw_only(demo: Path, work: Path, url: str, out: dict) -> None:
    """The raw baselines of 5 on the demo's rows, in a scratch schema of `url` (for when
    the application's side cannot run)."""
    import os

    schema = f"desk_bench_raw_{os.getpid()}"
    tables = raw.read_tables(demo)
    raw.create_raw_schema(url, schema, tables)
    try:
        seconds, rows = raw.copy_in(url, schema, demo, None)
        out["raw_copy_in"] = {"rows": rows, "s": seconds, "rows_per_s": rows / seconds}
        seconds, rows, parts = raw.copy_out(url, schema, tables, demo,
                                            work / "raw-pull.sqlite3")
        out["raw_first_sync"] = {"rows": rows, "s": seconds, "rows_per_s": rows / seconds,
                                 **parts}
    finally:
        raw.drop_raw_schema(url, schema)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("demo", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--pg", required=True)
    parser.add_argument("--walk-ins", type=int, default=20)
    parser.add_argument("--notifies", type=int, default=50)
    parser.add_argument("--day-scale", type=float, default=10)
    parser.add_argument("--raw-only", action="store_true",
                        help="only the raw baselines (the app's sync is not there yet)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    out: dict = {}
    try:
        out["raw_notify_s"] = summary(raw.notify_round_trips(args.pg, args.notifies))
    except Exception as exc:
        out["raw_notify_error"] = f"{type(exc).__name__}: {exc}"
    if not args.raw_only:
        try:
            run(args.demo, args.work, args.pg, args.walk_ins, args.day_scale, out)
        except Exception as exc:
            out["error"] = f"{type(exc).__name__}: {exc}"
            out["trace"] = traceback.format_exc()
    if "raw_first_sync" not in out:
        try:
            raw_only(args.demo, args.work, args.pg, out)
        except Exception as exc:
            out["raw_error"] = f"{type(exc).__name__}: {exc}"
    shutil.rmtree(args.work, ignore_errors=True)  # two copies of the demo database
    emit(out)


if __name__ == "__main__":
    main()
