"""Hybrid logical clock (Kulkarni et al. 2014): stays close to wall time, never runs
backwards, and orders causally related edits across workstations. Text form
'%013d:%05d:%s' (ms, counter, node) sorts as time order."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class HybridClock:
    def __init__(self, node: str, wall_ms: Callable[[], int] | None = None) -> None:
        self.node = node
        self._wall_ms = wall_ms or (lambda: int(time.time() * 1000))
        self._last_ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    def now(self) -> str:
        with self._lock:
            wall = self._wall_ms()
            if wall > self._last_ms:
                self._last_ms, self._counter = wall, 0
            else:
                self._counter += 1
            return format_hlc(self._last_ms, self._counter, self.node)

    def observe(self, remote: str) -> None:
        """Advance past a timestamp seen from another node (on pull). Rows that never
        had one (seeded centrally) carry an empty value: nothing to learn from them."""
        try:
            ms, counter, _node = parse_hlc(remote)
        except ValueError:
            return
        with self._lock:
            wall = self._wall_ms()
            top = max(wall, self._last_ms, ms)
            if top == self._last_ms == ms:
                self._counter = max(self._counter, counter) + 1
            elif top == self._last_ms:
                self._counter += 1
            elif top == ms:
                self._counter = counter + 1
            else:
                self._counter = 0
            self._last_ms = top


def format_hlc(ms: int, counter: int, node: str) -> str:
    return f"{ms:013d}:{counter:05d}:{node}"


def parse_hlc(text: str) -> tuple[int, int, str]:
    ms, counter, node = text.split(":", 2)
    return int(ms), int(counter), node
