from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules import queue as rules
from app.rules.codes import TicketState as S

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_ticket_code_reads_aloud():
    assert rules.format_ticket("A", 12) == "A 012"


def test_numbers_continue_and_stop_at_999():
    assert rules.next_number([]) == 1
    assert rules.next_number([1, 2, 7]) == 8
    with pytest.raises(rules.TransitionRefused):
        rules.next_number([999])


progress = st.tuples(st.integers(0, 3), st.sampled_from(list(S)))


@given(progress, progress, progress)
def test_merge_is_commutative_associative_idempotent(a, b, c):
    assert rules.merge(a, b) == rules.merge(b, a)
    assert rules.merge(rules.merge(a, b), c) == rules.merge(a, rules.merge(b, c))
    assert rules.merge(a, a) == a


@given(progress, progress)
def test_merge_never_goes_back(a, b):
    merged = rules.merge(a, b)
    assert rules.progress(*merged) >= rules.progress(*a)
    assert rules.progress(*merged) >= rules.progress(*b)


def test_done_beats_left_and_a_new_leg_beats_an_old_done():
    assert rules.merge((0, S.DONE), (0, S.LEFT)) == (0, S.DONE)
    assert rules.merge((0, S.SERVING), (1, S.WAITING)) == (1, S.WAITING)


def test_state_machine():
    rules.check("call", S.WAITING)
    rules.check("start", S.CALLED)
    rules.check("finish", S.SERVING)
    for action, state in (("call", S.CALLED), ("finish", S.CALLED), ("start", S.WAITING),
                          ("transfer", S.DONE), ("recall", S.WAITING)):
        with pytest.raises(rules.TransitionRefused):
            rules.check(action, state)
    with pytest.raises(rules.TransitionRefused, match="again before"):
        rules.check("not_present", S.CALLED, recalls=0)
    rules.check("not_present", S.CALLED, recalls=1)


def w(i, service="information", priority=0, minutes_ago=10, coach=None, to=None):
    return rules.Waiting(i, service, priority, NOW - timedelta(minutes=minutes_ago), coach, to)


def ids(order):
    return [t.id for t in order]


def test_call_order_priority_then_longest_wait():
    queue = [w("a", minutes_ago=5), w("b", minutes_ago=20), w("c", priority=1, minutes_ago=1)]
    assert ids(rules.call_order(queue, "me", {"information"}, set(), NOW)) == ["c", "b", "a"]


def test_own_customer_first_whatever_service_and_transfers_to_me_before_that():
    queue = [w("other", minutes_ago=30), w("mine", service="skills", minutes_ago=1, coach="me"),
             w("sent", service="skills", to="me", minutes_ago=0)]
    assert ids(rules.call_order(queue, "me", {"information"}, set(), NOW)) == [
        "sent", "mine", "other"]


def test_customer_waits_for_own_coach_on_duty_but_not_for_ever():
    queue = [w("x", coach="coach2", minutes_ago=5), w("y", coach="coach2", minutes_ago=16)]
    order = rules.call_order(queue, "me", {"information"}, {"coach2"}, NOW)
    assert ids(order) == ["y"]  # x is held for coach2; y has waited past the hold
    assert ids(rules.call_order(queue, "me", {"information"}, set(), NOW)) == ["y", "x"]


def test_transfer_to_a_named_worker_is_theirs_only_and_other_services_are_skipped():
    queue = [w("t", to="coach2"), w("s", service="skills")]
    assert rules.call_order(queue, "me", {"information"}, set(), NOW) == []


def test_median_wait():
    assert rules.median_minutes([]) is None
    assert rules.median_minutes([3, 9, 5]) == 5


def test_default_letter_is_stable_per_workstation_and_valid():
    assert rules.default_letter("00000000") == "A"
    letters = {rules.default_letter(f"{n:08x}") for n in range(100)}
    assert letters <= set(rules.TICKET_LETTERS) and len(letters) == len(rules.TICKET_LETTERS)
    assert rules.default_letter("3fa2b9c1") == rules.default_letter("3fa2b9c1")


def test_a_desk_calls_by_queue_service_code_not_by_area():
    """#24: a desk's duty names queue service codes; a partner's service counted as
    skills is not called by a desk serving skills."""
    queue = [w("p", service="career_guidance"), w("k", service="skills")]
    assert ids(rules.call_order(queue, "me", {"skills"}, set(), NOW)) == ["k"]
    assert ids(rules.call_order(queue, "opo", {"career_guidance"}, set(), NOW)) == ["p"]
    assert rules.Waiting("x", "skills", 0, NOW, None, None).service == "skills"


def test_service_ids_are_deterministic_per_point_and_code():
    assert rules.service_id("sp-rov", "skills") == rules.service_id("sp-rov", "skills")
    assert len({rules.service_id("sp-rov", "skills"), rules.service_id("sp-kem", "skills"),
                rules.service_id("sp-rov", "initial")}) == 3


def test_built_in_services_configured_first_and_active():
    rows = rules.built_in_services("sp", "skills,information,bogus")
    assert [r["code"] for r in rows][:2] == ["skills", "information"]
    assert {r["code"] for r in rows} == set(rules.BUILT_IN_NAMES)
    assert [r["position"] for r in rows] == list(range(7))
    assert {r["code"] for r in rows if r["active"]} == {"skills", "information"}
    assert all(r["id"] == rules.service_id("sp", r["code"]) and r["service_area"] == r["code"]
               and r["partner_org_id"] is None for r in rows)
    assert all(r["active"] for r in rules.built_in_services("sp", ""))


def test_service_name_in_the_language_finnish_when_empty():
    names = ("Uraohjaus", "Karriärvägledning", "")
    assert rules.service_name(names, "sv") == "Karriärvägledning"
    assert rules.service_name(names, "en") == "Uraohjaus"
    assert rules.service_name(names, "fi") == "Uraohjaus"


@pytest.mark.parametrize(("code", "ok"), [
    ("career_guidance", True), ("a1", True), ("x", False), ("Skills", False),
    ("1abc", False), ("a-b", False), ("a" * 40, True), ("a" * 41, False)])
def test_code_pattern(code, ok):
    assert bool(rules.CODE_PATTERN.fullmatch(code)) is ok
