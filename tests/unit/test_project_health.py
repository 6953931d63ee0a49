"""Project-wide checks the test command runs: translations and import contracts."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_translations_complete_and_template_current():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import i18n as workflow
    finally:
        sys.path.pop(0)
    assert workflow.problems() == []


def test_import_contracts_hold():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_message_has_the_same_placeholders_in_each_language():
    import re

    from babel.messages.pofile import read_po

    pattern = re.compile(r"\{[a-z_]+\}")
    for lang in ("fi", "sv", "en"):
        path = ROOT / "app" / "translations" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as fh:
            for m in read_po(fh, locale=lang):
                if not m.id:
                    continue
                source = m.id if isinstance(m.id, str) else m.id[-1]
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                for text in strings:
                    assert set(pattern.findall(text)) <= set(pattern.findall(source)) | {"{n}"}, (
                        lang, m.id, text)


def test_the_layers_contract_places_every_package_and_the_cli_has_no_circles():
    """A package missing from the layers contract would be free to import upward; the
    command groups of app.cli have their own no-cycles contract."""
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as fh:
        contracts = tomllib.load(fh)["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}
    packages = {f"app.{p.name}" for p in (ROOT / "app").iterdir() if (p / "__init__.py").exists()}
    assert packages - placed == set()
    assert any(c["type"] == "acyclic_siblings" and "app.cli" in c["ancestors"]
               for c in contracts)


def test_the_admin_command_runs_as_a_module_and_as_the_console_script():
    """`python -m app.cli` (app/cli/__main__.py) and pyproject's `rovaseutu-admin` entry
    point both reach app.cli.main."""
    import importlib
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as fh:
        target = tomllib.load(fh)["project"]["scripts"]["rovaseutu-admin"]
    module, _, attr = target.partition(":")
    assert callable(getattr(importlib.import_module(module), attr))
    result = subprocess.run([sys.executable, "-m", "app.cli", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for command in ("demo", "customer", "plan", "report", "sync", "staff", "appointment"):
        assert command in result.stdout
