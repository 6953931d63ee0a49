"""The catalogs work on every install path: without `make`, a missing or stale `.mo` is
compiled from its `.po`, and a wheel built from the checkout carries the catalogs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app import i18n

ROOT = Path(__file__).resolve().parents[2]
SIGN_IN = "Sign in"  # a msgid every catalog translates


@pytest.fixture
def fresh_catalogs(tmp_path, monkeypatch):
    """A copy of the catalogs with only the .po files, as `pip install -e .` leaves them."""
    folder = tmp_path / "translations"
    for lang in i18n.LANGUAGES:
        target = folder / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(i18n.translations_dir() / lang / "LC_MESSAGES" / "messages.po", target)
    monkeypatch.setattr(i18n, "translations_dir", lambda: folder)
    monkeypatch.setattr(i18n, "_catalogs", {})
    yield folder
    i18n.set_language("fi")


def test_without_compiled_catalogs_finnish_is_shown(fresh_catalogs):
    i18n.set_language("fi")
    assert i18n._(SIGN_IN) == "Kirjaudu sisään"
    assert i18n.translate_in("sv", SIGN_IN) == "Logga in"
    # ...and the .mo is written for the next start when the folder is writable.
    assert (fresh_catalogs / "fi" / "LC_MESSAGES" / "messages.mo").is_file()


def test_a_catalog_older_than_its_source_is_compiled_again(fresh_catalogs):
    folder = fresh_catalogs / "fi" / "LC_MESSAGES"
    (folder / "messages.mo").write_bytes(b"not a catalog")
    past = (folder / "messages.po").stat().st_mtime - 60
    os.utime(folder / "messages.mo", (past, past))
    assert i18n.translate_in("fi", SIGN_IN) == "Kirjaudu sisään"


def test_a_damaged_catalog_is_compiled_again(fresh_catalogs):
    folder = fresh_catalogs / "fi" / "LC_MESSAGES"
    (folder / "messages.mo").write_bytes(b"\x95\x04\x12\xde half a file")  # newer than .po
    assert i18n.translate_in("fi", SIGN_IN) == "Kirjaudu sisään"
    assert not list(folder.glob("*.part"))


def test_a_read_only_install_compiles_in_memory(fresh_catalogs, monkeypatch):
    def refuse(self, data):
        raise PermissionError("read-only")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    assert i18n.translate_in("fi", SIGN_IN) == "Kirjaudu sisään"


def test_the_wheel_carries_the_catalogs(tmp_path):
    pytest.importorskip("setuptools", minversion="69")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in i18n.LANGUAGES:
        assert f"app/translations/{lang}/LC_MESSAGES/messages.po" in names
