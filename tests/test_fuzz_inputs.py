"""Fuzz: a few hundred malformed values through autosave, forms and query strings, on both databases.

Asserts that nothing answers 5xx, and that whatever is stored means what the input meant: a number is
the number every locale that can read the input reads (babel, en and ru), an option is the option named,
and a text keeps every visible character of the input (only control characters and line-break kinds
may differ).
"""
import json
import random
import unicodedata
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from babel.numbers import NumberFormatError, parse_decimal

from tests.input_support import answer
from tests.input_support import draft  # noqa: F401  (fixture)

NASTY_TEXT = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\x01\x02\x03", "\x0b", "\x0c", "\x1b[31mred", "\x7f",
    "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\u202e evil", "\u200b", "e\u0301", "🇦🇲", "😀" * 50,
    "'; DROP TABLE answer; --", "<script>alert(1)</script>", "{{ 7*7 }}", "%00", "%s%s%n", "=HYPERLINK(\"x\")",
    "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r\n", "a" * 20_001, "ж" * 10_001, "javascript:alert(1)",
    "data:text/html,x", "https://", "http://exa mple.org", "https://example.org/" + "a" * 2_100,
    "https://example.org/ok", "HTTPS://EXAMPLE.ORG/X", "ftp://example.org", "//example.org", "http://[::1]:80/",
]
NASTY_NUMBERS = [
    "9,5", "9.5", "1,500", "1.500", "1 500", "1\u00a0500,25", "1,500,000", "1e400", "1e1000000", "-1e-400",
    "NaN", "nan", "Infinity", "-Infinity", "inf", "1_000", "0x1F", "0b1", "١٢٣", "１２", "12abc", "--5", "+-5",
    "5-", ".5", "5.", ",5", "5,", "00012", "-0", "0e0", "1E3", "1e+3", "123456789012345", "1234567890123456",
    "0.000000000000001", "0.0000000000000001", "720", "720.0000000000001", "-0.0000001", "\u22125", "5 %", "85%",
    "%", "1,5e3", "9 , 5", "9,,5", " 9,5 ",
]
JSON_VALUES = [None, True, False, 0, -1, 9.5, 1e308, -1e-308, 10 ** 30, 2 ** 63, [], [1], {}, {"a": 1},
               [[[[[]]]]], {"value": {"value": "x"}}]
FIELDS = ("value", "comment", "evidence_url", "not_applicable")
KEYS = ("kpi.e-share", "kpi.release-hours", "transit.e-seals", "transit.notes")


def malformed_values() -> list:
    """The fixed list plus seeded random strings of hostile characters."""
    rng = random.Random(10)
    alphabet = "0123456789,. -+eE%\x00\x0b\x1b\u2028\ud800é😀=@\t\n\r"
    randoms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(40)]
    return NASTY_TEXT + NASTY_NUMBERS + JSON_VALUES + randoms


def visible(value: str) -> str:
    """The characters that carry meaning: all but whitespace, control characters and line breaks."""
    return "".join(c for c in value if not c.isspace() and unicodedata.category(c) not in ("Cc", "Zl", "Zp")
                   and c not in "\ufffe\uffff")


