"""`queue-service list|add|edit` and `service-point services` (#24): the register of
queue services from the command line, through the same service as the settings dialog
(its checks, its audit); clear errors, no tracebacks."""

import json

import pytest
from sqlalchemy import select

from app import cli
from app.i18n import _
from app.models import AuditEvent, PartnerOrg
from app.rules import queue as rules
from app.rules.codes import PartnerKind
from tests.factories import open_services


@pytest.fixture
def db(tmp_path):
    services = open_services(tmp_path)
    with services.ctx.session_factory.begin() as s:
        s.add(PartnerOrg(id="po-redu", name="REDU", kind=PartnerKind.SCHOOL))
    services.close()
    return str(tmp_path / "desk.sqlite3")


def run(capsys, *argv):
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse: usage and status 2
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def listed(capsys, db, *extra):
    code, out, _err = run(capsys, "queue-service", "list", "--point", "ROV", "--json",
                          "--db", db, *extra)
    assert code == 0
    return json.loads(out)


def test_add_list_and_edit(capsys, db):
    assert [r["code"] for r in listed(capsys, db)] == list(rules.BUILT_IN_NAMES)
    code, out, _err = run(capsys, "queue-service", "add", "--point", "rov", "--code",
                          "career_guidance", "--fi", "Opinto-ohjaus", "--sv",
                          "Studiehandledning", "--en", "Career guidance", "--area", "skills",
                          "--partner", "po-redu", "--db", db)
    assert code == 0 and rules.service_id("sp-rov", "career_guidance") in out
    added = listed(capsys, db)[-1]
    assert (added["code"], added["name_sv"], added["partner"], added["active"]) == (
        "career_guidance", "Studiehandledning", "REDU", True)

    # Who serves it stays so: taking it from the partner is refused, nothing changes.
    code, _out, err = run(capsys, "queue-service", "edit", "--point", "ROV", "--code",
                          "career_guidance", "--partner", "none", "--db", db)
    assert code == 1 and "partner_org_id:" in err
    code, out, _err = run(capsys, "queue-service", "edit", "--point", "ROV", "--code",
                          "career_guidance", "--en", "Study guidance",
                          "--active", "no", "--db", db)
    assert code == 0 and "saved" in out
    assert "career_guidance" not in [r["code"] for r in listed(capsys, db)]
    edited = listed(capsys, db, "--all")[-1]
    assert (edited["name_fi"], edited["name_en"], edited["partner_org_id"],
            edited["active"]) == ("Opinto-ohjaus", "Study guidance", "po-redu", False)
    code, out, _err = run(capsys, "queue-service", "list", "--point", "ROV", "--all",
                          "--db", db)
    assert code == 0 and "career_guidance\tskills\tpartner REDU (po-redu)\tinactive" in out

    services = open_services_at(db)
    with services.ctx.reading() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("queue_service.%"))))
    services.close()
    assert sorted(actions) == ["queue_service.add", "queue_service.edit"]


def open_services_at(db):
    from pathlib import Path

    from app.services.registry import Services

    return Services.open(Path(db), "test")


@pytest.mark.parametrize(("argv", "status", "words"), [
    (["add", "--point", "ROV", "--code", "Bad code", "--fi", "", "--sv", "S", "--en", "E",
      "--area", "skills"], 1, ["code:", "name_fi:"]),
    (["add", "--point", "ROV", "--code", "skills", "--fi", "F", "--sv", "S", "--en", "E",
      "--area", "skills"], 1, ["code:"]),
    (["add", "--point", "ROV", "--code", "x_y", "--fi", "F", "--sv", "S", "--en", "E",
      "--area", "skills", "--partner", "nope"], 1, ["partner_org_id:"]),
    (["add", "--point", "ROV", "--code", "x_y", "--fi", "F", "--sv", "S", "--en", "E",
      "--area", "astrology"], 2, ["--area"]),
    (["add", "--point", "NOPE", "--code", "x_y", "--fi", "F", "--sv", "S", "--en", "E",
      "--area", "skills"], 2, ["no service point 'NOPE'"]),
    (["edit", "--point", "ROV", "--code", "teleport", "--fi", "F"], 2,
     ["no queue service 'teleport' at ROV"]),
    (["edit", "--point", "ROV", "--code", "skills", "--active", "maybe"], 2, ["--active"]),
    (["add", "--point", "ROV", "--code", "x_y", "--fi", "F", "--sv", "S", "--en", "E",
      "--area", "skills", "--user", "coach"], 1, [_("Your role does not allow this.")]),
])
def test_errors_are_clear(capsys, db, argv, status, words):
    code, _out, err = run(capsys, "queue-service", *argv, "--db", db)
    assert code == status, err
    for word in words:
        assert word in err


def test_service_point_services_reads_and_writes_the_register(capsys, db):
    code, out, _err = run(capsys, "service-point", "services", "ROV", "--db", db)
    assert (code, out.strip()) == (0, ",".join(rules.BUILT_IN_NAMES))
    run(capsys, "queue-service", "add", "--point", "ROV", "--code", "career_guidance",
        "--fi", "Opinto-ohjaus", "--sv", "Studiehandledning", "--en", "Career guidance",
        "--area", "skills", "--partner", "po-redu", "--db", db)
    code, out, _err = run(capsys, "service-point", "services", "ROV", "skills,information",
                          "--db", db)
    # The partner's service stays offered, after those named.
    assert (code, out.strip()) == (0, "skills,information,career_guidance")
    assert [(r["code"], r["active"]) for r in listed(capsys, db, "--all")][:4] == [
        ("skills", True), ("information", True), ("career_guidance", True),
        ("initial", False)]
    code, _out, err = run(capsys, "service-point", "services", "ROV", "skills,teleport",
                          "--db", db)
    assert code == 2 and "unknown services ['teleport']" in err
