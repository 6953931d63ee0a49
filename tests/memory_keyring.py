"""An in-memory keyring for the tests: the database key never touches the real keyring
of the machine running them. Subprocesses of a test (the fault tests' desk workers)
get the same key through DESK_TEST_DB_KEY."""

from __future__ import annotations

import os
import secrets

import keyring
from keyring.backend import KeyringBackend

from app.db.keys import ENTRY, SERVICE


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def install() -> MemoryKeyring:
    backend = MemoryKeyring()
    key = os.environ.setdefault("DESK_TEST_DB_KEY", secrets.token_hex(32))
    backend.set_password(SERVICE, ENTRY, key)
    keyring.set_keyring(backend)
    return backend
