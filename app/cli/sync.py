"""`sync`: synchronise a local database with the centre, once or until interrupted;
`sync orphaned`: the changes of staff who have left, for a team lead to export (and then
discard). A session sends only its own worker's changes (ARCHITECTURE.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import CliError, act_as, first_line, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    sync = commands.add_parser("sync", help="synchronise a local database with the centre")
    # Required, but checked in cmd_sync: `sync orphaned` needs neither.
    sync.add_argument("--db", type=Path, help="the workstation's database (required)")
    sync.add_argument("--central", metavar="URL", help="the central database (required)")
    sync.add_argument("--once", action="store_true", help="one push and pull, then exit")
    sync.add_argument("--service-point", metavar="CODE",
                      help="this workstation's service point (default: the configured one)")
    sync.add_argument("--poll", type=float, default=20.0, help=argparse.SUPPRESS)
    sync.set_defaults(func=cmd_sync, sync_parser=sync)
    actions = sync.add_subparsers(dest="sync_action", metavar="orphaned")
    orphaned = actions.add_parser(
        "orphaned", help="changes made here by staff who have left: list, export, discard",
        description="Changes of staff who have left can never be sent with their own "
                    "role. List them (no content), export them whole to a JSON file, and "
                    "with --discard remove what was exported from this workstation.")
    orphaned.add_argument("--db", type=Path, required=True)
    what = orphaned.add_mutually_exclusive_group(required=True)
    what.add_argument("--list", action="store_true", help="who, what kind and when")
    what.add_argument("--export", type=Path, metavar="FILE.json",
                      help="write them whole to FILE.json")
    orphaned.add_argument("--discard", action="store_true",
                          help="with --export: then remove the exported changes here")
    orphaned.add_argument("--user", metavar="USERNAME",
                          help="the team lead or administrator acting (default: the first "
                               "administrator); audited")
    orphaned.set_defaults(func=cmd_orphaned)


def _engine_for(args: argparse.Namespace):
    services = open_services(args.db, must_exist=False)  # a new workstation starts empty
    return services, services.sync.engine(args.central, args.service_point)


def cmd_sync(args: argparse.Namespace) -> int:
    import threading

    from sqlalchemy.exc import DBAPIError

    from app.sync.listen import Listener

    missing = [name for name in ("--db", "--central") if not getattr(args, name[2:])]
    if missing:
        args.sync_parser.error(f"the following arguments are required: {', '.join(missing)}")
    services, engine = _engine_for(args)

    def once() -> bool:
        """One sync; True when rows lay beyond the pull's horizon (pull again soon)."""
        def progress(done: int, total: int) -> None:
            print(f"\rpulled {done} / {total}", end="", file=sys.stderr, flush=True)

        report = engine.sync_once(progress=progress)
        print(f"\npushed {report.pushed} (conflicts {report.conflicts}, rejected "
              f"{report.rejected}), pulled {report.pulled}", file=sys.stderr)
        return report.more

    try:
        more = once()
    except (DBAPIError, OSError) as exc:
        raise CliError(f"cannot reach the central database: {first_line(exc)}") from exc
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
            # Rows beyond the horizon (a long transaction somewhere): look again soon,
            # so the cursor catches up as soon as it ends, not at the next poll.
            wake.wait(timeout=min(args.poll, 1.0) if more else args.poll)
            wake.clear()
            try:
                more = once()
            except (DBAPIError, OSError) as exc:
                more = False
                print(f"offline: {first_line(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        listener.stop()
        services.close()
        return 0


def _point_code(services, engine) -> str:
    from app.models import ServicePoint

    with services.ctx.session_factory() as s:
        return s.get(ServicePoint, engine.point_id()).code


def cmd_orphaned(args: argparse.Namespace) -> int:
    if args.discard and args.export is None:
        raise CliError("--discard needs --export FILE.json: a change is never dropped "
                       "without its copy")
    services = open_services(args.db)
    try:
        act_as(services, args.user)
        if args.list:
            changes = services.sync.orphaned()
            for change in changes:
                print(f"{change.seq}\t{change.author}\t{change.table_name}\t"
                      f"{change.row_id}\t{change.status}\t"
                      f"{change.created_at.isoformat(timespec='seconds')}")
            print(f"{len(changes)} changes of staff who have left", file=sys.stderr)
            return 0
        export = services.sync.export_orphaned(args.export)
        print(f"exported {len(export.seqs)} changes to {export.path}", file=sys.stderr)
        if args.discard:
            gone = services.sync.discard_orphaned(export)
            print(f"discarded {gone} exported changes from this workstation",
                  file=sys.stderr)
        return 0
    finally:
        services.close()
