"""The shape of an administrator's register kept per service point (rooms, the queue's
services): a service point to choose, the point's rows in a list, and under it the form
that adds a row or changes the one chosen, each field with its error line under it; an
error and a status line; Close. Reading and writing run off the GUI thread; a refused
form keeps what was typed and says what is wrong under each field, and the first field
to correct, in the form's order, takes the focus.

A register subclasses `PointRegisterDialog`: it adds its fields with `add_field`, its
extra controls where it wants them, calls `finish` with its tab order, and says how to
fetch its rows, fill and empty the form, and read the form's values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.errors import ValidationFailed
from app.views.common import ColumnFitter, FieldError, list_table
from app.views.operations import QueryOp, WriteOp
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner


class _Row(Protocol):
    @property
    def id(self) -> str: ...


Row = TypeVar("Row", bound=_Row)


class PointRegisterDialog(QDialog, Generic[Row]):
    """A register of one service point's rows and the form for a new or the chosen row.
    `prefix` names the widgets (`{prefix}_point`, `{prefix}_table`, `{prefix}_add`...)."""

    def __init__(self, prefix: str, runner: TaskRunner, point_id: str | None,
                 columns: Sequence[str], cells: Callable[[Any], list[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}_dialog")
        self.prefix, self.runner = prefix, runner
        self.wanted_point = point_id
        self.editing: Row | None = None
        self.manage = False
        self.layout_ = QVBoxLayout(self)
        self.top = QHBoxLayout()
        self.point_label = QLabel()
        self.point = QComboBox()
        self.point.setObjectName(f"{prefix}_point")
        self.point_label.setBuddy(self.point)
        self.top.addWidget(self.point_label)
        self.top.addWidget(self.point, 1)
        self.layout_.addLayout(self.top)
        self.model = SimpleTableModel(columns, cells, self)
        self.table = list_table(f"{prefix}_table", self.model)
        self.fitter = ColumnFitter(self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._row_chosen())
        self.layout_.addWidget(self.table, 1)

        self.form_box = QGroupBox()
        self.form = QFormLayout(self.form_box)
        self.labels: list[tuple[QLabel, QWidget, str]] = []
        self.errors: dict[str, FieldError] = {}
        self.fields: dict[str, QWidget] = {}  # the form's order: the first wrong one
        self.new_button, self.add_button, self.save_button = (QPushButton(), QPushButton(),
                                                              QPushButton())
        for button, name in ((self.new_button, "new"), (self.add_button, "add"),
                             (self.save_button, "save")):
            button.setObjectName(f"{prefix}_{name}")
        self.new_button.clicked.connect(lambda: self.new_row())
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.error = FieldError()
        self.error.setObjectName(f"{prefix}_error")
        self.errors["service_point_id"] = self.error
        self.status = QLabel()
        self.status.setObjectName(f"{prefix}_status")
        self.status.setWordWrap(True)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)

    # --- building (the subclass, in its __init__) --------------------------------------

    def add_field(self, text: str, widget: QWidget, key: str,
                  hint: QWidget | None = None) -> None:
        """A labelled field (`text` a msgid with its mnemonic), an optional hint under
        it, and the line for its error."""
        lbl = QLabel()
        lbl.setBuddy(widget)
        self.labels.append((lbl, widget, text))
        self.form.addRow(lbl, widget)
        if hint is not None:
            self.form.addRow("", hint)
        self.errors[key] = FieldError()
        self.errors[key].setObjectName(f"{self.prefix}_error_{key}")
        self.fields[key] = widget
        self.form.addRow("", self.errors[key])

    def finish(self, chain: Sequence[QWidget], manage: bool, width: int, height: int) -> None:
        """The action row, the error and status lines and Close under the form; the tab
        order (`chain`, then the actions and Close); then the first load."""
        actions = QHBoxLayout()
        for b in (self.new_button, self.add_button, self.save_button):
            actions.addWidget(b)
        actions.addStretch(1)
        self.form.addRow(actions)
        self.layout_.addWidget(self.form_box)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.close_buttons)
        order = (*chain, self.new_button, self.add_button, self.save_button,
                 self.close_buttons)
        for before, after in pairwise(order):
            QWidget.setTabOrder(before, after)
        self.manage = manage
        self.form_box.setEnabled(manage)
        self.point.currentIndexChanged.connect(lambda _i: self.load())
        self.resize(width, height)
        self.retranslate()
        self.load_points()

    def retranslate(self) -> None:
        """The texts the registers share; a subclass adds its own and calls this."""
        self.point_label.setText(_("&Service point"))
        self.point.setAccessibleName(_("Service point"))
        for lbl, widget, text in self.labels:
            lbl.setText(_(text))
            widget.setAccessibleName(_(text).replace("&", ""))
        self.close_buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.model.retranslate()
        self._enable()

    # --- what a register says (the subclass) -------------------------------------------

    def fetch_choices(self) -> tuple[list[tuple[str, str]], Any]:
        """(In the background) the service points, as (id, name), and whatever else
        the form chooses from, given to `choices_loaded`."""
        raise NotImplementedError

    def fetch_rows(self, point: str) -> list[Row]:
        raise NotImplementedError

    def fill_form(self, row: Row) -> None:
        raise NotImplementedError

    def empty_form(self) -> None:
        raise NotImplementedError

    def choices_loaded(self, extra: Any) -> None:
        """The rest of `fetch_choices`, on the GUI thread, before the rows load."""

    def rows_shown(self, point: str, kept: bool) -> None:
        """Called after a point's rows are shown; `kept` if the row to keep was found."""

    def written(self, row: Row) -> None:
        """Called after a write succeeded, before the list reloads."""

    def _enable(self) -> None:
        self.save_button.setEnabled(self.manage and self.editing is not None)
        self.add_button.setEnabled(self.manage)

    def _write_buttons(self) -> tuple[QPushButton, ...]:
        return (self.add_button, self.save_button)

    # --- reading ----------------------------------------------------------------------

    def load_points(self) -> None:
        def shown(choices: tuple[list[tuple[str, str]], Any]) -> None:
            points, extra = choices
            self.choices_loaded(extra)
            self.point.blockSignals(True)
            self.point.clear()
            for pid, name in points:
                self.point.addItem(name, pid)
            self.point.setCurrentIndex(max(0, self.point.findData(self.wanted_point)))
            self.point.blockSignals(False)
            self.load()

        QueryOp(self.runner, self, self.fetch_choices, success=shown).run_in_background()

    def load(self, keep: str | None = None) -> None:
        point = self.point.currentData()
        if not point:
            return
        fetch = self._rows_fetcher(point)

        def shown(rows: list[Row]) -> None:
            if point != self.point.currentData():
                return
            self.model.set_rows(rows)
            at = next((i for i, r in enumerate(rows) if r.id == keep), None)
            if at is not None:
                self.table.selectRow(at)
                self.table.scrollTo(self.model.index(at, 0))
            self.rows_shown(point, at is not None)
            self._enable()

        QueryOp(self.runner, self, fetch, success=shown).latest(self.prefix) \
            .run_in_background()

    def _rows_fetcher(self, point: str) -> Callable[[], list[Row]]:
        """What to fetch, with the form's filters read now, on the GUI thread."""
        return lambda: self.fetch_rows(point)

    def selected(self) -> Row | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _row_chosen(self) -> None:
        row = self.selected()
        if row is not None:
            self._clear_errors()
            self.editing = row
            self.fill_form(row)
        self._enable()

    # --- writing ----------------------------------------------------------------------

    def new_row(self, focus: bool = True) -> None:
        """Empty the form for a new row (the list's choice cleared)."""
        self.editing = None
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        self.empty_form()
        self._clear_errors()
        self._enable()
        if focus and self.fields:
            next(iter(self.fields.values())).setFocus()

    def add(self) -> None:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def _write(self, work: Callable[[], Row], said: Callable[[Row], str]) -> None:
        """Run `work` in the background; what `said` says of the row written goes to
        the status line."""
        self._clear_errors()
        self.status.setText("")
        for b in self._write_buttons():
            b.setEnabled(False)

        def done(row: Row) -> None:
            self.editing = row
            self.status.setText(said(row))
            self.written(row)
            self.load(keep=row.id)

        WriteOp(self.runner, self, work, success=done) \
            .on(ValidationFailed, lambda exc: self.show_invalid(exc.errors)) \
            .run_in_background()

    def _clear_errors(self) -> None:
        for e in self.errors.values():
            e.show_message("")

    def show_invalid(self, errors: dict[str, str]) -> None:
        """Each problem under its field; what was typed stays as it was. The first
        field to correct, in the form's order, gets the focus."""
        self._enable()
        for key, message in errors.items():
            self.errors.get(key, self.error).show_message(_(message))
        first = next((w for key, w in self.fields.items() if key in errors), None)
        if first is not None:
            first.setFocus()

    def show_error(self, text: str) -> None:
        self._enable()
        self.error.show_message(text)
