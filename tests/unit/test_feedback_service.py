"""Feedback answers carry the visit's circumstances but never the customer; figures are
summed in SQL; per-worker figures only with enough answers; comments; reply to-do."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.dto.visits import VisitInput
from app.models import AuditEvent, Feedback, FeedbackReplyRequest, ServicePoint, Staff
from app.rules import feedback as rules
from app.rules.codes import Channel, Role, ServiceArea, ServicePointMode
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.feedback import FeedbackAnswer
from tests.factories import Clock, add_people

TODAY = date(2026, 11, 24)


@pytest.fixture
def desk(signed_in):
    clock = Clock()
    signed_in.ctx.now = clock
    signed_in.clock = clock
    signed_in.queue.set_workstation("2", "A")
    signed_in.queue.start_duty()
    return signed_in


def finished_visit(desk, customer_id):
    ticket = desk.queue.register_walk_in(customer_id, "finding_work")
    desk.clock.advance(12)
    desk.queue.call_next()
    desk.queue.start(ticket.id)
    desk.clock.advance(14)
    desk.queue.finish(ticket.id, VisitInput("skills", topics="CV", outcome="resolved"))
    return ticket.id


def test_answer_carries_wait_and_channel_but_no_customer(desk):
    customer_id = add_people(desk)[0]
    ticket_id = finished_visit(desk, customer_id)
    feedback_id = desk.feedback.record_for_ticket(
        ticket_id, FeedbackAnswer(score=4, recommend=9, comment="Selkeä neuvonta"))
    with desk.ctx.reading() as s:
        row = s.get(Feedback, feedback_id)
        assert (row.wait_minutes, row.channel, row.service_area) == (
            12, Channel.SERVICE_POINT, ServiceArea.SKILLS)
        assert (row.service_point_id, row.team_id, row.staff_id) == (
            "sp-rov", "team-1", "staff-coach")
        assert (row.score, row.recommend, row.comment) == (4, 9, "Selkeä neuvonta")
        values = {c.name: getattr(row, c.key, None) for c in Feedback.__table__.columns}
        assert customer_id not in values.values()
        # No reply asked: no contact stored anywhere.
        assert s.scalar(select(FeedbackReplyRequest)) is None


def test_no_customer_reference_can_be_stored():
    for table in (Feedback.__table__, FeedbackReplyRequest.__table__):
        assert not any("customer" in c.name for c in table.columns)
        assert all(fk.column.table.name != "customer"
                   for c in table.columns for fk in c.foreign_keys)
    assert "customer" not in FeedbackAnswer.__dataclass_fields__
    assert set(FeedbackAnswer.__dataclass_fields__) == {
        "score", "recommend", "comment", "wants_reply", "contact"}


def test_reply_request_stored_apart_only_when_asked(desk):
    ticket_id = finished_visit(desk, None)
    with pytest.raises(ValidationFailed) as err:
        desk.feedback.record_for_ticket(ticket_id, FeedbackAnswer(score=2, wants_reply=True))
    assert "contact" in err.value.errors
    feedback_id = desk.feedback.record_for_ticket(ticket_id, FeedbackAnswer(
        score=2, comment="Jonotin pitkään", wants_reply=True, contact=" 040 123 4567 "))
    with desk.ctx.reading() as s:
        request = s.scalar(select(FeedbackReplyRequest))
        assert (request.feedback_id, request.contact) == (feedback_id, "040 123 4567")
        assert "040" not in (s.get(Feedback, feedback_id).comment or "")


def test_scores_out_of_range_refused(desk):
    ticket_id = finished_visit(desk, None)
    for answer in (FeedbackAnswer(score=0), FeedbackAnswer(score=6),
                   FeedbackAnswer(score=3, recommend=11)):
        with pytest.raises(ValidationFailed):
            desk.feedback.record_for_ticket(ticket_id, answer)


def test_kiosk_answer_needs_no_sign_in_and_links_only_the_point(services):
    services.ctx.now = Clock()
    feedback_id = services.feedback.record_at_kiosk("sp-rov", FeedbackAnswer(score=5))
    with services.ctx.reading() as s:
        row = s.get(Feedback, feedback_id)
        assert (row.service_point_id, row.channel, row.staff_id, row.team_id,
                row.wait_minutes) == ("sp-rov", Channel.SERVICE_POINT, None, None, None)
    with pytest.raises(ValidationFailed):
        services.feedback.record_at_kiosk("sp-rov", FeedbackAnswer(
            score=5, wants_reply=True, contact="x@example.fi"))
    assert services.feedback.kiosk_point("rov").name == "Rovaniemi – Osaamo"


# --- figures on a small fixture, by hand ----------------------------------------------


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """Helsinki wall time (UTC+2 in November) as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(
        hours=2)


