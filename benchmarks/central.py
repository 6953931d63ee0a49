"""PostgreSQL for the benchmarks: a scratch database per run, and the raw baselines
(bare NOTIFY round trip; psycopg COPY plus SQLite executemany of the same rows).

Only psycopg and sqlite3 here, no application code: these are the raw costs.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.db.engine import raw_connect  # keyed: the local files are encrypted

ENV = "DESK_BENCH_PG_URL"

try:  # psycopg comes with the development (or "central") extras; only 5 and 6 need it
    import psycopg
    from psycopg import sql
except ImportError:  # pragma: no cover
    psycopg = sql = None
SKIP_TABLES = ("audit_event", "sync_conflict")  # written upwards only / local review

# The application stores dates as ISO text in SQLite; do the same for the raw inserts
# (and do not lean on sqlite3's default adapters, deprecated since Python 3.12).
for _module in (sqlite3, __import__("sqlcipher3")):
    _module.register_adapter(date, date.isoformat)
    _module.register_adapter(datetime, lambda value: value.isoformat(" "))


def url_from_env() -> str | None:
    """The server named for the benchmarks, else the one named for the tests (CI)."""
    return os.environ.get(ENV) or os.environ.get("DESK_TEST_PG_URL") or None


@contextmanager
def server() -> Iterator[tuple[str | None, str]]:
    """A PostgreSQL server for 5 and 6, and where it comes from: the one named in the
    environment, else a throwaway server started here for the run (tests/pg_server.py),
    else (None, why not)."""
    named = url_from_env()
    if named:
        yield named, "named in " + (ENV if os.environ.get(ENV) else "DESK_TEST_PG_URL")
        return
    from tests.pg_server import Unavailable, throwaway_server

    with ExitStack() as stack:
        try:
            url, source = (stack.enter_context(throwaway_server()),
                           "a throwaway server started for this run")
        except Unavailable as exc:
            url, source = None, f"needs PostgreSQL: set {ENV}, or install it ({exc})"
        yield url, source


def psycopg_url(url: str) -> str:
    """Any of postgresql://, postgresql+psycopg:// as a libpq connection string."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def sqlalchemy_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(
        hide_password=False)


@contextmanager
def scratch_database(url: str) -> Iterator[str | None]:
    """A throwaway database beside the one in `url` (the role needs CREATEDB); yields its
    SQLAlchemy URL, or None when it cannot be created. Dropped afterwards."""
    from sqlalchemy.engine import make_url

    name = f"desk_bench_{os.getpid()}_{int(time.time())}"
    try:
        with psycopg.connect(psycopg_url(url), autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error:
        yield None
        return
    try:
        yield make_url(sqlalchemy_url(url)).set(database=name).render_as_string(
            hide_password=False)
    finally:
        with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


# --- 6. raw: NOTIFY from one connection, received by another ---------------------------


def notify_round_trips(url: str, count: int) -> list[float]:
    channel = f"desk_bench_{os.getpid()}"
    conninfo = psycopg_url(url)
    with psycopg.connect(conninfo, autocommit=True) as listener, \
            psycopg.connect(conninfo, autocommit=True) as sender:
        listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        samples = []
        for i in range(count + 3):
            started = time.perf_counter()
            sender.execute("SELECT pg_notify(%s, %s)", (channel, str(i)))
            received = list(listener.notifies(timeout=5.0, stop_after=1))
            elapsed = time.perf_counter() - started
            if not received:
                raise RuntimeError("a NOTIFY did not arrive within 5 s")
            if i >= 3:  # the first ones warm up both connections
                samples.append(elapsed)
    return samples


# --- 5. raw: COPY into / out of PostgreSQL, executemany into SQLite ---------------------


@dataclass
class TableRows:
    name: str
    columns: list[str]
    types: list[str]  # PostgreSQL types for COPY
    rows: list[tuple]


def _pg_type(declared: str) -> str:
    d = declared.upper()
    if "BOOL" in d:
        return "boolean"
    if "INT" in d:
        return "bigint"
    if d.startswith("DATETIME") or "TIMESTAMP" in d:
        return "timestamp"
    if d == "DATE":
        return "date"
    if any(k in d for k in ("REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL")):
        return "double precision"
    return "text"


def synced_tables(con: sqlite3.Connection) -> list[str]:
    """Tables that synchronise (they carry `hlc`), in the file's creation order."""
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    return [n for n in names if n not in SKIP_TABLES
            and any(c[1] == "hlc" for c in con.execute(f'PRAGMA table_info("{n}")'))]


def columns_of(con: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    info = list(con.execute(f'PRAGMA table_info("{table}")'))
    return [c[1] for c in info], [_pg_type(c[2]) for c in info]


def read_tables(db: Path, ids: dict[str, list[str]] | None = None) -> list[TableRows]:
    """All rows of the synchronised tables (or, with `ids`, those rows, one per id)."""
    con = raw_connect(db)
    out = []
    for table in (list(ids) if ids is not None else synced_tables(con)):
        columns, types = columns_of(con, table)
        select = f'SELECT {", ".join(columns)} FROM "{table}"'
        if ids is None:
            rows = con.execute(select).fetchall()
        else:
            by_id = {}
            wanted = ids[table]
            for start in range(0, len(wanted), 500):
                chunk = sorted(set(wanted[start:start + 500]))
                marks = ",".join("?" * len(chunk))
                by_id.update((r[columns.index("id")], r) for r in con.execute(
                    f"{select} WHERE id IN ({marks})", chunk))
            rows = [by_id[i] for i in wanted if i in by_id]
        out.append(TableRows(table, columns, types, rows))
    con.close()
    return out


def create_raw_schema(url: str, schema: str, tables: Iterable[TableRows]) -> None:
    with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        for t in tables:
            conn.execute(sql.SQL("CREATE TABLE {}.{} ({})").format(
                sql.Identifier(schema), sql.Identifier(t.name),
                sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(ty))
                                   for c, ty in zip(t.columns, t.types, strict=True))))


