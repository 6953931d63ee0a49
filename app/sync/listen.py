"""LISTEN for the central database's notifications in a thread of its own: a hint to
pull now. Reconnects with backoff; a missed notification is covered by polling."""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

BACKOFF = (1, 2, 4, 8, 15, 30)


def conninfo(url: str) -> str:
    """A SQLAlchemy URL as psycopg's connection string."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Listener(threading.Thread):
    def __init__(self, url: str, channels: list[str], on_notify: Callable[[str], None],
                 on_online: Callable[[bool], None] | None = None) -> None:
        super().__init__(name="central-listener", daemon=True)
        self.url, self.channels = conninfo(url), list(channels)
        self.on_notify, self.on_online = on_notify, on_online
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._new: list[str] = []

    def add_channel(self, channel: str) -> None:
        """Listen to one more channel (the workstation's point, once it is known)."""
        with self._lock:
            if channel not in self.channels:
                self.channels.append(channel)
                self._new.append(channel)

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        failures = 0
        while not self.stopping.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
                    with self._lock:
                        self._new.clear()
                        channels = list(self.channels)
                    self._listen(conn, channels)
                    failures = 0
                    if self.on_online:
                        self.on_online(True)
                    while not self.stopping.is_set():
                        for note in conn.notifies(timeout=1.0):
                            self.on_notify(note.channel)
                        with self._lock:
                            new, self._new = self._new, []
                        self._listen(conn, new)
            except psycopg.Error:
                if self.on_online:
                    self.on_online(False)
                delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                self.stopping.wait(delay)

    @staticmethod
    def _listen(conn: psycopg.Connection, channels: list[str]) -> None:
        for channel in channels:
            conn.execute(psycopg.sql.SQL("LISTEN {}").format(psycopg.sql.Identifier(channel)))
