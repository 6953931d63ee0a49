"""Failed sign-ins on one workstation: a growing delay, then a lock for a while.

Pure rules; the state (failures so far, when the last one was) is kept by the auth
service in the local database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_ATTEMPTS = 2  # typos happen: the first two failures cost nothing
LOCK_AFTER = 6  # failures in a row that lock the account on this workstation
LOCK_FOR = timedelta(minutes=15)
MAX_DELAY = timedelta(seconds=60)


@dataclass(frozen=True)
class Failures:
    count: int
    last_at: datetime

    def encode(self) -> str:
        return f"{self.count}|{self.last_at.isoformat()}"

    @staticmethod
    def decode(value: str | None) -> Failures | None:
        if not value:
            return None
        count, _, at = value.partition("|")
        try:
            return Failures(int(count), datetime.fromisoformat(at))
        except ValueError:
            return None


def delay_after(count: int) -> timedelta:
    """How long to wait after `count` failures in a row: 0, 0, 2 s, 4 s, 8 s … (capped),
    and LOCK_FOR once the account is locked."""
    if count >= LOCK_AFTER:
        return LOCK_FOR
    if count <= FREE_ATTEMPTS:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (count - FREE_ATTEMPTS)), MAX_DELAY)


def wait_left(failures: Failures | None, now: datetime) -> timedelta:
    """Time until the next attempt is allowed (zero: allowed now)."""
    if failures is None:
        return timedelta(0)
    left = failures.last_at + delay_after(failures.count) - now
    return max(left, timedelta(0))


def is_locked(failures: Failures | None, now: datetime) -> bool:
    return (failures is not None and failures.count >= LOCK_AFTER
            and wait_left(failures, now) > timedelta(0))


def after_failure(failures: Failures | None, now: datetime) -> Failures:
    """A lock that has run out starts a fresh count (but the next failures are not free:
    they continue from the last delay before the lock)."""
    if failures is not None and failures.count >= LOCK_AFTER and not is_locked(failures, now):
        return Failures(LOCK_AFTER - 2, now)
    return Failures((failures.count if failures else 0) + 1, now)
