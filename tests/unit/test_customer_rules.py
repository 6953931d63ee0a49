import unicodedata
import uuid
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.rules.customer import CustomerInput, customer_number, nfc, sort_name, validate
from app.rules.unemployment import age, days_unemployed, hundred_day_date

TODAY = date(2026, 11, 27)


def valid(**kw):
    data = dict(first_names="Aino", last_name="Mäkelä", hetu="131052-308T")
    data.update(kw)
    return CustomerInput(**data)


def test_valid_customer_passes():
    assert validate(valid(), TODAY).ok


def test_sami_letters_kept_and_nfd_normalised():
    decomposed = unicodedata.normalize("NFD", "Máret Čuovga")
    result = validate(valid(first_names=decomposed, last_name="Näkkäläjärvi"), TODAY)
    assert result.ok
    assert nfc(decomposed) == "Máret Čuovga"
    assert validate(valid(first_names="Áilu Ŋuolla Đuđá Ŧ"), TODAY).ok


def test_name_with_digits_refused():
    assert "first_names" in validate(valid(first_names="Aino2"), TODAY).errors


def test_no_hetu_needs_birth_date():
    result = validate(valid(hetu=""), TODAY)
    assert result.errors == {"birth_date": "Give the birth date when there is no identity code."}
    assert validate(valid(hetu="", birth_date=date(1990, 1, 1)), TODAY).ok


def test_phone_and_email_checked():
    assert validate(valid(phone="040 123 4567", email="a@b.fi"), TODAY).ok
    errors = validate(valid(phone="12", email="not-an-email"), TODAY).errors
    assert set(errors) == {"phone", "email"}
    assert validate(valid(phone="+358 40 123 4567"), TODAY).ok


def test_temporary_hetu_is_a_warning_not_an_error():
    from app.rules import hetu

    result = validate(valid(hetu=hetu.make(date(1990, 1, 1), 950)), TODAY)
    assert result.ok and result.hetu_temporary and "hetu" in result.warnings


def test_future_dates_refused():
    errors = validate(valid(unemployed_since=date(2027, 1, 1)), TODAY).errors
    assert "unemployed_since" in errors


def test_sort_name_casefolds():
    assert sort_name("Mäkelä", "Aino") == "mäkelä aino"


@given(st.uuids(version=4))
def test_customer_number_shape(row_id):
    number = customer_number(str(row_id))
    assert len(number) == 9 and number[4] == "-"
    assert customer_number(str(row_id)) == number


def test_customer_numbers_differ():
    numbers = {customer_number(str(uuid.uuid4())) for _ in range(5000)}
    assert len(numbers) == 5000


def test_days_unemployed_and_hundred_day_mark():
    assert days_unemployed(date(2026, 11, 27), TODAY) == 1
    assert days_unemployed(None, TODAY) is None
    # Benefit days (Mon-Fri, holidays included), no longer calendar days: from Thu 1.1.2026
    # (New Year's Day, a benefit day), the 96th is Thu 14.5. (19 weeks on, Ascension
    # Day), 97th Fri 15.5., 98th Mon 18.5., 99th Tue 19.5., the 100th Wed 20.5.2026.
    assert hundred_day_date(date(2026, 1, 1), TODAY) == date(2026, 5, 20)
    assert days_unemployed(date(2026, 1, 1), date(2026, 5, 20)) == 100
    assert days_unemployed(date(2026, 11, 28), date(2026, 11, 29)) == 0  # a weekend
    assert age(date(1985, 11, 28), TODAY) == 40
    assert age(date(1985, 11, 27), TODAY) == 41
