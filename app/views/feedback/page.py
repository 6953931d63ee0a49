"""FeedbackPage: what customers say, for coaches and team leads. Key figures for the
period, the figures by service point, channel, service area, team or week, per worker
where there are enough answers, the comments (searchable) and the reply to-do list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QDate, QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, format_date, format_datetime, format_number, format_percent
from app.rules.codes import Channel, ServiceArea
from app.rules.feedback import Figures
from app.rules.permissions import Permission, allowed
from app.services.feedback import (
    CommentRow,
    FeedbackService,
    FigureRow,
    FigureTable,
    ReplyRow,
    WorkerFigures,
)
from app.services.reports.periods import default_period
from app.views.common import heading_label, icon, label, list_table
from app.views.feedback.faces import SCORE_WORDS
from app.views.operations import QueryOp, WriteOp, refresh_on_change
from app.views.simple_model import SimpleTableModel
from app.views.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.context import Actor

DIMENSION_NAMES = (
    ("service_point", N_("Service point")), ("channel", N_("Channel")),
    ("service_area", N_("Service area")), ("team", N_("Team")), ("week", N_("Week")),
)
FIGURE_COLUMNS = (N_("Group"), N_("Answers"), N_("Satisfied (4–5)"), N_("NPS"),
                  N_("Mean score (1–5)"))


def satisfaction_text(f: Figures) -> str:
    return "–" if f.satisfaction is None else format_percent(round(f.satisfaction) / 100)


def nps_text(f: Figures) -> str:
    if f.nps is None:
        return "–"
    value = round(f.nps)
    return ("+" if value > 0 else "") + format_number(value)


def mean_text(f: Figures) -> str:
    return "–" if f.mean is None else format_number(round(f.mean, 2))


def group_name(dimension: str, row: FigureRow) -> str:
    if dimension == "week":
        year, week = row.key.split("-W")
        return _("Week {week}, {year}").format(week=int(week), year=year)
    if dimension == "worker" and not row.key:
        return _("Other workers together")
    if dimension == "channel" and row.key:
        return label(Channel(row.key))
    if dimension == "service_area":
        return label(ServiceArea(row.key)) if row.key else _("Not known (kiosk)")
    if dimension == "team" and not row.key:
        return _("No team (kiosk)")
    return row.name or row.key


def score_text(score: int) -> str:
    return f"{score} – {_(SCORE_WORDS[score])}"


def _stretch(table: QTableView, column: int = 0) -> None:
    """One column (the name, the comment) takes the width; the rest stay together."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