def drop_raw_schema(url: str, schema: str) -> None:
    with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def copy_in(url: str, schema: str, db: Path, ids: dict[str, list[str]] | None,
            acknowledge: list[int] | None = None) -> tuple[float, int]:
    """Raw push: read the rows from SQLite, COPY them into PostgreSQL in one transaction,
    and (like a push's acknowledgement) one executemany over the outbox rows."""
    started = time.perf_counter()
    tables = read_tables(db, ids)
    count = 0
    with psycopg.connect(psycopg_url(url)) as conn, conn.cursor() as cur:
        for t in tables:
            statement = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
                sql.Identifier(schema), sql.Identifier(t.name),
                sql.SQL(", ").join(map(sql.Identifier, t.columns)))
            with cur.copy(statement) as copy:
                for row in t.rows:
                    copy.write_row(row)
            count += len(t.rows)
        conn.commit()
    if acknowledge:
        con = raw_connect(db)
        with con:
            con.executemany("UPDATE outbox SET attempts = attempts WHERE seq = ?",
                            [(seq,) for seq in acknowledge])
        con.close()
    return time.perf_counter() - started, count


def set_based_push(url: str, db: Path, ids: dict[str, list[str]],
                   acknowledge: list[int] | None = None) -> tuple[float, int]:
    """Raw push into the central schema itself (#28 item 2): the day's rows COPYed into
    staging tables, then one INSERT ... SELECT ... ON CONFLICT (id) DO UPDATE per table
    into the real central tables, their triggers firing (version and transaction stamps,
    the guards); row-level security as the connecting role sees it (the benchmark's
    role: a superuser, as the application's push here). Timed up to the commit, not
    including it, then rolled back, so the application's push that follows finds the
    tables as they were (and PostgreSQL's buffers warm: the app's side gains a little).
    Like the bare baseline (`copy_in`) and the application, the time includes reading
    the rows from SQLite and acknowledging the outbox rows (one executemany).
    Returns the seconds and the rows (the day's entries, one per outbox row)."""
    count = 0
    with psycopg.connect(psycopg_url(url)) as conn, conn.cursor() as cur:
        central_columns = {}
        for name in ids:
            central_columns[name] = {r[0] for r in cur.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s", (name,))}
        conn.commit()
        started = time.perf_counter()
        tables = read_tables(db, ids)
        for t in tables:
            keep = [i for i, c in enumerate(t.columns) if c in central_columns[t.name]]
            columns = [t.columns[i] for i in keep]
            staging = sql.Identifier(f"staging_{t.name}")
            names = sql.SQL(", ").join(map(sql.Identifier, columns))
            cur.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM "
                                "public.{} WITH NO DATA").format(
                staging, names, sql.Identifier(t.name)))
            # Each row once, as it stands: a set-based writer sends a ticket's four
            # entries (arrived, called, started, finished) as the one row they leave.
            # The rate counts the entries, as the application's push does.
            at = t.columns.index("id")
            final = {row[at]: row for row in t.rows}
            with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(staging, names)) as copy:
                for row in final.values():
                    copy.write_row([row[i] for i in keep])
            update = sql.SQL(", ").join(
                sql.SQL("{} = excluded.{}").format(sql.Identifier(c), sql.Identifier(c))
                for c in columns if c != "id")
            cur.execute(sql.SQL("INSERT INTO public.{} ({}) SELECT {} FROM {} "
                                "ON CONFLICT (id) DO UPDATE SET {}").format(
                sql.Identifier(t.name), names, names, staging, update))
            count += len(t.rows)
        if acknowledge:
            con = raw_connect(db)
            with con:
                con.executemany("UPDATE outbox SET attempts = attempts WHERE seq = ?",
                                [(seq,) for seq in acknowledge])
            con.close()
        seconds = time.perf_counter() - started
        conn.rollback()
    return seconds, count


