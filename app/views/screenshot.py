"""`python -m app --screenshot FILE.png --view NAME`: render one view offscreen."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop
from PySide6.QtWidgets import QApplication

from app import demo as demo_area
from app.services.registry import Services
from app.views.main_window import ROW, MainWindow
from app.views.queue.lobby import LobbyWindow
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.views.appointments.page import AppointmentsPage
    from app.views.customers.page import CustomersPage

# View name -> the demo account it signs in as (None: no sign-in needed).
VIEWS = {"login": None, "queue": "desk", "lobby": None, "customers": "coach",
         "customer": "coach", "plan": "coach", "sync": "coach"}
VIEWS.update({"kiosk": None, "feedback": "lead", "feedback_customer": "desk"})
VIEWS["reports"] = "lead"
VIEWS.update({"today": "coach", "caseload": "lead"})
VIEWS["first-run"] = None
# The calendar: a coach's own week; the day of the Ranua service point at reception.
VIEWS.update({"appointments": "coach", "appointments-day": "desk"})
VIEWS |= {"lock": "coach", "access-log": "lead"}  # security: the idle lock, the access log
VIEWS |= {"working-hours": "coach", "holidays": "lead"}  # the calendar's settings dialogs
# The card's case tabs: notes and work ability; a case closed and reopened (periods).
VIEWS |= {"customer-notes": "coach", "customer-periods": "coach"}
VIEWS["targets"] = "lead"  # the Reports page's annual targets (#25)
VIEWS["reports-services"] = "lead"  # the Reports page's purchased services (#20)
VIEWS["reports-drilldown"] = "lead"  # the customers behind a figure (#25)
VIEWS["customer-decisions"] = "coach"  # the card's Decisions tab (#20)
CARD_VIEWS: tuple[str, ...] = ("customer", "plan", "lock", "access-log", "customer-notes",
                               "customer-periods")
VIEWS["customer-referrals"] = "coach"  # the card's referrals to purchased services (#20)
CARD_VIEWS += ("customer-referrals",)
CARD_VIEWS += ("customer-decisions",)
VIEWS["providers"] = "lead"  # the register of service providers and contracts (#20)
VIEWS["quarterly"] = "lead"  # the Reports page's quarterly export dialog (#25)
VIEWS["reports-employers"] = "lead"  # the Reports page on a vacancies figure (#22)
VIEWS["reports-activation"] = "lead"  # activation plans made when due (#25)
# The employer register (#22): the list, an employer's card, a vacancy and its proposals.
VIEWS |= {"employers": "coach", "employer-card": "coach", "vacancy": "coach"}
VIEWS["customer-job-tips"] = "coach"  # the card's job tips (#22)
VIEWS |= {"rooms": "admin", "booking-rooms": "coach"}  # the rooms screen, a booked room (#21)
VIEWS["queue_services"] = "admin"  # Settings > Queue services (#24)
CARD_VIEWS += ("customer-job-tips",)
# Events (#21): the point's week of events, an event card with participants, the
# annual calendar.
VIEWS |= {"events": "coach", "event-card": "coach", "annual-calendar": "coach"}
# Events where staff already look (#21): the coach's week with their event sessions, the
# queue's arrival offering the check-in, a customer's card with their events.
VIEWS |= {"appointments-events": "coach", "arrival-checkin": "desk",
          "customer-events": "coach"}
CARD_VIEWS += ("customer-events",)
VIEWS["reports-events"] = "lead"  # the Reports page on events and attendance (#21)
# Messages (#23): the page (to handle, the day's queue, the print list, the templates)
# and a customer's card on its Messages tab.
VIEWS |= {"messages": "desk", "messages-today": "desk", "messages-print": "desk",
          "messages-templates": "lead", "customer-messages": "coach",
          "customer-appointments": "coach"}
CARD_VIEWS += ("customer-messages", "customer-appointments")
# Multi-professional work (#24): the partner register; a card's consents.
VIEWS |= {"partners": "coach", "customer-consents": "coach"}
CARD_VIEWS += ("customer-consents",)
# The plan editor on each plan type's own part; a multi-professional meeting's dialog.
PLAN_TYPE_VIEWS = {"plan-multi": "multi_professional", "plan-activation": "activation",
                   "plan-integration": "integration"}
VIEWS |= {**dict.fromkeys(PLAN_TYPE_VIEWS, "coach"), "meeting": "coach"}


def settle(runner: TaskRunner, ms: int = 20000) -> None:
    """Process events until background work is done and its results are shown."""
    timer = QElapsedTimer()
    timer.start()
    idle_rounds = 0
    while timer.elapsed() < ms and idle_rounds < 5:
        QCoreApplication.processEvents()
        runner.wait(50)
        QCoreApplication.processEvents()
        idle_rounds = idle_rounds + 1 if not runner.busy else 0
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def run(app: QApplication, window: MainWindow, runner: TaskRunner, services: Services,
        view: str, out: Path, demo: bool = False, scale: float = 1.0) -> int:
    if demo and services.is_empty():
        demo_area.fill(services, scale=scale)
    window.demo_ready()
    settle(runner)
    account = VIEWS[view]
    if account is not None:
        window.session.sign_in(account, "demo")
        settle(runner)
        if window.actor is None:
            print("error: could not sign in as the demo user; run with --demo", file=sys.stderr)
            return 1
        settle(runner)
    if view == "lobby":
        return _lobby(runner, services, out)
    if view in ("kiosk", "feedback_customer"):
        return _feedback_window(runner, services, view, out)
    if view == "first-run":
        return _first_run(window, runner, services, out)
    if view in PLAN_TYPE_VIEWS or view == "meeting":
        return _partner_work(window, runner, services, view, out)
    if view in ("feedback", "sync", "reports", "today", "caseload", "partners"):  # as it opens
        window.nav.setCurrentRow(ROW[view])
        settle(runner)
    if view == "providers":  # the first provider with a contract chosen
        window.nav.setCurrentRow(ROW[view])
        settle(runner)
        table = getattr(window.page(view), "contract_table", None)
        if table is not None and table.model().rowCount():
            table.selectRow(0)
            settle(runner)
    if view == "targets":  # the Reports page's Targets tab
        window.nav.setCurrentRow(ROW["reports"])
        settle(runner)
        page = window.page("reports")
        getattr(getattr(page, "page", None) or page, "targets_tabs").setCurrentIndex(1)  # noqa: B009
        settle(runner)
    if view == "reports-services":  # the Reports page's Purchased services tab
        window.nav.setCurrentRow(ROW["reports"])
        settle(runner)
        page = window.page("reports")
        tabs = getattr(getattr(page, "page", None) or page, "targets_tabs")  # noqa: B009
        tabs.setCurrentWidget(getattr(getattr(page, "page", None) or page, "services_tab"))  # noqa: B009
        settle(runner)
    if view in ("working-hours", "holidays"):
        return _calendar_settings(window, runner, services, view, out)
    if view in ("rooms", "booking-rooms"):
        return _rooms(window, runner, services, view, out)
    if view == "queue_services":
        return _queue_services(window, runner, services, out)
    if view == "reports-drilldown":
        return _drilldown(window, runner, services, out)
    if view == "reports-activation":  # the Reports page on a timeliness report
        from app.services.reports import REPORTS

        window.nav.setCurrentRow(ROW["reports"])
        settle(runner)
        page = window.page("reports")
        reports: Any = getattr(page, "page", None) or page
        reports.report_list.setCurrentRow(list(REPORTS).index("activation_plans_on_time"))
        settle(runner)
    if view == "reports-employers":  # the Reports page on proposals per vacancy (#22)
        from app.services.reports import REPORTS

        window.nav.setCurrentRow(ROW["reports"])
        settle(runner)
        page = window.page("reports")
        employer_reports: Any = getattr(page, "page", None) or page
        employer_reports.report_list.setCurrentRow(list(REPORTS).index("vacancy_proposals"))
        settle(runner)
    if view == "reports-events":  # the Reports page on events and attendance (#21)
        from app.services.reports import REPORTS

        window.nav.setCurrentRow(ROW["reports"])
        settle(runner)
        page = window.page("reports")
        event_reports: Any = getattr(page, "page", None) or page
        event_reports.report_list.setCurrentRow(list(REPORTS).index("events_attendance"))
        settle(runner)
    if view == "quarterly":
        return _quarterly(window, runner, services, out)
    if view in ("employers", "employer-card", "vacancy"):
        _employers(window, runner, services, view)
    if view.startswith("appointments"):
        _appointments(window, runner, day=view == "appointments-day")
    if view == "appointments-events":
        _event_week(window, runner, services)
    if view == "arrival-checkin":
        return _arrival_checkin(window, runner, services, out)
    if view in ("events", "event-card", "annual-calendar"):
        _events(window, runner, services, view)
    if view.startswith("messages"):
        _messages(window, runner, view)
    if view in ("customers", *CARD_VIEWS):
        window.nav.setCurrentRow(ROW["customers"])
        settle(runner)
    if view in CARD_VIEWS:
        customers = cast("CustomersPage", window.page("customers"))
        model = customers.model
        # One of the signed-in coach's own customers: their plan is theirs to open.
        actor = services.session.actor
        me = actor.full_name if actor else ""
        mine = [r for r in model.rows if r.coach_name == me]
        if view == "customer-periods":  # a closed case the coach follows up
            mine = [r for r in mine if not r.active] + mine
        if view == "customer-decisions":  # one of the coach's customers with decisions
            mine = [r for r in mine[:200]
                    if services.decisions.list_for_customer(r.id).rows] or mine
        row = next((r for r in mine if (r.days_unemployed or 0) > 100 or not r.active),
                   mine[0] if mine else model.row_at(0))
        if row is None:
            print("error: no customers to show; run with --demo", file=sys.stderr)
            return 1
        shown_id = row.id
        if view in ("customer-notes", "customer-periods"):
            # The coach's customer with the most notes, or with the longest case history
            # (reopened, with a closed period): what the tab is there to show.
            def weight(cid: str) -> int:
                if view == "customer-notes":
                    return len(services.case_notes.notes(cid).notes)
                return len(services.case_periods.periods(cid).periods)
            weights = {r.id: weight(r.id) for r in mine[:150]}
            shown_id = max(weights, key=lambda c: weights[c]) if weights else row.id
        if view == "customer-referrals":  # the coach's customer with the most referrals
            counts: dict[str, int] = {}
            for referral in services.referrals.list_all():
                counts[referral.customer_id] = counts.get(referral.customer_id, 0) + 1
            shown_id = max(counts, key=lambda c: counts[c]) if counts else row.id
        if view == "customer-job-tips":  # a customer of the coach's proposed the most
            tips: dict[str, int] = {}
            for vacancy in sorted(services.vacancies.vacancies(), key=lambda v: -v.proposed)[:40]:
                for proposal in services.vacancies.proposals(vacancy.id):
                    tips[proposal.customer_id] = tips.get(proposal.customer_id, 0) + 1
            shown_id = max(tips, key=lambda c: tips[c]) if tips else row.id
        if view == "customer-events":  # the customer on the most events' lists
            shown_id = _most_events(services) or row.id
        if view == "customer-messages":  # the coach's customer with the most messages
            shown_id = _most_messages(services, [r.id for r in mine[:200]]) or row.id
        if view == "customer-consents":  # the coach's customer with the most consents
            shown_id = _most_consents(services, [r.id for r in mine[:300]]) or row.id
        customers.open_customer(shown_id)
        settle(runner)
        card = customers.card_view
        if view == "customer-events":  # on the timeline, under the visits
            card.sections.setCurrentIndex(1)
            settle(runner)
        if view == "customer-notes":
            card.sections.setCurrentWidget(card.case_work)
            settle(runner)
        if view == "customer-appointments":  # the letter: save, print or e-mail it
            card.sections.setCurrentIndex(2)
            settle(runner)
        if view == "customer-periods":
            card.sections.setCurrentWidget(card.case.history)
            settle(runner)
        if view == "customer-referrals":
            card.sections.setCurrentWidget(card.referrals)
            settle(runner)
        if view == "customer-decisions":
            card.sections.setCurrentWidget(card.decisions)
            settle(runner)
        if view == "customer-job-tips":  # on the timeline, under the visits
            card.sections.setCurrentIndex(1)
            settle(runner)
        if view == "customer-messages":
            card.sections.setCurrentWidget(card.messages)
            settle(runner)
        if view == "customer-consents":
            card.sections.setCurrentWidget(card.consents)
            settle(runner)
            if card.consents.model.rowCount():
                card.consents.table.selectRow(0)
                settle(runner)
        if view == "plan":
            customers.open_plan(row.id)
            settle(runner)
        if view == "lock":
            window.session.lock()
            settle(runner)
        if view == "access-log":
            customers.open_access_log(row.id)
            settle(runner)
            dialog = customers.access_dialog
            out.parent.mkdir(parents=True, exist_ok=True)
            ok = dialog.grab().save(str(out))
            runner.wait()
            services.close()
            return 0 if ok else 1
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(out))
    runner.wait()
    services.close()
    return 0 if ok else 1


def _employers(window: MainWindow, runner: TaskRunner, services: Services, view: str) -> None:
    """The employer list; the card of the employer with the most open vacancies; the
    vacancy with the most job seekers proposed."""
    window.nav.setCurrentRow(ROW["employers"])
    settle(runner)
    if view == "employers":
        return
    page: Any = window.page("employers")
    vacancies = services.vacancies.vacancies()
    if view == "vacancy" and vacancies:
        busiest = sorted(vacancies, key=lambda v: -v.proposed)[:30]
        # The one with the most job seekers this coach may see (their case is theirs).
        shown = max(busiest, key=lambda v: len(services.vacancies.proposals(v.id)))
        page.open_employer(shown.employer_id)
        settle(runner)
        page.open_vacancy(shown.id)
        settle(runner)
        return
    rows = page.model.rows
    if not rows:
        return
    best = max(rows, key=lambda r: r.open_vacancies)
    page.open_employer(best.id)
    settle(runner)


def _events(window: MainWindow, runner: TaskRunner, services: Services, view: str) -> None:
    """The coach's point's week with the most events of the coming weeks; the card of
    the event with the most people on its list; the annual calendar of the point."""
    from datetime import timedelta

    window.nav.setCurrentRow(ROW["events"])
    settle(runner)
    page: Any = window.page("events")
    if view == "annual-calendar":
        page.tabs.setCurrentIndex(1)
        settle(runner)
        return
    today = services.session.today()
    point = page.week.point.currentData() or None
    rows = services.events.list_events(today, today + timedelta(days=56), point)
    if not rows:
        return
    weeks: dict[Any, int] = {}
    for r in rows:
        if r.starts_at is not None:
            monday = page._week_of(r.starts_at.date())
            weeks[monday] = weeks.get(monday, 0) + 1
    if weeks:
        page.monday = max(weeks, key=lambda w: weeks[w])
        page.load_week()
        settle(runner)
    if view == "event-card":
        best = max(rows, key=lambda r: r.registered + r.waiting + r.invited)
        page.open_event(best.id)
        settle(runner)


def _appointments(window: MainWindow, runner: TaskRunner, day: bool) -> None:
    window.nav.setCurrentRow(ROW["appointments"])
    settle(runner)
    page = cast("AppointmentsPage", window.page("appointments"))
    if day:  # Ranua works by appointment: its whole day fits the window
        page.point_combo.setCurrentIndex(max(0, page.point_combo.findText("Ranua")))
        page._point_changed()
        settle(runner)
        page.set_mode("day")
    page.navigate("today", 0)
    settle(runner)


def _event_week(window: MainWindow, runner: TaskRunner, services: Services) -> None:
    """The coming week with the most sessions the coach organises, the cursor on one."""
    from datetime import timedelta

    from app.i18n import HELSINKI
    from app.views.appointments import columns as cols

    page = cast("AppointmentsPage", window.page("appointments"))
    actor = services.session.actor
    today = services.session.today()
    sessions = services.events.calendar_sessions(
        today, today + timedelta(days=84), staff_ids=[actor.staff_id]) if actor else []
    if not sessions:
        return
    weeks: dict[Any, list[Any]] = {}
    for s in sessions:
        day = s.starts_at.astimezone(HELSINKI).date()
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(s)
    busiest = max(weeks.values(), key=len)
    first = busiest[0].starts_at.astimezone(HELSINKI)
    page.anchor = cols.weekday_on_or_after(first.date())
    page._show_range()
    page.load()
    settle(runner)
    page.grid.set_cursor(first.weekday(), page.grid.slot_for_minute(
        first.hour * 60 + first.minute))
    settle(runner)


def _messages(window: MainWindow, runner: TaskRunner, view: str) -> None:
    """The Messages page on the tab the view names."""
    window.nav.setCurrentRow(ROW["messages"])
    settle(runner)
    page: Any = window.page("messages")
    tab = {"messages-today": page.today, "messages-print": page.printing,
           "messages-templates": page.templates}.get(view)
    if tab is not None:
        page.tabs.setCurrentWidget(tab)
        settle(runner)


def _most_messages(services: Services, customer_ids: list[str]) -> str | None:
    """Of these customers and those in the Messages page's lists, the one with the most
    messages (a failure counts double)."""
    messages = services.messages
    listed = [*messages.to_handle(), *messages.print_list(),
              *messages.day_queue(services.session.today())]
    weights = {cid: sum(2 if m.status in ("failed", "held") else 1
                        for m in messages.history(cid))
               for cid in dict.fromkeys([*customer_ids, *(m.customer_id for m in listed)])}
    best = max(weights, key=lambda c: weights[c]) if weights else None
    return best if best is not None and weights[best] else None


def _most_consents(services: Services, customer_ids: list[str]) -> str | None:
    """Of these customers and those with a multi-professional plan, the one with the most
    consents (a withdrawn or expired one counts double: the list tells them apart)."""
    multi = [p.customer_id for p in services.plans.list_plans(plan_type="multi_professional")]
    weights = {cid: sum(1 if c.in_force else 2 for c in services.consents.consents(cid))
               for cid in dict.fromkeys([*multi[:100], *customer_ids])}
    best = max(weights, key=lambda c: weights[c]) if weights else None
    return best if best is not None and weights[best] else None


def _most_events(services: Services) -> str | None:
    """The customer on the most lists of the past year's and coming events."""
    from datetime import timedelta

    today = services.session.today()
    counts: dict[str, int] = {}
    for row in services.events.list_events(today - timedelta(days=365),
                                           today + timedelta(days=60))[:80]:
        for p in services.events.participants(row.id):
            if p.name:
                counts[p.customer_id] = counts.get(p.customer_id, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


def _arrival_checkin(window: MainWindow, runner: TaskRunner, services: Services,
                     out: Path) -> int:
    """The queue's arrival with a customer on the list of today's event session (or,
    when the demo has none today, of the next one, offered as it would be on its day)."""
    from datetime import timedelta

    from app.dto.events import CheckInMatch

    window.nav.setCurrentRow(ROW["queue"])
    settle(runner)
    page: Any = window.page("queue")
    today = services.session.today()
    found = None
    for row in services.events.list_events(today, today + timedelta(days=60)):
        detail = services.events.get(row.id)
        sessions = [s for s in detail.sessions if not s.cancelled
                    and s.starts_at.date() >= today]
        people = [p for p in services.events.participants(row.id)
                  if p.name and p.status in ("registered", "invited", "waiting")]
        if sessions and people:
            found = (detail, sessions[0], people[0])
            break
    page.new_arrival()
    settle(runner)
    dialog = page.dialog
    if found is not None:
        detail, session, person = found
        dialog._choose(person.customer_id, person.name)
        settle(runner)
        if not dialog.matches:
            dialog._show_matches([CheckInMatch(session.id, detail.row.id, detail.row.title,
                                               session.starts_at, session.room_name,
                                               person.status)])
            settle(runner)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(out))
    runner.wait()
    services.close()
    return 0 if ok else 1


