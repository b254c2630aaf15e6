"""Reading questionnaire YAML safely, with the line of every node and duplicate keys found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import ValidationIssue, join_path

_BOOL_TAG = "tag:yaml.org,2002:bool"
# libyaml's parser reads a large questionnaire ten times faster than pure Python.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_SafeLoader):
    """A SafeLoader that reads only true/false as booleans and reports duplicate keys.

    YAML 1.1 reads ``yes``, ``no``, ``on`` and ``off`` as booleans, which would turn
    ``show_if: {in: [yes]}`` or a language code ``no`` into True/False. PyYAML also keeps
    the last of two equal keys in a mapping silently; here every repeat is recorded.
    """

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str):
        super().__init__(stream)
        self.lines: dict[str, int] = {}
        self.duplicates: list[tuple[str, str, int, int]] = []
        self._visited: set[int] = set()

    def load_document(self) -> Any:
        """Composes the single document, records lines and duplicates, then constructs it."""
        node = self.get_single_node()
        if node is None:
            return None
        self._walk(node, "")
        return self.construct_document(node)

    def _walk(self, node: yaml.Node, path: str) -> None:
        if id(node) in self._visited:  # an alias: its node was walked (and may recurse)
            return
        self._visited.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                self._walk(child, join_path(path, index))
        elif isinstance(node, yaml.MappingNode):
            self._walk_mapping(node, path)

    def _walk_mapping(self, node: yaml.MappingNode, path: str) -> None:
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen and key != "<<":
                self.duplicates.append((path, key, seen[key], line))
            seen.setdefault(key, line)
            self._walk(value_node, join_path(path, key))


StrictLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass(slots=True)
class Document:
    """The data read from a YAML text, the line of each path, and the problems found."""

    data: Any = None
    lines: dict[str, int] = field(default_factory=dict)
    issues: list[ValidationIssue] = field(default_factory=list)

    def line(self, path: str) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        while path not in self.lines and path:
            path = _parent(path)
        return self.lines.get(path)


def _parent(path: str) -> str:
    """``a.b[2]`` -> ``a.b`` -> ``a`` -> ``""``."""
    cut = max(path.rfind("."), path.rfind("["))
    return path[:max(cut, 0)]


def read_yaml(text: str, source: str) -> Document:
    """Reads ``text`` (named ``source`` in messages) into a Document."""
    loader = StrictLoader(text)
    try:
        data = loader.load_document()
    except yaml.YAMLError as exc:
        return Document(issues=[_syntax_issue(exc, source)])
    finally:
        loader.dispose()
    document = Document(data=data, lines=loader.lines)
    document.issues = [_duplicate_issue(dup, source) for dup in loader.duplicates]
    if data is None:
        document.issues.append(ValidationIssue(source, "", "the file is empty"))
    return document


def _duplicate_issue(duplicate: tuple[str, str, int, int], source: str) -> ValidationIssue:
    path, key, first, again = duplicate
    message = (f"the key '{key}' appears twice in the same mapping (lines {first} and "
               f"{again}); remove or rename one of them")
    return ValidationIssue(source, join_path(path, key), message, again)


def _syntax_issue(exc: yaml.YAMLError, source: str) -> ValidationIssue:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    detail = f"{context}, {problem}" if context else problem
    if mark is None:
        return ValidationIssue(source, "", f"the YAML is malformed: {detail}")
    line = mark.line + 1
    message = f"the YAML is malformed at line {line}, column {mark.column + 1}: {detail}"
    return ValidationIssue(source, "", message, line)
