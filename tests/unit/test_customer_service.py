import json
from datetime import date

import pytest
from sqlalchemy import select

from app.models import AuditEvent, Customer, OutboxEntry
from app.services.errors import Conflict, NotSignedIn, PermissionDenied, ValidationFailed
from tests.factories import add_people, customer_input


def outbox(services):
    with services.ctx.session_factory() as s:
        return s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()


def audit(services, action):
    with services.ctx.session_factory() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_reading_needs_sign_in(services):
    with pytest.raises(NotSignedIn):
        services.customers.page("")


def test_create_writes_outbox_with_all_fields_and_audit(signed_in):
    card = signed_in.customers.create(
        customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124, phone="040 1234567")
    )
    entries = [e for e in outbox(signed_in) if e.table_name == "customer"]
    assert len(entries) == 1
    entry = entries[0]
    fields = json.loads(entry.fields)
    assert entry.op == "insert" and entry.row_id == card.id and entry.base_version == 0
    assert fields["last_name"] == "Mäkelä" and fields["hetu"] == "120385-1243"
    assert "hlc" not in fields and "version" not in fields
    assert entry.hlc and entry.schema_version
    assert [e.entity_id for e in audit(signed_in, "customer.create")] == [card.id]
    # The audit event itself is synchronised: it has its own outbox entry.
    assert any(e.table_name == "audit_event" for e in outbox(signed_in))
    with signed_in.ctx.session_factory() as s:
        row = s.get(Customer, card.id)
        assert row.updated_by == "staff-coach" and row.hlc == entry.hlc


def test_update_records_only_changed_fields(signed_in):
    card = signed_in.customers.create(customer_input("Virtanen", "Matti", date(1990, 7, 1), 235))
    form = signed_in.customers.edit_form(card.id)
    form.phone = "040 765 4321"
    updated = signed_in.customers.update(card.id, form, card.revision)
    assert updated.phone == "040 765 4321"
    patch = [e for e in outbox(signed_in) if e.table_name == "customer" and e.op == "update"]
    fields = json.loads(patch[0].fields)
    assert len(patch) == 1 and fields.pop("phone") == "040 765 4321"
    assert set(fields) == {"updated_at", "updated_by"}  # who and when travel with it
    assert json.loads(patch[0].base_values) == {"phone": None}
    events = audit(signed_in, "customer.update")
    assert json.loads(events[0].detail) == {"fields": ["phone"]}


def test_stale_revision_is_refused(signed_in):
    card = signed_in.customers.create(customer_input("Virtanen", "Matti", date(1990, 7, 1), 235))
    form = signed_in.customers.edit_form(card.id)
    signed_in.customers.update(card.id, form, card.revision)
    form.email = "matti@example.fi"
    signed_in.customers.update(card.id, form, signed_in.customers.get(card.id).revision)
    with pytest.raises(Conflict):
        signed_in.customers.update(card.id, form, card.revision)


def test_invalid_input_raises_field_errors_and_writes_nothing(signed_in):
    bad = customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124)
    bad.hetu = "120385-124Y"
    with pytest.raises(ValidationFailed) as caught:
        signed_in.customers.create(bad)
    assert set(caught.value.errors) == {"hetu"}
    assert not [e for e in outbox(signed_in) if e.table_name == "customer"]


def test_duplicate_hetu_refused(signed_in):
    signed_in.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    with pytest.raises(ValidationFailed) as caught:
        signed_in.customers.create(customer_input("Other", "Person", date(1985, 3, 12), 124))
    assert "hetu" in caught.value.errors


def test_customer_without_hetu(signed_in):
    data = customer_input("Hassan", "Amina", date(1995, 2, 2), 1)
    data.hetu, data.birth_date = "", date(1995, 2, 2)
    card = signed_in.customers.create(data)
    assert not card.has_hetu and card.birth_date == date(1995, 2, 2)


def test_get_and_reveal_are_audited(signed_in):
    card = signed_in.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    shown = signed_in.customers.get(card.id)
    assert shown.hetu_masked == "120385-****"
    assert signed_in.customers.reveal_hetu(card.id) == "120385-1243"
    assert len(audit(signed_in, "customer.read")) == 1
    assert len(audit(signed_in, "customer.reveal_hetu")) == 1


