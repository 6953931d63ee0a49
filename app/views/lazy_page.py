"""A page built the first time it is shown: pages that load heavy libraries (the reports'
matplotlib) must not slow every start-up of the application."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.views.shell.page import Page, as_page

if TYPE_CHECKING:
    from app.services.context import Actor


class LazyPage(QWidget):
    """Stands in the navigation for the page `factory` builds when first shown; until
    then there is nothing to refresh or clear."""

    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self.page: QWidget | None = None
        self._page: Page | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def activate(self, actor: Actor) -> None:
        if self._page is None:
            self.page = self._factory()
            self._page = as_page(self.page)
            self._layout.addWidget(self.page)
        self._page.activate(actor)

    def deactivate(self) -> None:
        if self._page is not None:
            self._page.deactivate()

    def refresh(self) -> None:
        if self._page is not None:
            self._page.refresh()

    def clear(self) -> None:
        if self._page is not None:
            self._page.clear()
