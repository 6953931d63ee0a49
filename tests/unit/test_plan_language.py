"""A plan is in its customer's language: the printed plan shows the chosen ready wordings in
the plan's print language, and the demo writes each plan in its customer's language
(issue 18, fault 9: a Swedish plan printed "Hur: Etätapaaminen")."""

from __future__ import annotations

from pathlib import Path

from app.demo import names as words
from app.demo.area import build_demo
from app.printing.plan_pdf import render_plan
from app.rules.plan_vocabulary import print_language
from tests.unit.test_demo import TODAY, fresh_engine, rows
from tests.unit.test_plan_pdf import document, text_of


def printed(lang: str, **content) -> str:
    _reader, pages = text_of(render_plan(document(lang, **content), lang))
    return " ".join(" ".join(pages).split())


def test_swedish_plan_prints_the_chosen_values_in_swedish():
    text = printed("sv", contact_method="Etätapaaminen",
                   contact_frequency="Työnhakukeskustelu kolmen kuukauden välein",
                   summary="Asiakas tarvitsee tukea koulutusvaihtoehtojen selvittämiseen.",
                   obligation_lowered_reason="Asiakas on osa-aikatyössä.")
    assert "Distansmöte" in text and "Etätapaaminen" not in text
    assert "Jobbsökningssamtal var tredje månad" in text
    assert "Kunden behöver stöd för att utreda sina utbildningsalternativ." in text
    assert "Kunden har deltidsarbete." in text
    assert "kolmen kuukauden" not in text and "osa-aikatyössä" not in text


def test_a_coachs_own_words_print_as_written():
    text = printed("en", contact_method="Puhelin", contact_frequency="Joka toinen tiistai")
    assert "Phone" in text and "Puhelin" not in text
    assert "Joka toinen tiistai" in text


def test_finnish_plan_prints_a_wording_chosen_in_english_in_finnish():
    text = printed("fi", contact_method="Video meeting")
    assert "Etätapaaminen" in text and "Video meeting" not in text


def test_demo_plans_are_in_their_customers_language(tmp_path: Path):
    engine = fresh_engine(tmp_path / "demo.sqlite3")
    build_demo(engine, seed=7, scale=0.05, today=TODAY)
    found = rows(engine, """
        SELECT c.language, v.contact_frequency, v.summary, v.contact_method
        FROM plan_version v JOIN plan p ON p.id = v.plan_id JOIN customer c ON c.id = p.customer_id
    """)
    by_lang: dict[str, set[str]] = {}
    for language, frequency, summary, method in found:
        lang = print_language(language)
        index = ("fi", "sv", "en").index(lang)
        assert frequency == words.CONTACT_FREQUENCY[index], (language, frequency)
        assert summary in {s[index] for s in words.PLAN_SUMMARIES}, (language, summary)
        assert method in {m[index] for m in words.CONTACT_METHODS}, (language, method)
        by_lang.setdefault(lang, set()).add(summary)
    assert {"fi", "sv", "en"} <= set(by_lang), by_lang.keys()
    goals = rows(engine, """
        SELECT c.language, g.text FROM plan_goal g JOIN plan_version v ON v.id = g.plan_version_id
        JOIN plan p ON p.id = v.plan_id JOIN customer c ON c.id = p.customer_id
        WHERE c.language = 'sv'
    """)
    swedish = {t[1] for kind in words.PLAN_GOALS.values() for t in kind}
    assert goals and all(text in swedish for _lang, text in goals)
