"""Render resources/icons/desk.svg to the PNG (Linux, window icon) and the ICO (Windows
executable and installer). Run after changing the SVG; the outputs are committed so
that a build needs neither Qt's SVG renderer nor Pillow at build time."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "desk.svg"))
    if not renderer.isValid():
        print("error: desk.svg does not render", file=sys.stderr)
        return 1
    render(renderer, 256).save(ICONS / "desk.png")
    images = [render(renderer, size) for size in ICO_SIZES]
    images[-1].save(ICONS / "desk.ico", sizes=[(s, s) for s in ICO_SIZES],
                    append_images=images[:-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
