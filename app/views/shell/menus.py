"""The window's menus. Settings: language, text size, the page to start on, the lobby
display, the kiosk and its PIN, the customer import, signing out and locking the
session. Help: the keyboard shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from app import i18n
from app.config import TEXT_SCALES
from app.i18n import _
from app.rules.permissions import Permission, allowed
from app.views.shell.displays import Displays
from app.views.shell.preferences import Preferences
from app.views.shell.session import SessionController
from app.views.shell.shortcuts import OVERVIEW_KEYS
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor
    from app.services.customer_import import CustomerImportService
    from app.services.queue_services import QueueServiceAdmin
    from app.services.rooms import RoomService
    from app.views.coaching.import_dialog import ImportDialog


class SettingsMenu(QObject):
    def __init__(self, bar: QMenuBar, preferences: Preferences, session: SessionController,
                 displays: Displays, customer_import: CustomerImportService,
                 runner: TaskRunner, parent: QWidget,
                 rooms: RoomService | None = None,
                 queue_services: QueueServiceAdmin | None = None) -> None:
        super().__init__(parent)
        self.rooms = rooms  # the service points' rooms (#21): administrators keep them
        # The points' queue services (#24): administrators keep them too.
        self.queue_services = queue_services
        self.preferences, self.runner = preferences, runner
        self.customer_import = customer_import
        self.dialog_parent = parent
        self.import_dialog: ImportDialog | None = None
        self.menu = bar.addMenu("")
        self.language_menu = self.menu.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in i18n.LANGUAGES:
            action = self._action(i18n.LANGUAGE_NAMES[code],
                                  partial(preferences.set_language, code))
            action.setCheckable(True)
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.size_menu = self.menu.addMenu("")
        size_group = QActionGroup(self)
        self.size_actions: dict[int, QAction] = {}
        for scale in TEXT_SCALES:
            action = self._action(f"{scale} %", partial(preferences.set_text_scale, scale))
            action.setCheckable(True)
            size_group.addAction(action)
            self.size_menu.addAction(action)
            self.size_actions[scale] = action
        self.lobby_action = self._action("", displays.open_lobby)
        self.kiosk_action = self._action("", lambda: displays.open_kiosk())
        self.pin_action = self._action("", displays.set_kiosk_pin)
        self.import_action = self._action("", self.open_import)
        self.rooms_action = self._action("", self.open_rooms)
        self.queue_services_action = self._action("", self.open_queue_services)
        for action in (self.lobby_action, self.kiosk_action, self.pin_action,
                       self.import_action, self.rooms_action, self.queue_services_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.sign_out_action = self._action("", session.sign_out, "Ctrl+Shift+L")
        self.lock_action = self._action("", session.lock, "Ctrl+Shift+K")
        self.menu.addAction(self.sign_out_action)
        self.menu.addAction(self.lock_action)
        self.bar = bar
        self.start_action: QAction | None = None
        self.help_menu: QMenu | None = None
        self.shortcuts_action: QAction | None = None

    def add_view_actions(self, start_here: Callable[[bool], object],
                         show_shortcuts: Callable[[], object]) -> None:
        """"Start on this page" (ticked on the page the person starts on) after the text
        size; the Help menu with the keyboard shortcuts (F1, Ctrl+/)."""
        self.start_action = QAction("", self)
        self.start_action.setCheckable(True)
        self.start_action.triggered.connect(lambda on: start_here(bool(on)))
        self.menu.insertAction(self.lobby_action, self.start_action)
        self.menu.insertSeparator(self.lobby_action)
        self.help_menu = self.bar.addMenu("")
        self.shortcuts_action = self._action("", show_shortcuts)
        self.shortcuts_action.setShortcuts([QKeySequence(k) for k in OVERVIEW_KEYS])
        self.help_menu.addAction(self.shortcuts_action)
        self.retranslate()

    def show_start_page(self, here: bool) -> None:
        if self.start_action is not None:
            self.start_action.setChecked(here)

    def _action(self, text: str, slot: Callable[[], object],
                keys: str | None = None) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def show_for(self, actor: Actor) -> None:
        """What the role may do: the import is for those who may import customers."""
        self.import_action.setVisible(allowed(actor.role, Permission.CUSTOMER_IMPORT))
        self.rooms_action.setVisible(self.rooms is not None
                                     and allowed(actor.role, Permission.STAFF_MANAGE))
        keeps = self.queue_services is not None and allowed(actor.role,
                                                            Permission.STAFF_MANAGE)
        self.queue_services_action.setVisible(keeps)
        self.queue_services_action.setEnabled(keeps)

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Settings"))
        self.language_menu.setTitle(_("&Language"))
        self.size_menu.setTitle(_("&Text size"))
        self.sign_out_action.setText(_("Sign &out"))
        self.lock_action.setText(_("Loc&k the session"))
        self.lobby_action.setText(_("Open the &lobby display"))
        self.kiosk_action.setText(_("Open the feedback &kiosk"))
        self.pin_action.setText(_("Set kiosk &PIN…"))
        self.import_action.setText(_("&Import customers…"))
        self.rooms_action.setText(_("&Rooms…"))
        self.queue_services_action.setText(_("&Queue services…"))
        if self.start_action is not None:
            self.start_action.setText(_("&Start on this page"))
        if self.help_menu is not None and self.shortcuts_action is not None:
            self.help_menu.setTitle(_("&Help"))
            self.shortcuts_action.setText(_("&Keyboard shortcuts…"))
        self.language_actions[i18n.current_language()].setChecked(True)
        self.size_actions[self.preferences.text_scale].setChecked(True)

    def open_rooms(self) -> None:
        """The service points' rooms, the signed-in person's own point first."""
        from app.views.rooms.dialog import RoomsDialog

        if self.rooms is None:
            return
        dialog = RoomsDialog(self.rooms, self.runner, self.rooms.home_point(),
                             self.dialog_parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_queue_services(self) -> None:
        """The service points' queue services, the signed-in person's own point first."""
        from app.views.queue.services_dialog import QueueServicesDialog

        if self.queue_services is None:
            return
        dialog = QueueServicesDialog(self.queue_services, self.runner,
                                     self.queue_services.home_point(), self.dialog_parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_import(self) -> None:
        """Customers from a CSV file; the customer list shows them (the import writes
        the customer table: see refresh_on_change)."""
        from app.views.coaching.import_dialog import ImportDialog

        self.import_dialog = ImportDialog(self.customer_import, self.runner,
                                          self.dialog_parent)
        self.import_dialog.open()
