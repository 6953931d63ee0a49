"""The local database's encryption key, kept in the operating system's keyring (Windows
Credential Manager, macOS Keychain, the Secret Service on Linux).

One random 256-bit key per user account of the workstation, generated on first use; it
is handed to SQLCipher as a raw key (no passphrase derivation on every connection).
Where no keyring exists (a headless build machine), the key goes into a file in the
user's configuration directory (or DESK_KEY_FILE) readable by its owner only, with a
warning: the database is still encrypted, but the key lies on the same disk, so
production workstations must have a keyring.

A key is made only for a database that does not exist yet (or is still plain SQLite,
converted when opened): beside an encrypted file a new key could never open it and would
hide that the real one is lost, so a missing key is said (app.db.errors), never replaced."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import TypeGuard

from app.db.errors import DatabaseKeyMissing, DatabaseKeyUnavailable

SERVICE = "rovaseutu-desk"
ENTRY = "local-database-key"


def _valid(key: str | None) -> TypeGuard[str]:
    return key is not None and len(key) == 64 and all(c in "0123456789abcdef" for c in key)


def may_make_key(path: Path) -> bool:
    """Whether a new key may be made for the database at `path`: only when there is no
    file yet, or a plain SQLite one (readable without a key, encrypted when opened). An
    existing file of any other kind (encrypted, empty, damaged) keeps the key it had."""
    if not path.exists():
        return True
    from app.db.engine import is_plaintext

    return is_plaintext(path)


def database_key(path: Path) -> str:
    """The key (64 hex digits) for the database at `path`, made only when the database
    is new (`may_make_key`). Raises DatabaseKeyMissing when a file exists but no key is
    kept for it, DatabaseKeyUnavailable when the keyring is locked or broken."""
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    try:
        key = keyring.get_password(SERVICE, ENTRY)
        if _valid(key):
            return key
        if not may_make_key(path):
            raise DatabaseKeyMissing.in_keyring(path)
        key = secrets.token_hex(32)
        keyring.set_password(SERVICE, ENTRY, key)
        return key
    except NoKeyringError:
        return _key_file(path)
    except KeyringError as exc:  # a locked or broken keyring: say so, do not guess
        raise DatabaseKeyUnavailable(path, str(exc).strip() or type(exc).__name__) from exc


def stored_key(path: Path) -> str | None:
    """The key kept for the database at `path`, or None when there is none; unlike
    `database_key` it never makes one (`--diagnostics` must change nothing)."""
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    try:
        key = keyring.get_password(SERVICE, ENTRY)
    except NoKeyringError:
        file = key_file_path(path)
        key = file.read_text(encoding="ascii").strip() if file.exists() else None
    except KeyringError as exc:
        raise DatabaseKeyUnavailable(path, str(exc).strip() or type(exc).__name__) from exc
    return key if _valid(key) else None


def key_file_path(path: Path | None = None) -> Path:
    configured = os.environ.get("DESK_KEY_FILE")
    if configured:
        return Path(configured)
    from platformdirs import user_config_dir

    return Path(user_config_dir("rovaseutu-desk", appauthor=False)) / "database.key"


def _key_file(path: Path) -> str:
    file = key_file_path(path)
    if file.exists():
        key = file.read_text(encoding="ascii").strip()
        if _valid(key):
            return key
        raise DatabaseKeyMissing.in_key_file(path, file)  # never overwritten
    if not may_make_key(path):
        raise DatabaseKeyMissing.in_key_file(path, file)
    print(f"warning: no keyring on this machine; the database key is kept in {file}",
          file=sys.stderr)
    key = secrets.token_hex(32)
    file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key
