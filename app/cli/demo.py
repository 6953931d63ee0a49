"""`demo`: fill an empty database with the demo area."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

from app.cli.common import Refused, open_services
from app.demo import fill as fill_demo
from app.i18n import _


def add_commands(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser("demo", help="fill an empty database with the demo area")
    demo.add_argument("--db", type=Path, required=True)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--scale", type=float, default=1.0,
                      help="1 = the plan's scale (~4 600 customers); 10 for benchmarks")
    demo.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    services = open_services(args.db, must_exist=False)
    if not services.is_empty():
        raise Refused(f"{args.db} already has customers; demo data goes into an empty database")
    last = [0.0]

    def progress(stage: str, fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or fraction >= 1:
            last[0] = now
            text = _(stage)
            print(f"\r{fraction:6.1%}  {text:<50}", end="", file=sys.stderr, flush=True)

    started = time.monotonic()
    summary = fill_demo(services, seed=args.seed, scale=args.scale, progress=progress)
    print(file=sys.stderr)
    print(json.dumps(dataclasses.asdict(summary), indent=2))
    print(f"done in {time.monotonic() - started:.1f} s", file=sys.stderr)
    services.close()
    return 0
