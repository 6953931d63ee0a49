"""Feedback figures: satisfaction (4-5), NPS (9-10 minus 0-6) and mean, by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules import feedback as rules


def test_figures_by_hand():
    # Scores 5, 4, 4, 3, 1: satisfied 3 of 5 = 60 %, mean 17 / 5 = 3.4.
    # Recommend 10, 9, 7, 6, 0 (+ one not given): promoters 2, detractors 2 of 5 -> 0.
    t = rules.tally([5, 4, 4, 3, 1], [10, 9, 7, 6, 0, None])
    f = rules.figures(t)
    assert (f.answers, f.satisfaction, f.mean, f.nps, f.recommend_answers) == (
        5, 60.0, 3.4, 0.0, 5)
    # Recommend 10, 10, 9, 8: 3 promoters of 4, no detractor -> +75.
    assert rules.figures(rules.tally([5], [10, 10, 9, 8])).nps == 75.0
    # All detractors -> -100.
    assert rules.figures(rules.tally([2, 2], [0, 6])).nps == -100.0


def test_no_answers_gives_no_figures():
    f = rules.figures(rules.Tally())
    assert (f.answers, f.satisfaction, f.nps, f.mean) == (0, None, None, None)
    assert rules.figures(rules.tally([4, 5])).nps is None  # nobody answered 0-10


@given(st.lists(st.integers(1, 5), max_size=40),
       st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=40),
       st.lists(st.integers(1, 5), max_size=40))
def test_tallies_add_up_and_figures_stay_in_range(scores, recommends, more):
    whole = rules.tally(scores + more, recommends)
    assert rules.tally(scores, recommends) + rules.tally(more) == whole
    f = rules.figures(whole)
    if f.satisfaction is not None:
        assert 0 <= f.satisfaction <= 100 and 1 <= f.mean <= 5
    if f.nps is not None:
        assert -100 <= f.nps <= 100


@pytest.mark.parametrize(("answers", "minimum", "shown"), [
    (9, 10, False), (10, 10, True), (11, 10, True), (1, 0, True), (0, 0, False)])
def test_worker_visible_only_with_enough_answers(answers, minimum, shown):
    assert rules.worker_visible(answers, minimum) is shown


@pytest.mark.parametrize(("pin", "ok"), [
    ("1234", True), ("12345678", True), ("123", False), ("123456789", False),
    ("12a4", False), ("１２３４", False)])
def test_pin_rule(pin, ok):
    assert (rules.check_pin(pin) is None) is ok
