"""The local SQLite engine and its session factory.

The database file is encrypted with SQLCipher (`sqlcipher3`), its key from the
operating system's keyring (app/db/keys.py). A database that is still plain SQLite (made
before encryption) is converted when it is opened, after a backup copy.

Opening never loses the database quietly (issue #27): an empty file is refused, not
taken for a new database; a missing key is said, never replaced (app/db/keys.py); and an
existing file is checked at every start (`check_database`) before anything reads it.
The errors (app/db/errors.py) name the file and what to do; the recover command
(app/db/recovery.py) sets a damaged file aside and keeps its unsent changes."""

from __future__ import annotations

import logging
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

from app.db.errors import (
    DatabaseDamaged,
    DatabaseEmpty,
    DatabaseKeyWrong,
    LocalDatabaseError,
)

log = logging.getLogger("app.db")
PLAIN_HEADER = b"SQLite format 3\x00"
_AUTO: Any = object()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a walk-in that was saved must survive a power cut.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # 32 MiB of page cache (the default is 2 MiB): a year of reports reads the visits'
    # covering indexes again and again, and every page read is decrypted (SQLCipher).
    # Filled only as pages are read; measured in benchmarks/reports.py.
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


def _key(path: Path, key: str | None) -> str | None:
    if key is _AUTO:
        from app.db.keys import database_key

        return database_key(path)
    return key


def local_engine(path: Path | str, key: str | None = _AUTO, check: bool = True) -> Engine:
    """One engine per database file; `:memory:` is not supported (threads need a file).
    `key=None` opens a plain SQLite file (only the conversion test wants that).

    A file that exists is refused when it is empty (DatabaseEmpty), has no key kept for
    it (DatabaseKeyMissing), does not open with its key (DatabaseKeyWrong) or fails the
    integrity check (DatabaseDamaged); only a path with no file becomes a new database.
    `check=False` checks only the key here: the caller runs `check_database` itself
    before anything is written (the window's start runs it behind the sign-in view)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_empty(path)
    key = _key(path, key)
    if key is None:
        engine = create_engine(f"sqlite:///{path}", future=True)
    else:
        encrypt_in_place(path, key)
        if path.is_file():
            check_database(path, key, pages=check)
        # The raw key (x'…'): no passphrase derivation on every new connection.
        url = URL.create("sqlite+pysqlcipher", password=f"x'{key}'", database=str(path))
        # The dialect's default pool keeps one connection per thread; the task runner
        # and the sync thread share connections like the plain SQLite engine does. Last
        # in, first out: the database thread takes the connection it just gave back,
        # whose page cache (up to 32 MiB each, decrypted) holds what it read, instead of
        # going round all of them and filling each cache with the same pages.
        engine = create_engine(url, future=True, poolclass=QueuePool, pool_use_lifo=True,
                               connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def refuse_empty(path: Path) -> None:
    """A zero-length file is no database: SQLite would quietly make a new, empty one in
    its place, and whatever was not yet sent would vanish without a word."""
    if path.is_file() and path.stat().st_size == 0:
        log.error("the local database %s is an empty file; refused", path)
        raise DatabaseEmpty(path)


def check_database(path: Path, key: str, pages: bool = True) -> None:
    """The integrity check at start: the key opens the file (its first page decrypts),
    then (`pages`) every page's HMAC is intact (`PRAGMA cipher_integrity_check`, reads
    each page once) and the b-trees are sound (`PRAGMA quick_check`). On the 35 MB demo
    database the two pragmas take about 0.4 s warm; both read the whole file, so the
    time grows with its size (about 1 s per 100 MB). The window runs them in the
    database thread after the sign-in view is up (`AppContext.check_integrity`); the
    command line and the tests run them at open.
    SQLite's own failures (an empty message, a MemoryError on a damaged page) become
    DatabaseKeyWrong or DatabaseDamaged with the file's name."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # told here, not on stderr
        conn.execute(f"PRAGMA key = \"x'{key}'\"")
        conn.execute("PRAGMA busy_timeout = 5000")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.OperationalError as exc:
            if _busy(exc):
                raise  # another program holds it: not damage
            raise _refused(DatabaseKeyWrong(path), exc) from exc
        except (sqlcipher3.DatabaseError, MemoryError) as exc:
            raise _refused(DatabaseKeyWrong(path), exc) from exc
        if not pages:
            return
        try:
            bad = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
            if bad:
                detail = bad[0] + (f" (+{len(bad) - 1})" if len(bad) > 1 else "")
                raise _refused(DatabaseDamaged(path, detail))
            result = conn.execute("PRAGMA quick_check(5)").fetchone()
            if not result or result[0] != "ok":
                raise _refused(DatabaseDamaged(path, _check_detail(result)))
        except sqlcipher3.OperationalError as exc:
            if _busy(exc):
                raise
            raise _refused(DatabaseDamaged(path, _reason(exc)), exc) from exc
        except (sqlcipher3.DatabaseError, MemoryError) as exc:
            raise _refused(DatabaseDamaged(path, _reason(exc)), exc) from exc
    finally:
        conn.close()


def _busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def _check_detail(result: Any) -> str:
    lines = [line for line in str(result[0] if result else "").splitlines()
             if line and not line.startswith("***")]
    return lines[0][:200] if lines else "quick_check"


def _refused(error: LocalDatabaseError, cause: BaseException | None = None) -> Exception:
    # The file, the type and SQLite's words: they name pages, never a row's contents.
    log.error("the local database %s was refused: %s%s", error.path, type(error).__name__,
              f" ({type(cause).__name__}: {_reason(cause)})" if cause else "")
    return error


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
