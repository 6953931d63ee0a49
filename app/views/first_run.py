"""The first-run dialog: sets a workstation up when it has no settings file yet.

What it asks: the language, the central database (optional: a workstation may start
offline and synchronise later), the workstation's service point and, for the walk-in
queue, its ticket letter. What it saves goes to the user's settings file; IT can give
the same keys in the machine-wide file instead (see app/config.py), and then this
dialog never appears.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import config, i18n
from app.i18n import N_, _
from app.rules.queue import TICKET_LETTERS
from app.services.registry import Services
from app.services.setup import (
    DEFAULT_PORT,
    CentralAddress,
    CentralCheck,
    CentralCheckFailed,
    Failure,
    SetupService,
    central_url,
    check_central,
    split_central_url,
)
from app.views.common import FieldError, combo_line_edit, icon
from app.views.operations import QueryOp, error_message
from app.views.tasks import TaskRunner
from app.views.translator import LanguageSwitcher

DEFAULT_DATABASE = "rovaseutu"


class FirstRunDialog(QDialog):
    def __init__(self, setup: SetupService, runner: TaskRunner, switcher: LanguageSwitcher,
                 initial: config.Config, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run")
        self.setup, self.runner, self.switcher = setup, runner, switcher
        self.rows: list[tuple[QLabel, QWidget, str]] = []
        self.known_points: dict[str, str] = {}
        # The last test's result, or why it failed (shown again in a new language).
        self.last_check: CentralCheck | None = None
        self.check_failure: CentralCheckFailed | None = None
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.intro)

        top = QFormLayout()
        self.language = QComboBox()
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(i18n.LANGUAGES.index(initial.language))
        self.language.activated.connect(
            lambda index: self.switcher.switch(self.language.itemData(index)))
        self._row(top, N_("&Language"), self.language, "first_run_language")
        layout.addLayout(top)

        self.central_box = QGroupBox()
        central = QFormLayout(self.central_box)
        # A short title; why the box may stay empty wraps under it (a long title was cut).
        self.central_hint = QLabel()
        self.central_hint.setWordWrap(True)
        central.addRow(self.central_hint)
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setGroupSeparatorShown(False)
        self.database = QLineEdit(DEFAULT_DATABASE)
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://user@server:5432/rovaseutu")
        self.url.editingFinished.connect(self._url_entered)
        self._row(central, N_("&Server"), self.host, "first_run_host")
        self._row(central, N_("P&ort"), self.port, "first_run_port")
        self._row(central, N_("&Database"), self.database, "first_run_database")
        self._row(central, N_("&User name"), self.user, "first_run_user")
        self._row(central, N_("Pass&word"), self.password, "first_run_password")
        self._row(central, N_("…or the address as a U&RL"), self.url, "first_run_url")
        self.test_button = QPushButton()
        self.test_button.setObjectName("first_run_test")
        self.test_button.clicked.connect(self.test_connection)
        self.test_ok = QLabel()
        self.test_ok.setObjectName("first_run_test_ok")
        self.test_ok.setWordWrap(True)
        # Grows with its wrapped text, like the error label does.
        self.test_ok.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.test_ok.hide()
        self.test_error = FieldError()
        self.test_error.setObjectName("first_run_test_error")
        # The button and its result in one box, so the wrapped result has its own room.
        test_box = QWidget()
        test_column = QVBoxLayout(test_box)
        test_column.setContentsMargins(0, 0, 0, 0)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        test_column.addLayout(test_row)
        test_column.addWidget(self.test_ok)
        test_column.addWidget(self.test_error)
        central.addRow(test_box)
        layout.addWidget(self.central_box)

        self.desk_box = QGroupBox()
        desk = QFormLayout(self.desk_box)
        self.point = QComboBox()
        self.point.setEditable(True)
        self.point.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._row(desk, N_("Service &point"), self.point, "first_run_point")
        self.letter = QLineEdit(initial.ticket_letter or "")
        self.letter.setMaxLength(1)
        self._row(desk, N_("&Ticket letter"), self.letter, "first_run_letter")
        self.letter_hint = QLabel()
        self.letter_hint.setWordWrap(True)
        desk.addRow(self.letter_hint)
        layout.addWidget(self.desk_box)

        self.error = FieldError()
        self.error.setObjectName("first_run_error")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("first_run_buttons")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Some 100 letters wide at any text size (its wrapped texts need the width: at
        # 150 % text the dialog was taller than a 1000-pixel screen allows), as a strut,
        # not setMinimumWidth: the layout's own minimum still counts.
        layout.addStrut(max(560, self.fontMetrics().averageCharWidth() * 100))

        if initial.central_url:
            self._fill_address(initial.central_url)
        if initial.service_point:
            self.point.setEditText(initial.service_point)
        self.saved_path: str | None = None
        self.retranslate()
        QueryOp(self.runner, self, self.setup.service_points, success=self._add_points) \
            .quietly().run_in_background()

    # --- building ---------------------------------------------------------------------

    def _row(self, form: QFormLayout, text: str, widget: QWidget, name: str) -> None:
        widget.setObjectName(name)
        lbl = QLabel()
        lbl.setBuddy(widget)
        self.rows.append((lbl, widget, text))
        form.addRow(lbl, widget)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Set up this workstation"))
        self.intro.setText(
            _("This workstation has no settings yet. Give them here, or ask IT to deploy "
              "them in the file {path}.").format(path=config.site_config_file()))
        for lbl, widget, text in self.rows:
            lbl.setText(_(text))
            widget.setAccessibleName(_(text).replace("&", "").replace("…", ""))
        self.central_box.setTitle(_("Central database"))
        self.central_hint.setText(_("Optional: the workstation also works offline and "
                                    "synchronises later."))
        self.desk_box.setTitle(_("This workstation"))
        self.test_button.setText(_("&Test connection"))
        self.test_button.setIcon(icon("fa6s.plug", self.test_button))
        combo_line_edit(self.point).setPlaceholderText(_("Code, for example ROV"))
        self.letter.setPlaceholderText(_("Automatic"))
        self.letter_hint.setText(_("Each workstation of a service point needs its own ticket "
                                   "letter, so that tickets given offline never clash. "
                                   "Leave it empty to have one chosen."))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self._show_check()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _add_points(self, points: list[tuple[str, str]]) -> None:
        typed = self.point.currentText()
        for code, name in points:
            if code not in self.known_points:
                self.known_points[code] = name
                self.point.addItem(f"{code} – {name}", code)
        self.point.setEditText(typed or (self.point.itemText(0) if len(points) == 1 else ""))

    # --- the central database ----------------------------------------------------------

    def _fill_address(self, url: str) -> bool:
        try:
            address = split_central_url(url)
        except CentralCheckFailed as exc:
            self._check_failed(exc)
            return False
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.user.setText(address.user)
        self.password.setText(address.password)
        return True

    def _url_entered(self) -> None:
        if self.url.text().strip() and self._fill_address(self.url.text()):
            self.url.clear()  # the fields hold it now; the URL field is only for pasting

    def address(self) -> CentralAddress | None:
        """What the fields say; None when the central database is left out."""
        if not (self.host.text().strip() or self.user.text().strip()):
            return None
        return CentralAddress(self.host.text().strip(), self.port.value(),
                              self.database.text().strip(), self.user.text().strip(),
                              self.password.text())

    def test_connection(self) -> None:
        address = self.address()
        if address is None or not address.host or not address.database:
            self._check_failed(CentralCheckFailed(Failure.ADDRESS))
            return
        self.last_check = self.check_failure = None
        self.test_button.setEnabled(False)
        self.test_error.show_message("")
        self.test_ok.setText(_("Connecting…"))
        self.test_ok.show()
        QueryOp(self.runner, self, lambda: check_central(address), success=self._checked) \
            .on(CentralCheckFailed, self._check_failed).in_io_pool().run_in_background()

    def _checked(self, result: CentralCheck) -> None:
        if not self.isVisible():  # closed while the server was being asked
            return
        self.last_check, self.check_failure = result, None
        self.test_button.setEnabled(True)
        self._add_points(result.service_points)
        self._show_check()

    def _check_failed(self, failure: CentralCheckFailed) -> None:
        """Which step failed, kept to be shown again in another language."""
        self.last_check, self.check_failure = None, failure
        self.test_button.setEnabled(True)
        self._show_check()

    def show_error(self, text: str) -> None:
        """The test failed unexpectedly (the error dialog tells more)."""
        self.last_check = self.check_failure = None
        self.test_button.setEnabled(True)
        self.test_ok.hide()
        self.test_error.show_message(text)

    def _show_check(self) -> None:
        """The last test's result in the current language (it survives a switch)."""
        check = self.last_check
        if self.check_failure is not None:
            self.test_ok.hide()
            self.test_error.show_message(error_message(self.check_failure))
        elif check is not None:
            self.test_error.show_message("")
            if check.initialised:
                text = _("✓ Connected (PostgreSQL {version}); service points there: "
                         "{count}.").format(version=check.server_version.split()[0],
                                            count=len(check.service_points))
            else:
                text = _("✓ Connected (PostgreSQL {version}), but the database is not set "
                         "up yet: IT runs “central init” on it first.").format(
                             version=check.server_version.split()[0])
            # Hidden while the text changes: a visible wrapped label keeps the height of
            # its previous text ("Connecting…") and the new one would be clipped.
            self.test_ok.hide()
            self.test_ok.setText(text)
            self.test_ok.show()
        elif self.test_button.isEnabled():
            self.test_ok.hide()
        # Room for the wrapped message: recompute the layout now, then fit the dialog.
        self.test_ok.updateGeometry()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.adjustSize()

    # --- saving ---------------------------------------------------------------------------

    def point_code(self) -> str:
        text = self.point.currentText().strip()
        index = self.point.findText(text)
        if index >= 0 and self.point.itemData(index):
            return str(self.point.itemData(index))
        return text.split(" ", 1)[0].upper()

    def values(self) -> dict[str, str]:
        address = self.address()
        return {
            "language": self.language.currentData(),
            "central_url": central_url(address) if address else "",
            "service_point": self.point_code(),
            "ticket_letter": self.letter.text().strip().upper(),
        }

    def problem(self) -> tuple[QWidget, str] | None:
        """The first field that cannot be saved as it is, with the message."""
        address = self.address()
        if address is not None and not address.host:
            return self.host, _("Give the server's name or address, or leave the user name "
                                "empty to work offline.")
        if address is not None and not address.database:
            return self.database, _("Give the database's name.")
        code = self.point_code()
        if code and (len(code) > 16 or not code.replace("-", "").replace("_", "").isalnum()):
            return self.point, _("A service point code is letters and digits, for example ROV.")
        letter = self.letter.text().strip().upper()
        if letter and letter not in TICKET_LETTERS:
            return self.letter, _("The ticket letter is one of {letters}.").format(
                letters=" ".join(TICKET_LETTERS))
        return None

    def save(self) -> None:
        problem = self.problem()
        if problem is not None:
            widget, message = problem
            self.error.show_message(message)
            widget.setFocus()
            return
        try:
            self.saved_path = str(config.save_user(self.values()))
        except OSError as exc:
            self.error.show_message(_("The settings could not be saved: {error}").format(
                error=exc.strerror or exc))
            return
        self.accept()


def run_first_run(app: QApplication, services: Services,
                  initial: config.Config) -> config.Config | None:
    """Show the dialog before the main window; the settings it saved, or None when the
    user cancelled (the application then quits and asks again next time)."""
    runner = TaskRunner(app)
    switcher = LanguageSwitcher(app)
    switcher.switch(initial.language)
    dialog = FirstRunDialog(services.setup, runner, switcher, initial)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    runner.wait()
    switcher.detach()
    dialog.deleteLater()
    return config.load() if accepted else None
