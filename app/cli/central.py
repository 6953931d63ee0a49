"""`central init`: create or upgrade the central schema, optionally seeded from a local
database."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import CliError, first_line, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    central = commands.add_parser("central", help="the central PostgreSQL database")
    central_commands = central.add_subparsers(dest="central_command", required=True)
    init = central_commands.add_parser("init", help="create or upgrade the central schema")
    init.add_argument("url", help="postgresql+psycopg://user:password@host/db")
    init.add_argument("--seed-from", type=Path, metavar="PATH",
                      help="copy a local database's rows into an empty central one")
    init.set_defaults(func=cmd_central_init)


def cmd_central_init(args: argparse.Namespace) -> int:
    from app.db.migrate import upgrade_central
    from app.sync.engine import central_engine
    from app.sync.seed import seed_central

    try:
        revision = upgrade_central(args.url)
    except Exception as exc:
        raise CliError(f"cannot create the central schema: {first_line(exc)}") from exc
    print(f"central schema at revision {revision}")
    if args.seed_from:
        services = open_services(args.seed_from)
        central = central_engine(args.url)
        count = seed_central(services.ctx.engine, central)
        print(f"seeded {count} rows from {args.seed_from}")
        central.dispose()
        services.close()
    return 0
