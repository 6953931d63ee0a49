"""What the window asks of a page, and how a page is listed in the navigation.

The window treats every page alike: it builds them from `PageSpec`s (pages.py), shows a
page's row only to the roles with the permission it `needs`, and calls the `Page`
methods below. A page with a number on the navigation ("Queue 4") is `Counted`.

The navigation's entry (key, title, icon, needs) lives in the spec, not on the page
class: the reports page is listed before its module (matplotlib) is imported."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from app.rules.permissions import Permission, allowed

if TYPE_CHECKING:
    from app.services.context import Actor
    from app.services.registry import Services
    from app.views.shell.session import SessionController
    from app.views.tasks import TaskRunner


@runtime_checkable
class Page(Protocol):
    """A page of the navigation (a QWidget). The window calls:

    - `activate(actor)` each time the page is shown, for the signed-in person: the first
      time it loads what it shows; the role decides what it offers;
    - `deactivate()` when another page is shown: stop what runs only while it is seen;
    - `refresh()` when someone signs in and whenever rows arrive from the central
      database, shown or not: show again what changed, keep a navigation count right;
      cheap when the page has not been opened or is not on screen;
    - `clear()` when the person signs out: nothing of theirs may be left for the next.
    """

    def activate(self, actor: Actor) -> None: ...

    def deactivate(self) -> None: ...

    def refresh(self) -> None: ...

    def clear(self) -> None: ...


@runtime_checkable
class Focusing(Protocol):
    """A page that knows its first useful control: the window calls `focus_first()`
    after showing it (after signing in, after a page switch), unless the worker is
    arrowing in the navigation."""

    def focus_first(self) -> None: ...


@runtime_checkable
class Counted(Protocol):
    """A page with a count on its navigation row emits it as it changes (0: none)."""

    count_changed: SignalInstance


class Navigator(Protocol):
    """What a page may ask of the window: go to another page with something open."""

    def open_customer(self, customer_id: str) -> None: ...

    def book_for_customer(self, customer_id: str, name: str) -> None: ...

    def open_employer_followup(self, contact_id: str) -> None: ...

    def open_event(self, event_id: str) -> None: ...


@dataclass(frozen=True)
class PageDeps:
    """What the page factories build pages from; each page takes only what it uses."""

    services: Services
    runner: TaskRunner
    session: SessionController
    navigator: Navigator


@dataclass(frozen=True)
class PageSpec:
    """A row of the navigation and how to build its page."""

    key: str
    title: str  # an N_() msgid, translated when shown
    icon: str  # a qtawesome name
    build: Callable[[PageDeps], QWidget]
    # What a role needs to see the row (any one of them, when a tuple).
    needs: Permission | tuple[Permission, ...] | None = None
    # Where focus lands when the page is shown, for a page without `focus_first`: the
    # first of these that is visible and enabled (else the page's first focusable).
    first: Callable[[QWidget], Sequence[QWidget]] | None = None

    def shown_to(self, actor: Actor) -> bool:
        if self.needs is None:
            return True
        needs = self.needs if isinstance(self.needs, tuple) else (self.needs,)
        return any(allowed(actor.role, p) for p in needs)


P = TypeVar("P", bound=Page)


def checked(page: P) -> P:
    """A factory's page, checked by mypy to be a Page."""
    return page


def as_page(widget: QWidget) -> Page:
    """The Page a factory built (checked at run time too: factories return QWidgets)."""
    if not isinstance(widget, Page):
        raise TypeError(f"{type(widget).__name__} is not a Page")
    return widget