def copy_out(url: str, schema: str, tables: list[TableRows], schema_from: Path,
             target: Path) -> tuple[float, int, dict]:
    """Raw pull: COPY every row out of PostgreSQL (typed) and executemany it into a fresh
    SQLite file made with the application's schema, set up as the application's pull
    sets it up (#28 item 2, benchmarks/pull_anatomy.py): SQLCipher, WAL,
    synchronous=FULL, a 32 MiB page cache, foreign keys off; the tables with their
    unique indexes, the other indexes and the timeliness triggers made after the rows
    (app/db/deferred.py). Returns the seconds, the rows, and where the time went: the
    COPY, the SQLite writes, the indexes, and (information) the same rows written into
    bare tables of a plain SQLite file."""
    from app.db.deferred import MARK_EVERY_CUSTOMER

    source = raw_connect(schema_from)
    ddl = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid"
    ).fetchall()
    source.close()
    later = [sql for kind, name, sql in ddl
             if (kind == "index" and not sql.lstrip().upper().startswith("CREATE UNIQUE"))
             or (kind == "trigger" and "_steps_" in name)]
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    local = raw_connect(target)
    local.execute("PRAGMA journal_mode=WAL")
    local.execute("PRAGMA synchronous=FULL")
    local.execute("PRAGMA cache_size=-32768")
    local.execute("PRAGMA foreign_keys=OFF")
    for _kind, _name, statement in ddl:
        if statement not in later:
            local.execute(statement)
    local.commit()
    started = time.perf_counter()
    count, copy_s, write_s, kept = 0, 0.0, 0.0, []
    with psycopg.connect(psycopg_url(url)) as conn, conn.cursor() as cur:
        for t in tables:
            at = time.perf_counter()
            statement = sql.SQL("COPY (SELECT {} FROM {}.{}) TO STDOUT").format(
                sql.SQL(", ").join(map(sql.Identifier, t.columns)),
                sql.Identifier(schema), sql.Identifier(t.name))
            with cur.copy(statement) as copy:
                copy.set_types(t.types)
                rows = list(copy.rows())
            copied = time.perf_counter()
            marks = ", ".join("?" * len(t.columns))
            with local:
                local.executemany(
                    f'INSERT INTO "{t.name}" ({", ".join(t.columns)}) VALUES ({marks})', rows)
            write_s += time.perf_counter() - copied
            copy_s += copied - at
            count += len(rows)
            kept.append(TableRows(t.name, t.columns, t.types, rows))
    at = time.perf_counter()
    with local:
        for statement in later:
            local.execute(statement)
        local.execute(MARK_EVERY_CUSTOMER)
    index_s = time.perf_counter() - at
    elapsed = time.perf_counter() - started
    local.close()
    bare = _bare_rate(kept, target.with_name(target.name + ".bare"))
    return elapsed, count, {"copy_s": copy_s, "sqlite_s": write_s, "index_s": index_s,
                            "bare_rows_per_s": bare}


def _bare_rate(tables: list[TableRows], path: Path) -> float:
    """(Information) the same rows into bare tables (columns only) of a plain SQLite file,
    synchronous=OFF: what this machine's SQLite does with nothing else to keep."""
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    for t in tables:
        con.execute(f'CREATE TABLE "{t.name}" ({", ".join(t.columns)})')
    started = time.perf_counter()
    rows = 0
    for t in tables:
        marks = ", ".join("?" * len(t.columns))
        with con:
            con.executemany(f'INSERT INTO "{t.name}" VALUES ({marks})', t.rows)
        rows += len(t.rows)
    seconds = time.perf_counter() - started
    con.close()
    path.unlink(missing_ok=True)
    return rows / seconds if seconds else 0.0
