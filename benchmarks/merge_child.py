"""11. Merging a duplicate with a long history: `CustomerMergeService.merge` as the
demo's team lead, on a copy of the demo database, against the same moves made with bare
SQL UPDATEs through sqlite3.

`python -m benchmarks.merge_child DEMO_DB WORK --history N --repeats R` emits one JSON
object. No demo customer has hundreds of rows, so the setup (untimed, bare SQL, as if
pulled: no outbox) gives each duplicate a long history: `N` visits, N * 2/3 appointments,
N / 3 plans, N * 2/3 case notes and N * 2/3 messages taken from other customers (N = 300
in `make bench`: 1 000 rows). Each repeat merges one such duplicate through the service
(timed: the whole transaction with its outbox entries, committed) and another, with the
same history, with the raw baseline: in one transaction of a bare keyed sqlite3
connection set up as the application's, per moved table one `UPDATE ... SET
customer_id, hlc, updated_at, updated_by WHERE customer_id = ? RETURNING id, version`,
one `executemany` of their outbox entries (the fields the app sends for such a move), the
duplicate tombstoned and the merge row written. The raw side leaves out what the service
also does for a handful of rows (the derived-id folds of barriers, case facts, contact
preference and event lists, the audit row) and its checks (counts, open plans, access).
The real customers have no plan, so the open-plan rule never refuses. App and raw
alternate, so a noisy moment hits both.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
import traceback
import uuid
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import app_like_connect, emit, summary

USER = "lead"
# What the duplicate brings, per unit of --history (visits): the merge's MOVED tables that
# a long history fills.
HISTORY = (("visit", 1.0), ("appointment", 2 / 3), ("plan", 1 / 3), ("customer_note", 2 / 3),
           ("message", 2 / 3))
# The tables the service moves (app.services.customer_merge.MOVED), for the raw UPDATEs.
MOVED = ("visit", "queue_ticket", "appointment", "plan", "customer_note",
         "unemployment_period", "job_search_period", "referral", "support_decision",
         "effect_followup", "job_proposal", "message", "customer_consent",
         "meeting_participant", "meeting_task")


def choose_pairs(con, pairs: int, history: int, seed: int = 28) -> list[tuple[str, str]]:
    """`pairs` (duplicate, real) customers; each duplicate given a long history (bare SQL,
    as if pulled); the real ones have no plan."""
    rng = random.Random(seed)
    planless = [r[0] for r in con.execute(
        "SELECT id FROM customer c WHERE deleted_at IS NULL AND erased_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.customer_id = c.id) ORDER BY id")]
    live = [r[0] for r in con.execute(
        "SELECT id FROM customer WHERE deleted_at IS NULL AND erased_at IS NULL ORDER BY id")]
    if len(planless) < pairs or len(live) < 2 * pairs:
        raise RuntimeError(f"not enough customers for {pairs} merges")
    reals = rng.sample(planless, pairs)
    taken = set(reals)
    dups = rng.sample([c for c in live if c not in taken], pairs)
    taken.update(dups)
    with con:
        for table, share in HISTORY:
            want = round(history * share)
            donors = [r[0] for r in con.execute(
                f'SELECT id FROM "{table}" WHERE customer_id IS NOT NULL AND deleted_at IS NULL '
                "ORDER BY id")]
            rng.shuffle(donors)
            if len(donors) < want * pairs:
                raise RuntimeError(f"only {len(donors)} {table} rows for {want * pairs}")
            for n, dup in enumerate(dups):
                chunk = donors[n * want:(n + 1) * want]
                con.executemany(f'UPDATE "{table}" SET customer_id = ? WHERE id = ? '
                                "AND customer_id NOT IN (" + ",".join("?" * len(taken)) + ")",
                                [(dup, i, *taken) for i in chunk])
    return list(zip(dups, reals, strict=True))


def history_of(con, customer_id: str) -> dict[str, int]:
    counts = {}
    for table in MOVED:
        n = con.execute(f'SELECT count(*) FROM "{table}" WHERE customer_id = ?',
                        (customer_id,)).fetchone()[0]
        if n:
            counts[table] = n
    return counts


class RawMerge:
    """The bare writes of a merge: the moves, their outbox entries, the tombstone, the
    merge row."""

    def __init__(self, con, author: str, schema_version: str) -> None:
        self.con, self.author, self.schema_version = con, author, schema_version
        self.tick = 0

    def hlc(self) -> str:
        self.tick += 1
        return f"{int(time.time() * 1000):015d}:{self.tick:05d}:bench-raw"

    def entry(self, table: str, row_id: str, op: str, fields: dict, before: dict,
              version: int, hlc: str, at: str) -> tuple:
        return (str(uuid.uuid4()), table, row_id, op,
                json.dumps(fields, ensure_ascii=False, sort_keys=True),
                json.dumps(before, ensure_ascii=False, sort_keys=True), version, hlc,
                self.schema_version, at, 0, "pending", self.author)

    def merge(self, dup: str, real: str) -> int:
        con, at = self.con, datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
        entries = []
        with con:
            for table in MOVED:
                hlc = self.hlc()
                moved = con.execute(
                    f'UPDATE "{table}" SET customer_id = ?, hlc = ?, updated_at = ?, '
                    "updated_by = ? WHERE customer_id = ? RETURNING id, version",
                    (real, hlc, at, self.author, dup)).fetchall()
                fields = {"customer_id": real, "updated_at": at, "updated_by": self.author}
                entries += [self.entry(table, row_id, "update", fields,
                                       {"customer_id": dup}, version or 0, hlc, at)
                            for row_id, version in moved]
            hlc = self.hlc()
            con.execute("UPDATE customer SET deleted_at = ?, active = 0, hlc = ?, "
                        "updated_at = ?, updated_by = ? WHERE id = ?",
                        (at, hlc, at, self.author, dup))
            entries.append(self.entry("customer", dup, "update",
                                      {"deleted_at": at, "active": False, "updated_at": at,
                                       "updated_by": self.author},
                                      {"deleted_at": None, "active": True}, 0, hlc, at))
            merge_id, hlc = str(uuid.uuid4()), self.hlc()
            con.execute("INSERT INTO customer_merge (from_customer_id, into_customer_id, "
                        "merged_at, id, version, hlc, updated_at, updated_by) "
                        "VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                        (dup, real, at, merge_id, hlc, at, self.author))
            entries.append(self.entry("customer_merge", merge_id, "insert",
                                      {"from_customer_id": dup, "into_customer_id": real,
                                       "merged_at": at, "id": merge_id, "updated_at": at,
                                       "updated_by": self.author}, {}, 0, hlc, at))
            con.executemany(
                "INSERT INTO outbox (mutation_id, table_name, row_id, op, fields, base_values, "
                "base_version, hlc, schema_version, created_at, attempts, status, author) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entries)
        return len(entries)


def run(demo: Path, work: Path, history: int, repeats: int, out: dict) -> None:
    from app.services.registry import Services

    db = work / "merge.sqlite3"
    shutil.copyfile(demo, db)
    con = app_like_connect(db)
    started = time.perf_counter()
    pairs = choose_pairs(con, 2 * (repeats + 1), history)
    out["setup_s"] = time.perf_counter() - started
    services = Services.open(db, "bench-merge")
    services.auth.sign_in(USER, "demo")
    author = services.ctx.signed_in.staff_id
    app_s, raw_s, app_rows, raw_rows = [], [], [], []
    raw = None
    for i in range(repeats + 1):  # the first warms both up
        (dup, real), (raw_dup, raw_real) = pairs[2 * i], pairs[2 * i + 1]
        out.setdefault("history", history_of(con, dup))
        seq = con.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
        started = time.perf_counter()
        services.customer_merge.merge(dup, real)
        elapsed = time.perf_counter() - started
        written = con.execute("SELECT count(*), max(schema_version) FROM outbox WHERE seq > ?",
                              (seq,)).fetchone()
        if raw is None:
            raw = RawMerge(con, author, written[1])
        started = time.perf_counter()
        raw_written = raw.merge(raw_dup, raw_real)
        raw_elapsed = time.perf_counter() - started
        if i:
            app_s.append(elapsed)
            raw_s.append(raw_elapsed)
            app_rows.append(written[0])
            raw_rows.append(raw_written)
    out["app_s"], out["raw_s"] = summary(app_s), summary(raw_s)
    out["app_outbox_entries"], out["raw_outbox_entries"] = app_rows[-1], raw_rows[-1]
    con.close()
    services.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("demo", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--history", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    out: dict = {}
    try:
        run(args.demo, args.work, args.history, args.repeats, out)
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["trace"] = traceback.format_exc()
    shutil.rmtree(args.work, ignore_errors=True)
    emit(out)


if __name__ == "__main__":
    main()
