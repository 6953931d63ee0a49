"""`python -m app.cli appointment letter|reminders` on a small demo database."""

import csv
import io
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from app import cli
from app.db.engine import local_engine
from app.services.appointments import REMINDER_COLUMNS


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_letter_and_reminders(capsys, tmp_path):
    db = str(tmp_path / "d.sqlite3")
    assert run(capsys, "demo", "--db", db, "--scale", "0.02")[0] == 0
    engine = local_engine(Path(db))  # the file is encrypted: opened with its key
    with engine.connect() as conn:
        appointment_id, starts = conn.exec_driver_sql(
            "SELECT id, starts_at FROM appointment WHERE status = 'booked' "
            "ORDER BY starts_at LIMIT 1").fetchone()
        hours = conn.exec_driver_sql(  # the weekly rows (not the Ranua visiting days)
            "SELECT count(*) FROM working_hours WHERE valid_to IS NULL").fetchone()[0]
        # A partner's account (#24) books no one and has no calendar of its own.
        staff = conn.exec_driver_sql(
            "SELECT count(*) FROM staff WHERE role <> 'partner'").fetchone()[0]
    engine.dispose()
    assert hours == 5 * staff  # every demo worker has working hours, Monday to Friday

    out = tmp_path / "kirje.pdf"
    code, printed, _err = run(capsys, "appointment", "letter", appointment_id, "--db", db,
                              "--out", str(out), "--lang", "sv")
    assert code == 0 and printed.strip() == str(out)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert any(day in text for day in ("måndag", "tisdag", "onsdag", "torsdag", "fredag"))

    day = date.fromisoformat(starts[:10])
    csv_path = tmp_path / "r.csv"
    code, printed, _err = run(capsys, "appointment", "reminders", "--db", db, "--date",
                              day.isoformat(), "--out", str(csv_path))
    assert code == 0 and "written" in printed
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == REMINDER_COLUMNS and len(rows) > 1

    code, _out, err = run(capsys, "appointment", "letter", "nope", "--db", db, "--out",
                          str(out))
    assert code == 2 and "error:" in err  # no such appointment: the operator's mistake
    code, _out, err = run(capsys, "appointment", "reminders", "--db", db, "--date",
                          day.isoformat(), "--out", str(csv_path), "--service-point", "XX")
    assert code == 2 and "RAN" in err
