"""Gathers what the assessment pages show (read-only; no writes here)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

import scoring
from app.models import Assessment, ReviewFlag
from app.services import answers as stored_answers, attachments, countries, scores
from app.services.questionnaires import parsed
from app.assessments import views
from app.i18n import current_language


@dataclass
class Progress:
    answered: int
    required: int

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.answered / self.required)


def answers_of(assessment: Assessment, keys=None) -> dict[str, sa.Row]:
    """The assessment's answers by question key (only `keys` when given), as read-only rows
    (app.services.answers.rows_by_key)."""
    return stored_answers.rows_by_key(assessment.id, keys)


visible_keys = stored_answers.visible_keys  # rows and Answer objects alike (value, not_applicable)


def hidden_keys(assessment: Assessment, questionnaire: scoring.Questionnaire,
                stored: frozenset[str] | None) -> frozenset[str]:
    """The questions skip logic hides: as stored with the score rows (app.services.scores), or, for rows
    that predate migration 0009, worked out from the stored answers."""
    if stored is not None:
        return stored
    visible = visible_keys(questionnaire, answers_of(assessment))
    return frozenset(q.key for q in questionnaire.questions if q.key not in visible)


def progress_from(rows) -> dict[str, Progress]:
    """Progress per dimension key (and `_overall`) from stored score rows or the engine's dimension scores
    (anything with key/dimension_key, required_answered and required_visible)."""
    return {getattr(r, "dimension_key", None) or r.key: Progress(r.required_answered, r.required_visible)
            for r in rows}


def progress_by_dimension(assessment: Assessment) -> dict[str, Progress]:
    """Required questions answered per dimension (and `_overall`), from the stored score rows."""
    return {key: Progress(*counts) for key, counts in scores.progress_and_hidden(assessment.id)[0].items()}


def flags_by_question(assessment: Assessment) -> dict[str, list[ReviewFlag]]:
    """The assessment's review flags by question key, oldest first."""
    from app.services import workflow

    grouped: dict[str, list[ReviewFlag]] = {}
    for flag in workflow.flags(assessment):
        grouped.setdefault(flag.question_key, []).append(flag)
    return grouped


def section(assessment: Assessment, dimension_key: str) -> dict:
    """Everything the section page needs; KeyError if the dimension does not exist.

    Progress and the questions hidden by skip logic come from the stored score rows; only the
    section's own answers are read.
    """
    questionnaire = parsed(assessment.questionnaire_version)
    dimension = next((d for d in questionnaire.dimensions if d.key == dimension_key), None)
    if dimension is None:
        raise KeyError(dimension_key)
    counts, stored_hidden = scores.progress_and_hidden(assessment.id)
    lang = current_language()
    return {"questionnaire": questionnaire, "dimension": dimension,
            "answers": answers_of(assessment, [q.key for q in dimension.questions]),
            "hidden": hidden_keys(assessment, questionnaire, stored_hidden),
            "attachments": attachments.by_question(assessment), "flags": flags_by_question(assessment),
            "progress": {key: Progress(*c) for key, c in counts.items()},
            "neighbours": _neighbours(questionnaire, dimension_key),
            "view": views.questionnaire_view(assessment.questionnaire_version, lang), "labels": views.card_labels(lang)}


def _neighbours(questionnaire: scoring.Questionnaire, key: str) -> tuple:
    keys = [d.key for d in questionnaire.dimensions]
    i = keys.index(key)
    return (keys[i - 1] if i > 0 else None, keys[i + 1] if i + 1 < len(keys) else None)


def country_names(codes) -> dict[str, str]:
    """{code: name in the UI language} in one query (a code with no stored country keeps the code)."""
    return countries.names(codes, current_language())


def overview(assessment: Assessment) -> dict:
    """The overview page: sections with progress, stored scores, flags, changes since return."""
    from app.services import workflow

    questionnaire = parsed(assessment.questionnaire_version)
    rows = scores.rows_for(assessment.id)
    return {"assessment": assessment, "questionnaire": questionnaire,
            "progress": progress_from(rows.values()), "score_rows": rows,
            "flags": workflow.flags(assessment), "changes": workflow.changes_since_return(assessment)}


def missing(assessment: Assessment) -> dict:
    """What keeps the assessment from being submitted, grouped for the submit page."""
    from app.services import workflow

    return {"questionnaire": parsed(assessment.questionnaire_version),
            "missing": workflow.submission_problems(assessment)}

