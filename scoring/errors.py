"""Validation issues: what is wrong, in which file, and where inside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One problem in a questionnaire file.

    ``path`` looks like ``dimensions[2].questions[5].show_if.question`` ("" for the
    whole file); ``line`` is the 1-based line in the YAML text when known.
    """

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}: " if self.path else f"{self.file}: "
        suffix = f" (line {self.line})" if self.line and "line " not in self.message else ""
        return f"{where}{self.message}{suffix}"


class QuestionnaireError(ValueError):
    """A questionnaire file was refused; ``issues`` lists every problem found."""

    def __init__(self, issues: Iterable[ValidationIssue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


def join_path(path: str, part: str | int) -> str:
    """The path of ``part`` inside ``path``: ``a.b`` for keys, ``a[2]`` for list items."""
    if isinstance(part, int):
        return f"{path}[{part}]"
    return f"{path}.{part}" if path else str(part)


def path_of(parts: Iterable[str | int]) -> str:
    """The dotted path for a sequence of keys and list indices."""
    path = ""
    for part in parts:
        path = join_path(path, part)
    return path


def sort_key(issue: ValidationIssue) -> tuple:
    """Orders issues as they appear in the file: by line, then by path (numbers as numbers)."""
    parts = re.split(r"(\d+)", issue.path)
    return (issue.line or 0,) + tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def ordered(issues: Iterable[ValidationIssue]) -> list[ValidationIssue]:
    """Issues without repeats, in file order."""
    unique = dict.fromkeys(issues)
    return sorted(unique, key=sort_key)
