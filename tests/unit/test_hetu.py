from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.rules import hetu

TODAY = date(2026, 11, 27)


def test_valid_code_gives_birth_date():
    result = hetu.check("131052-308T", TODAY)
    assert result.ok and result.birth_date == date(1952, 10, 13) and not result.temporary


def test_wrong_control_character_is_explained():
    result = hetu.check("131052-308U", TODAY)
    assert not result.ok and "control character" in result.error


def test_shape_error_for_garbage():
    assert hetu.check("12345", TODAY).error.startswith("Use the form")


def test_future_birth_date_refused():
    code = hetu.make(date(2027, 1, 1), 123)
    assert hetu.check(code, TODAY).error == "The birth date is in the future."


def test_temporary_number_flagged():
    result = hetu.check(hetu.make(date(1990, 1, 1), 923), TODAY)
    assert result.ok and result.temporary


def test_2023_century_signs_accepted():
    for sign in "YXWVU":
        base = "010594" + sign + "123"
        code = base + hetu.control_character("010594123")
        assert hetu.check(code, TODAY).birth_date == date(1994, 5, 1), code
    for sign in "BCDEF":
        code = "020310" + sign + "456" + hetu.control_character("020310456")
        assert hetu.check(code, TODAY).birth_date == date(2010, 3, 2), code


def test_lowercase_and_spaces_normalised():
    assert hetu.check(" 131052-308t ", TODAY).value == "131052-308T"


def test_masked_shows_birth_date_part_only():
    assert hetu.masked("120385-1232") == "120385-****"
    assert hetu.masked(None) == ""


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    individual=st.integers(min_value=2, max_value=999),
)
def test_made_codes_always_validate(born, individual):
    result = hetu.check(hetu.make(born, individual), TODAY)
    assert result.ok and result.birth_date == born
    assert result.temporary == (individual >= 900)
