"""The number parser behind every entry path (scoring.numbers): examples, then properties (Hypothesis)."""
from decimal import Decimal

import pytest
from babel.numbers import NumberFormatError, parse_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.numbers import MAX_DIGITS, NumberError, canonical, check_bounds, parse_number, scale_percent


def read(raw, **kwargs) -> str:
    return canonical(parse_number(raw, **kwargs))


def reason(raw, **kwargs) -> str:
    with pytest.raises(NumberError) as caught:
        parse_number(raw, **kwargs)
    return caught.value.reason


@pytest.mark.parametrize("raw, stored", [
    ("9,5", "9.5"), ("9.5", "9.5"), (" 12 ", "12"), ("12.50", "12.5"), ("0,500", "0.5"), ("-0", "0"),
    ("+7", "7"), ("\u22123,25", "-3.25"), ("1 500,5", "1500.5"), ("1\u00a0500", "1500"), ("1,5000", "1.5"),
    ("1234,567", "1234.567"), ("1.5e3", "1500"), ("123456789012345", "123456789012345"),
    ("0.000000000000001", "0.000000000000001"), (0.1, "0.1"), (85.0, "85"), (720, "720"), (Decimal("2.50"), "2.5"),
])
def test_a_number_is_read_exactly_as_the_official_wrote_it(raw, stored):
    assert read(raw) == stored


@pytest.mark.parametrize("raw", ["1,500", "1.500", "-12,345", "999.000", "1,500,000", "1.500.000,5"])
def test_a_comma_or_point_before_three_digits_is_refused_as_ambiguous(raw):
    assert reason(raw) == "ambiguous"


def test_the_decimal_mark_the_user_chose_decides_an_ambiguous_number():
    assert read("1,500", decimal=",") == "1.5" and read("1,500", decimal=".") == "1500"
    assert read("1.500", decimal=",") == "1500" and read("1.500", decimal=".") == "1.5"
    assert read("1.500.000,25", decimal=",") == "1500000.25"
    assert read("1,500,000.25", decimal=".") == "1500000.25"


@pytest.mark.parametrize("raw", ["1e400", "1e1000000", "1234567890123456", "0.0000000000000001",
                                 "1.2345678901234567", 1e300, 10 ** 20])
def test_more_than_fifteen_digits_is_refused(raw):
    assert reason(raw) == "too_many_digits"


@pytest.mark.parametrize("raw", ["NaN", "nan", "Infinity", "-inf", "1_000", "0x10", "١٢", "1,2,3", "12abc", "",
                                 "--1", "1e", "e5", ".5.", float("nan"), float("inf"), True, False, None, [1],
                                 {"a": 1}, "1" * 100])
def test_anything_else_is_not_a_number(raw):
    assert reason(raw) == "not_a_number"


def test_bounds_are_checked_on_the_exact_value():
    assert check_bounds(parse_number("720"), 0, 720, "720") == 720
    with pytest.raises(NumberError) as caught:
        check_bounds(parse_number("720.000000000001"), 0, 720, "720.000000000001")
    assert caught.value.reason == "above_max" and caught.value.params["limit"] == "720"
    # a bound written 0.1 in the file is 0.1, not the binary 0.1000000000000000055…
    assert check_bounds(parse_number("0.1"), 0.1, 1, "0.1") == Decimal("0.1")
    with pytest.raises(NumberError) as caught:
        check_bounds(parse_number("0.099999999999999"), 0.1, 1, "0.099999999999999")
    assert caught.value.reason == "below_min" and caught.value.params["limit"] == "0.1"


def test_a_percentage_cell_is_scaled_exactly():
    assert canonical(scale_percent(parse_number(0.85))) == "85"
    assert canonical(scale_percent(parse_number(0.075))) == "7.5"


# ---- properties ------------------------------------------------------------------------------

def decimals():
    """Exact numbers within the digit limit, as the parser stores them."""
    return st.builds(lambda digits, places, negative: Decimal(f"{'-' if negative else ''}{digits}").scaleb(-places),
                     st.integers(0, 10 ** MAX_DIGITS - 1), st.integers(0, MAX_DIGITS), st.booleans()).filter(
        lambda d: d.is_zero() or len(format(abs(d), "f").replace(".", "").lstrip("0")) <= MAX_DIGITS
        and abs(d) < 10 ** MAX_DIGITS)


def written(number: Decimal, comma: bool) -> str:
    text = canonical(number)
    return text.replace(".", ",") if comma else text


@settings(max_examples=400, deadline=None)
@given(decimals(), st.booleans())
def test_every_number_within_the_limit_reads_back_as_itself_with_a_comma_or_a_point(number, comma):
    text = written(number, comma)
    integer, _, fraction = text.lstrip("-").replace(",", ".").partition(".")
    if len(fraction) == 3 and len(integer) <= 3 and integer != "0":
        assert reason(text) == "ambiguous"  # "1,500" is never guessed
        assert parse_number(text, decimal="," if comma else ".") == number
    else:
        assert parse_number(text) == number


@settings(max_examples=400, deadline=None)
@given(decimals())
def test_a_stored_number_survives_a_spreadsheet_cell(number):
    """A workbook holds numbers as binary doubles: 15 digits come back exactly."""
    assert parse_number(float(canonical(number))) == number


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789.,-+eE \u00a0%x_"), max_size=24) | st.text(max_size=24))
def test_any_text_is_either_refused_or_read_as_every_locale_that_can_read_it_would(raw):
    try:
        number = parse_number(raw)
    except NumberError:
        return
    assert len(canonical(number).lstrip("-").replace(".", "").lstrip("0")) <= MAX_DIGITS
    assert canonical(parse_number(canonical(number))) == canonical(number)  # canonical form is stable
    readings = set()
    for locale in ("en", "ru"):
        try:
            readings.add(parse_decimal(raw.strip().replace("\u2212", "-"), locale=locale, strict=True))
        except (NumberFormatError, ValueError, ArithmeticError):
            pass
    # where babel can read it in English or Russian, it means the same: nothing ambiguous got through
    assert all(r == number for r in readings), (raw, number, readings)
