"""A capability's argparse subcommand, derived from its declaration (paved.params)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from paved import log
from paved.params import Flag

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from paved.params import Declaration, Param


class _Extend(argparse.Action):
    """A repeatable flag: each use adds its items (the default is replaced, not extended)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,  # noqa: ARG002 - argparse's signature
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,  # noqa: ARG002 - argparse's signature
    ) -> None:
        current = getattr(namespace, self.dest)
        start = () if current is self.default else tuple(current)
        setattr(namespace, self.dest, (*start, *(values or ())))


class _Switch(argparse.BooleanOptionalAction):
    """--name and --no-name, also for a name that itself starts with no- (--no-cache sets
    no_cache, --no-no-cache clears it; argparse's own action reads any --no- as false)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,  # noqa: ARG002 - argparse's signature
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,  # noqa: ARG002 - argparse's signature
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, option_string == self.option_strings[0])


class _Deprecated(argparse.Action):
    """An earlier spelling of a flag: works as before, and says what to use instead."""

    def __init__(self, *args: Any, new_flag: str, extend: bool, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, **kwargs)
        self.new_flag = new_flag
        self.extend = extend

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        log.warning(f"{option_string} is deprecated: use {self.new_flag}")
        if self.const is not None:
            setattr(namespace, self.dest, self.const)
        elif self.extend:
            _Extend.__call__(self, parser, namespace, values, option_string)  # type: ignore[arg-type]
        else:
            setattr(namespace, self.dest, values)


def _help(text: str) -> str:
    """argparse formats help with %: a literal percent sign (95 % of requests) is %%."""
    return text.replace("%", "%%")


def _typed(param: Param, where: str) -> Callable[[str], object]:
    def convert(text: str) -> object:
        return param.read(text, where)

    convert.__name__ = param.name  # argparse names the type in its own messages
    return convert


def add_declared(parser: argparse.ArgumentParser, declaration: Declaration) -> None:
    """One argument per declared parameter, typed by the parameter's own parse."""
    for param in declaration.params:
        _add(parser, param)


def _default(param: Param) -> object:
    return None if param.required else param.read("")


def _add(parser: argparse.ArgumentParser, param: Param) -> None:
    if param.positional:
        parser.add_argument(
            param.dest,
            nargs=None if param.required else "?",
            default=_default(param),
            type=_typed(param, param.name),
            metavar=param.metavar,
            help=_help(param.help),
        )
        return
    if param.secret:
        parser.add_argument(
            param.flag,
            dest=param.dest,
            metavar="NAME",
            default=param.env_default,
            help=_help(f"the environment variable holding it: {param.help}"),
        )
        return
    if isinstance(param, Flag):
        parser.add_argument(
            param.flag,
            dest=param.dest,
            action=_Switch,
            default=param.read(""),
            help=_help(param.help),
        )
        for old in param.old_flags:
            parser.add_argument(
                old,
                dest=param.dest,
                action=_Deprecated,
                nargs=0,
                const=not old.startswith("--no-"),
                new_flag=f"--no-{param.name}" if old.startswith("--no-") else param.flag,
                extend=False,
                help=argparse.SUPPRESS,
            )
        return
    convert = _typed(param, param.flag)
    parser.add_argument(
        param.flag,
        dest=param.dest,
        action=_Extend if param.repeatable else "store",
        default=_default(param),
        type=convert,
        metavar=param.metavar,
        required=param.required,
        help=_help(param.help + (" (repeat)" if param.repeatable else "")),
    )
    for old in param.old_flags:
        parser.add_argument(
            old,
            dest=param.dest,
            action=_Deprecated,
            type=convert,
            metavar=param.metavar,
            new_flag=param.flag,
            extend=param.repeatable,
            help=argparse.SUPPRESS,
        )
