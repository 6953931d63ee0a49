"""`employer import`: each bad row reported as FILE:LINE: column: reason (in the operator's
language), the good rows kept, exit status 1 when any row was refused (2 when the file
cannot be read), a known business ID updated rather than duplicated, one contact person
per row (another row of the employer adds one or updates the one of that name), and
--dry-run writes nothing."""

from sqlalchemy import select

from app import cli
from app.dto.employers import EmployerInput
from app.models import AuditEvent, Employer, EmployerPerson
from app.rules import business_id
from app.services import employers as service
from app.services.employer_import import (
    PERSON_NAME,
    UNKNOWN_STAFF,
    UNKNOWN_TEAM,
    check_row,
    industry_letter,
)
from app.services.registry import Services

HEADER = ("business_id;name;industry;municipality;size_class;team;contact_staff;email;"
          "person_name;person_role;person_phone;person_email\r\n")
GOOD = [
    # line 2: a new employer with its first contact person
    "2077474-0;Äkäslompolon Kelo Oy;55101;Kolari;small;Työnvälitys;coach;info@kelo.fi;"
    "Maija Mänty;HR;040 765 4321;maija@kelo.fi\r\n",
    # line 3: the same employer (another spelling of its ID): a second person
    "FI20774740;Äkäslompolon Kelo Oy;I;Kolari;;;;;Pekka Puu;toimitusjohtaja;;\r\n",
    # line 4: the same again: Maija's role updated (her name matched without case)
    "20774740;Äkäslompolon Kelo Oy;I;Kolari;;;;;maija mänty;HR-päällikkö;;\r\n",
    # line 5: another employer, no person
    '0112038-9;"Ranuan Saha; Puu Oy";c;Ranua;large;;;;;;;\r\n',
]
BAD = {
    "wrong check digit": ("2077474-1;Tarkistus Oy;C;Ranua;;;;;;;;\r\n", "business_id"),
    "remainder one": ("0000006-1;Jakojäännös Oy;C;Ranua;;;;;;;;\r\n", "business_id"),
    "bad format": ("12345;Muoto Oy;C;Ranua;;;;;;;;\r\n", "business_id"),
    "no name": ("1572860-0;;C;Ranua;;;;;;;;\r\n", "name"),
    "no municipality": ("1572860-0;Kunta Oy;C;;;;;;;;;\r\n", "municipality"),
    "bad industry": ("1572860-0;Toimiala Oy;Z;Ranua;;;;;;;;\r\n", "industry"),
    "bad size": ("1572860-0;Koko Oy;C;Ranua;huge;;;;;;;\r\n", "size_class"),
    "unknown team": ("1572860-0;Tiimi Oy;C;Ranua;;Ei tiimiä;;;;;;\r\n", "team"),
    "desk is no contact": ("1572860-0;Tiski Oy;C;Ranua;;;desk;;;;;\r\n", "contact_staff"),
    "bad email": ("1572860-0;Posti Oy;C;Ranua;;;;info@;;;;\r\n", "email"),
    "person without name": ("1572860-0;Henkilö Oy;C;Ranua;;;;;;HR;;\r\n", "person_name"),
    "person's phone": ("1572860-0;Puhelin Oy;C;Ranua;;;;;Anna Aho;;12;\r\n",
                       "person_phone"),
    "too long": ("1572860-0;" + "N" * 201 + ";C;Ranua;;;;;;;;\r\n", "name"),
}


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def stored(db):
    check = Services.open(db, "check")
    try:
        with check.ctx.session_factory() as s:
            employers = {e.business_id: e for e in s.scalars(select(Employer))}
            persons = {(p.employer_id, p.name): p for p in s.scalars(select(EmployerPerson))}
            events = list(s.scalars(select(AuditEvent).where(
                AuditEvent.action == "employer.import")))
            s.expunge_all()
        return employers, persons, events
    finally:
        check.close()


def test_industry_as_a_letter_or_a_code():
    assert [industry_letter(t) for t in ("i", " I ", "I Majoitus", "55101", "01", "47.11",
                                         "99000", "00", "Z", "")] == [
        "I", "I", "I", "I", "A", "G", "U", "00", "Z", ""]


def test_check_row_gives_each_reason():
    row = check_row(7, {"business_id": "0000006-0", "name": "X", "industry": "C",
                        "municipality": "Ranua", "person_role": "HR"})
    assert row.action == "reject" and row.line == 7
    assert [(p.column, p.message) for p in row.problems] == [
        ("business_id", business_id.REMAINDER_ONE), ("person_name", PERSON_NAME)]
    row = check_row(3, {"business_id": "20774740", "name": " Y Oy ", "industry": "55",
                        "municipality": "Ranua", "team": "Tiimi", "contact_staff": "Coach"},
                    teams={"tiimi": "team-1"}, staff={"coach": "staff-coach"})
    assert row.action == "new" and row.business_id == "2077474-0" and row.person is None
    assert row.data == EmployerInput(business_id="20774740", name="Y Oy", industry="I",
                                     municipality="Ranua", team_id="team-1",
                                     contact_staff_id="staff-coach")
    row = check_row(4, {"business_id": "20774740", "name": "Y", "industry": "",
                        "municipality": "Ranua", "team": "Muu", "contact_staff": "x"})
    assert [(p.column, p.message) for p in row.problems] == [
        ("team", UNKNOWN_TEAM), ("contact_staff", UNKNOWN_STAFF)]


