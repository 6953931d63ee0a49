"""Errors a service raises: the one shape every user-facing refusal has.

A ServiceError carries an untranslated message id (marked with N_()) and the values of
its {placeholders}; `text()` translates the id, then fills them in, so the views show it
in the user's language (or, given another `translate`, in the customer's). The views
decode an error in one place only (app/views/operations.py)."""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import _


class ServiceError(Exception):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        """The message translated (by default into the UI language), values filled in."""
        translated = (translate or _)(self.message)
        return translated.format(**self.params) if self.params else translated


class PermissionDenied(ServiceError):
    pass


class NotSignedIn(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class ValidationFailed(ServiceError):
    """Per-field errors: {field name: message id}."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Check the highlighted fields.")
        self.errors = errors


class Conflict(ServiceError):
    pass


class SignInFailed(ServiceError):
    """The sign-in or the unlock was refused (wrong password, locked account...)."""
