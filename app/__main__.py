"""Composition root: parse arguments, build config, services and the Qt window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import __version__, config, i18n


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="desk" if getattr(sys, "frozen", False) else "python -m app",
        description="Rovaseutu service-point desk application",
    )
    parser.add_argument("--db", type=Path, help="local database file")
    parser.add_argument("--central", help="central PostgreSQL URL")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help="user interface language")
    parser.add_argument("--demo", action="store_true",
                        help="fill an empty database with the demo area on first run")
    parser.add_argument("--demo-scale", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png",
                        help="render a view offscreen to a PNG and exit")
    parser.add_argument("--view", help="the view to render with --screenshot; without it, "
                        "'kiosk' opens the feedback kiosk full screen")
    parser.add_argument("--setup", action="store_true",
                        help="show the workstation settings dialog of the first start again")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args = parser.parse_args(argv)
    if args.screenshot and not args.view:
        parser.error("--screenshot needs --view")
    if args.view and not args.screenshot and args.view != "kiosk":
        parser.error("--view without --screenshot opens only 'kiosk'")
    return args


def with_arguments(settings: config.Config, args: argparse.Namespace) -> config.Config:
    """The command line overrides the settings files."""
    if args.db:
        settings = settings.with_(db_path=args.db)
    if args.central:
        settings = settings.with_(central_url=args.central)
    if args.lang:
        settings = settings.with_(language=args.lang)
    return settings


def main(argv: list[str] | None = None) -> int:
    # The Windows bundle is a GUI program: started from the Start menu it has no console,
    # and printing (--version, an error) to a missing stream must not crash it.
    for stream in ("stdout", "stderr"):
        if getattr(sys, stream) is None:
            setattr(sys, stream, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from app.views import screenshot

        if args.view not in screenshot.VIEWS:
            print(
                f"error: unknown view {args.view!r}; available: {', '.join(screenshot.VIEWS)}",
                file=sys.stderr,
            )
            return 2

    # A workstation without any settings file asks for them first; never for a
    # screenshot or the demo (nor in tests: they name a DESK_CONFIG, see app.config).
    # --setup shows the same dialog again (a moved workstation, a new central address).
    first_run = (not args.screenshot and not args.demo
                 and (args.setup or config.needs_first_run()))
    settings = with_arguments(config.load(), args)
    i18n.set_language(settings.language)

    from app.services.registry import Services

    try:
        services = Services.open(settings.db_path, settings.workstation)
    except Exception as exc:
        print(f"error: cannot open the database {settings.db_path}: {exc}", file=sys.stderr)
        return 1

    from app.views.application import build_demo_with_progress, build_main_window, make_application

    app = make_application(sys.argv[:1])
    if first_run:
        from app.views.first_run import run_first_run

        chosen = run_first_run(app, services, settings)
        if chosen is None:  # cancelled: nothing saved, asked again next time
            services.close()
            return 0
        settings = with_arguments(chosen, args)
        i18n.set_language(settings.language)
    if settings.ticket_letter:
        services.setup.preset_letter(settings.ticket_letter)
    window, runner = build_main_window(app, services, settings.language, settings.text_scale,
                                       settings.central_url, settings.service_point)

    if args.screenshot:
        from app.views import screenshot

        return screenshot.run(app, window, runner, services, args.view, args.screenshot,
                              demo=args.demo, scale=args.demo_scale)

    # Language and text size chosen in the Settings menu are kept for the next start.
    window.remember_preference = lambda key, value: config.save_user({key: value})
    # The feedback kiosk stands at the configured service point (else a walk-in point).
    start = ((lambda: window.open_kiosk(settings.service_point)) if args.view == "kiosk"
             else window.show)
    if args.demo and services.is_empty():
        window.progress = build_demo_with_progress(  # type: ignore[attr-defined]
            runner, services, args.demo_scale, 1,
            (lambda: (window.demo_ready(), start())) if args.view == "kiosk"
            else window.demo_ready,
        )
    else:
        start()
    code = app.exec()
    if window.sync is not None:
        window.sync.stop()
    runner.wait()
    services.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
