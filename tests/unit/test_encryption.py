"""The local database is encrypted with SQLCipher; the key lives in the keyring (here the
tests' in-memory one); a plain database is converted when opened."""

from __future__ import annotations

import sqlite3
import stat

import keyring
import pytest
import sqlcipher3
from keyring.backends import fail

from app.db import migrate
from app.db.engine import is_plaintext, local_engine, raw_connect
from app.db.errors import DatabaseKeyMissing
from app.db.keys import ENTRY, SERVICE, key_file_path
from app.services.registry import Services
from tests.factories import add_people, open_services
from tests.memory_keyring import MemoryKeyring


def test_the_file_cannot_be_opened_without_the_key(tmp_path, services):
    services.auth.sign_in("coach", "demo")
    add_people(services)
    path = tmp_path / "desk.sqlite3"
    on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("desk.sqlite3*"))  # with WAL
    services.close()
    assert not is_plaintext(path)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("SELECT count(*) FROM customer").fetchone()
    wrong = sqlcipher3.connect(str(path))
    wrong.execute("PRAGMA key = \"x'" + "0" * 64 + "'\"")
    with pytest.raises(sqlcipher3.DatabaseError):
        wrong.execute("SELECT count(*) FROM customer").fetchone()
    for data in (on_disk, path.read_bytes()):
        assert b"Guttorm" not in data and "Mäkelä".encode() not in data
    right = raw_connect(path, keyring.get_password(SERVICE, ENTRY))
    assert right.execute("SELECT count(*) FROM customer").fetchone() == (5,)
    right.close()


def test_another_keyring_cannot_open_it(tmp_path):
    open_services(tmp_path).close()
    previous = keyring.get_keyring()
    other = MemoryKeyring()  # someone else's account: no key for this file
    keyring.set_keyring(other)
    try:
        # Said as a missing key, and no new key made beside the file (issue #27).
        with pytest.raises(DatabaseKeyMissing):
            Services.open(tmp_path / "desk.sqlite3", "x")
        assert other.store == {}
    finally:
        keyring.set_keyring(previous)


def test_a_plain_database_is_encrypted_when_opened(tmp_path):
    path = tmp_path / "old.sqlite3"
    plain = local_engine(path, key=None)  # as the application made it before encryption
    migrate.upgrade(plain, path)
    with plain.begin() as conn:
        conn.exec_driver_sql("INSERT INTO local_setting (key, value) VALUES ('m', 'kept')")
    plain.dispose()
    assert is_plaintext(path)
    services = Services.open(path, "ws")
    assert services.ctx.setting("m") == "kept"
    services.close()
    assert not is_plaintext(path)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM local_setting").fetchall()
    # The plain backup made before converting is gone once the copy was verified.
    assert sorted(p.name for p in tmp_path.iterdir() if "before-encryption" in p.name) == []


def test_without_a_keyring_the_key_file_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_KEY_FILE", str(tmp_path / "conf" / "database.key"))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        engine = local_engine(tmp_path / "k.sqlite3")
        migrate.upgrade(engine, tmp_path / "k.sqlite3")
        engine.dispose()
        key_file = key_file_path()
        assert key_file.parent == tmp_path / "conf"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        again = local_engine(tmp_path / "k.sqlite3")  # the same key again
        assert migrate.current_revision(again) == migrate.LOCAL_HEAD
        again.dispose()
    finally:
        keyring.set_keyring(previous)


def test_an_upgrade_backup_is_encrypted_too(tmp_path):
    from alembic import command

    path = tmp_path / "at-0001.sqlite3"
    engine = local_engine(path)
    command.upgrade(migrate.alembic_config(engine), "0001")
    made = migrate.upgrade(engine, path)
    engine.dispose()
    assert made is not None and not is_plaintext(made)
    copy = raw_connect(made)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    copy.close()
