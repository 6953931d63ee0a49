"""Smoke test of the built bundle: `python installer/check_bundle.py dist/desk`.

Runs the bundled program as a workstation would (no Python of ours on the path, an empty
data folder): it must report the package's version and render the sign-in window and
the first-run dialog offscreen to non-trivial PNGs; the bundle must carry the Finnish
and Swedish translations and none of the Qt modules the application does not use."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app import __version__  # noqa: E402

UNWANTED = ("libQt6Qml", "libQt6Quick", "libQt6WebEngine", "libQt63D", "libQt6Multimedia",
            "Qt6Qml", "Qt6Quick", "Qt6WebEngine", "Qt63D", "Qt6Multimedia")


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"FAIL: {path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def main(bundle: Path) -> int:
    bundle = bundle.resolve()
    exe = bundle / ("desk.exe" if sys.platform == "win32" else "desk")
    if not exe.is_file():
        print(f"FAIL: no program at {exe}")
        return 1
    with tempfile.TemporaryDirectory(prefix="desk-bundle-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DESK_"))}
        env.update(QT_QPA_PLATFORM="offscreen", DESK_DATA_DIR=tmp,
                   DESK_CONFIG=str(Path(tmp) / "desk.ini"))
        out = subprocess.run([str(exe), "--version"], env=env, capture_output=True,
                             text=True, timeout=120, cwd=tmp)
        if out.returncode != 0 or __version__ not in out.stdout:
            print(f"FAIL: --version said {out.stdout!r} {out.stderr!r}")
            return 1
        print(f"ok: {out.stdout.strip()}")
        for view, lang in (("login", "fi"), ("first-run", "sv")):
            shot = Path(tmp) / f"{view}-{lang}.png"
            run = subprocess.run([str(exe), "--screenshot", str(shot), "--view", view,
                                  "--lang", lang], env=env, capture_output=True, text=True,
                                 timeout=300, cwd=tmp)
            if run.returncode != 0 or not shot.is_file():
                print(f"FAIL: --screenshot {view} exited {run.returncode}: {run.stderr}")
                return 1
            width, height = png_size(shot)
            if width < 300 or height < 200 or shot.stat().st_size < 5000:
                print(f"FAIL: {view} screenshot is {width}x{height}, {shot.stat().st_size} B")
                return 1
            print(f"ok: {view} ({lang}) rendered {width}x{height}")
    names = [p.name for p in bundle.rglob("*")]
    for lang in ("fi", "sv"):
        for needed in (f"qtbase_{lang}.qm",):
            if needed not in names:
                print(f"FAIL: {needed} is missing")
                return 1
    if not list(bundle.rglob("translations/fi/LC_MESSAGES/messages.mo")):
        print("FAIL: the application's Finnish catalog is missing")
        return 1
    unwanted = sorted({n for n in names if n.startswith(UNWANTED)})
    if unwanted:
        print(f"FAIL: unused Qt modules in the bundle: {', '.join(unwanted)}")
        return 1
    size = sum(p.lstat().st_size for p in bundle.rglob("*") if not p.is_symlink())
    print(f"ok: bundle {bundle} is {size // 2**20} MiB")
    print("bundle: 6 passed, 0 failed")  # version, 2 screenshots, catalogs, Qt modules, size
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "desk")))
