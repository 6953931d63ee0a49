"""StatisticsDialog: the municipal statistics behind the cost split (the plan's table 1
by default), edited by a team lead when the new year's figures are published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.dto.report_display import format_decimal
from app.i18n import _, babel_locale, current_language
from app.rules.cost_split import cost_shares
from app.services.errors import ValidationFailed
from app.views.common import FieldError
from app.views.operations import WriteOp
from app.views.tasks import TaskRunner


class StatisticsDialog(QDialog):
    saved = Signal()

    def __init__(self, statistics: dict[str, Any], save: Callable[[dict[str, Any]], None],
                 runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statistics_dialog")
        self.setWindowTitle(_("Municipal statistics"))
        self.save, self.runner = save, runner
        self.names = [m["name"] for m in statistics.get("municipalities", [])]
        layout = QVBoxLayout(self)
        intro = QLabel(_("The costs are split 50 % by working-age population and 50 % by "
                         "broad unemployment. Enter the figures of the latest statistics."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.year = QSpinBox()
        self.year.setObjectName("statistics_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(int(statistics.get("year") or 2024))
        self.year.setAccessibleName(_("Year of the statistics"))
        year_label = QLabel(_("&Year of the statistics"))
        year_label.setBuddy(self.year)
        grid.addWidget(year_label, 0, 0)
        grid.addWidget(self.year, 0, 1)
        grid.addWidget(QLabel(_("Working-age population")), 1, 1)
        grid.addWidget(QLabel(_("Broad unemployment")), 1, 2)
        self.fields: list[tuple[QSpinBox, QSpinBox]] = []
        locale = QLocale(babel_locale())  # "31 149" in Finnish, not "31,149"
        for row, municipality in enumerate(statistics.get("municipalities", []), 2):
            name = municipality["name"]
            grid.addWidget(QLabel(name), row, 0)
            pair = []
            for column, (key, title) in enumerate((
                    ("working_age", _("Working-age population")),
                    ("broad_unemployment", _("Broad unemployment"))), 1):
                spin = QSpinBox()
                spin.setObjectName(f"statistics_{key}_{row - 2}")
                spin.setRange(0, 10_000_000)
                spin.setLocale(locale)
                spin.setGroupSeparatorShown(True)
                spin.valueChanged.connect(self._show_shares)
                spin.setValue(int(municipality[key]))
                spin.setAccessibleName(f"{name}: {title}")
                grid.addWidget(spin, row, column)
                pair.append(spin)
            self.fields.append((pair[0], pair[1]))
        layout.addLayout(grid)
        self.shares = QLabel()
        self.shares.setObjectName("statistics_shares")
        layout.addWidget(self.shares)
        self._show_shares()
        self.error = FieldError()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _show_shares(self) -> None:
        if len(self.fields) != len(self.names) or not hasattr(self, "shares"):
            return  # still being built
        shares = cost_shares(self.value())
        self.shares.setText(_("Cost share: {shares}").format(shares=", ".join(
            f"{name} {format_decimal(100 * share, '0.0', current_language())} %"
            for name, share in shares.items())))

    def value(self) -> dict[str, Any]:
        return {"year": self.year.value(), "municipalities": [
            {"name": name, "working_age": age.value(), "broad_unemployment": broad.value()}
            for name, (age, broad) in zip(self.names, self.fields, strict=True)]}

    def submit(self) -> None:
        value = self.value()

        def done(_result: object) -> None:
            self.saved.emit()
            self.accept()

        # What was typed stays in the fields; the reason shows under them.
        WriteOp(self.runner, self, lambda: self.save(value), success=done) \
            .on(ValidationFailed,
                lambda exc: self.show_error(_(next(iter(exc.errors.values()))))) \
            .run_in_background()

    def show_error(self, text: str) -> None:
        self.error.show_message(text)