def _calendar_settings(window: MainWindow, runner: TaskRunner, services: Services, view: str,
                       out: Path) -> int:
    _appointments(window, runner, day=False)
    page = cast("AppointmentsPage", window.page("appointments"))
    settings = page.calendar_settings
    settings.working_hours() if view == "working-hours" else settings.exceptions()
    settle(runner)
    dialog = page.dialog
    if dialog is None:
        print(f"error: the {view} dialog did not open", file=sys.stderr)
        return 1
    if view == "working-hours":
        dialog.adjustSize()
        settle(runner)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(out))
    dialog.close()
    runner.wait()
    services.close()
    return 0 if ok else 1


def _queue_services(window: MainWindow, runner: TaskRunner, services: Services,
                    out: Path) -> int:
    """Settings > Queue services of the administrator's point, its last service (the
    demo's partner service) chosen."""
    from PySide6.QtWidgets import QDialog

    if window.menus is None:
        return 1
    window.menus.open_queue_services()
    settle(runner)
    dialog: Any = window.findChild(QDialog, "queue_services_dialog")
    if dialog is None:
        print("error: the queue services dialog did not open", file=sys.stderr)
        return 1
    if dialog.model.rowCount():
        dialog.table.selectRow(dialog.model.rowCount() - 1)
    settle(runner)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(out))
    dialog.close()
    runner.wait()
    services.close()
    return 0 if ok else 1


