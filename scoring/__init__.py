"""The functional core: questionnaire files -> model; model + answers -> scores.

Pure Python (PyYAML, jsonschema, numpy, pandas); no Flask, no SQLAlchemy.
"""

from .crosswalk import crosswalk
from .engine import score, score_one
from .errors import QuestionnaireError, ValidationIssue
from .model import (Band, Dimension, Option, Question, Questionnaire, ScoringRules, ShowIf,
                    Stage, Supersedes, canonical_number)
from .numbers import MAX_DIGITS, NumberError, parse_number
from .parse import FORMATS, load_file, load_text, parse, validate_files
from .results import AssessmentScore, DimensionScore, Gap
from .version import SCORING_VERSION
from .visibility import visible_questions

__all__ = [
    "FORMATS", "SCORING_VERSION", "AssessmentScore", "Band", "Dimension", "DimensionScore",
    "Gap", "MAX_DIGITS", "NumberError", "Option", "Question", "Questionnaire", "QuestionnaireError", "ScoringRules",
    "ShowIf", "Stage", "Supersedes", "ValidationIssue", "canonical_number", "crosswalk",
    "load_file", "load_text", "parse", "parse_number", "score", "score_one", "validate_files",
    "visible_questions",
]
