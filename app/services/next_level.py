"""The way to the next level of an assessment's dimensions, from the engine (scoring.next_level)."""
from __future__ import annotations

import scoring
from app.models import Assessment
from app.services.questionnaires import parsed
from app.services.scores import score_assessment


def way_to_next_level(assessment: Assessment) -> dict[str, scoring.NextLevel]:
    """Dimension key -> points lacking and the smallest set of criteria, scored from the stored answers.

    Nothing is written; the engine is run on the assessment's answers as they are stored, the same
    inputs the stored score rows came from.
    """
    questionnaire = parsed(assessment.questionnaire_version)
    return scoring.next_level(score_assessment(assessment), questionnaire.rules.stage_threshold)