def _rooms(window: MainWindow, runner: TaskRunner, services: Services, view: str,
           out: Path) -> int:
    """The rooms screen of the administrator's point, the first room chosen; or the
    booking dialog with the first free slots and a room chosen."""
    from PySide6.QtWidgets import QDialog

    dialog: Any
    if view == "rooms":
        if window.menus is None:
            return 1
        window.menus.open_rooms()
        settle(runner)
        dialog = window.findChild(QDialog, "rooms_dialog")
        if dialog is not None and dialog.model.rowCount():
            dialog.table.selectRow(2 if dialog.model.rowCount() > 2 else 0)
    else:
        _appointments(window, runner, day=False)
        page = cast("AppointmentsPage", window.page("appointments"))
        page.calendar_actions.book()
        settle(runner)
        dialog = page.dialog
        if dialog is not None:
            dialog.find_slots()
            settle(runner)
            dialog.room.setCurrentIndex(min(3, dialog.room.count() - 1))
            dialog.adjustSize()
    settle(runner)
    if dialog is None:
        print(f"error: the {view} dialog did not open", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(out))
    dialog.close()
    runner.wait()
    services.close()
    return 0 if ok else 1


def _quarterly(window: MainWindow, runner: TaskRunner, services: Services, out: Path) -> int:
    """The Reports page's "Export quarter for the ministry…" dialog as it opens."""
    from PySide6.QtWidgets import QDialog

    window.nav.setCurrentRow(ROW["reports"])
    settle(runner)
    page: Any = window.page("reports")
    page = getattr(page, "page", None) or page
    page.open_quarterly()
    settle(runner)
    dialog = page.findChild(QDialog, "quarterly_dialog")
    if dialog is None:
        print("error: the quarterly dialog did not open", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(out))
    dialog.close()
    runner.wait()
    services.close()
    return 0 if ok else 1


