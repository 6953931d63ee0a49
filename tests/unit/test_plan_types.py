"""The plan types (#24): each type's own fields saved and copied, the prefill of a new
activation and integration plan, partner participants only under consent, and each type
printed (read back with pypdf) in fi, sv and en with its own headings, while the
employment plan prints as before."""

import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.dto.partners import ConsentInput, PartnerOrgInput, PartnerPersonInput
from app.dto.plans import PlanContent, PlanGoalItem, PlanParticipantItem
from app.i18n import translate_in
from app.models import AuditEvent, Customer, UnemploymentPeriod
from app.printing.plan_pdf import TYPE_SECTIONS
from app.rules import plan_vocabulary as vocab
from app.rules.codes import BenefitType
from app.rules.permissions import Permission
from app.services.errors import ServiceError, ValidationFailed
from app.services.partners import ConsentRefused
from tests.factories import Clock, add_people

LANGS = ("fi", "sv", "en")


@pytest.fixture
def coach(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("coach", "demo")
    return services


@pytest.fixture
def customer(coach):
    return add_people(coach)[0]


@pytest.fixture
def kela(coach, customer):
    org = coach.partners.save_org(None, PartnerOrgInput("Kela Rovaniemi", "kela"))
    person = coach.partners.save_person(None, PartnerPersonInput(org.id, "Sari Suomela",
                                                                 title="Asiantuntija"))
    return org, person


def consent(coach, customer, org_id, information=("contact", "plan")):
    return coach.consents.record(customer, ConsentInput(
        org_id, "Monialainen suunnitelma", information, "signed", coach.ctx.today()))


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(pdf)).pages)


def type_content(today: date) -> PlanContent:
    return PlanContent(
        goals=(PlanGoalItem("work", "Työpaikka."),), summary="Tilanne.",
        participants=(PlanParticipantItem("Liisa Lahti", "Lapin hyvinvointialue",
                                          "Sosiaalityöntekijä", "Sosiaalityö",
                                          "Kuntouttava työtoiminta"),),
        meeting_minute="Sovittiin työkokeilusta.", follow_up_on=today + timedelta(days=30),
        customer_view="Haluan töihin keittiöön.",
        activation_conditions="Työmarkkinatukea 500 päivää.",
        activation_measures="Kuntouttava työtoiminta 3 pv/vko.",
        social_worker_part="Sosiaalityöntekijä seuraa.",
        integration_training="Suomen kielen kurssi A2.",
        residence_permit_on=date(2025, 5, 2), interpreter_language="arabia",
        integration_measures="Ohjaus kotoutumispalveluihin.")


@pytest.mark.parametrize("plan_type", ["multi_professional", "activation", "integration"])
def test_each_types_fields_are_saved_loaded_and_copied(coach, customer, plan_type):
    draft = coach.plans.create_plan(customer, plan_type)
    content = type_content(coach.ctx.today())
    coach.plans.save_draft(draft.id, content, draft.revision)
    loaded = coach.plans.version(draft.id).content
    for field in ("participants", "meeting_minute", "follow_up_on", "customer_view",
                  "activation_conditions", "activation_measures", "social_worker_part",
                  "integration_training", "residence_permit_on", "interpreter_language",
                  "integration_measures"):
        assert getattr(loaded, field) == getattr(content, field), field
    saved = coach.plans.save_draft(draft.id, loaded, coach.plans.version(draft.id).revision)
    assert not saved.changed  # what was loaded saves as a no-op
    accepted = coach.plans.accept(draft.id, "signed", content=replace(
        loaded, applications_per_period=4, period_months=1,
        obligation_starts_on=coach.ctx.today(), contact_method="Puhelin",
        next_review_on=coach.ctx.today() + timedelta(days=60)),
        revision=coach.plans.version(draft.id).revision)
    copy = coach.plans.start_new_draft(accepted.id)
    assert copy.content.participants == content.participants
    assert copy.content.integration_training == content.integration_training


