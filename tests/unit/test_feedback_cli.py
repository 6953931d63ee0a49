"""`python -m app.cli feedback report`: the period's figures, as JSON or a table."""

import json

from app import cli
from app.services.feedback import FeedbackAnswer
from tests.factories import Clock, open_services


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_feedback_report(capsys, tmp_path):
    services = open_services(tmp_path)
    services.ctx.now = Clock()  # 24.11.2026
    for score, recommend in ((5, 10), (4, None), (1, 0)):
        services.feedback.record_at_kiosk("sp-rov", FeedbackAnswer(score, recommend))
    services.close()
    db = str(tmp_path / "desk.sqlite3")
    code, out, _err = run(capsys, "feedback", "report", "--db", db, "--from", "2026-11-01",
                          "--to", "2026-11-30", "--json", "--user", "lead")
    assert code == 0
    report = json.loads(out)
    # 2 of 3 satisfied; mean 10/3; NPS one promoter, one detractor of two -> 0.
    assert report["total"] == {"answers": 3, "satisfaction": 66.7, "nps": 0.0,
                               "mean": 3.33, "recommend_answers": 2}
    assert [r["key"] for r in report["week"]] == ["2026-W48"]
    assert report["workers"]["rows"] == []

    code, out, _err = run(capsys, "feedback", "report", "--db", db, "--from", "2026-11-01",
                          "--to", "2026-11-30")
    assert code == 0 and "Rovaniemi" in out and "66.7" in out

    code, _out, err = run(capsys, "feedback", "report", "--db", db, "--from", "2026-12-01",
                          "--to", "2026-11-30")
    assert code == 2 and "error" in err  # the operator's mistake
    code, _out, err = run(capsys, "feedback", "report", "--db", db, "--from", "1.12.2026",
                          "--to", "2026-11-30")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _out, err = run(capsys, "feedback", "report", "--db", db, "--from", "2026-11-01",
                          "--to", "2026-11-30", "--user", "desk")
    assert code == 1 and err
