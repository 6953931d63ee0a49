"""The language and the text size of the user interface, switched at run time and kept
for the next start; and the page each staff member chose to start on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

from app.config import START_PAGE_KEY
from app.views.operations import QueryOp
from app.views.tasks import TaskRunner
from app.views.translator import LanguageSwitcher


class Preferences(QObject):
    def __init__(self, switcher: LanguageSwitcher, base_point_size: float, text_scale: int,
                 runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.switcher, self.runner = switcher, runner
        self.base_point_size = base_point_size
        self.text_scale = text_scale
        # Where a choice is kept for the next start (the user's settings file); the
        # composition root sets it, tests do not.
        self.remember: Callable[[str, str], None] | None = None
        TextScaledStyle.install(base_point_size)  # icons and check boxes follow the text
        # Username: the page they start on ("Start on this page"); read from the same
        # file by the composition root (app.config.start_pages).
        self.start_pages: dict[str, str] = {}

    def start_page_of(self, username: str) -> str | None:
        return self.start_pages.get(username)

    def set_start_page(self, username: str, key: str | None) -> None:
        """Kept per staff member (workers share a workstation); None: by role again."""
        if key is None:
            self.start_pages.pop(username, None)
        else:
            self.start_pages[username] = key
        self._remember(START_PAGE_KEY.format(username=username), key or "")

    def set_language(self, lang: str) -> None:
        self.switcher.switch(lang)
        self._remember("language", lang)

    def set_text_scale(self, scale: int) -> None:
        """Text size in per cent of the platform's (100, 125, 150)."""
        self._remember("text_scale", str(scale))
        self.text_scale = scale
        app = QApplication.instance()
        if isinstance(app, QApplication):
            font = app.font()
            font.setPointSizeF(self.base_point_size * scale / 100)
            app.setFont(font)

    def _remember(self, key: str, value: str) -> None:
        keep = self.remember
        if keep is not None:
            QueryOp(self.runner, self, lambda: keep(key, value)).in_io_pool().quietly() \
                .run_in_background()


_PM = QStyle.PixelMetric
# The sizes drawn next to text: icons, and the boxes of check boxes and radio buttons.
_SCALED = {_PM.PM_SmallIconSize, _PM.PM_ButtonIconSize, _PM.PM_ListViewIconSize,
           _PM.PM_TabBarIconSize, _PM.PM_ToolBarIconSize, _PM.PM_IndicatorWidth,
           _PM.PM_IndicatorHeight, _PM.PM_ExclusiveIndicatorWidth,
           _PM.PM_ExclusiveIndicatorHeight}


class TextScaledStyle(QProxyStyle):
    """The platform's style, its icons and check boxes as much larger as the text is
    (at 150 % text they stayed at their 100 % size)."""

    def __init__(self, base: QStyle, base_point_size: float) -> None:
        super().__init__(base)
        self.base_point_size = base_point_size
        # Asked on every layout and paint: the factor is kept, not computed each time.
        self.factor = 1.0
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._font_changed)
            self._font_changed(app.font())

    def _font_changed(self, font: QFont) -> None:
        size = font.pointSizeF()
        self.factor = size / self.base_point_size if size > 0 and self.base_point_size > 0 \
            else 1.0

    @classmethod
    def install(cls, base_point_size: float) -> None:
        """Once per application, around the style in use (the platform's or Fusion)."""
        app = QApplication.instance()
        if not isinstance(app, QApplication) or app.property("text_scaled_style"):
            return
        app.setProperty("text_scaled_style", True)
        sheet = app.styleSheet()  # under a style sheet, app.style() hides the style's name
        if sheet:
            app.setStyleSheet("")
        base = QStyleFactory.create(app.style().name()) or QStyleFactory.create("Fusion")
        app.setStyle(cls(base, base_point_size))
        if sheet:
            app.setStyleSheet(sheet)

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,
                    widget: QWidget | None = None) -> int:
        value = super().pixelMetric(metric, option, widget)
        if self.factor != 1.0 and metric in _SCALED:
            return round(value * self.factor)
        return value
