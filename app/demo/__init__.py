"""The demo area: reproducible, realistic demo data for an empty local database.

Above the services: it may use services, models, db and rules; only the composition root,
the command line, the views' first run, the tests and the benchmarks import it.
`fill()` is what they call; the generator itself is `area`. Importing this package costs
nothing: the generator (holiday calendars, argon2, word lists) loads when `fill()` runs,
in the database thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.demo.area import DemoSummary
    from app.services.registry import Services


def fill(
    services: Services,
    seed: int = 1,
    scale: float = 1.0,
    progress: Callable[[str, float], None] | None = None,
    cancel: threading.Event | None = None,
) -> DemoSummary:
    """Fill the empty database of `services` with the demo area (see app.demo.area) and
    mark it as a demo database (`Services.is_demo`)."""
    from app.demo.area import build_demo
    from app.i18n import HELSINKI
    from app.models import LocalSetting
    from app.services.registry import DEMO_MARKER

    ctx = services.ctx
    local_now = ctx.now().astimezone(HELSINKI)
    summary = build_demo(
        ctx.engine, seed=seed, scale=scale, progress=progress, cancel=cancel,
        today=local_now.date(), queue_now=local_now.hour * 60 + local_now.minute,
    )
    with ctx.session_factory.begin() as s:
        s.merge(LocalSetting(key=DEMO_MARKER, value=f"{seed}:{scale}"))
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")  # statistics for the planner after a bulk load
    return summary
