"""Employment plans: drafts, autosave, acceptance, versions, comparison, printing."""

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.dto.plans import PlanActionItem, PlanContent, PlanGoalItem, PlanServiceItem
from app.models import AuditEvent, OutboxEntry, PlanGoal, PlanVersion
from app.services.errors import Conflict, PermissionDenied, ValidationFailed
from app.services.plans import (
    PlanService,
    add_months,
    check_acceptance,
    diff_lines,
    is_lowered,
    print_plan_cli,
    review_periods,
)
from tests.factories import add_people


@pytest.fixture
def plans(signed_in):
    return PlanService(signed_in.ctx)


@pytest.fixture
def customer_id(signed_in):
    return add_people(signed_in)[0]


def outbox(services, table=None):
    with services.ctx.session_factory() as s:
        rows = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
    return [r for r in rows if table is None or r.table_name == table]


def audit(services, action):
    with services.ctx.session_factory() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def good_content(today: date) -> PlanContent:
    return PlanContent(
        goals=(PlanGoalItem("work", "Työpaikka matkailualalta."),
               PlanGoalItem("education", "Hygieniapassi.")),
        actions=(PlanActionItem("customer", "Päivittää CV:n.", today + timedelta(days=14)),
                 PlanActionItem("coach", "Selvittää palkkatuen.", today + timedelta(days=21))),
        services=(PlanServiceItem("coaching", "Lapin työvalmennus Oy", today,
                                  today + timedelta(days=60), "8 viikkoa"),),
        applications_per_period=4, period_months=1, obligation_starts_on=today,
        contact_method="Puhelin", contact_frequency="Kerran kuukaudessa",
        next_review_on=today + timedelta(days=90), summary="Hakee ympärivuotista työtä.",
    )


def accepted_plan(plans, customer_id):
    draft = plans.create_plan(customer_id, "employment")
    today = plans.ctx.today()
    plans.save_draft(draft.id, good_content(today), draft.revision)
    return plans.accept(draft.id, "signed")


# --- pure rules ---------------------------------------------------------------------------


def test_add_months_clamps_to_month_end():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_lowered_obligation_is_relative_to_four_a_month():
    base = PlanContent(applications_per_period=4, period_months=1)
    assert not is_lowered(base)
    assert is_lowered(replace(base, applications_per_period=3))
    assert is_lowered(replace(base, applications_per_period=1, period_months=3))
    assert not is_lowered(replace(base, applications_per_period=12, period_months=3))
    assert not is_lowered(PlanContent())


def test_review_periods_run_from_the_start_to_the_next_review():
    content = PlanContent(applications_per_period=4, period_months=1,
                          obligation_starts_on=date(2026, 12, 1),
                          next_review_on=date(2027, 3, 1))
    periods = review_periods(content)
    assert [(p.starts_on, p.ends_on) for p in periods] == [
        (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 31)),
        (date(2027, 2, 1), date(2027, 2, 28)),
    ]
    assert {p.applications for p in periods} == {4}
    three_months = review_periods(replace(content, period_months=3, applications_per_period=1))
    assert [(p.starts_on, p.ends_on) for p in three_months] == [
        (date(2026, 12, 1), date(2027, 2, 28))]
    assert review_periods(replace(content, applications_per_period=None)) == ()


def test_acceptance_checks_name_the_fields():
    today = date(2026, 11, 24)
    ok = good_content(today)
    assert check_acceptance(ok, today) == {}
    errors = check_acceptance(
        replace(ok, goals=(PlanGoalItem("work", ""),), applications_per_period=2,
                next_review_on=today - timedelta(days=1), contact_method=""), today)
    assert set(errors) == {"goals", "goals.0.text", "obligation_lowered_reason",
                           "next_review_on", "contact_method"}
    assert errors["obligation_lowered_reason"] == (
        "The obligation is lower than usual: write the reason.")
    late = replace(ok, actions=(PlanActionItem("customer", "CV", today - timedelta(days=2)),))
    assert set(check_acceptance(late, today)) == {"customer_actions.0.due_on"}
    done = replace(late, actions=(replace(late.actions[0], done=True),))
    assert check_acceptance(done, today) == {}
    backwards = replace(ok, services=(PlanServiceItem("work_trial", starts_on=today,
                                                      ends_on=today - timedelta(days=1)),))
    assert set(check_acceptance(backwards, today)) == {"services.0.ends_on"}


