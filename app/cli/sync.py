"""`sync`: synchronise a local database with the centre, once or until interrupted."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import CliError, first_line, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    sync = commands.add_parser("sync", help="synchronise a local database with the centre")
    sync.add_argument("--db", type=Path, required=True)
    sync.add_argument("--central", required=True, metavar="URL")
    sync.add_argument("--once", action="store_true", help="one push and pull, then exit")
    sync.add_argument("--service-point", metavar="CODE",
                      help="this workstation's service point (default: the configured one)")
    sync.add_argument("--poll", type=float, default=20.0, help=argparse.SUPPRESS)
    sync.set_defaults(func=cmd_sync)


def _engine_for(args: argparse.Namespace):
    services = open_services(args.db, must_exist=False)  # a new workstation starts empty
    return services, services.sync.engine(args.central, args.service_point)


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
            wake.wait(timeout=args.poll)
            wake.clear()
            try:
                once()
            except (DBAPIError, OSError) as exc:
                print(f"offline: {first_line(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        listener.stop()
        services.close()
        return 0


def _point_code(services, engine) -> str:
    from app.models import ServicePoint

    with services.ctx.session_factory() as s:
        return s.get(ServicePoint, engine.point_id()).code
