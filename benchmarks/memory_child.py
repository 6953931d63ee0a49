"""Resident memory with the demo open on the customer list (VmRSS from /proc).

`python -m benchmarks.memory_child app DB` signs in as the demo coach in the real main
window and opens the customer list; `... bare DB` shows a bare QMainWindow with a
QTableView over the first page of customers read with plain sqlite3. Each emits its
resident set once the list is on screen, and the app also after paging through the whole
list (what a worker who scrolls to the end holds).
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from app.db.engine import raw_connect  # keyed: the local files are encrypted
from benchmarks.common import emit, read_rss_kib
from benchmarks.qt import drain, wait_until


def settle_rss() -> dict[str, int]:
    gc.collect()
    drain()
    return read_rss_kib()


def run_app(db: Path) -> dict:
    from app.services.registry import Services
    from app.views.application import build_main_window, make_application
    from app.views.main_window import ROW

    services = Services.open(db, "bench")
    qapp = make_application(["bench"])
    window, runner = build_main_window(qapp, services, "fi")
    window.show()
    window.session.sign_in("coach", "demo")
    wait_until(lambda: window.actor is not None)
    window.nav.setCurrentRow(ROW["customers"])
    model = window.page("customers").model
    wait_until(lambda: model.started and not model.loading and not runner.busy)
    window.page("customers").list_view.table.viewport().repaint()
    opened = settle_rss()
    while model.canFetchMore():
        model.fetchMore()
        wait_until(lambda: not model.loading)
    wait_until(lambda: not runner.busy)
    scrolled = settle_rss()
    result = {"list_open": opened, "all_rows_loaded": scrolled, "rows": len(model.rows)}
    runner.wait()
    services.close()
    return result


def run_bare(db: Path) -> dict:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    qapp = QApplication(["bench"])
    con = raw_connect(db)
    rows = con.execute("SELECT last_name, first_names, hetu, birth_date, customer_number, "
                       "service_point_id, unemployed_since FROM customer "
                       "ORDER BY sort_name, id LIMIT 200").fetchall()
    model = QStandardItemModel(len(rows), 7)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem(str(value)))
    window = QMainWindow()
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    drain()
    table.viewport().repaint()
    result = {"list_open": settle_rss()}
    window.close()
    del qapp
    return result


if __name__ == "__main__":
    mode, path = sys.argv[1], Path(sys.argv[2])
    emit(run_app(path) if mode == "app" else run_bare(path))