def test_diff_marks_added_removed_and_changed_lines():
    lines = diff_lines(["a", "b", "c"], ["a", "B", "c", "d"])
    assert [(x.change, x.left, x.right) for x in lines] == [
        ("same", "a", "a"), ("changed", "b", "B"), ("same", "c", "c"), ("added", "", "d")]
    assert [x.change for x in diff_lines(["a", "b"], ["b"])] == ["removed", "same"]


# --- the service --------------------------------------------------------------------------


def test_desk_has_no_access_to_plans(services, customer_id):
    services.auth.sign_out()
    services.auth.sign_in("desk", "demo")
    plans = PlanService(services.ctx)
    with pytest.raises(PermissionDenied):
        plans.open_customer(customer_id)
    with pytest.raises(PermissionDenied):
        plans.create_plan(customer_id, "employment")


def test_create_plan_starts_a_draft_with_the_usual_obligation(plans, signed_in, customer_id):
    assert plans.open_customer(customer_id).current is None
    draft = plans.create_plan(customer_id, "employment")
    today = plans.ctx.today()
    assert (draft.row.number, draft.row.status, draft.plan_type) == (1, "draft", "employment")
    c = draft.content
    assert (c.applications_per_period, c.period_months, c.obligation_starts_on) == (4, 1, today)
    assert c.next_review_on == add_months(today, 3)
    assert draft.editable and draft.print_language == "fi"
    assert [e.entity_id for e in audit(signed_in, "plan.create")] == [draft.row.plan_id]
    assert {e.table_name for e in outbox(signed_in)} >= {"plan", "plan_version"}
    opened = plans.open_customer(customer_id)
    assert opened.current == draft and len(opened.plans) == 1
    reads = audit(signed_in, "plan.read")  # opening a customer's plans is an audited read
    assert [(e.entity, e.entity_id) for e in reads][-1] == ("customer", customer_id)
    with pytest.raises(ValidationFailed) as exc:
        plans.create_plan(customer_id, "employment")
    assert "plan_type" in exc.value.errors
    assert plans.create_plan(customer_id, "activation").row.number == 1


def test_autosave_writes_only_changes_and_is_idempotent(plans, signed_in, customer_id):
    draft = plans.create_plan(customer_id, "employment")
    content = good_content(plans.ctx.today())
    first = plans.save_draft(draft.id, content, draft.revision)
    assert first.changed and first.revision != draft.revision
    before = len(outbox(signed_in))
    again = plans.save_draft(draft.id, content, first.revision)
    assert not again.changed and again.revision == first.revision
    assert len(outbox(signed_in)) == before  # nothing written at all
    # One goal's text changes: one patch of one field.
    edited = replace(content, goals=(content.goals[0], PlanGoalItem("education", "Ajokortti.")))
    second = plans.save_draft(draft.id, edited, again.revision)
    patches = outbox(signed_in)[before:]
    goal_patches = [p for p in patches if p.table_name == "plan_goal"]
    stamps = {"updated_at", "updated_by"}  # sync bookkeeping, whether patched or not
    assert [{k: v for k, v in json.loads(p.fields).items() if k not in stamps}
            for p in goal_patches] == [{"text": "Ajokortti."}]
    # Removing a row tombstones it (synchronised rows are never deleted).
    third = plans.save_draft(draft.id, replace(edited, goals=edited.goals[:1]), second.revision)
    assert plans.version(draft.id).content.goals == (content.goals[0],)
    with signed_in.ctx.session_factory() as s:
        rows = s.scalars(select(PlanGoal).where(PlanGoal.plan_version_id == draft.id)).all()
    assert len(rows) == 2 and sum(r.deleted_at is not None for r in rows) == 1
    # Text arrives normalised (NFC, trimmed); saving it back changes nothing.
    nfd = replace(edited, goals=(PlanGoalItem("work", "  Ma\u0301ret  "),))
    fourth = plans.save_draft(draft.id, nfd, third.revision)
    assert plans.version(draft.id).content.goals[0].text == "Máret"
    assert not plans.save_draft(draft.id, nfd, fourth.revision).changed
    # Editing is audited once per editing session, not once per keystroke burst.
    assert len(audit(signed_in, "plan.edit")) == 1


