"""10. The messenger's throughput into a local SMTP server (#23): its passes
(`app.messenger.dispatcher.run_pass`, as `python -m app.messenger` runs them, with the
messenger's own login) sending N queued e-mail messages from a central PostgreSQL seeded
from the demo as the sync rows are (`seed_central`), into an aiosmtpd server in this
process; against bare smtplib sending the same messages (the bytes the server received)
to the same server.

`python -m benchmarks.messenger_child DEMO_DB WORK --pg URL --messages N --repeats R`
emits one JSON object. The messages are e-mail letters as a worker queues them from the
customer card (kind letter, a one-page PDF attached, due now) to customers who agreed to
e-mail, in their language. The messenger's clock is the demo's now (its heartbeat), so
nothing of the demo itself falls due. Passes run back to back (the real loop waits
`interval`, 60 s, between passes; each pass claims at most `batch`, 50, messages), until
every message has reached the server. Raw: one SMTP connection per message (EHLO, MAIL,
RCPT, DATA, QUIT: the exchanges the messenger's channel makes); also, as information,
every message through one connection. App and raw alternate per repeat.
"""

from __future__ import annotations

import base64
import io
import os
import secrets
import shutil
import smtplib
import socket
import threading
import time
import traceback
import uuid
from datetime import timedelta
from pathlib import Path

from benchmarks import central as raw_pg
from benchmarks.common import emit, median

SENDER = "Työllisyyspalvelut <no-reply@example.fi>"
NAME = "bench-messenger"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """aiosmtpd handler: keeps each mail's envelope and bytes."""

    def __init__(self) -> None:
        self.mails: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.mails.append((envelope.mail_from, list(envelope.rcpt_tos),
                               bytes(envelope.original_content or envelope.content)))
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.mails)


def letter_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, "Kutsu tapaamiseen / Kallelse till möte")
    page.drawString(72, 700, "Benchmark letter: one page, as a worker sends it by e-mail.")
    page.showPage()
    page.save()
    return buf.getvalue()


def queue_letters(engine, count: int, now, pdf: bytes) -> list[str]:
    """`count` e-mail letters, due now, to customers who agreed to e-mail (cycled)."""
    from sqlalchemy import text

    with engine.begin() as conn:
        people = conn.execute(text(
            "SELECT c.id, c.service_point_id, c.language FROM customer c "
            "JOIN contact_preference p ON p.customer_id = c.id AND p.deleted_at IS NULL "
            "WHERE p.email AND NOT p.opted_out AND coalesce(c.email, '') <> '' "
            "AND c.active AND c.erased_at IS NULL AND c.deleted_at IS NULL "
            "ORDER BY c.id LIMIT :n"), {"n": count}).all()
        if not people:
            raise RuntimeError("no customer of the demo agreed to e-mail")
        attachment = base64.b64encode(pdf).decode("ascii")
        stamp = now.replace(tzinfo=None)
        rows = []
        for i in range(count):
            customer, point, language = people[i % len(people)]
            rows.append({"id": str(uuid.uuid4()), "customer_id": customer,
                         "service_point_id": point,
                         "language": language if language in ("fi", "sv", "en") else "fi",
                         "due_at": stamp - timedelta(minutes=1), "now": stamp,
                         "attachment": attachment})
        conn.execute(text(
            "INSERT INTO message (id, customer_id, service_point_id, kind, channel, status, "
            "language, due_at, attempts, document, attachment_name, attachment, hlc, "
            "updated_at) VALUES (:id, :customer_id, :service_point_id, 'letter', 'email', "
            "'queued', :language, :due_at, 0, 'appointment_letter', 'kutsu.pdf', "
            ":attachment, '', :now)"), rows)
    return [r["id"] for r in rows]


def raw_send(host: str, port: int, mails: list[tuple[str, list[str], bytes]],
             one_connection: bool) -> float:
    started = time.perf_counter()
    if one_connection:
        smtp = smtplib.SMTP(host, port, timeout=30)
        for sender, to, content in mails:
            smtp.sendmail(sender, to, content)
        smtp.quit()
    else:
        for sender, to, content in mails:
            smtp = smtplib.SMTP(host, port, timeout=30)
            smtp.sendmail(sender, to, content)
            smtp.quit()
    return time.perf_counter() - started


