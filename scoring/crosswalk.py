"""Answers of one questionnaire version carried over to the next."""

from __future__ import annotations

from typing import TypeVar

from .model import Questionnaire

X = TypeVar("X")


def crosswalk(previous_q: Questionnaire, new_q: Questionnaire, answers: dict[str, X]
              ) -> dict[str, X]:
    """Answers keyed by ``previous_q``'s keys, re-keyed for ``new_q``.

    Renamed keys follow ``new_q.supersedes``; dropped keys and keys ``new_q`` does not
    have are left out. Without ``supersedes`` the keys both versions share carry over.
    A renamed answer wins over an answer already kept under its new key.
    """
    supersedes = new_q.supersedes
    if supersedes is not None and supersedes.version != previous_q.version:
        raise ValueError(f"{new_q.id} {new_q.version} supersedes version "
                         f"{supersedes.version}, not {previous_q.version}")
    renamed = dict(supersedes.renamed) if supersedes else {}
    dropped = set(supersedes.dropped) if supersedes else set()
    known = {q.key for q in new_q.questions}
    result = {key: value for key, value in answers.items()
              if key in known and key not in renamed and key not in dropped}
    for old, new in renamed.items():
        if old in answers and new in known:
            result[new] = answers[old]
    return result