def add_answers(services, rows):
    with services.ctx.session_factory.begin() as s:
        if s.get(ServicePoint, "sp-ran") is None:
            s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                               mode=ServicePointMode.APPOINTMENT))
            s.flush()
        for point, channel, area, staff, at, score, recommend, comment in rows:
            s.add(Feedback(service_point_id=point, channel=channel, service_area=area,
                           wait_minutes=None, team_id=None, staff_id=staff, answered_at=at,
                           score=score, recommend=recommend, comment=comment))


SP, PH = Channel.SERVICE_POINT, Channel.PHONE
FW, SK = ServiceArea.FINDING_WORK, ServiceArea.SKILLS
MON = date(2026, 11, 23)  # ISO week 48
FIXTURE = [
    # point,   channel, area, staff,         answered,             score, nps,  comment
    ("sp-rov", SP, FW, "staff-coach", local(MON, 9), 5, 10, "Hyvä ja nopea palvelu"),
    ("sp-rov", SP, FW, "staff-coach", local(MON, 10), 4, 9, None),
    ("sp-rov", PH, SK, "staff-desk", local(MON, 11), 2, 3, "Odotus oli PITKÄ"),
    ("sp-ran", PH, SK, "staff-desk", local(MON - timedelta(days=1), 23, 30), 3, None,
     "Ihan ok"),
    # Monday 00:30 in Helsinki is Sunday 22:30 UTC: it belongs to week 48, not 47.
    ("sp-ran", SP, None, None, local(MON, 0, 30), 1, 0, None),
]


def test_figures_by_point_channel_area_and_week_by_hand(signed_in):
    add_answers(signed_in, FIXTURE)
    fb = signed_in.feedback
    start, end = MON - timedelta(days=7), MON + timedelta(days=6)

    by_point = {r.name: r.figures for r in fb.figures("service_point", start, end).rows}
    rov, ran = by_point["Rovaniemi – Osaamo"], by_point["Ranua"]
    # Rovaniemi: scores 5, 4, 2 -> 2 of 3 satisfied, mean 11/3; nps 10, 9, 3 -> (2-1)/3.
    assert rov.answers == 3 and rov.satisfaction == pytest.approx(200 / 3)
    assert rov.mean == pytest.approx(11 / 3) and rov.nps == pytest.approx(100 / 3)
    # Ranua: scores 3, 1 -> none satisfied, mean 2; nps only the 0 -> -100.
    assert (ran.answers, ran.satisfaction, ran.mean, ran.nps) == (2, 0.0, 2.0, -100.0)

    table = fb.figures("channel", start, end)
    by_channel = {r.key: r.figures for r in table.rows}
    assert by_channel["phone"].mean == 2.5 and by_channel["phone"].satisfaction == 0.0
    assert by_channel["service_point"].mean == pytest.approx(10 / 3)
    # Total: 5 answers, 2 satisfied = 40 %, mean 15/5 = 3; nps 10,9,3,0 -> (2-2)/4 = 0.
    assert (table.total.answers, table.total.satisfaction, table.total.mean,
            table.total.nps) == (5, 40.0, 3.0, 0.0)

    by_area = {r.key: r.figures.answers for r in fb.figures("service_area", start, end).rows}
    assert by_area == {"finding_work": 2, "skills": 2, "": 1}

    by_week = {r.key: r.figures.answers for r in fb.figures("week", start, end).rows}
    assert by_week == {"2026-W47": 1, "2026-W48": 4}

    # The period is in local days: Monday alone excludes Sunday 23.30.
    assert fb.figures("channel", MON, MON).total.answers == 4


def test_per_worker_figures_only_with_enough_answers(signed_in):
    with signed_in.ctx.session_factory.begin() as s:
        for name in ("a", "b", "c"):
            s.add(Staff(id=f"staff-{name}", username=name, full_name=f"Worker {name.upper()}",
                        role=Role.COACH, team_id="team-1", service_point_id="sp-rov"))
    at = local(MON, 9)
    rows = ([("sp-rov", SP, FW, "staff-a", at, 5, None, None)] * 10
            + [("sp-rov", SP, FW, "staff-b", at, 1, None, None)] * 6
            + [("sp-rov", SP, FW, "staff-c", at, 3, None, None)] * 5)
    add_answers(signed_in, rows)
    fb = signed_in.feedback
    result = fb.worker_figures(MON, MON)
    assert result.minimum == 10
    names = [(r.key, r.name, r.figures.answers) for r in result.rows]
    # A (10) is shown; B (6) and C (5) only together (11 answers, two workers).
    assert names == [("staff-a", "Worker A", 10), ("", "", 11)]
    assert result.hidden_answers == 0

    # With only B below the minimum, the group would be B alone: not shown at all.
    with signed_in.ctx.session_factory.begin() as s:
        s.execute(Feedback.__table__.delete().where(Feedback.staff_id == "staff-c"))
    result = fb.worker_figures(MON, MON)
    assert [r.key for r in result.rows] == ["staff-a"] and result.hidden_answers == 6
    assert all(r.name != "Worker B" for r in result.rows)

    # The minimum is an area setting.
    signed_in.auth.sign_in("lead", "demo")
    signed_in.settings.set("feedback_min_answers_per_worker", 5)
    assert [r.key for r in fb.worker_figures(MON, MON).rows] == ["staff-a", "staff-b"]


