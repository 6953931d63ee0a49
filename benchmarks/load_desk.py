"""One desk of `make bench-load` (benchmarks/load.py): a real workstation (its own SQLite
file, the application's services and sync engine) signed in online as one staff member of
the demo area, with that member's own PostgreSQL login, doing its role's share of a busy
day through the services while syncing as the application does.

`python -m benchmarks.load_desk WORK INDEX --central URL --user U --kind K --point P
 --rates JSON --day-s S --offline-at S --offline-s S --seed N`

The phases follow files in WORK that benchmarks/load.py writes: a first sync, then
`ready-INDEX.json`; the day starts at the `time.monotonic()` in `go.json` (CLOCK_MONOTONIC
is the machine's, the same in every process); after the day the desk sends everything it
wrote (`quiet-INDEX.json`), waits for `settle.json` (every desk quiet), pulls twice and
emits its figures and the digests of what it holds and of what the centre holds in its
scope as its own login reads it.

Syncing as the application's SyncController does (app/views/sync/controller.py): a local
write pushes 150 ms after the last one (SOON), a notification on the point's channel
pulls, a pull that leaves rows beyond the horizon pulls again soon, and a 20 s poll. While
the desk is off line (one window of the day each) nothing is sent or pulled; the work
goes on and waits in the outbox.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import threading
import time
import traceback
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from benchmarks.common import emit

SOON_S, POLL_S, REPULL_S = 0.15, 20.0, 0.5
PASSWORD = "bench-load"  # the run's own logins' password (benchmarks/load.py)


def _no_progress(_done: int, _all: int) -> None:
    """The application's controller always asks for progress (its status bar)."""


def wait_for(path: Path, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path.name} never came")
        time.sleep(0.05)
    return json.loads(path.read_text())


def write_json(path: Path, data: dict) -> None:
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, default=str))
    partial.rename(path)  # whole or not at all, for the reader polling for it


