"""`python -m benchmarks.run [--scale 10] [--quick]`: every benchmark, each against its raw
baseline measured in the same run; prints a table and writes benchmarks/results.json.

Timings are reported, never asserted: a MISS is information for whoever reads the table.
Each GUI or database benchmark runs in a child process of its own (offscreen Qt, a copy of
the cached demo database), so one failing benchmark becomes an ERROR row, not a crash.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import central
from benchmarks.common import (
    BENCH_DIR,
    CACHE,
    ROOT,
    Result,
    Skipped,
    demo_db,
    ratio,
    run_child,
    scale_label,
)
from benchmarks.report import print_table

QUICK_SCALE = 0.5


class Plan:
    """How much of each benchmark to run: full (make bench) or quick (a smoke run)."""

    def __init__(self, quick: bool, scale: float) -> None:
        self.quick, self.scale = quick, scale
        self.startup_runs = 3 if quick else 9
        self.search_repeats = 1 if quick else 5
        self.scroll_repeats = 1 if quick else 3
        self.painted_screens = 40 if quick else 600
        self.plan_repeats = 2 if quick else 9
        self.walk_ins = 3 if quick else 30
        self.notifies = 10 if quick else 100
        self.report_repeats = 1 if quick else 3
        self.invitees = 100 if quick else 500
        self.invite_repeats = 2 if quick else 5
        self.messages = 50 if quick else 500
        self.message_repeats = 1 if quick else 3
        self.merge_history = 30 if quick else 300  # visits; 1 000 rows in all at 300
        self.merge_repeats = 2 if quick else 5


# --- availability ---------------------------------------------------------------------


def need(module: str, *names: str, what: str) -> object:
    """Import `module` and check it has `names`, else raise Skipped saying why."""
    if importlib.util.find_spec(module.rpartition(".")[0] or module) is None or \
            importlib.util.find_spec(module) is None:
        raise Skipped(f"not available yet: {module} is missing ({what})")
    try:
        loaded = importlib.import_module(module)
    except ImportError as exc:
        raise Skipped(f"not available yet: {module} cannot be imported: {exc}") from exc
    missing = [n for n in names if not hasattr(loaded, n)]
    if missing:
        raise Skipped(f"not available yet: {module} has no {', '.join(missing)} ({what})")
    return loaded


# --- the benchmarks -------------------------------------------------------------------


def bench_startup(db: Path, plan: Plan) -> list[Result]:
    from benchmarks import startup

    return [startup.run(db, plan.startup_runs)]


def bench_gui(db: Path, plan: Plan) -> list[Result]:
    data = run_child("benchmarks.gui_child", str(db), "--repeats", str(plan.search_repeats),
                     "--scroll-repeats", str(plan.scroll_repeats),
                     "--painted-screens", str(plan.painted_screens))
    s = data["search"]
    app_ms, raw_ms = s["app_s"]["p95"] * 1000, s["raw_s"]["p95"] * 1000
    r = ratio(app_ms, raw_ms)
    search = Result(
        key="search", title="2. Search while typing (p95 per key)", unit="ms",
        # The second bar (#28 item 3): the p95 and the median of the per-key ratios.
        app=app_ms, raw=raw_ms, ratio=r, target="≤ 2×, per key ≤ 2×",
        status="PASS" if r is not None and r <= 2 and s["per_key_ratio_median"] <= 2
        else "MISS",
        note=(f"typed {' / '.join(repr(t) for t in s['texts'].values())}, "
              f"{s['app_s']['n']} keystrokes; key -> first page on screen, debounce "
              f"({s['debounce_ms']} ms) excluded; raw = the same SQL with sqlite3. p95 of "
              f"parts: service page() {s['worker_page_s']['p95'] * 1000:.1f} ms, key -> rows "
              f"in model {s['key_to_model_s']['p95'] * 1000:.1f} ms, repaint "
              f"{s['paint_s']['p95'] * 1000:.1f} ms, GC {s['gc_s']['p95'] * 1000:.1f} ms; "
              f"key -> count shown {s['key_to_total_s']['p95'] * 1000:.1f} ms. Median of "
              f"per-key ratios {s['per_key_ratio_median']:.1f}×"),
        details=s,
    )
    c = data["scroll"]
    app_ms = c["app_s_per_screen"]["median"] * 1000
    raw_ms = c["raw_s_per_screen"]["median"] * 1000
    r = ratio(app_ms, raw_ms)
    scroll = Result(
        key="scroll", title="3. Scroll the whole list (per screen)", unit="ms",
        app=app_ms, raw=raw_ms, ratio=r, target="≤ 3×",
        status="PASS" if r is not None and r <= 3 else "MISS",
        note=(f"{c['rows']} rows, {c['rows_per_screen']} rows a screen, fetchMore page by "
              f"page; raw = the same keyset SQL with sqlite3. Per screen: service page() "
              f"{c['worker_s_per_screen']['median'] * 1000:.2f} ms (one page() call median "
              f"{c['worker_page_s']['median'] * 1000:.1f} ms), GC "
              f"{c['gc_s_per_screen']['median'] * 1000:.2f} ms, the rest on the GUI thread"),
        details=c,
    )
    results = [search, scroll]
    if "painted_scroll" in data:
        p = data["painted_scroll"]
        app_ms, raw_ms = p["app_s_per_screen"] * 1000, p["raw_s_per_screen"] * 1000
        results.append(Result(
            key="scroll_painted", title="3b. Scroll on screen, page by page", unit="ms",
            app=app_ms, raw=raw_ms, ratio=ratio(app_ms, raw_ms), target="(information)",
            status="INFO",
            note=(f"the first {p['screens']} screens from the top, each painted; raw = a "
                  "bare QTableView over sqlite3 keyset pages"),
            details=p,
        ))
    return results


def bench_plan(db: Path, plan: Plan) -> list[Result]:
    what = "employment-plan printing"
    need("app.printing.plan_pdf", "render_plan", what=what)
    need("app.services.plans", "PlanService", what=what)
    data = run_child("benchmarks.plan_child", str(db), "--repeats", str(plan.plan_repeats))
    app_ms, raw_ms = data["app_s"]["median"] * 1000, data["bare_s"]["median"] * 1000
    r = ratio(app_ms, raw_ms)
    grown = (f"the demo's longest plan ({data['demo_plan_pages']} p.) with its content "
             f"×{data['content_repeated']}" if data["content_repeated"] > 1 else "a demo plan")
    return [Result(
        key="plan_pdf", title="4. Print a 3-page plan to PDF", unit="ms",
        app=app_ms, raw=raw_ms, ratio=r, target="≤ 1.5×",
        status="PASS" if r is not None and r <= 1.5 else "MISS",
        note=(f"{grown}: {data['pages']} pages; app = print_document + render "
              f"(read {data['read_s']['median'] * 1000:.1f} ms); raw = bare ReportLab "
              f"document of the same text and fonts ({data['bare_pages']} pages)"),
        details=data,
    )]


def sync_results(data: dict, app_missing: str | None) -> list[Result]:
    def rate(part: str) -> float | None:
        return data[part]["rows_per_s"] if part in data else None

    why = app_missing or (f"error: {data['error']}" if "error" in data else "")
    results = []
    for key, title, app_part, raw_part in (
        ("first_sync", "5a. First sync of a new workstation", "first_sync", "raw_first_sync"),
        ("push_day", "5b. Push a day of one office's changes", "push", "raw_push"),
    ):
        app, raw = rate(app_part), rate(raw_part)
        r = ratio(app, raw)
        if app is None:
            status, note = ("SKIP" if app_missing else "ERROR"), why
            if raw is None and "raw_error" in data:
                note += f"; raw baseline failed: {data['raw_error']}"
            elif raw is None and key == "push_day":
                note += "; its raw baseline pushes the rows of the app's day of changes"
        elif key == "first_sync":  # the second bar (#28 item 2)
            status = "PASS" if r is not None and r >= 0.80 and app >= 30000 else "MISS"
            parts = data.get(raw_part) or {}
            note = (f"{data[app_part]['rows']} rows in {data[app_part]['s']:.1f} s; raw = "
                    "psycopg COPY + SQLite executemany of the same rows, indexes after "
                    f"(COPY {parts.get('copy_s', 0):.1f} s, SQLite "
                    f"{parts.get('sqlite_s', 0):.1f} s, indexes {parts.get('index_s', 0):.1f}"
                    f" s); bare tables in plain SQLite (information): "
                    f"{parts.get('bare_rows_per_s', 0):,.0f} rows/s")
        elif key == "push_day" and "raw_push_set" in data:  # the second bar (#28 item 2)
            raw = rate("raw_push_set")
            r = ratio(app, raw)
            status = "PASS" if r is not None and r >= 0.50 else "MISS"
            note = (f"{data[app_part]['rows']} rows in {data[app_part]['s']:.2f} s; raw = the "
                    "same rows set-based into the central tables (COPY to staging, one INSERT "
                    "... ON CONFLICT per table, triggers firing); bare COPY into plain tables "
                    f"(information): {rate('raw_push') or 0:,.0f} rows/s")
            day = data.get("day", {})
            note += (f" (day: {day.get('walk_ins')} walk-ins served, {day.get('contacts')}"
                     f" phone contacts, {day.get('edits')} customer edits)")
        else:
            status = "PASS" if r is not None and r >= 0.30 else "MISS"
            note = (f"{data[app_part]['rows']} rows in {data[app_part]['s']:.1f} s; raw = "
                    "psycopg COPY + SQLite executemany of the same rows")
            if "raw_push_set_error" in data and key == "push_day":
                note += f"; set-based baseline failed: {data['raw_push_set_error']}"
            if key == "push_day":
                day = data.get("day", {})
                note += (f" (day: {day.get('walk_ins')} walk-ins served, {day.get('contacts')}"
                         f" phone contacts, {day.get('edits')} customer edits)")
        results.append(Result(key=key, title=title, unit="rows/s", app=app, raw=raw, ratio=r,
                              target=("≥ 80 % of raw, ≥ 30 000/s" if key == "first_sync"
                                      else "≥ 50 % of set-based" if "raw_push_set" in data
                                      else "≥ 30 % of raw"), status=status, note=note,
                              higher_is_better=True,
                              details={k: data.get(k) for k in (app_part, raw_part, "seed",
                                                                 "day", "raw_copy_in",
                                                                 "raw_push_set")}))
    results.append(usable_result(data, why, app_missing))
    walk = data.get("walk_in") or {}
    latency = walk.get("latency_s")
    raw_ms = data["raw_notify_s"]["p95"] * 1000 if "raw_notify_s" in data else None
    if latency:
        app_ms = latency["p95"] * 1000
        status = "PASS" if app_ms < 1000 and not walk.get("lost") else "MISS"
        note = (f"median {latency['median'] * 1000:.0f} ms over {latency['n']} walk-ins "
                f"(register at desk A, push, NOTIFY, desk B pulls and reads its queue); "
                f"lost {walk.get('lost', 0)}; raw = bare NOTIFY round trip")
    else:
        app_ms, status = None, ("SKIP" if app_missing else "ERROR")
        note = why or "no walk-in arrived"
        if raw_ms is None:
            note += f"; raw: {data.get('raw_notify_error', 'not measured')}"
    results.append(Result(key="walk_in", title="6. Walk-in to another desk (p95)", unit="ms",
                          app=app_ms, raw=raw_ms, ratio=ratio(app_ms, raw_ms),
                          target="p95 < 1 s", status=status, note=note,
                          details={"walk_in": walk, "raw_notify_s": data.get("raw_notify_s")}))
    return results


USABLE_TARGET_S = 5.0


def usable_result(data: dict, why: str, app_missing: str | None) -> Result:
    """5a'. The first sync's working set (#28 item 1): from the start of the sync to the
    moment the desk can serve; "raw" is the whole first sync (complete), for scale."""
    first = data.get("first_sync") or {}
    usable, complete = first.get("usable_s"), first.get("s")
    if usable is None:
        return Result(key="first_sync_usable", title="5a'. First sync: usable (working set)",
                      unit="ms", status="SKIP" if app_missing else "ERROR",
                      note=why or "the working set was not announced")
    return Result(
        key="first_sync_usable", title="5a'. First sync: usable (working set)", unit="ms",
        app=usable * 1000, raw=complete * 1000 if complete else None,
        ratio=ratio(usable, complete), target=f"≤ {USABLE_TARGET_S:g} s",
        status="PASS" if usable <= USABLE_TARGET_S else "MISS",
        note=(f"{first.get('working_set_rows')} rows of the working set (today's queue, two "
              f"weeks of appointments, their customers, the areas' registers) in "
              f"{usable:.1f} s; raw = the complete first sync ({complete or 0:.1f} s); "
              "as the benchmark's superuser login, so without a coach's caseload"),
        details={"usable_s": usable, "complete_s": complete,
                 "working_set_rows": first.get("working_set_rows")})


def bench_sync(db: Path, plan: Plan, work: Path) -> list[Result]:
    if central.psycopg is None:
        raise Skipped("psycopg is not installed (pip install -e '.[dev]')")
    with central.server() as (url, source):
        if url is None:
            return [Result(key=k, title=t, status="SKIP", note=source, higher_is_better=h)
                    for k, t, h in (("first_sync", "5a. First sync of a new workstation", True),
                                    ("first_sync_usable",
                                     "5a'. First sync: usable (working set)", False),
                                    ("push_day", "5b. Push a day of one office's changes",
                                     True),
                                    ("walk_in", "6. Walk-in to another desk (p95)", False))]
        PG_SOURCE.append(source)
        return sync_on(url, db, plan, work)


PG_SOURCE: list[str] = []  # where the PostgreSQL server of this run came from (meta)


def sync_on(url: str, db: Path, plan: Plan, work: Path) -> list[Result]:
    app_missing = None
    try:
        what = "synchronisation"
        need("app.sync.push", "push", what=what)
        need("app.sync.pull", "pull", what=what)
        need("app.sync.engine", "SyncEngine", "central_engine", what=what)
        need("app.sync.seed", "seed_central", what="seeding the central database")
        need("app.db.migrate", "upgrade_central", what="the central schema")
    except Skipped as exc:
        app_missing = str(exc)
    args = [str(db), str(work / "sync"), "--pg", url, "--walk-ins", str(plan.walk_ins),
            "--notifies", str(plan.notifies), "--day-scale", str(plan.scale)]
    data = run_child("benchmarks.sync_child", *args, *(["--raw-only"] if app_missing else []),
                     timeout=3600)
    return sync_results(data, app_missing)


def bench_memory(db: Path, plan: Plan) -> list[Result]:
    app = run_child("benchmarks.memory_child", "app", str(db))
    bare = run_child("benchmarks.memory_child", "bare", str(db))
    app_mb = app["list_open"]["VmRSS"] / 1024
    bare_mb = bare["list_open"]["VmRSS"] / 1024
    return [Result(
        key="memory", title="7. Resident memory, customer list open", unit="MB",
        app=app_mb, raw=bare_mb, ratio=ratio(app_mb, bare_mb), target="< 300 MB",
        status="PASS" if app_mb < 300 else "MISS",
        note=(f"VmRSS; peak {app['list_open']['VmHWM'] / 1024:.0f} MB; after paging all "
              f"{app['rows']} rows in: {app['all_rows_loaded']['VmRSS'] / 1024:.0f} MB; raw = "
              "bare QMainWindow + QTableView of 200 sqlite3 rows"),
        details={"app": app, "bare": bare},
    )]


# The bound of row 8 (#25, "fast over years"): every report over a whole year well under
# half a second at the scale-10 demo, and the service within 1.5x of its own SQL.
REPORT_YEAR_MS = 500.0
REPORT_RATIO = 1.5


def bench_reports(db: Path, plan: Plan) -> list[Result]:
    need("app.services.reports", "REPORTS", what="the reports")
    data = run_child("benchmarks.reports", "--db", str(db), "--repeats",
                     str(plan.report_repeats), "--json", timeout=1800)
    return [reports_result(data)]


def reports_result(data: dict) -> Result:
    """Row 8 from benchmarks.reports' JSON: app = every report run over the same whole
    year, one after another (the Reports page's every tab); raw = their SQL with sqlite3."""
    year = data["ranges"]["year"]
    app_ms = sum(t["app_ms"] for t in year.values())
    raw_ms = sum(t["raw_ms"] for t in year.values())
    r = ratio(app_ms, raw_ms)
    slowest = max(year, key=lambda n: year[n]["app_ms"])
    over = [n for n, t in year.items() if t["app_ms"] >= REPORT_YEAR_MS]
    each = ", ".join(f"{n} {t['app_ms']:.0f}" for n, t in
                     sorted(year.items(), key=lambda item: -item[1]["app_ms"]))
    return Result(
        key="reports_year", title="8. A year's reports (every report)", unit="ms",
        app=app_ms, raw=raw_ms, ratio=r,
        target=f"≤ {REPORT_RATIO:g}×, each < {REPORT_YEAR_MS:.0f} ms",
        status="PASS" if r is not None and r <= REPORT_RATIO and not over else "MISS",
        note=(f"{len(year)} reports over the last 365 days, median of repeats; slowest "
              f"{slowest} {year[slowest]['app_ms']:.0f} ms"
              + (f"; {len(over)} at or over {REPORT_YEAR_MS:.0f} ms" if over else "")
              + f". Each, ms: {each}. Raw = the SQL each report sent, with sqlite3"),
        details=data,
    )


# Rows 9 and 11 (#28 item 6): a service path that writes N rows in one transaction, within
# 3x of the same rows written bare (rows 2-3's bound for the service paths).
SERVICE_RATIO = 3.0


def bench_events(db: Path, plan: Plan) -> list[Result]:
    need("app.services.events", "EventService", what="events (#21)")
    data = run_child("benchmarks.events_child", str(db), str(CACHE / "events"),
                     "--customers", str(plan.invitees), "--repeats", str(plan.invite_repeats))
    return [events_result(data)]


def events_result(data: dict) -> Result:
    title = f"9. Invite {data.get('customers', '?')} customers to an event"
    if "error" in data:
        return Result(key="event_invite", title=title, status="ERROR",
                      note=data["error"], details=data)
    app_ms, raw_ms = data["app_s"]["median"] * 1000, data["raw_s"]["median"] * 1000
    r = ratio(app_ms, raw_ms)
    rows = data["rows"]
    return Result(
        key="event_invite", title=title, unit="ms", app=app_ms, raw=raw_ms, ratio=r,
        target=f"≤ {SERVICE_RATIO:g}×",
        status="PASS" if r is not None and r <= SERVICE_RATIO else "MISS",
        note=(f"EventService.invite as {data['user']}, median of {data['app_s']['n']}; "
              f"{rows['event_participant']} participant rows, {rows['audit_event']} audit "
              f"row, {rows['outbox']} outbox entries in one transaction; raw = the same rows "
              "for another event, one sqlite3 executemany per table"),
        details=data,
    )


def bench_messenger(db: Path, plan: Plan) -> list[Result]:
    title = "10. Messenger into a local SMTP server"
    need("app.messenger.dispatcher", "run_pass", "Dispatcher", what="the messenger (#23)")
    need("aiosmtpd.controller", "Controller", what="a local SMTP server (dev extras)")
    if central.psycopg is None:
        raise Skipped("psycopg is not installed (pip install -e '.[dev]')")
    with central.server() as (url, source):
        if url is None:
            return [Result(key="messenger", title=title, status="SKIP", note=source,
                           higher_is_better=True)]
        if not PG_SOURCE:
            PG_SOURCE.append(source)
        data = run_child("benchmarks.messenger_child", str(db), str(CACHE / "messenger"),
                         "--pg", url, "--messages", str(plan.messages),
                         "--repeats", str(plan.message_repeats), timeout=1800)
    return [messenger_result(data)]


def messenger_result(data: dict) -> Result:
    title = "10. Messenger into a local SMTP server"
    if "app_per_s" not in data:
        return Result(key="messenger", title=title, status="ERROR",
                      note=data.get("error", "no figure"), higher_is_better=True,
                      details=data)
    app, raw = data["app_per_s"], data["raw_per_s"]
    passes = sum(data["passes"]) / len(data["passes"])
    note = (f"{data['messages']} e-mail letters ({data['bytes_per_message']:.0f} bytes each) "
            f"in {passes:.0f} pass{'' if passes == 1 else 'es'} back to back "
            f"(batch {data['batch']}); the dispatcher is "
            f"{data['dispatch_share'] * 100:.0f} % of a pass, planning the rest; raw = "
            "smtplib, one connection per message, the same bytes to the same aiosmtpd "
            f"server (one connection for all: {data['raw_one_connection_per_s']:.0f}/s). "
            f"The real loop waits {data['interval_s']:g} s between passes: at most "
            f"{data['batch'] * 60 / data['interval_s']:.0f} messages a minute")
    if "error" in data:
        note += f"; afterwards: {data['error']}"
    return Result(key="messenger", title=title, unit="messages/s", app=app, raw=raw,
                  ratio=ratio(app, raw), target="(information)", status="INFO", note=note,
                  higher_is_better=True, details=data)


def bench_merge(db: Path, plan: Plan) -> list[Result]:
    need("app.services.customer_merge", "CustomerMergeService", what="the duplicate merge")
    data = run_child("benchmarks.merge_child", str(db), str(CACHE / "merge"),
                     "--history", str(plan.merge_history), "--repeats", str(plan.merge_repeats))
    return [merge_result(data)]


def merge_result(data: dict) -> Result:
    title = "11. Merge a duplicate with a long history"
    if "error" in data:
        return Result(key="merge_long", title=title, status="ERROR", note=data["error"],
                      details=data)
    app_ms, raw_ms = data["app_s"]["median"] * 1000, data["raw_s"]["median"] * 1000
    r = ratio(app_ms, raw_ms)
    history = ", ".join(f"{n} {t}" for t, n in data["history"].items())
    return Result(
        key="merge_long", title=title, unit="ms", app=app_ms, raw=raw_ms, ratio=r,
        target=f"≤ {SERVICE_RATIO:g}×",
        status="PASS" if r is not None and r <= SERVICE_RATIO else "MISS",
        note=(f"CustomerMergeService.merge, median of {data['app_s']['n']}; the duplicate "
              f"holds {history}; {data['app_outbox_entries']} outbox entries (raw "
              f"{data['raw_outbox_entries']}); raw = one UPDATE ... RETURNING per moved "
              "table, their outbox entries, the tombstone and the merge row with sqlite3"),
        details=data,
    )


# --- running ----------------------------------------------------------------------------


def working_copy(pristine: Path, label: str) -> Path:
    """A fresh copy per run: signing in and printing write audit rows, and the cached
    database must stay as built."""
    work = CACHE / f"run-scale{label}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(pristine, work)
    return work


def guarded(title: str, fn: Callable[[], list[Result]], log) -> list[Result]:
    started = time.perf_counter()
    log(f"· {title} …")
    try:
        results = fn()
    except Skipped as exc:
        results = [Result(key=title, title=title, status="SKIP", note=str(exc))]
    except Exception as exc:
        message = str(exc).strip().splitlines()
        results = [Result(key=title, title=title, status="ERROR",
                          note=f"{type(exc).__name__}: {' | '.join(message[-6:])}")]
    log(f"  {time.perf_counter() - started:.1f} s")
    return results


def meta(args: argparse.Namespace, scale: float, started: float) -> dict:
    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except OSError:
            return ""

    import PySide6
    import sqlalchemy

    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale, "quick": args.quick, "seconds": round(time.perf_counter() - started, 1),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--", "app")),
        "python": platform.python_version(), "pyside6": PySide6.__version__,
        "sqlalchemy": sqlalchemy.__version__, "sqlite": __import__("sqlite3").sqlite_version,
        "machine": f"{platform.machine()} {platform.system()} {platform.release()}",
        "cpus": __import__("os").cpu_count(),
        "postgresql": PG_SOURCE[0] if PG_SOURCE else None,
    }


ORDER = ("startup", "search", "plan", "sync", "memory", "reports", "events", "messenger",
         "merge")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--scale", type=float, default=None,
                        help=f"demo scale (default 10; --quick: {QUICK_SCALE:g})")
    parser.add_argument("--quick", action="store_true",
                        help="a small database and few repeats: a smoke run under a minute")
    parser.add_argument("--only", default=",".join(ORDER),
                        help=f"comma-separated subset of {', '.join(ORDER)}")
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "results.json")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 if a benchmark failed to run (ERROR); a MISS never fails")
    args = parser.parse_args(argv)
    scale = args.scale if args.scale is not None else (QUICK_SCALE if args.quick else 10.0)
    if scale <= 0:
        parser.error("--scale must be positive")
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(ORDER)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    started = time.perf_counter()

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    plan = Plan(args.quick, scale)
    pristine = demo_db(scale, log)
    db = working_copy(pristine, scale_label(scale))
    log(f"benchmarking on {db.relative_to(ROOT)} (scale {scale:g})")
    steps = {
        "startup": ("1. start-up", lambda: bench_startup(db, plan)),
        "search": ("2-3. search and scrolling", lambda: bench_gui(db, plan)),
        "plan": ("4. plan PDF", lambda: bench_plan(db, plan)),
        "sync": ("5-6. sync and walk-ins", lambda: bench_sync(pristine, plan, CACHE)),
        "memory": ("7. memory", lambda: bench_memory(db, plan)),
        "reports": ("8. a year's reports", lambda: bench_reports(db, plan)),
        "events": ("9. inviting to an event", lambda: bench_events(pristine, plan)),
        "messenger": ("10. the messenger", lambda: bench_messenger(pristine, plan)),
        "merge": ("11. a duplicate merge", lambda: bench_merge(pristine, plan)),
    }
    results: list[Result] = []
    for name in ORDER:
        if name in chosen:
            title, fn = steps[name]
            results.extend(guarded(title, fn, log))
    info = meta(args, scale, started)
    print_table(results, info)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"meta": info, "results": [r.to_json() for r in results]},
                                    indent=2, default=str, ensure_ascii=False) + "\n")
    log(f"wrote {args.json}")
    return 1 if args.strict and any(r.status == "ERROR" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
