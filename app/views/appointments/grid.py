"""CalendarGrid: a painted day or week grid of half-hour rows and one column per worker
(day view) or per day (week view).

Working time is drawn on the base colour, time outside it shaded, holidays hatched and
named; appointments are blocks with time, customer, type, a channel icon and a status
word (never colour alone). Event sessions (#21) are blocks of their own in the organisers'
columns (and, in a room's calendar, everything holding the room): the information colour,
a bar at the left, an event icon and the event's title, room and place in a series. The
keyboard cursor is a cell (column, half hour); the page
decides what the navigation keys mean (see AppointmentsPage.navigate)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.dto.appointments import AppointmentRow
from app.i18n import _, format_minutes, format_time
from app.rules.booking import at
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.views.common import icon, label
from app.views.style import INFO, status_color

ROW_MINUTES = 30
CHANNEL_ICONS = {Channel.SERVICE_POINT.value: "mdi6.account-group",
                 Channel.PHONE.value: "mdi6.phone", Channel.VIDEO.value: "mdi6.video"}
HIDDEN = {AppointmentStatus.CANCELLED.value}
BLOCK_ICONS = {"event": "mdi6.calendar-star", "appointment": "mdi6.door"}


@dataclass(frozen=True)
class Block:
    """A time held by something other than the column's own appointments: an event
    session (`kind` "event": in its organisers' columns and its room's calendar) or, in a
    room's calendar, an appointment holding the room (`kind` "appointment")."""

    kind: str
    id: str
    title: str  # the event's title, or the appointment type as shown
    starts_at: datetime
    ends_at: datetime
    subtitle: str = ""  # the event's kind as shown
    room: str = ""
    series: str = ""  # "2/6": the second session of six
    event_id: str | None = None

    def words(self) -> list[str]:
        """Everything the block says, for the tooltip and the status line."""
        what = _("Event") if self.kind == "event" else _("Appointment")
        series = _("session {series}").format(series=self.series) if self.series else ""
        return [p for p in (f"{format_time(self.starts_at)}–{format_time(self.ends_at)}",
                            self.title, what, self.subtitle, series, self.room) if p]


@dataclass
class Column:
    day: date
    title: str
    staff_id: str | None  # the worker (day view, or a one-worker week)
    periods: tuple[tuple[int, int], ...]
    holiday: str | None = None  # the holiday's name; hatched unless opened
    closed: str | None = None  # why nobody is bookable, shown in the column
    appointments: list[AppointmentRow] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # event sessions, a room's bookings


@dataclass
class CardLine:
    text: str  # what the line says
    shown: str  # as drawn: the same unless it had to be shortened
    font: QFont
    rect: QRect


def short_name(name: str) -> str:
    """"Ruokojärvi, Aino Maria" as "Ruokojärvi, Aino": the first given name only."""
    last, sep, firsts = name.partition(", ")
    return f"{last}{sep}{firsts.split()[0]}" if sep and firsts.split() else name


def wrap(text: str, fm: QFontMetrics, width: int) -> list[str] | None:
    """The words of `text` on lines no wider than `width`; None if a word is wider."""
    def fits(line: str) -> bool:  # as drawn: what elidedText would not shorten
        return fm.elidedText(line, Qt.TextElideMode.ElideRight, width) == line

    lines: list[str] = []
    for word in text.split():
        if not fits(word):
            return None
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def hard_wrap(text: str, fm: QFontMetrics, width: int) -> list[str]:
    """`wrap`, with a word wider than `width` broken where it fits, with a hyphen."""
    def fits(line: str) -> bool:
        return fm.elidedText(line, Qt.TextElideMode.ElideRight, width) == line

    pieces: list[str] = []
    for word in text.split():
        while not fits(word) and len(word) > 1:
            n = len(word) - 1
            while n > 1 and not fits(word[:n] + "-"):
                n -= 1
            pieces.append(word[:n] + "-")
            word = word[n:]
        pieces.append(word)
    lines: list[str] = []
    for piece in pieces:
        if lines and not lines[-1].endswith("-") and fits(f"{lines[-1]} {piece}"):
            lines[-1] += f" {piece}"
        else:
            lines.append(piece)
    return lines