def _lobby(runner: TaskRunner, services: Services, out: Path) -> int:
    lobby = LobbyWindow(services.queue, runner, chime=False)
    lobby.resize(1280, 720)
    lobby.show()
    lobby.start()
    settle(runner)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = lobby.grab().save(str(out))
    lobby.close()
    runner.wait()
    services.close()
    return 0 if ok else 1


def _feedback_window(runner: TaskRunner, services: Services, view: str, out: Path) -> int:
    """The kiosk, or the customer's feedback window at the end of a visit."""
    from app.views.feedback.customer_window import CustomerFeedbackWindow
    from app.views.feedback.kiosk import KioskWindow

    if view == "kiosk":
        widget: Any = KioskWindow(services.feedback, services.auth, runner,
                                  services.feedback.kiosk_point())
        widget.resize(1280, 800)
    else:
        widget = CustomerFeedbackWindow(lambda _a: None, runner, True)
        widget.faces.buttons[4].click()
        widget.resize(1000, 760)
    widget.show()
    settle(runner)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = widget.grab().save(str(out))
    if view == "kiosk":
        widget.leave()
    widget.close()
    runner.wait()
    services.close()
    return 0 if ok else 1


def _drilldown(window: MainWindow, runner: TaskRunner, services: Services, out: Path) -> int:
    """The customers behind a figure: the plan reviews overdue of the Reports page's
    default period (its total), else the first figure with customers behind it."""
    from app.services.reports import REPORTS

    window.nav.setCurrentRow(ROW["reports"])
    settle(runner)
    page: Any = window.page("reports")
    page = getattr(page, "page", None) or page
    page.report_list.setCurrentRow(list(REPORTS).index("plans"))
    settle(runner)
    model = page.model
    cells = [model.index(r, c) for r in range(model.rowCount())
             for c in range(model.columnCount()) if model.members_at(model.index(r, c))]
    if not cells:
        print("error: no figure with customers behind it; run with --demo", file=sys.stderr)
        return 1
    chosen = next((i for i in cells if model.members_at(i) == (-1, "overdue")), cells[0])
    page.numbers.setCurrentIndex(chosen)
    page.drilldown.drill(chosen)
    settle(runner)
    dialog = page.drilldown.dialog
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(out))
    dialog.reject()
    runner.wait()
    services.close()
    return 0 if ok else 1