class Desk:
    def __init__(self, args: argparse.Namespace) -> None:
        from sqlalchemy.engine import URL, make_url

        from app.services.registry import Services

        self.args, self.work = args, args.work
        self.rng = random.Random(args.seed)
        self.services = Services.open(args.work / f"desk-{args.index}.sqlite3",
                                      f"load-{args.index}")
        full = make_url(args.central)  # the run's own account: only its address is used
        self.base = URL.create(full.drivername, host=full.host, port=full.port,
                               database=full.database).render_as_string()
        self.counts: dict[str, int] = {}
        self.errors: list[str] = []
        self.registered: dict[str, float] = {}  # ticket id -> monotonic, when registered
        self.seen: dict[str, float] = {}  # ticket id -> monotonic, first time held here
        self.made: dict[str, list[str]] = {"queue_ticket": [], "visit": [],
                                            "appointment": [], "plan_version": []}
        self.refusals: dict[str, int] = {}  # "kind: message" -> how many
        self.sync_s: list[float] = []
        self.push_s: list[float] = []
        self.sync_failures = 0
        self.offline = threading.Event()
        self.offline_window: tuple[float, float] | None = None
        self.serving: str | None = None  # the ticket this desk has started
        self.stopping = threading.Event()
        self.pull_wanted, self.push_wanted = threading.Event(), threading.Event()
        self.last_write = 0.0

    # --- start of the day: sign in online, the first sync ---------------------------

    def sign_in(self) -> None:
        from app.sync.central_login import personal_url
        from app.sync.engine import SyncEngine, central_engine

        auth = self.services.auth
        auth.central_url = self.base
        actor = auth.sign_in(self.args.user, PASSWORD)
        assert auth.online_sign_in, "the sign-in was not checked centrally"
        self.actor = actor
        url = personal_url(self.base, self.args.user, PASSWORD)
        self.login = central_engine(url)
        self.engine = SyncEngine(self.services.ctx.engine, self.login, f"load-{self.args.index}",
                                 point_code=self.args.point,
                                 observe=self.services.ctx.clock.observe,
                                 authors=self.services.sync.pushed_by(url))
        self.url = url

    def first_sync(self) -> dict:
        started = time.monotonic()
        usable: dict[str, float] = {}
        report = self.engine.sync_once(ready=lambda rows: usable.update(
            s=time.monotonic() - started, rows=rows))
        return {"s": time.monotonic() - started, "rows": report.pulled,
                "usable_s": usable.get("s")}

    def prepare(self) -> None:
        """The desk's place in the day: its letter and duty, the customers it serves."""
        from sqlalchemy import select

        from app.models import Customer, ServicePoint

        kind, queue = self.args.kind, self.services.queue
        if kind in ("rov_desk", "ran_desk"):
            queue.set_workstation(str(self.args.index + 1), self.args.letter)
        if kind in ("rov_desk", "ran_coach"):
            queue.start_duty()
        # The point's own services (a partner's needs the customer's consent to it).
        self.areas = [o.code for o in queue.offered() if o.partner_org_id is None] \
            if kind == "rov_desk" else []
        with self.services.ctx.session_factory() as s:
            point = s.scalar(select(ServicePoint.id).where(
                ServicePoint.code == self.args.point))
            stmt = select(Customer.id).where(Customer.deleted_at.is_(None))
            if kind.endswith("coach"):
                stmt = stmt.where(Customer.coach_id == self.actor.staff_id)
            else:
                stmt = stmt.where(Customer.service_point_id == point)
            self.customers = sorted(s.scalars(stmt.limit(400)))
        self.point_id = point

    # --- the sync, as the application's controller does it -------------------------

    def wrote(self) -> None:
        self.last_write = time.monotonic()
        self.push_wanted.set()

    def sync_loop(self) -> None:
        from app.sync.listen import Listener

        listener = Listener(self.url, [f"desk_{self.args.point.lower()}"],
                            lambda _c: self.pull_wanted.set())
        listener.start()
        next_poll = time.monotonic() + POLL_S
        try:
            while not self.stopping.is_set():
                now = time.monotonic()
                if self.offline.is_set():
                    time.sleep(0.05)
                    continue
                pull = self.pull_wanted.is_set() or now >= next_poll
                push = self.push_wanted.is_set() and now - self.last_write >= SOON_S
                if not (pull or push):
                    time.sleep(0.005)
                    continue
                try:
                    if pull:
                        self.pull_wanted.clear()
                        self.push_wanted.clear()
                        next_poll = now + POLL_S
                        report = self.engine.sync_once(progress=_no_progress)
                        self.sync_s.append(time.monotonic() - now)
                        self.look_at_the_queue()
                        if report.more:
                            next_poll = time.monotonic() + REPULL_S
                    else:
                        self.push_wanted.clear()
                        self.engine.push_only()
                        self.push_s.append(time.monotonic() - now)
                except Exception as exc:  # the application logs it and tries again later
                    self.sync_failures += 1
                    self.note_error("sync", exc)
                    next_poll = time.monotonic() + 1.0
        finally:
            listener.stop()

    def look_at_the_queue(self) -> None:
        """What the desk shows after a pull (its queue view), and when each of today's
        tickets was first here."""
        if self.args.kind != "rov_desk":
            return
        snapshot = self.services.queue.snapshot()
        now = time.monotonic()
        for row in snapshot.waiting + snapshot.serving:
            self.seen.setdefault(row.id, now)
        with self.services.ctx.engine.connect() as conn:
            from sqlalchemy import text

            for (ticket_id,) in conn.execute(text(
                    "SELECT id FROM queue_ticket WHERE ticket_date = :d"),
                    {"d": self.services.ctx.today()}):
                self.seen.setdefault(ticket_id, now)

    # --- the day's work ------------------------------------------------------------

    def actions(self) -> dict[str, float]:
        return json.loads(self.args.rates)

    def day(self, start: float) -> None:
        args = self.args
        end = start + args.day_s
        off_from, off_to = start + args.offline_at, start + args.offline_at + args.offline_s
        self.offline_window = (off_from, off_to)
        rates = self.actions()
        total = sum(rates.values())
        kinds, weights = list(rates), list(rates.values())
        next_at = start + (self.rng.expovariate(total) if total else args.day_s)
        while True:
            now = time.monotonic()
            if off_from <= now < off_to:
                self.offline.set()
            elif self.offline.is_set():
                self.offline.clear()
                self.pull_wanted.set()  # back on line: send and fetch at once
            if now >= end:
                break
            if now < next_at:
                time.sleep(min(0.02, next_at - now))
                continue
            kind = self.rng.choices(kinds, weights)[0]
            self.act(kind)
            next_at += self.rng.expovariate(total)
        self.offline.clear()

    def act(self, kind: str) -> None:
        from app.services.errors import ServiceError

        try:
            done = getattr(self, f"do_{kind}")()
        except ServiceError as exc:  # a refusal a worker would read, and go on
            self.counts[f"refused:{kind}"] = self.counts.get(f"refused:{kind}", 0) + 1
            reason = f"{kind}: {exc.message}"
            self.refusals[reason] = self.refusals.get(reason, 0) + 1
            return
        except Exception as exc:
            self.counts[f"error:{kind}"] = self.counts.get(f"error:{kind}", 0) + 1
            self.note_error(kind, exc)
            return
        if done:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.wrote()

    def note_error(self, kind: str, exc: Exception) -> None:
        if len(self.errors) < 20:
            self.errors.append(f"{kind}: {type(exc).__name__}: {exc}\n"
                               + traceback.format_exc(limit=4))

    def do_walk_in(self) -> bool:
        customer = self.rng.choice(self.customers) if self.rng.random() < 0.7 else None
        started = time.monotonic()
        ticket = self.services.queue.register_walk_in(customer, self.rng.choice(self.areas))
        self.registered[ticket.id] = started
        self.seen.setdefault(ticket.id, started)
        self.made["queue_ticket"].append(ticket.id)
        return True

    def do_serve(self) -> bool:
        """Finish the customer being served (a visit record), else call the next one and
        start at once (a desk's call and start are seconds apart)."""
        from app.dto.visits import VisitInput

        queue = self.services.queue
        if self.serving is None:  # one still at this desk: the demo's, or a call raced
            self.serving = self.my_active()
        if self.serving is not None:
            ticket_id, self.serving = self.serving, None
            earlier = set(self.visits_of(ticket_id))  # an earlier leg's, say
            row = queue.finish(ticket_id, VisitInput(
                service_area=self.serving_area, outcome="resolved", note="bench-load"))
            self.made["visit"].extend(set(self.visits_of(row.id)) - earlier)
            return True
        called = queue.call_next()
        if called is None:
            return False
        queue.start(called.id)
        self.serving, self.serving_area = called.id, called.service_area
        return True

    def my_active(self) -> str | None:
        """A ticket of today this worker has called or is serving (started if called)."""
        from sqlalchemy import select

        from app.models import QueueTicket
        from app.rules.codes import TicketState
        from app.services.queue import ACTIVE

        with self.services.ctx.session_factory() as s:
            row = s.execute(select(QueueTicket.id, QueueTicket.state,
                                   QueueTicket.service_area).where(
                QueueTicket.ticket_date == self.services.ctx.today(),
                QueueTicket.served_by == self.actor.staff_id,
                QueueTicket.state.in_(ACTIVE))).first()
        if row is None:
            return None
        if row.state == TicketState.CALLED:
            self.services.queue.start(row.id)
        self.serving_area = row.service_area.value
        return row.id

    def visits_of(self, ticket_id: str) -> list[str]:
        """This worker's visits of the ticket (a ticket two desks raced for may have the
        other's too)."""
        from sqlalchemy import select

        from app.models import Visit

        with self.services.ctx.session_factory() as s:
            return list(s.scalars(select(Visit.id).where(
                Visit.ticket_id == ticket_id, Visit.staff_id == self.actor.staff_id)))

    def do_contact(self) -> bool:
        from app.dto.visits import VisitInput

        channel = "phone" if self.rng.random() < 0.78 else "video"
        row = self.services.visits.record_contact(
            self.rng.choice(self.customers), channel,
            VisitInput(service_area="finding_work", outcome="resolved"),
            self.rng.randint(10, 40))
        self.made["visit"].append(row.id)
        return True

    def do_book(self) -> bool:
        from app.dto.appointments import BookingInput

        appointments = self.services.appointments
        now = self.services.ctx.now()
        if self.args.kind == "ran_desk":  # the desk books for the point's coaches
            slots = appointments.find_slots(45, now + timedelta(hours=1),
                                            service_point_id=self.point_id, count=3)
        else:
            slots = appointments.find_slots(45, now + timedelta(hours=1),
                                            staff_id=self.actor.staff_id, count=3)
        if not slots or not self.customers:
            return False
        slot = self.rng.choice(slots)
        channel = "service_point" if self.rng.random() < 0.7 else "phone"
        row = appointments.book(BookingInput(self.rng.choice(self.customers), slot.staff_id,
                                             "other", channel, slot.starts_at, 45))
        self.made["appointment"].append(row.id)
        return True

    def do_check_in(self) -> bool:
        """An appointment customer arrives: the desk checks in one of today's booked."""
        from sqlalchemy import select

        from app.models import Appointment, QueueTicket
        from app.rules.codes import AppointmentStatus, Channel

        today = self.services.ctx.today()
        with self.services.ctx.session_factory() as s:
            due = list(s.scalars(select(Appointment.id).where(
                Appointment.service_point_id == self.point_id,
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.channel == Channel.SERVICE_POINT)))
        for appointment_id in self.rng.sample(due, min(len(due), 5)):
            row = self.services.appointments.get(appointment_id)
            if row.starts_at.date() == today:
                self.services.appointments.check_in(appointment_id)
                with self.services.ctx.session_factory() as s:
                    self.made["queue_ticket"].extend(s.scalars(select(QueueTicket.id).where(
                        QueueTicket.appointment_id == appointment_id)))
                return True
        return False

    def do_plan(self) -> bool:
        """An autosave of a plan draft of one of the coach's own customers (a new draft
        or a new plan when there is none to edit)."""
        plans = self.services.plans
        customer = self.rng.choice(self.customers)
        current = plans.open_customer(customer).current
        if current is None:
            current = plans.create_plan(customer, "employment")
        elif not current.editable:
            current = plans.start_new_draft(current.id)
        stamp = self.services.ctx.now().strftime("%H.%M.%S")
        summary = f"Työnhaun tilanne käyty läpi {stamp}."
        plans.save_draft(current.id, replace(current.content, summary=summary),
                         current.revision)
        self.made["plan_version"].append(current.id)
        return True

    # --- the end of the day ---------------------------------------------------------

    def waiting(self) -> int:
        from sqlalchemy import text

        with self.services.ctx.engine.connect() as conn:
            return conn.execute(text(
                "SELECT count(*) FROM outbox WHERE status = 'pending' AND "
                "(author = :me OR author IS NULL)"), {"me": self.actor.staff_id}).scalar()

    def send_everything(self) -> int:
        for _ in range(20):
            self.engine.sync_once()
            left = self.waiting()
            if not left:
                return 0
            time.sleep(0.5)
        return left

    def digests(self) -> dict:
        from app.models import synced_tables
        from app.sync.digest import central_digest, local_digest
        from app.sync.pull import NEVER_PULLED

        tables = [t for t in synced_tables() if t not in NEVER_PULLED]
        here = local_digest(self.services.ctx.engine, tables)
        there = central_digest(self.login, self.point_id, tables)
        return {"differ": sorted(t for t in tables if here[t] != there[t]),
                "tables": len(tables)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("work", type=Path)
    parser.add_argument("index", type=int)
    parser.add_argument("--central", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--kind", required=True,
                        choices=["rov_desk", "ran_desk", "rov_coach", "ran_coach"])
    parser.add_argument("--point", required=True)
    parser.add_argument("--letter", default="A")
    parser.add_argument("--rates", required=True, help="JSON {action: per second}")
    parser.add_argument("--day-s", type=float, required=True)
    parser.add_argument("--offline-at", type=float, required=True)
    parser.add_argument("--offline-s", type=float, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out: dict = {"index": args.index, "user": args.user, "kind": args.kind,
                 "point": args.point}
    desk = None
    try:
        desk = Desk(args)
        desk.sign_in()
        out["first_sync"] = desk.first_sync()
        desk.prepare()
        write_json(args.work / f"ready-{args.index}.json", out["first_sync"])
        start = wait_for(args.work / "go.json", 3600)["start"]
        syncing = threading.Thread(target=desk.sync_loop, daemon=True)
        syncing.start()
        while time.monotonic() < start:
            time.sleep(0.01)
        desk.day(start)
        desk.stopping.set()
        syncing.join(60)
        out["left_unsent"] = desk.send_everything()
        write_json(args.work / f"quiet-{args.index}.json", {})
        wait_for(args.work / "settle.json", 1800)
        for _ in range(2):
            desk.engine.sync_once()
        out["digests"] = desk.digests()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        out.update(counts=desk.counts, errors=desk.errors, made=desk.made,
                   refusals=desk.refusals,
                   registered=desk.registered, seen=desk.seen,
                   offline=desk.offline_window, sync_s=desk.sync_s, push_s=desk.push_s,
                   sync_failures=desk.sync_failures,
                   cpu_s=usage.ru_utime + usage.ru_stime, max_rss_kib=usage.ru_maxrss)
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["trace"] = traceback.format_exc()
    finally:
        if desk is not None:
            desk.stopping.set()
    emit(out)
    if desk is not None:
        if hasattr(desk, "login"):
            desk.login.dispose()
        desk.services.close()


if __name__ == "__main__":
    main()
