"""Customer feedback: answers linked to what happened at a visit (never to who the
customer is), the figures by service point, channel, service area, team, week and
worker, the comments, and the reply requests as a to-do list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.orm import Session

from app.i18n import HELSINKI, N_
from app.models import Feedback, FeedbackReplyRequest, ServicePoint, Staff, Team, Visit
from app.rules import feedback as rules
from app.rules import text_input
from app.rules.codes import Channel, ServicePointMode
from app.rules.customer import nfc
from app.rules.permissions import Permission
from app.services.context import AppContext
from app.services.errors import NotFound, ValidationFailed
from app.services.settings import SettingsService

MAX_COMMENT = 2000
MAX_CONTACT = 200
# The dimensions the figures can be grouped by.
DIMENSIONS = ("service_point", "channel", "service_area", "team", "week")
OTHER_WORKERS = ""  # the key of the "other workers" group


@dataclass(frozen=True)
class FeedbackAnswer:
    """What the customer gave: nothing about who they are (the contact only for a reply)."""

    score: int
    recommend: int | None = None
    comment: str = ""
    wants_reply: bool = False
    contact: str = ""


@dataclass(frozen=True)
class FigureRow:
    key: str  # the group's code or id ("" for answers without one)
    name: str  # service point or team name, worker name, ISO week "2026-W47"; else ""
    figures: rules.Figures


@dataclass(frozen=True)
class FigureTable:
    dimension: str
    rows: list[FigureRow]
    total: rules.Figures


@dataclass(frozen=True)
class WorkerFigures:
    minimum: int
    rows: list[FigureRow]  # workers with enough answers, then "other workers" (key "")
    hidden_answers: int  # answers of workers too few to show, even as a group


@dataclass(frozen=True)
class CommentRow:
    id: str
    answered_at: datetime
    score: int
    recommend: int | None
    comment: str
    service_point: str
    channel: str
    service_area: str | None


@dataclass(frozen=True)
class ReplyRow:
    id: str
    answered_at: datetime
    score: int
    comment: str
    contact: str
    service_point: str
    handled_at: datetime | None
    handled_by: str | None


@dataclass(frozen=True)
class KioskPoint:
    id: str
    code: str
    name: str


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local days `start`..`end` (inclusive) as a half-open UTC range."""
    lo = datetime.combine(start, time(), HELSINKI).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(), HELSINKI).astimezone(UTC)
    return lo, hi


def iso_week(day: date) -> str:
    year, week, _day = day.isocalendar()
    return f"{year}-W{week:02d}"


def tally_columns() -> list[Any]:
    """The sums of rules.Tally, in its field order, as SQL aggregates."""
    rec = Feedback.recommend
    return [
        func.count(Feedback.id),
        func.sum(case((Feedback.score >= rules.SATISFIED_FROM, 1), else_=0)),
        func.sum(Feedback.score),
        func.count(rec),
        func.sum(case((rec >= rules.PROMOTER_FROM, 1), else_=0)),
        func.sum(case((rec <= rules.DETRACTOR_TO, 1), else_=0)),
    ]


def tally_of(values: Any) -> rules.Tally:
    """The Tally of one row of tally_columns() (SUM gives NULL over no rows)."""
    return rules.Tally(*(int(v or 0) for v in values))


