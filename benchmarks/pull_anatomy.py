"""Where a first sync's SQLite side spends its time (#28 item 2): the same rows (every
synchronised table of a demo database, as a new workstation of the area would receive
them) written into a fresh file in several ways, one change at a time, from the raw
baseline of row 5a (the application's schema, SQLCipher, WAL, synchronous=FULL, the
default page cache) down to bare tables in plain SQLite. Rows/s each, best of N.

    python -m benchmarks.pull_anatomy [--scale 1] [--repeats 3]

No PostgreSQL here: the rows are read once from the demo file into memory, so each
variant times only the writing (row 5a's note gives the COPY's share). The variants
that build indexes after the load build the unique ones after it too, and those
without triggers do not mark the customers afterwards, while the app keeps the unique
indexes during the load and marks them: so they overstate the app's gain a little."""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.db.engine import raw_connect
from benchmarks.central import TableRows, read_tables

APP_CACHE = -32768  # app/db/engine.py: 32 MiB


@dataclass(frozen=True)
class Variant:
    key: str
    text: str
    encrypted: bool = True
    synchronous: str = "FULL"
    cache: int | None = None
    indexes: str = "before"  # before the load, "after" it, or "none"
    triggers: bool = True
    constraints: bool = True  # the app's CREATE TABLE (keys, checks, references)
    cipher: tuple[str, ...] = ()  # SQLCipher pragmas given right after the key


VARIANTS = (
    Variant("raw", "row 5a's raw baseline: app schema, SQLCipher, WAL, synchronous=FULL, "
            "default cache"),
    Variant("cache", "+ the app's 32 MiB page cache", cache=APP_CACHE),
    Variant("normal", "+ synchronous=NORMAL", cache=APP_CACHE, synchronous="NORMAL"),
    Variant("off", "+ synchronous=OFF", cache=APP_CACHE, synchronous="OFF"),
    Variant("notrig", "+ no triggers during the load", cache=APP_CACHE, synchronous="OFF",
            triggers=False),
    Variant("idxafter", "+ indexes built after the load", cache=APP_CACHE,
            synchronous="OFF", triggers=False, indexes="after"),
    Variant("plain", "+ plain SQLite (no SQLCipher)", encrypted=False, cache=APP_CACHE,
            synchronous="OFF", triggers=False, indexes="after"),
    Variant("bare", "bare tables (columns only, no keys, no indexes), plain SQLite, "
            "synchronous=OFF", encrypted=False, cache=APP_CACHE, synchronous="OFF",
            triggers=False, indexes="none", constraints=False),
    Variant("page16k", "row 5a's raw baseline with the app's cache and SQLCipher pages of "
            "16 KiB (cipher_page_size)", cache=APP_CACHE, cipher=("cipher_page_size=16384",)),
    Variant("sha256", "row 5a's raw baseline with the app's cache and HMAC-SHA256 pages",
            cache=APP_CACHE, cipher=("cipher_hmac_algorithm=HMAC_SHA256",)),
    Variant("idxonly_enc", "app schema with indexes built after the load, SQLCipher, "
            "synchronous=FULL, 32 MiB (what the app could do for history)",
            cache=APP_CACHE, indexes="after"),
)


def schema(demo: Path) -> tuple[list[str], list[str], list[str]]:
    """The application's tables, indexes and triggers (their DDL, in creation order)."""
    con = raw_connect(demo)
    rows = con.execute("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
                       "AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
    con.close()
    return ([s for t, s in rows if t == "table"], [s for t, s in rows if t == "index"],
            [s for t, s in rows if t == "trigger"])


def connect(path: Path, encrypted: bool, cipher: tuple[str, ...] = ()) -> Any:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    if not encrypted:
        return sqlite3.connect(path)
    import secrets

    con = raw_connect(path, secrets.token_hex(32))
    for pragma in cipher:
        con.execute(f"PRAGMA {pragma}")
    return con


def bare_table(t: TableRows) -> str:
    return f'CREATE TABLE "{t.name}" ({", ".join(t.columns)})'


def write(v: Variant, path: Path, tables: list[TableRows], ddl: tuple[list[str], ...]
          ) -> float:
    """Seconds to write every row (and, for "after", to build the indexes) into a new
    file, committed per table as the pull commits per page."""
    creates, indexes, triggers = ddl
    con = connect(path, v.encrypted, v.cipher)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(f"PRAGMA synchronous={v.synchronous}")
    con.execute("PRAGMA foreign_keys=OFF")  # as the pull (app/sync/pull.py)
    if v.cache is not None:
        con.execute(f"PRAGMA cache_size={v.cache}")
    for statement in (creates if v.constraints else [bare_table(t) for t in tables]):
        con.execute(statement)
    if v.indexes == "before":
        for statement in indexes:
            con.execute(statement)
    if v.triggers:
        for statement in triggers:
            con.execute(statement)
    con.commit()
    started = time.perf_counter()
    for t in tables:
        marks = ", ".join("?" * len(t.columns))
        with con:
            con.executemany(f'INSERT INTO "{t.name}" ({", ".join(t.columns)}) '
                            f'VALUES ({marks})', t.rows)
    if v.indexes == "after":
        with con:
            for statement in indexes:
                con.execute(statement)
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def measure(demo: Path, work: Path, repeats: int,
            progress: Callable[[str], None] = print) -> dict:
    tables = read_tables(demo)
    rows = sum(len(t.rows) for t in tables)
    ddl = schema(demo)
    out: dict[str, Any] = {"rows": rows, "tables": len(tables), "indexes": len(ddl[1]),
                           "triggers": len(ddl[2]), "variants": []}
    for v in VARIANTS:
        best = min(write(v, work / f"anatomy-{v.key}.sqlite3", tables, ddl)
                   for _ in range(repeats))
        out["variants"].append({"key": v.key, "text": v.text, "s": best,
                                "rows_per_s": rows / best})
        progress(f"{v.key:12s} {rows / best:>10,.0f} rows/s  {v.text}")
    for v in VARIANTS:
        for suffix in ("", "-wal", "-shm"):
            Path(str(work / f"anatomy-{v.key}.sqlite3") + suffix).unlink(missing_ok=True)
    return out


def main() -> None:
    from benchmarks.common import CACHE, demo_db

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    demo = demo_db(args.scale)
    result = measure(demo, CACHE, args.repeats,
                     (lambda _s: None) if args.json else print)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['rows']:,} rows in {result['tables']} tables; "
              f"{result['indexes']} indexes, {result['triggers']} triggers")


if __name__ == "__main__":
    main()
