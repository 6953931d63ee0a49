"""4. Printing a three-page plan to PDF, against a bare ReportLab document of the same
content (the same text, the same embedded fonts; none of the layout, header or footer).

`python -m benchmarks.plan_child DB --repeats N` emits one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import re
import time
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from app.db.engine import raw_connect  # keyed: the local files are encrypted
from benchmarks.common import emit, median, summary

PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pages(pdf: bytes) -> int:
    return len(PAGE.findall(pdf))


def candidates(db: Path, limit: int = 15) -> list[str]:
    """Plan versions with the most content first (a long plan prints on more pages)."""
    con = raw_connect(db)
    rows = con.execute(
        "SELECT v.id FROM plan_version v WHERE v.deleted_at IS NULL ORDER BY "
        "(SELECT count(*) FROM plan_action a WHERE a.plan_version_id = v.id) * 3 + "
        "(SELECT count(*) FROM plan_goal g WHERE g.plan_version_id = v.id) * 2 + "
        "(SELECT count(*) FROM plan_service s WHERE s.plan_version_id = v.id) * 3 + "
        "length(coalesce(v.summary, '')) / 200 DESC, v.id LIMIT ?", (limit,)).fetchall()
    con.close()
    return [r[0] for r in rows]


def _text(value) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return "" if value is None else str(value)


def bare_pdf(document) -> bytes:
    """The document's text as plain paragraphs and tables, in the same fonts."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from app.printing import fonts

    regular, _bold = fonts.register()
    style = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13)
    cell = ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11)
    story = []

    def add(name: str, value) -> None:
        if dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                add(field.name, getattr(value, field.name))
        elif isinstance(value, tuple | list) and value and dataclasses.is_dataclass(value[0]):
            rows = [[Paragraph(escape(_text(getattr(item, f.name))), cell)
                     for f in dataclasses.fields(item)] for item in value]
            story.append(Table(rows, repeatRows=0))
        elif _text(value):
            story.append(Paragraph(f"{escape(name)}: {escape(_text(value))}", style))

    add("plan", document)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=24 * mm, bottomMargin=20 * mm).build(story)
    return buffer.getvalue()


def three_pages(plans, document, count: int):
    """The demo's longest plan, its goals, actions and services repeated until it prints
    on three pages (the demo has no plan that long)."""
    content, times = document.content, 1
    while count < 3 and times < 12:
        times += 1
        longer = dataclasses.replace(
            content, goals=content.goals * times, actions=content.actions * times,
            services=content.services * times)
        candidate = dataclasses.replace(document, content=longer)
        count = pages(plans.render(candidate))
        if count >= 3:
            return candidate, times
    return document, 1


def run(db: Path, repeats: int) -> dict:
    from app.services.registry import Services

    services = Services.open(db, "bench")
    plans = getattr(services, "plans", None)
    if plans is None:  # not wired into the registry yet
        from app.services.plans import PlanService

        plans = PlanService(services.ctx)
    services.auth.sign_in("lead", "demo")  # any plan of the area: caseload rules
    chosen, chosen_pages, tried = None, 0, 0
    for version_id in candidates(db):
        tried += 1
        count = pages(plans.print_pdf(version_id))
        if chosen is None or abs(count - 3) < abs(chosen_pages - 3):
            chosen, chosen_pages = version_id, count
        if count == 3:
            break
    if chosen is None:
        raise RuntimeError("the demo database has no plans")
    document = plans.print_document(chosen)
    document, grown = three_pages(plans, document, chosen_pages)
    app_pages, bare_pages = pages(plans.render(document)), pages(bare_pdf(document))
    app_s, read_s, bare_s = [], [], []
    for _ in range(repeats):  # interleaved, after the warm-up above
        started = time.perf_counter()
        plans.print_document(chosen)  # the read (and the audit event) of a print
        read = time.perf_counter()
        plans.render(document)
        app_s.append(time.perf_counter() - started)
        read_s.append(read - started)
        started = time.perf_counter()
        bare_pdf(document)
        bare_s.append(time.perf_counter() - started)
    services.close()
    return {"version_id": chosen, "demo_plan_pages": chosen_pages, "content_repeated": grown,
            "pages": app_pages, "bare_pages": bare_pages, "candidates_tried": tried,
            "app_s": summary(app_s), "read_s": summary(read_s), "bare_s": summary(bare_s),
            "median_ratio": median(app_s) / median(bare_s)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    emit(run(args.db, args.repeats))


if __name__ == "__main__":
    main()
