"""Recovering a local database that cannot be opened, keeping every unsent change that
can still be read (`python -m app.cli db recover --db PATH`, issue #27).

The decision: start again from the centre, not from a backup. The only copies kept
beside the database are the ones made before a schema upgrade (app/db/migrate.py
`backup`): months old, their outbox long since sent, their rows stale. Everything this
workstation ever sent is in the central database, so the one thing that can be lost with
the file is its outbox (the table `outbox`: entries pending, rejected or quarantined;
sent ones are deleted). So the recovery

1. moves the damaged file aside (`<name>.damaged.<UTC stamp><suffix>`, with its -wal and
   -shm), never deleting it: with its key it can still be read by hand later;
2. reads what it can of its outbox from a scratch copy (the file set aside stays byte for
   byte as it was), skipping damaged pages, and writes it to a JSON file for IT beside it
   (owner-only: the changes hold personal data; delete it once IT has checked it);
3. makes a new database in its place (same key) with those entries, unchanged (mutation
   id, base version, status) and in their order, and the workstation's own settings (its
   clock's node id, service point, desk, ticket letter), but no sync cursor: the next
   sync (a sign-in online, or `python -m app.cli sync --db PATH --central URL --once`)
   pushes the carried entries first (harmless if one had arrived: the centre remembers
   each mutation id) and then pulls the service point's data afresh, as a first sync.

The upgrade backups are left where they are and listed for IT. Run it with the program
closed on that workstation (the file is moved from under any open connection)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.db.errors import LocalDatabaseError

log = logging.getLogger("app.db.recovery")

OUTBOX = "outbox"
# Local settings that describe the workstation, not the data: carried over. The sync
# cursors and the last sync are not, so that the next sync is a full first one.
CARRIED_SETTINGS = ("hlc_node", "service_point", "desk", "ticket_letter")
SIDE_FILES = ("-wal", "-shm")
# Below this gap between the last row read forwards and the first read backwards, the
# rows in between are tried one by one (each a b-tree lookup).
PROBE_LIMIT = 200_000


@dataclass
class Salvage:
    """What could be read of one table of the damaged file."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = True
    problems: list[str] = field(default_factory=list)


@dataclass
class Recovery:
    set_aside: Path  # the damaged file, moved, never deleted
    export: Path  # the unsent changes that could be read, as JSON for IT
    carried: int  # outbox entries carried over into the new database
    complete: bool  # the whole outbox could be read
    problems: list[str]
    backups: list[Path]  # upgrade backups found beside it, left untouched


def diagnose(path: Path) -> LocalDatabaseError | None:
    """Why the database at `path` cannot be opened, or None when it opens and passes the
    integrity check. The file exists, so nothing is made: no key, no database (a plain
    SQLite file is encrypted, as at every start)."""
    from app.db.engine import local_engine

    try:
        local_engine(path).dispose()
    except LocalDatabaseError as exc:
        return exc
    return None


def recover(path: Path, export: Path | None = None,
            now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Recovery:
    """Set the database at `path` aside and make a new one with its readable unsent
    changes (see the module's docstring). The caller decides whether to (the CLI asks
    `diagnose` first and wants --force for a healthy file or one without its key)."""
    from app.db.keys import stored_key

    stamp = now().strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.stem}.damaged.{stamp}{path.suffix}")
    export = export or path.with_name(f"{path.stem}.damaged.{stamp}.unsent-changes.json")
    key = stored_key(path)
    os.replace(path, aside)
    for suffix in SIDE_FILES:
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(aside) + suffix))
    log.warning("the local database %s was set aside as %s", path, aside.name)

    outbox, settings = Salvage(complete=False), Salvage(complete=False)
    if key is None:
        outbox.problems.append("no key is kept for the database: its outbox cannot be read")
    elif aside.stat().st_size == 0:
        outbox.problems.append("the file is empty (0 bytes)")
    else:
        outbox, settings = _salvage(aside, key)
    _write_export(export, path, aside, outbox, now())
    log.warning("outbox salvage: %d entries read, complete: %s", len(outbox.rows),
                outbox.complete)

    _new_database(path, outbox.rows,
                  [row for row in settings.rows if row.get("key") in CARRIED_SETTINGS])
    backups = sorted(p for p in path.parent.glob(f"{path.stem}.*.bak{path.suffix}"))
    return Recovery(aside, export, len(outbox.rows), outbox.complete, outbox.problems,
                    backups)


