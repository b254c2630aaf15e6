"""The analyst's review workspace: every question with the facts a reviewer filters on (read-only).

Filters travel in the URL (GET), so a filtered view can be bookmarked, shared and reloaded, and no
script is needed (the CSP forbids inline script).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

import scoring
from app.assessments import context
from app.models import Assessment, Attachment, ReviewFlag
from app.services import attachments, scores, workflow
from app.services.questionnaires import parsed

#: the "show" filter: key -> the test a question must pass
SHOW_FILTERS = ("all", "flagged", "changed", "unanswered", "hidden", "no-evidence")


@dataclass(slots=True)
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
    #: visible, answered (not "not applicable"), scored and without a file or a link: the "no-evidence" filter
    no_evidence: bool = field(init=False)

    def __post_init__(self) -> None:
        answer = self.answer
        if answer is None:
            self.answered = not_applicable = False
            self.has_evidence = bool(self.files)
        else:
            not_applicable = answer.not_applicable
            self.answered = answer.value is not None or bool(not_applicable)
            self.has_evidence = bool(self.files) or bool(answer.evidence_url)
        self.flagged = any(f.state != "resolved" for f in self.flags) if self.flags else False
        self.scored = self.question.type != "text"
        self.no_evidence = (self.visible and self.answered and self.scored and not not_applicable
                            and not self.has_evidence)

    def shown_by(self, show: str) -> bool:
        """Whether the question passes the SHOW_FILTERS filter `show` (the stage filter aside)."""
        if show == "all":
            return True
        if show == "flagged":
            return self.flagged
        if show == "changed":
            return self.changed
        if show == "unanswered":
            return self.visible and not self.answered
        if show == "hidden":
            return not self.visible
        return self.no_evidence

    def matches(self, show: str, stage: str | None) -> bool:
        if stage and self.question.stage != stage:
            return False
        return self.shown_by(show)


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
    answers = context.answers_of(assessment)
    hidden = context.hidden_keys(assessment, questionnaire, scores.progress_and_hidden(assessment.id)[1])
    flags: dict[str, list[ReviewFlag]] = {}
    for flag in workflow.flags(assessment, resolvers=True):
        flags.setdefault(flag.question_key, []).append(flag)
    files = attachments.by_question(assessment)
    changes = workflow.changes_since_return(assessment)
    changed = {e.question_key for e in changes}
    stages = {s.key for s in questionnaire.stages}
    stage = stage if stage in stages else None
    dimension_keys = {d.key for d in questionnaire.dimensions}
    section = section if section in dimension_keys else None
    sections = []
    counted = flagged = changed_count = unanswered = hidden_count = no_evidence = 0
    empty: list = []
    for dimension in questionnaire.dimensions:
        view = SectionView(dimension.key, dimension.title)
        in_section = section is None or section == dimension.key
        for q in dimension.questions:
            key = q.key
            item = ReviewItem(q, answers.get(key), flags.get(key, empty), files.get(key, empty),
                              key not in hidden, key in changed)
            if not stage or q.stage == stage:
                counted += 1
                flagged += item.flagged
                changed_count += item.changed
                unanswered += item.visible and not item.answered
                hidden_count += not item.visible
                no_evidence += item.no_evidence
                if in_section and item.shown_by(show):
                    view.items.append(item)
            view.total += 1
            view.flagged += item.flagged
        sections.append(view)
    counts = {"all": counted, "flagged": flagged, "changed": changed_count, "unanswered": unanswered,
              "hidden": hidden_count, "no-evidence": no_evidence}
    return {"questionnaire": questionnaire, "sections": sections, "counts": counts, "changes": changes,
            "show": show, "stage": stage, "section": section,
            "shown": sum(len(s.items) for s in sections)}
