"""`partner list|add|people|person-add` and `consent list|add|withdraw` (#24): tables and
JSON, the acting user's rights, and the operator's mistakes told clearly."""

import json
from datetime import date

import pytest

from app import cli
from app.rules import hetu
from tests.factories import customer_input

HETU = hetu.make(date(1985, 3, 12), 124)


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(services, tmp_path):
    services.auth.sign_in("coach", "demo")
    services.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    services.close()
    return tmp_path / "desk.sqlite3"


def test_the_register_from_the_command_line(db, capsys):
    code, out, err = run(capsys, "partner", "add", "--name", "Kela Rovaniemi", "--kind", "kela",
                         "--phone", "020 692 207", "--db", db, "--user", "coach")
    assert code == 0, err
    kela = out.strip()
    code, out, err = run(capsys, "partner", "person-add", "--org", "kela rovaniemi",
                         "--name", "Sari Suomela", "--title", "Etuusasiantuntija", "--db", db)
    assert code == 0, err
    person = out.strip()
    code, out, err = run(capsys, "partner", "list", "--db", db)
    assert code == 0, err
    assert out.startswith(f"{kela}  Kela Rovaniemi  Kela  people 1  020692207")
    code, out, err = run(capsys, "partner", "list", "--json", "--db", db)
    (row,) = json.loads(out)
    assert (row["id"], row["kind"], row["people"]) == (kela, "kela", 1)
    code, out, err = run(capsys, "partner", "people", "--org", kela, "--json", "--db", db)
    (row,) = json.loads(out)
    assert (row["id"], row["full_name"], row["org_name"]) == (
        person, "Sari Suomela", "Kela Rovaniemi")
    code, out, err = run(capsys, "partner", "people", "--db", db)
    assert "Sari Suomela  Etuusasiantuntija  Kela Rovaniemi" in out


def test_consents_from_the_command_line(db, capsys):
    _code, out, _err = run(capsys, "partner", "add", "--name", "Ohjaamo", "--kind", "ohjaamo",
                           "--db", db)
    code, out, err = run(capsys, "consent", "add", "--customer", HETU, "--partner", "Ohjaamo",
                         "--info", "plan,contact", "--purpose", "Monialainen suunnitelma",
                         "--how", "signed", "--from", "2026-01-05", "--db", db,
                         "--user", "coach")
    assert code == 0, err
    consent = out.strip()
    code, out, err = run(capsys, "consent", "list", "--customer", HETU, "--json", "--db", db)
    (row,) = json.loads(out)
    assert (row["id"], row["information"], row["given_how"], row["valid_from"],
            row["in_force"], row["recorded_by_name"]) == (
        consent, ["contact", "plan"], "signed", "2026-01-05", True, "Pekka Ylitalo")
    code, out, err = run(capsys, "consent", "list", "--customer", HETU, "--db", db)
    assert "Ohjaamo  2026-01-05..  in force" in out
    code, out, err = run(capsys, "consent", "withdraw", consent, "--on", "2026-02-01",
                         "--db", db, "--user", "coach")
    assert code == 0, err
    assert out.strip() == f"{consent} withdrawn 2026-02-01"
    code, out, err = run(capsys, "consent", "withdraw", consent, "--db", db)
    assert code == 1 and "error:" in err


def test_mistakes_and_refusals_are_told(db, capsys):
    code, _out, err = run(capsys, "partner", "add", "--name", "Kela", "--kind", "kela",
                          "--db", db, "--user", "desk")
    assert code == 1 and "error:" in err
    code, _out, err = run(capsys, "consent", "add", "--customer", HETU, "--partner", "Nobody",
                          "--info", "plan", "--purpose", "x", "--db", db)
    assert code == 2 and "no partner organisation 'Nobody'" in err
    code, _out, err = run(capsys, "partner", "add", "--name", "Kela", "--kind", "kela",
                          "--db", db)
    code, _out, err = run(capsys, "consent", "add", "--customer", HETU, "--partner", "Kela",
                          "--info", "plan,shoe_size", "--purpose", "x", "--db", db)
    assert code == 2 and "unknown information shoe_size" in err
    code, _out, err = run(capsys, "consent", "add", "--customer", HETU, "--partner", "Kela",
                          "--info", "plan", "--purpose", "x", "--from", "2026-03-01",
                          "--until", "2026-02-01", "--db", db)
    assert code == 1 and "valid_until" in err


def test_the_figures_by_name(db, capsys):
    run(capsys, "partner", "add", "--name", "Ohjaamo", "--kind", "ohjaamo", "--db", db)
    run(capsys, "consent", "add", "--customer", HETU, "--partner", "Ohjaamo", "--info", "plan",
        "--purpose", "x", "--from", "2026-01-05", "--db", db)
    code, out, err = run(capsys, "report", "partner_consents", "--from", "2026-01-01",
                         "--to", "2026-01-31", "--format", "csv", "--lang", "en", "--db", db)
    assert code == 0, err
    assert "Ohjaamo;1;0;1" in out
    for name in ("partner_meetings", "plans_by_type"):
        code, _out, err = run(capsys, "report", name, "--from", "2026-01-01",
                              "--to", "2026-01-31", "--db", db)
        assert code == 0, err
