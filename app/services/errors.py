"""Errors the services raise for the user; views map them to flash messages or HTTP codes."""
from __future__ import annotations

from flask_babel import gettext as _

from app.labels import status_label


class AssessmentError(ValueError):
    """The request cannot be carried out; the message says why, for the user."""


class AnswerLocked(AssessmentError):
    """The assessment does not accept answer changes in its current status."""


class DuplicateAssessment(AssessmentError):
    """The country already has an assessment of this questionnaire and cycle (perhaps created a moment ago)."""


class StatusChanged(AnswerLocked):
    """Another user changed the assessment's status first; nothing was changed.

    `status` is the stored status at the moment of the refusal (None when the assessment is gone).
    """

    def __init__(self, status: str | None) -> None:
        self.status = status
        if status is None:
            super().__init__(_("This assessment no longer exists; nothing was changed."))
        else:
            super().__init__(_("The status of this assessment changed in the meantime: it is now “%(status)s”. "
                               "Nothing was changed; check the page and try again if it still applies.",
                               status=status_label(status)))