def test_search_by_name_hetu_and_number(signed_in):
    ids = add_people(signed_in)
    page = signed_in.customers.page("mäk ain")
    assert [r.name for r in page.rows] == ["Mäkelä, Aino Maria"]
    assert [r.name for r in signed_in.customers.page("áilu").rows] == ["Aikio, Áilu"]
    assert [r.name for r in signed_in.customers.page("120385").rows] == ["Mäkelä, Aino Maria"]
    assert [r.name for r in signed_in.customers.page("1203").rows] == ["Mäkelä, Aino Maria"]
    assert "Mäkelä, Aino Maria" in [r.name for r in signed_in.customers.page("1").rows]
    assert [r.name for r in signed_in.customers.page("120385-1").rows] == ["Mäkelä, Aino Maria"]
    assert signed_in.customers.page("120385-9").rows == []
    number = signed_in.customers.get(ids[1]).customer_number
    assert [r.id for r in signed_in.customers.page(number).rows] == [ids[1]]
    assert [r.id for r in signed_in.customers.page(number.replace("-", "")).rows] == [ids[1]]
    assert signed_in.customers.count("") == 5 and signed_in.customers.count("zz%") == 0


def test_a_customer_number_without_digits_is_found_and_so_are_hyphenated_names(signed_in):
    """One number in about thirty is letters only (Crockford base32, 'ABCD-EFGH')."""
    from sqlalchemy import update

    from app.models import Customer

    ids = add_people(signed_in)
    with signed_in.ctx.engine.begin() as conn:
        conn.execute(update(Customer).where(Customer.id == ids[1])
                     .values(customer_number="ABCD-EFGH"))
    for typed in ("ABCD-EFGH", "abcd-efgh", "ABCD-EF"):
        assert [r.id for r in signed_in.customers.page(typed).rows] == [ids[1]], typed
    anna = signed_in.customers.create(customer_input("Kuusela", "Anne-Mari", date(1991, 2, 3),
                                                     456))
    assert [r.id for r in signed_in.customers.page("anne-ma").rows] == [anna.id]


def test_keyset_pages_cover_everything_once(signed_in):
    add_people(signed_in)
    seen, after = [], None
    while True:
        page = signed_in.customers.page("", after, limit=2)
        seen += [r.name for r in page.rows]
        if not page.has_more:
            break
        after = (page.rows[-1].sort_key, page.rows[-1].id)
    assert seen == sorted(seen, key=str.casefold) and len(seen) == 5 == len(set(seen))


def test_desk_role_cannot_read_case_notes_permission(services):
    from app.rules.permissions import Permission

    services.auth.sign_in("desk", "demo")
    with pytest.raises(PermissionDenied):
        services.ctx.require(Permission.CASE_NOTES_READ)


def test_list_rows_agree_with_the_card(signed_in):
    """Age and days unemployed are counted when a row asks for them, to the day the
    page was read: the same figures the customer card shows."""
    add_people(signed_in)
    page = signed_in.customers.page("")
    assert page.rows
    for row in page.rows:
        card = signed_in.customers.get(row.id)
        assert row.as_of == signed_in.ctx.today()
        assert (row.name, row.hetu_masked, row.customer_number) == (
            f"{card.last_name}, {card.first_names}", card.hetu_masked, card.customer_number)
        assert (row.age, row.days_unemployed) == (card.age, card.days_unemployed)
        assert row.unemployed_since == card.unemployed_since


def test_a_whole_customer_number_is_found_without_its_hyphen(signed_in):
    """One number in about thirty has no digit ('ABCD-EFGH'); a few have no letter. Typed
    without the hyphen, both are still found (the search once fell back to names)."""
    from app.models import Customer

    ids = add_people(signed_in)
    with signed_in.ctx.session_factory.begin() as s:
        s.get(Customer, ids[0]).customer_number = "ABCD-EFGH"
        s.get(Customer, ids[1]).customer_number = "1234-5678"
    assert [r.id for r in signed_in.customers.page("ABCDEFGH").rows] == [ids[0]]
    assert [r.id for r in signed_in.customers.page("abcd-efgh").rows] == [ids[0]]
    assert [r.id for r in signed_in.customers.page("12345678").rows] == [ids[1]]
    assert [r.id for r in signed_in.customers.page("1234-5678").rows] == [ids[1]]