def test_bad_rows_reported_good_rows_kept_and_updated_not_duplicated(services, tmp_path,
                                                                      capsys):
    services.close()
    db, csv = tmp_path / "desk.sqlite3", tmp_path / "employers.csv"
    text = HEADER + "".join(GOOD) + "".join(row for row, _ in BAD.values())
    csv.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # as Excel saves it
    code, out, err = run(capsys, "employer", "import", csv, "--db", db, "--dry-run",
                         "--user", "coach")
    assert code == 1 and f"would create 2, update 0; rejected {len(BAD)}" in out
    lines = err.splitlines()
    first_bad = len(GOOD) + 2
    for line_no, (kind, (_row, column)) in enumerate(BAD.items(), start=first_bad):
        assert any(line.startswith(f"{csv}:{line_no}: {column}: ") for line in lines), kind
    # Every refused row says why (and the good rows nothing).
    assert {int(line.split(":")[1]) for line in lines} == set(
        range(first_bad, first_bad + len(BAD)))
    # In the operator's language (Finnish by default).
    assert f"{csv}:{first_bad + 3}: name: Pakollinen tieto." in lines
    assert stored(db)[0] == {}  # the dry run wrote nothing

    code, out, err = run(capsys, "employer", "import", csv, "--db", db, "--user", "coach")
    assert code == 1
    assert (f"created 2, updated 0, rejected {len(BAD)}; contact persons added 2, "
            "updated 1") in out
    employers, persons, events = stored(db)
    assert set(employers) == {"2077474-0", "0112038-9"}
    kelo, saha = employers["2077474-0"], employers["0112038-9"]
    assert (kelo.industry, kelo.size_class.value, kelo.municipality, kelo.team_id,
            kelo.contact_staff_id, kelo.email) == (
        "I", "small", "Kolari", "team-1", "staff-coach", "info@kelo.fi")
    assert (saha.name, saha.industry, saha.size_class.value) == (
        "Ranuan Saha; Puu Oy", "C", "large")
    assert set(persons) == {(kelo.id, "Maija Mänty"), (kelo.id, "Pekka Puu")}
    maija = persons[(kelo.id, "Maija Mänty")]
    assert (maija.role, maija.phone, maija.email) == ("HR-päällikkö", "040 765 4321",
                                                      "maija@kelo.fi")
    assert len(events) == 1 and "Mänty" not in (events[0].detail or "")

    # Again, with a changed name and an empty cell: updated, not duplicated, the empty
    # cell keeps what is stored.
    csv.write_text(HEADER + "2077474-0;Kelo Oy;I;Kolari;;;;;Maija Mänty;;;\r\n",
                   encoding="utf-8")
    code, out, err = run(capsys, "employer", "import", csv, "--db", db, "--user", "coach")
    assert code == 0 and err == ""
    assert "created 0, updated 1, rejected 0; contact persons added 0, updated 1" in out
    employers, persons, _events = stored(db)
    assert len(employers) == 2 and employers["2077474-0"].name == "Kelo Oy"
    assert employers["2077474-0"].email == "info@kelo.fi"
    assert employers["2077474-0"].id == service.employer_id_of("2077474-0")
    assert len(persons) == 2 and persons[(kelo.id, "Maija Mänty")].role == "HR-päällikkö"


def test_an_unreadable_file_or_missing_column_exits_2(services, tmp_path, capsys):
    services.close()
    db, csv = tmp_path / "desk.sqlite3", tmp_path / "employers.csv"
    csv.write_text("business_id,name,municipality\n2077474-0,Kelo Oy,Kolari\n",
                   encoding="utf-8")
    code, _out, err = run(capsys, "employer", "import", csv, "--db", db)
    assert code == 2 and "industry" in err
    csv.write_bytes(b"business_id,name,industry,municipality\n\xff\xfe,x,C,y\n")
    code, _out, err = run(capsys, "employer", "import", csv, "--db", db)
    assert code == 2 and "UTF-8" in err
    assert stored(db)[0] == {}


def test_the_desk_cannot_import(services, tmp_path, capsys):
    services.close()
    db, csv = tmp_path / "desk.sqlite3", tmp_path / "employers.csv"
    csv.write_text(HEADER + GOOD[0], encoding="utf-8")
    code, _out, err = run(capsys, "employer", "import", csv, "--db", db, "--user", "desk")
    assert code == 1 and err.strip()
    assert stored(db)[0] == {}
