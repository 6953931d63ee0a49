"""`event list` (a table or JSON: day, time, point, kind, title, seats, waiting) and
`event ics` (the year's file, parsed back), with the operator's mistakes told clearly."""

import json
import os
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from app import cli
from app.dto.events import EventInput, SessionInput
from tests.factories import Clock, add_people


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(services, tmp_path):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("coach", "demo")
    people = add_people(services)
    info = services.events.create(EventInput(
        service_point_id="sp-rov", kind="service_info", title="Palveluinfo", capacity="1",
        sessions=(SessionInput("3.3.2027", "13:00", "14:30"),)))
    services.events.register(info.row.id, people[0])
    services.events.register(info.row.id, people[1])
    services.events.create(EventInput(
        service_point_id="sp-rov", kind="recruitment", title="Rekrytointitapahtuma",
        sessions=(SessionInput("2027-04-14", "10:00", "12:00"),)))
    services.close()
    return tmp_path / "desk.sqlite3"


def test_list_as_table_and_json(db, capsys):
    code, out, err = run(capsys, "event", "list", "--from", "2027-03-01", "--to",
                         "31.3.2027", "--point", "rov", "--db", db)
    assert code == 0, err
    assert out.splitlines() == [
        "2027-03-03\t13:00–14:30\tRovaniemi – Osaamo\tservice_info\tPalveluinfo\t1/1\t1"]
    code, out, err = run(capsys, "event", "list", "--from", "2027-01-01", "--to",
                         "2027-12-31", "--json", "--db", db, "--user", "desk")
    assert code == 0, err
    data = json.loads(out)
    assert [(r["title"], r["registered"], r["capacity"], r["waiting"]) for r in data] == [
        ("Palveluinfo", 1, 1, 1), ("Rekrytointitapahtuma", 0, None, 0)]
    assert "Mäkelä" not in out  # the list of events names no customer


def test_ics_writes_a_file_that_parses_back(db, tmp_path, capsys):
    out_file = tmp_path / "vuosikello.ics"
    code, _out, err = run(capsys, "event", "ics", "--year", "2027", "--out", out_file,
                         "--db", db)
    assert code == 0, err
    events = Calendar.from_ical(out_file.read_bytes()).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == ["Palveluinfo",
                                                         "Rekrytointitapahtuma"]


@pytest.mark.parametrize(("args", "word"), [
    (["list", "--from", "2027-03-31", "--to", "2027-03-01"], "--to is before --from"),
    (["list", "--from", "eilen", "--to", "2027-03-01"], "--from: not a date"),
    (["list", "--from", "2027-03-01", "--to", "2027-03-31", "--point", "XYZ"],
     "no service point 'XYZ'"),
    (["ics", "--year", "ensi vuonna", "--out", "{tmp}/v.ics"], "--year"),
    (["ics", "--year", "2027", "--out", "{tmp}/missing/v.ics"], "no such folder"),
    (["ics", "--year", "2027", "--out", "{tmp}"], "is a folder"),
])
def test_operator_mistakes_are_told(db, tmp_path, capsys, args, word):
    argv = [a.format(tmp=tmp_path) for a in args]
    code, _out, err = run(capsys, "event", *argv, "--db", db)
    assert (code, word in err, "Traceback" in err) == (2, True, False), err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="a device that refuses writes")
def test_an_unwritable_out_file_is_told(db, capsys):
    code, _out, err = run(capsys, "event", "ics", "--year", "2027", "--out", "/dev/full",
                         "--db", db)
    assert code == 2 and "cannot write /dev/full" in err and "Traceback" not in err, err
