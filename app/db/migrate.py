"""Upgrade the local database to the current schema, after a backup copy."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

LOCAL_SCRIPTS = Path(__file__).resolve().parent / "local"
# The newest local revision, so that an up-to-date database opens without loading
# Alembic at all (a test checks it against the revision files).

LOCAL_HEAD = "0120"


def alembic_config(engine: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(LOCAL_SCRIPTS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(LOCAL_SCRIPTS))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError:  # no such table: a new database
            return None


def backup(path: Path, label: str, key: str | None = None) -> Path:
    """A consistent copy through SQLite's backup API (safe with WAL, unlike a file copy),
    or for an encrypted database an export encrypted with the same key."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.stem}.{label}.{stamp}.bak{path.suffix}")
    from app.db.engine import export_encrypted, raw_connect

    if key is None:
        src, dst = sqlite3.connect(path), sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return target
    # Encrypted: an encrypted copy under the same key (a consistent export).
    src = raw_connect(path, key)
    try:
        export_encrypted(src, target, key)
    finally:
        src.close()
    return target


def engine_key(engine: Engine) -> str | None:
    """The SQLCipher key an engine opens its file with (x'…' in the URL), if any."""
    password = engine.url.password
    return password[2:-1] if password and password.startswith("x'") else None


def upgrade(engine: Engine, path: Path | None = None) -> Path | None:
    """Bring the database to head. Returns the backup made, if an upgrade was needed."""
    current = current_revision(engine)
    if current == LOCAL_HEAD:
        return None
    from alembic import command

    made = None
    if path is not None and path.exists() and current is not None:
        made = backup(path, f"before-{LOCAL_HEAD}", engine_key(engine))
    command.upgrade(alembic_config(engine), "head")
    return made


CENTRAL_SCRIPTS = Path(__file__).resolve().parent / "central"


def upgrade_central(url: str) -> str:
    """Create or upgrade the central schema; returns the revision it is at."""
    from alembic import command
    from alembic.config import Config as AlembicConfig
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(CENTRAL_SCRIPTS))
        cfg.attributes["engine"] = engine
        command.upgrade(cfg, "head")
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"version_table": "alembic_version_central"})
            return context.get_current_revision() or ""
    finally:
        engine.dispose()