def test_a_new_integration_plan_takes_the_permit_and_the_interpreter(coach, customer):
    with coach.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
        row = s.get(Customer, customer)
        row.first_residence_permit_on = date(2025, 9, 1)
        row.interpreter_needed = True
        row.language = "ar"
    draft = coach.plans.create_plan(customer, "integration")
    assert draft.content.residence_permit_on == date(2025, 9, 1)
    assert draft.content.interpreter_language == "arabia"


def test_a_new_activation_plan_takes_the_due_day_from_the_clock(coach, customer):
    # Labour-market subsidy since Mon 12.2.2024: the 500th benefit day is Fri 9.1.2026.
    with coach.ctx.transaction(Permission.PLAN_EDIT) as s:
        s.add(UnemploymentPeriod(customer_id=customer, starts_on=date(2024, 2, 12),
                                 ends_on=None, benefit=BenefitType.LABOUR_MARKET_SUBSIDY))
    draft = coach.plans.create_plan(customer, "activation")
    text = draft.content.activation_conditions
    assert text.startswith("The activation plan is due on") or \
        text.startswith("Aktivointisuunnitelma")
    assert "9.1.2026" in text and "500" in text
    with coach.ctx.reading() as s:  # another customer has no subsidy: nothing to prefill
        other = s.scalar(select(Customer.id).where(Customer.id != customer).limit(1))
    assert coach.plans.create_plan(other, "activation").content.activation_conditions == ""


def test_a_partner_participant_needs_consent_and_is_not_copied_after_withdrawal(
        coach, customer, kela):
    org, person = kela
    draft = coach.plans.create_plan(customer, "multi_professional")
    content = replace(type_content(coach.ctx.today()), participants=(
        PlanParticipantItem("Sari Suomela", "Kela Rovaniemi", partner_person_id=person.id),))
    with pytest.raises(ValidationFailed) as failed:
        coach.plans.save_draft(draft.id, content, draft.revision)
    assert "not given consent" in failed.value.errors["participants"]
    given = consent(coach, customer, org.id)
    coach.plans.save_draft(draft.id, content, draft.revision)
    with coach.ctx.reading() as s:
        actions = [a.action for a in s.scalars(select(AuditEvent))]
    assert "partner.share.refused" in actions and "partner.share.plan" in actions
    info = coach.plans.version(draft.id)
    accepted = coach.plans.accept(draft.id, "signed", content=replace(
        info.content, applications_per_period=4, period_months=1,
        obligation_starts_on=coach.ctx.today(), contact_method="Puhelin",
        next_review_on=coach.ctx.today() + timedelta(days=60)), revision=info.revision)
    coach.consents.withdraw(given.id)
    copy = coach.plans.start_new_draft(accepted.id)
    assert copy.content.participants == ()


def test_print_for_a_partner_needs_consent_and_is_audited(coach, customer, kela):
    org, _person = kela
    draft = coach.plans.create_plan(customer, "multi_professional")
    coach.plans.save_draft(draft.id, type_content(coach.ctx.today()), draft.revision)
    with pytest.raises(ConsentRefused):
        coach.plans.print_for_partner(draft.id, org.id)
    # The printed plan names the customer: a consent to plans alone does not do.
    plans_only = consent(coach, customer, org.id, ("plan",))
    with pytest.raises(ConsentRefused):
        coach.plans.print_for_partner(draft.id, org.id)
    coach.consents.withdraw(plans_only.id)
    consent(coach, customer, org.id)
    pdf = coach.plans.print_for_partner(draft.id, org.id, "fi")
    assert "Monialainen työllistymissuunnitelma" in text_of(pdf)
    with coach.ctx.reading() as s:
        shared = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "partner.share.plan_print")).all()
    assert [json.loads(a.detail)["partner_org_id"] for a in shared] == [org.id]
    employment = coach.plans.create_plan(customer, "employment")
    with pytest.raises(ServiceError):
        coach.plans.print_for_partner(employment.id, org.id)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("plan_type", ["multi_professional", "activation", "integration"])