def test_comment_search_and_filters(signed_in):
    add_answers(signed_in, FIXTURE)
    fb = signed_in.feedback
    start, end = MON - timedelta(days=7), MON
    assert len(fb.comments("", start, end)) == 3
    assert [c.comment for c in fb.comments("pitkä odotus", start, end)] == ["Odotus oli PITKÄ"]
    assert [c.comment for c in fb.comments("", start, end, service_point_id="sp-ran")] == [
        "Ihan ok"]
    assert [c.score for c in fb.comments("", start, end, max_score=3)] == [2, 3]
    assert fb.comments("%", start, end) == []  # a wildcard is a plain character


def test_reply_todo_and_handling_is_audited(desk):
    ticket_id = finished_visit(desk, None)
    desk.feedback.record_for_ticket(ticket_id, FeedbackAnswer(
        score=1, comment="Soittakaa", wants_reply=True, contact="040 765 4321"))
    todo = desk.feedback.reply_requests()
    assert [(r.contact, r.comment, r.handled_at) for r in todo] == [
        ("040 765 4321", "Soittakaa", None)]
    assert desk.feedback.open_reply_count() == 1
    desk.clock.advance(60)
    desk.feedback.mark_handled(todo[0].id)
    assert desk.feedback.reply_requests() == []
    done = desk.feedback.reply_requests(include_handled=True)
    assert done[0].handled_at == desk.clock.now and done[0].handled_by == "Pekka Ylitalo"
    with desk.ctx.reading() as s:
        actions = set(s.scalars(select(AuditEvent.action)))
    assert {"feedback.record", "feedback.replies.read", "feedback.reply.handled"} <= actions


def test_desk_role_records_but_does_not_read(services):
    services.auth.sign_in("desk", "demo")
    with pytest.raises(PermissionDenied):
        services.feedback.figures("channel", MON, MON)
    with pytest.raises(PermissionDenied):
        services.feedback.reply_requests()


def test_kiosk_pin(services):
    services.auth.sign_in("coach", "demo")
    with pytest.raises(ValidationFailed):
        services.auth.set_pin("12")
    services.auth.set_pin("4321")
    services.auth.sign_out()
    assert services.auth.verify_pin("coach", "4321")
    assert not services.auth.verify_pin("coach", "1234")
    assert not services.auth.verify_pin("lead", "4321")  # the lead has no PIN yet
    assert not services.auth.verify_pin("nobody", "4321")


ANSWER = st.tuples(st.sampled_from(["sp-rov", "sp-ran"]), st.sampled_from(list(Channel)),
                   st.integers(0, 6 * 24 * 60), st.integers(1, 5),
                   st.one_of(st.none(), st.integers(0, 10)))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ANSWER, max_size=30))
def test_sql_sums_agree_with_the_rules_on_any_answers(signed_in, answers):
    with signed_in.ctx.session_factory.begin() as s:
        s.execute(Feedback.__table__.delete())  # a fresh fixture for each example
    start = local(MON, 0)
    add_answers(signed_in, [(p, c, None, None, start + timedelta(minutes=m), score, rec, None)
                            for p, c, m, score, rec in answers])
    expected = rules.figures(rules.tally([a[3] for a in answers], [a[4] for a in answers]))
    for dimension in ("service_point", "channel", "week"):
        table = signed_in.feedback.figures(dimension, MON, MON + timedelta(days=6))
        assert table.total == expected
        assert sum(r.figures.answers for r in table.rows) == len(answers)
    for channel in Channel:
        mine = [a for a in answers if a[1] is channel]
        rows = {r.key: r.figures for r in signed_in.feedback.figures(
            "channel", MON, MON + timedelta(days=6)).rows}
        if mine:
            assert rows[channel.value] == rules.figures(rules.tally(
                [a[3] for a in mine], [a[4] for a in mine]))