def _first_run(window: MainWindow, runner: TaskRunner, services: Services, out: Path) -> int:
    from app import config, i18n
    from app.views.first_run import FirstRunDialog

    initial = config.load().with_(language=i18n.current_language())
    dialog = FirstRunDialog(services.setup, runner, window.preferences.switcher, initial)
    dialog.show()
    settle(runner)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(out))
    dialog.close()
    runner.wait()
    services.close()
    return 0 if ok else 1


def _partner_work(window: MainWindow, runner: TaskRunner, services: Services, view: str,
                  out: Path) -> int:
    """Multi-professional work (#24): the plan editor on a plan of the view's type (the
    coach's own customer's, the one with the most filled in), on its type's first own
    section; or the dialog of the coach's multi-professional meeting with the most
    participants and tasks, opened from the card's Appointments."""
    from app.views.plans.sections import TYPE_SECTIONS

    window.nav.setCurrentRow(ROW["customers"])
    settle(runner)
    customers = cast("CustomersPage", window.page("customers"))
    if view in PLAN_TYPE_VIEWS:
        plan_type = PLAN_TYPE_VIEWS[view]
        plans = services.plans.list_plans(plan_type=plan_type)
        if not plans:
            print(f"error: no {plan_type} plan to show; run with --demo", file=sys.stderr)
            return 1

        def filled(version_id: str) -> int:
            content = services.plans.version(version_id).content
            return len(content.participants) * 3 + len(content.goals) + sum(
                bool(getattr(content, f)) for f in (
                    "meeting_minute", "customer_view", "activation_conditions",
                    "activation_measures", "social_worker_part", "integration_training",
                    "integration_measures"))

        drafts = [p for p in plans if p.status == "draft"] or plans
        shown = max(drafts[:40], key=lambda p: filled(p.version_id))
        customers.open_customer(shown.customer_id)
        settle(runner)
        customers.plan_view.open_customer(shown.customer_id, prefer=shown.version_id)
        customers.setCurrentWidget(customers.plan_view)
        settle(runner)
        editor = customers.plan_view
        keys = [s.key for s in editor.sections]
        editor.section_list.setCurrentRow(keys.index(TYPE_SECTIONS[plan_type][0]))
        settle(runner)
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = window.grab().save(str(out))
        runner.wait()
        services.close()
        return 0 if ok else 1
    counts: dict[str, int] = {}
    for task in services.meetings.open_tasks():
        counts[task.appointment_id] = counts.get(task.appointment_id, 0) + 1
    meeting = None
    for appointment_id in sorted(counts, key=lambda a: -counts[a])[:20]:
        found = services.meetings.meeting(appointment_id)
        if meeting is None or len(found.participants) > len(meeting.participants):
            meeting = found
    if meeting is None:  # no tasks yet: the first meeting of the coach's customers
        for row in customers.model.rows[:300]:
            found_meetings = services.meetings.meetings(row.id)
            if found_meetings:
                meeting = found_meetings[0]
                break
    if meeting is None:
        print("error: no multi-professional meeting to show; run with --demo",
              file=sys.stderr)
        return 1
    customers.open_customer(meeting.customer_id)
    settle(runner)
    card = customers.card_view
    card.sections.setCurrentWidget(card.appointments)
    settle(runner)
    section = card.appointments
    ids = [r.id for r in section.model.rows]
    if meeting.appointment_id in ids:
        section.table.selectRow(ids.index(meeting.appointment_id))
    customers.open_meeting(services, meeting.appointment_id)
    settle(runner)
    dialog = customers.meeting_dialog
    dialog.resize(1000, 700)  # as on a workstation's screen (offscreen's is 800x600)
    settle(runner)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(out))
    dialog.close()
    runner.wait()
    services.close()
    return 0 if ok else 1
