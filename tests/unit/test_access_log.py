"""Who has looked at this customer, and when: the team lead's access log."""

from __future__ import annotations

import pytest

from app.services.errors import PermissionDenied
from tests.factories import add_people


def test_the_access_log_names_everyone_who_opened_or_changed_the_record(services):
    services.auth.sign_in("coach", "demo")
    ids = add_people(services)
    customer = ids[0]
    services.customers.get(customer)
    services.customers.reveal_hetu(customer)
    plan = services.plans.create_plan(customer, "employment")
    services.customers.get(ids[1])  # another customer: not in this one's log
    services.auth.sign_out()
    services.auth.sign_in("desk", "demo")
    services.customers.find(services.customers.get(customer).customer_number)
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")
    rows = services.audit.access_log(customer)
    seen = {(r.staff_name, r.action) for r in rows}
    assert ("Pekka Ylitalo", "customer.read") in seen
    assert ("Pekka Ylitalo", "customer.reveal_hetu") in seen
    assert ("Pekka Ylitalo", "customer.create") in seen
    assert ("Pekka Ylitalo", "plan.create") in seen
    assert ("Tiina Tiski", "customer.read") in seen
    assert all(r.workstation == "test-ws" for r in rows)
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    assert plan is not None
    # Reading the log is itself in the log.
    assert ("Liisa Lead", "audit.read") in {(r.staff_name, r.action)
                                            for r in services.audit.access_log(customer)}


@pytest.mark.parametrize("user", ["desk", "coach"])
def test_only_team_leads_and_administrators_read_it(services, user):
    services.auth.sign_in(user, "demo")
    with pytest.raises(PermissionDenied):
        services.audit.access_log("any")
