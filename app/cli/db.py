"""`db digest`: one SHA-256 per synchronised table, of a local or the central database."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.common import CliError, first_line, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database tools")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    digest = db_commands.add_parser("digest", help="SHA-256 per synchronised table")
    digest.add_argument("--db", type=Path)
    digest.add_argument("--central", metavar="URL")
    digest.add_argument("--service-point", metavar="CODE",
                        help="with --central: only what that service point's desks hold")
    digest.set_defaults(func=cmd_digest)


def cmd_digest(args: argparse.Namespace) -> int:
    from app.sync.digest import central_digest, local_digest

    if bool(args.db) == bool(args.central):
        raise CliError("give either --db PATH or --central URL")
    if args.db:
        services = open_services(args.db)
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
            raise CliError(f"cannot read the central database: {first_line(exc)}") from exc
        engine.dispose()
    print(json.dumps(digests, indent=2, sort_keys=True))
    return 0
