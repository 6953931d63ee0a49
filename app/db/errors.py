"""Why the local database cannot be opened, said in words (issue #27: the local database
is never lost quietly).

Each error carries an untranslated message id (N_()) and its {placeholders}, like
app.services.errors.ServiceError (this layer is below the services, so it has its own
base): `text()` translates, then fills in. The start of the application and the CLI show
`text()` and exit non-zero; nothing here is ever answered by making a new key or a new,
empty database beside a file that exists. The messages name the file and what to do;
they never hold personal data (only paths, page numbers and SQLite's own words)."""

from __future__ import annotations

from pathlib import Path

from app.i18n import N_, _

# Shown to IT support; the same words in every language.
RECOVER_COMMAND = "python -m app.cli db recover --db {path}"


class LocalDatabaseError(Exception):
    """The local database at `path` cannot be opened as it is. `recoverable`: the
    recover command can set it aside and keep what is readable of its unsent changes
    without being forced (a key problem needs the key found first, or --force)."""

    recoverable = True

    def __init__(self, message: str, path: Path | str, **params: object) -> None:
        self.message = message
        self.path = Path(path)
        self.params = {"path": str(path), "command": RECOVER_COMMAND.format(path=path),
                       **params}
        super().__init__(self.text())

    def text(self) -> str:
        """The message in the user's language, with the file and what to do."""
        return _(self.message).format(**self.params)

    def __str__(self) -> str:
        return self.text()


class DatabaseKeyMissing(LocalDatabaseError):
    """The file holds an encrypted database but no key for it is kept: no new key is
    made (it could never open the file, and would hide that the real one is lost)."""

    recoverable = False

    @classmethod
    def in_keyring(cls, path: Path) -> DatabaseKeyMissing:
        return cls(N_("The key of the local database {path} is not in this user account's "
                      "keyring. No new key was made and the database was left as it is. "
                      "Call IT support: the database opens again only with its own key."),
                   path)

    @classmethod
    def in_key_file(cls, path: Path, key_file: Path) -> DatabaseKeyMissing:
        return cls(N_("The key of the local database {path} is missing: the key file "
                      "{key_file} does not exist or holds no key. No new key was made and "
                      "the database was left as it is. Call IT support: the database opens "
                      "again only with its own key."),
                   path, key_file=str(key_file))


class DatabaseKeyUnavailable(LocalDatabaseError):
    """The keyring that holds the key is locked or broken: said, not guessed around."""

    recoverable = False

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(N_("The keyring holding the key of the local database {path} "
                            "cannot be used ({reason}). Unlock the keyring or sign in to "
                            "the computer again; if that does not help, call IT support."),
                         path, reason=reason)


class DatabaseKeyWrong(LocalDatabaseError):
    """A key is kept, but it does not open the file (another account's key, or a first
    page damaged: SQLCipher cannot tell the two apart)."""

    recoverable = False

    def __init__(self, path: Path | str) -> None:
        super().__init__(N_("The local database {path} cannot be opened with the key kept "
                            "for it: the key is not this database's, or the start of the "
                            "file is damaged. Nothing was changed. Call IT support."), path)


class DatabaseEmpty(LocalDatabaseError):
    """A zero-length file: never taken for a new database (its unsent changes would
    vanish without a word)."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(N_("The local database {path} is an empty file (0 bytes). It was "
                            "not replaced by a new database, because changes not yet sent "
                            "to the central database may be missing. Call IT support "
                            "(command for IT: {command})."), path)


class DatabaseDamaged(LocalDatabaseError):
    """The file opens with its key but pages of it are damaged (the integrity check at
    start, or an error reading it)."""

    def __init__(self, path: Path | str, detail: str) -> None:
        super().__init__(N_("The local database {path} is damaged ({detail}). It was left "
                            "as it is. Call IT support: the recover command keeps the "
                            "changes not yet sent and starts again from the central "
                            "database (command for IT: {command})."),
                         path, detail=detail)