def name_lines(name: str, fm: QFontMetrics, width: int, rooms: list[int]) -> list[str]:
    """The customer's name in as few of the lines as it can: in the first of `rooms`
    lines whole, else with the first given name only, then in the next number of lines;
    with no room at all, the first given name's initial on one line ("Ruokojärvi, A."),
    and failing that the short form shortened."""
    for room in rooms:
        for candidate in (name, short_name(name)):
            lines = wrap(candidate, fm, width)
            if lines is not None and len(lines) <= max(1, room):
                return lines
    last, sep, firsts = name.partition(", ")
    if sep and firsts.split():
        initial = f"{last}, {firsts.split()[0][0]}."
        if fm.elidedText(initial, Qt.TextElideMode.ElideRight, width) == initial:
            return [initial]
    return [short_name(name)]


def minute_of(instant: datetime) -> int:
    local = instant.astimezone(at(date(2000, 1, 1), 0).tzinfo)
    return local.hour * 60 + local.minute


class CalendarGrid(QWidget):
    navigate = Signal(str, int)  # "day", "week", "slot", "worker", "today", "edge"
    activated = Signal()  # Enter or double-click on the cursor cell
    cursor_moved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendar_grid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.columns: list[Column] = []
        # (width, font) -> gutter, header, row: see _metrics.
        self._metrics_cache: tuple[tuple[int, str], tuple[int, int, int]] | None = None
        self.first_minute, self.last_minute = 8 * 60, 16 * 60
        self.col, self.slot = 0, 0
        self.now: datetime | None = None

    # --- data and cursor --------------------------------------------------------------

    def set_columns(self, columns: list[Column], now: datetime) -> None:
        self._metrics_cache = None
        self.columns, self.now = columns, now
        starts, ends = [8 * 60], [16 * 60]
        for c in columns:
            starts += [a for a, _b in c.periods]
            ends += [b for _a, b in c.periods]
            for r in c.appointments:
                if r.status not in HIDDEN:
                    starts.append(minute_of(r.starts_at))
                    ends.append(minute_of(r.ends_at) or 24 * 60)
            for b in c.blocks:
                starts.append(minute_of(b.starts_at))
                ends.append(minute_of(b.ends_at) or 24 * 60)
        self.first_minute = min(starts) // 60 * 60
        self.last_minute = min(24 * 60, -(-max(ends) // 60) * 60)
        self.col = min(self.col, max(0, len(columns) - 1))
        self.slot = min(self.slot, self.rows - 1)
        self.updateGeometry()
        self.update()
        self.cursor_moved.emit()

    @property
    def rows(self) -> int:
        return max(1, (self.last_minute - self.first_minute) // ROW_MINUTES)

    def set_cursor(self, col: int, slot: int | None = None) -> None:
        self.col = max(0, min(col, len(self.columns) - 1))
        if slot is not None:
            self.slot = max(0, min(slot, self.rows - 1))
        self.update()
        self.cursor_moved.emit()

    def slot_for_minute(self, minute: int) -> int:
        return max(0, min(self.rows - 1, (minute - self.first_minute) // ROW_MINUTES))

    def cursor_minute(self) -> int:
        return self.first_minute + self.slot * ROW_MINUTES

    def cursor_column(self) -> Column | None:
        return self.columns[self.col] if 0 <= self.col < len(self.columns) else None

    def cursor_appointment(self) -> AppointmentRow | None:
        column = self.cursor_column()
        if column is None:
            return None
        start = self.cursor_minute()
        for r in column.appointments:
            if r.status in HIDDEN:
                continue
            a, b = minute_of(r.starts_at), minute_of(r.ends_at) or 24 * 60
            if a < start + ROW_MINUTES and start < b:
                return r
        return None

    def cursor_block(self) -> Block | None:
        """The event session (or a room's booking) under the cursor."""
        column = self.cursor_column()
        if column is None:
            return None
        start = self.cursor_minute()
        for b in column.blocks:
            a, end = minute_of(b.starts_at), minute_of(b.ends_at) or 24 * 60
            if a < start + ROW_MINUTES and start < end:
                return b
        return None

    def describe_cursor(self) -> str:
        """The cell in words, for the status line and screen readers."""
        column = self.cursor_column()
        if column is None:
            return _("No calendar to show.")
        when = format_time(at(column.day, self.cursor_minute()))
        parts = [column.title, when]
        appointment = self.cursor_appointment()
        block = self.cursor_block()
        if appointment is not None:
            parts += [appointment.customer_name, label(AppointmentType(appointment.type)),
                      label(AppointmentStatus(appointment.status))]
        elif block is not None:
            parts += block.words()[1:]
        elif column.holiday and not column.periods:
            parts.append(column.holiday)
        elif not any(a <= self.cursor_minute() < b for a, b in column.periods):
            parts.append(_("outside working hours"))
        else:
            parts.append(_("free"))
        return "  ·  ".join(p for p in parts if p)

    # --- geometry -------------------------------------------------------------------------

    def _metrics(self) -> tuple[int, int, int]:
        """Gutter, header and row height; asked for every card and cell painted, so kept
        until the columns, the width or the font change (wrapping the titles is dear)."""
        key = (self.width(), self.font().key())
        cached = self._metrics_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        result = self._measure()
        self._metrics_cache = (key, result)
        return result

    def _measure(self) -> tuple[int, int, int]:
        fm = QFontMetrics(self.font())
        gutter = fm.horizontalAdvance("00.00") + 14
        title_lines = max((len(self._title_lines(c)) for c in self.columns), default=1)
        subs = any(c.holiday or c.closed for c in self.columns)
        header = fm.height() * max(2, title_lines + subs) + 12
        row = max(26, fm.height() * 2 + 4)
        return gutter, header, row

    def _title_lines(self, column: Column) -> list[str]:
        """A column's title (a worker's name in the day view) on two lines if need be."""
        fm = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        gutter = fm.horizontalAdvance("00.00") + 14
        width = (self.width() - gutter) // max(1, len(self.columns)) - 8
        lines = wrap(column.title, QFontMetrics(bold), width)
        return lines if lines is not None and len(lines) <= 2 else [column.title]

    def min_column(self) -> int:
        """Room for a card's time beside its channel icon, and for a name of some 17
        letters, at any text size."""
        fm = QFontMetrics(self.font())
        return max(fm.horizontalAdvance("00.00–00.00") + fm.height() + 20,
                   fm.averageCharWidth() * 17)

    def sizeHint(self) -> QSize:
        gutter, header, row = self._metrics()
        return QSize(gutter + self.min_column() * max(1, len(self.columns)),
                     header + row * self.rows + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _column_rect(self, index: int) -> QRect:
        gutter, header, row = self._metrics()
        width = (self.width() - gutter) / max(1, len(self.columns))
        left = gutter + round(index * width)
        right = gutter + round((index + 1) * width)
        return QRect(left, header, right - left, row * self.rows)

    def _y(self, minute: int) -> float:
        _g, header, row = self._metrics()
        return header + (minute - self.first_minute) / ROW_MINUTES * row

    def cell_rect(self, col: int, slot: int) -> QRect:
        rect = self._column_rect(col)
        _g, _h, row = self._metrics()
        return QRect(rect.left(), rect.top() + slot * row, rect.width(), row)

    # --- painting ----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        gutter, header, row = self._metrics()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Window))
        text = pal.color(QPalette.ColorRole.WindowText)
        grid = pal.color(QPalette.ColorRole.Mid)
        bold = QFont(self.font())
        bold.setBold(True)
        fm = QFontMetrics(self.font())
        for index, column in enumerate(self.columns):
            rect = self._column_rect(index)
            self._paint_column_body(p, column, rect, pal)
            # Header: the worker or the day, and a holiday's name under it.
            head = QRect(rect.left(), 0, rect.width(), header)
            if self.now is not None and column.day == self.now.astimezone(
                    at(column.day, 0).tzinfo).date():
                today = QColor(pal.color(QPalette.ColorRole.Highlight))
                today.setAlpha(50)  # today's column stands out (its title says so too)
                p.fillRect(head, today)
            p.setPen(text)
            p.setFont(bold)
            titles = self._title_lines(column)
            for n, title in enumerate(titles):
                p.drawText(head.adjusted(4, 4 + n * fm.height(), -4, 0),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                           QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight,
                                                         head.width() - 8))
            p.setFont(self.font())
            sub = column.holiday or column.closed or ""
            if column.holiday and column.periods:
                sub = _("{holiday} – open").format(holiday=column.holiday)
            if sub:
                p.drawText(head.adjusted(4, 4 + len(titles) * fm.height(), -4, 0),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                           fm.elidedText(sub, Qt.TextElideMode.ElideRight, head.width() - 8))
        # Hour lines and the time gutter.
        for r in range(self.rows + 1):
            y = header + r * row
            minute = self.first_minute + r * ROW_MINUTES
            line = QColor(grid)
            if minute % 60:
                line.setAlpha(90)
            p.setPen(QPen(line, 1))
            p.drawLine(gutter, y, self.width(), y)
            if r < self.rows:
                p.setPen(text)
                p.drawText(QRect(0, y + 2, gutter - 6, row), Qt.AlignmentFlag.AlignRight
                           | Qt.AlignmentFlag.AlignTop, format_minutes(minute))
        p.setPen(QPen(grid, 1))
        for index in range(len(self.columns) + 1):
            x = self._column_rect(index).left() if index < len(self.columns) else self.width() - 1
            p.drawLine(x, 0, x, header + row * self.rows)
        for index, column in enumerate(self.columns):
            self._paint_appointments(p, column, self._column_rect(index), pal)
        self._paint_now(p, pal)
        self._paint_cursor(p, pal)
        p.end()

    def _paint_column_body(self, p: QPainter, column: Column, rect: QRect,
                           pal: QPalette) -> None:
        outside = QColor(pal.color(QPalette.ColorRole.Window)).darker(108)
        p.fillRect(rect, outside)
        for a, b in column.periods:
            top, bottom = self._y(a), self._y(b)
            p.fillRect(QRectF(rect.left(), top, rect.width(), bottom - top),
                       pal.color(QPalette.ColorRole.Base))
        if column.holiday and not column.periods:
            hatch = QColor(pal.color(QPalette.ColorRole.Mid))
            p.fillRect(rect, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        if not column.periods and (column.holiday or column.closed):
            note = column.holiday or column.closed or ""
            fm = QFontMetrics(self.font())
            box = fm.boundingRect(QRect(rect.left() + 6, 0, rect.width() - 12, 400),
                                  Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter,
                                  note)
            box.moveTop(rect.top() + 12)
            box.adjust(-4, -3, 4, 3)
            p.fillRect(box, pal.color(QPalette.ColorRole.Window))
            p.setPen(pal.color(QPalette.ColorRole.WindowText))
            p.drawText(box, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter, note)

    def _paint_appointments(self, p: QPainter, column: Column, rect: QRect,
                            pal: QPalette) -> None:
        highlight = pal.color(QPalette.ColorRole.Highlight)
        text = pal.color(QPalette.ColorRole.Text)
        size = QFontMetrics(self.font()).height()
        selected = self.cursor_appointment()
        for r, lane, lanes in self._placed(column):
            box = self._card_box(r, rect, lane, (rect.width() - 6) / lanes)
            fill = QColor(highlight)
            fill.setAlpha(45 if r.status == AppointmentStatus.BOOKED.value else 20)
            p.fillRect(box, pal.color(QPalette.ColorRole.Base))
            p.fillRect(box, fill)
            pen = QPen(highlight, 2.5 if selected is not None and selected.id == r.id else 1)
            if r.status == AppointmentStatus.NO_SHOW.value:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawRoundedRect(box, 3, 3)
            inner = box.adjusted(5, 2, -4, -2).toRect()
            ico = icon(CHANNEL_ICONS.get(r.channel, "mdi6.calendar"), self)
            ico.paint(p, QRect(inner.right() - size, inner.top(), size, size))
            p.save()
            p.setClipRect(inner)
            p.setPen(text)
            for line in self._card_lines(r, inner):
                p.setFont(line.font)
                p.drawText(line.rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           line.shown)
            p.restore()
        self._paint_blocks(p, column, rect, pal)

    def _paint_blocks(self, p: QPainter, column: Column, rect: QRect, pal: QPalette) -> None:
        """Event sessions (and a room's bookings): the information colour with a bar at
        the left, so they never read as one of the worker's appointments."""
        colour = status_color(INFO, pal)
        text = pal.color(QPalette.ColorRole.Text)
        size = QFontMetrics(self.font()).height()
        selected = self.cursor_block()
        for b, lane, lanes in self._placed_blocks(column):
            box = self._card_box(b, rect, lane, (rect.width() - 6) / lanes)
            fill = QColor(colour)
            fill.setAlpha(30)
            p.fillRect(box, pal.color(QPalette.ColorRole.Base))
            p.fillRect(box, fill)
            p.fillRect(QRectF(box.left(), box.top(), 4, box.height()), colour)
            p.setPen(QPen(colour, 2.5 if selected is not None and selected.id == b.id else 1))
            p.drawRoundedRect(box, 3, 3)
            inner = box.adjusted(8, 2, -4, -2).toRect()
            icon(BLOCK_ICONS.get(b.kind, "mdi6.calendar"), self).paint(
                p, QRect(inner.right() - size, inner.top(), size, size))
            p.save()
            p.setClipRect(inner)
            p.setPen(text)
            for line in self._block_lines(b, inner):
                p.setFont(line.font)
                p.drawText(line.rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           line.shown)
            p.restore()

    def _block_lines(self, b: Block, inner: QRect) -> list[CardLine]:
        """The time, the title (wrapped), the place in a series with the kind, the room."""
        fm = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        room = max(1, (inner.height() + 3) // fm.height())
        beside_icon = inner.width() - fm.height() - 2
        texts: list[tuple[str, QFont, int]] = []
        if room == 1:
            texts.append((f"{format_time(b.starts_at)} {b.title}", bold, beside_icon))
        else:
            texts.append((f"{format_time(b.starts_at)}–{format_time(b.ends_at)}", self.font(),
                          beside_icon))
            # Bold when its words fit the width, else in the plain font, else shortened.
            font = bold
            title = wrap(b.title, QFontMetrics(bold), inner.width())
            if title is None:
                font, title = self.font(), hard_wrap(b.title, fm, inner.width())
            texts += [(line, font, inner.width()) for line in title[:max(1, room - 1)]]
            kind = " · ".join(x for x in (b.series, b.subtitle) if x)
            for extra in (kind, b.room):
                wrapped = wrap(extra, fm, inner.width())
                if wrapped and len(texts) + len(wrapped) <= room:
                    texts += [(line, self.font(), inner.width()) for line in wrapped]
        lines = []
        for row, (content, font, avail) in enumerate(texts[:room]):
            shown = QFontMetrics(font).elidedText(content, Qt.TextElideMode.ElideRight,
                                                  max(10, avail))
            lines.append(CardLine(content, shown, font,
                                  QRect(inner.left(), inner.top() + row * fm.height(), avail,
                                        fm.height())))
        return lines

    def _placed_all(self, column: Column) -> list[tuple[AppointmentRow | Block, int, int]]:
        """The shown appointments and blocks of a column with their lane and the number
        of lanes (overlapping ones stand side by side)."""
        shown: list[AppointmentRow | Block] = sorted(
            [*(r for r in column.appointments if r.status not in HIDDEN), *column.blocks],
            key=lambda r: r.starts_at)
        lanes: list[datetime] = []
        placed: list[tuple[AppointmentRow | Block, int]] = []
        for r in shown:
            lane = next((i for i, end in enumerate(lanes) if end <= r.starts_at), None)
            if lane is None:
                lanes.append(r.ends_at)
                lane = len(lanes) - 1
            else:
                lanes[lane] = r.ends_at
            placed.append((r, lane))
        return [(r, lane, len(lanes)) for r, lane in placed]

    def _placed(self, column: Column) -> list[tuple[AppointmentRow, int, int]]:
        return [(r, lane, n) for r, lane, n in self._placed_all(column)
                if isinstance(r, AppointmentRow)]

    def _placed_blocks(self, column: Column) -> list[tuple[Block, int, int]]:
        return [(r, lane, n) for r, lane, n in self._placed_all(column)
                if isinstance(r, Block)]

    def _card_box(self, r: AppointmentRow | Block, rect: QRect, lane: int, width: float) -> QRectF:
        top = self._y(minute_of(r.starts_at))
        bottom = self._y(minute_of(r.ends_at) or 24 * 60)
        return QRectF(rect.left() + 3 + lane * width, top + 1, width - 2, bottom - top - 2)

    def _card_lines(self, r: AppointmentRow, inner: QRect) -> list[CardLine]:
        """What a card shows, line by line, most important first: the time, the customer
        (wrapped onto a second line, or with the first given name only, rather than cut),
        the status unless booked, the type and the room, as many as its height holds.
        The tooltip and the status line below the grid have it all."""
        fm = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        bold_fm = QFontMetrics(bold)
        room = max(1, (inner.height() + 3) // fm.height())
        beside_icon = inner.width() - fm.height() - 2
        times = f"{format_time(r.starts_at)}–{format_time(r.ends_at)}"
        status = (None if r.status == AppointmentStatus.BOOKED.value
                  else "▸ " + label(AppointmentStatus(r.status)))
        who = r.customer_name or _("(no customer)")
        texts: list[tuple[str, QFont, int]] = []
        if room == 1:  # a short block: time and name on one line
            texts.append((f"{format_time(r.starts_at)} {short_name(who)}", bold, beside_icon))
        else:
            texts.append((times, self.font(), beside_icon))
            # The name before the status: the status gives up its line to a long name
            # (a no-show keeps its dashed border; the tooltip says it too).
            rooms = [room - 2, room - 1] if status is not None else [room - 1]
            texts += [(line, bold, inner.width())
                      for line in name_lines(who, bold_fm, inner.width(), rooms)]
            # The rest wraps too; what has no room is left to the tooltip, not cut.
            for extra, font in ((status, bold), (label(AppointmentType(r.type)), self.font()),
                                (r.room, self.font())):
                wrapped = wrap(extra or "", QFontMetrics(font), inner.width())
                if wrapped and len(texts) + len(wrapped) <= room:
                    texts += [(line, font, inner.width()) for line in wrapped]
        lines = []
        for row, (content, font, avail) in enumerate(texts[:room]):
            shown = QFontMetrics(font).elidedText(content, Qt.TextElideMode.ElideRight,
                                                  max(10, avail))
            lines.append(CardLine(content, shown, font,
                                  QRect(inner.left(), inner.top() + row * fm.height(), avail,
                                        fm.height())))
        return lines

    def cut_card_texts(self) -> list[str]:
        """The texts of the cards and column titles drawn shortened (for the layout test)."""
        found = []
        bold_font = QFont(self.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        for index, column in enumerate(self.columns):
            rect = self._column_rect(index)
            if any(bold.horizontalAdvance(t) > rect.width() - 8
                   for t in self._title_lines(column)):
                found.append(f"column title {column.title!r} cut")
            placed = self._placed(column)
            for r, lane, lanes in placed:
                box = self._card_box(r, rect, lane, (rect.width() - 6) / lanes)
                for line in self._card_lines(r, box.adjusted(5, 2, -4, -2).toRect()):
                    if line.shown != line.text:
                        found.append(f"card {line.text!r} cut to {line.shown!r}")
            for b, lane, lanes in self._placed_blocks(column):
                box = self._card_box(b, rect, lane, (rect.width() - 6) / lanes)
                for line in self._block_lines(b, box.adjusted(8, 2, -4, -2).toRect()):
                    if line.shown != line.text:
                        found.append(f"event {line.text!r} cut to {line.shown!r}")
        return found

    def block_at(self, pos: QPoint) -> Block | None:
        for index, column in enumerate(self.columns):
            rect = self._column_rect(index)
            for b, lane, lanes in self._placed_blocks(column):
                if self._card_box(b, rect, lane, (rect.width() - 6) / lanes).contains(
                        QPointF(pos)):
                    return b
        return None

    def appointment_at(self, pos: QPoint) -> AppointmentRow | None:
        for index, column in enumerate(self.columns):
            rect = self._column_rect(index)
            for r, lane, lanes in self._placed(column):
                box = self._card_box(r, rect, lane, (rect.width() - 6) / lanes)
                if box.contains(QPointF(pos)):
                    return r
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            r = self.appointment_at(event.pos())
            block = self.block_at(event.pos()) if r is None else None
            if block is not None:
                QToolTip.showText(event.globalPos(), "\n".join(block.words()), self)
                return True
            if r is None:
                QToolTip.hideText()
                event.ignore()
                return True
            parts = [f"{format_time(r.starts_at)}–{format_time(r.ends_at)}",
                     r.customer_name or _("(no customer)"),
                     label(AppointmentType(r.type)), label(AppointmentStatus(r.status)),
                     r.room or ""]
            QToolTip.showText(event.globalPos(), "\n".join(p for p in parts if p), self)
            return True
        return super().event(event)

    def _paint_now(self, p: QPainter, pal: QPalette) -> None:
        if self.now is None:
            return
        local = self.now.astimezone(at(date(2000, 1, 1), 0).tzinfo)
        minute = local.hour * 60 + local.minute
        if not self.first_minute <= minute <= self.last_minute:
            return
        for index, column in enumerate(self.columns):
            if column.day == local.date():
                rect = self._column_rect(index)
                y = round(self._y(minute))
                p.setPen(QPen(pal.color(QPalette.ColorRole.Link), 2))
                p.drawLine(rect.left(), y, rect.right(), y)

    def _paint_cursor(self, p: QPainter, pal: QPalette) -> None:
        if not self.columns:
            return
        cell = self.cell_rect(self.col, self.slot).adjusted(1, 1, -1, -1)
        pen = QPen(pal.color(QPalette.ColorRole.Highlight), 3 if self.hasFocus() else 1.5)
        pen.setStyle(Qt.PenStyle.SolidLine if self.hasFocus() else Qt.PenStyle.DotLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(cell)

    # --- input ------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        K = Qt.Key
        moves: dict[int, tuple[str, int]] = {  # key() is an int; Qt.Key is an IntEnum
            K.Key_Left: ("worker", -1) if ctrl else ("day", -1),
            K.Key_Right: ("worker", 1) if ctrl else ("day", 1),
            K.Key_Up: ("slot", -1), K.Key_Down: ("slot", 1),
            K.Key_PageUp: ("week", -1), K.Key_PageDown: ("week", 1),
            K.Key_Home: ("edge", -1), K.Key_End: ("edge", 1),
            K.Key_T: ("today", 0),
        }
        if key in (K.Key_Return, K.Key_Enter):
            self.activated.emit()
        elif key in moves and not (key == K.Key_T and mods & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            self.navigate.emit(*moves[key])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        gutter, header, row = self._metrics()
        if pos.x() < gutter or pos.y() < header or not self.columns:
            return None
        for index in range(len(self.columns)):
            if self._column_rect(index).left() <= pos.x() <= self._column_rect(index).right():
                return index, min(self.rows - 1, (pos.y() - header) // row)
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        cell = self._cell_at(event.position().toPoint())
        if cell is not None:
            self.set_cursor(*cell)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        cell = self._cell_at(event.position().toPoint())
        if cell is not None:
            self.set_cursor(*cell)
            self.activated.emit()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.update()
