"""The language and the text size of the user interface, switched at run time and kept
for the next start; and the page each staff member chose to start on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from app.config import START_PAGE_KEY
from app.views import style
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
        style.set_base_point_size(base_point_size)  # icons and check boxes follow the text
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
