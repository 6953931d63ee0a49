"""The command-line contract: clear errors, non-zero exits, and what each command does."""

import json

import pytest

from app import cli


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_missing_database_is_a_clear_error(capsys, tmp_path):
    code, _out, err = run(capsys, "customer", "show", "x", "--db", str(tmp_path / "no.db"))
    assert code == 2 and "no database" in err


def test_demo_then_show_then_digest(capsys, tmp_path):
    db = str(tmp_path / "d.sqlite3")
    code, out, _err = run(capsys, "demo", "--db", db, "--scale", "0.02")
    assert code == 0 and json.loads(out)["customers"] > 0
    code, _out, err = run(capsys, "demo", "--db", db)
    assert code == 1 and "already has customers" in err
    from app.services.registry import Services

    services = Services.open(tmp_path / "d.sqlite3")
    services.auth.sign_in("admin", "demo")
    row = services.customers.page("").rows[0]
    services.close()
    code, out, _err = run(capsys, "customer", "show", row.customer_number, "--db", db, "--json")
    assert code == 0 and json.loads(out)["id"] == row.id
    code, out, _err = run(capsys, "db", "digest", "--db", db)
    digests = json.loads(out)
    assert code == 0 and len(digests["customer"]) == 64
    code, _out, err = run(capsys, "db", "digest")
    assert code == 2 and "either --db" in err


def test_service_point_services(capsys, tmp_path):
    db = str(tmp_path / "d.sqlite3")
    run(capsys, "demo", "--db", db, "--scale", "0.02")
    code, out, _err = run(capsys, "service-point", "services", "RAN", "--db", db)
    assert code == 0 and out.strip() == "information,initial,finding_work"
    code, out, _err = run(capsys, "service-point", "services", "RAN", "information,skills",
                          "--db", db)
    assert code == 0 and out.strip() == "information,skills"
    code, _out, err = run(capsys, "service-point", "services", "RAN", "teleport", "--db", db)
    assert code == 2 and "unknown services" in err


def test_bad_arguments_exit_non_zero():
    with pytest.raises(SystemExit) as caught:
        cli.main(["demo", "--db", "x", "--scale", "0"])
    assert caught.value.code == 2
