"""Shared pieces of the benchmark harness: results, statistics, child processes and the
cached demo database. No Qt here: the Qt children import `benchmarks.qt` instead."""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.db.engine import raw_connect  # keyed: the local files are encrypted

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CACHE = BENCH_DIR / ".cache"
JSON_MARK = "BENCH-JSON "


class Skipped(Exception):
    """A measurement that cannot run yet; the message says why."""


@dataclass
class Result:
    """One row of the table: the application's figure against its raw baseline."""

    key: str
    title: str
    unit: str = ""
    app: float | None = None
    raw: float | None = None
    ratio: float | None = None
    target: str = ""
    status: str = "SKIP"  # PASS, MISS, SKIP (not available yet), INFO, ERROR
    note: str = ""
    higher_is_better: bool = False
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def ratio(app: float | None, raw: float | None) -> float | None:
    if app is None or raw is None or raw <= 0:
        return None
    return app / raw


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """95th percentile with linear interpolation (statistics' inclusive method)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def summary(values: Sequence[float]) -> dict:
    return {
        "n": len(values),
        "median": median(values),
        "p95": p95(values),
        "min": min(values),
        "max": max(values),
    }


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def app_like_connect(path: Path):  # type: ignore[no-untyped-def]
    """A bare keyed sqlite3 connection set up as the application's engine sets up its own
    (app/db/engine.py): WAL, synchronous=FULL, foreign keys, the same page cache. The raw
    baselines that write into the application's file use it, so both pay the same fsync."""
    con = raw_connect(path)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                   "busy_timeout=5000", "cache_size=-32768"):
        con.execute(f"PRAGMA {pragma}")
    return con


# --- child processes ------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """Offscreen Qt, and no personal settings file or data folder of whoever runs it."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["DESK_CONFIG"] = str(CACHE / "no-settings.ini")
    env["DESK_DATA_DIR"] = str(CACHE / "data")
    env.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def emit(data: dict) -> None:
    """What a child prints for its parent: one marked JSON line on stdout."""
    print(JSON_MARK + json.dumps(data, default=str), flush=True)


def run_child(module: str, *args: str, timeout: float = 900) -> dict:
    """Run `python -m module args` and return the JSON it emitted."""
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=timeout,
    )
    for line in proc.stdout.splitlines():
        if line.startswith(JSON_MARK):
            return json.loads(line[len(JSON_MARK):])
    tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
    raise RuntimeError(f"{module} exited with {proc.returncode} without a result:\n{tail}")


def read_rss_kib(pid: str = "self") -> dict[str, int]:
    """VmRSS and VmHWM (peak) in KiB from /proc (psutil is not a dependency)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


# --- the demo database ----------------------------------------------------------------


def _demo_fingerprint() -> str:
    """Changes when the demo generator or the local schema changes: rebuild then."""
    digest = hashlib.sha256()
    sources = sorted((ROOT / "app/demo").glob("*.py"))
    sources += sorted((ROOT / "app/db/local/versions").glob("*.py"))
    for path in sources:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def scale_label(scale: float) -> str:
    return f"{scale:g}".replace(".", "_")


def demo_db(scale: float, log: Callable[[str], None] = print) -> Path:
    """The cached demo database of this scale, built with the real CLI when missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    stem = f"demo-scale{scale_label(scale)}"
    path = CACHE / f"{stem}-{_demo_fingerprint()}.sqlite3"
    if path.exists():
        return path
    for stale in CACHE.glob(f"{stem}-*"):  # an older generator or schema
        stale.unlink()
    partial = CACHE / f"{stem}.building.sqlite3"
    for leftover in CACHE.glob(f"{stem}.building.sqlite3*"):
        leftover.unlink()
    log(f"building the scale-{scale:g} demo database (once; cached in {path.parent}) …")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--db", str(partial), "--scale", str(scale)],
        cwd=ROOT, env=child_env(), capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"demo build failed:\n{proc.stderr[-2000:]}")
    con = raw_connect(partial)  # fold the WAL in, so that one file is the database
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    partial.rename(path)
    log(f"  built in {time.perf_counter() - started:.0f} s")
    return path
