"""`python -m benchmarks.reports [--db PATH | --scale 10] [--repeats 5]`: every report on
the demo area, each timed through ReportService (median of the repeats) against its own
SQL run with bare sqlite3 (the statements SQLAlchemy sent, captured with an engine
event). Two ranges: the view's default (the last twelve weeks) and a whole year.
Prints a table; timings are reported, never asserted.

`--json` (the harness, benchmarks/run.py row 8 "a year's reports"): the whole year only,
emitted as one marked JSON line (common.emit)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.common import child_env, demo_db, emit


def _median_ms(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(source: Path, repeats: int, ranges: tuple[str, ...] = ("12 weeks", "year"),
            log: Any = None) -> dict[str, Any]:
    """Every report's time through the service and its SQL's time with bare sqlite3, per
    range: {"bare_scan_ms", "load", "ranges": {label: {name: {"app_ms", "raw_ms"}}},
    "key_figures_ms": {label: ms}}. `log(text)` gets a line per report as it is done."""
    # The demo database is encrypted with the key its build stored in the benchmarks' own
    # data folder (common.child_env): read it with that key, raw too.
    os.environ.update({k: v for k, v in child_env().items()
                       if k in ("DESK_CONFIG", "DESK_DATA_DIR")})
    from app.db.engine import raw_connect
    from app.dto.reports import ReportFilter
    from app.services.registry import Services
    from app.services.reports import REPORTS

    work = Path(tempfile.mkdtemp(prefix="bench-reports-")) / "demo.sqlite3"
    shutil.copy(source, work)  # signing in writes an audit row
    services = Services.open(work, "bench")
    services.auth.sign_in("lead", "demo")
    captured: list[tuple[str, tuple]] = []

    @event.listens_for(services.ctx.engine, "before_cursor_execute")
    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        captured.append((statement, parameters))

    raw = raw_connect(work)
    twelve_weeks = services.reports.default_filter()
    filters = {"12 weeks": twelve_weeks,
               "year": ReportFilter(twelve_weeks.date_to - timedelta(days=364),
                                    twelve_weeks.date_to)}
    inputs = services.reports.inputs()
    # The timeliness reports' per-customer summary (app.services.reports.timeliness_steps):
    # the first report after the upgrade to it (or on a new workstation's first pull)
    # computes every customer's steps; measured apart, then kept up by the triggers.
    from app.services.reports import timeliness_steps

    started = time.perf_counter()
    with services.ctx.reading() as s:
        summarised = (timeliness_steps.refresh(s, inputs.today)
                      if timeliness_steps.available(s) else 0)
    first_ms = (time.perf_counter() - started) * 1000
    # How fast this machine is right now: one bare pass over the visit table.
    bare = _median_ms(lambda: raw.execute("SELECT count(*), sum(length(topics)) FROM visit")
                      .fetchall(), repeats)
    out: dict[str, Any] = {"bare_scan_ms": bare, "load": os.getloadavg()[0],
                           "ranges": {}, "key_figures_ms": {},
                           "timeliness_summary": {"customers": summarised, "ms": first_ms}}
    try:
        for label in ranges:
            f = filters[label]
            times: dict[str, dict[str, float]] = {}
            for name in REPORTS:
                services.reports.run(name, f, inputs)  # warm the page cache
                captured.clear()
                app_ms = _median_ms(lambda n=name, f=f: services.reports.run(n, f, inputs),
                                    repeats)
                statements = [(s, p) for s, p in captured[: len(captured) // repeats]
                              if s.lstrip().upper().startswith("SELECT")]
                raw_ms = _median_ms(lambda st=statements: [raw.execute(s, p).fetchall()
                                                           for s, p in st], repeats)
                times[name] = {"app_ms": app_ms, "raw_ms": raw_ms}
                if log:
                    log(f"{name:34s} {label:9s} {app_ms:8.1f} {raw_ms:8.1f} "
                        f"{app_ms / raw_ms if raw_ms else 0:6.2f}")
            out["ranges"][label] = times
            started = time.perf_counter()
            services.reports.key_figures(f)
            out["key_figures_ms"][label] = (time.perf_counter() - started) * 1000
            if log:
                log(f"{'(key figures)':34s} {label:9s} {out['key_figures_ms'][label]:8.1f}")
    finally:
        services.close()
        raw.close()
        shutil.rmtree(work.parent, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reports")
    parser.add_argument("--db", type=Path, help="a demo database (default: the cached one)")
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true",
                        help="the whole year only, as JSON for benchmarks.run")
    args = parser.parse_args(argv)
    source = args.db or demo_db(args.scale)
    if args.json:
        emit(measure(source, args.repeats, ("year",)))
        return 0
    print(f"database: {source}")
    print(f"{'report':34s} {'range':9s} {'app ms':>8s} {'raw ms':>8s} {'ratio':>6s}",
          flush=True)
    data = measure(source, args.repeats, log=lambda line: print(line, flush=True))
    summary = data["timeliness_summary"]
    print(f"timeliness steps computed for {summary['customers']} customers before the first "
          f"report (once, after the upgrade): {summary['ms']:.0f} ms")
    print(f"bare scan of the visit table: {data['bare_scan_ms']:.1f} ms "
          f"(load {data['load']:.1f})")
    year = data["ranges"]["year"]
    slowest = max(year, key=lambda n: year[n]["app_ms"])
    print(f"a year's reports: {sum(t['app_ms'] for t in year.values()):.0f} ms in all; "
          f"slowest {slowest} {year[slowest]['app_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
