"""Errors a service raises. Messages are untranslated ids; the views translate them."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
    """`params` fill the translated message's {placeholders}."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.params = params

    def text(self, translate) -> str:  # type: ignore[no-untyped-def]
        return translate(self.message).format(**self.params)
