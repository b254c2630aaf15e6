"""What changed between two versions of a questionnaire (``flask questionnaires diff``, DESIGN §5)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Question, Questionnaire

#: the properties of a question compared, in report order
COMPARED = ("dimension", "stage", "type", "scale", "choices", "bands", "weight", "required", "show_if",
            "hidden", "measures", "text")


@dataclass(frozen=True, slots=True)
class Change:
    """One property of a question that differs: its old and new value as short texts."""

    question_key: str  # the key in the new version
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Diff:
    """Questions added, removed (with how NEW's supersedes accounts for them), renamed, changed."""

    old: str  # "id@version"
    new: str
    added: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()  # removed, and listed under supersedes.dropped
    unaccounted: tuple[str, ...] = ()  # removed, neither renamed nor dropped in supersedes
    renamed: tuple[tuple[str, str], ...] = ()
    changed: tuple[Change, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """False when a removed key is neither renamed nor dropped (the command exits 1)."""
        return not self.unaccounted


def diff(old: Questionnaire, new: Questionnaire) -> Diff:
    """Compares questions by key, following the renames of ``new.supersedes``.

    A rename counts only when its old key is in ``old`` and its new key in ``new``; the
    crosswalk is read whatever version it names, so that two drafts can be compared.
    """
    renamed = dict(new.supersedes.renamed) if new.supersedes else {}
    dropped = set(new.supersedes.dropped) if new.supersedes else set()
    old_keys, new_keys = {q.key for q in old.questions}, {q.key for q in new.questions}
    pairs = [(k, renamed[k]) for k in (q.key for q in old.questions)
             if k in renamed and renamed[k] in new_keys and k not in new_keys]
    moved_from, moved_to = {a for a, _ in pairs}, {b for _, b in pairs}
    removed = [q.key for q in old.questions if q.key not in new_keys and q.key not in moved_from]
    follow = dict(pairs)
    same = [(k, k) for k in (q.key for q in old.questions) if k in new_keys]
    changes = []
    for old_key, new_key in sorted(same + pairs, key=lambda p: _position(new, p[1])):
        changes.extend(_changes(old.question(old_key), new.question(new_key), old, new, follow))
    return Diff(
        old=f"{old.id}@{old.version}", new=f"{new.id}@{new.version}",
        added=tuple(q.key for q in new.questions if q.key not in old_keys and q.key not in moved_to),
        dropped=tuple(k for k in removed if k in dropped),
        unaccounted=tuple(k for k in removed if k not in dropped),
        renamed=tuple(pairs), changed=tuple(changes))


def _position(q: Questionnaire, key: str) -> int:
    return next(i for i, x in enumerate(q.questions) if x.key == key)


def _changes(a: Question, b: Question, old: Questionnaire, new: Questionnaire,
             renamed: dict[str, str]) -> list[Change]:
    before, after = _describe(a, old, renamed), _describe(b, new, {})
    return [Change(b.key, name, before[name], after[name]) for name in COMPARED
            if before[name] != after[name]]


def _describe(x: Question, q: Questionnaire, renamed: dict[str, str]) -> dict[str, str]:
    """Each compared property as a short text; show_if targets follow the renames."""
    options = "; ".join(f"{o.value}={o.points:g}" for o in x.options)
    return {
        "dimension": x.dimension, "stage": x.stage or "", "type": x.type,
        "scale": f"{x.scale}: {options}" if x.type == "scale" else "",
        "choices": options if x.type == "choice" else "",
        "bands": "; ".join(_band(b) for b in x.bands),
        "weight": f"{x.weight:g}", "required": "true" if x.required else "false",
        "show_if": _show_if(x, renamed), "hidden": x.hidden_rule(q.rules),
        "measures": ", ".join(x.measures),
        "text": " | ".join(f"{lang}: {x.text.get(lang, '')}" for lang in sorted(x.text)),
    }


def _band(band) -> str:
    low = "" if band.min is None else f"{band.min:g}"
    high = "" if band.max is None else f"{band.max:g}"
    return f"[{low}..{high}]={band.points:g}"


def _show_if(x: Question, renamed: dict[str, str]) -> str:
    condition = x.show_if
    if condition is None:
        return ""
    target = renamed.get(condition.question, condition.question)
    if condition.values is not None:
        return f"{target} in [{', '.join(condition.values)}]"
    return f"{target} {condition.op} {condition.value:g}"


def report(result: Diff) -> list[str]:
    """The diff as lines of plain text, for the command line."""
    lines = [f"questionnaire diff {result.old} -> {result.new}"]
    lines += [f"added      {key}" for key in result.added]
    lines += [f"renamed    {a} -> {b}" for a, b in result.renamed]
    lines += [f"removed    {key} (dropped in supersedes)" for key in result.dropped]
    lines += [f"removed    {key} (NOT in supersedes: neither renamed nor dropped)"
              for key in result.unaccounted]
    lines += [f"changed    {c.question_key}: {c.field}: {c.old!r} -> {c.new!r}" for c in result.changed]
    lines.append(f"{len(result.added)} added, {len(result.renamed)} renamed, "
                 f"{len(result.dropped) + len(result.unaccounted)} removed "
                 f"({len(result.unaccounted)} unaccounted for), "
                 f"{len({c.question_key for c in result.changed})} changed")
    return lines
