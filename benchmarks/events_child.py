"""9. Inviting customers to an event (#21): `EventService.invite` of N customers (500 in
`make bench`) as the demo's coach, on a copy of the demo database, against the same
rows written with bare sqlite3.

`python -m benchmarks.events_child DEMO_DB WORK --customers N --repeats R` emits one JSON
object. Each repeat makes two events through the service (untimed): the application
invites the N customers to the first (timed: the one transaction, its outbox entries and
its audit row, committed); the raw baseline then writes every row that transaction
inserted (the participant rows, the audit row and all their outbox entries) again for
the second event, with one `executemany` per table in one transaction of a bare keyed
sqlite3 connection set up as the application's (WAL, synchronous=FULL, foreign keys).
The N customers are the first N of `invite_candidates` (everyone the coach may see), as
the invite dialog offers them. App and raw alternate, so a noisy moment hits both.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
import traceback
import uuid
from datetime import timedelta
from pathlib import Path

from benchmarks.common import app_like_connect, emit, summary

USER = "coach"


def make_event(services, title: str) -> str:
    from app.dto.events import EventInput, SessionInput

    actor = services.ctx.signed_in
    day = services.ctx.today() + timedelta(days=21)
    detail = services.events.create(EventInput(
        service_point_id=actor.service_point_id, kind="recruitment", title=title,
        description="Benchmark", capacity="",
        sessions=(SessionInput(day=day.isoformat(), start="10:00", end="12:00"),)))
    return detail.row.id


def written_rows(con, event_id: str, after_seq: int) -> dict[str, tuple[list[str], list]]:
    """Every row the invite wrote: {table: (columns, rows)}, the outbox last."""
    out: dict[str, tuple[list[str], list]] = {}

    def table(name: str, where: str, args: tuple) -> None:
        cur = con.execute(f'SELECT * FROM "{name}" WHERE {where}', args)
        out[name] = ([d[0] for d in cur.description], cur.fetchall())

    table("event_participant", "event_id = ?", (event_id,))
    audit_ids = [r[0] for r in con.execute(
        "SELECT row_id FROM outbox WHERE seq > ? AND table_name = 'audit_event'",
        (after_seq,))]
    marks = ",".join("?" * len(audit_ids))
    table("audit_event", f"id IN ({marks})", tuple(audit_ids))
    table("outbox", "seq > ?", (after_seq,))
    return out


def replay_rows(written: dict[str, tuple[list[str], list]], old_event: str, new_event: str
                ) -> dict[str, tuple[list[str], list]]:
    """The same rows for another event: its participant ids (derived from the event and
    the customer), new ids for the audit row and the mutations, no outbox seq."""
    from app.rules.events import participant_id

    swap = {old_event: new_event}
    columns, rows = written["event_participant"]
    pid, cid = columns.index("id"), columns.index("customer_id")
    for row in rows:
        swap[row[pid]] = participant_id(new_event, row[cid])
    audit_columns, audit_rows = written["audit_event"]
    for row in audit_rows:
        swap[row[audit_columns.index("id")]] = str(uuid.uuid4())

    def fix(value):
        if isinstance(value, str):
            if value in swap:
                return swap[value]
            if value.startswith("{") and any(old in value for old in swap):
                for old, new in swap.items():
                    value = value.replace(old, new)
        return value

    out = {}
    for name, (cols, rows) in written.items():
        new_rows = []
        for row in rows:
            values = [fix(v) for v in row]
            if name == "outbox":
                values[cols.index("mutation_id")] = str(uuid.uuid4())
            new_rows.append(values)
        if name == "outbox":  # the seq comes from SQLite, as the app's do
            keep = [i for i, c in enumerate(cols) if c != "seq"]
            cols = [cols[i] for i in keep]
            new_rows = [[r[i] for i in keep] for r in new_rows]
        out[name] = (cols, new_rows)
    return out


def raw_write(con, rows: dict[str, tuple[list[str], list]]) -> None:
    with con:
        for name, (cols, values) in rows.items():
            marks = ", ".join("?" * len(cols))
            con.executemany(f'INSERT INTO "{name}" ({", ".join(cols)}) VALUES ({marks})',
                            values)


def run(demo: Path, work: Path, customers: int, repeats: int, out: dict) -> None:
    from app.dto.events import InviteFilter
    from app.services.registry import Services

    db = work / "events.sqlite3"
    shutil.copyfile(demo, db)
    services = Services.open(db, "bench-events")
    services.auth.sign_in(USER, "demo")
    con = app_like_connect(db)
    first = make_event(services, "Benchmark 0")
    candidates = services.events.invite_candidates(first, InviteFilter())
    ids = [c.customer_id for c in candidates[:customers]]
    out.update(customers=len(ids), candidates=len(candidates), user=USER)
    app_s, raw_s, rows_written = [], [], 0
    for i in range(repeats + 1):  # the first warms both up
        app_event = first if i == 0 else make_event(services, f"Benchmark {i}a")
        raw_event = make_event(services, f"Benchmark {i}b")
        seq = con.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
        started = time.perf_counter()
        result = services.events.invite(app_event, ids)
        elapsed = time.perf_counter() - started
        if result.invited != len(ids):
            raise RuntimeError(f"invited {result.invited} of {len(ids)} "
                               f"(already {result.already}, refused {result.refused})")
        written = written_rows(con, app_event, seq)
        prepared = replay_rows(written, app_event, raw_event)
        started = time.perf_counter()
        raw_write(con, prepared)
        raw_elapsed = time.perf_counter() - started
        if i:
            app_s.append(elapsed)
            raw_s.append(raw_elapsed)
            rows_written = sum(len(r) for _c, r in written.values())
            out["rows"] = {name: len(r) for name, (_c, r) in written.items()}
    out["app_s"], out["raw_s"] = summary(app_s), summary(raw_s)
    out["rows_written"] = rows_written
    con.close()
    services.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("demo", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    out: dict = {}
    try:
        run(args.demo, args.work, args.customers, args.repeats, out)
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["trace"] = traceback.format_exc()
    shutil.rmtree(args.work, ignore_errors=True)
    emit(json.loads(json.dumps(out, default=str)))


if __name__ == "__main__":
    main()
