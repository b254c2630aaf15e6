"""Assessment cycles: open (with drafts, optionally carried forward), close, and where countries stand.

A cycle is a round of one questionnaire with participating countries and deadlines that are
calendar dates in CYCLE_TIME_ZONE (app.services.deadlines). Assessments belong to a cycle by
(questionnaire id, cycle label): those created later link themselves (app.models.cycles), those
that existed before are linked when the cycle is opened.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import gettext as _

from app import access, audit
from app.extensions import db
from app.models import Assessment, Country, Cycle, QuestionnaireVersion, User
from app.services import assessments, deadlines

UNDER_REVIEW = ("submitted", "returned")


class CycleError(ValueError):
    """The cycle cannot be opened or closed as asked; the message says why, for the user."""


@dataclass
class Opened:
    """What opening a cycle did: the cycle, drafts created (carried forward or empty), assessments linked."""

    cycle: Cycle
    carried: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)


def now() -> datetime:
    return datetime.now(timezone.utc)


def time_zone() -> str:
    return current_app.config["CYCLE_TIME_ZONE"]


def open_cycle(user: User, *, label: str, version: QuestionnaireVersion, country_codes: list[str],
               submission_deadline: date, review_deadline: date | None = None, create_drafts: bool = False,
               carry_forward: bool = False) -> Opened:
    """Open a cycle, link the assessments that already carry its label, optionally start drafts; commits.

    With create_drafts, every participant without an assessment gets a draft on `version`; with
    carry_forward too, pre-filled from its last validated assessment where it has one (the
    carry-forward of app.services.assessments), empty otherwise. Raises CycleError.
    """
    label = (label or "").strip()
    codes = sorted({(c or "").strip().upper() for c in country_codes if c})
    _check_open(user, label, version, codes, submission_deadline, review_deadline)
    try:
        return _open(user, label, version, codes, submission_deadline, review_deadline, create_drafts,
                     carry_forward)
    except sa.exc.IntegrityError:
        # Someone opened the same cycle, or started one of its assessments, at the same moment.
        db.session.rollback()
        if find(version.questionnaire_id, label) is not None:
            raise CycleError(_("A cycle %(label)s of this questionnaire exists already.", label=label)) from None
        raise CycleError(_("An assessment of this cycle was started at the same moment; open the cycle again."))\
            from None


def _open(user: User, label: str, version: QuestionnaireVersion, codes: list[str], submission_deadline: date,
          review_deadline: date | None, create_drafts: bool, carry_forward: bool) -> Opened:
    cycle = Cycle(label=label, questionnaire_id=version.questionnaire_id, questionnaire_version_id=version.id,
                  submission_deadline=submission_deadline, review_deadline=review_deadline,
                  opened_by_id=user.id, countries=list(db.session.scalars(
                      sa.select(Country).where(Country.code.in_(codes)))))
    db.session.add(cycle)
    db.session.flush()
    result = Opened(cycle, linked=_link_existing(cycle))
    if create_drafts:
        _create_drafts(user, cycle, version, carry_forward, result)
    audit.record("cycle.open", user=user, target=f"{version.questionnaire_id} {label}",
                 after={"cycle_id": cycle.id, "questionnaire": version.label, "countries": codes,
                        "submission_deadline": submission_deadline.isoformat(),
                        "review_deadline": review_deadline.isoformat() if review_deadline else None,
                        "drafts": result.carried + result.empty, "carried_forward": result.carried,
                        "linked": result.linked})
    db.session.commit()
    return result


def _check_open(user: User, label: str, version: QuestionnaireVersion | None, codes: list[str],
                submission_deadline: date | None, review_deadline: date | None) -> None:
    if not access.can_manage_cycles(user):
        raise CycleError(_("Only analysts and administrators open assessment cycles."))
    if not label or len(label) > 20:
        raise CycleError(_("Give the cycle a label of at most 20 characters, for example 2026."))
    if version is None or version.status != "published":
        raise CycleError(_("Only a published questionnaire version can be used for a new assessment."))
    if not codes:
        raise CycleError(_("Choose at least one participating country."))
    known = set(db.session.scalars(sa.select(Country.code).where(Country.code.in_(codes))))
    if known != set(codes):
        raise CycleError(_("Unknown country code %(code)s.", code=", ".join(sorted(set(codes) - known))))
    if submission_deadline is None:
        raise CycleError(_("Give the submission deadline."))
    if review_deadline is not None and review_deadline < submission_deadline:
        raise CycleError(_("The review deadline cannot be before the submission deadline."))
    if find(version.questionnaire_id, label) is not None:
        raise CycleError(_("A cycle %(label)s of this questionnaire exists already.", label=label))


def _link_existing(cycle: Cycle) -> list[str]:
    """Attach the assessments already carrying this label and questionnaire; mark the late ones."""
    linked = list(db.session.scalars(sa.select(Assessment).where(
        Assessment.questionnaire_id == cycle.questionnaire_id, Assessment.cycle == cycle.label,
        Assessment.cycle_id.is_(None))))
    for assessment in linked:
        assessment.cycle_id = cycle.id
        if assessment.submitted_at is not None:
            assessment.submitted_late = deadlines.is_late(assessment.submitted_at, cycle.submission_deadline,
                                                          time_zone())
    return sorted(a.country_code for a in linked)


def _create_drafts(user: User, cycle: Cycle, version: QuestionnaireVersion, carry_forward: bool,
                   result: Opened) -> None:
    have = set(result.linked)
    for code in cycle.country_codes:
        if code in have:
            continue
        carry = carry_forward and assessments.last_validated(code, version.questionnaire_id) is not None
        assessments.create_draft(user, code, version, cycle.label, carry_forward=carry)
        (result.carried if carry else result.empty).append(code)


def close_cycle(user: User, cycle: Cycle, confirmed: bool = False) -> list[Assessment]:
    """Close the cycle (no more reminders); returns the assessments still under review.

    While some are submitted or returned, the cycle is closed only when `confirmed`; otherwise
    nothing changes and the caller asks for confirmation. Commits when it closes. Raises CycleError.
    """
    if not access.can_manage_cycles(user):
        raise CycleError(_("Only analysts and administrators close assessment cycles."))
    if cycle.status != "open":
        raise CycleError(_("This cycle is closed already."))
    pending = under_review(cycle)
    if pending and not confirmed:
        return pending
    # compare-and-set: of two closings at the same moment, one closes and the other is told
    closed = db.session.scalar(sa.update(Cycle).where(Cycle.id == cycle.id, Cycle.status == "open").values(
        status="closed", closed_at=now(), closed_by_id=user.id).returning(Cycle.id))
    if closed is None:
        db.session.rollback()
        raise CycleError(_("This cycle is closed already."))
    audit.record("cycle.close", user=user, target=f"{cycle.questionnaire_id} {cycle.label}",
                 after={"cycle_id": cycle.id, "under_review": sorted(a.country_code for a in pending),
                        "confirmed": bool(pending)})
    db.session.commit()
    db.session.refresh(cycle)
    return pending


def under_review(cycle: Cycle) -> list[Assessment]:
    """The cycle's assessments an analyst has not finished with (submitted or returned)."""
    return list(db.session.scalars(sa.select(Assessment).where(
        Assessment.cycle_id == cycle.id, Assessment.status.in_(UNDER_REVIEW)).order_by(Assessment.country_code)))


