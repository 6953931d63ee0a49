"""Customer-feedback figures: satisfaction, Net Promoter Score and the mean score.

Pure arithmetic over counts, so the service can aggregate in SQL (one row of sums per
group) and the same definitions serve tests and reports:
- satisfaction: the share of answers scoring 4 or 5 on the five-point scale (0-100 %);
- NPS: promoters (9-10) minus detractors (0-6) as a share of the 0-10 answers, in
  percentage points (-100 to 100);
- mean: the average of the five-point scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.i18n import N_

SCORES = (1, 2, 3, 4, 5)
SATISFIED_FROM = 4
PROMOTER_FROM = 9
DETRACTOR_TO = 6
MIN_PIN_LENGTH, MAX_PIN_LENGTH = 4, 8


@dataclass(frozen=True)
class Tally:
    """The sums one SQL group (or a list of answers) gives."""

    answers: int = 0
    satisfied: int = 0  # scores 4-5
    score_sum: int = 0
    recommend_answers: int = 0  # answers with a 0-10 value
    promoters: int = 0
    detractors: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, ...]:
        return (self.answers, self.satisfied, self.score_sum, self.recommend_answers,
                self.promoters, self.detractors)


@dataclass(frozen=True)
class Figures:
    answers: int
    satisfaction: float | None  # percent, None without answers
    nps: float | None  # percentage points, None without 0-10 answers
    mean: float | None
    recommend_answers: int


def tally(scores: Iterable[int], recommends: Iterable[int | None] = ()) -> Tally:
    """The sums of a list of answers (the reference the SQL aggregation is tested against)."""
    score_list = list(scores)
    rec = [r for r in recommends if r is not None]
    return Tally(
        answers=len(score_list),
        satisfied=sum(1 for s in score_list if s >= SATISFIED_FROM),
        score_sum=sum(score_list),
        recommend_answers=len(rec),
        promoters=sum(1 for r in rec if r >= PROMOTER_FROM),
        detractors=sum(1 for r in rec if r <= DETRACTOR_TO),
    )


def figures(t: Tally) -> Figures:
    return Figures(
        answers=t.answers,
        satisfaction=100 * t.satisfied / t.answers if t.answers else None,
        nps=(100 * (t.promoters - t.detractors) / t.recommend_answers
             if t.recommend_answers else None),
        mean=t.score_sum / t.answers if t.answers else None,
        recommend_answers=t.recommend_answers,
    )


def worker_visible(answers: int, minimum: int) -> bool:
    """A worker's own figures are shown only with enough answers that no single answer
    can be traced back (the area setting `feedback_min_answers_per_worker`)."""
    return answers >= max(1, minimum)


def check_pin(pin: str) -> str | None:
    """An error message id for a PIN that is not 4-8 digits, else None."""
    if not (pin.isascii() and pin.isdigit()):
        return N_("Use digits only.")
    if not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        return N_("Use 4 to 8 digits.")
    return None


def check_score(score: int, recommend: int | None) -> dict[str, str]:
    errors = {}
    if score not in SCORES:
        errors["score"] = N_("Choose one of the five faces.")
    if recommend is not None and not 0 <= recommend <= 10:
        errors["recommend"] = N_("Choose a number from 0 to 10.")
    return errors