def test_a_draft_changed_elsewhere_is_not_overwritten(plans, customer_id):
    draft = plans.create_plan(customer_id, "employment")
    content = good_content(plans.ctx.today())
    plans.save_draft(draft.id, content, draft.revision)  # another editor saved first
    with pytest.raises(Conflict):
        plans.save_draft(draft.id, replace(content, summary="Toinen."), draft.revision)
    # Resending what is already stored is harmless whatever the revision.
    assert not plans.save_draft(draft.id, content, draft.revision).changed


def test_save_refuses_what_cannot_be_stored(plans, customer_id):
    draft = plans.create_plan(customer_id, "employment")
    bad = PlanContent(goals=(PlanGoalItem("hobby", "x"),), period_months=5,
                      services=(PlanServiceItem("spa"),), next_review_on=date(1999, 1, 1),
                      contact_method="x" * 201)
    with pytest.raises(ValidationFailed) as exc:
        plans.save_draft(draft.id, bad, draft.revision)
    assert set(exc.value.errors) == {"goals.0.kind", "period_months", "services.0.service_type",
                                     "next_review_on", "contact_method"}
    # An incomplete draft is fine: the coach is still typing.
    incomplete = PlanContent(goals=(PlanGoalItem("work", ""),))
    assert plans.save_draft(draft.id, incomplete, draft.revision).changed


def test_accept_records_how_when_and_who_and_freezes_the_version(plans, signed_in, customer_id):
    draft = plans.create_plan(customer_id, "employment")
    with pytest.raises(ValidationFailed) as exc:
        plans.accept(draft.id, "signed")
    assert "goals" in exc.value.errors  # a new draft has no goals yet
    with pytest.raises(ValidationFailed) as exc:
        plans.accept(draft.id, "telepathy", plans.ctx.today() + timedelta(days=1),
                     content=good_content(plans.ctx.today()), revision=draft.revision)
    assert set(exc.value.errors) == {"how", "when"}
    assert plans.version(draft.id).content.goals == ()  # a refused acceptance saves nothing
    yesterday = plans.ctx.today() - timedelta(days=1)
    accepted = plans.accept(draft.id, "verbal", yesterday,
                            content=good_content(plans.ctx.today()), revision=draft.revision)
    row = accepted.row
    assert (row.status, row.accepted_how, row.accepted_by_name) == (
        "accepted", "verbal", "Pekka Ylitalo")
    assert row.accepted_at is not None and not accepted.editable
    assert accepted.content == good_content(plans.ctx.today())
    assert json.loads(audit(signed_in, "plan.accept")[0].detail) == {"how": "verbal",
                                                                    "number": 1}
    before = len(outbox(signed_in))
    with pytest.raises(Conflict):
        plans.save_draft(accepted.id, replace(accepted.content, summary="Muutos"),
                         accepted.revision)
    with pytest.raises(Conflict):
        plans.accept(accepted.id, "signed")
    assert len(outbox(signed_in)) == before
    assert plans.version(accepted.id).content == accepted.content


def test_new_draft_from_accepted_then_accepting_supersedes(plans, customer_id):
    first = accepted_plan(plans, customer_id)
    draft = plans.start_new_draft(first.id)
    assert (draft.row.number, draft.row.status, draft.based_on_number) == (2, "draft", 1)
    assert draft.content == first.content
    assert plans.start_new_draft(first.id).id == draft.id  # one draft at a time
    assert plans.open_customer(customer_id).current.id == draft.id
    changed = replace(draft.content, goals=(PlanGoalItem("work", "Kokoaikatyö."),))
    saved = plans.save_draft(draft.id, changed, draft.revision)
    assert plans.version(first.id).content == first.content  # the accepted one is untouched
    second = plans.accept(draft.id, "e_service", content=changed, revision=saved.revision)
    assert plans.version(first.id).row.status == "superseded"
    assert second.row.status == "accepted"
    opened = plans.open_customer(customer_id)
    assert opened.current.id == second.id
    assert [v.status for v in opened.plans[0].versions] == ["accepted", "superseded"]
    with plans.ctx.session_factory() as s:
        statuses = s.scalars(select(PlanVersion.status).where(
            PlanVersion.plan_id == first.row.plan_id)).all()
    assert sorted(statuses) == ["accepted", "superseded"]


