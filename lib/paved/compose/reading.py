"""Reading one value of the config by a declared parameter: its text as written, its typed
value, and the setting a workflow input is given; every complaint at the value's place."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from paved.compose.located import MappingNode, Node, ScalarNode, SequenceNode
from paved.compose.model import Setting
from paved.params import Flag, InvalidValueError, Lines

if TYPE_CHECKING:
    from paved.params import Param

_SECRET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_EXPRESSION = re.compile(r"\$\{\{[^{}]*\}\}")
"""A whole value that is one GitHub expression, e.g. ${{ vars.PAVED_OSV_MAX_AGE }}."""


def required(root: MappingNode, param: Param) -> object:
    node = root.get(param.name)
    if node is None:
        raise root.fail(f"{param.name!r} is required", valid=param.help)
    return read(param, node)


def text_of(param: Param, node: Node) -> str:
    """The text a parameter parses: a scalar's own spelling, a list's items one per line."""
    if isinstance(node, ScalarNode):
        # As written: YAML 1.1 would read `yes` as true and `3.10` as 3.1.
        return "" if node.value is None else node.text
    if isinstance(node, SequenceNode) and isinstance(param, Lines):
        parts = []
        for item in node.items:
            if not isinstance(item, ScalarNode):
                raise item.fail("a list item must be a single value", valid=param.describe())
            parts.append(item.text)
        return "\n".join(parts)
    kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
    raise node.fail(f"is {kind}, not a single value", valid=param.describe())


def read(param: Param, node: Node | None) -> object:
    """The typed value of `param` at `node` (its default when absent)."""
    if node is None:
        return param.parse(param.default) if param.default else param.empty()
    text = text_of(param, node).strip()
    if not text:
        if param.required:
            raise node.fail("is required but empty", valid=param.describe())
        return param.parse(param.default) if param.default else param.empty()
    try:
        return param.parse(text)
    except InvalidValueError as exc:
        raise node.fail(str(exc), valid=param.describe()) from None


def setting(param: Param, node: Node) -> Setting:
    """A task's setting as its workflow input takes it."""
    if not param.secret and isinstance(node, ScalarNode) and _EXPRESSION.fullmatch(node.text):
        # Known only when the run evaluates it: the action checks it then (exit 2).
        return Setting(node.text)
    value = read(param, node)
    if param.secret:
        text = text_of(param, node).strip()
        if not _SECRET_NAME.fullmatch(text):
            raise node.fail(
                f"{text!r} is not a secret's name",
                valid="the name of a repository or environment secret, e.g. REGISTRY_TOKEN",
            )
        return Setting(text, secret=True)
    if isinstance(param, Flag):
        return Setting(bool(value))
    # As written (a list one item per line): the workflow's input parses it as the action does.
    return Setting(text_of(param, node).strip())
