"""`customer import`: each kind of bad row reported with its line and reason, the good
rows imported, --dry-run writes nothing, --update updates, exit statuses 0 / 1 / 2; and
`customer show --json` with the coach, groups and the statutory clock."""

import json
from datetime import date, timedelta

from sqlalchemy import func, select

from app import cli, i18n
from app.models import CoachAssignment, Customer, utcnow
from app.rules import hetu

HEADER = ("hetu,first_name,last_name,birth_date,home_municipality,language,phone,email,"
          "registered_on,unemployed_since,coach_username\n")
GOOD = ("131052-308T,Aino,Mäkelä,,Rovaniemi,fi,040 123 4567,aino@example.fi,2026-11-02,"
        "2026-11-01,coach\n")
GOOD2 = ",Áilu,Aikio,1.2.1990,Ranua,se,,,24.11.2026,,\n"
BAD = {
    "bad checksum": "131052-308X,Bad,Checksum,,Rovaniemi,fi,,,,,\n",
    # Born two years after today on the CLI's clock (the wall clock: its context clock).
    "future birth date": f"{hetu.make(utcnow().date() + timedelta(days=730), 2)},Future,Born,,"
                         "Rovaniemi,fi,,,,,\n",
    "unknown century sign": "131052G308T,Weird,Sign,,Rovaniemi,fi,,,,,\n",
    "duplicate in the file": "131052-308T,Dup,Licate,,Rovaniemi,fi,,,,,\n",
    "unknown coach": ",No,Coach,1990-01-01,Ranua,fi,,,,,nobody\n",
    "malformed date": ",Bad,Date,31.2.1990,Ranua,fi,,,,,\n",
    "over-long field": "," + "L" * 121 + ",Long,1990-01-01,Rovaniemi,fi,,,,,\n",
}
EXPECTED = {
    "bad checksum": "hetu: Tarkistusmerkki ei täsmää",
    "future birth date": "hetu: Syntymäaika on tulevaisuudessa",
    "unknown century sign": "hetu: Henkilötunnuksen välimerkki on tuntematon",
    "duplicate in the file": "hetu: Kaksoiskappale tiedostossa (rivi 2)",
    "unknown coach": "coach_username: Omavalmentajaa ei löytynyt",
    "malformed date": "birth_date: Ei päivämäärä",
    "over-long field": "first_name: Liian pitkä: enintään 120 merkkiä",
}


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def customers(services):
    with services.ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Customer))


def test_every_kind_of_bad_row_is_reported_and_good_rows_kept(services, tmp_path, capsys):
    services.close()
    db, csv = tmp_path / "desk.sqlite3", tmp_path / "people.csv"
    csv.write_text(HEADER + GOOD + "".join(BAD.values()) + GOOD2, encoding="utf-8")
    code, out, err = run(capsys, "customer", "import", csv, "--db", db, "--dry-run")
    assert code == 1 and "would create 2" in out
    lines = err.splitlines()
    for line_no, kind in enumerate(BAD, start=3):
        assert any(line.startswith(f"{csv}:{line_no}: {EXPECTED[kind]}") for line in lines), kind
    from app.services.registry import Services

    check = Services.open(db)
    assert customers(check) == 0  # a dry run writes nothing
    check.close()
    code, out, _err = run(capsys, "customer", "import", csv, "--db", db)
    assert code == 1 and out.startswith("created 2, updated 0, rejected 7")
    check = Services.open(db)
    with check.ctx.session_factory() as s:
        aino = s.scalar(select(Customer).where(Customer.hetu == "131052-308T"))
        assert aino.coach_id == "staff-coach" and aino.unemployed_since == date(2026, 11, 1)
        assert s.scalar(select(func.count()).select_from(CoachAssignment)) == 1
        assert s.scalar(select(Customer.language).where(Customer.last_name == "Aikio")) == "se"
    check.close()
    # Again: the identity code is now in the register; --update updates it instead.
    csv.write_text(HEADER + GOOD.replace("Aino", "Aino Maria"), encoding="utf-8")
    code, _out, err = run(capsys, "customer", "import", csv, "--db", db)
    assert code == 1 and "Jo rekisterissä" in err
    code, out, _err = run(capsys, "customer", "import", csv, "--db", db, "--update")
    assert code == 0 and out.startswith("created 0, updated 1, rejected 0")
    code, out, _err = run(capsys, "customer", "show", "131052-308T", "--db", db, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["first_names"] == "Aino Maria"
    assert shown["coach"]["name"] == "Pekka Ylitalo"
    assert isinstance(shown["groups"], list) and shown["days_unemployed"] >= 1
    assert shown["hundred_day_date"] and shown["deadlines"][0]["source"]


def test_an_unreadable_file_exits_2(services, tmp_path, capsys):
    i18n.set_language("en")  # the messages are checked in English
    services.close()
    db = tmp_path / "desk.sqlite3"
    code, _out, err = run(capsys, "customer", "import", tmp_path / "none.csv", "--db", db)
    assert code == 2 and "cannot be read" in err
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + ",Äijä,Öljy,1990-01-01,Ranua,fi,,,,,\n").encode("latin-1"))
    code, _out, err = run(capsys, "customer", "import", latin, "--db", db)
    assert code == 2 and "UTF-8" in err
    headless = tmp_path / "headless.csv"
    headless.write_text("131052-308T,Aino,Mäkelä\n", encoding="utf-8")
    code, _out, err = run(capsys, "customer", "import", headless, "--db", db)
    assert code == 2 and "first_name" in err