class _Card(QFrame):
    """A key figure: a big number with its name under it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        self.value = QLabel("–")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def show_value(self, value: str, caption: str) -> None:
        self.value.setText(value)
        self.caption.setText(caption)
        self.setAccessibleName(f"{caption}: {value}")


class FeedbackPage(QWidget):
    count_changed = Signal(int)  # reply requests still open (the navigation's count)

    def __init__(self, service: FeedbackService, runner: TaskRunner,
                 today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedback_page")
        # The context clock (services.session.today): never the wall clock.
        self.service, self.runner, self.today = service, runner, today
        self.table: FigureTable | None = None
        self.total: Figures | None = None
        self.actor: Actor | None = None  # who it is shown to
        self.permitted = False
        self.workers: WorkerFigures | None = None
        self._build()
        # Answers from the customer's window or the kiosk, a reply marked handled.
        refresh_on_change(runner, self, {"feedback", "feedback_reply_request"},
                          self._tables_changed)
        self.retranslate()

    # --- building ---------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = heading_label()
        top.addWidget(self.heading)
        top.addStretch(1)
        self.from_label, self.to_label = QLabel(), QLabel()
        self.start, self.end = QDateEdit(), QDateEdit()
        for name, lbl, edit in (("feedback_from", self.from_label, self.start),
                                ("feedback_to", self.to_label, self.end)):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self._period_changed)
            lbl.setBuddy(edit)
            lbl.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
            top.addSpacing(12)
            top.addWidget(lbl)
            top.addWidget(edit)
        layout.addLayout(top)
        self.denied = QLabel()
        self.denied.setObjectName("feedback_denied")
        self.denied.setWordWrap(True)
        self.denied.hide()
        layout.addWidget(self.denied)

        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        cards = QHBoxLayout()
        self.cards = {key: _Card(f"feedback_card_{key}")
                      for key in ("answers", "satisfaction", "nps", "mean")}
        for card in self.cards.values():
            cards.addWidget(card)
        content.addLayout(cards)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("feedback_tabs")
        self.tabs.addTab(self._figures_tab(), "")
        self.tabs.addTab(self._workers_tab(), "")
        self.tabs.addTab(self._comments_tab(), "")
        self.tabs.addTab(self._replies_tab(), "")
        self.tabs.currentChanged.connect(lambda _i: self.load())
        content.addWidget(self.tabs, 1)
        layout.addWidget(self.content, 1)
        self.message = QLabel()
        self.message.setObjectName("feedback_message")
        layout.addWidget(self.message)
        self._set_default_period()

    def _set_default_period(self) -> None:
        """The Reports page's period (the last twelve weeks up to today, from a Monday),
        quietly (no load): the same satisfaction figure on both pages, whole weeks
        when grouped by week, and today's answers and comments included."""
        start, end = default_period(self.today())
        self._quiet = True
        self.end.setDate(QDate(end.year, end.month, end.day))
        self.start.setDate(QDate(start.year, start.month, start.day))
        self._quiet = False

    def _figures_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.group_label = QLabel()
        self.group_by = QComboBox()
        self.group_by.setObjectName("feedback_group_by")
        for key, _text in DIMENSION_NAMES:
            self.group_by.addItem("", key)
        self.group_by.currentIndexChanged.connect(lambda _i: self.load())
        self.group_label.setBuddy(self.group_by)
        row.addWidget(self.group_label)
        row.addWidget(self.group_by)
        row.addStretch(1)
        layout.addLayout(row)
        self.figure_model = SimpleTableModel(FIGURE_COLUMNS, self._figure_cells, self)
        self.figure_table = list_table("feedback_figures", self.figure_model)
        _stretch(self.figure_table)
        layout.addWidget(self.figure_table, 1)
        self.figures_note = QLabel()
        self.figures_note.setWordWrap(True)
        layout.addWidget(self.figures_note)
        return tab

    def _workers_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.workers_note = QLabel()
        self.workers_note.setObjectName("feedback_workers_note")
        self.workers_note.setWordWrap(True)
        layout.addWidget(self.workers_note)
        self.worker_model = SimpleTableModel(
            (N_("Worker"), *FIGURE_COLUMNS[1:]),
            lambda r: self._cells("worker", r), self)
        self.worker_table = list_table("feedback_workers", self.worker_model)
        _stretch(self.worker_table)
        layout.addWidget(self.worker_table, 1)
        return tab

    def _comments_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("feedback_search")
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(250)
        self.search_timer.timeout.connect(self.load)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.point = QComboBox()
        self.point.setObjectName("feedback_point")
        self.point.addItem("", None)
        self.point.currentIndexChanged.connect(lambda _i: self.load())
        self.low_only = QCheckBox()
        self.low_only.setObjectName("feedback_low_only")
        self.low_only.toggled.connect(lambda _on: self.load())
        row.addWidget(self.search, 1)
        row.addWidget(self.point)
        row.addWidget(self.low_only)
        layout.addLayout(row)
        self.comment_model = SimpleTableModel(
            (N_("Answered"), N_("Score"), N_("Comment"), N_("Service point"), N_("Channel")),
            self._comment_cells, self)
        self.comment_table = list_table("feedback_comments", self.comment_model)
        self.comment_table.setWordWrap(True)
        _stretch(self.comment_table, 2)
        layout.addWidget(self.comment_table, 1)
        return tab

    def _replies_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.replies_note = QLabel()
        self.replies_note.setWordWrap(True)
        layout.addWidget(self.replies_note)
        self.reply_model = SimpleTableModel(
            (N_("Answered"), N_("Score"), N_("Comment"), N_("Contact"), N_("Service point"),
             N_("Status")), self._reply_cells, self)
        self.reply_table = list_table("feedback_replies", self.reply_model)
        _stretch(self.reply_table, 2)
        self.reply_table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.reply_table, 1)
        row = QHBoxLayout()
        self.show_handled = QCheckBox()
        self.show_handled.setObjectName("feedback_show_handled")
        self.show_handled.toggled.connect(lambda _on: self.load())
        self.handled_button = QPushButton()
        self.handled_button.setObjectName("feedback_mark_handled")
        self.handled_button.clicked.connect(self.mark_handled)
        self.handled_button.setEnabled(False)
        row.addWidget(self.show_handled)
        row.addStretch(1)
        row.addWidget(self.handled_button)
        layout.addLayout(row)
        return tab

    def retranslate(self) -> None:
        self.heading.setText(_("Customer feedback"))
        self.from_label.setText(_("&From"))
        self.to_label.setText(_("&To"))
        for lbl in (self.from_label, self.to_label):
            # Room for the whole word: the date edits beside them otherwise crowd it.
            lbl.setMinimumWidth(lbl.fontMetrics().horizontalAdvance(lbl.text()) + 8)
        self.start.setAccessibleName(_("From"))
        self.end.setAccessibleName(_("To"))
        self.denied.setText(_("Feedback figures and comments are for coaches and team leads."))
        tables = (self.figure_table, self.worker_table, self.comment_table, self.reply_table)
        for index, text in enumerate((N_("Figures"), N_("Per worker"), N_("Comments"),
                                      N_("Reply requests"))):
            self.tabs.setTabText(index, _(text))
            tables[index].setAccessibleName(_(text))
        self.tabs.setAccessibleName(_("Customer feedback"))
        self.group_label.setText(_("&Group by"))
        self.group_by.setAccessibleName(_("Group by"))
        for i, (_key, text) in enumerate(DIMENSION_NAMES):
            self.group_by.setItemText(i, _(text))
        self.figures_note.setText(_(
            "Satisfied: the share of answers 4 or 5 on the five-point scale. NPS (Net "
            "Promoter Score): the share of 9–10 answers to \"how likely would you "
            "recommend\" minus the share of 0–6 answers, from −100 to +100."))
        self.search.setPlaceholderText(_("Search the comments…"))
        self.search.setAccessibleName(_("Search the comments"))
        self.point.setItemText(0, _("All service points"))
        self.point.setAccessibleName(_("Service point"))
        self.low_only.setText(_("Only scores 1–3"))
        self.replies_note.setText(_(
            "Customers who asked for a reply. The contact is only for the reply: reply, "
            "then mark it handled."))
        self.show_handled.setText(_("Show handled ones too"))
        self.handled_button.setText(_("Mark &handled"))
        self.handled_button.setIcon(icon("mdi6.check", self))
        for model in (self.figure_model, self.worker_model, self.comment_model,
                      self.reply_model):
            model.retranslate()
        self._show_cards()
        self._show_workers_note()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- cells ------------------------------------------------------------------------

    def _cells(self, dimension: str, row: FigureRow) -> list[str]:
        f = row.figures
        return [group_name(dimension, row), format_number(f.answers), satisfaction_text(f),
                nps_text(f), mean_text(f)]

    def _figure_cells(self, row: FigureRow) -> list[str]:
        if self.table is None:
            return []
        if row.key == "__total__":
            f = row.figures
            return [_("All"), format_number(f.answers), satisfaction_text(f), nps_text(f),
                    mean_text(f)]
        return self._cells(self.table.dimension, row)

    @staticmethod
    def _comment_cells(row: CommentRow) -> list[str]:
        return [format_datetime(row.answered_at), score_text(row.score), row.comment,
                row.service_point, label(Channel(row.channel))]

    @staticmethod
    def _reply_cells(row: ReplyRow) -> list[str]:
        if row.handled_at is None:
            status = "● " + _("Open")
        else:
            status = "✓ " + _("Handled {date} by {name}").format(
                date=format_date(row.handled_at), name=row.handled_by or "")
        return [format_datetime(row.answered_at), score_text(row.score), row.comment,
                row.contact, row.service_point, status]

    # --- loading ----------------------------------------------------------------------

    def _period(self) -> tuple[date, date]:
        # PySide6 types toPython() as object; a QDate's is a date.
        return (cast(date, self.start.date().toPython()),
                cast(date, self.end.date().toPython()))

    def _period_changed(self) -> None:
        if not getattr(self, "_quiet", True):
            self.load()

    def activate(self, actor: Actor) -> None:
        if self.actor is None:  # a new sign-in: the period ends today
            self._set_default_period()
        self.actor = actor
        ok = self._may(Permission.FEEDBACK_READ)
        self.permitted = ok
        self.content.setVisible(ok)
        self.denied.setVisible(not ok)
        for widget in (self.start, self.end):
            widget.setEnabled(ok)
        if ok:
            if self.point.count() == 1:
                QueryOp(self.runner, self, self.service.service_points,
                        success=self._fill_points).run_in_background()
            self.load()

    def deactivate(self) -> None:
        pass

    def clear(self) -> None:
        """Signed out: no figures, comments or replies are left for the next person."""
        self.actor = None
        self.permitted = False
        self.content.setVisible(False)
        for model in (self.comment_model, self.reply_model, self.worker_model):
            model.set_rows([])
        self.search.blockSignals(True)  # no search runs for no one
        self.search.setText("")  # the last person's words would filter the next one's list
        self.search.blockSignals(False)
        self.message.setText("")
        self.count_changed.emit(0)

    def refresh(self) -> None:
        """Rows arrived: nothing reloads under the worker's hands (a chosen reply would
        lose its selection); the filters, the tabs and a change made here reload."""

    def _fill_points(self, points: list[Any]) -> None:
        for p in points:
            self.point.addItem(p.name, p.id)

    def load(self) -> None:
        if not self.permitted:
            return
        start, end = self._period()
        if end < start:
            self.message.setText("⚠ " + _("The period ends before it starts."))
            return
        self.message.setText("")
        service, tab = self.service, self.tabs.currentIndex()
        self._query("total", lambda: service.figures("service_point", start, end).total,
                    self._got_total)
        if tab == 0:
            dimension = self.group_by.currentData() or "service_point"
            self._query("table", lambda: service.figures(dimension, start, end),
                        self._got_table)
        elif tab == 1:
            self._query("workers", lambda: service.worker_figures(start, end),
                        self._got_workers)
        elif tab == 2:
            text, point = self.search.text(), self.point.currentData()
            low = 3 if self.low_only.isChecked() else None
            self._query("comments", lambda: service.comments(text, start, end, point,
                                                             max_score=low),
                        self.comment_model.set_rows)
        if self._may(Permission.FEEDBACK_REPLY):
            handled = self.show_handled.isChecked()
            self._query("replies", lambda: service.reply_requests(include_handled=handled),
                        self._got_replies)

    def _query(self, key: str, op: Callable[[], Any], shown: Callable[[Any], None]) -> None:
        """Latest only: what the filters asked for last is what shows."""
        QueryOp(self.runner, self, op, success=shown).latest(key).run_in_background()

    def _tables_changed(self) -> None:
        if self.isVisible():
            self.load()

    def _may(self, permission: Permission) -> bool:
        actor = self.actor
        return actor is not None and allowed(actor.role, permission)

    def show_error(self, text: str) -> None:
        self.message.setText("⚠ " + text)

    def _got_total(self, total: Figures) -> None:
        self.total = total
        self._show_cards()

    def _show_cards(self) -> None:
        total = self.total
        if total is None:
            for card, caption in zip(self.cards.values(), (
                    _("Answers"), _("Satisfied (4–5)"), _("NPS"), _("Mean score (1–5)")),
                    strict=True):
                card.show_value("–", caption)
            return
        self.cards["answers"].show_value(format_number(total.answers), _("Answers"))
        self.cards["satisfaction"].show_value(satisfaction_text(total), _("Satisfied (4–5)"))
        self.cards["nps"].show_value(nps_text(total), _("NPS ({n} answers)").format(
            n=format_number(total.recommend_answers)))
        self.cards["mean"].show_value(mean_text(total), _("Mean score (1–5)"))

    def _got_table(self, table: FigureTable) -> None:
        self.table = table
        total = FigureRow("__total__", "", table.total)
        self.figure_model.set_rows(table.rows + ([total] if table.rows else []))

    def _got_workers(self, workers: WorkerFigures) -> None:
        self.workers = workers
        self.worker_model.set_rows(workers.rows)
        self._show_workers_note()

    def _show_workers_note(self) -> None:
        if self.workers is None:
            self.workers_note.setText("")
            return
        text = _("A worker's own figures show only with at least {n} answers in the period; "
                 "the others together, so that no single answer can be traced.").format(
            n=format_number(self.workers.minimum))
        if self.workers.hidden_answers:
            text += " " + _("{n} answers are not shown: too few to show even together.") \
                .format(n=format_number(self.workers.hidden_answers))
        self.workers_note.setText(text)

    def _got_replies(self, rows: list[ReplyRow]) -> None:
        self.reply_model.set_rows(rows)
        self._update_buttons()
        self.count_changed.emit(sum(1 for r in rows if r.handled_at is None))

    def _selected_reply(self) -> ReplyRow | None:
        index = self.reply_table.currentIndex()
        if not index.isValid() or not self.reply_table.selectionModel().hasSelection():
            return None
        return self.reply_model.row_at(index.row())

    def _update_buttons(self, *_args: object) -> None:
        row = self._selected_reply()
        self.handled_button.setEnabled(row is not None and row.handled_at is None)

    def mark_handled(self) -> None:
        row = self._selected_reply()
        if row is None or row.handled_at is not None:
            return

        def done(_result: object) -> None:
            self.message.setText(_("Marked handled."))

        WriteOp(self.runner, self, lambda: self.service.mark_handled(row.id), success=done) \
            .run_in_background()

