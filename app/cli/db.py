"""`db digest`: one SHA-256 per synchronised table, of a local or the central database."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.common import CliError, Refused, first_line, open_services


def add_commands(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database tools")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    digest = db_commands.add_parser("digest", help="SHA-256 per synchronised table")
    digest.add_argument("--db", type=Path)
    digest.add_argument("--central", metavar="URL",
                        help="the central database as URL's login reads it (with "
                        "--service-point and a staff member's own login: what a "
                        "workstation only they use holds)")
    digest.add_argument("--service-point", metavar="CODE",
                        help="with --central: only what that service point's desks hold")
    digest.set_defaults(func=cmd_digest)
    check = db_commands.add_parser(
        "check", help="the local database's start-up check (key, integrity)")
    check.add_argument("--db", type=Path, required=True)
    check.set_defaults(func=cmd_check)
    recover = db_commands.add_parser(
        "recover", help="set a damaged local database aside, keeping its unsent changes "
        "(with the program closed)")
    recover.add_argument("--db", type=Path, required=True)
    recover.add_argument("--export", type=Path, metavar="FILE.json",
                         help="where the unsent changes go (default: beside the file)")
    recover.add_argument("--force", action="store_true",
                         help="even when the database opens, or its key is missing")
    recover.set_defaults(func=cmd_recover)


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


def cmd_check(args: argparse.Namespace) -> int:
    """Exit 0 when the database opens with its key and passes the integrity check; an
    error names the problem and what to do (exit 2)."""
    from app.db.recovery import diagnose
    from app.i18n import _

    if not args.db.is_file():
        raise CliError(f"no database at {args.db}")
    problem = diagnose(args.db)
    if problem is not None:
        raise problem
    print(_("The local database {path} opens with its key and passed the integrity "
            "check.").format(path=args.db))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    """app.db.recovery: the damaged file set aside, its unsent changes exported and
    carried into a new database for a first sync. A healthy file, or one whose key is
    missing (its changes cannot be read), needs --force."""
    from app.db.recovery import diagnose, recover
    from app.i18n import _

    if not args.db.is_file():
        raise CliError(f"no database at {args.db}")
    problem = diagnose(args.db)
    if not args.force:
        if problem is None:
            raise Refused(_("The local database {path} opens and passed the integrity "
                            "check: nothing to recover (--force sets it aside anyway)."
                            ).format(path=args.db))
        if not problem.recoverable:
            raise Refused(_("{problem} Its unsent changes cannot be read without its key: "
                            "find the key first, or give --force to set the file aside "
                            "unread and start again from the central database."
                            ).format(problem=problem.text()))
    done = recover(args.db, args.export)
    print(_("The damaged database was moved to {aside}.").format(aside=done.set_aside))
    print(_("Unsent changes read: {count}; written to {export} (it holds personal data: "
            "delete it once checked).").format(count=done.carried, export=done.export))
    if not done.complete:
        print(_("Not every unsent change could be read: {problems}").format(
            problems="; ".join(done.problems)))
    for backup in done.backups:
        print(_("An older backup, left as it is: {backup}").format(backup=backup))
    print(_("A new database {path} holds the unsent changes; the next sync sends them and "
            "fetches this service point's data from the central database.").format(
            path=args.db))
    return 0 if done.complete else 1