class FeedbackService:
    def __init__(self, ctx: AppContext, settings: SettingsService) -> None:
        self.ctx = ctx
        self.settings = settings

    # --- recording ------------------------------------------------------------------

    def ask_recommend(self) -> bool:
        return bool(self.settings.get("feedback_ask_recommend"))

    def record_for_ticket(self, ticket_id: str, answer: FeedbackAnswer) -> str:
        """The answer to a finished queue visit (the visit the ticket ended in)."""
        with self.ctx.reading() as s:
            visit_id = s.scalar(select(Visit.id).where(Visit.ticket_id == ticket_id)
                                .order_by(Visit.started_at.desc()).limit(1))
        if visit_id is None:
            raise NotFound(N_("The visit was not found."))
        return self.record_for_visit(visit_id, answer)

    def record_for_visit(self, visit_id: str, answer: FeedbackAnswer) -> str:
        """Store the answer with the visit's circumstances copied from the Visit row:
        service point, channel, service area, waiting time, team and worker. The
        customer is deliberately not copied (the feedback table has no column for it)."""
        errors = self._check(answer)
        with self.ctx.transaction(Permission.FEEDBACK_RECORD) as s:
            visit = s.get(Visit, visit_id)
            if visit is None or visit.deleted_at is not None:
                raise NotFound(N_("The visit was not found."))
            if errors:
                raise ValidationFailed(errors)
            row = Feedback(
                service_point_id=visit.service_point_id, channel=visit.channel,
                service_area=visit.service_area, wait_minutes=visit.wait_minutes,
                team_id=visit.team_id, staff_id=visit.staff_id,
            )
            return self._store(s, row, answer)

    def kiosk_point(self, code: str | None = None) -> KioskPoint:
        """The service point a kiosk stands at: the given code, else the signed-in
        worker's, else the first walk-in point (kiosks stand in walk-in lobbies)."""
        with self.ctx.reading() as s:
            stmt = select(ServicePoint).where(ServicePoint.deleted_at.is_(None))
            if code:
                stmt = stmt.where(ServicePoint.code == code.upper())
            elif self.ctx.actor is not None:
                stmt = stmt.where(ServicePoint.id == self.ctx.actor.service_point_id)
            walk_in_first = case((ServicePoint.mode == ServicePointMode.WALK_IN, 0), else_=1)
            point = s.scalars(stmt.order_by(walk_in_first, ServicePoint.code).limit(1)).first()
            if point is None:
                raise NotFound(N_("The service point was not found."))
            return KioskPoint(id=point.id, code=point.code, name=point.name)

    def record_at_kiosk(self, service_point_id: str, answer: FeedbackAnswer) -> str:
        """An answer at the unattended kiosk: its service point, channel service point,
        no worker. Written locally only (synchronised later), so the kiosk works offline.
        No one is signed in at a kiosk, so this needs no permission; it can only add an
        anonymous answer, never read anything."""
        errors = self._check(answer)
        if answer.wants_reply:
            errors["contact"] = N_("The kiosk does not take contact details.")
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.session_factory.begin() as s:
            if s.get(ServicePoint, service_point_id) is None:
                raise NotFound(N_("The service point was not found."))
            row = Feedback(service_point_id=service_point_id, channel=Channel.SERVICE_POINT,
                           service_area=None, wait_minutes=None, team_id=None, staff_id=None)
            return self._store(s, row, answer)

    @staticmethod
    def _check(answer: FeedbackAnswer) -> dict[str, str]:
        errors = rules.check_score(answer.score, answer.recommend)
        if len(answer.comment) > MAX_COMMENT:
            errors["comment"] = N_("The comment is too long.")
        elif why := text_input.refusal(answer.comment.strip(), multiline=True):
            errors["comment"] = why.message  # a control character, a direction override
        contact = answer.contact.strip()
        if answer.wants_reply and not contact:
            errors["contact"] = N_("Give a phone number or an e-mail address for the reply.")
        elif len(contact) > MAX_CONTACT:
            errors["contact"] = N_("The contact is too long.")
        elif answer.wants_reply and (why := text_input.refusal(contact)):
            errors["contact"] = why.message
        return errors

    def _store(self, s: Session, row: Feedback, answer: FeedbackAnswer) -> str:
        row.answered_at = self.ctx.now()
        row.score, row.recommend = answer.score, answer.recommend
        row.comment = nfc(answer.comment.strip()) or None
        s.add(row)
        s.flush()
        if answer.wants_reply:
            # Apart from the answer, and only because the customer asked for a reply.
            s.add(FeedbackReplyRequest(feedback_id=row.id, contact=nfc(answer.contact.strip())))
        self.ctx.audit(s, "feedback.record", "feedback", row.id,
                       {"reply": True} if answer.wants_reply else None)
        return row.id

    # --- figures --------------------------------------------------------------------

    def figures(self, dimension: str, start: date, end: date) -> FigureTable:
        """Satisfaction, NPS and mean per group, summed by SQL (one row per group)."""
        if dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dimension!r}")
        self.ctx.require(Permission.FEEDBACK_READ)
        lo, hi = period_bounds(start, end)
        with self.ctx.reading() as s:
            if dimension == "week":
                rows = self._weeks(s, lo, hi)
            else:
                key, name = self._group(dimension)
                stmt = select(key, name, *tally_columns()).select_from(Feedback)
                stmt = self._join(stmt, dimension).where(*self._period(lo, hi))
                rows = [(str(k or ""), n or "", tally_of(v))
                        for k, n, *v in s.execute(stmt.group_by(key, name)).all()]
        rows.sort(key=lambda r: (r[0] == "", r[1] or r[0]))
        total = sum((t for _k, _n, t in rows), rules.Tally())
        return FigureTable(dimension, [FigureRow(k, n, rules.figures(t)) for k, n, t in rows],
                           rules.figures(total))

    @staticmethod
    def _period(lo: datetime, hi: datetime) -> tuple[Any, ...]:
        return (Feedback.answered_at >= lo, Feedback.answered_at < hi,
                Feedback.deleted_at.is_(None))

    @staticmethod
    def _group(dimension: str) -> tuple[Any, Any]:
        return {
            "service_point": (Feedback.service_point_id, ServicePoint.name),
            "channel": (Feedback.channel, literal("")),
            "service_area": (Feedback.service_area, literal("")),
            "team": (Feedback.team_id, Team.name),
        }[dimension]

    @staticmethod
    def _join(stmt: Select, dimension: str) -> Select:
        if dimension == "service_point":
            return stmt.join(ServicePoint, ServicePoint.id == Feedback.service_point_id)
        if dimension == "team":
            return stmt.outerjoin(Team, Team.id == Feedback.team_id)
        return stmt

    def _weeks(self, s: Session, lo: datetime, hi: datetime) -> list[tuple[str, str, Any]]:
        """ISO weeks of local time. SQLite has no ISO week (before 3.46) and no time
        zones, so SQL sums per UTC hour and the hours are folded into local weeks here."""
        hour = func.strftime("%Y-%m-%d %H", Feedback.answered_at)
        stmt = (select(hour, *tally_columns()).where(*self._period(lo, hi)).group_by(hour))
        weeks: dict[str, rules.Tally] = defaultdict(rules.Tally)
        for bucket, *values in s.execute(stmt).all():
            at = datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC)
            weeks[iso_week(at.astimezone(HELSINKI).date())] += tally_of(values)
        return [(week, week, t) for week, t in weeks.items()]

    def worker_figures(self, start: date, end: date) -> WorkerFigures:
        """Per worker only for workers with at least the set number of answers; the rest
        together as "other workers" when that group is itself big enough and has more
        than one worker, else not at all, so that no single answer can be traced."""
        self.ctx.require(Permission.FEEDBACK_READ)
        minimum = int(self.settings.get("feedback_min_answers_per_worker"))
        lo, hi = period_bounds(start, end)
        stmt = (select(Feedback.staff_id, Staff.full_name, *tally_columns())
                .join(Staff, Staff.id == Feedback.staff_id)
                .where(*self._period(lo, hi))
                .group_by(Feedback.staff_id, Staff.full_name))
        with self.ctx.reading() as s:
            per_worker = [(k, n, tally_of(v)) for k, n, *v in s.execute(stmt).all()]
        shown = sorted((r for r in per_worker if rules.worker_visible(r[2].answers, minimum)),
                       key=lambda r: r[1])
        rest = [r for r in per_worker if not rules.worker_visible(r[2].answers, minimum)]
        rest_tally = sum((t for _k, _n, t in rest), rules.Tally())
        rows = [FigureRow(k, n, rules.figures(t)) for k, n, t in shown]
        hidden = 0
        if len(rest) > 1 and rules.worker_visible(rest_tally.answers, minimum):
            rows.append(FigureRow(OTHER_WORKERS, "", rules.figures(rest_tally)))
        else:
            hidden = rest_tally.answers
        return WorkerFigures(minimum=minimum, rows=rows, hidden_answers=hidden)

    # --- comments and replies ----------------------------------------------------------

    def comments(self, text: str, start: date, end: date, service_point_id: str | None = None,
                 channel: str | None = None, max_score: int | None = None,
                 limit: int = 300) -> list[CommentRow]:
        """Answers with a comment, newest first; `text`: every word must appear."""
        self.ctx.require(Permission.FEEDBACK_READ)
        lo, hi = period_bounds(start, end)
        stmt = (select(Feedback, ServicePoint.name)
                .join(ServicePoint, ServicePoint.id == Feedback.service_point_id)
                .where(*self._period(lo, hi), Feedback.comment.is_not(None)))
        if service_point_id:
            stmt = stmt.where(Feedback.service_point_id == service_point_id)
        if channel:
            stmt = stmt.where(Feedback.channel == Channel(channel))
        if max_score is not None:
            stmt = stmt.where(Feedback.score <= max_score)
        stmt = stmt.order_by(Feedback.answered_at.desc())
        # The words are matched here, not in SQL: SQLite folds the case of ASCII only,
        # and comments are Finnish and Swedish (PITKÄ must find pitkä). The period and
        # the filters keep the rows read few (hundreds a year).
        words = [w.casefold() for w in nfc(text).split()]
        found: list[CommentRow] = []
        with self.ctx.reading() as s:
            for f, name in s.execute(stmt):
                folded = (f.comment or "").casefold()
                if not all(w in folded for w in words):
                    continue
                found.append(CommentRow(
                    id=f.id, answered_at=f.answered_at, score=f.score, recommend=f.recommend,
                    comment=f.comment or "", service_point=name, channel=f.channel.value,
                    service_area=f.service_area.value if f.service_area else None))
                if len(found) >= limit:
                    break
        return found

    def service_points(self) -> list[KioskPoint]:
        with self.ctx.reading() as s:
            return [KioskPoint(p.id, p.code, p.name) for p in s.scalars(
                select(ServicePoint).where(ServicePoint.deleted_at.is_(None))
                .order_by(ServicePoint.code))]

    def reply_requests(self, include_handled: bool = False) -> list[ReplyRow]:
        """The to-do list of replies (open first, oldest first); reading contacts is
        audited."""
        handler = Staff.full_name.label("handler")
        stmt = (select(FeedbackReplyRequest, Feedback, ServicePoint.name, handler)
                .join(Feedback, Feedback.id == FeedbackReplyRequest.feedback_id)
                .join(ServicePoint, ServicePoint.id == Feedback.service_point_id)
                .outerjoin(Staff, Staff.id == FeedbackReplyRequest.handled_by)
                .where(FeedbackReplyRequest.deleted_at.is_(None))
                .order_by(FeedbackReplyRequest.handled_at.is_not(None), Feedback.answered_at))
        if not include_handled:
            stmt = stmt.where(FeedbackReplyRequest.handled_at.is_(None))
        with self.ctx.transaction(Permission.FEEDBACK_REPLY) as s:
            rows = [ReplyRow(
                id=r.id, answered_at=f.answered_at, score=f.score, comment=f.comment or "",
                contact=r.contact, service_point=point, handled_at=r.handled_at,
                handled_by=who,
            ) for r, f, point, who in s.execute(stmt).all()]
            self.ctx.audit(s, "feedback.replies.read", "feedback_reply_request", None,
                           {"count": len(rows)})
            return rows

    def open_reply_count(self) -> int:
        self.ctx.require(Permission.FEEDBACK_REPLY)
        with self.ctx.reading() as s:
            return s.scalar(select(func.count()).select_from(FeedbackReplyRequest).where(
                FeedbackReplyRequest.handled_at.is_(None),
                FeedbackReplyRequest.deleted_at.is_(None))) or 0

    def mark_handled(self, request_id: str) -> None:
        with self.ctx.transaction(Permission.FEEDBACK_REPLY) as s:
            row = s.get(FeedbackReplyRequest, request_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(N_("The reply request was not found."))
            if row.handled_at is None:
                row.handled_at = self.ctx.now()
                row.handled_by = self.ctx.signed_in.staff_id
            self.ctx.audit(s, "feedback.reply.handled", "feedback_reply_request", row.id)



def _figures_dict(f: rules.Figures) -> dict[str, Any]:
    def rounded(value: float | None, digits: int) -> float | None:
        return None if value is None else round(value, digits)

    return {"answers": f.answers, "satisfaction": rounded(f.satisfaction, 1),
            "nps": rounded(f.nps, 1), "mean": rounded(f.mean, 2),
            "recommend_answers": f.recommend_answers}


def feedback_report(service: FeedbackService, start: date, end: date) -> dict[str, Any]:
    """The figures of a period by every dimension and per worker (where allowed), as
    plain data for `python -m app.cli feedback report`."""
    if end < start:
        raise ValidationFailed({"to": N_("The period ends before it starts.")})
    report: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat()}
    for dimension in ("service_point", "channel", "service_area", "week"):
        table = service.figures(dimension, start, end)
        report["total"] = _figures_dict(table.total)
        report[dimension] = [{"key": r.key, "name": r.name, **_figures_dict(r.figures)}
                             for r in table.rows]
    workers = service.worker_figures(start, end)
    report["workers"] = {
        "minimum": workers.minimum, "hidden_answers": workers.hidden_answers,
        "rows": [{"name": r.name or "other workers", **_figures_dict(r.figures)}
                 for r in workers.rows]}
    return report
