"""`python -m benchmarks.reports [--db PATH | --scale 10] [--repeats 5]`: every report on
the demo area, each timed through ReportService (median of the repeats) against its own
SQL run with bare sqlite3 (the statements SQLAlchemy sent, captured with an engine
event). Two ranges: the view's default (the last twelve weeks) and a whole year.
Prints a table; timings are reported, never asserted."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event

from benchmarks.common import child_env, demo_db


def _median_ms(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reports")
    parser.add_argument("--db", type=Path, help="a demo database (default: the cached one)")
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    # The demo database is encrypted with the key its build stored in the benchmarks' own
    # data folder (common.child_env): read it with that key, raw too.
    os.environ.update({k: v for k, v in child_env().items()
                       if k in ("DESK_CONFIG", "DESK_DATA_DIR")})
    from app.db.engine import raw_connect
    from app.dto.reports import ReportFilter
    from app.services.registry import Services
    from app.services.reports import REPORTS

    source = args.db or demo_db(args.scale)
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
    year = ReportFilter(twelve_weeks.date_to - timedelta(days=364), twelve_weeks.date_to)
    inputs = services.reports.inputs()
    print(f"database: {source}")
    # How fast this machine is right now: one bare pass over the visit table.
    bare = _median_ms(lambda: raw.execute("SELECT count(*), sum(length(topics)) FROM visit")
                      .fetchall(), args.repeats)
    print(f"bare scan of the visit table: {bare:.1f} ms (load {os.getloadavg()[0]:.1f})")
    print(f"{'report':22s} {'range':9s} {'app ms':>8s} {'raw ms':>8s} {'ratio':>6s}")
    worst = 0.0
    for label, f in (("12 weeks", twelve_weeks), ("year", year)):
        for name in REPORTS:
            services.reports.run(name, f, inputs)  # warm the page cache
            captured.clear()
            app_ms = _median_ms(lambda n=name, f=f: services.reports.run(n, f, inputs),
                                args.repeats)
            statements = [(s, p) for s, p in captured[: len(captured) // args.repeats]
                          if s.lstrip().upper().startswith("SELECT")]
            raw_ms = _median_ms(lambda st=statements: [raw.execute(s, p).fetchall()
                                                       for s, p in st], args.repeats)
            worst = max(worst, app_ms)
            print(f"{name:22s} {label:9s} {app_ms:8.1f} {raw_ms:8.1f} "
                  f"{app_ms / raw_ms if raw_ms else 0:6.2f}")
        started = time.perf_counter()
        services.reports.key_figures(f)
        print(f"{'(key figures)':22s} {label:9s} {(time.perf_counter() - started) * 1000:8.1f}")
    print(f"slowest report: {worst:.0f} ms")
    services.close()
    raw.close()
    shutil.rmtree(work.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
