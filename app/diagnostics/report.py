"""`python -m app --diagnostics`: what IT support asks for first, as plain "key: value"
lines (labels in English, the language of support tickets). Needs no display and changes
nothing: a missing database is reported, not created; an older one is not upgraded; a
missing key is reported, not generated. The central address is shown without its user
name and password."""

from __future__ import annotations

import platform
import sqlite3
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from app import __version__, config
from app.diagnostics import logsetup

Line = tuple[str, str]


def collect(settings: config.Config, qt_versions: tuple[str, str] | None) -> list[Line]:
    """Every line of the report; `qt_versions` is (PySide6, Qt) or None when absent."""
    pyside, qt = qt_versions or ("not installed", "not installed")
    lines: list[Line] = [
        ("application version", __version__),
        ("python", f"{platform.python_version()} ({platform.python_implementation()}, "
                   f"{sys.executable})"),
        ("pyside6", pyside),
        ("qt", qt),
        ("platform", platform.platform()),
        ("bundled", "yes" if getattr(sys, "frozen", False) else "no"),
    ]
    lines += [("config file", f"{path} ({'present' if path.exists() else 'missing'})")
              for path in config.config_files()]
    lines += [
        ("language", settings.language),
        ("workstation", settings.workstation or "-"),
        ("service point (configured)", settings.service_point or "-"),
        ("central database", central_address(settings.central_url)),
        ("log folder", str(config.log_dir())),
        ("log file", str(config.log_dir() / logsetup.LOG_FILE)),
        ("crash log", str(config.log_dir() / logsetup.CRASH_FILE)),
    ]
    lines += database_lines(settings.db_path)
    return lines


def render(lines: Iterable[Line]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in lines)


def central_address(url: str | None) -> str:
    """The central URL without user name and password (also not from its query)."""
    if not url:
        return "not configured"
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return "not a valid database URL"  # not echoed: it may hold a password
    parsed = URL.create(parsed.drivername, host=parsed.host, port=parsed.port,
                        database=parsed.database, query=parsed.query)
    parsed = parsed.difference_update_query(["user", "password", "sslpassword"])
    return parsed.render_as_string(hide_password=True)


def database_lines(path: Path) -> list[Line]:
    lines: list[Line] = [("local database", str(path))]
    if not path.exists():
        return [*lines, ("local database state", "missing"), ("schema revision", "missing"),
                ("pending outbox entries", "-"), ("last successful sync", "-")]
    from app.db.engine import is_plaintext

    size = path.stat().st_size / 1_000_000
    plain = is_plaintext(path)
    lines.append(("local database state",
                  f"present, {size:.1f} MB, {'not encrypted' if plain else 'encrypted'}"))
    try:
        conn = (sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) if plain
                else _connect_encrypted(path, _key(path)))
    except _Unreadable as exc:
        return [*lines, ("schema revision", str(exc))]
    except Exception as exc:
        return [*lines, ("schema revision", f"cannot open: {_first_line(exc)}")]
    try:
        return [*lines, *_contents(conn)]
    except Exception as exc:
        reason = _first_line(exc)
        if not plain and "not a database" in reason:
            reason = "cannot be read with the stored key (a wrong key, or not a database)"
        return [*lines, ("schema revision", f"unreadable: {reason}")]
    finally:
        conn.close()


class _Unreadable(Exception):
    pass


def _key(path: Path) -> str:
    from app.db.keys import stored_key

    try:
        key = stored_key(path)
    except Exception as exc:
        raise _Unreadable(f"key unavailable: {_first_line(exc)}") from exc
    if key is None:
        raise _Unreadable("key unavailable: no database key in this user's keyring")
    return key


def _connect_encrypted(path: Path, key: str) -> sqlite3.Connection:
    """As app.db.engine.raw_connect, but a wrong key is told here, not by SQLCipher's
    own messages on stderr."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key}'\"")
    return conn


def _contents(conn: sqlite3.Connection) -> list[Line]:
    from app.db.migrate import LOCAL_HEAD
    from app.models import LocalSetting, OutboxEntry
    from app.sync.engine import LAST_SYNC_KEY

    tables = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" not in tables:
        return [("schema revision", "none (an empty database)")]
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = revision[0] if revision else "none"
    if revision == LOCAL_HEAD:
        state = f"{revision} (current)"
    else:
        state = f"{revision} (this version expects {LOCAL_HEAD}; upgraded at the next start)"
    lines: list[Line] = [("schema revision", state)]
    outbox, settings = OutboxEntry.__tablename__, LocalSetting.__tablename__
    if outbox in tables:
        counts = dict(conn.execute(
            f"SELECT status, count(*) FROM {outbox} GROUP BY status").fetchall())
        lines.append(("pending outbox entries", str(counts.pop("pending", 0))))
        if counts:
            lines.append(("other outbox entries",
                          ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))))
    if settings in tables:
        row = conn.execute(f"SELECT value FROM {settings} WHERE key = ?",
                           (LAST_SYNC_KEY,)).fetchone()
        lines.append(("last successful sync", _when(row[0]) if row else "never recorded"))
    return lines


def _when(value: str) -> str:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return value
    from app.i18n import HELSINKI

    local = at.astimezone(HELSINKI) if at.tzinfo else at
    return f"{at.isoformat()} ({local:%Y-%m-%d %H:%M} Europe/Helsinki)"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
