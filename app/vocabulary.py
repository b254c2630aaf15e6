"""The fixed vocabulary of the product, written once: assessment statuses, user roles, status transitions.

The values are the strings stored in the database (CHECK constraints), written to CSV exports and
used in URLs; a StrEnum member *is* that string, so comparisons with stored values, JSON audit rows
and f-strings need no conversion. Migrations keep the literals (they describe the schema as it was).
This module imports nothing of the app (only scoring's OVERALL, the dimension key of an overall score
row): models, access, services, charts, views and commands all read it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from scoring import OVERALL  # noqa: F401  (re-exported for modules that must not import scoring: app.charts)


class Status(StrEnum):
    """The lifecycle of an assessment (DESIGN.md §2): draft -> submitted -> validated, or -> returned -> submitted."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VALIDATED = "validated"


class Role(StrEnum):
    """What a user does: national officials (one country) or EEC staff (no country)."""

    RESPONDENT = "respondent"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    ADMIN = "admin"


#: roles that belong to exactly one country
NATIONAL_ROLES = (Role.RESPONDENT, Role.COORDINATOR)
#: EEC roles, with no country
STAFF_ROLES = (Role.ANALYST, Role.ADMIN)

#: statuses that accept answer changes (DESIGN.md §2: only drafts and returned assessments)
EDITABLE = (Status.DRAFT, Status.RETURNED)
#: handed in and not yet final: the review queue
UNDER_REVIEW = (Status.SUBMITTED, Status.RETURNED)
#: handed in by the country (submitted or validated)
HANDED_IN = (Status.SUBMITTED, Status.VALIDATED)


@dataclass(frozen=True)
class Transition:
    """One allowed status change: from any of `sources` to `target`.

    `stamp` names the assessment's `<stamp>_at` / `<stamp>_by_id` columns the change fills in;
    the audit action is `assessment.<target>`.
    """

    sources: tuple[Status, ...]
    target: Status
    stamp: str


#: the one table of status changes (DESIGN.md §2); every change of Assessment.status goes through it
SUBMIT = Transition(EDITABLE, Status.SUBMITTED, "submitted")
RETURN = Transition((Status.SUBMITTED,), Status.RETURNED, "returned")
VALIDATE = Transition((Status.SUBMITTED,), Status.VALIDATED, "validated")
TRANSITIONS = (SUBMIT, RETURN, VALIDATE)


def path_from_draft(target: Status) -> tuple[Transition, ...]:
    """The shortest chain of TRANSITIONS that takes a new (draft) assessment to `target`; () for a draft.

    Used where an assessment is created already past draft (the demo seed), so that it passes
    through the same table as every other status change. ValueError if the table never reaches it.
    """
    paths: dict[Status, tuple[Transition, ...]] = {Status.DRAFT: ()}
    frontier = [Status.DRAFT]
    while frontier:
        status = frontier.pop(0)
        for change in TRANSITIONS:
            if status in change.sources and change.target not in paths:
                paths[change.target] = paths[status] + (change,)
                frontier.append(change.target)
    if target not in paths:
        raise ValueError(f"no chain of status changes leads from draft to {target}")
    return paths[target]


def version_key(version: str) -> tuple:
    """Sort key for versions such as "2026.1" < "2026.2" < "2027.1" (numeric parts compare as numbers)."""
    return tuple((0, int(p), "") if p.isascii() and p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", version))
