"""The local SQLite engine and its session factory.

The database file is encrypted with SQLCipher (`sqlcipher3`), its key from the
operating system's keyring (app/db/keys.py). A database that is still plain SQLite (made
before encryption) is converted when it is opened, after a backup copy."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

PLAIN_HEADER = b"SQLite format 3\x00"
_AUTO: Any = object()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a walk-in that was saved must survive a power cut.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _key(path: Path, key: str | None) -> str | None:
    if key is _AUTO:
        from app.db.keys import database_key

        return database_key(path)
    return key


def local_engine(path: Path | str, key: str | None = _AUTO) -> Engine:
    """One engine per database file; `:memory:` is not supported (threads need a file).
    `key=None` opens a plain SQLite file (only the conversion test wants that)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = _key(path, key)
    if key is None:
        engine = create_engine(f"sqlite:///{path}", future=True)
    else:
        encrypt_in_place(path, key)
        # The raw key (x'…'): no passphrase derivation on every new connection.
        url = URL.create("sqlite+pysqlcipher", password=f"x'{key}'", database=str(path))
        # The dialect's default pool keeps one connection per thread; the task runner
        # and the sync thread share connections like the plain SQLite engine does.
        engine = create_engine(url, future=True, poolclass=QueuePool,
                               connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def raw_connect(path: Path | str, key: str | None = _AUTO) -> Any:
    """A DB-API connection to the database file, keyed (scripts, backups, benchmarks)."""
    path = Path(path)
    key = _key(path, key)
    if key is None:
        return sqlite3.connect(path)
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{key}'\"")
    return conn


def is_plaintext(path: Path) -> bool:
    if not path.exists() or path.stat().st_size < len(PLAIN_HEADER):
        return False
    with path.open("rb") as f:
        return f.read(len(PLAIN_HEADER)) == PLAIN_HEADER


def export_encrypted(source: Any, target: Path, key: str) -> None:
    """Copy the database open on `source` into a new file encrypted with `key`."""
    quoted = str(target).replace("'", "''")
    source.execute(f"ATTACH DATABASE '{quoted}' AS encrypted KEY \"x'{key}'\"")
    try:
        source.execute("SELECT sqlcipher_export('encrypted')")
        version = source.execute("PRAGMA main.user_version").fetchone()[0]
        source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
    finally:
        source.execute("DETACH DATABASE encrypted")


def _counts(conn: Any) -> dict[str, int]:
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def encrypt_in_place(path: Path, key: str) -> Path | None:
    """Convert a plain SQLite database to SQLCipher. A backup copy is made first; the
    encrypted copy replaces the file only once it opens with the key and holds the same
    rows, and then the plain backup is removed (it would leave the personal data
    readable on disk). Returns the path of the converted file, or None."""
    if not is_plaintext(path):
        return None
    import sqlcipher3

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    backup = path.with_name(f"{path.stem}.before-encryption.{stamp}.bak{path.suffix}")
    work = path.with_name(path.name + ".encrypting")
    work.unlink(missing_ok=True)
    plain = sqlite3.connect(path)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        copy = sqlite3.connect(backup)
        plain.backup(copy)
        copy.close()
        expected = _counts(plain)
    finally:
        plain.close()
    source = sqlcipher3.connect(str(path))  # no key: SQLCipher reads plain SQLite
    try:
        export_encrypted(source, work, key)
    finally:
        source.close()
    check = raw_connect(work, key)
    try:
        same = _counts(check) == expected
    finally:
        check.close()
    if not same:
        work.unlink(missing_ok=True)
        raise RuntimeError(f"encrypting {path} did not copy every row; it is unchanged")
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(work, path)
    backup.unlink()
    print(f"encrypted the local database {path}", file=sys.stderr)
    return path


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services build DTOs after commit without a reload.
    return sessionmaker(engine, expire_on_commit=False, future=True)