def record_submission(user: User, assessment: Assessment) -> None:
    """Mark a first submission after the cycle's deadline as late (a re-submission keeps the first mark).

    Called in the submit transaction, after the status change; the caller commits.
    """
    if assessment.cycle_id is None or assessment.returned_at is not None or assessment.submitted_at is None:
        return
    cycle = db.session.get(Cycle, assessment.cycle_id)
    assessment.submitted_late = deadlines.is_late(assessment.submitted_at, cycle.submission_deadline, time_zone())
    if assessment.submitted_late:
        audit.record("assessment.late", user=user, assessment_id=assessment.id,
                     after={"cycle": cycle.label, "submission_deadline": cycle.submission_deadline.isoformat(),
                            "time_zone": time_zone()})


def find(questionnaire_id: str, label: str) -> Cycle | None:
    return db.session.scalar(sa.select(Cycle).where(Cycle.questionnaire_id == questionnaire_id,
                                                    Cycle.label == label))


def labels(user: User, questionnaire_id: str) -> list[str]:
    """Labels of the questionnaire's cycles the user takes part in (staff: all)."""
    query = sa.select(Cycle).where(Cycle.questionnaire_id == questionnaire_id)
    return [c.label for c in db.session.scalars(query)
            if not user.is_national or user.country_code in c.country_codes]


