"""Translation workflow: `python scripts/i18n.py update|compile|check`.

update  - extract messages.pot from the code (settings in pyproject.toml), merge it into
          the fi/sv/en catalogs, and fill the English catalog (msgids are English).
compile - build the .mo files the application loads.
check   - fail when the template is out of date with the code, or when any catalog has
          an untranslated or fuzzy message (the test suite runs this).
missing OUT.json - write the messages still untranslated in fi or sv as JSON
          {msgid: {"fi": "", "sv": "", "plural": msgid_plural or null}} for a translator.
fill IN.json     - take translations back from such a file (plural forms as lists).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGS = ("fi", "sv", "en")


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def extract(target: Path) -> None:
    pybabel("extract", "-F", str(ROOT / "app" / "translations" / "babel.cfg"), "-k", "N_",
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


def _untranslated(m) -> bool:
    strings = m.string if isinstance(m.string, tuple) else (m.string,)
    return bool(m.id) and (m.fuzzy or not all(strings))


def write_missing(out: Path) -> int:
    wanted: dict[str, dict] = {}
    for lang in ("fi", "sv"):
        with po_path(lang).open("rb") as fh:
            for m in read_po(fh, locale=lang):
                if _untranslated(m):
                    key = m.id[0] if isinstance(m.id, tuple) else m.id
                    entry = wanted.setdefault(key, {"fi": "", "sv": "", "plural": None})
                    if isinstance(m.id, tuple):
                        entry["plural"] = m.id[1]
    out.write_text(json.dumps(wanted, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(wanted)


def fill(source: Path) -> int:
    given = json.loads(source.read_text(encoding="utf-8"))
    filled = 0
    for lang in ("fi", "sv"):
        path = po_path(lang)
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        for m in catalog:
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            text = given.get(key, {}).get(lang) if key else None
            if not text or not _untranslated(m):
                continue
            if isinstance(m.id, tuple):
                forms = text if isinstance(text, list) else [text, text]
                m.string = tuple(forms[: catalog.num_plurals])
            else:
                m.string = text
            m.flags.discard("fuzzy")
            filled += 1
        with path.open("wb") as fh:
            write_po(fh, catalog, width=76, omit_header=False)
    return filled


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "missing":
        print(f"{write_missing(Path(argv[2]))} messages to translate")
    elif command == "fill":
        print(f"{fill(Path(argv[2]))} translations filled")
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
