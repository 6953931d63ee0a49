"""`central init`: create or upgrade the central schema, optionally seeded from a local
database. `central messenger-login`: the messenger's own login (#23)."""

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
    login = central_commands.add_parser(
        "messenger-login", help="make the messenger's own PostgreSQL login (#23)")
    login.add_argument("url", help="postgresql+psycopg://admin@host/db (an administrator)")
    login.add_argument("--username", required=True, help="the messenger's login name")
    login.set_defaults(func=cmd_central_messenger_login)


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
        # The planner's statistics at once, not at autovacuum's next round: the desks'
        # pulls through the row-level policies are planned badly without them.
        with central.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
        central.dispose()
        services.close()
    return 0


def cmd_central_messenger_login(args: argparse.Namespace) -> int:
    """The messenger's login in the desk_messenger group (#23, docs/messages.md): its
    password from DESK_MESSENGER_DB_PASSWORD, else asked for (never on the command
    line)."""
    import getpass
    import os

    from app.db.central_roles import create_messenger_login, role_exists, valid_username
    from app.sync.engine import central_engine

    if not valid_username(args.username):
        raise CliError(f"not a valid login name: {args.username}")
    engine = central_engine(args.url)  # a wrong address is told before the password
    try:
        if role_exists(engine, args.username):
            raise CliError(f"the login {args.username} exists already")
        password = os.environ.get("DESK_MESSENGER_DB_PASSWORD", "")
        if not password:
            password = getpass.getpass(f"password for {args.username}: ")
            if getpass.getpass("again: ") != password:
                raise CliError("the passwords differ")
        if not password:
            raise CliError("the messenger's login needs a password")
        create_messenger_login(engine, args.username, password)
    finally:
        engine.dispose()
    print(f"messenger login {args.username} made")
    return 0
