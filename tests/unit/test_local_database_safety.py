"""The local database is never lost quietly (issue #27 item 4): a missing or wrong key,
an empty file and damaged pages are each refused in words naming the file, no new key
or empty database takes an existing file's place, and `db recover` keeps every unsent
change it can read."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app import cli, i18n
from app.db import migrate
from app.db.engine import local_engine, raw_connect
from app.db.errors import (
    DatabaseDamaged,
    DatabaseEmpty,
    DatabaseKeyMissing,
    DatabaseKeyWrong,
)
from app.db.keys import ENTRY, SERVICE, key_file_path
from app.services.registry import Services
from tests.factories import add_people, open_services
from tests.memory_keyring import MemoryKeyring

PAGE = 4096  # SQLCipher's page size here (PRAGMA page_size)


@pytest.fixture(autouse=True)
def english():
    """The messages' English ids (the translations are added to the catalogs apart)."""
    i18n.set_language("en")


@pytest.fixture
def other_keyring():
    """Another user account's keyring (or a keyring emptied): the test's own comes back."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def key_file_only(tmp_path, monkeypatch):
    """A machine without a keyring: the key lies in DESK_KEY_FILE."""
    monkeypatch.setenv("DESK_KEY_FILE", str(tmp_path / "conf" / "database.key"))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield key_file_path()
    keyring.set_keyring(previous)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def a_workstation(folder: Path) -> Path:
    """A database with an organisation and five customers (their outbox pending)."""
    services = open_services(folder)
    services.auth.sign_in("coach", "demo")
    add_people(services)
    services.close()
    return folder / "desk.sqlite3"


def pad(path: Path, rows: int = 600) -> tuple[int, int]:
    """Rows that are not the outbox written after it (local settings of 2 KB), so that
    the file's middle pages hold them; returns the pages before and after."""
    before = path.stat().st_size // PAGE
    conn = raw_connect(path)
    with conn:
        conn.executemany("INSERT INTO local_setting (key, value) VALUES (?, ?)",
                         [(f"padding-{i}", "x" * 2000) for i in range(rows)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return before, path.stat().st_size // PAGE


def damage(path: Path, pages: list[int]) -> None:
    """Junk over whole pages (1-based page numbers), as a failing disk leaves them."""
    with path.open("r+b") as f:
        for page in pages:
            f.seek((page - 1) * PAGE)
            f.write(os.urandom(PAGE))


def outbox(path: Path) -> list[tuple[str, str]]:
    conn = raw_connect(path)
    try:
        return conn.execute("SELECT mutation_id, status FROM outbox ORDER BY seq").fetchall()
    finally:
        conn.close()


# --- a missing or wrong key ---------------------------------------------------------


def made_elsewhere(folder: Path, then: MemoryKeyring) -> Path:
    """A workstation made with the test's key; afterwards `then` is the keyring."""
    made = MemoryKeyring()
    made.set_password(SERVICE, ENTRY, os.environ["DESK_TEST_DB_KEY"])
    keyring.set_keyring(made)
    path = a_workstation(folder)
    keyring.set_keyring(then)
    return path


def test_a_missing_key_in_the_keyring_is_said_and_none_is_made(tmp_path, other_keyring):
    path = made_elsewhere(tmp_path, other_keyring)
    before = digest(path)
    with pytest.raises(DatabaseKeyMissing) as caught:
        Services.open(path, "ws")
    text = caught.value.text()
    assert str(path) in text and "keyring" in text
    assert other_keyring.store == {}  # no new key written
    assert digest(path) == before


def test_a_missing_key_file_is_said_and_none_is_made(tmp_path, key_file_only):
    path = tmp_path / "k.sqlite3"
    engine = local_engine(path)
    migrate.upgrade(engine, path)
    engine.dispose()
    assert key_file_only.exists()
    key_file_only.unlink()
    with pytest.raises(DatabaseKeyMissing) as caught:
        local_engine(path)
    assert str(key_file_only) in caught.value.text() and str(path) in caught.value.text()
    assert not key_file_only.exists()


def test_a_key_file_without_a_key_is_not_overwritten(tmp_path, key_file_only):
    path = tmp_path / "k.sqlite3"
    engine = local_engine(path)
    migrate.upgrade(engine, path)
    engine.dispose()
    key_file_only.write_text("not a key\n", encoding="ascii")
    with pytest.raises(DatabaseKeyMissing):
        local_engine(path)
    assert key_file_only.read_text(encoding="ascii") == "not a key\n"


def test_a_new_database_still_gets_a_new_key(tmp_path, other_keyring):
    engine = local_engine(tmp_path / "new.sqlite3")
    migrate.upgrade(engine, tmp_path / "new.sqlite3")
    engine.dispose()
    assert len(other_keyring.store[(SERVICE, ENTRY)]) == 64


def test_a_wrong_key_is_said_and_the_kept_key_is_left_alone(tmp_path, other_keyring):
    wrong = "0" * 64
    other_keyring.set_password(SERVICE, ENTRY, wrong)
    path = made_elsewhere(tmp_path, other_keyring)
    with pytest.raises(DatabaseKeyWrong) as caught:
        Services.open(path, "ws")
    assert str(path) in caught.value.text()
    assert other_keyring.store == {(SERVICE, ENTRY): wrong}


# --- an empty or damaged file ------------------------------------------------------


def test_a_zero_length_file_is_refused_not_made_a_new_database(tmp_path, other_keyring):
    path = tmp_path / "desk.sqlite3"
    path.touch()
    with pytest.raises(DatabaseEmpty) as caught:
        Services.open(path, "ws")
    assert str(path) in caught.value.text() and "db recover" in caught.value.text()
    assert path.stat().st_size == 0
    assert other_keyring.store == {}  # nor a key made for it


def test_damaged_pages_are_found_at_start_and_said(tmp_path):
    path = a_workstation(tmp_path)
    before, after = pad(path)
    middle = (before + after) // 2
    damage(path, [middle, middle + 1, middle + 5])
    with pytest.raises(DatabaseDamaged) as caught:
        Services.open(path, "ws")
    text = caught.value.text()
    assert str(path) in text and str(middle) in text and "db recover" in text
    # Refused before anything was read or written: the damaged file is as it was.
    damaged = digest(path)
    with pytest.raises(DatabaseDamaged):
        local_engine(path)
    assert digest(path) == damaged


def test_a_check_left_for_later_finds_the_damage_and_closes_the_file(tmp_path):
    """The window's start (#28 item 4) opens with the key only and checks the pages in
    the database thread: once the check has found damage, nothing reads or writes the
    file through those services (a sign-in queued behind the check is refused too)."""
    path = a_workstation(tmp_path)
    before, after = pad(path)
    middle = (before + after) // 2
    damage(path, [middle, middle + 2])
    damaged = digest(path)
    services = Services.open(path, "ws", check_later=True)
    try:
        with pytest.raises(DatabaseDamaged) as caught:
            services.ctx.check_integrity()
        assert str(middle) in caught.value.text()
        with pytest.raises(DatabaseDamaged):
            services.auth.sign_in("coach", "demo")
        with pytest.raises(DatabaseDamaged):
            services.is_empty()
    finally:
        services.close()
    assert digest(path) == damaged


def test_a_check_left_for_later_still_checks_before_an_upgrade(tmp_path, monkeypatch):
    """An upgrade writes (and backs the file up first): with the check left for later,
    a database not at the head revision is checked at open all the same."""
    path = a_workstation(tmp_path)
    before, after = pad(path)
    damage(path, [(before + after) // 2])
    monkeypatch.setattr(migrate, "LOCAL_HEAD", "a-newer-revision")
    with pytest.raises(DatabaseDamaged):
        Services.open(path, "ws", check_later=True)


def test_the_check_passes_a_healthy_database(tmp_path, capsys):
    path = a_workstation(tmp_path)
    assert cli.main(["db", "check", "--db", str(path)]) == 0
    assert str(path) in capsys.readouterr().out


def test_the_cli_says_what_is_wrong_and_exits_2(tmp_path, capsys):
    path = a_workstation(tmp_path)
    before, after = pad(path)
    damage(path, [(before + after) // 2])
    assert cli.main(["db", "check", "--db", str(path)]) == 2
    assert cli.main(["customer", "show", "X", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count(f"{path} is damaged") == 2
    assert "Traceback" not in err


# --- recovery -----------------------------------------------------------------------


def unsent_of_every_kind(path: Path) -> list[tuple[str, str]]:
    conn = raw_connect(path)
    with conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM outbox ORDER BY seq")]
        conn.execute("UPDATE outbox SET status = 'rejected', last_error = 'refused' "
                     "WHERE seq = ?", (seqs[1],))
        conn.execute("UPDATE outbox SET status = 'quarantined' WHERE seq = ?", (seqs[2],))
        conn.execute("INSERT INTO local_setting (key, value) VALUES ('pull_cursor:x', '9')")
    conn.close()
    return outbox(path)


def test_recover_keeps_every_unsent_change_and_the_damaged_file(tmp_path, capsys):
    path = a_workstation(tmp_path)
    unsent = unsent_of_every_kind(path)
    assert len(unsent) >= 5 and {s for _m, s in unsent} == {"pending", "rejected",
                                                              "quarantined"}
    node = raw_connect(path).execute(
        "SELECT value FROM local_setting WHERE key = 'hlc_node'").fetchone()[0]
    before, after = pad(path)
    damage(path, [(before + after) // 2, (before + after) // 2 + 3])
    damaged = digest(path)

    assert cli.main(["db", "recover", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    # The damaged file is set aside, byte for byte, never deleted.
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("desk.damaged.")
             and p.suffix == ".sqlite3"]
    assert len(aside) == 1 and digest(aside[0]) == damaged and str(aside[0]) in out
    # The unsent changes for IT, owner-only (they hold personal data).
    export = next(tmp_path.glob("desk.damaged.*.unsent-changes.json"))
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    document = json.loads(export.read_text(encoding="utf-8"))
    assert document["complete"] is True
    assert [(e["mutation_id"], e["status"]) for e in document["entries"]] == unsent
    # A new database in its place holds them, in order, ready for a first sync.
    assert outbox(path) == unsent
    services = Services.open(path, "ws")
    try:
        assert services.ctx.setting("hlc_node") == node
        assert services.ctx.setting("pull_cursor:x") is None  # a full first sync
        assert services.ctx.setting("padding-1") is None
        assert services.is_empty()
    finally:
        services.close()


def test_recover_reads_round_damaged_outbox_pages(tmp_path, capsys):
    path = a_workstation(tmp_path)
    before = path.stat().st_size // PAGE
    conn = raw_connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO outbox (mutation_id, table_name, row_id, op, fields, base_values,"
            " base_version, hlc, schema_version, created_at, attempts, status)"
            " VALUES (?, 'customer', 'r', 'update', ?, '{}', 1, 'h', 'v', '2026-01-01', 0,"
            " 'pending')", [(f"m-{i:04d}", json.dumps({"note": "y" * 1500})) for i in range(400)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    after = path.stat().st_size // PAGE
    total = len(outbox(path))
    damage(path, [(before + after) // 2])

    assert cli.main(["db", "recover", "--db", str(path)]) == 1  # not every change read
    out = capsys.readouterr().out
    kept = [mutation for mutation, _status in outbox(path)]
    # Only the rows on the damaged page are missing: those before and after it are kept.
    assert total - 10 < len(kept) < total
    assert kept[-1] == "m-0399" and "m-0000" in kept
    ours = [m for m in kept if m.startswith("m-")]
    assert ours == sorted(ours)
    assert "m-" not in out  # the report names counts and files, no contents


def test_recover_refuses_a_healthy_database_without_force(tmp_path, capsys):
    path = a_workstation(tmp_path)
    same = digest(path)
    assert cli.main(["db", "recover", "--db", str(path)]) == 1
    assert digest(path) == same and not list(tmp_path.glob("desk.damaged.*"))
    assert "--force" in capsys.readouterr().err


def test_recover_without_the_key_needs_force(tmp_path, other_keyring, capsys):
    made = MemoryKeyring()
    made.set_password(SERVICE, ENTRY, os.environ["DESK_TEST_DB_KEY"])
    keyring.set_keyring(made)
    path = a_workstation(tmp_path)
    keyring.set_keyring(other_keyring)
    assert cli.main(["db", "recover", "--db", str(path)]) == 1
    assert "--force" in capsys.readouterr().err and other_keyring.store == {}
    assert cli.main(["db", "recover", "--db", str(path), "--force"]) == 1  # nothing read
    assert len(list(tmp_path.glob("desk.damaged.*.sqlite3"))) == 1
    assert outbox(path) == []  # the new database, under a new key


def test_recover_sets_an_empty_file_aside(tmp_path, capsys):
    path = a_workstation(tmp_path)
    for side in tmp_path.glob("desk.sqlite3-*"):
        side.unlink()
    path.write_bytes(b"")
    assert cli.main(["db", "recover", "--db", str(path)]) == 1
    assert len(list(tmp_path.glob("desk.damaged.*.sqlite3"))) == 1
    assert outbox(path) == []
    local_engine(path).dispose()  # opens again
