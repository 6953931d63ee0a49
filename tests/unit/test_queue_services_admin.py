"""The administrators' register of queue services (#24): add, edit and order a point's
services; every field's problem at once; the id made from the point and the code; the
audit (ids, codes and field names only) and the outbox; only administrators write; the
queue offers what the register keeps."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app import i18n
from app.dto.queue_services import OfferedServiceInput
from app.models import AuditEvent, OfferedService, OutboxEntry, PartnerOrg, ServicePoint
from app.rules import queue as rules
from app.rules.codes import PartnerKind, ServicePointMode
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from app.services.queue_services import (
    AREA_MISSING,
    CODE_FIXED,
    CODE_INVALID,
    CODE_TAKEN,
    NAME_TOO_LONG,
    PARTNER_MISSING,
    SERVER_FIXED,
)
from tests.factories import Clock

GUIDANCE = OfferedServiceInput("sp-rov", "career_guidance", "Opinto-ohjaus",
                               "Studiehandledning", "Career guidance", "skills", "po-redu")


@pytest.fixture
def admin(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    with services.ctx.session_factory.begin() as s:
        s.add_all([
            ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                         mode=ServicePointMode.APPOINTMENT),
            PartnerOrg(id="po-redu", name="REDU", kind=PartnerKind.SCHOOL, active=True),
            PartnerOrg(id="po-old", name="Vanha", kind=PartnerKind.OTHER_ORGANISATION,
                       active=False)])
    services.auth.sign_in("admin", "demo")
    return services


def test_a_point_without_rows_lists_the_built_in_services(admin):
    rows = admin.queue_services.list("sp-rov")
    assert [r.code for r in rows] == list(rules.BUILT_IN_NAMES)
    assert all(r.active and r.partner_org_id is None for r in rows)
    assert rows[0].point_name == "Rovaniemi – Osaamo"
    assert admin.queue_services.get(rows[1].id) == rows[1]
    assert admin.queue_services.service_points() == [("sp-ran", "Ranua"),
                                                     ("sp-rov", "Rovaniemi – Osaamo")]
    assert admin.queue_services.partners() == [("po-redu", "REDU")]
    assert admin.queue_services.home_point() == "sp-rov"
    assert admin.queue_services.can_manage()


def test_add_a_partners_service_with_three_names(admin):
    row = admin.queue_services.add(GUIDANCE)
    assert row.id == rules.service_id("sp-rov", "career_guidance")
    assert (row.code, row.name_fi, row.name_sv, row.name_en, row.service_area) == (
        "career_guidance", "Opinto-ohjaus", "Studiehandledning", "Career guidance", "skills")
    assert (row.partner_org_id, row.partner_name, row.active) == ("po-redu", "REDU", True)
    # The built-in services became rows first, in the order the queue offered them.
    codes = [r.code for r in admin.queue_services.list("sp-rov")]
    assert codes == [*rules.BUILT_IN_NAMES, "career_guidance"]
    assert row.position == len(rules.BUILT_IN_NAMES)
    # The queue offers it, named in the user's language.
    assert "career_guidance" in admin.queue.point_services()
    i18n.set_language("sv")
    try:
        assert admin.queue_services.get(row.id).name == "Studiehandledning"
        offered = next(o for o in admin.queue.offered() if o.code == "career_guidance")
        assert (offered.name, offered.partner_name) == ("Studiehandledning", "REDU")
    finally:
        i18n.set_language("fi")
    assert admin.queue_services.get(row.id).name == "Opinto-ohjaus"


def test_the_id_comes_from_the_point_and_the_code(admin, tmp_path):
    """Two administrators adding the same code offline make the same row."""
    from tests.factories import open_services

    other = open_services(tmp_path / "other")
    try:
        with other.ctx.session_factory.begin() as s:
            s.add(PartnerOrg(id="po-redu", name="REDU", kind=PartnerKind.SCHOOL))
        other.auth.sign_in("admin", "demo")
        theirs = other.queue_services.add(GUIDANCE)
    finally:
        other.close()
    assert admin.queue_services.add(GUIDANCE).id == theirs.id


def test_the_form_says_what_is_wrong_on_each_field_at_once(admin):
    bad = OfferedServiceInput("sp-rov", "Career Guidance!", " ", "x" * 81,
                              "Career\u202eguidance", "astrology", "po-nowhere")
    with pytest.raises(ValidationFailed) as refused:
        admin.queue_services.add(bad)
    errors = refused.value.errors
    assert errors["code"] == CODE_INVALID
    assert errors["name_fi"] == "Give the service's name in Finnish."
    assert errors["name_sv"] == NAME_TOO_LONG
    assert "direction" in errors["name_en"]
    assert errors["service_area"] == AREA_MISSING
    assert errors["partner_org_id"] == PARTNER_MISSING
    with pytest.raises(ValidationFailed) as refused:
        admin.queue_services.add(OfferedServiceInput("", "x", "\x1b[31mA", "B", "C", "skills"))
    assert set(refused.value.errors) == {"service_point_id", "code", "name_fi"}
    assert "control character" in refused.value.errors["name_fi"]
    # An inactive partner serves no new service.
    with pytest.raises(ValidationFailed) as refused:
        admin.queue_services.add(OfferedServiceInput("sp-rov", "old", "A", "B", "C", "skills",
                                                     "po-old"))
    assert refused.value.errors == {"partner_org_id": PARTNER_MISSING}
    # Nothing was written.
    with admin.ctx.reading() as s:
        assert not s.scalars(select(OfferedService)).all()


def test_a_code_is_used_once_per_point(admin):
    admin.queue_services.add(GUIDANCE)
    with pytest.raises(ValidationFailed) as refused:
        admin.queue_services.add(GUIDANCE)
    assert refused.value.errors == {"code": CODE_TAKEN}
    # A built-in code too, even before the point has rows.
    with pytest.raises(ValidationFailed) as refused:
        admin.queue_services.add(OfferedServiceInput("sp-ran", "skills", "A", "B", "C",
                                                     "skills"))
    assert refused.value.errors == {"code": CODE_TAKEN}
    # Another point may use it; capitals and spaces around it are tidied away.
    other = admin.queue_services.add(OfferedServiceInput(
        "sp-ran", " Career_Guidance ", "Opinto-ohjaus", "Studiehandledning",
        "Career guidance", "skills"))
    assert (other.code, other.service_point_id) == ("career_guidance", "sp-ran")


def test_edit_changes_all_but_the_code_and_who_serves(admin):
    row = admin.queue_services.add(GUIDANCE)
    edited = admin.queue_services.edit(row.id, OfferedServiceInput(
        "sp-rov", "", "  Opinto-   ja uraohjaus ", "Studie- och karriärhandledning",
        "Study and career guidance", "initial", "po-redu", active=False))
    assert (edited.code, edited.name_fi, edited.service_area, edited.partner_org_id,
            edited.active) == ("career_guidance", "Opinto- ja uraohjaus", "initial",
                               "po-redu", False)
    # Who serves it stays so: the area's service is not given to a partner, nor a
    # partner's taken back (its tickets were shared with that partner only).
    information = next(r for r in admin.queue_services.list("sp-rov")
                       if r.code == "information")
    for service, partner in ((information, "po-redu"), (edited, None)):
        with pytest.raises(ValidationFailed) as moved:
            admin.queue_services.edit(service.id, OfferedServiceInput(
                "sp-rov", service.code, service.name_fi, service.name_sv, service.name_en,
                service.service_area, partner))
        assert moved.value.errors == {"partner_org_id": SERVER_FIXED}
    assert "career_guidance" not in admin.queue.point_services()
    with pytest.raises(ValidationFailed) as refused:
        admin.queue_services.edit(row.id, OfferedServiceInput(
            "sp-rov", "guidance", "A", "B", "C", "initial", "po-redu"))
    assert refused.value.errors == {"code": CODE_FIXED}
    with pytest.raises(NotFound):
        admin.queue_services.edit("nope", GUIDANCE)


def test_a_partner_made_inactive_keeps_its_services(admin):
    row = admin.queue_services.add(GUIDANCE)
    with admin.ctx.session_factory.begin() as s:
        s.get(PartnerOrg, "po-redu").active = False
    edited = admin.queue_services.edit(row.id, GUIDANCE)
    assert edited.partner_org_id == "po-redu"
    assert admin.queue_services.partners() == []


def test_editing_a_built_in_service_of_a_point_without_rows(admin):
    skills = next(r for r in admin.queue_services.list("sp-ran") if r.code == "skills")
    admin.queue_services.edit(skills.id, OfferedServiceInput(
        "sp-ran", "skills", skills.name_fi, skills.name_sv, skills.name_en, "skills",
        active=False))
    rows = admin.queue_services.list("sp-ran")
    assert [r.code for r in rows] == list(rules.BUILT_IN_NAMES)
    assert [r.code for r in rows if not r.active] == ["skills"]
    assert [r.code for r in admin.queue_services.list("sp-ran", include_inactive=False)] == [
        c for c in rules.BUILT_IN_NAMES if c != "skills"]


def test_move_renumbers_and_writes_only_what_moved(admin):
    row = admin.queue_services.add(GUIDANCE)
    with admin.ctx.reading() as s:
        before = {e.row_id for e in s.scalars(select(OutboxEntry))}
    admin.queue_services.move(row.id, -2)
    codes = [r.code for r in admin.queue_services.list("sp-rov")]
    assert codes[-3:] == ["career_guidance", "employer", "information"]
    assert [r.position for r in admin.queue_services.list("sp-rov")] == list(range(8))
    with admin.ctx.reading() as s:
        written = [e.row_id for e in s.scalars(select(OutboxEntry).where(
            OutboxEntry.table_name == "queue_service")) if e.row_id not in before
            or e.op == "update"]
    ids = {r.code: r.id for r in admin.queue_services.list("sp-rov")}
    assert set(written) == {ids["career_guidance"], ids["employer"], ids["information"]}
    # At the ends nothing moves and nothing is written.
    first = admin.queue_services.list("sp-rov")[0]
    admin.queue_services.move(first.id, -1)
    admin.queue_services.move(row.id, -100)
    assert admin.queue_services.list("sp-rov")[0].code == "career_guidance"
    assert admin.queue.point_services()[0] == "career_guidance"


def test_arrange_sets_the_points_offer(admin):
    admin.queue_services.add(GUIDANCE)
    rows = admin.queue_services.arrange("sp-rov", ["information", "skills"])
    # The partner's service stays offered, right after the chosen ones.
    assert [(r.code, r.active) for r in rows][:4] == [
        ("information", True), ("skills", True), ("career_guidance", True),
        ("initial", False)]
    assert admin.queue.point_services() == ["information", "skills", "career_guidance"]
    with pytest.raises(ValidationFailed):
        admin.queue_services.arrange("sp-rov", ["teleport"])


def test_writes_are_audited_without_free_text_and_go_to_the_outbox(admin):
    row = admin.queue_services.add(GUIDANCE)
    admin.queue_services.edit(row.id, OfferedServiceInput(
        "sp-rov", "career_guidance", "Uraohjaus", "Studiehandledning", "Career guidance",
        "skills", "po-redu"))
    admin.queue_services.edit(row.id, OfferedServiceInput(  # nothing changed: no audit
        "sp-rov", "career_guidance", "Uraohjaus", "Studiehandledning", "Career guidance",
        "skills", "po-redu"))
    admin.queue_services.move(row.id, -1)
    with admin.ctx.reading() as s:
        audits = list(s.scalars(select(AuditEvent).where(
            AuditEvent.action.like("queue_service.%")).order_by(AuditEvent.at)))
        entries = list(s.scalars(select(OutboxEntry).where(
            OutboxEntry.table_name == "queue_service", OutboxEntry.row_id == row.id)))
    assert [a.action for a in audits] == ["queue_service.add", "queue_service.edit",
                                          "queue_service.move"]
    assert all(a.entity_id == row.id and a.staff_id == "staff-admin" for a in audits)
    assert json.loads(audits[0].detail) == {
        "service_point_id": "sp-rov", "code": "career_guidance", "service_area": "skills",
        "partner_org_id": "po-redu"}
    assert json.loads(audits[1].detail) == {"fields": ["name_fi"]}
    for a in audits:
        assert "ohjaus" not in (a.detail or "") and "handledning" not in (a.detail or "")
    assert [e.op for e in entries] == ["insert", "update", "update"]
    assert all(e.author == "staff-admin" for e in entries)


@pytest.mark.parametrize("username", ["desk", "coach", "lead"])
def test_only_administrators_write(services, username):
    services.auth.sign_in(username, "demo")
    register = services.queue_services
    assert not register.can_manage()
    assert register.list("sp-rov")  # everyone reads
    row = register.list("sp-rov")[0]
    for write in (lambda: register.add(GUIDANCE),
                  lambda: register.edit(row.id, GUIDANCE),
                  lambda: register.move(row.id, 1),
                  lambda: register.arrange("sp-rov", ["skills"])):
        with pytest.raises(PermissionDenied):
            write()
    with services.ctx.reading() as s:
        assert not s.scalars(select(OfferedService)).all()