def test_each_type_prints_with_its_own_headings(coach, customer, plan_type, lang):
    draft = coach.plans.create_plan(customer, plan_type)
    coach.plans.save_draft(draft.id, type_content(coach.ctx.today()), draft.revision)
    text = text_of(coach.plans.print_pdf(draft.id, lang))
    assert translate_in(lang, vocab.PLAN_TYPES[plan_type]) in text
    for key, title in TYPE_SECTIONS[plan_type]:
        assert translate_in(lang, title) in text, key
    for other, sections in TYPE_SECTIONS.items():
        if other != plan_type:
            for _key, title in sections:
                assert translate_in(lang, title) not in text
    # The common form is there too.
    assert translate_in(lang, vocab.SECTION_TITLES["services"]) in text
    own = {"multi_professional": "Sovittiin työkokeilusta.",
           "activation": "Kuntouttava työtoiminta 3 pv/vko.",
           "integration": "Suomen kielen kurssi A2."}[plan_type]
    assert own in text


def test_the_printed_titles_are_in_the_print_language(coach, customer):
    draft = coach.plans.create_plan(customer, "integration")
    assert "Kotoutumissuunnitelma" in text_of(coach.plans.print_pdf(draft.id, "fi"))
    assert "Integration plan" in text_of(coach.plans.print_pdf(draft.id, "en"))


def test_the_employment_plan_prints_no_type_part(coach, customer):
    draft = coach.plans.create_plan(customer, "employment")
    coach.plans.save_draft(draft.id, type_content(coach.ctx.today()), draft.revision)
    text = text_of(coach.plans.print_pdf(draft.id, "en"))
    for sections in TYPE_SECTIONS.values():
        for _key, title in sections:
            assert title not in text
    assert "1. Situation and goals" in text and "2. The customer's own actions" in text


def test_list_plans_by_customer_and_type(coach, customer):
    coach.plans.create_plan(customer, "employment")
    multi = coach.plans.create_plan(customer, "multi_professional")
    rows = coach.plans.list_plans(customer)
    assert sorted(r.plan_type for r in rows) == ["employment", "multi_professional"]
    only = coach.plans.list_plans(plan_type="multi_professional")
    assert [(r.version_id, r.status, r.version) for r in only] == [(multi.id, "draft", 1)]
    assert coach.plans.printable_version(multi.row.plan_id) == multi.id
    with pytest.raises(ValidationFailed):
        coach.plans.list_plans(plan_type="nonsense")


def test_the_worklist_says_which_plan_type_is_due():
    from app.services.statutory_clock import due_plan_type
    from app.services.statutory_clock_facts import Facts

    today = date(2026, 11, 24)

    def facts(permit):
        return Facts("c", "C", None, date(1990, 1, 1), date(2026, 1, 1), date(2026, 1, 1),
                     permit)

    assert due_plan_type(facts(date(2025, 5, 2)), today) == "integration"
    assert due_plan_type(facts(date(2020, 5, 2)), today) == "employment"
    assert due_plan_type(facts(None), today) == "employment"


def test_a_comparison_shows_the_type_part(coach, customer):
    draft = coach.plans.create_plan(customer, "integration")
    coach.plans.save_draft(draft.id, type_content(coach.ctx.today()), draft.revision)
    info = coach.plans.version(draft.id)
    accepted = coach.plans.accept(draft.id, "signed", content=replace(
        info.content, applications_per_period=4, period_months=1,
        obligation_starts_on=coach.ctx.today(), contact_method="Puhelin",
        next_review_on=coach.ctx.today() + timedelta(days=60)), revision=info.revision)
    copy = coach.plans.start_new_draft(accepted.id)
    coach.plans.save_draft(copy.id, replace(copy.content, integration_training="B1"),
                           copy.revision)
    goals = next(x for x in coach.plans.compare(accepted.id, copy.id, "en").sections
                 if x.key == "goals")
    assert [(line.left, line.right) for line in goals.lines if line.change == "changed"] == [
        ("Integration training: Suomen kielen kurssi A2.", "Integration training: B1")]


