"""`provider import`: each bad row reported with its line and reason (in the operator's
language), the good rows kept, a known business ID updated rather than duplicated,
--dry-run writes nothing, exit statuses 0 / 1 / 2; and `provider list`."""

import json

from sqlalchemy import func, select

from app import cli
from app.dto.providers import ProviderInput
from app.models import AuditEvent, ServiceProvider
from app.rules import business_id
from app.services.customer_import import ImportFileError
from app.services.provider_import import check_row
from app.services.registry import Services

HEADER = "name,business_id,email,phone,contact_person,post_office\n"
GOOD = "Valmennus Oy,2077474-0,info@valmennus.fi,040 123 4567,Anna Aho,Rovaniemi\n"
GOOD2 = "Åbo Utbildning Ab,01120389,,,,\n"
BAD = {
    "wrong check digit": ("Tarkistus Oy,2077474-1,,,,\n", "business_id"),
    "remainder one": ("Jakojäännös Oy,0000006-1,,,,\n", "business_id"),
    "bad format": ("Muoto Oy,12345,,,,\n", "business_id"),
    "no name": (",1572860-0,,,,\n", "name"),
    "bad email": ("Posti Oy,1572860-0,info@,,,\n", "email"),
    "bad phone": ("Puhelin Oy,1572860-0,,12,,\n", "phone"),
    "duplicate": ("Kaksi Oy,2077474-0,,,,\n", "business_id"),
    "too long": ("N" * 201 + ",1572860-0,,,,\n", "name"),
}


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def providers(db_services):
    with db_services.ctx.session_factory() as s:
        return {p.business_id: p for p in s.scalars(select(ServiceProvider))}


def test_check_row_gives_each_reason():
    row = check_row(7, {"name": "X", "business_id": "0000006-0", "email": "", "phone": ""})
    assert row.action == "reject" and row.line == 7
    assert [(p.column, p.message) for p in row.problems] == [
        ("business_id", business_id.REMAINDER_ONE)]
    ok = check_row(3, {"name": " Y Oy ", "business_id": "20774740"})
    assert ok.action == "new" and ok.business_id == "2077474-0"
    assert ok.data == ProviderInput(name="Y Oy", business_id="20774740")


def test_bad_rows_reported_good_rows_kept(services, tmp_path, capsys):
    services.close()
    db, csv = tmp_path / "desk.sqlite3", tmp_path / "providers.csv"
    csv.write_text(HEADER + GOOD + "".join(row for row, _ in BAD.values()) + GOOD2,
                   encoding="utf-8")
    code, out, err = run(capsys, "provider", "import", csv, "--db", db, "--dry-run")
    assert code == 1 and "would create 2, update 0; rejected 8" in out
    lines = err.splitlines()
    for line_no, (kind, (_row, column)) in enumerate(BAD.items(), start=3):
        assert any(line.startswith(f"{csv}:{line_no}: {column}: ") for line in lines), kind
    # In the operator's language (Finnish by default): the customer import's messages.
    assert f"{csv}:6: name: Pakollinen tieto." in lines
    assert f"{csv}:9: business_id: Kaksoiskappale tiedostossa (rivi 2)." in lines
    check = Services.open(db, "check")
    try:
        assert providers(check) == {}  # the dry run wrote nothing
    finally:
        check.close()

    code, out, err = run(capsys, "provider", "import", csv, "--db", db)
    assert code == 1 and "created 2, updated 0, rejected 8" in out
    check = Services.open(db, "check")
    try:
        stored = providers(check)
        assert set(stored) == {"2077474-0", "0112038-9"}
        assert stored["2077474-0"].contact_person == "Anna Aho"
        with check.ctx.session_factory() as s:
            event = s.scalar(select(AuditEvent).where(AuditEvent.action == "provider.import"))
            assert event is not None and json.loads(event.detail) == {
                "created": 2, "updated": 0, "rejected": 8}
    finally:
        check.close()


def test_a_known_business_id_updates_and_a_clean_file_exits_0(services, tmp_path, capsys):
    services.close()
    db, csv = tmp_path / "desk.sqlite3", tmp_path / "p.csv"
    csv.write_text(HEADER + GOOD, encoding="utf-8")
    assert run(capsys, "provider", "import", csv, "--db", db)[0] == 0
    # Semicolons, as Finnish Excel saves; the ID unformatted; new phone, empty e-mail.
    csv.write_text("name;business_id;email;phone\r\nValmennus Oy Ab;20774740;;0401112222\r\n",
                   encoding="utf-8-sig")
    code, out, _err = run(capsys, "provider", "import", csv, "--db", db)
    assert code == 0 and "created 0, updated 1, rejected 0" in out
    check = Services.open(db, "check")
    try:
        with check.ctx.session_factory() as s:
            assert s.scalar(select(func.count()).select_from(ServiceProvider)) == 1
        p = providers(check)["2077474-0"]
        assert p.name == "Valmennus Oy Ab" and p.phone == "0401112222"
        assert p.email == "info@valmennus.fi"  # an empty cell keeps the stored value
    finally:
        check.close()
    code, out, _err = run(capsys, "provider", "list", "--db", db, "--json")
    assert code == 0 and [p["name"] for p in json.loads(out)] == ["Valmennus Oy Ab"]
    code, out, _err = run(capsys, "provider", "list", "--db", db)
    assert code == 0 and "2077474-0  Valmennus Oy Ab" in out


def test_an_unreadable_file_exits_2(services, tmp_path, capsys):
    services.close()
    db, csv = tmp_path / "desk.sqlite3", tmp_path / "p.csv"
    csv.write_text("name,email\nX,\n", encoding="utf-8")
    code, _out, err = run(capsys, "provider", "import", csv, "--db", db)
    assert code == 2 and "business_id" in err and "phone" in err
    csv.write_bytes(b"name,business_id,email,phone\n\xff\xfe,1,,\n")
    code, _out, err = run(capsys, "provider", "import", csv, "--db", db)
    assert code == 2 and "UTF-8" in err


def test_a_coach_may_not_import(services, tmp_path):
    services.auth.sign_in("coach", "demo")
    csv = tmp_path / "p.csv"
    csv.write_text(HEADER + GOOD, encoding="utf-8")
    from app.services.errors import PermissionDenied
    try:
        services.provider_import.preview(csv)
    except PermissionDenied:
        pass
    else:
        raise AssertionError("a coach previewed an import")
    assert ImportFileError  # the CLI's exit 2 class
