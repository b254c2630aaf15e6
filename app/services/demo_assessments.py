"""Demo assessments: plausible, deterministic, clearly labelled illustrative answers (not real data).

The demo spans a version change of the methodology: cycles 2024 and 2025 answer
digital-customs-maturity 2026.1 and cycle 2026 answers 2026.2. The 2026 answers are the country's
2025 answers carried forward through the crosswalk of 2026.2 (`supersedes`: kept and renamed keys
keep their answer when it is still a valid answer; dropped keys are left behind), with some
progress, plus fresh answers to the criteria that are new in 2026.2 (issue 13).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

import scoring
from app import audit
from app.extensions import db
from app.models import Answer, Assessment, ReviewFlag, User
from app.services import answers as stored_answers, questionnaires, scores
from app.vocabulary import Status, path_from_draft

# An invented starting maturity per country (0..1) — illustrative only.
PROFILES = {"AM": 0.42, "BY": 0.58, "KZ": 0.66, "KG": 0.36, "RU": 0.74}
STAGE_DIFFICULTY = {"paperless": -0.5, "electronic": -0.25, "digital": 0.05, "smart": 0.3}
CYCLES = ("2024", "2025", "2026")
STATUS_2026 = {"RU": Status.VALIDATED, "KZ": Status.SUBMITTED, "BY": Status.RETURNED, "AM": Status.DRAFT, "KG": Status.DRAFT}
SHARE_ANSWERED_2026 = {"AM": 0.7, "KG": 0.35}
MAIN_QUESTIONNAIRE = "digital-customs-maturity"
#: The questionnaire version each demo cycle answers; a cycle whose version is not loaded uses the newest.
CYCLE_VERSIONS = {"2024": "2026.1", "2025": "2026.1", "2026": "2026.2"}
#: Chance that a carried-forward answer moves one step up between cycles (illustrative progress).
PROGRESS = 0.3


def seed_assessments() -> int:
    """Create the demo assessments that do not exist yet, then score them; returns how many were created."""
    if demo_version() is None:
        return 0
    created = 0
    for code, base in PROFILES.items():
        for step, cycle in enumerate(CYCLES):
            if _exists(code, MAIN_QUESTIONNAIRE, cycle):
                continue
            version = cycle_version(cycle)
            status = Status.VALIDATED if cycle != "2026" else STATUS_2026[code]
            previous = _previous(code, CYCLES[step - 1]) if step else None
            _create(code, version, questionnaires.parsed(version), cycle, base + 0.08 * step, status, previous)
            created += 1
    db.session.flush()
    scores.recompute_all()
    return created


def demo_version():
    """The newest published version of the questionnaire the demo answers."""
    versions = [v for v in questionnaires.published_versions() if v.questionnaire_id == MAIN_QUESTIONNAIRE]
    return versions[-1] if versions else None


def cycle_version(cycle: str):
    """The published version the demo answers in ``cycle`` (CYCLE_VERSIONS), else the newest one."""
    versions = [v for v in questionnaires.published_versions() if v.questionnaire_id == MAIN_QUESTIONNAIRE]
    wanted = CYCLE_VERSIONS.get(cycle)
    return next((v for v in versions if v.version == wanted), versions[-1])


def _previous(code: str, cycle: str) -> Assessment | None:
    return db.session.scalar(sa.select(Assessment).where(
        Assessment.country_code == code, Assessment.questionnaire_id == MAIN_QUESTIONNAIRE,
        Assessment.cycle == cycle))


def carried_forward(previous: Assessment | None, questionnaire: scoring.Questionnaire) -> dict[str, str]:
    """The previous cycle's answers re-keyed for ``questionnaire`` through its crosswalk.

    Answers of the same version carry over as they are; across versions `scoring.crosswalk`
    follows `supersedes` (renamed keys move, dropped keys stay behind). An answer that is no
    longer a valid answer of the question it lands on (another scale, a number out of range) is
    left out, so the respondent answers that criterion afresh.
    """
    if previous is None:
        return {}
    old = {key: a.value for key, a in stored_answers.by_key(previous.id).items()
           if a.value is not None and not a.not_applicable}
    older_q = questionnaires.parsed(previous.questionnaire_version)
    if older_q.version != questionnaire.version:
        old = scoring.crosswalk(older_q, questionnaire, old)
    known = {q.key: q for q in questionnaire.questions}
    return {key: value for key, value in old.items() if key in known and _valid(known[key], value)}


def _valid(question: scoring.Question, value: str) -> bool:
    if question.type == "text":
        return True
    if question.type == "number":
        number = scoring.canonical_number(value)
        return number is not None and (question.min is None or float(number) >= question.min) and (
            question.max is None or float(number) <= question.max)
    return question.points(value) is not None


def _progress(question: scoring.Question, value: str, rng: random.Random) -> str:
    """``value`` or, now and then, the next better answer (illustrative progress between cycles)."""
    if question.type == "text" or rng.random() >= PROGRESS:
        return value
    candidates = _candidates(question)
    share = (question.points(value) or 0) / (question.max_points or 1)
    better = [v for v in candidates if (question.points(v) or 0) / (question.max_points or 1) > share]
    return min(better, key=lambda v: question.points(v) or 0) if better else value


def _exists(code: str, questionnaire_id: str, cycle: str) -> bool:
    return db.session.scalar(sa.select(Assessment.id).where(
        Assessment.country_code == code, Assessment.questionnaire_id == questionnaire_id,
        Assessment.cycle == cycle)) is not None


def _users(code: str) -> tuple[User | None, User | None, User | None]:
    def by_email(email):
        return db.session.scalar(sa.select(User).where(User.email == email))
    return (by_email(f"{code.lower()}.respondent@demo.example"), by_email(f"{code.lower()}.coordinator@demo.example"),
            by_email("analyst@demo.example"))


def _create(code, version, questionnaire: scoring.Questionnaire, cycle: str, maturity: float, status: str,
            previous: Assessment | None = None) -> None:
    rng = random.Random(f"{code}-{cycle}")
    carried = carried_forward(previous, questionnaire)
    respondent, coordinator, analyst = _users(code)
    when = datetime(int(cycle), 3, 1, 9, 0, tzinfo=timezone.utc)
    assessment = Assessment(country_code=code, questionnaire_version_id=version.id,
                            questionnaire_id=version.questionnaire_id, cycle=cycle, status=Status.DRAFT, is_demo=True,
                            created_at=when, updated_at=when + timedelta(days=40))
    db.session.add(assessment)
    db.session.flush()
    share = SHARE_ANSWERED_2026.get(code, 1.0) if cycle == "2026" else 1.0
    for question in questionnaire.questions:
        if rng.random() <= share:
            if question.key in carried:
                value = _progress(question, carried[question.key], rng)
            else:
                value = _value(question, maturity, rng)
            with_evidence = question.evidence == "required" or (question.evidence == "optional" and rng.random() < 0.5)
            evidence = f"https://evidence.demo.example/{code.lower()}/{question.key}" if with_evidence else None
            db.session.add(Answer(assessment_id=assessment.id, question_key=question.key, value=value,
                                  evidence_url=evidence, updated_by_id=respondent.id if respondent else None,
                                  updated_at=when))
    _stamp(assessment, status, when, coordinator, analyst)
    assessment.updated_at = when + timedelta(days=40)
    audit.record("demo.seed", assessment_id=assessment.id, after={"status": status, "demo": True})


#: days after the cycle's start (1 March) at which the demo data passes each change of the table
_DEMO_DAYS = {Status.SUBMITTED: 30, Status.RETURNED: 35, Status.VALIDATED: 40}


def _stamp(assessment: Assessment, status: str, when: datetime, coordinator, analyst) -> None:
    """Walk the demo assessment from draft to `status` through the transition table (app.vocabulary),
    back-dated: submitted by the coordinator, returned or validated by the analyst."""
    actors = {Status.SUBMITTED: coordinator, Status.RETURNED: analyst, Status.VALIDATED: analyst}
    for change in path_from_draft(Status(status)):
        assessment.status = change.target
        actor = actors[change.target]
        setattr(assessment, f"{change.stamp}_at", when + timedelta(days=_DEMO_DAYS[change.target]))
        setattr(assessment, f"{change.stamp}_by_id", actor.id if actor else None)
    if status == Status.RETURNED:
        db.session.add(ReviewFlag(
            assessment_id=assessment.id, question_key=_first_key(assessment), created_by_id=analyst.id if analyst else None,
            comment="Demo flag: please attach the legal act that gives electronic documents legal force."))


def _first_key(assessment: Assessment) -> str:
    return questionnaires.parsed(assessment.questionnaire_version).questions[0].key


def _value(question: scoring.Question, maturity: float, rng: random.Random) -> str:
    """A value whose points share is near the target for this country, stage and a little noise."""
    target = min(1.0, max(0.0, maturity - STAGE_DIFFICULTY.get(question.stage or "", 0.0) + rng.gauss(0, 0.1)))
    if question.type == "text":
        return "Demo answer (illustrative)."
    candidates = _candidates(question)
    return min(candidates, key=lambda v: abs((question.points(v) or 0) / (question.max_points or 1) - target))


def _candidates(question: scoring.Question) -> list[str]:
    if question.options:
        return [o.value for o in question.options]
    numbers = {question.min or 0.0, question.max if question.max is not None else 1000.0}
    for band in question.bands:
        numbers.update(b for b in (band.min, band.max) if b is not None)
    return [question.normalise(n) for n in sorted(numbers)
            if (question.min is None or n >= question.min) and (question.max is None or n <= question.max)]