def number_meaning(raw) -> set[Decimal]:
    """What the raw input means as a number, read independently of the app (babel, en and ru)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return {Decimal(repr(float(raw))) if isinstance(raw, float) else Decimal(raw)}
    readings = set()
    cleaned = str(raw).strip().replace("\u2212", "-").rstrip("%").strip()
    for locale in ("en", "ru"):
        try:
            readings.add(parse_decimal(cleaned, locale=locale, strict=True))
        except (NumberFormatError, ValueError, ArithmeticError):
            pass
    if not readings:
        try:
            readings.add(Decimal(cleaned.replace(",", ".").replace(" ", "")))  # 1E3, 1,5e3: plain notation
        except InvalidOperation:
            pass
    return readings


def check_meaning(question_type: str, field: str, raw, stored) -> str | None:
    """Why the stored value does not mean what the input meant, or None."""
    if field == "not_applicable":
        return None if stored is raw else f"not_applicable {raw!r} stored as {stored!r}"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None if stored is None else f"empty input stored as {stored!r}"
    if field == "value" and question_type == "number":
        meanings = number_meaning(raw)
        return None if meanings and all(Decimal(stored) == m for m in meanings) else (
            f"number {raw!r} stored as {stored!r} (means {meanings})")
    if field == "value" and question_type == "yes_no":
        return None if stored in ("yes", "no") and (raw is True or raw is False or str(raw).strip().casefold()
                                                     in {stored, "да" if stored == "yes" else "нет"}) else (
            f"option {raw!r} stored as {stored!r}")
    if not isinstance(raw, str):
        return None if field == "value" and stored is not None and Decimal(stored) == Decimal(repr(raw)) else (
            f"{field} {raw!r} stored as {stored!r}")
    return None if visible(stored or "") == visible(raw) else f"{field} {raw!r} stored as {stored!r}"


def test_autosave_never_fails_and_stores_only_what_was_meant(app, client, draft):
    types = {"kpi.e-share": "number", "kpi.release-hours": "number", "transit.e-seals": "yes_no",
             "transit.notes": "text"}
    failures, sent = [], 0
    for key in KEYS:
        for field in FIELDS:
            for raw in malformed_values():
                before = answer(app, draft.id, key)
                body = json.dumps({"base_revision": before.revision if before else 0, field: raw})
                sent += 1
                try:
                    response = client.post(f"/assessments/{draft.id}/answers/{key}", data=body,
                                           content_type="application/json")
                except Exception as error:  # the test app re-raises what would be a 500
                    failures.append(f"{key} {field}={raw!r}: {error!r}")
                    continue
                if response.status_code >= 500 or response.status_code not in (200, 400, 422):
                    failures.append(f"{key} {field}={raw!r}: {response.status_code}")
                    continue
                after = answer(app, draft.id, key)
                if response.status_code != 200:
                    if (after and after.revision) != (before and before.revision):
                        failures.append(f"{key} {field}={raw!r}: refused but stored")
                    continue
                problem = check_meaning(types[key], field, raw, getattr(after, field) if after else None)
                if problem:
                    failures.append(f"{key}: {problem}")
    assert sent > 500
    assert not failures, "\n".join(failures[:40])


QUERY_URLS = ["/dashboard/", "/dashboard/overview", "/dashboard/trends", "/exports/", "/exports/scores.csv",
              "/exports/answers.csv", "/exports/workbook.xlsx", "/assessments/", "/review/"]
QUERY_ARGS = ["cycle", "country", "questionnaire", "status", "lang", "view", "dimension", "bom", "next"]


def test_query_strings_and_paths_never_fail(client, make_user, auth):
    auth.login(make_user("analyst"))
    failures = []
    values = [v for v in malformed_values() if isinstance(v, str)]
    for number, raw in enumerate(values):
        url = QUERY_URLS[number % len(QUERY_URLS)]
        arg = QUERY_ARGS[number % len(QUERY_ARGS)]
        encoded = quote(raw.encode("utf-8", "surrogatepass"), safe="")
        for target in (f"{url}?{arg}={encoded}", f"/dashboard/country/{encoded or 'x'}",
                       f"/assessments/1/history/{encoded or 'x'}"):
            try:
                status = client.get(target).status_code
            except Exception as error:
                failures.append(f"{target}: {error!r}")
                continue
            if status >= 500:
                failures.append(f"{target}: {status}")
    assert not failures, "\n".join(failures[:40])


def form_body(fields: dict) -> str:
    """A urlencoded body as a browser would send it; a lone surrogate becomes the invalid bytes it stands for."""
    return "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in fields.items())


def form_cases(draft_id: int, flag_id: int) -> list[tuple[str, str, str, dict]]:
    """(who, url, field, other fields) for every form a person types into."""
    return [
        ("anonymous", "/login", "email", {"password": "x"}),
        ("anonymous", "/login", "password", {"email": "nobody@example.org"}),
        ("admin", "/admin/users", "email", {"name": "N", "role": "analyst", "password": "Correct-Horse-Battery-9"}),
        ("admin", "/admin/users", "name", {"email": "fuzz@example.org", "role": "analyst",
                                           "password": "Correct-Horse-Battery-9"}),
        ("coordinator", "/assessments/start", "cycle", {"country": "AM", "questionnaire": "1"}),
        ("analyst", f"/review/{draft_id}/flags", "comment", {"question_key": "kpi.e-share"}),
        ("analyst", f"/review/{draft_id}/flags", "question_key", {"comment": "check"}),
        ("coordinator", f"/assessments/{draft_id}/flags/{flag_id}/reply", "response", {"dimension": "kpi"}),
    ]


def test_forms_never_fail_and_store_only_clean_text(app, client, draft, make_user, auth):
    from app.extensions import db
    from app.models import ReviewFlag, User
    from tests.input_support import add_flag, set_status

    people = {"admin": make_user("admin"), "analyst": make_user("analyst"), "coordinator": draft.coordinator}
    set_status(app, draft.id, "submitted")
    flag_id = add_flag(app, draft.id, people["analyst"].id, "kpi.e-share")
    failures = []
    values = [v for v in malformed_values() if isinstance(v, str)]
    for who, url, field, others in form_cases(draft.id, flag_id):
        auth.logout()
        if who != "anonymous":
            auth.login(people[who])
        for raw in values:
            try:
                status = client.post(url, data=form_body({**others, field: raw}),
                                     content_type="application/x-www-form-urlencoded").status_code
            except Exception as error:
                failures.append(f"{url} {field}={raw!r}: {error!r}")
                continue
            if status >= 500:
                failures.append(f"{url} {field}={raw!r}: {status}")
    with app.app_context():
        for user in db.session.scalars(db.select(User)):
            if "\x00" in user.name + user.email or any(unicodedata.category(c) == "Cc" for c in user.name):
                failures.append(f"user stored with control characters: {user.name!r} {user.email!r}")
        for flag in db.session.scalars(db.select(ReviewFlag)):
            text = flag.comment + (flag.response or "")
            if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
                failures.append(f"flag stored with control characters: {text[:40]!r}")
    assert not failures, "\n".join(failures[:40])


def test_an_upload_whose_file_name_holds_nul_is_a_bad_request(client, draft):
    import io

    response = client.post(f"/assessments/{draft.id}/upload", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"question_key,value\n"), "answers\x00.csv")})
    assert response.status_code == 400
