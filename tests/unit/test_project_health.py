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
