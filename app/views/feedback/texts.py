"""The customer-facing feedback texts in the customer's language, whatever the worker's.
The catalogs are complete (the test suite checks), so the customer never meets an
English-only kiosk."""

from __future__ import annotations

from app.i18n import translate_in


def customer_text(lang: str, message: str) -> str:
    """`message` in the customer's language (the kiosk and the customer's window speak
    the customer's language, whatever the worker's)."""
    return translate_in(lang, message)
