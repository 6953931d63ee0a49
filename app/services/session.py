"""What the views may know of the session: who is signed in and what time it is.

The views get this instead of the application context, which carries the database
engine and the transaction mechanism that only the services use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from app.services.context import Actor


class SessionInfo:
    """The signed-in staff member and the context clock, read at each call (tests move
    the clock by setting the context's `now`)."""

    def __init__(self, actor: Callable[[], Actor | None], now: Callable[[], datetime],
                 today: Callable[[], date]) -> None:
        self._actor, self._now, self._today = actor, now, today

    @property
    def actor(self) -> Actor | None:
        """Who is signed in (None: no one)."""
        return self._actor()

    def now(self) -> datetime:
        """Now, in UTC."""
        return self._now()

    def today(self) -> date:
        """Today in Helsinki."""
        return self._today()
