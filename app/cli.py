"""Administrator command line: `python -m app.cli COMMAND ...`. No Qt, no display.

Each command prints a clear error and exits non-zero on bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from app import __version__
from app.cli_appointments import add_commands as add_appointment_commands
from app.i18n import _


class CliError(Exception):
    pass


def _services(db: Path, must_exist: bool = True):
    from app.services.registry import Services

    if must_exist and not db.exists():
        raise CliError(f"no database at {db}")
    return Services.open(db, "cli")


def _act_as(services, username: str | None) -> None:
    """The CLI runs with local file access; it acts as a named staff member (audited)."""
    from app.models import ServicePoint, Staff
    from app.rules.codes import Role
    from app.services.context import Actor

    with services.ctx.session_factory() as s:
        stmt = select(Staff, ServicePoint).join(ServicePoint,
                                                ServicePoint.id == Staff.service_point_id)
        stmt = (stmt.where(Staff.username == username) if username
                else stmt.where(Staff.role == Role.ADMIN).order_by(Staff.username))
        row = s.execute(stmt.limit(1)).first()
    if row is None:
        raise CliError(f"no staff member {username!r}" if username else "no administrator yet")
    staff, point = row
    services.ctx.actor = Actor(staff.id, staff.username, staff.full_name, staff.role, point.id,
                               point.code, point.name, staff.team_id)


def cmd_demo(args: argparse.Namespace) -> int:
    services = _services(args.db, must_exist=False)
    if not services.is_empty():
        raise CliError(f"{args.db} already has customers; demo data goes into an empty database")
    last = [0.0]

    def progress(stage: str, fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or fraction >= 1:
            last[0] = now
            text = _(stage)
            print(f"\r{fraction:6.1%}  {text:<50}", end="", file=sys.stderr, flush=True)

    started = time.monotonic()
    summary = services.build_demo(seed=args.seed, scale=args.scale, progress=progress)
    print(file=sys.stderr)
    print(json.dumps(dataclasses.asdict(summary), indent=2))
    print(f"done in {time.monotonic() - started:.1f} s", file=sys.stderr)
    services.close()
    return 0


def _json_default(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(type(value))


def cmd_customer_show(args: argparse.Namespace) -> int:
    from app.services.errors import ServiceError

    services = _services(args.db)
    _act_as(services, args.user)
    try:
        card = services.customers.find(args.key)
    except ServiceError as exc:
        raise CliError(exc.message) from exc
    data = dataclasses.asdict(card)
    data.update(_clock_summary(services, card.id))
    if args.json:
        print(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            print(f"{key:26} {value}")
    services.close()
    return 0


def _clock_summary(services, customer_id: str) -> dict[str, object]:
    """Coach, groups and the statutory clock for `customer show` (working days)."""
    clock = services.clock.customer_clock(customer_id)
    return {
        "coach": {"id": clock.coach_id, "name": clock.coach_name},
        "groups": clock.groups,
        "barriers": clock.barriers,
        "days_unemployed": clock.days_unemployed,
        "hundred_day_date": clock.hundred_day_date,
        "deadlines": [dataclasses.asdict(d) for d in clock.deadlines],
    }


def cmd_customer_import(args: argparse.Namespace) -> int:
    """Exit 0: every row imported; 1: some rows rejected; 2: the file unreadable."""
    from app.services.customer_import import ImportFileError

    services = _services(args.db)
    try:
        _act_as(services, args.user)
        preview = services.customer_import.preview(args.file, update=args.update)
    except ImportFileError as exc:
        print(f"error: {args.file}: {exc.text(_)}", file=sys.stderr)
        services.close()
        return 2
    for row in preview.rejected:
        for problem in row.problems:
            print(f"{args.file}:{row.line}: {problem.text(_)}", file=sys.stderr)
    if args.dry_run:
        created = sum(1 for r in preview.accepted if r.action == "new")
        updated = len(preview.accepted) - created
        print(f"dry run: would create {created}, update {updated}; "
              f"rejected {len(preview.rejected)}")
    else:
        result = services.customer_import.commit(preview)
        print(f"created {result.created}, updated {result.updated}, "
              f"rejected {result.rejected}")
    services.close()
    return 1 if preview.rejected else 0


def cmd_plan_print(args: argparse.Namespace) -> int:
    """The customer's current plan as a PDF (the latest accepted, else the draft)."""
    from app.services.errors import ServiceError
    from app.services.plans import print_plan_cli

    services = _services(args.db)
    try:
        _act_as(services, args.user)
        print(print_plan_cli(services, args.key, args.lang, args.out))
    except ServiceError as exc:
        raise CliError(_(exc.message)) from exc
    finally:
        services.close()
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """One report over a date range as CSV or XLSX (see app.services.reports.export)."""
    from app import i18n
    from app.services.errors import ServiceError
    from app.services.reports import ReportFilter

    if args.date_to < args.date_from:
        raise CliError("--to is before --from")
    i18n.set_language(args.lang)
    services = _services(args.db)
    try:
        _act_as(services, args.user)
        data = services.reports.export(args.name, ReportFilter(args.date_from, args.date_to),
                                       args.format)
    except ServiceError as exc:
        raise CliError(_(exc.message)) from exc
    finally:
        services.close()
    args.out.write_bytes(data)
    print(args.out)
    return 0


