"""The command line speaks to operators: a wrong or missing argument or a missing setting
ends with a clear message and exit status 2 (1 for a refused operation), never with a
Python traceback. Every subcommand is tried; a new one without a row here fails."""

from __future__ import annotations

import argparse
import io

import pytest

from app import cli
from tests.factories import open_services

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # port 1: refused at once

# (subcommand, arguments with something wrong, expected status, a word of the message).
# {db} is a workstation database with an organisation and no customers; {tmp} a folder.
WRONG = [
    (("demo",), ["--db", "{db}", "--scale", "0"], 2, "--scale"),
    (("customer", "show"), ["X", "--db", "{tmp}/none.sqlite3"], 2, "no database"),
    (("customer", "show"), ["NOPE", "--db", "{db}"], 2, "asiakas"),
    (("customer", "import"), ["{tmp}/missing.csv", "--db", "{db}"], 2, "missing.csv"),
    (("provider", "import"), ["{tmp}/missing.csv", "--db", "{db}"], 2, "missing.csv"),
    (("provider", "list"), ["--db", "{tmp}/none.sqlite3"], 2, "no database"),
    (("employer", "import"), ["{tmp}/missing.csv", "--db", "{db}"], 2, "missing.csv"),
    (("employer", "show"), ["NOPE", "--db", "{db}", "--json"], 2, "no employer 'NOPE'"),
    (("employer", "list"), ["--db", "{tmp}/none.sqlite3", "--json"], 2, "no database"),
    (("employer", "erase-persons"), ["--db", "{tmp}/none.sqlite3"], 2, "no database"),
    (("referral", "list"), ["--customer", "NOPE", "--db", "{db}"], 2, "asiakas"),
    (("decision", "list"), ["--customer", "NOPE", "--db", "{db}"], 2, "asiakas"),
    (("customer", "extract"), ["NOPE", "--db", "{db}", "--out", "x.txt"], 2, ".json or .pdf"),
    (("customer", "erase"), ["NOPE", "--db", "{db}"], 2, "asiakas"),
    (("customer", "merge"), ["NOPE", "NADA", "--db", "{db}", "--yes"], 2, "asiakas"),
    (("customer", "close"), ["NOPE", "--reason", "fired", "--on", "2026-11-24", "--db",
                             "{db}"], 2, "employed_open_market"),
    (("customer", "reopen"), ["NOPE", "--on", "24.13.2026", "--db", "{db}"], 2, "--on"),
    (("targets", "show"), ["--year", "20x6", "--db", "{db}"], 2, "--year"),
    (("targets", "set"), ["caseload_max", "lots", "--year", "2026", "--db", "{db}"], 2,
     "not a number"),
    (("plan", "print"), ["NOPE", "--db", "{db}", "--out", "{tmp}/p.pdf"], 2, "asiakas"),
    (("report",), ["visits_by_point", "--db", "{db}", "--from", "2026-11-30", "--to",
                   "2026-11-01", "--format", "csv", "--out", "{tmp}/r.csv"], 2, "--to"),
    (("report",), ["purchased_effect", "--db", "{db}", "--from", "2026-01-01", "--to",
                   "2026-12-31", "--format", "xlsx"], 2, "--out"),
    # The quarterly export (#25): a quarter 1-4 of a year; a report over dates needs them.
    (("report",), ["quarterly", "--db", "{db}", "--year", "2026", "--quarter", "5"], 2,
     "--quarter 1, 2, 3 or 4"),
    (("report",), ["quarterly", "--db", "{db}", "--quarter", "4"], 2, "--year"),
    (("report",), ["quarterly", "--db", "{db}", "--year", "2099", "--quarter", "1"], 2,
     "--year/--quarter"),
    (("report",), ["visits_by_point", "--db", "{db}", "--to", "2026-11-01"], 2, "--from"),
    (("central", "init"), ["not a url"], 2, "URL"),
    (("central", "messenger-login"), ["not a url", "--username", "messenger"], 2,
     "not a database address"),
    (("sync",), ["--db", "{tmp}/new.sqlite3", "--central", UNREACHABLE, "--once"], 2,
     "cannot reach"),
    (("sync", "orphaned"), ["--db", "{tmp}/none.sqlite3", "--list"], 2, "no database"),
    (("service-point", "services"), ["NOPE", "information", "--db", "{db}"], 2,
     "no service point"),
    # The queue services register (#24).
    (("queue-service", "list"), ["--point", "NOPE", "--db", "{db}"], 2, "no service point"),
    (("queue-service", "add"), ["--point", "ROV", "--code", "Bad code", "--fi", "F", "--sv",
                                "S", "--en", "E", "--area", "skills", "--db", "{db}"], 1,
     "code"),
    (("queue-service", "edit"), ["--point", "ROV", "--code", "teleport", "--db", "{db}"], 2,
     "no queue service 'teleport'"),
    (("feedback", "report"), ["--db", "{db}", "--from", "x", "--to", "y"], 2, "YYYY-MM-DD"),
    (("staff", "add"), ["newbie", "--full-name", "N N", "--role", "desk", "--service-point",
                        "NOPE", "--db", "{db}", "--password-stdin"], 2, "service_point"),
    (("staff", "deactivate"), ["nobody", "--db", "{db}", "--user", "admin"], 2, "username"),
    (("db", "digest"), [], 2, "either --db"),
    (("db", "digest"), ["--central", "nonsense"], 2, "not a database address"),
    (("db", "check"), ["--db", "{tmp}/none.sqlite3"], 2, "no database"),
    (("db", "recover"), ["--db", "{tmp}/none.sqlite3"], 2, "no database"),
    (("appointment", "letter"), ["NOPE", "--db", "{db}", "--out", "{tmp}/l.pdf"], 2,
     "Ajanvaraus"),
    (("appointment", "reminders"), ["--db", "{db}", "--date", "bad", "--out", "{tmp}/r.csv"],
     2, "--date"),
    (("room", "list"), ["--point", "NOPE", "--db", "{db}"], 2, "no service point"),
    (("room", "add"), ["--point", "ROV", "--name", "", "--seats", "lots", "--db", "{db}"], 1,
     "seats"),
    (("event", "list"), ["--from", "1.13.2027", "--to", "2027-03-31", "--db", "{db}"], 2,
     "--from"),
    (("event", "ics"), ["--year", "2027", "--point", "NOPE", "--out", "{tmp}/v.ics", "--db",
                        "{db}"], 2, "no service point"),
    (("messages", "list"), ["--customer", "NOPE", "--db", "{db}"], 2, "asiakas"),
    (("messages", "templates"), ["--db", "{tmp}/none.sqlite3"], 2, "no database"),
    (("plan", "list"), ["--customer", "NOPE", "--db", "{db}"], 2, "asiakas"),
    (("partner", "list"), ["--db", "{tmp}/none.sqlite3"], 2, "no database"),
    (("partner", "add"), ["--name", "X", "--kind", "nope", "--db", "{db}"], 2, "--kind"),
    (("partner", "people"), ["--org", "NOPE", "--db", "{db}"], 2,
     "no partner organisation"),
    (("partner", "person-add"), ["--org", "NOPE", "--name", "X", "--db", "{db}"], 2,
     "no partner organisation"),
    (("consent", "list"), ["--customer", "NOPE", "--db", "{db}"], 2, "asiakas"),
    (("consent", "add"), ["--customer", "NOPE", "--partner", "X", "--info", "plan",
                          "--purpose", "P", "--db", "{db}"], 2, "asiakas"),
    (("consent", "withdraw"), ["NOPE", "--db", "{db}"], 2, "Suostumusta"),
]


def leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            if not action.required:  # the command also runs without a subcommand
                yield prefix
            for name, sub in action.choices.items():
                yield from leaf_commands(sub, (*prefix, name))
            return
    yield prefix


def test_every_subcommand_is_tried_with_a_wrong_argument():
    assert set(leaf_commands(cli.build_parser())) == {command for command, *_ in WRONG}


@pytest.fixture(scope="module")
def workstation(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ws")
    open_services(folder).close()
    return folder


def run(argv: list[str], capsys, monkeypatch) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse: usage and status 2
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


@pytest.mark.parametrize(("command", "args", "status", "word"), WRONG,
                         ids=[" ".join(c) + f"-{i}" for i, (c, *_r) in enumerate(WRONG)])
def test_a_wrong_argument_is_told_without_a_traceback(command, args, status, word, workstation,
                                                      tmp_path, capsys, monkeypatch):
    argv = [*command, *(a.format(db=workstation / "desk.sqlite3", tmp=tmp_path) for a in args)]
    code, err = run(argv, capsys, monkeypatch)
    assert (code, word in err) == (status, True), err


@pytest.mark.parametrize("command", sorted({c for c, *_ in WRONG}), ids=" ".join)
def test_a_missing_argument_is_told_with_usage(command, capsys, monkeypatch):
    if command == ("db", "digest"):
        pytest.skip("every argument is optional; the wrong-argument row covers none given")
    code, err = run(list(command), capsys, monkeypatch)
    assert code == 2 and "usage:" in err and "required" in err


def test_a_refused_operation_exits_1(workstation, tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "demo.sqlite3")
    assert run(["demo", "--db", db, "--scale", "0.02"], capsys, monkeypatch)[0] == 0
    code, err = run(["demo", "--db", db], capsys, monkeypatch)
    assert code == 1 and "already has customers" in err


def test_a_bug_is_logged_not_shown(workstation, capsys, monkeypatch):
    from app.cli import customer

    def broken(_args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(customer, "cmd_customer_show", broken)
    # main() builds its parser at each call, so it takes the patched command.
    code, err = run(["customer", "show", "X", "--db", str(workstation / "desk.sqlite3")],
                    capsys, monkeypatch)
    assert code == 1 and "unexpected ZeroDivisionError" in err
