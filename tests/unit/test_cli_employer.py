"""`employer show YTUNNUS --json`: the employer, its contact persons, open vacancies and
the last ten contacts (the desk's user gets no persons nor contacts); `employer list`
with a query, as JSON and as text."""

import json
from datetime import UTC, datetime, timedelta

from app import cli
from app.dto.employers import ContactInput, EmployerInput, PersonInput
from app.models import Vacancy
from app.rules.codes import VacancyStatus
from app.rules.permissions import Permission
from tests.factories import Clock


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def fill(services):
    """Two employers; the first with a person, two vacancies (one open) and 12 contacts."""
    services.ctx.now = Clock(datetime.now(UTC))
    services.auth.sign_in("coach", "demo")
    today = services.ctx.today()
    e = services.employers
    kelo = e.save_employer(EmployerInput(business_id="2077474-0", name="Kelo Oy",
                                         municipality="Kolari", industry="I",
                                         phone="016 123 456", contact_staff_id="staff-lead"))
    e.save_employer(EmployerInput(business_id="0112038-9", name="Ranuan Saha Oy",
                                  municipality="Ranua", industry="C"))
    person = e.save_person(kelo.id, PersonInput("Maija Mänty", "HR", "", "maija@kelo.fi"))
    for days in range(12):
        e.record_contact(kelo.id, ContactInput(today - timedelta(days=days * 7), "visit",
                                               "recruitment", person.id))
    with services.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
        for title, status in (("Kokki", VacancyStatus.OPEN),
                              ("Siivooja", VacancyStatus.FILLED)):
            s.add(Vacancy(employer_id=kelo.id, title=title, municipality="Kolari",
                          status=status, opened_on=today - timedelta(days=30),
                          positions=2))
    services.close()
    return today


def test_show_json_and_list(services, tmp_path, capsys):
    today = fill(services)
    db = tmp_path / "desk.sqlite3"
    code, out, err = run(capsys, "employer", "show", "FI20774740", "--json", "--db", db,
                         "--user", "coach")
    assert code == 0, err
    data = json.loads(out)
    assert (data["business_id"], data["name"], data["municipality"], data["phone"],
            data["contact_staff_name"], data["open_vacancy_count"]) == (
        "2077474-0", "Kelo Oy", "Kolari", "016 123 456", "Liisa Lead", 1)
    assert [p["name"] for p in data["persons"]] == ["Maija Mänty"]
    assert [(v["title"], v["status"], v["positions"]) for v in data["open_vacancies"]] == [
        ("Kokki", "open", 2)]
    assert len(data["contacts"]) == 10  # the last ten, newest first
    assert data["contacts"][0]["contacted_on"] == today.isoformat()
    assert data["contacts"][0]["person_name"] == "Maija Mänty"
    assert data["last_contact_on"] == today.isoformat()
    assert data["first_contact_on"] == (today - timedelta(days=77)).isoformat()

    # The desk looks employers up: no contact persons, no contacts.
    code, out, _err = run(capsys, "employer", "show", "2077474-0", "--json", "--db", db,
                          "--user", "desk")
    desk = json.loads(out)
    assert code == 0 and desk["persons"] == [] and desk["contacts"] == []
    assert desk["open_vacancies"][0]["title"] == "Kokki"

    code, out, _err = run(capsys, "employer", "show", "2077474-0", "--db", db)
    assert code == 0 and out.startswith("2077474-0  Kelo Oy") and "Maija Mänty" in out

    code, out, _err = run(capsys, "employer", "list", "--json", "--db", db)
    assert code == 0
    assert [r["name"] for r in json.loads(out)] == ["Kelo Oy", "Ranuan Saha Oy"]
    code, out, _err = run(capsys, "employer", "list", "--query", "ranuan", "--db", db)
    assert code == 0 and out.splitlines() == [
        "0112038-9  Ranuan Saha Oy  C  Ranua  open vacancies 0"]
    code, out, _err = run(capsys, "employer", "list", "--query", "0112", "--json",
                          "--db", db)
    assert [r["business_id"] for r in json.loads(out)] == ["0112038-9"]


def test_show_an_unknown_employer(services, tmp_path, capsys):
    services.close()
    db = tmp_path / "desk.sqlite3"
    code, _out, err = run(capsys, "employer", "show", "1234567-8", "--db", db)
    assert code == 2 and "no employer '1234567-8'" in err
