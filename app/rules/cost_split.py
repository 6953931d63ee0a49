"""The municipal cost split of the employment area (plan: "50 % työikäiset ja 50 % laaja
työttömyys"): each municipality pays half by its share of the working-age population and
half by its share of broad unemployment. Pure arithmetic on the statistics setting."""

from __future__ import annotations

from typing import Any

from app.i18n import N_

WORKING_AGE_WEIGHT = 0.5
BROAD_UNEMPLOYMENT_WEIGHT = 0.5


def cost_shares(statistics: dict[str, Any]) -> dict[str, float]:
    """Municipality name -> its share of the costs (the shares sum to 1)."""
    rows = statistics.get("municipalities", [])
    working_age = sum(int(r["working_age"]) for r in rows)
    unemployed = sum(int(r["broad_unemployment"]) for r in rows)
    if working_age <= 0 or unemployed <= 0:
        return {r["name"]: 0.0 for r in rows}
    return {
        r["name"]: WORKING_AGE_WEIGHT * int(r["working_age"]) / working_age
        + BROAD_UNEMPLOYMENT_WEIGHT * int(r["broad_unemployment"]) / unemployed
        for r in rows
    }


def statistics_problem(statistics: dict[str, Any]) -> str | None:
    """Why the statistics cannot be used (an N_ message id), or None."""
    rows = statistics.get("municipalities")
    if not rows:
        return N_("Enter at least one municipality.")
    names = [str(r.get("name", "")).strip() for r in rows]
    if any(not n for n in names) or len(set(names)) != len(names):
        return N_("Each municipality needs its own name.")
    for r in rows:
        for key in ("working_age", "broad_unemployment"):
            value = r.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return N_("Figures must be whole numbers, zero or more.")
    if not sum(r["working_age"] for r in rows) or not sum(r["broad_unemployment"]
                                                           for r in rows):
        return N_("The totals must be more than zero.")
    return None
