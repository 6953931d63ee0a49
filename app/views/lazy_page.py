"""A page built the first time it is shown: pages that load heavy libraries (the reports'
matplotlib) must not slow every start-up of the application."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self.page: Any = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def activate(self) -> None:
        if self.page is None:
            self.page = self._factory()
            self._layout.addWidget(self.page)
        self.page.activate()

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the container lacks: they belong to the built page.
        page = self.__dict__.get("page")
        if page is None:
            raise AttributeError(name)
        return getattr(page, name)
