"""Units of work that change an assessment: one writer at a time per assessment, status as compare-and-set.

Every state change of an assessment (an answer, an attachment, a flag, a transition, an import)
runs inside `changing(assessment, statuses)`. It starts the write transaction (BEGIN IMMEDIATE on
SQLite, see app.database) and then updates the assessment row only if its stored status is still
one of `statuses` (a conditional UPDATE whose row count is checked). On PostgreSQL that UPDATE
also holds the row lock until the commit, so concurrent changes of one assessment (and their
rescoring) run one after the other, each reading what the previous one committed; on SQLite the
database write lock does the same. Whatever the unit checks (a base revision, a count of files,
open flags) it checks under that lock, so the check still holds when it commits.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from app import database
from app.extensions import db
from app.models import Assessment
from app.services.errors import StatusChanged
from app.vocabulary import EDITABLE  # noqa: F401  (the statuses most units of work hold)



@contextmanager
def changing(assessment: Assessment, statuses: tuple[str, ...]) -> Iterator[Assessment]:
    """Run the block as one unit of work that holds the assessment; commits, or rolls back on any error.

    Raises StatusChanged before the block runs when the stored status is not one of `statuses`.
    The assessment object is reloaded under the lock.
    """
    database.begin_write()
    try:
        hold(assessment, statuses)
        yield assessment
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def hold(assessment: Assessment, statuses: tuple[str, ...]) -> None:
    """Lock the assessment row if its stored status is one of `statuses`, and reload it; else StatusChanged.

    Call inside a write transaction (database.begin_write); the lock lasts until it ends.
    """
    assessment_id = sa.inspect(assessment).identity[0]
    result = db.session.execute(
        sa.update(Assessment).where(Assessment.id == assessment_id, Assessment.status.in_(statuses))
        # a no-op assignment: the point is the row lock and the row count, not a change
        .values(status=Assessment.status, updated_at=Assessment.updated_at)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        refuse(assessment_id)
    db.session.refresh(assessment)


def refuse(assessment_id: int) -> None:
    """Roll back and raise StatusChanged with the status another writer left."""
    status = db.session.scalar(sa.select(Assessment.status).where(Assessment.id == assessment_id))
    db.session.rollback()
    raise StatusChanged(status)
