"""The partner register (#24): organisations and their people, who may keep them, the
checks of the form, the lists (active first, the active people counted) and the audit
(ids and codes only)."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.dto.partners import PartnerOrgInput, PartnerPersonInput
from app.models import AuditEvent, OutboxEntry
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from tests.factories import Clock


@pytest.fixture
def coach(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("coach", "demo")
    return services


def org(name="Kela Rovaniemi", kind="kela", **kw):
    return PartnerOrgInput(name=name, kind=kind, **kw)


def test_a_coach_adds_an_organisation_and_its_people(coach):
    kela = coach.partners.save_org(None, org(phone="020 692 207", email="rovaniemi@kela.fi",
                                             postal_code="96100"))
    assert (kela.name, kela.kind, kela.phone, kela.people, kela.active) == (
        "Kela Rovaniemi", "kela", "020692207", 0, True)
    person = coach.partners.save_person(None, PartnerPersonInput(
        kela.id, "  Sari  Suomela ", title="Asiantuntija", email="sari@kela.fi"))
    assert (person.full_name, person.org_name, person.org_kind, person.title) == (
        "Sari Suomela", "Kela Rovaniemi", "kela", "Asiantuntija")
    assert coach.partners.orgs()[0].people == 1
    assert [p.id for p in coach.partners.people(kela.id)] == [person.id]


def test_the_writes_go_through_the_outbox_and_are_audited_without_names(coach):
    kela = coach.partners.save_org(None, org())
    person = coach.partners.save_person(None, PartnerPersonInput(kela.id, "Sari Suomela"))
    coach.partners.save_org(kela.id, org(name="Kela, Rovaniemen palvelupiste"))
    with coach.ctx.reading() as s:
        audits = list(s.scalars(select(AuditEvent).where(
            AuditEvent.action.like("partner.%")).order_by(AuditEvent.at, AuditEvent.action)))
        tables = set(s.scalars(select(OutboxEntry.table_name)))
    assert {a.action for a in audits} == {"partner.org.create", "partner.person.create",
                                          "partner.org.update"}
    assert {"partner_org", "partner_person"} <= tables
    for a in audits:
        assert "Sari" not in (a.detail or "") and "Kela" not in (a.detail or "")
    created = next(a for a in audits if a.action == "partner.person.create")
    assert created.entity_id == person.id
    assert json.loads(created.detail)["partner_org_id"] == kela.id


def test_the_form_says_what_is_wrong(coach):
    with pytest.raises(ValidationFailed) as failed:
        coach.partners.save_org(None, PartnerOrgInput(name=" ", kind="bank", phone="12",
                                                      email="not-an-address",
                                                      postal_code="961"))
    assert set(failed.value.errors) == {"name", "kind", "phone", "email", "postal_code"}
    with pytest.raises(ValidationFailed) as failed:
        coach.partners.save_person(None, PartnerPersonInput("", "", email="x@"))
    assert set(failed.value.errors) == {"partner_org_id", "full_name", "email"}
    with pytest.raises(ValidationFailed) as failed:
        coach.partners.save_person(None, PartnerPersonInput("no-such-org", "Sari Suomela"))
    assert set(failed.value.errors) == {"partner_org_id"}


def test_two_organisations_of_one_name_are_refused(coach):
    coach.partners.save_org(None, org())
    with pytest.raises(ValidationFailed) as failed:
        coach.partners.save_org(None, org(name="KELA ROVANIEMI", kind="other_organisation"))
    with pytest.raises(ValidationFailed):
        coach.partners.save_org(None, org(name="Työkanava"))
        coach.partners.save_org(None, org(name="TYÖKANAVA"))
    assert set(failed.value.errors) == {"name"}


def test_a_person_stays_with_their_organisation(coach):
    kela = coach.partners.save_org(None, org())
    ohjaamo = coach.partners.save_org(None, org("Ohjaamo Rovaniemi", "ohjaamo"))
    person = coach.partners.save_person(None, PartnerPersonInput(kela.id, "Sari Suomela"))
    with pytest.raises(ValidationFailed) as failed:
        coach.partners.save_person(person.id, PartnerPersonInput(ohjaamo.id, "Sari Suomela"))
    assert set(failed.value.errors) == {"partner_org_id"}


def test_inactive_ones_are_left_out_unless_asked_for(coach):
    kela = coach.partners.save_org(None, org())
    old = coach.partners.save_org(None, org("Vanha yhdistys", "third_sector", active=False))
    coach.partners.save_person(None, PartnerPersonInput(kela.id, "Sari Suomela"))
    gone = coach.partners.save_person(None, PartnerPersonInput(kela.id, "Olli Entinen",
                                                               active=False))
    coach.partners.save_person(None, PartnerPersonInput(old.id, "Ville Vanha"))
    assert [o.name for o in coach.partners.orgs()] == ["Kela Rovaniemi"]
    assert [o.name for o in coach.partners.orgs(include_inactive=True)] == [
        "Kela Rovaniemi", "Vanha yhdistys"]
    assert coach.partners.orgs()[0].people == 1
    assert [p.full_name for p in coach.partners.people()] == ["Sari Suomela"]
    everyone = coach.partners.people(include_inactive=True)
    assert {p.full_name for p in everyone} == {"Sari Suomela", "Olli Entinen", "Ville Vanha"}
    assert everyone[-1].id == gone.id  # inactive last


def test_the_desk_reads_the_register_but_does_not_keep_it(coach):
    kela = coach.partners.save_org(None, org())
    coach.auth.sign_out()
    coach.auth.sign_in("desk", "demo")
    assert [o.id for o in coach.partners.orgs()] == [kela.id]
    with pytest.raises(PermissionDenied):
        coach.partners.save_org(None, org("Ohjaamo Rovaniemi", "ohjaamo"))
    with pytest.raises(PermissionDenied):
        coach.partners.save_person(None, PartnerPersonInput(kela.id, "Sari Suomela"))


def test_unknown_ones_are_not_found(coach):
    with pytest.raises(NotFound):
        coach.partners.save_org("no-such", org())
    with pytest.raises(NotFound):
        coach.partners.person("no-such")
