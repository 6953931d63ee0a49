"""`plan list` (a table or JSON, by customer and type) and `plan print` by a plan's id as
well as by a customer (the PDF read back)."""

import io
import json
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from app import cli
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
    employment = services.plans.create_plan(people[0], "employment")
    multi = services.plans.create_plan(people[0], "multi_professional")
    integration = services.plans.create_plan(people[1], "integration")
    services.close()
    return {"path": tmp_path / "desk.sqlite3", "people": people, "employment": employment,
            "multi": multi, "integration": integration}


def test_list_as_table_and_json(db, capsys):
    code, out, err = run(capsys, "plan", "list", "--db", db["path"], "--user", "coach")
    assert code == 0, err
    header, *lines = out.splitlines()
    assert header.split("\t")[:2] == ["customer_number", "plan_type"]
    assert len(lines) == 3
    assert {line.split("\t")[1] for line in lines} == {"employment", "multi_professional",
                                                       "integration"}
    code, out, err = run(capsys, "plan", "list", "--type", "multi_professional", "--json",
                         "--db", db["path"], "--user", "coach")
    assert code == 0, err
    data = json.loads(out)
    assert [(r["plan_type"], r["status"], r["version"], r["version_id"]) for r in data] == [
        ("multi_professional", "draft", 1, db["multi"].id)]
    assert data[0]["customer_id"] == db["people"][0]
    assert "Mäkelä" not in out  # ids and numbers, no names


def test_list_by_customer_and_unknown_customer(db, capsys):
    code, out, err = run(capsys, "plan", "list", "--customer", db["people"][1], "--json",
                         "--db", db["path"], "--user", "coach")
    assert code == 0, err
    assert [r["plan_type"] for r in json.loads(out)] == ["integration"]
    code, out, err = run(capsys, "plan", "list", "--customer", "XX-0000", "--db", db["path"])
    assert code == 2 and "asiakasta" in err


def test_print_by_plan_id_and_by_customer(db, tmp_path, capsys):
    out_file = tmp_path / "plan.pdf"
    code, _out, err = run(capsys, "plan", "print", db["multi"].row.plan_id, "--lang", "en",
                          "--out", out_file, "--db", db["path"], "--user", "coach")
    assert code == 0, err
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out_file.read_bytes()))
                    .pages)
    assert "Multi-professional employment plan" in " ".join(text.split())
    code, _out, err = run(capsys, "plan", "print", db["integration"].id, "--lang", "fi",
                          "--out", out_file, "--db", db["path"], "--user", "coach")
    assert code == 0, err
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out_file.read_bytes()))
                    .pages)
    assert "Kotoutumissuunnitelma" in text
    code, _out, err = run(capsys, "plan", "print", db["people"][1], "--out", out_file,
                          "--db", db["path"], "--user", "coach")
    assert code == 0, err
