"""Every report by name, title and columns, in the order the view lists them; the CLI
and the exports use the same names. (A test checks each report computes exactly this
title and these columns.)"""

from __future__ import annotations

from app.dto.reports import ReportSpec
from app.i18n import N_
from app.rules.codes import (
    CaseExitReason,
    Channel,
    ReferralEndReason,
    ReferralState,
    ServiceArea,
)
from app.services.reports import (
    activity,
    appointments,
    employers,
    exits,
    municipal,
    outcomes,
    purchased,
    timeliness,
)

_NO_SHOWS = ("appointments", "no_shows", "rate")

REPORTS: dict[str, ReportSpec] = {
    spec.name: spec for spec in (
        ReportSpec("visits_by_point", N_("Visits per week by service point"),
                   ("week", "total"), activity.visits_by_point),
        ReportSpec("visits_by_channel", N_("Visits per week by channel"),
                   ("week", *Channel, "total"), activity.visits_by_channel),
        ReportSpec("visits_by_area", N_("Visits per week by service area"),
                   ("week", *ServiceArea, "total"), activity.visits_by_area),
        ReportSpec("waiting_times", N_("Walk-in waiting times by hour of arrival"),
                   ("hour", "walk_ins", "median", "p90"), activity.waiting_times),
        ReportSpec("no_shows_by_point", N_("No-show rate by service point"),
                   ("service_point", *_NO_SHOWS), appointments.no_shows_by_point),
        ReportSpec("no_shows_by_worker", N_("No-show rate by worker"),
                   ("worker", "team", *_NO_SHOWS), appointments.no_shows_by_worker),
        ReportSpec("feedback", N_("Customer feedback"),
                   ("month", "answers", "mean", "satisfied", "nps", "nps_answers"),
                   outcomes.feedback),
        ReportSpec("caseloads", N_("Caseloads per coach"),
                   ("coach", "team", "customers", "of_cap", "over_cap"), outcomes.caseloads),
        ReportSpec("hundred_days", N_("Customers crossing 100 days of unemployment"),
                   ("month", "customers"), outcomes.hundred_days),
        ReportSpec("plans", N_("Plans made and reviews overdue"),
                   ("month", "accepted", "new", "reviews_due", "overdue"), outcomes.plans),
        ReportSpec("initial_interviews_on_time", N_("Initial interviews on time"),
                   timeliness.COLUMNS, timeliness.initial_interviews_on_time),
        ReportSpec("job_search_conversations_on_time", N_("Job-search conversations on time"),
                   timeliness.COLUMNS, timeliness.job_search_conversations_on_time),
        ReportSpec("plan_reviews_on_time", N_("Plan reviews on time"),
                   timeliness.COLUMNS, timeliness.plan_reviews_on_time),
        ReportSpec("activation_plans_on_time", N_("Activation plans made when due"),
                   timeliness.COLUMNS, timeliness.activation_plans_on_time),
        ReportSpec("integration_plans_on_time", N_("Integration plans made when due"),
                   timeliness.COLUMNS, timeliness.integration_plans_on_time),
        ReportSpec("exits_by_reason", N_("Case exits per month by reason"),
                   ("month", *CaseExitReason, "total"), exits.exits_by_reason),
        ReportSpec("exits_by_group", N_("Case exits by customer group"),
                   ("group", "exits", "employed", "studies", "other",
                    "share_employed_or_studying", "median_days_to_exit"),
                   exits.exits_by_group),
        ReportSpec("employed_within", N_("Employed or studying within 3, 6 and 12 months"),
                   ("month", "registered", "within_3", "within_6", "within_12"),
                   exits.employed_within),
        ReportSpec("municipal_split", N_("Municipal split: cost share against actual use"),
                   ("municipality", "cost_share", "visits", "visit_share", "staff_hours",
                    "staff_share", "customers", "customer_share"),
                   municipal.municipal_split),
        # Purchased services and decisions (#20): also the Reports page's own tab.
        ReportSpec("purchased_places", N_("Purchased services: places contracted and used"),
                   ("provider", "contract", "service", "period_from", "period_to", "places",
                    "used", "usage"), purchased.places),
        ReportSpec("purchased_referrals", N_("Referrals by service, provider and outcome"),
                   ("service", "provider", *ReferralState, "total"), purchased.referrals),
        ReportSpec("purchased_end_reasons",
                   N_("Declined and interrupted referrals by reason"),
                   ("service", "provider", *ReferralEndReason, "total"),
                   purchased.end_reasons),
        ReportSpec("purchased_effect",
                   N_("Employed or studying 3 and 6 months after a service"),
                   ("service", "provider", "counted_3", "good_3", "unknown_3", "share_3",
                    "counted_6", "good_6", "unknown_6", "share_6"), purchased.effect),
        ReportSpec("purchased_euros",
                   N_("Purchased services and decisions in euros by municipality"),
                   ("municipality", "referrals_eur", "lump_sums_eur", "decisions_eur",
                    "total_eur", "euro_share", "cost_share", "by_split_eur", "visit_share",
                    "staff_share", "customer_share"), purchased.cost),
        # Employer services (#22).
        ReportSpec("employer_contacts", N_("Employer contacts by team, staff and month"),
                   employers.CONTACT_COLUMNS, employers.contacts),
        ReportSpec("employers_first_reached", N_("Employers reached for the first time"),
                   employers.FIRST_CONTACT_COLUMNS, employers.first_contacts),
        ReportSpec("vacancies_by_status", N_("Vacancies by status"),
                   employers.VACANCY_COLUMNS, employers.vacancies),
        ReportSpec("vacancy_proposals",
                   N_("Job seekers proposed, interviewed and hired per vacancy"),
                   employers.PROPOSAL_COLUMNS, employers.proposals),
        ReportSpec("employer_hires",
                   N_("Hires of long-term unemployed and partial-work-ability job seekers"),
                   employers.HIRE_COLUMNS, employers.hires),
    )
}
