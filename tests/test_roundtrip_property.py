"""Property (Hypothesis): a workbook downloaded and uploaded unchanged is accepted and changes nothing,
whatever the stored answers hold: values entered on the web, and older rows written without any check."""
import io
import string
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import text
from scoring.numbers import MAX_DIGITS, canonical
from tests.input_support import answers, store_raw
from tests.input_support import draft  # noqa: F401  (fixture)

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

#: anything a database can store (PostgreSQL refuses NUL; UTF-8 refuses lone surrogates)
STORABLE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)


def number_in(low: int, high: int):
    """An exact number within [low, high] with at most 15 digits, in its stored (canonical) form."""
    return st.builds(lambda units, places: canonical(Decimal(units).scaleb(-places)),
                     st.integers(0, 10 ** 9), st.integers(0, 6)).filter(
        lambda t: Decimal(t) <= high and Decimal(t) >= low and len(t.replace(".", "").lstrip("0")) <= MAX_DIGITS)


def entered(raw: str, kind: str = "comment") -> str | None:
    """A text as the web would have stored it (None where the web would have refused it)."""
    try:
        return text.clean(raw, text.LIMITS[kind]) or None
    except text.TextRefused:
        return None


def a_text():
    """Texts as entered on the web, or as older rows may hold them; some begin like a formula."""
    formula_like = st.sampled_from(["=SUM(A1:A3)", "+7 495 000", "-", "@home", "=", "\t=1"])
    return st.one_of(st.none(), STORABLE.map(entered), STORABLE, formula_like,
                     st.tuples(formula_like, STORABLE).map("".join))


URL = st.text(string.ascii_letters + string.digits + "-._~/?=&%", max_size=40).map(
    lambda tail: "https://example.org/" + tail)

ANSWERS = st.fixed_dictionaries({
    "kpi.e-share": st.fixed_dictionaries({"value": st.one_of(st.none(), number_in(0, 100)), "comment": a_text()}),
    "kpi.release-hours": st.one_of(
        st.fixed_dictionaries({"value": st.one_of(st.none(), number_in(0, 720), st.sampled_from(
            ["1" + "0" * 30, "abc", "9,5"])), "evidence_url": st.one_of(st.none(), URL)}),
        st.just({"value": None, "not_applicable": True})),
    "transit.e-seals": st.fixed_dictionaries({"value": st.sampled_from([None, "yes", "no"]), "comment": a_text()}),
    "transit.e-seals-alerts": st.fixed_dictionaries({"value": st.sampled_from([None, "yes", "no", "maybe"])}),
    "transit.notes": st.fixed_dictionaries({"value": a_text(), "comment": a_text()}),
})


@SETTINGS
@given(stored=ANSWERS)
def test_a_downloaded_workbook_uploaded_unchanged_changes_nothing(app, client, draft, stored):
    for key, fields in stored.items():
        store_raw(app, draft.id, key, **{"value": None, "not_applicable": False, "comment": None,
                                          "evidence_url": None, **fields})
    before = answers(app, draft.id)
    download = client.get(f"/assessments/{draft.id}/workbook.xlsx")
    assert download.status_code == 200
    response = client.post(f"/assessments/{draft.id}/upload", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(download.data), "unchanged.xlsx")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="no-changes"' in page, (stored, page[-3000:])
    assert answers(app, draft.id) == before
