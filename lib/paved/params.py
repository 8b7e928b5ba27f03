"""One declaration per capability: its parameters, from which every edge is derived.

A capability declares each parameter once, in `paved/<package>/params.py`:

    DECLARATION = Declaration(
        "deploy-strategy",
        description="Roll a new image out step by step ...",   # the CLI's --help text
        params=(
            Choice("strategy", choices=Strategy, default="canary", help="How to roll out."),
            Integer("steps", minimum=1, maximum=20, default="4", help="Canary steps."),
            Number("max-error-rate", minimum=0, maximum=1, help="Errors allowed."),
            Flag("wait", default="true", help="Wait for readiness."),  # --wait / --no-wait
            Lines("checks", metavar="URL", help="Smoke checks, one per line."),  # repeated
            PathParam("manifest", required=True, help="The manifest, relative to the workspace."),
            Text("token", secret=True, help="API token."),  # --token-env NAME; masked
            Moment("now", action=False, help="End of the window."),  # a CLI-only flag
            repo_root("Paths are shown"),  # --repo-root; the action passes its workspace
        ),
    )

and adds one line to `paved/capabilities.py` (and a CLI handler `handle(args)`, which reads
`args.max_error_rate` and so on, already typed: an enum member, int, float, bool, Path, a
tuple for Lines, None when empty). From that declaration:
- `paved.cli.declared` builds the argparse subcommand, typed by each parameter's `parse`;
- `paved.gha.inputs.action_argv` reads each input from INPUT_<NAME>, checks it with the same
  parameter and turns it into `paved <capability> --name=value ...` (one code path with the
  CLI; paths anchored at the workspace, secrets masked and passed by variable name);
- the docs tests check action.yml (names, order, defaults, descriptions) and the README
  tables against it; `json_schema(declaration)` gives the composer's config schema.

Rules: the name is the action input and the flag (`--name`); `default` is the text action.yml
shows ("" for none) and is parsed like a given value; `help` is action.yml's description;
`action=False` makes a CLI-only flag; `positional=True` a CLI positional argument (the action
input keeps its name); `secret=True` keeps the value out of argv (the CLI takes `--name-env
VARIABLE`, defaulting to `env_default`); `old_flags` are earlier spellings, still accepted with
a deprecation line; `action_default` is what action.yml shows when that differs (an
expression such as `${{ github.token }}`): the action then passes nothing for an empty input.
Kinds: Text, Flag, Lines, Choice, Integer, Number, Duration (30s, 5m: seconds), PathParam
(`base`: workspace or project; `allow_outside`), Program (a name on PATH or a path), Moment.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from urllib.parse import urlsplit

from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

E = TypeVar("E", bound=StrEnum)

TRUE_WORDS = ("true", "True", "TRUE")
FALSE_WORDS = ("false", "False", "FALSE")
"""The YAML 1.2 core schema booleans, the ones GitHub's own actions accept."""

_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:")
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_SHOWN_CHARS = 60
NAME_MAX = 255
"""Bytes in one file name (Linux, macOS, Windows alike)."""
PATH_MAX = 4096
"""Bytes in a whole path (Linux)."""


def shown(text: str) -> str:
    """A value as an error message quotes it: control characters visible, long text cut."""
    if len(text) > _SHOWN_CHARS:
        text = text[:_SHOWN_CHARS] + "..."
    return repr(text)


def choices_text(choices: type[StrEnum] | tuple[str, ...]) -> str:
    """The valid values of a choice, for error messages and help."""
    values = choices if isinstance(choices, tuple) else tuple(m.value for m in choices)
    return ", ".join(values)


def parse_choice(enum: type[E], text: str, name: str, *, valid: str | None = None) -> E:
    """The member of `enum` spelled `text`; else one UsageError naming `name` and what is
    valid (the enum's values unless `valid` says more)."""
    try:
        return enum(text)
    except ValueError:
        valid = valid or choices_text(enum)
        raise UsageError(f"{shown(text)} is not a choice", name=name, valid=valid) from None