def test_compare_marks_the_differences_per_section(plans, customer_id):
    first = accepted_plan(plans, customer_id)
    draft = plans.start_new_draft(first.id)
    c = draft.content
    changed = replace(
        c, goals=(c.goals[0], PlanGoalItem("education", "Ajokortti C.")),
        actions=(*c.actions, PlanActionItem("customer", "Hakee kesätöitä.")),
        services=(), applications_per_period=2, obligation_lowered_reason="Osa-aikatyö.")
    plans.save_draft(draft.id, changed, draft.revision)
    result = plans.compare(first.id, draft.id, lang="en")
    assert (result.left.number, result.right.number) == (1, 2)
    by_key = {s.key: s for s in result.sections}
    assert list(by_key) == ["goals", "customer_actions", "partner_actions", "services",
                            "obligation", "contact", "review"]
    goal = [line for line in by_key["goals"].lines if line.change == "changed"]
    assert [(g.left, g.right) for g in goal] == [
        ("Education: Hygieniapassi.", "Education: Ajokortti C.")]
    assert [line.change for line in by_key["customer_actions"].lines] == ["same", "added"]
    assert [line.change for line in by_key["services"].lines] == ["removed"]
    obligation = {line.change for line in by_key["obligation"].lines}
    assert obligation == {"changed", "same", "added"}
    assert not by_key["contact"].changed and not by_key["review"].changed
    other = plans.create_plan(customer_id, "activation")
    with pytest.raises(Exception, match="same plan"):
        plans.compare(first.id, other.id)


def test_print_is_audited_and_in_the_customers_language(plans, signed_in, customer_id):
    first = accepted_plan(plans, customer_id)
    document = plans.print_document(first.id, purpose="save")
    assert document.lang == "fi" and document.customer_hetu == "120385-1243"
    assert len(document.periods) == 3
    pdf = plans.print_pdf(first.id, "sv")
    assert pdf.startswith(b"%PDF")
    details = [json.loads(e.detail) for e in audit(signed_in, "plan.print")]
    assert details == [{"lang": "fi", "purpose": "save"}, {"lang": "sv", "purpose": "print"}]


def test_cli_prints_the_latest_accepted_plan_else_the_draft(plans, signed_in, customer_id,
                                                            tmp_path):
    signed_in.plans = plans  # the registry's field (wired by the lead)
    draft = plans.create_plan(customer_id, "employment")
    assert plans.printable_version("120385-1243") == draft.id
    accepted = plans.accept(draft.id, "signed", content=good_content(plans.ctx.today()),
                            revision=draft.revision)
    plans.start_new_draft(accepted.id)  # a newer draft does not replace the accepted plan
    assert plans.printable_version("120385-1243") == accepted.id
    out = print_plan_cli(signed_in, "120385-1243", "en", tmp_path / "out" / "plan.pdf")
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(Exception, match="No customer"):
        print_plan_cli(signed_in, "010101-0101", None, tmp_path / "x.pdf")
    with pytest.raises(Exception, match="Finnish, Swedish or English"):
        print_plan_cli(signed_in, "120385-1243", "de", tmp_path / "x.pdf")


def test_reviews_due_feed_the_worklist(plans, customer_id):
    accepted = accepted_plan(plans, customer_id)
    review = accepted.content.next_review_on
    assert plans.reviews_due(review - timedelta(days=1)) == []
    due = plans.reviews_due(review)
    assert [(d.version_id, d.next_review_on) for d in due] == [(accepted.id, review)]
    assert due[0].customer_name == "Mäkelä, Aino Maria"
    assert due[0].period_ends_on == add_months(plans.ctx.today(), 1) - timedelta(days=1)


def test_printed_plan_header_carries_the_service_point_address(signed_in):
    from app.models import ServicePoint
    from app.services.plans import _point_address

    with signed_in.ctx.session_factory.begin() as s:
        point = s.get(ServicePoint, "sp-rov")
        assert _point_address(point) == "Rovaniemi"  # no address yet: the municipality
        point.street_address, point.postal_code = "Koskikatu 25", "96200"
        assert _point_address(point) == "Koskikatu 25, 96200 Rovaniemi"
