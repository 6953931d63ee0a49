"""`python -m app.messenger --central URL [--smtp smtp://HOST:PORT] [--sms-gateway URL]
[--once] [--name NAME] [--interval SECONDS] [--config FILE]`

Credentials never on the command line: the database password in the URL's place of
PGPASSWORD (or a ~/.pgpass), the SMTP and gateway credentials in the environment or the
configuration file (app/messenger/config.py, docs/messages.md). `--once`: one pass and
exit (cron, a scheduled task, tests). Exit status: 0 done, 1 a pass failed (the database
or the configuration), 2 bad arguments."""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import ArgumentError

from app.messenger.config import Config, ConfigError, load

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from app.messenger.dispatcher import Dispatcher

log = logging.getLogger("app.messenger")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m app.messenger",
        description="Make and send the messages to customers, once, from the centre.")
    parser.add_argument("--central", required=True, metavar="URL",
                        help="postgresql+psycopg://LOGIN@HOST/DB (the password from "
                             "PGPASSWORD or ~/.pgpass)")
    parser.add_argument("--smtp", metavar="smtp://HOST:PORT", help="the e-mail relay")
    parser.add_argument("--sms-gateway", metavar="URL", help="the SMS gateway")
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    parser.add_argument("--name", help="this messenger's name (default: messenger@HOST)")
    parser.add_argument("--interval", type=float, metavar="SECONDS",
                        help="seconds between passes (default 60)")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="a TOML file with the settings and credentials")
    # For tests and drills: the messenger's clock starts at this UTC time.
    parser.add_argument("--now", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def make_clock(start: str | None) -> Callable[[], datetime]:
    if not start:
        return lambda: datetime.now(UTC)
    fixed = datetime.fromisoformat(start)
    fixed = fixed.replace(tzinfo=UTC) if fixed.tzinfo is None else fixed.astimezone(UTC)
    began = time.monotonic()
    return lambda: fixed + (datetime.fromtimestamp(time.monotonic() - began, UTC)
                            - datetime.fromtimestamp(0, UTC))


def build(config: Config, clock: Callable[[], datetime]) -> tuple[Engine, Dispatcher]:
    from app.messenger.channels import Channel, EmailChannel, SmsGatewayChannel
    from app.messenger.dispatcher import Dispatcher
    from app.rules.codes import MessageChannel
    from app.sync.engine import central_engine

    engine = central_engine(config.central)
    channels: dict[MessageChannel, Channel] = {}
    if config.smtp:
        channels[MessageChannel.EMAIL] = EmailChannel(config.smtp)
    if config.sms:
        channels[MessageChannel.SMS] = SmsGatewayChannel(config.sms)
    return engine, Dispatcher(engine, channels, config.name, clock, lease=config.lease,
                              batch=config.batch)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    try:
        config = load(args.central, args.smtp, args.sms_gateway, args.name, args.interval,
                      args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from app.messenger.dispatcher import run_pass

    try:
        engine, dispatcher = build(config, make_clock(args.now))
    except ArgumentError:
        print("error: --central is not a database address "
              "(postgresql+psycopg://LOGIN@HOST/DB)", file=sys.stderr)
        return 2
    host = socket.gethostname()
    stop = threading.Event()
    if not args.once:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    log.info("messenger %s: e-mail %s, SMS %s", config.name,
             "on" if config.smtp else "off", "on" if config.sms else "off")
    status = 0
    try:
        while True:
            try:
                run_pass(engine, dispatcher, host)
                status = 0
            except Exception as exc:  # the database away: try again next pass
                # The class and SQLSTATE only: a database message may quote values.
                code = getattr(getattr(exc, "orig", None), "sqlstate", None)
                log.error("pass failed: %s%s", type(exc).__name__,
                          f" (SQLSTATE {code})" if code else "")
                status = 1
            if args.once or stop.wait(config.interval):
                break
    finally:
        engine.dispose()
    return status


if __name__ == "__main__":
    sys.exit(main())
