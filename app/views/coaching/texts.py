"""How the coaching views word the statutory clock: kinds of deadlines, groups, barriers."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.dto.coaching import DeadlineInfo
from app.i18n import N_, _, format_date, format_number, ngettext
from app.rules.codes import SERVICE_LABELS, DecisionKind, ServiceKind
from app.rules.groups import BARRIER_LABELS, GROUP_LABELS, Barrier, Group
from app.rules.statutory import UNVERIFIED_WORDS
from app.services.effect_followups import REFERRAL, from_detail
from app.services.statutory_clock import WORK_KINDS

DEADLINE_KINDS = {
    **WORK_KINDS,
    "job_search_period": N_("Job-search period review"),
}


# Today's worklist in groups, in this order; each kind of work item is one group.
WORK_GROUPS = {
    "initial_interview": N_("Initial interviews due"),
    "job_search_conversation": N_("Job-search conversations due"),
    "plan_review": N_("Plan reviews due"),
    "hundred_days": N_("Reaching 100 days soon"),
    "followup": N_("Follow-up of a service"),
    "employer_followup": N_("Follow-ups with employers"),  # the worker's own (#22)
    "no_plan": N_("No valid plan"),
    "not_contacted": N_("Not contacted"),
}


def followup_service(detail: str) -> str:
    """"Individual coaching, Valmennus Oy": a follow-up's service or decision by its kind
    and its provider or employer (no free text)."""
    ref = from_detail(detail)
    code: StrEnum = ServiceKind(ref.kind) if ref.source == REFERRAL else DecisionKind(ref.kind)
    return _("{service}, {provider}").format(service=_(SERVICE_LABELS[code]),
                                             provider=ref.provider)


def followup_status(detail: str) -> str:
    ref = from_detail(detail)
    return ngettext("{service}: {n} month after it ended",
                    "{service}: {n} months after it ended", ref.months).format(
        service=followup_service(detail), n=format_number(ref.months))


def group_title(kind: str) -> str:
    return _(WORK_GROUPS.get(kind, DEADLINE_KINDS.get(kind, kind)))


def kind_label(kind: str) -> str:
    return _(DEADLINE_KINDS.get(kind, kind))


def group_label(code: str) -> str:
    return _(GROUP_LABELS[Group(code)])


def barrier_label(code: str) -> str:
    return _(BARRIER_LABELS[Barrier(code)])


def source_text(source: str) -> str:
    """A rule's source (the acts are cited by their Finnish titles), with the words that
    say a section could not be checked in the user's language."""
    for words, label in UNVERIFIED_WORDS.items():
        source = source.replace(words, _(label))
    return source


def source_tooltip(source: str) -> str:
    return _("Source: {source}").format(source=source_text(source)) if source else ""


def deadline_text(d: DeadlineInfo, today: date) -> str:
    """"Job-search conversation by 4.6.2026 (overdue)", with the kind's own details."""
    when = format_date(d.due_on)
    if d.key == "job_search_period" and d.detail:
        count, starts, ends = d.detail.split("|")
        text = ngettext("{n} application {start}–{end}, review by {date}",
                        "{n} applications {start}–{end}, review by {date}", int(count))
        text = text.format(n=format_number(int(count)),
                           start=format_date(date.fromisoformat(starts)),
                           end=format_date(date.fromisoformat(ends)), date=when)
    elif d.key == "initial_phase":
        text = _("ends {date}").format(date=when)
        if d.detail and int(d.detail):
            text += ", " + ngettext("{n} supplementary conversation",
                                    "{n} supplementary conversations",
                                    int(d.detail)).format(n=format_number(int(d.detail)))
    elif d.key == "activation_plan" and d.approximate:  # else Kela's count: "by {date}"
        text = _("due about {date} (estimated from the unemployment periods held here)"
                 ).format(date=when)
    else:
        text = _("by {date}").format(date=when)
    if d.due_on < today and d.key not in ("initial_phase", "activation_plan"):
        text += " ⚠ " + _("overdue")
    return f"{kind_label(d.key)}: {text}"
