"""Administrator command line: `python -m app.cli COMMAND ...`. No Qt, no display.

Each command prints a clear error and exits non-zero on bad input. One module per
command group, each with `add_commands(commands)` that adds its parsers; they share
only `common` and never import each other."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from app import __version__
from app.cli import (
    appointments,
    central,
    customer,
    db,
    decision,
    demo,
    employer,
    event,
    feedback,
    messages,
    partner,
    plan,
    provider,
    queue_service,
    referral,
    report,
    room,
    service_point,
    staff,
    sync,
    targets,
)
from app.cli.common import explain
from app.diagnostics import logsetup

# In the order `--help` lists them.
GROUPS = (demo, customer, plan, provider, referral, decision, employer, report, central,
          sync, service_point, queue_service, feedback, staff, db, appointments, targets,
          room, event, messages, partner)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.cli",
                                     description="Rovaseutu desk administration")
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--log-level", type=str.upper, choices=logsetup.LEVELS,
                        help="the diagnostics log's level (default INFO, or DESK_LOG_LEVEL)")
    commands = parser.add_subparsers(dest="command", required=True)

    for group in GROUPS:
        group.add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "scale", 1.0) is not None and getattr(args, "scale", 1.0) <= 0:
        parser.error("--scale must be positive")
    logs = logsetup.configure(args.log_level)
    # The command's name only: its arguments may hold an identity code.
    logging.getLogger("app.cli").info("command %s", args.command)
    try:
        return args.func(args)
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error. Python's own advice: point
        # stdout at nothing, so that the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        known = explain(exc)
        if known is not None:
            print(f"error: {known}", file=sys.stderr)
            return known.status
        # A bug, not the operator's mistake: its traceback goes to the log, not the screen.
        logsetup.log_unexpected(exc, f"command {args.command}")
        where = f"the details are in {logs.path}" if logs.path else "see the log"
        print(f"error: an unexpected {type(exc).__name__}; {where}", file=sys.stderr)
        return 1
    finally:
        logs.close()