def _report_parser(commands) -> None:  # type: ignore[no-untyped-def]
    from app.services.reports import REPORTS

    names = "\n".join(f"  {name:20s} {spec.title}" for name, spec in REPORTS.items())
    report = commands.add_parser(
        "report", help="write one report as CSV or XLSX",
        description="Write one report as CSV (UTF-8 with BOM, ';' separated, for Excel) or "
                    "XLSX.", epilog="reports:\n" + names,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("name", choices=list(REPORTS), metavar="NAME")
    report.add_argument("--db", type=Path, required=True)
    report.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="date_to", type=date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD")
    report.add_argument("--format", choices=("csv", "xlsx"), required=True)
    report.add_argument("--out", type=Path, required=True, metavar="FILE")
    report.add_argument("--lang", choices=("fi", "sv", "en"), default="fi")
    report.add_argument("--user", help="act as this staff member (default: an administrator)")
    report.set_defaults(func=cmd_report)


def cmd_central_init(args: argparse.Namespace) -> int:
    from app.db.migrate import upgrade_central
    from app.sync.engine import central_engine
    from app.sync.seed import seed_central

    try:
        revision = upgrade_central(args.url)
    except Exception as exc:
        raise CliError(f"cannot create the central schema: {_first_line(exc)}") from exc
    print(f"central schema at revision {revision}")
    if args.seed_from:
        services = _services(args.seed_from)
        central = central_engine(args.url)
        count = seed_central(services.ctx.engine, central)
        print(f"seeded {count} rows from {args.seed_from}")
        central.dispose()
        services.close()
    return 0


def _engine_for(args: argparse.Namespace):
    from app.sync.engine import SyncEngine, central_engine

    services = _services(args.db, must_exist=False)  # a new workstation starts empty
    engine = SyncEngine(services.ctx.engine, central_engine(args.central),
                        services.ctx.clock.node, args.service_point,
                        observe=services.ctx.clock.observe)
    return services, engine


def cmd_sync(args: argparse.Namespace) -> int:
    import threading

    from sqlalchemy.exc import DBAPIError

    from app.sync.listen import Listener

    services, engine = _engine_for(args)

    def once() -> None:
        def progress(done: int, total: int) -> None:
            print(f"\rpulled {done} / {total}", end="", file=sys.stderr, flush=True)

        report = engine.sync_once(progress=progress)
        print(f"\npushed {report.pushed} (conflicts {report.conflicts}, rejected "
              f"{report.rejected}), pulled {report.pulled}", file=sys.stderr)

    try:
        once()
    except (DBAPIError, OSError) as exc:
        raise CliError(f"cannot reach the central database: {_first_line(exc)}") from exc
    if args.once:
        services.close()
        return 0
    wake = threading.Event()
    code = _point_code(services, engine)
    listener = Listener(args.central, [f"desk_{code.lower()}", "desk_all"],
                        lambda _channel: wake.set())
    listener.start()
    try:
        while True:
            wake.wait(timeout=args.poll)
            wake.clear()
            try:
                once()
            except (DBAPIError, OSError) as exc:
                print(f"offline: {_first_line(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        listener.stop()
        services.close()
        return 0


def _point_code(services, engine) -> str:
    from app.models import ServicePoint

    with services.ctx.session_factory() as s:
        return s.get(ServicePoint, engine.point_id()).code


def cmd_digest(args: argparse.Namespace) -> int:
    from app.sync.digest import central_digest, local_digest

    if bool(args.db) == bool(args.central):
        raise CliError("give either --db PATH or --central URL")
    if args.db:
        services = _services(args.db)
        digests = local_digest(services.ctx.engine)
        services.close()
    else:
        from app.sync.engine import central_engine

        engine = central_engine(args.central)
        point = None
        if args.service_point:
            from sqlalchemy import text

            with engine.connect() as conn:
                point = conn.execute(text("SELECT id FROM service_point WHERE code = :c"),
                                     {"c": args.service_point}).scalar()
            if point is None:
                raise CliError(f"no service point {args.service_point!r} centrally")
        try:
            digests = central_digest(engine, point)
        except Exception as exc:
            raise CliError(f"cannot read the central database: {_first_line(exc)}") from exc
        engine.dispose()
    print(json.dumps(digests, indent=2, sort_keys=True))
    return 0


def cmd_point_services(args: argparse.Namespace) -> int:
    """Show or set the services a service point's queue offers (a synchronised change)."""
    from app.models import ServicePoint
    from app.rules.codes import ServiceArea

    services = _services(args.db)
    _act_as(services, args.user)
    valid = {a.value for a in ServiceArea}
    with services.ctx.session_factory.begin() as s:
        s.info["actor_id"] = services.ctx.actor.staff_id  # type: ignore[union-attr]
        point = s.scalar(select(ServicePoint).where(ServicePoint.code == args.code.upper()))
        if point is None:
            raise CliError(f"no service point {args.code!r}")
        if args.services:
            chosen = [c.strip() for c in args.services.split(",") if c.strip()]
            unknown = [c for c in chosen if c not in valid]
            if unknown or not chosen:
                raise CliError(f"unknown services {unknown}; choose from {sorted(valid)}")
            point.queue_services = ",".join(chosen)
            services.ctx.audit(s, "service_point.services", "service_point", point.id,
                               {"services": chosen})
        print(point.queue_services or ",".join(sorted(valid)))
    services.close()
    return 0


def cmd_customer_extract(args: argparse.Namespace) -> int:
    """Right of access: everything held on one customer, as JSON or PDF (by --out)."""
    from app.services.errors import ServiceError

    suffix = args.out.suffix.lower()
    if suffix not in (".json", ".pdf"):
        raise CliError("--out must end in .json or .pdf")
    services = _services(args.db)
    try:
        _act_as(services, args.user)
        key = services.customers.find(args.key).id
        extract = services.rights.extract(key)
    except ServiceError as exc:
        raise CliError(_(exc.message)) from exc
    finally:
        services.close()
    if suffix == ".json":
        args.out.write_text(json.dumps(extract, ensure_ascii=False, indent=2),
                            encoding="utf-8")
    else:
        from app.printing.extract_pdf import render_extract

        args.out.write_bytes(render_extract(extract, args.lang))
    print(args.out)
    return 0


def cmd_customer_erase(args: argparse.Namespace) -> int:
    """Erase an inactive customer's personal data once the retention period has ended;
    the next sync carries the erasure to the centre and every workstation."""
    from app.services.errors import ServiceError

    services = _services(args.db)
    try:
        _act_as(services, args.user)
        key = services.customers.find(args.key).id
        ends = services.rights.retention_ends(key)
        services.rights.erase(key)
    except ServiceError as exc:
        raise CliError(_(exc.message)) from exc
    finally:
        services.close()
    print(f"erased {key} (retention ended {ends.isoformat()})")
    return 0


def cmd_staff_add(args: argparse.Namespace) -> int:
    """The application account (Staff row, local verifier) and, with --central, the
    staff member's own PostgreSQL LOGIN role in their role's group; the new row is
    pushed at once so the central row-level security knows the new role."""
    import getpass

    from app.rules.codes import Role
    from app.services.errors import ServiceError, ValidationFailed

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {args.username}: ")
        if getpass.getpass("again: ") != password:
            raise CliError("the passwords differ")
    services = _services(args.db)
    central = None
    try:
        if services.staff.has_staff():
            _act_as(services, args.user)
        if args.central:
            from app.sync.engine import central_engine

            central = central_engine(args.central)
        account = services.staff.add(args.username, args.full_name, Role(args.role),
                                     args.service_point, password, central)
        if central is not None:
            from app.sync.push import push

            push(services.ctx.engine, central, services.ctx.clock.node)
    except ValidationFailed as exc:
        raise CliError("; ".join(f"{k}: {_(v)}" for k, v in exc.errors.items())) from exc
    except ServiceError as exc:
        raise CliError(_(exc.message)) from exc
    except Exception as exc:
        if central is None or not hasattr(exc, "orig"):
            raise
        raise CliError(f"central database: {_first_line(exc)}") from exc
    finally:
        if central is not None:
            central.dispose()
        services.close()
    where = "and PostgreSQL role " if account.central_role else ""
    print(f"staff member {account.username} ({account.role.value}, "
          f"{account.service_point_code}) {where}created")
    return 0


def _first_line(exc: BaseException) -> str:
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]


def cmd_feedback_report(args: argparse.Namespace) -> int:
    """Satisfaction, NPS and mean score of a period by point, channel, area, week, worker."""
    from app.services.errors import ServiceError
    from app.services.feedback import feedback_report

    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError as exc:
        raise CliError(f"give the dates as YYYY-MM-DD: {exc}") from exc
    services = _services(args.db)
    try:
        _act_as(services, args.user)
        report = feedback_report(services.feedback, start, end)
    except ServiceError as exc:
        message = next(iter(getattr(exc, "errors", {}).values()), exc.message)
        raise CliError(_(message)) from exc
    finally:
        services.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"{report['from']} – {report['to']}")
    for section in ("service_point", "channel", "service_area", "week"):
        print(f"\n{section:28} {'answers':>8} {'satisfied %':>12} {'NPS':>7} {'mean':>6}")
        for row in report[section] + [{"name": "all", **report["total"]}]:
            cells = [row.get(k) for k in ("satisfaction", "nps", "mean")]
            shown = ["–" if v is None else str(v) for v in cells]
            name = row.get("name") or row.get("key") or "–"
            print(f"{name[:28]:28} {row['answers']:>8} {shown[0]:>12} {shown[1]:>7} "
                  f"{shown[2]:>6}")
    workers = report["workers"]
    print(f"\nper worker (at least {workers['minimum']} answers; "
          f"{workers['hidden_answers']} answers not shown)")
    for row in workers["rows"]:
        print(f"{row['name'][:28]:28} {row['answers']:>8} {row['satisfaction']!s:>12} "
              f"{row['nps']!s:>7} {row['mean']!s:>6}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.cli",
                                     description="Rovaseutu desk administration")
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="fill an empty database with the demo area")
    demo.add_argument("--db", type=Path, required=True)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--scale", type=float, default=1.0,
                      help="1 = the plan's scale (~4 600 customers); 10 for benchmarks")
    demo.set_defaults(func=cmd_demo)

    customer = commands.add_parser("customer", help="customer register")
    customer_commands = customer.add_subparsers(dest="customer_command", required=True)
    show = customer_commands.add_parser("show", help="one customer by id, hetu or number")
    show.add_argument("key", metavar="ID|HETU")
    show.add_argument("--db", type=Path, required=True)
    show.add_argument("--json", action="store_true")
    show.add_argument("--user", help="act as this staff member (default: an administrator)")
    show.set_defaults(func=cmd_customer_show)
    imp = customer_commands.add_parser(
        "import", help="import customers from a UTF-8 CSV file (columns: see README)")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--db", type=Path, required=True)
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.add_argument("--update", action="store_true",
                     help="update customers whose identity code is already registered")
    imp.add_argument("--user", help="act as this staff member (default: an administrator)")
    imp.set_defaults(func=cmd_customer_import)

    extract = customer_commands.add_parser(
        "extract", help="right of access: everything held on one customer")
    extract.add_argument("key", metavar="ID|HETU")
    extract.add_argument("--db", type=Path, required=True)
    extract.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.json")
    extract.add_argument("--lang", choices=("fi", "sv", "en"), default="fi")
    extract.add_argument("--user", help="act as this staff member (default: an administrator)")
    extract.set_defaults(func=cmd_customer_extract)

    erase = customer_commands.add_parser(
        "erase", help="erase an inactive customer's data after the retention period")
    erase.add_argument("key", metavar="ID|HETU")
    erase.add_argument("--db", type=Path, required=True)
    erase.add_argument("--user", help="act as this administrator")
    erase.set_defaults(func=cmd_customer_erase)

    plan = commands.add_parser("plan", help="employment plans")
    plan_commands = plan.add_subparsers(dest="plan_command", required=True)
    print_plan = plan_commands.add_parser("print", help="print a customer's plan to PDF")
    print_plan.add_argument("key", metavar="ID|HETU")
    print_plan.add_argument("--db", type=Path, required=True)
    print_plan.add_argument("--lang", choices=("fi", "sv", "en"),
                            help="default: the customer's language")
    print_plan.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    print_plan.add_argument("--user", help="act as this staff member")
    print_plan.set_defaults(func=cmd_plan_print)

    _report_parser(commands)

    central = commands.add_parser("central", help="the central PostgreSQL database")
    central_commands = central.add_subparsers(dest="central_command", required=True)
    init = central_commands.add_parser("init", help="create or upgrade the central schema")
    init.add_argument("url", help="postgresql+psycopg://user:password@host/db")
    init.add_argument("--seed-from", type=Path, metavar="PATH",
                      help="copy a local database's rows into an empty central one")
    init.set_defaults(func=cmd_central_init)

    sync = commands.add_parser("sync", help="synchronise a local database with the centre")
    sync.add_argument("--db", type=Path, required=True)
    sync.add_argument("--central", required=True, metavar="URL")
    sync.add_argument("--once", action="store_true", help="one push and pull, then exit")
    sync.add_argument("--service-point", metavar="CODE",
                      help="this workstation's service point (default: the configured one)")
    sync.add_argument("--poll", type=float, default=20.0, help=argparse.SUPPRESS)
    sync.set_defaults(func=cmd_sync)

    point = commands.add_parser("service-point", help="service point settings")
    point_commands = point.add_subparsers(dest="point_command", required=True)
    queue_services = point_commands.add_parser(
        "services", help="show or set the services offered in the point's queue")
    queue_services.add_argument("code", help="ROV or RAN")
    queue_services.add_argument("services", nargs="?",
                                help="comma-separated, e.g. information,initial,finding_work")
    queue_services.add_argument("--db", type=Path, required=True)
    queue_services.add_argument("--user", help="act as this staff member")
    queue_services.set_defaults(func=cmd_point_services)

    feedback = commands.add_parser("feedback", help="customer feedback")
    feedback_commands = feedback.add_subparsers(dest="feedback_command", required=True)
    report = feedback_commands.add_parser("report", help="feedback figures of a period")
    report.add_argument("--db", type=Path, required=True)
    report.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--json", action="store_true")
    report.add_argument("--user", help="act as this staff member (default: an administrator)")
    report.set_defaults(func=cmd_feedback_report)
    staff = commands.add_parser("staff", help="staff accounts")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_commands.add_parser(
        "add", help="create a staff account (and with --central its PostgreSQL role)")
    add.add_argument("username")
    add.add_argument("--full-name", required=True)
    add.add_argument("--role", required=True, choices=("desk", "coach", "team_lead", "admin"))
    add.add_argument("--service-point", required=True, metavar="CODE")
    add.add_argument("--db", type=Path, required=True)
    add.add_argument("--central", metavar="URL",
                     help="an administrator's connection (CREATEROLE) to the central database")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add.add_argument("--user", help="act as this administrator")
    add.set_defaults(func=cmd_staff_add)

    db = commands.add_parser("db", help="database tools")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    digest = db_commands.add_parser("digest", help="SHA-256 per synchronised table")
    digest.add_argument("--db", type=Path)
    digest.add_argument("--central", metavar="URL")
    digest.add_argument("--service-point", metavar="CODE",
                        help="with --central: only what that service point's desks hold")
    digest.set_defaults(func=cmd_digest)
    add_appointment_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "scale", 1.0) is not None and getattr(args, "scale", 1.0) <= 0:
        parser.error("--scale must be positive")
    try:
        return args.func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
