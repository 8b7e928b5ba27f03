"""A YAML document read with the place of every key and value (PyYAML's node marks), so
that every complaint about the config can name file:line:column."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from paved.errors import ConfigError, Location

if TYPE_CHECKING:
    from collections.abc import Iterable

Scalar = str | int | float | bool | None


@dataclass(frozen=True)
class Node:
    """A value of the document and where it starts."""

    location: Location
    path: str
    """Where in the document, as a user writes it: stages[1].canary.max-weight."""

    def fail(self, message: str, valid: str | None = None) -> ConfigError:
        """A ConfigError at this node."""
        return ConfigError(message, name=self.path or None, valid=valid, location=self.location)


@dataclass(frozen=True)
class ScalarNode(Node):
    """A string, number, boolean or null."""

    value: Scalar
    text: str = ""
    """The scalar as written (without quotes): what a parameter parses."""


@dataclass(frozen=True)
class SequenceNode(Node):
    """A list."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class MappingNode(Node):
    """A mapping with string keys, in the file's order."""

    entries: tuple[tuple[ScalarNode, Node], ...]

    def keys(self) -> tuple[str, ...]:
        """The keys, in order."""
        return tuple(str(key.value) for key, _ in self.entries)

    def get(self, name: str) -> Node | None:
        """The value under `name`, or None."""
        for key, value in self.entries:
            if key.value == name:
                return value
        return None

    def only(self, known: Iterable[str], what: str) -> None:
        """Every key is one of `known`; else an error at the first other key, with a
        did-you-mean when one is close."""
        allowed = tuple(known)
        for key, _ in self.entries:
            if str(key.value) not in allowed:
                # Named by the mapping it is in: the key itself is what is wrong.
                raise unknown(Node(key.location, self.path), str(key.value), allowed, what)


def unknown(node: Node, given: str, allowed: tuple[str, ...], what: str) -> ConfigError:
    """`given` is not one of `allowed`: the error names the closest one when there is one."""
    close = difflib.get_close_matches(given, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return node.fail(f"unknown {what} {given!r}{hint}", valid=", ".join(allowed))


def parse(text: str, file: str) -> Node:
    """The document in `text` (read from `file`) as located nodes; one ConfigError for
    anything that is not YAML, a duplicate key, or a key that is not text."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _location(file, mark) if mark else Location(file)
        raise ConfigError(f"not valid YAML: {exc.problem or exc}", location=where) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", location=Location(file)) from None
    if root is None:
        raise ConfigError("the file is empty", location=Location(file, 1, 1))
    return _convert(root, file, "", frozenset())


def _location(file: str, mark: yaml.Mark) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _convert(node: yaml.Node, file: str, path: str, within: frozenset[int]) -> Node:
    where = _location(file, node.start_mark)
    if id(node) in within:
        raise ConfigError("an alias refers to itself", name=path or None, location=where)
    within |= {id(node)}
    if isinstance(node, yaml.ScalarNode):
        try:
            value = _CONSTRUCTOR.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            raise ConfigError(f"not a value: {exc.problem}", name=path, location=where) from None
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            # Dates and binary data: keep their text; parameters are read from text anyway.
            value = str(node.value)
        return ScalarNode(where, path, value, str(node.value))
    if isinstance(node, yaml.SequenceNode):
        items = tuple(
            _convert(item, file, f"{path}[{index}]", within)
            for index, item in enumerate(node.value)
        )
        return SequenceNode(where, path, items)
    if isinstance(node, yaml.MappingNode):
        entries: list[tuple[ScalarNode, Node]] = []
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = _convert(key_node, file, path, within)
            if not isinstance(key, ScalarNode) or not isinstance(key.value, str):
                raise ConfigError("a key must be text", name=path or None, location=key.location)
            if key.value in seen:
                raise key.fail(f"{key.value!r} is given twice")
            seen.add(key.value)
            child = f"{path}.{key.value}" if path else key.value
            value = _convert(value_node, file, child, within)
            entries.append((ScalarNode(key.location, child, key.value, key.value), value))
        return MappingNode(where, path, tuple(entries))
    msg = f"unexpected YAML node {node!r}"
    raise ConfigError(msg, location=where)
