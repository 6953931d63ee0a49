"""The annual targets on the Reports page (issue #25): the year chooser, each target's
figure against it with its state (a symbol and a word as well as colour: good / watch /
off), the figure per month so far, and "Edit targets…" for those who may change area
settings. Figures and saving run off the GUI thread (QueryOp / WriteOp)."""

from __future__ import annotations

from typing import Any

from babel import dates as babel_dates
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.dto.report_display import format_decimal
from app.i18n import N_, _, babel_locale, current_language, format_date
from app.rules import targets as rules
from app.services.errors import ValidationFailed
from app.services.registry import Services
from app.views import style
from app.views.common import ColumnFitter, FieldError, icon, list_table
from app.views.operations import QueryOp, WriteOp, drop_pending
from app.views.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex

STATE_KINDS = {rules.GOOD: style.OK, rules.WATCH: style.WARN, rules.OFF: style.OVERDUE}
FIXED_COLUMNS = (N_("Indicator"), N_("Figure"), N_("Target"), N_("State"))
LEGEND = N_("Good: the target is met. Watch: missed by no more than 5 percentage points "
            "(10 % of the target for the caseload). Off target: missed by more. The months "
            "show the figure of each month so far.")


def figure_text(definition: rules.TargetDefinition, value: float | None) -> str:
    if value is None:
        return "–"
    if definition.unit == rules.PERCENT:
        return f"{format_decimal(value, '0.0', current_language())} %"
    return format_decimal(value, "0", current_language())


def goal_text(definition: rules.TargetDefinition, target: float) -> str:
    sign = "≥" if definition.direction == rules.AT_LEAST else "≤"
    if definition.unit == rules.PERCENT:
        return f"{sign} {format_decimal(target, '0.#', current_language())} %"
    return f"{sign} {format_decimal(target, '0', current_language())}"


def state_text(state: str | None) -> str:
    if state is None:
        return _(rules.NO_DATA)
    return f"{style.status_symbol(STATE_KINDS[state])} {_(rules.STATE_LABELS[state])}"


class TargetsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: rules.TargetsReport | None = None

    def set_report(self, report: rules.TargetsReport | None) -> None:
        self.beginResetModel()
        self.report = report
        self.endResetModel()

    def months(self) -> list[Any]:
        if self.report is None or not self.report.figures:
            return []
        return [m for m, _v in self.report.figures[0].months]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.report is None else len(self.report.figures)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED_COLUMNS) + len(self.months())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role not in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if section < len(FIXED_COLUMNS):
            return _(FIXED_COLUMNS[section])
        month = self.months()[section - len(FIXED_COLUMNS)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return babel_dates.format_date(month, "LLLL y", locale=babel_locale())
        return babel_dates.format_date(month, "LLL", locale=babel_locale())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.report is None:
            return None
        row = self.report.figures[index.row()]
        definition = row.definition
        column = index.column()
        kind = STATE_KINDS.get(row.state or "")
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _(definition.title)
            if column == 1:
                return figure_text(definition, row.figure)
            if column == 2:
                return goal_text(definition, row.target)
            if column == 3:
                return state_text(row.state)
            # The months without the unit (the figure's column shows it): narrow columns.
            return figure_text(definition, row.months[column - len(FIXED_COLUMNS)][1]) \
                .removesuffix(" %")
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return _(definition.explanation)
        if role == Qt.ItemDataRole.ToolTipRole and column >= len(FIXED_COLUMNS):
            month, value = row.months[column - len(FIXED_COLUMNS)]
            return (f"{babel_dates.format_date(month, 'LLLL y', locale=babel_locale())}: "
                    f"{figure_text(definition, value)}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            header = self.headerData(column, Qt.Orientation.Horizontal)
            return f"{header}: {self.data(index)}"
        if role == Qt.ItemDataRole.ForegroundRole and column in (1, 3) and kind:
            return QBrush(style.status_color(kind))
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in (0, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TargetsView(QWidget):
    """The "Targets" tab of the Reports page."""

    def __init__(self, services: Services, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targets_view")
        self.services, self.runner = services, runner
        self.started = False
        self.report: rules.TargetsReport | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.year_label = QLabel()
        self.year = QSpinBox()
        self.year.setObjectName("targets_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(services.session.today().year)
        self.year.valueChanged.connect(lambda _y: self.compute())
        self.year_label.setBuddy(self.year)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("targets_edit")
        self.edit_button.clicked.connect(self.edit)
        self.edit_button.setEnabled(False)
        bar.addWidget(self.year_label)
        bar.addWidget(self.year)
        self.through = QLabel()
        self.through.setObjectName("targets_through")
        style.secondary(self.through)
        bar.addWidget(self.through)
        bar.addStretch(1)
        bar.addWidget(self.edit_button)
        layout.addLayout(bar)
        self.model = TargetsModel(self)
        self.table = list_table("targets_table", self.model)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        self.fitter = ColumnFitter(self.table)
        layout.addWidget(self.table, 1)
        self.legend = QLabel()
        self.legend.setObjectName("targets_legend")
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.message = QLabel()
        self.message.setObjectName("targets_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.retranslate()

    def retranslate(self) -> None:
        self.year_label.setText(_("&Year"))
        self.year.setAccessibleName(_("Year"))
        self.edit_button.setText(_("Edit tar&gets…"))
        self.edit_button.setIcon(icon("mdi6.target", self))
        self.edit_button.setAccessibleName(_("Edit targets"))
        self.table.setAccessibleName(_("The targets and their figures"))
        self.legend.setText(_(LEGEND))
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- computing ------------------------------------------------------------------

    def activate(self) -> None:
        self.edit_button.setVisible(self.services.targets.may_edit())
        if not self.started:
            self.started = True
            self.year.blockSignals(True)
            self.year.setValue(self.services.session.today().year)
            self.year.blockSignals(False)
        self.compute()

    def clear(self) -> None:
        self.started = False
        drop_pending(self, "targets")
        self.report = None
        self.message.setText("")
        self._show()

    def compute(self) -> None:
        year = self.year.value()
        self.message.setText(_("Computing…"))
        QueryOp(self.runner, self, lambda: self.services.targets.report(year),
                success=self._got_report).latest("targets").run_in_background()

    def _got_report(self, report: rules.TargetsReport) -> None:
        if report.year != self.year.value():
            return
        self.report = report
        self.message.setText("")
        self._show()

    def show_error(self, text: str) -> None:
        self.message.setText("⚠ " + text)

    def _show(self) -> None:
        report = self.report
        self.model.set_report(report)
        self.edit_button.setEnabled(report is not None)
        if report is None:
            self.through.setText("")
        elif report.through is None:
            self.through.setText(_("The year has not begun."))
        else:
            self.through.setText(_("Counted up to {day}").format(
                day=format_date(report.through)))
        self.fitter.fit()

    # --- editing --------------------------------------------------------------------

    def edit(self) -> None:
        if self.report is None:
            return
        dialog = TargetsDialog(self.services, self.runner, self.report, self)
        dialog.saved.connect(self.compute)
        dialog.open()


class TargetsDialog(QDialog):
    saved = Signal()

    def __init__(self, services: Services, runner: TaskRunner, report: rules.TargetsReport,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targets_dialog")
        self.services, self.runner, self.year = services, runner, report.year
        self.setWindowTitle(_("Targets for {year}").format(year=report.year))
        layout = QVBoxLayout(self)
        intro = QLabel(_("The joint body's targets for {year}. Percentages from 0 to 100; "
                         "the caseload from 1 to 500 customers.").format(year=report.year))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldError] = {}
        for row, figure in enumerate(report.figures):
            definition = figure.definition
            sign = "≥" if definition.direction == rules.AT_LEAST else "≤"
            unit = f"{sign} %" if definition.unit == rules.PERCENT else sign
            caption = QLabel(f"{_(definition.title)} ({unit})")
            edit = QLineEdit(format_decimal(figure.target, "0.#", current_language()))
            edit.setObjectName(f"targets_value_{definition.key}")
            edit.setAccessibleName(_(definition.title))
            edit.setToolTip(_(definition.explanation))
            caption.setBuddy(edit)
            error = FieldError()
            error.setObjectName(f"targets_error_{definition.key}")
            grid.addWidget(caption, 2 * row, 0)
            grid.addWidget(edit, 2 * row, 1)
            grid.addWidget(error, 2 * row + 1, 0, 1, 2)
            self.fields[definition.key] = edit
            self.errors[definition.key] = error
        layout.addLayout(grid)
        self.error = FieldError()
        self.error.setObjectName("targets_dialog_error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.setObjectName("targets_buttons")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> tuple[dict[str, float], dict[str, str]]:
        values: dict[str, float] = {}
        problems: dict[str, str] = {}
        for key, edit in self.fields.items():
            value = rules.parse(edit.text())
            problem = rules.NOT_A_NUMBER if value is None else rules.value_problem(key, value)
            if problem is not None:
                problems[key] = problem
            elif value is not None:
                values[key] = value
        return values, problems

    def submit(self) -> None:
        values, problems = self.values()
        if problems:
            self.show_errors(problems)
            return
        self.show_errors({})
        year = self.year

        def done(_result: object) -> None:
            self.saved.emit()
            self.accept()

        WriteOp(self.runner, self, lambda: self.services.targets.set_targets(year, values),
                success=done) \
            .on(ValidationFailed, lambda exc: self.show_errors(exc.errors)) \
            .run_in_background()

    def show_errors(self, problems: dict[str, str]) -> None:
        """What was typed stays; each refused field says why, and gets the focus."""
        first = None
        for key, error in self.errors.items():
            error.show_message(_(problems[key]) if key in problems else "")
            if key in problems and first is None:
                first = self.fields[key]
        others = [p for k, p in problems.items() if k not in self.errors]
        self.error.show_message(_(others[0]) if others else "")
        if first is not None:
            first.setFocus()
            first.selectAll()

    def show_error(self, text: str) -> None:
        self.error.show_message(text)


class ReportsTabs(QTabWidget):
    """The Reports page's two tabs: its reports, and the annual targets."""

    def __init__(self, services: Services, runner: TaskRunner) -> None:
        super().__init__()
        self.setObjectName("reports_tabs")
        self.reports = QWidget()
        self.inner = QVBoxLayout(self.reports)
        self.inner.setContentsMargins(0, 4, 0, 0)
        self.targets = TargetsView(services, runner, self)
        self.addTab(self.reports, "")
        self.addTab(self.targets, "")
        self.currentChanged.connect(self._shown)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTabText(0, _("&Reports"))
        self.setTabText(1, _("T&argets"))
        self.setAccessibleName(_("Reports and targets"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _shown(self, index: int) -> None:
        if self.widget(index) is self.targets:
            self.targets.activate()

    def activate(self) -> None:
        """The page was shown: the targets again when their tab is the one shown."""
        if self.currentWidget() is self.targets:
            self.targets.activate()

    def clear(self) -> None:
        """Signed out: the next person starts on the reports, with no figure left."""
        self.setCurrentIndex(0)
        self.targets.clear()

