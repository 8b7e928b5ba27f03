"""Typed action inputs, read from the INPUT_<NAME> environment variables.

The composite actions pass each input through `env:` under that name, so a value is never
pasted into a shell script: here it is only data, checked against its spec.
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar, cast

from paved.errors import UsageError

T = TypeVar("T")

BOOLEAN_TRUE = ("true", "True", "TRUE")
BOOLEAN_FALSE = ("false", "False", "FALSE")
"""The YAML 1.2 core schema booleans, the ones GitHub's own actions accept."""

_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:")
_SHOWN_CHARS = 60


def env_name(name: str) -> str:
    """The environment variable holding input `name`: INPUT_ + upper case, '-'/' ' as '_'."""
    return "INPUT_" + name.upper().replace("-", "_").replace(" ", "_")


def _show(text: str) -> str:
    # repr() makes control characters visible; long values are cut to keep errors readable.
    if len(text) > _SHOWN_CHARS:
        text = text[:_SHOWN_CHARS] + "..."
    return repr(text)


@dataclass(frozen=True)
class InputSpec(ABC, Generic[T]):
    """One action input; `default` None means the input is required."""

    name: str
    default: T | None = field(default=None, kw_only=True)

    @abstractmethod
    def parse(self, text: str) -> T:
        """Convert a given, whitespace-trimmed value; raise UsageError if not valid."""

    @abstractmethod
    def describe(self) -> str:
        """What values are valid, for error messages."""

    def error(self, message: str) -> UsageError:
        """A UsageError naming this input and what is valid."""
        return UsageError(message, name=self.name, valid=self.describe())

    def read(self, environ: Mapping[str, str] = os.environ) -> T:
        """This input's value from `environ`, or its default when empty or unset."""
        text = environ.get(env_name(self.name), "").strip()
        if text:
            return self.parse(text)
        if self.default is None:
            raise self.error("is required but was not given")
        return self.default


@dataclass(frozen=True)
class StringInput(InputSpec[str]):
    """Any text."""

    def parse(self, text: str) -> str:
        """The text as given."""
        return text

    def describe(self) -> str:
        """What values are valid."""
        return "any text"


@dataclass(frozen=True)
class BooleanInput(InputSpec[bool]):
    """true or false, spelled as YAML 1.2 core spells them."""

    def parse(self, text: str) -> bool:
        """True or False; 'yes', 'on', '1' and the like are errors, not guesses."""
        if text in BOOLEAN_TRUE:
            return True
        if text in BOOLEAN_FALSE:
            return False
        raise self.error(f"{_show(text)} is not a boolean")

    def describe(self) -> str:
        """What values are valid."""
        return ", ".join(BOOLEAN_TRUE + BOOLEAN_FALSE)


@dataclass(frozen=True)
class MultilineInput(InputSpec[tuple[str, ...]]):
    """One item per line; blank lines and lines starting with '#' are skipped."""

    def parse(self, text: str) -> tuple[str, ...]:
        """The stripped, non-empty, non-comment lines."""
        lines = (line.strip() for line in text.splitlines())
        return tuple(line for line in lines if line and not line.startswith("#"))

    def describe(self) -> str:
        """What values are valid."""
        return "one item per line; lines starting with # are ignored"


@dataclass(frozen=True, kw_only=True)
class EnumInput(InputSpec[str]):
    """One of a fixed set of choices, matched exactly."""

    choices: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.choices:
            msg = f"input {self.name!r} has no choices"
            raise ValueError(msg)
        if self.default is not None and self.default not in self.choices:
            msg = f"default {self.default!r} of input {self.name!r} is not one of its choices"
            raise ValueError(msg)

    def parse(self, text: str) -> str:
        """The choice given."""
        if text not in self.choices:
            raise self.error(f"{_show(text)} is not one of the choices")
        return text

    def describe(self) -> str:
        """What values are valid."""
        return ", ".join(self.choices)


@dataclass(frozen=True)
class _RangeInput(InputSpec[T]):
    minimum: T | None = field(default=None, kw_only=True)
    maximum: T | None = field(default=None, kw_only=True)
    kind: ClassVar[str] = "number"

    def describe(self) -> str:
        """What values are valid, with the range."""
        if self.minimum is not None and self.maximum is not None:
            return f"a {self.kind} from {self.minimum} to {self.maximum}"
        if self.minimum is not None:
            return f"a {self.kind} of at least {self.minimum}"
        if self.maximum is not None:
            return f"a {self.kind} of at most {self.maximum}"
        return f"a {self.kind}"

    def _in_range(self, value: float) -> bool:
        # T is int or float; both compare with a float.
        low = cast("float | None", self.minimum)
        high = cast("float | None", self.maximum)
        return (low is None or value >= low) and (high is None or value <= high)

    def __post_init__(self) -> None:
        if self.default is not None and not self._in_range(cast("float", self.default)):
            msg = f"default {self.default!r} of input {self.name!r} is outside its range"
            raise ValueError(msg)