def parse_list(text: str) -> tuple[str, ...]:
    """Comma-separated names (`a, b`), blanks dropped, order kept."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


class InvalidValueError(ValueError):
    """A value a parameter does not accept; `read` adds the name and what is valid."""


class Runner(Enum):
    """A value the action supplies from the runner instead of an input."""

    WORKSPACE = "workspace"
    """The checkout root (GITHUB_WORKSPACE): where repository-relative paths start."""


@dataclass(frozen=True, kw_only=True)
class Param(ABC):
    """One parameter of a capability: an action input and/or a CLI flag."""

    name: str = field(kw_only=False)
    """The action input and the CLI flag (`--name`): lower-case words joined by dashes."""
    help: str
    default: str = ""
    """As action.yml shows it; "" means none. Parsed like a given value."""
    required: bool = False
    positional: bool = False
    """A CLI positional argument (still an action input by `name`)."""
    secret: bool = False
    action: bool = True
    """An input of the action (else a CLI-only flag)."""
    action_default: str | None = None
    """What action.yml shows as the default when it is not `default` (an expression)."""
    old_flags: tuple[str, ...] = ()
    """Earlier CLI spellings, accepted with a deprecation line."""
    metavar: str | None = None
    runner: Runner | None = None
    """The action passes this value from the runner (and has no input for it)."""
    env_default: str | None = None
    """A secret: the variable the CLI reads when --NAME-env is not given."""

    repeatable: ClassVar[bool] = False
    json_type: ClassVar[str] = "string"

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            msg = f"parameter name {self.name!r} is not lower-case-with-dashes"
            raise ValueError(msg)
        if self.default:
            try:
                self.parse(self.default)
            except InvalidValueError as exc:
                msg = f"default {self.default!r} of {self.name!r} is not valid: {exc}"
                raise ValueError(msg) from exc

    @abstractmethod
    def parse(self, text: str) -> Any:  # noqa: ANN401 - each kind has its own value type
        """The typed value of a given, trimmed, non-empty text; raise InvalidValueError."""

    @abstractmethod
    def describe(self) -> str:
        """What values are valid, for error messages."""

    def empty(self) -> Any:  # noqa: ANN401 - each kind has its own value type
        """The value when nothing is given and there is no default."""
        return None

    def check_input(self, text: str) -> None:
        """Check an action input's text (stricter than the CLI where the workspace matters)."""
        self.parse(text)

    def anchored(self, text: str) -> bool:  # noqa: ARG002 - kinds that anchor look at it
        """Whether the action puts the workspace in front of this value."""
        return False

    def read(self, text: str, where: str | None = None, *, as_input: bool = False) -> Any:  # noqa: ANN401
        """The typed value of `text` (empty: the default); a UsageError names `where`.
        `as_input` applies the action's stricter checks (paths inside the workspace)."""
        text = text.strip()
        if not text:
            if self.required and not self.default:
                raise UsageError("is required but was not given", name=where or self.name)
            return self.parse(self.default) if self.default else self.empty()
        try:
            if as_input:
                self.check_input(text)
            return self.parse(text)
        except InvalidValueError as exc:
            raise UsageError(str(exc), name=where or self.name, valid=self.describe()) from None

    @property
    def dest(self) -> str:
        """The argparse attribute: the name with underscores (`_env` added for a secret)."""
        return self.name.replace("-", "_") + ("_env" if self.secret else "")

    @property
    def flag(self) -> str:
        """The CLI flag; a secret's flag names the variable holding it."""
        return f"--{self.name}-env" if self.secret else f"--{self.name}"

    @property
    def shown_default(self) -> str:
        """The default as action.yml and the README show it."""
        return self.default if self.action_default is None else self.action_default

    def schema(self) -> dict[str, object]:
        """The JSON Schema of this parameter in a config file."""
        fragment: dict[str, object] = {"type": self.json_type, "description": self.help}
        if self.default:
            fragment["default"] = _json_value(self.parse(self.default))
        if self.secret:
            fragment["writeOnly"] = True
        return fragment


