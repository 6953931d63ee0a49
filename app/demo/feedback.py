"""Demo data of the feedback issue: every demo account's kiosk PIN is 1234."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import Connection, update

from app.models import StaffCredential

DEMO_PIN = "1234"


def add_demo_pins(conn: Connection) -> None:
    # Hashed once and shared, like the demo password: argon2 is deliberately slow.
    conn.execute(update(StaffCredential.__table__).values(
        pin_verifier=PasswordHasher().hash(DEMO_PIN)))