@dataclass(frozen=True)
class IntegerInput(_RangeInput[int]):
    """A whole number, optionally within [minimum, maximum]."""

    kind: ClassVar[str] = "whole number"

    def parse(self, text: str) -> int:
        """The number; anything but plain decimal digits with a sign is an error."""
        if not _INTEGER.fullmatch(text):
            raise self.error(f"{_show(text)} is not a whole number")
        value = int(text)
        if not self._in_range(value):
            raise self.error(f"{value} is out of range")
        return value


@dataclass(frozen=True)
class NumberInput(_RangeInput[float]):
    """A decimal number, optionally within [minimum, maximum]; nan and inf are errors."""

    def parse(self, text: str) -> float:
        """The number."""
        if not _NUMBER.fullmatch(text):
            raise self.error(f"{_show(text)} is not a number")
        value = float(text)
        if not self._in_range(value):
            raise self.error(f"{text} is out of range")
        return value


@dataclass(frozen=True, kw_only=True)
class OptionalNumberInput(InputSpec[str]):
    """A number within a range, or empty for "not set"; the value is the number's text."""

    minimum: float | None = None
    maximum: float | None = None
    default: str | None = ""

    def _number(self) -> NumberInput:
        return NumberInput(self.name, minimum=self.minimum, maximum=self.maximum)

    def parse(self, text: str) -> str:
        """The text of a valid number."""
        self._number().parse(text)
        return text

    def describe(self) -> str:
        """What values are valid."""
        return f"{self._number().describe()}, or empty for none"


@dataclass(frozen=True, kw_only=True)
class PathInput(InputSpec[str]):
    """A path relative to the workspace; absolute or '..'-escaping paths need allow_outside."""

    allow_outside: bool = False

    def parse(self, text: str) -> str:
        """The path as given."""
        if "\0" in text:
            raise self.error(f"{_show(text)} contains a NUL character")
        if self.allow_outside:
            return text
        # Check both separators so the same rule holds on Windows runners.
        normal = text.replace("\\", "/")
        if normal.startswith("/") or _WINDOWS_DRIVE.match(normal):
            raise self.error(f"{_show(text)} is an absolute path")
        depth = 0
        for part in normal.split("/"):
            if part == "..":
                depth -= 1
                if depth < 0:
                    raise self.error(f"{_show(text)} leads outside the workspace")
            elif part not in {"", "."}:
                depth += 1
        return text

    def describe(self) -> str:
        """What values are valid."""
        if self.allow_outside:
            return "a path"
        return "a path relative to the workspace that stays inside it"


class InputsError(UsageError):
    """Several inputs are not valid; the message lists each, one per line."""

    def __init__(self, problems: Sequence[UsageError]) -> None:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} inputs are not valid:\n{lines}")
        self.problems = tuple(problems)


class Inputs(Mapping[str, object]):
    """Validated input values by name; value(spec) gives one with its type."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)

    def value(self, spec: InputSpec[T]) -> T:
        """The value read for `spec`, typed as the spec says."""
        return cast("T", self._values[spec.name])

    def flags(self, pairs: Iterable[tuple[str, InputSpec[str]]]) -> list[str]:
        """`--flag=value` for each input that was given (flag=value, so a value such as "-x"
        is never read as a flag of its own)."""
        return [f"{flag}={value}" for flag, spec in pairs if (value := self.value(spec))]

    def repeated(self, pairs: Iterable[tuple[str, InputSpec[tuple[str, ...]]]]) -> list[str]:
        """`--flag=line` for every line of each multiline input."""
        return [f"{flag}={line}" for flag, spec in pairs for line in self.value(spec)]

    def __getitem__(self, name: str) -> object:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Inputs({self._values!r})"


def read_inputs(specs: Sequence[InputSpec[Any]], environ: Mapping[str, str] = os.environ) -> Inputs:
    """Read and check every input; raise one UsageError that names every bad input."""
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        msg = f"input names repeat: {names}"
        raise ValueError(msg)
    values: dict[str, object] = {}
    problems: list[UsageError] = []
    for spec in specs:
        try:
            values[spec.name] = spec.read(environ)
        except UsageError as problem:
            problems.append(problem)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputsError(problems)
    return Inputs(values)