def _salvage(aside: Path, key: str) -> tuple[Salvage, Salvage]:
    """The outbox and the local settings, read from a scratch copy of the file set aside
    (opening a database may fold its WAL in: the evidence stays as it was)."""
    import sqlcipher3

    with tempfile.TemporaryDirectory(prefix="desk-recover-") as scratch:
        copy = Path(scratch) / aside.name
        shutil.copyfile(aside, copy)
        wal = Path(str(aside) + "-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(str(copy) + "-wal"))

        def connect() -> Any:
            conn = sqlcipher3.connect(str(copy))
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key}'\"")
            return conn

        return _read_table(connect, OUTBOX, "seq"), _read_table(connect, "local_setting",
                                                                   "rowid")


def _read_table(connect: Callable[[], Any], table: str, order: str) -> Salvage:
    """Every row that can be read: forwards until a damaged page, backwards from the end
    until one, then the rows between one by one (each lookup fails alone). After a page
    fails its HMAC check SQLCipher refuses every later read on that connection, so each
    attempt after a failure gets a new one."""
    result = Salvage()
    found: dict[int, dict[str, Any]] = {}
    base = f'SELECT {order} AS _pos, * FROM "{table}"'

    def scan(sql: str, params: tuple[Any, ...] = ()) -> int | None:
        """Rows into `found` until an error; the last position read, None if none."""
        last = None
        conn = connect()
        try:
            cursor = conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            for row in cursor:
                found[row[0]] = dict(zip(names[1:], row[1:], strict=True))
                last = row[0]
        except Exception as exc:  # damaged pages: whatever SQLite says (or MemoryError)
            result.complete = False
            result.problems.append(f"{table}: {type(exc).__name__}: {_first_line(exc)}")
        finally:
            conn.close()
        return last

    low = scan(f"{base} ORDER BY {order}")
    if result.complete:
        result.rows = [found[pos] for pos in sorted(found)]
        return result
    low = low or 0
    upper = scan(f"{base} WHERE {order} > ? ORDER BY {order} DESC", (low,))  # exclusive
    if upper is None:  # nothing read backwards: up to the highest position, if readable
        conn = connect()
        try:
            top = conn.execute(f'SELECT max({order}) FROM "{table}"').fetchone()[0]
            upper = top + 1 if top is not None else None
        except Exception:  # damaged: nothing more to try
            upper = None
        finally:
            conn.close()
    if upper is not None and 0 < upper - low <= PROBE_LIMIT:
        conn = connect()
        try:
            for pos in range(low + 1, upper):
                try:
                    cursor = conn.execute(f"{base} WHERE {order} = ?", (pos,))
                    row = cursor.fetchone()
                except Exception:  # this row's page is damaged: on to the next
                    conn.close()
                    conn = connect()
                    continue
                if row is not None:
                    names = [d[0] for d in cursor.description]
                    found[row[0]] = dict(zip(names[1:], row[1:], strict=True))
        finally:
            conn.close()
    result.rows = [found[pos] for pos in sorted(found)]
    return result


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else ""


def _write_export(export: Path, path: Path, aside: Path, outbox: Salvage,
                  at: datetime) -> None:
    document = {
        "database": str(path),
        "set_aside_as": str(aside),
        "written_at": at.isoformat(timespec="seconds"),
        "table": OUTBOX,
        "complete": outbox.complete,
        "problems": outbox.problems,
        "entries": outbox.rows,
    }
    export.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only: the changes hold personal data (names, identity codes, notes).
    fd = os.open(export, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, indent=1, default=str)
        out.write("\n")


def _new_database(path: Path, entries: list[dict[str, Any]],
                  settings: list[dict[str, Any]]) -> None:
    """The new database in the old one's place: the current schema, the carried outbox
    entries (the columns both schemas have) and the workstation's settings."""
    from sqlalchemy import inspect

    from app.db import migrate
    from app.db.engine import local_engine

    engine = local_engine(path)
    try:
        migrate.upgrade(engine, path)
        known = {column["name"] for column in inspect(engine).get_columns(OUTBOX)}
        with engine.begin() as conn:
            # The values as they were stored (text times, JSON text): no ORM round trip.
            for entry in entries:
                names = [name for name in entry if name in known]
                conn.exec_driver_sql(
                    f'INSERT INTO "{OUTBOX}" ({", ".join(names)}) '
                    f'VALUES ({", ".join("?" for _ in names)})',
                    tuple(entry[name] for name in names))
            for setting in settings:
                conn.exec_driver_sql("INSERT INTO local_setting (key, value) VALUES (?, ?)",
                                     (setting["key"], setting["value"]))
    finally:
        engine.dispose()
