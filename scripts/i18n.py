"""Translation workflow: `python scripts/i18n.py update|compile|check`.

update  - extract messages.pot from the code (settings in pyproject.toml), merge it into
          the fi/sv/en catalogs, and fill the English catalog (msgids are English).
compile - build the .mo files the application loads.
check   - fail when the template is out of date with the code, or when any catalog has
          an untranslated or fuzzy message (the test suite runs this).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGS = ("fi", "sv", "en")


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def extract(target: Path) -> None:
    pybabel("extract", "-F", str(ROOT / "translations" / "babel.cfg"), "-k", "N_",
            "-k", "ngettext:1,2", "-k", "translate:1c,2", "--no-location", "--sort-output",
            "--omit-header", "-o", str(target), "app")


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def update() -> None:
    extract(POT)
    for lang in LANGS:
        path = po_path(lang)
        if path.exists():
            pybabel("update", "-i", str(POT), "-o", str(path), "-l", lang,
                    "--no-fuzzy-matching", "--ignore-obsolete")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            pybabel("init", "-i", str(POT), "-o", str(path), "-l", lang)
    fill_english()


def fill_english() -> None:
    path = po_path("en")
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and not any(strings):
            message.string = message.id
        if message.id and message.fuzzy:
            message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=76, omit_header=False)


def compile_all() -> None:
    for lang in LANGS:
        pybabel("compile", "-d", str(TRANSLATIONS), "-l", lang, "-D", "messages")


def problems() -> list[str]:
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract(fresh)
        with fresh.open("rb") as fh:
            code_ids = {m.id for m in read_po(fh) if m.id}
    with POT.open("rb") as fh:
        pot_ids = {m.id for m in read_po(fh) if m.id}
    if code_ids != pot_ids:
        missing = sorted(map(str, code_ids - pot_ids))[:5]
        stale = sorted(map(str, pot_ids - code_ids))[:5]
        found.append(f"messages.pot is out of date (run `make translations`): "
                     f"new {missing}, gone {stale}")
    for lang in LANGS:
        with po_path(lang).open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        ids = {m.id for m in catalog if m.id}
        if ids != pot_ids:
            found.append(f"{lang}: catalog differs from the template (run `make translations`)")
        for m in catalog:
            if not m.id:
                continue
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            if m.fuzzy:
                found.append(f"{lang}: fuzzy: {m.id!r}")
            elif not all(strings):
                found.append(f"{lang}: untranslated: {m.id!r}")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        issues = problems()
        print("\n".join(issues) or "translations complete")
        return 1 if issues else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
