"""The coach's Today page: the worklist in groups by kind with counts in the headings,
overdue first (the longest overdue first) with the days overdue in words, a colour and an
icon; a row opens the customer's card by Enter and double-click; the groups are named for
a screen reader."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon, QPalette

from app.dto.coaching import WorkItem
from app.views import style
from app.views.coaching.today import GROUP_ROLE, TodayPage, days_overdue, group_items
from app.views.main_window import ROW
from tests.gui.test_coaching import NOW, prepare, sign_in_as

DAY = date(2026, 11, 24)


def item(cid: str, kind: str, due: date | None, late: int = 0, detail: str = "") -> WorkItem:
    return WorkItem(cid, f"Asiakas {cid}", kind, due, late > 0, "",
                    detail=str(late) if late else detail)


ITEMS = [
    item("a", "plan_review", DAY + timedelta(days=2)),
    item("b", "not_contacted", DAY - timedelta(days=70), detail="70"),
    item("c", "initial_interview", DAY - timedelta(days=3), late=3),
    item("d", "plan_review", DAY - timedelta(days=1), late=1),
    item("e", "no_plan", None),
    item("f", "initial_interview", DAY + timedelta(days=1)),
    item("g", "initial_interview", DAY - timedelta(days=12), late=12),
    item("h", "hundred_days", DAY + timedelta(days=9)),
    item("i", "not_contacted", None),
    item("j", "job_search_conversation", DAY),
]


def headings(model) -> list[QModelIndex]:
    return [model.index(row, 0) for row in range(model.rowCount())]


def rows_under(model, heading: QModelIndex) -> list[str]:
    return [model.item_of(model.index(r, 0, heading)).customer_id
            for r in range(model.rowCount(heading))]


def test_grouped_by_kind_overdue_first_longest_first():
    groups = group_items(ITEMS)
    assert list(groups) == ["initial_interview", "job_search_conversation", "plan_review",
                            "hundred_days", "no_plan", "not_contacted"]
    assert [i.customer_id for i in groups["initial_interview"]] == ["g", "c", "f"]
    assert [i.customer_id for i in groups["plan_review"]] == ["d", "a"]
    # Never contacted before the longest silence.
    assert [i.customer_id for i in groups["not_contacted"]] == ["i", "b"]
    assert days_overdue(groups["initial_interview"][0]) == 12


@pytest.fixture
def today(qtbot, window):
    """The page on its own, shown, with the rows above."""
    page = TodayPage(window.services.clock, window.runner)
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    qtbot.waitExposed(page)
    page.show_items(ITEMS)
    return page


def test_headings_count_their_rows_and_overdue_rows_are_marked(today):
    model = today.model
    tops = headings(model)
    assert [h.data(GROUP_ROLE) for h in tops] == list(group_items(ITEMS))
    interviews = tops[0]
    assert rows_under(model, interviews) == ["g", "c", "f"]
    # The count, and of it the overdue ones, in the heading a screen reader reads.
    assert "(3, 2 " in interviews.data() and "3" in interviews.data()
    assert tops[1].data().endswith("(1)")
    assert today.table.isFirstColumnSpanned(0, QModelIndex())
    assert today.table.isExpanded(interviews)
    # The backlogs without a deadline start folded: every heading fits on the screen.
    no_plan, quiet = tops[4], tops[5]
    assert not today.table.isExpanded(no_plan) and not today.table.isExpanded(quiet)
    assert quiet.data().endswith("(2)")
    # The overdue marker: the days in words, an icon, the overdue colour; not colour alone.
    status = model.index(0, 2, interviews)
    assert "12" in status.data()
    assert isinstance(status.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert status.data(Qt.ItemDataRole.ForegroundRole).color() == style.status_color(
        style.OVERDUE, today.table.palette())
    assert status.data(Qt.ItemDataRole.ForegroundRole).color() != today.table.palette() \
        .color(QPalette.ColorRole.Text)
    on_time = model.index(2, 2, interviews)
    assert on_time.data(Qt.ItemDataRole.DecorationRole) is None
    assert "12" not in on_time.data()
    # The navigation's count is the number of rows, not of groups.
    assert len(model.items) == len(ITEMS)
    assert today.table.currentIndex().parent() == interviews  # the first row is chosen


def test_enter_and_double_click_open_the_card_a_heading_folds(qtbot, today):
    opened: list[str] = []
    today.open_customer.connect(opened.append)
    today.activateWindow()
    today.table.setFocus()
    model = today.model
    interviews = model.index(0, 0)
    today.table.setCurrentIndex(model.index(1, 0, interviews))
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    assert opened == ["c"]
    row = model.index(0, 1, model.index(2, 0))  # the first plan review, by its date
    rect = today.table.visualRect(row)
    # A real double click presses first (QTest's double click alone does not).
    qtbot.mouseClick(today.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == ["c"], "a single click only chooses"
    qtbot.mouseDClick(today.table.viewport(), Qt.MouseButton.LeftButton,
                      pos=rect.center())
    assert opened == ["c", "d"]
    today.table.setCurrentIndex(interviews)
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    assert not today.table.isExpanded(interviews) and opened == ["c", "d"]
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    assert today.table.isExpanded(interviews)
    # Folding stays through a reload (F5) until sign-out.
    today.table.setExpanded(model.index(5, 0), True)
    today.table.setExpanded(interviews, False)
    today.show_items(ITEMS)
    assert today.table.isExpanded(today.model.index(5, 0))
    assert not today.table.isExpanded(today.model.index(0, 0))
    today.clear()
    today.show_items(ITEMS)
    assert today.table.isExpanded(today.model.index(0, 0))
    assert not today.table.isExpanded(today.model.index(5, 0))


def test_the_service_gives_the_days_overdue(qtbot, window):
    prepare(window)
    sign_in_as(qtbot, window, "coach")
    window.nav.setCurrentRow(ROW["today"])
    today = window.page("today")
    qtbot.waitUntil(lambda: len(today.model.items) > 0, timeout=10000)
    first = today.model.items[0]
    assert first.overdue and first.due_on is not None
    assert days_overdue(first) == (NOW.date() - first.due_on).days > 0


def test_the_page_is_named_and_reachable_by_keyboard(qtbot, today):
    from tests.gui.test_accessibility import check_page

    check_page(qtbot, today, "today")
    assert today.table.accessibleName() and today.table.accessibleDescription()
    # Each heading is a row of its own the screen reader reads with its count.
    first = today.model.index(0, 0)
    assert "(3, 2" in first.data(Qt.ItemDataRole.DisplayRole)
