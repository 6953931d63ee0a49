"""The vocabulary of employment plans: the code lists a plan's fields take (stored as
their values; their labels marked with N_() and translated where shown), the sections in
the order the editor lists and the printed plan shows them, and the languages a plan is
printed in. The ready wording coaches insert is in plan_wordings."""

from __future__ import annotations

from app.i18n import N_
from app.rules.codes import PlanStatus, PlanType

PRINT_LANGUAGES = ("fi", "sv", "en")

PLAN_TYPES: dict[str, str] = {
    PlanType.EMPLOYMENT: N_("Employment plan"),
    PlanType.MULTI_PROFESSIONAL: N_("Multi-professional employment plan"),
    PlanType.ACTIVATION: N_("Activation plan"),
    PlanType.INTEGRATION: N_("Integration plan"),
}
STATUSES: dict[str, str] = {
    PlanStatus.DRAFT: N_("Draft"),
    PlanStatus.ACCEPTED: N_("Accepted"),
    PlanStatus.SUPERSEDED: N_("Superseded"),
}
GOAL_KINDS: dict[str, str] = {
    "work": N_("Work"),
    "education": N_("Education"),
    "other": N_("Other goal"),
}
ACTORS: dict[str, str] = {
    "customer": N_("Customer"),
    "coach": N_("Coach"),
    "partner": N_("Partner"),
}
# Who does the actions in the "coach and partners" section.
PARTNER_ACTORS = ("coach", "partner")
SERVICE_TYPES: dict[str, str] = {
    "coaching": N_("Purchased coaching"),
    "expert_assessment": N_("Expert assessment"),
    "labour_market_training": N_("Labour-market training"),
    "work_trial": N_("Work trial"),
    "training_trial": N_("Training trial"),
    "pay_subsidy": N_("Pay subsidy"),
    "start_up_grant": N_("Start-up grant"),
    "rehabilitation": N_("Rehabilitation"),
    "integration_training": N_("Integration training"),
    "rehabilitative_work": N_("Rehabilitative work activity"),
    "other": N_("Other service"),
}
# A review period is 1 to 3 months: one message each (printed labels have no plurals).
PERIOD_LENGTHS: dict[int, str] = {1: N_("1 month"), 2: N_("2 months"), 3: N_("3 months")}
ACCEPTANCE: dict[str, str] = {
    "signed": N_("Signed on paper"),
    "verbal": N_("Agreed verbally"),
    "e_service": N_("Accepted in the e-service"),
}

# The sections of a plan, in the order the editor lists and the printed plan shows them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("goals", N_("Situation and goals")),
    ("customer_actions", N_("The customer's own actions")),
    ("partner_actions", N_("Actions of the coach and partners")),
    ("services", N_("Services")),
    ("obligation", N_("Job-search obligation")),
    ("contact", N_("Keeping in contact")),
    ("review", N_("Review")),
)
SECTION_TITLES = dict(SECTIONS)


def print_language(customer_language: str) -> str:
    """The printed plan is in the customer's language when we print in it, else Finnish."""
    return customer_language if customer_language in PRINT_LANGUAGES else "fi"
