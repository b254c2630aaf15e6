"""The analyst's review workspace: every question with the facts a reviewer filters on (read-only).

Filters travel in the URL (GET), so a filtered view can be bookmarked, shared and reloaded, and no
script is needed (the CSP forbids inline script).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

import scoring
from app.assessments import context, views
from app.i18n import current_language
from app.models import Assessment, Attachment, ReviewFlag
from app.services import attachments, scores, workflow
from app.services.questionnaires import parsed

#: the "show" filter: key -> the test a question must pass
SHOW_FILTERS = ("all", "flagged", "changed", "unanswered", "hidden", "no-evidence")


@dataclass
class ReviewItem:
    """One question as the reviewer sees it; the facts the filters test are worked out once."""

    question: scoring.Question
    #: the stored answer as a plain row (app.assessments.context.answers_of), or None
    answer: sa.Row | None
    flags: list[ReviewFlag]
    files: list[Attachment]
    visible: bool
    changed: bool
    answered: bool = field(init=False)
    flagged: bool = field(init=False)
    has_evidence: bool = field(init=False)
    scored: bool = field(init=False)
    #: SHOW_FILTERS name -> whether the question passes it (the stage filter aside)
    shown_by: dict[str, bool] = field(init=False)

    def __post_init__(self) -> None:
        answer = self.answer
        self.answered = answer is not None and (answer.value is not None or answer.not_applicable)
        self.flagged = any(f.state != "resolved" for f in self.flags)
        self.has_evidence = bool(self.files) or bool(answer is not None and answer.evidence_url)
        self.scored = self.question.type != "text"
        not_applicable = answer is not None and answer.not_applicable
        self.shown_by = {
            "all": True,
            "flagged": self.flagged,
            "changed": self.changed,
            "unanswered": self.visible and not self.answered,
            "hidden": not self.visible,
            "no-evidence": (self.visible and self.answered and self.scored and not not_applicable
                            and not self.has_evidence),
        }

    def matches(self, show: str, stage: str | None) -> bool:
        if stage and self.question.stage != stage:
            return False
        return self.shown_by[show]


@dataclass
class SectionView:
    key: str
    title: dict
    items: list[ReviewItem] = field(default_factory=list)
    total: int = 0
    flagged: int = 0


def parse_filters(args) -> tuple[str, str | None, str | None]:
    """(show, stage, section) from the request arguments; anything unknown falls back to no filter."""
    show = args.get("show", "all")
    return (show if show in SHOW_FILTERS else "all", (args.get("stage") or None), (args.get("section") or None))


def workspace(assessment: Assessment, show: str = "all", stage: str | None = None,
              section: str | None = None) -> dict:
    """The sections with their matching questions, counts for the navigator and every filter."""
    questionnaire = parsed(assessment.questionnaire_version)
    lang = current_language()
    answers = context.answers_of(assessment)
    hidden = context.hidden_keys(assessment, questionnaire, scores.progress_and_hidden(assessment.id)[1])
    flags = context.flags_by_question(assessment)
    files = attachments.by_question(assessment)
    changes = workflow.changes_since_return(assessment)
    changed = {e.question_key for e in changes}
    stages = {s.key for s in questionnaire.stages}
    stage = stage if stage in stages else None
    dimension_keys = {d.key for d in questionnaire.dimensions}
    section = section if section in dimension_keys else None
    sections, counts = [], dict.fromkeys(SHOW_FILTERS, 0)
    for dimension in questionnaire.dimensions:
        view = SectionView(dimension.key, dimension.title)
        for q in dimension.questions:
            item = ReviewItem(q, answers.get(q.key), flags.get(q.key, []), files.get(q.key, []),
                              q.key not in hidden, q.key in changed)
            if not stage or q.stage == stage:
                for name, shown in item.shown_by.items():
                    counts[name] += shown
            view.total += 1
            view.flagged += item.flagged
            if item.matches(show, stage) and (section is None or section == dimension.key):
                view.items.append(item)
        sections.append(view)
    return {"questionnaire": questionnaire, "sections": sections, "counts": counts, "changes": changes,
            "view": views.questionnaire_view(assessment.questionnaire_version, lang), "t": views.card_labels(lang),
            "show": show, "stage": stage, "section": section,
            "shown": sum(len(s.items) for s in sections)}
