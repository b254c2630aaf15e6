"""Loading questionnaire files into immutable database snapshots, and reading them back."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import yaml

import scoring
from app.extensions import db
from app.models import QuestionnaireVersion

_parsed_cache: dict[str, scoring.Questionnaire] = {}


class QuestionnaireRefused(ValueError):
    """A file is valid but may not be stored (e.g. it changes a published version)."""


@dataclass(frozen=True)
class LoadResult:
    path: str
    label: str
    outcome: str  # "added" | "unchanged" | "updated draft" | "retired"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate_paths(paths: list[str]) -> list[scoring.ValidationIssue]:
    """Every problem in the files, checking `supersedes` against stored versions too."""
    issues = []
    for path in paths:
        try:
            _parse_file(Path(path))
        except scoring.QuestionnaireError as error:
            issues.extend(error.issues)
    return issues


def load_paths(paths: list[str]) -> list[LoadResult]:
    """Validate every file, then store them all in one transaction (all or nothing); commits."""
    parsed = [(Path(p), *_parse_file(Path(p))) for p in paths]
    for attempt in range(2):
        try:
            results = [_store(path, text, questionnaire) for path, text, questionnaire in parsed]
            db.session.commit()
            return results
        except sa.exc.IntegrityError:
            db.session.rollback()
            if attempt:
                raise
            # the same version stored by a concurrent load: compare with it on the second attempt
        except Exception:
            db.session.rollback()
            raise


def _parse_file(path: Path) -> tuple[str, scoring.Questionnaire]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise scoring.QuestionnaireError([scoring.ValidationIssue(str(path), "", f"cannot read the file: {error}")])
    return text, scoring.load_text(text, str(path), resolve_previous=_resolver(path))


def _resolver(path: Path):
    """Find an earlier version in the database first, then beside the file."""
    def resolve(questionnaire_id: str, version: str):
        stored = find_version(questionnaire_id, version)
        if stored is not None:
            return parsed(stored)
        sibling = path.with_name(f"{version}.yaml")
        return scoring.load_file(sibling) if sibling.exists() else None
    return resolve


def _store(path: Path, text: str, questionnaire: scoring.Questionnaire) -> LoadResult:
    label = f"{questionnaire.id}@{questionnaire.version}"
    stored = find_version(questionnaire.id, questionnaire.version)
    digest = sha256(text)
    if stored is None:
        db.session.add(QuestionnaireVersion(
            questionnaire_id=questionnaire.id, version=questionnaire.version, status=questionnaire.status,
            title=dict(questionnaire.title), content=text, sha256=digest))
        return LoadResult(str(path), label, "added")
    if stored.sha256 == digest:
        return LoadResult(str(path), label, "unchanged")
    if stored.status == "draft":
        _replace(stored, text, questionnaire)
        return LoadResult(str(path), label, "updated draft")
    if stored.status == "published" and questionnaire.status == "retired" and _same_but_status(stored.content, text):
        _replace(stored, text, questionnaire)
        return LoadResult(str(path), label, "retired")
    raise QuestionnaireRefused(
        f"{path}: {label} is already loaded as {stored.status} with different content "
        f"(sha256 {stored.sha256[:12]}…, this file {digest[:12]}…). A published version never changes: "
        f"publish the change as a new version (a new file with a new `version`, and `supersedes` "
        f"naming {questionnaire.version})."
    )


def _replace(stored: QuestionnaireVersion, text: str, questionnaire: scoring.Questionnaire) -> None:
    stored.content, stored.sha256 = text, sha256(text)
    stored.status, stored.title = questionnaire.status, dict(questionnaire.title)


def _same_but_status(old_text: str, new_text: str) -> bool:
    old, new = yaml.safe_load(old_text), yaml.safe_load(new_text)
    old.pop("status", None)
    new.pop("status", None)
    return old == new


def find_version(questionnaire_id: str, version: str) -> QuestionnaireVersion | None:
    return db.session.scalar(sa.select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id, QuestionnaireVersion.version == version))


def get_version(version_id: int | None) -> QuestionnaireVersion | None:
    """The stored version with this id, or None."""
    return db.session.get(QuestionnaireVersion, version_id) if version_id is not None else None


def find_by_label(label: str) -> QuestionnaireVersion | None:
    """A stored version named as ID@VERSION."""
    questionnaire_id, _sep, version = label.partition("@")
    return find_version(questionnaire_id, version) if version else None


def list_versions() -> list[QuestionnaireVersion]:
    return list(db.session.scalars(sa.select(QuestionnaireVersion).order_by(
        QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.version)))


def published_versions() -> list[QuestionnaireVersion]:
    """Versions that new assessments may use (published only: drafts are unfinished, retired are closed)."""
    return [v for v in list_versions() if v.status == "published"]


def parsed(version: QuestionnaireVersion) -> scoring.Questionnaire:
    """The parsed questionnaire of a stored version (cached by content hash: versions are immutable)."""
    if version.sha256 not in _parsed_cache:
        _parsed_cache[version.sha256] = scoring.load_text(version.content, version.label)
    return _parsed_cache[version.sha256]
