"""The printed plan read back from the real PDF: text, language, fonts, page numbers."""

import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from app.dto.plans import PlanActionItem, PlanContent, PlanDocument, PlanGoalItem, PlanServiceItem
from app.i18n import catalog_has, translate_in
from app.printing.plan_pdf import render_plan
from app.rules import plan_vocabulary as vocab
from app.services.plans import PlanService, review_periods
from tests.factories import customer_input

# The printed words themselves, once the catalogs have them (checked when they do).
LOCAL_WORDS = {
    "fi": ("Työllistymissuunnitelma", "Työnhakuvelvollisuus", "Tarkastelujakso", "Sivu 1 / 2"),
    "sv": ("Sysselsättningsplan", "Jobbsökningsskyldighet", "Granskningsperiod", "Sida 1 / 2"),
}
SAMI_NAME = "Áŧŧe Máret Čuovga Ŋuolja-Đavvi"
GOAL = "Työpaikka matkailualalta Rovaniemen seudulta – ympärivuotinen."
TODAY = date(2026, 11, 24)


def document(lang="fi", actions=2, status="accepted", **content_changes) -> PlanDocument:
    content = PlanContent(
        goals=(PlanGoalItem("work", GOAL), PlanGoalItem("education", "Hygieniapassi.")),
        actions=tuple(
            PlanActionItem("customer" if i % 2 == 0 else "partner", f"Toimenpide {i + 1}.",
                           TODAY + timedelta(days=7 * (i + 1)))
            for i in range(actions)),
        services=(PlanServiceItem("work_trial", "Rovaniemen kaupunki", TODAY,
                                  TODAY + timedelta(days=60), "Varastotyö"),),
        applications_per_period=2, period_months=1, obligation_starts_on=TODAY,
        obligation_lowered_reason="Osa-aikatyö 20 h viikossa.",
        contact_method="Puhelin", contact_frequency="Kerran kuukaudessa",
        next_review_on=date(2027, 2, 24), summary="Kausitöitä matkailualalla.",
    )
    for key, value in content_changes.items():
        content = content.__class__(**{**content.__dict__, key: value})
    return PlanDocument(
        lang=lang, customer_name=SAMI_NAME, customer_hetu="030288-612F",
        customer_number="1ARD-X2JM", customer_language=lang, coach_name="Pekka Ylitalo",
        coach_phone="040 123 4567", coach_email="pekka.ylitalo@example.fi",
        service_point_name="Rovaniemi – Osaamo", service_point_address="Rovaniemi",
        plan_type="employment", number=2, status=status, accepted_how="signed",
        accepted_at=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        accepted_by_name="Pekka Ylitalo", content=content, periods=review_periods(content),
        printed_at=datetime(2026, 11, 24, 10, 5, tzinfo=UTC), printed_by="Pekka Ylitalo",
    )


def text_of(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_printed_plan_reads_back_in_its_language(lang):
    pdf = render_plan(document(lang), lang)
    reader, pages = text_of(pdf)
    text = flat(" ".join(pages))
    t = lambda msgid: translate_in(lang, msgid)  # noqa: E731
    assert SAMI_NAME in text  # Č đ ŋ ŧ and Á survive exactly
    assert GOAL in text
    for heading in (vocab.PLAN_TYPES["employment"], "Job-search obligation",
                    "Situation and goals", "Review period", "Applications",
                    "Customer's signature"):
        assert t(heading) in text, heading
    # The obligation as a table of review periods: number, from, to, applications.
    assert re.search(r"1\. 24\.11\.2026 23\.12\.2026 2", text) or lang == "en"
    if lang in LOCAL_WORDS and catalog_has(lang, "Job-search obligation"):
        for word in LOCAL_WORDS[lang]:
            assert word in text, word
    assert "030288-612F" in text  # the customer's own copy shows the full code
    metadata = reader.metadata
    assert metadata.title == f"{t('Employment plan')} – {SAMI_NAME}"
    assert "Pekka Ylitalo" in metadata.author
    assert reader.trailer["/Root"]["/Lang"] == {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}[lang]


def test_review_periods_table_in_english_dates():
    text = flat(" ".join(text_of(render_plan(document("en"), "en"))[1]))
    assert "1. 24/11/2026 23/12/2026 2" in text
    assert "3. 24/01/2027 23/02/2027 2" in text


def test_long_plan_numbers_pages_x_of_y():
    pdf = render_plan(document("fi", actions=60), "fi")
    _reader, pages = text_of(pdf)
    assert len(pages) >= 3
    label = translate_in("fi", "Page {page} / {pages}")
    for number, page in enumerate(pages, start=1):
        assert label.format(page=number, pages=len(pages)) in page
    assert "Toimenpide 60." in flat(" ".join(pages))


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) missing")
def test_every_font_is_embedded(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_plan(document("sv", actions=40), "sv"))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        # name type encoding emb sub uni object ID: emb is the fourth column from the end
        assert row.split()[-5] == "yes", out
    assert "Helvetica" not in out


