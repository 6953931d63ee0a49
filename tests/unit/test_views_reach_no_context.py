"""The views get the services they use and `services.session` (who is signed in, the
clock), never the application context: that carries the database engine and the
transaction mechanism, which are the services' own (ARCHITECTURE.md, layers)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VIEWS = ROOT / "app" / "views"


def context_uses(source: str) -> list[str]:
    """Lines that read an attribute `ctx` (services.ctx, self.service.ctx, …) or name
    the context's class."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "ctx":
            found.append(f"line {node.lineno}: .ctx")
        if (isinstance(node, ast.Name) and node.id == "AppContext") or \
                (isinstance(node, ast.alias) and node.name == "AppContext"):
            found.append(f"line {node.lineno}: AppContext")
    return found


def test_the_check_finds_what_it_looks_for():
    assert context_uses("now = services.ctx.now()\n") == ["line 1: .ctx"]
    assert context_uses("actor = self.service.ctx.actor\n") == ["line 1: .ctx"]
    assert context_uses("from app.services.context import AppContext\n") == [
        "line 1: AppContext"]
    assert context_uses("now = services.session.now()\nctx = 1\n") == []


def test_no_view_reaches_the_application_context():
    problems = {
        str(path.relative_to(ROOT)): found
        for path in sorted(VIEWS.rglob("*.py"))
        if (found := context_uses(path.read_text(encoding="utf-8")))
    }
    assert not problems, problems
