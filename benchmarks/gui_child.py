"""Search-while-typing and scrolling in the real customer list, with raw sqlite3 baselines.

`python -m benchmarks.gui_child DB --repeats N [--scroll-rows N] [--painted-screens N]`
signs in as the demo coach in the real main window (offscreen), opens the customer list
and emits one JSON object (see benchmarks.common.emit). Raw and application samples are
taken interleaved, in this one process, so that machine noise hits both alike.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QAbstractSlider, QTableView
from sqlalchemy import event

from app.db.engine import raw_connect  # keyed: the local files are encrypted
from app.services.registry import Services
from app.views.application import build_main_window, make_application
from app.views.main_window import ROW
from benchmarks.common import emit, summary
from benchmarks.qt import drain, wait_until


class SqlCapture:
    """The SQL and parameters SQLAlchemy sends to SQLite during a call."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[tuple[str, tuple]] = []

    def __enter__(self) -> SqlCapture:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, _many) -> None:
        self.statements.append((statement, tuple(parameters)))

    def select_from_customer(self) -> tuple[str, tuple]:
        return next(s for s in reversed(self.statements)
                    if s[0].lstrip().upper().startswith("SELECT") and "customer" in s[0])


class GcClock:
    """Time spent in the cyclic garbage collector (any thread), for the breakdowns."""

    def __init__(self) -> None:
        self.total, self._started = 0.0, 0.0
        gc.callbacks.append(self._event)

    def _event(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._started


class Bench:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.gc = GcClock()
        self.services = Services.open(db, "bench")
        self.qapp = make_application(["bench"])
        self.window, self.runner = build_main_window(self.qapp, self.services, "fi")
        self.window.show()
        self.raw = raw_connect(db)
        self.window.session.sign_in("coach", "demo")
        wait_until(lambda: self.window.actor is not None)
        self.window.nav.setCurrentRow(ROW["customers"])
        self.page = self.window.page("customers")
        self.model = self.page.model
        self.view = self.page.list_view
        self.table = self.view.table
        self.idle()
        # Time the search itself: without this the 200 ms debounce is in every figure.
        self.view.debounce.setInterval(0)
        self.worker_page_s: list[float] = []
        service = self.model.service
        original_page = service.page

        def timed_page(*args, **kwargs):  # runs in the database thread
            started = time.perf_counter()
            result = original_page(*args, **kwargs)
            self.worker_page_s.append(time.perf_counter() - started)
            return result

        service.page = timed_page  # this instance only, inside this benchmark process

    def idle(self) -> None:
        wait_until(lambda: self.model.started and not self.model.loading
                   and not self.runner.busy)
        drain()

    def captured(self, fn) -> tuple[str, tuple]:
        with SqlCapture(self.services.ctx.engine) as capture:
            fn()
        return capture.select_from_customer()

    def raw_seconds(self, sql: str, params: tuple) -> float:
        started = time.perf_counter()
        self.raw.execute(sql, params).fetchall()
        return time.perf_counter() - started

    # --- 2. search while typing ---------------------------------------------------------

    def typed_texts(self) -> dict[str, str]:
        # QTest types ASCII only (a non-ASCII key aborts Qt): the commonest such name.
        last = self.raw.execute(
            "SELECT last_name FROM customer WHERE deleted_at IS NULL "
            "AND last_name NOT GLOB '*[^A-Za-z -]*' "
            "GROUP BY last_name ORDER BY count(*) DESC, last_name LIMIT 1").fetchone()[0]
        first = self.raw.execute(
            "SELECT first_names FROM customer WHERE last_name = ? AND deleted_at IS NULL "
            "AND substr(first_names, 1, 3) NOT GLOB '*[^A-Za-z]*' GROUP BY first_names "
            "ORDER BY count(*) DESC, first_names LIMIT 1",
            (last,)).fetchone()[0]
        (total,) = self.raw.execute("SELECT count(*) FROM customer WHERE hetu IS NOT NULL"
                                    ).fetchone()
        (hetu,) = self.raw.execute("SELECT hetu FROM customer WHERE hetu IS NOT NULL "
                                   "ORDER BY sort_name LIMIT 1 OFFSET ?", (total // 2,)
                                   ).fetchone()
        return {"name": f"{last} {first.split()[0][:3]}", "identity_code": hetu[:7]}

    def clear_search(self) -> None:
        self.view.search.clear()
        wait_until(lambda: self.model.query == "")
        self.idle()

    def search(self, repeats: int) -> dict:
        texts = self.typed_texts()
        prefixes = {t[:i] for t in texts.values() for i in range(1, len(t) + 1)}
        raw_sql = {p: self.captured(lambda p=p: self.services.customers.page(p))
                   for p in prefixes}
        count_sql = {}
        for p in prefixes:
            with SqlCapture(self.services.ctx.engine) as capture:
                self.services.customers.count(p)
            count_sql[p] = capture.statements[-1]
        keys, raws, counts_raw, to_total, per_key = [], [], [], [], []
        updated_s, paint_s, worker_s, gc_s = [], [], [], []
        for _ in range(repeats):
            for label, text in texts.items():
                self.clear_search()
                for i, char in enumerate(text):
                    prefix = text[: i + 1]
                    raw = self.raw_seconds(*raw_sql[prefix])
                    counts_raw.append(self.raw_seconds(*count_sql[prefix]))
                    pages_before, gc_before = len(self.worker_page_s), self.gc.total
                    started = time.perf_counter()
                    QTest.keyClicks(self.view.search, char)
                    expected = self.view.search.text()
                    wait_until(lambda e=expected: self.model.query == e
                               and not self.model.loading)
                    updated = time.perf_counter()
                    self.table.viewport().repaint()  # the updated rows on screen
                    shown = time.perf_counter()
                    wait_until(lambda: not self.runner.busy)  # the count in the status bar
                    to_total.append(time.perf_counter() - started)
                    worker = sum(self.worker_page_s[pages_before:])
                    keys.append(shown - started)
                    raws.append(raw)
                    updated_s.append(updated - started)
                    paint_s.append(shown - updated)
                    worker_s.append(worker)
                    gc_s.append(self.gc.total - gc_before)
                    per_key.append({"text": label, "typed": prefix, "rows": len(self.model.rows),
                                    "app_ms": (shown - started) * 1000, "raw_ms": raw * 1000,
                                    "worker_page_ms": worker * 1000,
                                    "paint_ms": (shown - updated) * 1000,
                                    "gc_ms": gc_s[-1] * 1000})
        self.clear_search()
        return {
            "texts": texts, "app_s": summary(keys), "raw_s": summary(raws),
            "key_to_total_s": summary(to_total), "raw_count_s": summary(counts_raw),
            "key_to_model_s": summary(updated_s), "paint_s": summary(paint_s),
            "per_key_ratio_median": statistics.median(a / r for a, r in zip(keys, raws,
                                                                             strict=True)),
            "worker_page_s": summary(worker_s), "gc_s": summary(gc_s),
            "debounce_ms": 200, "keystrokes": per_key,
        }

    # --- 3. scrolling -------------------------------------------------------------------

    def rows_per_screen(self) -> int:
        height = self.table.verticalHeader().defaultSectionSize()
        return max(1, self.table.viewport().height() // height)

    def keyset_sql(self) -> tuple[str, tuple, tuple[str, str], str, tuple]:
        """The model's statements with its page sizes (a small first page, larger ones
        after it), so that the raw reading pages exactly as the model does."""
        from app.views.customers.table_model import FIRST_PAGE, MORE_PAGE

        customers = self.services.customers
        first_sql, first_params = self.captured(lambda: customers.page("", None, FIRST_PAGE))
        page = customers.page("", None, FIRST_PAGE)
        after = (page.rows[-1].sort_key, page.rows[-1].id)
        sql, params = self.captured(lambda: customers.page("", after, MORE_PAGE))
        return first_sql, first_params, after, sql, params

    def raw_pages(self, max_rows: int, sqls) -> tuple[float, int]:
        """Read the list page by page with plain sqlite3: the same keyset statements."""
        first_sql, first_params, after, sql, params = sqls
        cursor = self.raw.execute(first_sql, first_params)
        names = [d[0] for d in cursor.description]
        key_at, id_at = names.index("sort_name"), names.index("id")
        positions = [params.index(after[0]), params.index(after[1])]
        # "LIMIT ? OFFSET ?" end both statements; a page asks for one row more than it keeps.
        rows, first_limit, limit = cursor.fetchall(), first_params[-2], params[-2]
        more = len(rows) >= first_limit
        page = rows[: first_limit - 1]
        loaded, started = len(page), time.perf_counter()
        while more and loaded < max_rows:
            last = page[-1]
            values = list(params)
            values[positions[0]], values[positions[1]] = last[key_at], last[id_at]
            rows = self.raw.execute(sql, values).fetchall()
            more, page = len(rows) >= limit, rows[: limit - 1]
            loaded += len(page)
        return time.perf_counter() - started, loaded

    def app_pages(self, max_rows: int) -> tuple[float, int]:
        """fetchMore through the real model (each page a task in the database thread)."""
        self.model.set_query("")
        self.idle()
        first = len(self.model.rows)
        started = time.perf_counter()
        while self.model.canFetchMore() and len(self.model.rows) < max_rows:
            self.model.fetchMore()
            wait_until(lambda: not self.model.loading)
        return time.perf_counter() - started, len(self.model.rows) - first

    def scroll(self, repeats: int, max_rows: int) -> dict:
        per_screen = self.rows_per_screen()
        sqls = self.keyset_sql()
        app, raw, worker, gc_share = [], [], [], []
        for _ in range(repeats):
            pages_before, gc_before = len(self.worker_page_s), self.gc.total
            seconds, rows = self.app_pages(max_rows)
            screens = rows / per_screen
            app.append(seconds / screens)
            worker.append(sum(self.worker_page_s[pages_before:]) / screens)
            gc_share.append((self.gc.total - gc_before) / screens)
            raw_seconds, raw_rows = self.raw_pages(max_rows, sqls)
            raw.append(raw_seconds / (raw_rows / per_screen))
        return {"rows_per_screen": per_screen, "rows": len(self.model.rows),
                "raw_rows": raw_rows, "app_s_per_screen": summary(app),
                "raw_s_per_screen": summary(raw), "worker_s_per_screen": summary(worker),
                "gc_s_per_screen": summary(gc_share),
                "worker_page_s": summary(self.worker_page_s[-max(1, rows // 200):])}

    # --- 3b. scrolling on screen ------------------------------------------------------------

    def painted(self, table: QTableView, busy, max_screens: int) -> tuple[float, int]:
        bar = table.verticalScrollBar()
        bar.setValue(0)
        drain()
        screens, started = 0, time.perf_counter()
        while screens < max_screens:
            before = bar.value()
            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
            wait_until(lambda: not busy())
            drain(1)
            table.viewport().repaint()
            screens += 1
            if bar.value() == before and not table.model().canFetchMore(QModelIndex()):
                break
        return time.perf_counter() - started, screens

    def painted_scroll(self, max_screens: int) -> dict:
        self.model.set_query("")
        self.idle()
        bare = BareTable(self.db, self.keyset_sql(), self.table)
        app_s, app_screens = self.painted(self.table, lambda: self.model.loading, max_screens)
        raw_s, raw_screens = self.painted(bare.view, lambda: False, max_screens)
        bare.view.close()
        return {"app_s_per_screen": app_s / app_screens, "raw_s_per_screen": raw_s / raw_screens,
                "screens": app_screens, "raw_screens": raw_screens}


class RawModel(QAbstractTableModel):
    """The least a Qt table over keyset pages of plain sqlite3 rows can do."""

    def __init__(self, db: Path, sqls) -> None:
        super().__init__()
        self.con = raw_connect(db)
        self.first_sql, self.first_params, after, self.sql, self.params = sqls
        self.positions = [self.params.index(after[0]), self.params.index(after[1])]
        cursor = self.con.execute(self.first_sql, self.first_params)
        names = [d[0] for d in cursor.description]
        self.key_at, self.id_at = names.index("sort_name"), names.index("id")
        self.columns = [names.index(n) for n in ("last_name", "hetu", "birth_date",
                                                 "customer_number", "full_name", "code",
                                                 "unemployed_since") if n in names]
        fetched = cursor.fetchall()
        self.rows, self.more = fetched[:200], len(fetched) > 200

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        return str(row[self.columns[index.column() % len(self.columns)]])

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.more

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        last, values = self.rows[-1], list(self.params)
        values[self.positions[0]], values[self.positions[1]] = last[self.key_at], last[self.id_at]
        fetched = self.con.execute(self.sql, values).fetchall()
        page, self.more = fetched[:200], len(fetched) > 200
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()


class BareTable:
    def __init__(self, db: Path, sqls, like: QTableView) -> None:
        self.model = RawModel(db, sqls)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        for column in range(7):
            self.view.setColumnWidth(column, like.columnWidth(column))
        self.view.resize(like.size())
        self.view.show()
        drain()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scroll-repeats", type=int, default=3)
    parser.add_argument("--scroll-rows", type=int, default=10**9)
    parser.add_argument("--painted-screens", type=int, default=10**9)
    args = parser.parse_args()
    bench = Bench(args.db)
    result = {"search": bench.search(args.repeats),
              "scroll": bench.scroll(args.scroll_repeats, args.scroll_rows)}
    if args.painted_screens:
        result["painted_scroll"] = bench.painted_scroll(args.painted_screens)
    emit(result)
    bench.runner.wait()
    bench.services.close()


if __name__ == "__main__":
    main()