def run(demo: Path, work: Path, url: str, messages: int, repeats: int, out: dict) -> None:
    from aiosmtpd.controller import Controller
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from app.db.central_roles import create_messenger_login, drop_login_role
    from app.db.migrate import upgrade_central
    from app.messenger.__main__ import build, make_clock
    from app.messenger.config import load
    from app.services.registry import Services
    from app.sync.engine import central_engine
    from app.sync.seed import seed_central

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with raw_pg.scratch_database(url) as central_url:
            if central_url is None:
                raise RuntimeError(f"cannot create a scratch database with {raw_pg.ENV} "
                                   "(the role needs CREATEDB)")
            upgrade_central(central_url)
            admin = central_engine(central_url)
            local = Services.open(shutil.copyfile(demo, work / "desk.sqlite3"), "bench-msg")
            started = time.perf_counter()
            out["seed"] = {"rows": seed_central(local.ctx.engine, admin),
                           "s": time.perf_counter() - started}
            local.close()
            with admin.connect() as conn:
                seen = conn.execute(text("SELECT max(seen_at) FROM messenger_heartbeat")
                                    ).scalar()
            # The demo's now (its messenger was last heard a minute before it).
            demo_now = (seen + timedelta(minutes=1)).isoformat()
            login = f"bench_messenger_{os.getpid()}"
            password = secrets.token_urlsafe(16)
            create_messenger_login(admin, login, password)
            engine = None
            try:
                messenger_url = make_url(central_url).set(
                    username=login, password=password).render_as_string(hide_password=False)
                os.environ["DESK_MESSENGER_FROM"] = SENDER
                os.environ["DESK_MESSENGER_SMTP_STARTTLS"] = "if-offered"
                config = load(messenger_url, f"smtp://127.0.0.1:{controller.port}", None,
                              NAME)
                out["batch"], out["interval_s"] = config.batch, config.interval
                engine, dispatcher = build(config, make_clock(demo_now))
                measure(engine, dispatcher, admin, box, controller.port, messages, repeats,
                        out)
            finally:
                if engine is not None:
                    engine.dispose()
                drop_login_role(admin, login)  # its grants are in this database
                admin.dispose()
    finally:
        controller.stop()


def measure(engine, dispatcher, admin, box: Mailbox, port: int, messages: int,
            repeats: int, out: dict) -> None:
    from app.messenger.dispatcher import run_pass

    host = "bench"
    send_s: list[float] = []
    real_run = dispatcher.run

    def timed_run():  # the dispatcher's part of a pass (recover, claim, send)
        started = time.perf_counter()
        try:
            return real_run()
        finally:
            send_s.append(time.perf_counter() - started)

    dispatcher.run = timed_run
    started = time.perf_counter()
    run_pass(engine, dispatcher, host)  # warm up: the first pass plans the demo's rows
    out["first_pass_s"] = time.perf_counter() - started
    pdf = letter_pdf()
    app, raw, one, passes, dispatch = [], [], [], [], []
    for _ in range(repeats):
        queue_letters(admin, messages, dispatcher.clock(), pdf)
        before = box.count()
        send_s.clear()
        started, count = time.perf_counter(), 0
        while box.count() - before < messages:
            counts = run_pass(engine, dispatcher, host)
            count += 1
            if counts.sent == 0:
                raise RuntimeError(f"a pass sent nothing: {box.count() - before} of "
                                   f"{messages} arrived ({counts})")
        app.append(time.perf_counter() - started)
        passes.append(count)
        dispatch.append(sum(send_s))
        mails = box.mails[before:before + messages]
        raw.append(raw_send("127.0.0.1", port, mails, one_connection=False))
        one.append(raw_send("127.0.0.1", port, mails, one_connection=True))
    out["messages"] = messages
    out["bytes_per_message"] = sum(len(m[2]) for m in mails) / len(mails)
    out["app_s"], out["raw_s"], out["raw_one_connection_s"] = app, raw, one
    out["passes"], out["dispatch_s"] = passes, dispatch
    out["app_per_s"] = messages / median(app)
    out["raw_per_s"] = messages / median(raw)
    out["raw_one_connection_per_s"] = messages / median(one)
    out["dispatch_share"] = median(dispatch) / median(app)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("demo", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--pg", required=True)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    out: dict = {}
    try:
        run(args.demo, args.work, args.pg, args.messages, args.repeats, out)
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["trace"] = traceback.format_exc()
    shutil.rmtree(args.work, ignore_errors=True)
    emit(out)


if __name__ == "__main__":
    main()
