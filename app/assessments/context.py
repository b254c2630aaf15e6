"""Gathers what the assessment pages show (read-only; no writes here)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

import scoring
from app.extensions import db
from app.models import Answer, Assessment, ReviewFlag
from app.services import answers as stored_answers, attachments, scores
from app.services.questionnaires import parsed


@dataclass
class Progress:
    answered: int
    required: int

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.answered / self.required)


def answers_of(assessment: Assessment) -> dict[str, Answer]:
    return stored_answers.by_key(assessment.id)


visible_keys = stored_answers.visible_keys


def progress_by_dimension(assessment: Assessment) -> dict[str, Progress]:
    """Required questions answered per dimension (and `_overall`), from the stored score rows."""
    result = scores.score_assessment(assessment)
    return {d.key: Progress(d.required_answered, d.required_visible) for d in (*result.dimensions, result.overall)}


def flags_by_question(assessment: Assessment) -> dict[str, list[ReviewFlag]]:
    grouped: dict[str, list[ReviewFlag]] = {}
    for flag in db.session.scalars(sa.select(ReviewFlag).where(
            ReviewFlag.assessment_id == assessment.id).order_by(ReviewFlag.id)):
        grouped.setdefault(flag.question_key, []).append(flag)
    return grouped


def section(assessment: Assessment, dimension_key: str) -> dict:
    """Everything the section page needs; KeyError if the dimension does not exist."""
    questionnaire = parsed(assessment.questionnaire_version)
    dimension = next((d for d in questionnaire.dimensions if d.key == dimension_key), None)
    if dimension is None:
        raise KeyError(dimension_key)
    answers = answers_of(assessment)
    return {"questionnaire": questionnaire, "dimension": dimension, "answers": answers,
            "visible": visible_keys(questionnaire, answers), "attachments": attachments.by_question(assessment),
            "flags": flags_by_question(assessment), "progress": progress_by_dimension(assessment),
            "neighbours": _neighbours(questionnaire, dimension_key)}


def _neighbours(questionnaire: scoring.Questionnaire, key: str) -> tuple:
    keys = [d.key for d in questionnaire.dimensions]
    i = keys.index(key)
    return (keys[i - 1] if i > 0 else None, keys[i + 1] if i + 1 < len(keys) else None)


def stage_labels(questionnaire: scoring.Questionnaire) -> dict[str, dict]:
    return {stage.key: stage.label for stage in questionnaire.stages}


def show_if_json(question: scoring.Question) -> dict | None:
    """The skip rule in the form the browser script evaluates."""
    rule = question.show_if
    if rule is None:
        return None
    return {"question": rule.question, "in": list(rule.values) if rule.values is not None else None,
            "op": rule.op, "value": rule.value}


def country_name(code: str) -> str:
    from app.i18n import current_language
    from app.models import Country

    country = db.session.get(Country, code)
    return country.name(current_language()) if country else code


def overview(assessment: Assessment) -> dict:
    """The overview page: sections with progress, stored scores, flags, changes since return."""
    from app.services import workflow

    questionnaire = parsed(assessment.questionnaire_version)
    return {"assessment": assessment, "questionnaire": questionnaire,
            "progress": progress_by_dimension(assessment), "score_rows": scores.rows_for(assessment.id),
            "flags": workflow.flags(assessment), "changes": workflow.changes_since_return(assessment)}


def missing(assessment: Assessment) -> dict:
    """What keeps the assessment from being submitted, grouped for the submit page."""
    from app.services import workflow

    return {"questionnaire": parsed(assessment.questionnaire_version),
            "missing": workflow.submission_problems(assessment)}


def number_shown(value: str) -> str:
    """A stored number (canonical, with a point) as people of the page's language write it (ru: 9,5)."""
    from app.i18n import current_language

    return value.replace(".", ",") if current_language() == "ru" else value


def number_hint(question: scoring.Question) -> str:
    """What a number field accepts: the range, and that a decimal comma or point both work."""
    from flask_babel import gettext as _

    from app.i18n import current_language
    from app.services.workbook import number_range

    return " ".join([number_range(question, current_language()),
                     _("Decimals after a comma or a point (9,5 or 9.5); no thousands separators.")])