def test_todays_worklist_names_the_plan_type_that_is_due():
    from app.dto.coaching import WorkItem
    from app.views.coaching.today import status_text

    def row(detail):
        return WorkItem("c1", "Mäkelä, Aino", "no_plan", None, False, "", detail=detail)

    from app.i18n import _

    assert status_text(row("integration")) == _("make the integration plan")
    assert status_text(row("employment")) == _("make the employment plan")
    assert status_text(row("integration")) != status_text(row("employment"))


def test_two_partners_added_at_once_one_without_consent_is_refused_with_the_reason(
        coach, customer, kela):
    """One with consent, one without, in one save: the reason comes back at once (the
    review found 'database is locked' after five seconds: the first one's audit held the
    write lock while the refusal wrote its own)."""
    org, person = kela
    consent(coach, customer, org.id)
    county = coach.partners.save_org(None, PartnerOrgInput("Lapin hyvinvointialue",
                                                           "wellbeing_county"))
    olli = coach.partners.save_person(None, PartnerPersonInput(county.id, "Olli Ojala"))
    draft = coach.plans.create_plan(customer, "multi_professional")
    content = replace(type_content(coach.ctx.today()), participants=(
        PlanParticipantItem("Sari Suomela", "Kela Rovaniemi", partner_person_id=person.id),
        PlanParticipantItem("Olli Ojala", "Lapin hyvinvointialue",
                            partner_person_id=olli.id)))
    with pytest.raises(ValidationFailed) as failed:
        coach.plans.save_draft(draft.id, content, draft.revision)
    assert "not given consent" in failed.value.errors["participants"]
    with coach.ctx.reading() as s:
        actions = [a.action for a in s.scalars(select(AuditEvent))]
    assert "partner.share.refused" in actions and "partner.share.plan" not in actions


def test_removing_a_participant_never_turns_another_row_into_them(coach, customer, kela):
    """Rows are matched by person: removing the first of two partners tombstones that
    row and leaves the second's row as it is (by position the first row would have
    become the second person, which the centre checks afresh for consent)."""
    from app.models.partner import PlanParticipant

    org, person = kela
    consent(coach, customer, org.id)
    other = coach.partners.save_person(None, PartnerPersonInput(org.id, "Marko Rautio"))
    draft = coach.plans.create_plan(customer, "multi_professional")
    both = replace(type_content(coach.ctx.today()), participants=(
        PlanParticipantItem("Sari Suomela", "Kela Rovaniemi", partner_person_id=person.id),
        PlanParticipantItem("Marko Rautio", "Kela Rovaniemi", partner_person_id=other.id),
        PlanParticipantItem("Liisa Lahtinen", "Seurakunta")))
    saved = coach.plans.save_draft(draft.id, both, draft.revision)
    with coach.ctx.reading() as s:
        before = {r.partner_person_id: r.id for r in s.scalars(select(PlanParticipant))}
    coach.plans.save_draft(draft.id, replace(both, participants=both.participants[1:]),
                           saved.revision)
    with coach.ctx.reading() as s:
        rows = {r.id: r for r in s.scalars(select(PlanParticipant))}
    assert rows[before[other.id]].partner_person_id == other.id
    assert rows[before[other.id]].deleted_at is None
    assert rows[before[person.id]].deleted_at is not None
    assert rows[before[None]].name == "Liisa Lahtinen" and rows[before[None]].deleted_at is None
    assert [p.name for p in coach.plans.version(draft.id).content.participants] == [
        "Marko Rautio", "Liisa Lahtinen"]