def test_draft_prints_with_signature_lines_and_no_acceptance():
    text = flat(" ".join(text_of(render_plan(document("en", status="draft"), "en"))[1]))
    assert "Draft – not yet accepted" in text
    assert "Customer's signature" in text and "Accepted on" not in text


def test_verbal_acceptance_needs_no_signatures():
    doc = document("en")
    doc = doc.__class__(**{**doc.__dict__, "accepted_how": "verbal"})
    text = flat(" ".join(text_of(render_plan(doc, "en"))[1]))
    assert "Agreed verbally".lower() in text.lower()
    assert "Customer's signature" not in text


def test_service_prints_a_customer_in_another_language_in_finnish(signed_in):
    card = signed_in.customers.create(
        customer_input("Ŋuolja-Đavvi", "Áŧŧe Máret Čuovga", date(1988, 2, 3), 612,
                       language="so"))
    plans = PlanService(signed_in.ctx)
    draft = plans.create_plan(card.id, "integration")
    assert draft.customer_language == "so" and draft.print_language == "fi"
    document = plans.print_document(draft.id)
    assert document.lang == "fi"
    reader, pages = text_of(plans.render(document))
    text = flat(" ".join(pages))
    assert SAMI_NAME in text
    assert translate_in("fi", "Integration plan") in text
    assert reader.trailer["/Root"]["/Lang"] == "fi-FI"


LONG_GOAL = ("Työpaikka matkailualalta Rovaniemen seudulta, mieluiten ympärivuotinen ja "
             "kokoaikainen, jossa voi käyttää kielitaitoa ja aiempaa kokemusta "
             "asiakaspalvelusta sekä ravintola-alalta.")


def test_long_cell_text_still_wraps_inside_its_column():
    # Short values print as plain strings; a goal longer than its column is a Paragraph
    # that wraps (one string would run over the goal-type column and the page edge).
    doc = document("fi", goals=(PlanGoalItem("work", LONG_GOAL),),
                   summary="Tilanne\nkahdella rivillä.")
    _reader, pages = text_of(render_plan(doc, "fi"))
    text = " ".join(pages)
    assert LONG_GOAL not in text  # broken over lines …
    assert LONG_GOAL in flat(text)  # … in order and complete
    assert "Tilanne\nkahdella rivillä." in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
@pytest.mark.parametrize(("status", "changes"), [
    ("accepted", {}), ("draft", {"services": (), "next_review_on": None})])
def test_plain_lines_print_exactly_like_paragraphs(tmp_path, monkeypatch, status, changes):
    # Text that fits on its line is drawn without a Paragraph (a string in a table cell or
    # a one-line flowable): the pages must come out exactly as with Paragraphs.
    from app.printing import plan_pdf

    doc = document("sv", actions=12, status=status,
                   goals=(PlanGoalItem("work", LONG_GOAL), PlanGoalItem("other", "")),
                   **changes)

    def pixels(name: str) -> list[bytes]:
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(render_plan(doc, "sv"))
        subprocess.run(["pdftoppm", "-r", "100", str(pdf), str(tmp_path / name)], check=True)
        return [page.read_bytes() for page in sorted(tmp_path.glob(f"{name}-*.ppm"))]

    fast = pixels("strings")
    monkeypatch.setattr(plan_pdf._Plan, "fits", lambda *_args: False)  # Paragraphs only
    slow = pixels("paragraphs")
    assert len(fast) == len(slow) >= 2
    assert fast == slow
