"""The views decode errors in one place: app/views/operations.py (error_message and the
operations' failure handling). A page or dialog gets the text to show, or handles one
kind of refusal with `.on(Kind, ...)`; it never looks into an exception itself."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VIEWS = ROOT / "app" / "views"
ALLOWED = {VIEWS / "operations.py"}
# Attributes and getattr() names through which a view would read an exception's message.
MESSAGE_ATTRIBUTES = {"message", "args_", "params"}
MESSAGE_GETATTR = {"message", "args_", "params", "errors", "text"}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def exception_classes() -> set[str]:
    """The built-in exceptions and every class of the application derived from one."""
    known = {name for name, value in vars(builtins).items()
             if isinstance(value, type) and issubclass(value, BaseException)}
    bases: dict[str, set[str]] = {}
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    n for n in map(_name, node.bases) if n)
    grew = True
    while grew:
        grew = False
        for name, parents in bases.items():
            if name not in known and parents & known:
                known.add(name)
                grew = True
    return known


def problems_in(source: str, exceptions: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) == "isinstance" \
                and len(node.args) == 2:
            kinds = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
            named = [_name(k) for k in kinds]
            if any(n in exceptions for n in named):
                found.append(f"line {node.lineno}: isinstance(…, {', '.join(map(str, named))})")
        if isinstance(node, ast.Call) and _name(node.func) == "getattr" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and node.args[1].value in MESSAGE_GETATTR:
            found.append(f"line {node.lineno}: getattr(…, {node.args[1].value!r})")
        if isinstance(node, ast.Attribute) and node.attr in MESSAGE_ATTRIBUTES \
                and isinstance(node.value, ast.Name) and node.value.id != "self":
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            if "ServiceError" in map(_name, kinds):
                found.append(f"line {node.lineno}: except ServiceError")
    return found


def test_no_view_decodes_errors_itself():
    exceptions = exception_classes()
    assert {"ServiceError", "ValidationFailed", "CentralCheckFailed", "ValueError"} <= exceptions
    report = []
    for path in sorted(VIEWS.rglob("*.py")):
        if path in ALLOWED:
            continue
        for problem in problems_in(path.read_text(encoding="utf-8"), exceptions):
            report.append(f"{path.relative_to(ROOT)}: {problem}")
    assert not report, "decode errors in app/views/operations.py only:\n" + "\n".join(report)


def test_the_check_finds_each_kind_of_decoding():
    source = '''
def failed(exc):
    if isinstance(exc, ValidationFailed):
        show(exc.errors)
    label.setText(_(exc.message))
    label.setText(_(getattr(exc, "message", str(exc))))
    try:
        work()
    except ServiceError as e:
        pass
    self.message.setText("fine: a label")
    isinstance(row, SlotRow)
'''
    found = problems_in(source, exception_classes() | {"ValidationFailed"})
    assert sorted(p.split(":")[0] for p in found) == ["line 3", "line 5", "line 6", "line 9"]
