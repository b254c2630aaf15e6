"""The functional core: questionnaire files -> model; model + answers -> scores.

Pure Python (PyYAML, jsonschema, numpy, pandas); no Flask, no SQLAlchemy.
"""

from .assemble import OVERALL
from .comparable import common_criteria, comparable_pairs, restrict
from .crosswalk import crosswalk
from .diff import Change, Diff, diff
from .engine import score, score_one
from .errors import QuestionnaireError, ValidationIssue
from .model import (HIDDEN_RULES, Band, Dimension, Measure, Option, Question, Questionnaire,
                    Reference, ScoringRules, ShowIf, Stage, Supersedes, canonical_number)
from .next_level import NextLevel, next_level, smallest_set
from .numbers import MAX_DIGITS, NumberError, parse_number
from .parse import FORMATS, load_file, load_text, parse, validate_files
from .results import MEASURE_STATUSES, AssessmentScore, DimensionScore, Gap, MeasureScore
from .table import ScoreTable, score_table
from .variants import with_rules
from .version import SCORING_VERSION
from .visibility import visible_questions

__all__ = [
    "Change", "Diff", "FORMATS", "HIDDEN_RULES", "MAX_DIGITS", "MEASURE_STATUSES", "OVERALL", "SCORING_VERSION",
    "AssessmentScore", "Band", "Dimension", "DimensionScore", "Gap", "Measure", "MeasureScore",
    "NextLevel", "NumberError", "Option", "Question", "Questionnaire", "QuestionnaireError", "Reference",
    "ScoreTable", "ScoringRules", "ShowIf", "Stage", "Supersedes", "ValidationIssue", "canonical_number",
    "common_criteria", "comparable_pairs", "crosswalk", "diff", "load_file", "load_text", "next_level",
    "parse", "parse_number", "restrict", "score", "score_one", "score_table", "smallest_set",
    "validate_files", "visible_questions", "with_rules",
]