def get(cycle_id: int) -> Cycle | None:
    """The cycle with this id, or None."""
    return db.session.get(Cycle, cycle_id)


def all_cycles() -> list[Cycle]:
    """Every cycle, open ones first, newest first."""
    return list(db.session.scalars(sa.select(Cycle).options(so.selectinload(Cycle.countries)).order_by(
        (Cycle.status == "open").desc(), Cycle.submission_deadline.desc(), Cycle.id.desc())))


# ---- where countries stand ------------------------------------------------------------------

@dataclass(frozen=True)
class CountryStanding:
    """One participant of a cycle: its assessment (if started) and its position against the deadline."""

    country: Country
    assessment: Assessment | None
    deadline: deadlines.DeadlineState

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment is not None else "not_started"


def standings(cycle: Cycle, at: datetime | None = None) -> list[CountryStanding]:
    """Every participant against the submission deadline, by country code."""
    at, tz = at or now(), time_zone()
    found = {a.country_code: a for a in db.session.scalars(sa.select(Assessment).where(
        Assessment.cycle_id == cycle.id))}
    rows = []
    for country in cycle.countries:
        assessment = found.get(country.code)
        submitted_at = assessment.submitted_at if assessment is not None else None
        state = deadlines.state(cycle.submission_deadline, at, tz, submitted_at)
        if assessment is not None and submitted_at is not None:
            state = deadlines.DeadlineState("late" if assessment.submitted_late else "on_time", None)
        rows.append(CountryStanding(country, assessment, state))
    return rows


def standing_by_country(cycle: Cycle | None, at: datetime | None = None) -> dict[str, CountryStanding]:
    """standings() keyed by country code; empty without a cycle."""
    return {row.country.code: row for row in standings(cycle, at)} if cycle is not None else {}


@dataclass(frozen=True)
class CycleSummary:
    """An open cycle as a home page shows it: days to each deadline and how many countries are where."""

    cycle: Cycle
    submission_days: int
    review_days: int | None
    counts: dict[str, int]
    own: CountryStanding | None = None


def due(user: User, at: datetime | None = None) -> list[CycleSummary]:
    """The open cycles that concern the user (national users: those their country takes part in)."""
    at, tz = at or now(), time_zone()
    query = sa.select(Cycle).where(Cycle.status == "open").options(so.selectinload(Cycle.countries)).order_by(
        Cycle.submission_deadline, Cycle.id)
    summaries = []
    for cycle in db.session.scalars(query):
        if user.is_national and user.country_code not in cycle.country_codes:
            continue
        rows = standings(cycle, at)
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        own = next((r for r in rows if r.country.code == user.country_code), None) if user.is_national else None
        summaries.append(CycleSummary(
            cycle, deadlines.days_left(cycle.submission_deadline, at, tz),
            deadlines.days_left(cycle.review_deadline, at, tz) if cycle.review_deadline else None, counts, own))
    return summaries