def _json_value(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    return value


@dataclass(frozen=True, kw_only=True)
class Text(Param):
    """Any text."""

    def parse(self, text: str) -> str:
        """The text as given."""
        return text

    def describe(self) -> str:
        """What values are valid."""
        return "any text"


@dataclass(frozen=True, kw_only=True)
class Url(Param):
    """An http(s) URL with a host: an API, a metrics server, a download."""

    def parse(self, text: str) -> str:
        """The URL as given, once it has a scheme paved speaks and a host."""
        try:
            parts = urlsplit(text)
            host = parts.hostname
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number
        except ValueError:
            host = None
        if parts.scheme not in {"http", "https"} or not host or any(c.isspace() for c in text):
            msg = f"{shown(text)} is not an http(s) URL with a host"
            raise InvalidValueError(msg)
        return text

    def describe(self) -> str:
        """What values are valid."""
        return "an http:// or https:// URL with a host, e.g. https://api.github.com"


@dataclass(frozen=True, kw_only=True)
class Flag(Param):
    """true or false; the CLI has --name and --no-name."""

    json_type: ClassVar[str] = "boolean"

    def parse(self, text: str) -> bool:
        """True or False; 'yes', 'on', '1' and the like are errors, not guesses."""
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        msg = f"{shown(text)} is not a boolean"
        raise InvalidValueError(msg)

    def empty(self) -> bool:
        """Unset is false."""
        return False

    def describe(self) -> str:
        """What values are valid."""
        return ", ".join(TRUE_WORDS + FALSE_WORDS)


@dataclass(frozen=True, kw_only=True)
class Lines(Param):
    """A list: one item per line in the action (blank and # lines skipped), a repeated flag
    on the CLI. `comma` also splits items at commas (platforms)."""

    comma: bool = False
    repeatable: ClassVar[bool] = True
    json_type: ClassVar[str] = "array"

    def parse(self, text: str) -> tuple[str, ...]:
        """The stripped, non-empty, non-comment items."""
        lines = (line.strip() for line in text.splitlines())
        items = [line for line in lines if line and not line.startswith("#")]
        if self.comma:
            if any(not part.strip() for item in items for part in item.split(",")):
                msg = f"{shown(text)} has an empty item between commas"
                raise InvalidValueError(msg)
            items = [part for item in items for part in parse_list(item)]
        return tuple(items)

    def empty(self) -> tuple[str, ...]:
        """No items."""
        return ()

    def describe(self) -> str:
        """What values are valid."""
        return "one item per line; lines starting with # are ignored"

    def schema(self) -> dict[str, object]:
        """An array of strings."""
        return {**super().schema(), "items": {"type": "string"}}


@dataclass(frozen=True, kw_only=True)
class Choice(Param):
    """One of a fixed set, matched exactly; an enum's member when `choices` is a StrEnum."""

    choices: type[StrEnum] | tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.values:
            msg = f"parameter {self.name!r} has no choices"
            raise ValueError(msg)
        super().__post_init__()

    @property
    def values(self) -> tuple[str, ...]:
        """The choices as text."""
        if isinstance(self.choices, tuple):
            return self.choices
        return tuple(member.value for member in self.choices)

    def parse(self, text: str) -> Any:  # noqa: ANN401 - the enum's member, or the text
        """The choice given."""
        if text not in self.values:
            msg = f"{shown(text)} is not a choice"
            raise InvalidValueError(msg)
        return text if isinstance(self.choices, tuple) else self.choices(text)

    def describe(self) -> str:
        """What values are valid."""
        return choices_text(self.values)

    def schema(self) -> dict[str, object]:
        """An enum."""
        return {**super().schema(), "enum": list(self.values)}


@dataclass(frozen=True, kw_only=True)
class _Ranged(Param):
    minimum: float | None = None
    maximum: float | None = None
    kind: ClassVar[str] = "a number"
    unit: ClassVar[str] = ""
    """Said after the bounds (" seconds")."""

    def describe(self) -> str:
        """What values are valid, with the range."""
        low, high = _plain(self.minimum), _plain(self.maximum)
        if low is not None and high is not None:
            return f"{self.kind} from {low} to {high}{self.unit}"
        if low is not None:
            return f"{self.kind} of at least {low}{self.unit}"
        if high is not None:
            return f"{self.kind} of at most {high}{self.unit}"
        return self.kind

    def _matched(self, text: str, pattern: re.Pattern[str], kind: Callable[[str], float]) -> float:
        """The number `text` spells (as `kind`), within the range."""
        if not pattern.fullmatch(text):
            msg = f"{shown(text)} is not {self.kind}"
            raise InvalidValueError(msg)
        try:
            value = kind(text)
            float(value)  # an int too large for any range check is out of range too
        except (OverflowError, ValueError):
            msg = f"{shown(text)} is too large"
            raise InvalidValueError(msg) from None
        if value != value or value in {float("inf"), float("-inf")}:  # noqa: PLR0124 - NaN
            msg = f"{shown(text)} is not a finite {self.kind}"
            raise InvalidValueError(msg)
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            msg = f"{_plain(value)} is out of range"
            raise InvalidValueError(msg)
        return value

    def schema(self) -> dict[str, object]:
        """A number with its bounds."""
        fragment = super().schema()
        if self.minimum is not None:
            fragment["minimum"] = _plain(self.minimum)
        if self.maximum is not None:
            fragment["maximum"] = _plain(self.maximum)
        return fragment


def _plain(value: float | None) -> float | int | None:
    """100.0 shown as 100."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


@dataclass(frozen=True, kw_only=True)
class Integer(_Ranged):
    """A whole number, optionally within [minimum, maximum]."""

    kind: ClassVar[str] = "a whole number"
    json_type: ClassVar[str] = "integer"

    def parse(self, text: str) -> int:
        """The number; anything but decimal digits with a sign is an error."""
        return int(self._matched(text, _INTEGER, int))


@dataclass(frozen=True, kw_only=True)
class Number(_Ranged):
    """A decimal number, optionally within [minimum, maximum]; nan and inf are errors."""

    json_type: ClassVar[str] = "number"

    def parse(self, text: str) -> float:
        """The number."""
        return self._matched(text, _NUMBER, float)

    def describe(self) -> str:
        """What values are valid (empty means none unless there is a default)."""
        ranged = super().describe()
        return ranged if self.default or self.required else f"{ranged}, or empty for none"


def path_problem(text: str) -> str | None:
    """Why `text` cannot be a path on the runner's file system, or None.

    Linux and macOS refuse a file name over NAME_MAX bytes (ENAMETOOLONG) wherever the path is
    used; saying so here keeps that from surfacing as an OSError deep in a capability.
    """
    if any(len(part.encode("utf-8", "surrogatepass")) > NAME_MAX for part in text.split("/")):
        return f"{shown(text)} has a file name over {NAME_MAX} bytes"
    if len(text.encode("utf-8", "surrogatepass")) > PATH_MAX:
        return f"{shown(text)} is longer than {PATH_MAX} bytes"
    return None


class Base(Enum):
    """What an action's relative path starts from."""

    WORKSPACE = "workspace"
    """The action anchors it at GITHUB_WORKSPACE; the CLI takes it from the current directory."""
    PROJECT = "project"
    """Passed on as given: the capability reads it relative to its project directory."""


@dataclass(frozen=True, kw_only=True)
class PathParam(Param):
    """A path. In the action it is relative to `base` and must stay inside it unless
    `allow_outside`; on the command line any path is taken as given."""

    base: Base = Base.WORKSPACE
    allow_outside: bool = False

    def parse(self, text: str) -> Path:
        """The path."""
        if "\0" in text:
            msg = f"{shown(text)} contains a NUL character"
            raise InvalidValueError(msg)
        # Linux and macOS refuse longer names with ENAMETOOLONG wherever the path is used.
        too_long = [
            p for p in text.split("/") if len(p.encode("utf-8", "surrogatepass")) > NAME_MAX
        ]
        if too_long or len(text.encode("utf-8", "surrogatepass")) > PATH_MAX:
            msg = f"{shown(text)} has a file name over {NAME_MAX} bytes or is over {PATH_MAX}"
            raise InvalidValueError(msg)
        return Path(text)

    def check_input(self, text: str) -> None:
        """Absolute or '..'-escaping paths are refused unless allow_outside."""
        self.parse(text)
        if self.allow_outside:
            return
        # Both separators, so the same rule holds on Windows runners.
        normal = text.replace("\\", "/")
        if normal.startswith("/") or _WINDOWS_DRIVE.match(normal):
            msg = f"{shown(text)} is an absolute path"
            raise InvalidValueError(msg)
        depth = 0
        for part in normal.split("/"):
            if part == "..":
                depth -= 1
                if depth < 0:
                    msg = f"{shown(text)} leads outside the {self.base.value}"
                    raise InvalidValueError(msg)
            elif part not in {"", "."}:
                depth += 1

    def anchored(self, text: str) -> bool:  # noqa: ARG002 - every value alike
        """Whether the action puts the workspace in front of this value."""
        return self.base is Base.WORKSPACE

    def describe(self) -> str:
        """What values are valid."""
        if self.allow_outside:
            return "a path"
        return f"a path relative to the {self.base.value} that stays inside it"


@dataclass(frozen=True, kw_only=True)
class Program(Param):
    """A program: a bare name is looked up on PATH, a path (with '/') is a file, which the
    action anchors at the workspace."""

    def parse(self, text: str) -> str:
        """The name or path as text."""
        if "\0" in text:
            msg = f"{shown(text)} contains a NUL character"
            raise InvalidValueError(msg)
        return text

    def anchored(self, text: str) -> bool:
        """Only a path is anchored; a bare name (python3) stays a name."""
        return "/" in text

    def describe(self) -> str:
        """What values are valid."""
        return "a program name on PATH, or a path to it"


@dataclass(frozen=True, kw_only=True)
class Moment(Param):
    """A date and time in ISO 8601; without a zone it is UTC."""

    def parse(self, text: str) -> datetime:
        """The moment, in UTC."""
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            msg = f"{shown(text)} is not a date and time"
            raise InvalidValueError(msg) from None
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def describe(self) -> str:
        """What values are valid."""
        return "ISO 8601, e.g. 2024-05-01T00:00:00Z"


def repo_root(shows: str) -> PathParam:
    """The checkout root a capability names files from; the action passes its workspace."""
    return PathParam(
        name="repo-root",
        action=False,
        runner=Runner.WORKSPACE,
        default=".",
        help=f"{shows} relative to it (the action: the workspace).",
    )


_DURATION = re.compile(r"(?P<number>[0-9]+(\.[0-9]+)?)(?P<unit>ms|s|m|h)?")
_SECONDS_PER = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass(frozen=True, kw_only=True)
class Duration(_Ranged):
    """A time span: 250ms, 30s, 5m, 1h, or plain seconds; the value is seconds (a float).
    `minimum` and `maximum` are seconds too."""

    kind: ClassVar[str] = "a duration such as 250ms, 30s, 5m or 1h"
    unit: ClassVar[str] = " seconds"

    def parse(self, text: str) -> float:
        """The span in seconds."""
        found = _DURATION.fullmatch(text)
        if found is None:
            msg = f"{shown(text)} is not a duration"
            raise InvalidValueError(msg)
        seconds = float(found["number"]) * _SECONDS_PER[found["unit"] or "s"]
        low, high = self.minimum, self.maximum
        if (low is not None and seconds < low) or (high is not None and seconds > high):
            msg = f"{text} is out of range"
            raise InvalidValueError(msg)
        return seconds

    def schema(self) -> dict[str, object]:
        """A string such as 30s (bounds are in the description: JSON Schema cannot say them)."""
        fragment = {**Param.schema(self), "pattern": f"^{_DURATION.pattern}$"}
        if self.default:
            fragment["default"] = self.default
        return fragment


@dataclass(frozen=True)
class Declaration:
    """A capability's parameters, in action.yml order, and its CLI description."""

    capability: str
    params: tuple[Param, ...]
    description: str = ""

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            msg = f"{self.capability}: parameters repeat: {', '.join(repeated)}"
            raise ValueError(msg)
        flags = [flag for p in self.params for flag in (p.flag, *p.old_flags)]
        if len(set(flags)) != len(flags):
            msg = f"{self.capability}: flags repeat: {flags}"
            raise ValueError(msg)

    @property
    def inputs(self) -> tuple[Param, ...]:
        """The action's inputs, in order."""
        return tuple(p for p in self.params if p.action and p.runner is None)

    def get(self, name: str) -> Param:
        """The parameter called `name`."""
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)


def json_schema(declaration: Declaration) -> dict[str, object]:
    """The JSON Schema (draft 2020-12 fragment) of a config block for this capability: one
    property per action input, with its type, choices, range, default and help."""
    inputs = declaration.inputs
    required = [p.name for p in inputs if p.required and p.action_default is None]
    fragment: dict[str, object] = {
        "type": "object",
        "description": declaration.description,
        "properties": {p.name: p.schema() for p in inputs},
        "additionalProperties": False,
    }
    if required:
        fragment["required"] = required
    return fragment
