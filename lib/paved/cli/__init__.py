"""`paved <capability>`: the command line, and the code path the actions run through."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol

from paved import __version__, capabilities, log, redact
from paved.cli.declared import add_declared
from paved.errors import ExitCode, InternalError, PavedError, UsageError
from paved.report.outcome_json import error_document

if TYPE_CHECKING:
    from collections.abc import Sequence

    from paved.model import Rendered


class Frontend(Protocol):
    """Shows a capability's outcome or error: the terminal, or the Actions runner."""

    def show(self, rendered: Rendered) -> None:
        """Show a finished outcome."""

    def fail(self, capability: str, error: PavedError) -> None:
        """Show an error that stopped the capability."""


class ConsoleFrontend:
    """The terminal: the report on stdout, errors on stderr."""

    def show(self, rendered: Rendered) -> None:
        sys.stdout.write(rendered.console_text)
        sys.stdout.flush()

    def fail(self, capability: str, error: PavedError) -> None:
        print(f"paved {capability}: error: {error}", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so every front end reports alike."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The `paved` parser; `selected` gets its full flags, the others a line of help.

    Only the chosen capability's modules are imported, so an action step pays for its own
    dependencies and no other's (see benchmarks/)."""
    parser = _Parser(
        prog="paved",
        description="CI/CD as a platform service: run a paved capability locally, "
        "through the same code path as its GitHub Action.",
        epilog="Exit codes: 0 ok, 1 the check failed, 2 usage or configuration error, "
        "3 environment problem (a tool or server missing).",
    )
    parser.add_argument("--version", action="version", version=f"paved {__version__}")
    commands = parser.add_subparsers(dest="capability", metavar="CAPABILITY", parser_class=_Parser)
    for capability in capabilities.CAPABILITIES:
        if capability.name != selected:
            commands.add_parser(capability.name, help=capability.summary)
            continue
        declaration = capabilities.declaration(capability)
        command = commands.add_parser(
            capability.name, help=capability.summary, description=declaration.description
        )
        add_declared(command, declaration)
        add_common(command)
        command.set_defaults(handler=importlib.import_module(capability.handler).handle)
    return parser


def add_common(parser: argparse.ArgumentParser) -> None:
    """Flags every capability has."""
    parser.add_argument(
        "--json",
        metavar="PATH",
        type=Path,
        help="also write the outcome as a JSON document (schema paved/<capability>/v1)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug lines")


def run(argv: Sequence[str], frontend: Frontend) -> int:
    """Parse `argv`, run the capability, show the outcome; return the exit code."""
    capability = argv[0] if argv and not argv[0].startswith("-") else "paved"
    parser = build_parser(capability)
    # Known before parsing, so even flags that do not parse leave a JSON outcome behind.
    json_path = _json_flag(argv)
    try:
        return _run(parser, argv, capability, json_path, frontend)
    except (PavedError, KeyboardInterrupt):
        raise
    except Exception as bug:  # noqa: BLE001 - the last net: one line, never a traceback
        log.debug("".join(traceback.format_exception(bug)))
        error = InternalError(
            f"internal error ({type(bug).__name__}: {bug}); this is a bug in paved: "
            "please report it with the output of the same command and -v"
        )
        return _fail(capability, _redacted_error(error), json_path, frontend)


def _run(
    parser: argparse.ArgumentParser,
    argv: Sequence[str],
    capability: str,
    json_path: Path | None,
    frontend: Frontend,
) -> int:
    try:
        args = parser.parse_args(_glue_dashed_values(argv, capability))
        if args.capability is None:
            parser.print_help()
            return ExitCode.USAGE
        if getattr(args, "verbose", False):
            log.current().debug("verbose output on")
        _know_secrets(capability, args)
        rendered = _redacted(args.handler(args))
        if json_path is not None:
            _write(json_path, rendered.json_document)
        frontend.show(rendered)
        return int(rendered.exit_code)
    except PavedError as raised:
        return _fail(capability, _redacted_error(raised), json_path, frontend)


def _fail(capability: str, error: PavedError, json_path: Path | None, frontend: Frontend) -> int:
    """Write the error outcome, show the error, return its exit code."""
    if json_path is not None:
        try:
            _write(json_path, error_document(capability, error))
        except UsageError as unwritable:
            log.warning(str(unwritable))
    frontend.fail(capability, error)
    return int(error.exit_code)


def _know_secrets(capability: str, args: argparse.Namespace) -> None:
    """Register the value of every secret parameter (read from the variable it names), so
    every text written from here on is redacted; see paved.redact."""
    found = capabilities.find(capability)
    if found is None:
        return
    for param in capabilities.declaration(found).params:
        if param.secret:
            variable = getattr(args, param.dest, None) or param.env_default
            if variable:
                redact.add(os.environ.get(variable))


def _redacted(rendered: Rendered) -> Rendered:
    """The outcome with every secret masked, in every text a front end shows or writes."""
    return replace(
        rendered,
        outputs={name: redact.redact(value) for name, value in rendered.outputs.items()},
        summary_markdown=redact.redact(rendered.summary_markdown),
        console_text=redact.redact(rendered.console_text),
        json_document=redact.redact(rendered.json_document),
        annotations=tuple(
            replace(
                note,
                message=redact.redact(note.message),
                title=redact.redact(note.title) if note.title else note.title,
            )
            for note in rendered.annotations
        ),
    )


def _redacted_error(error: PavedError) -> PavedError:
    """The error itself, or a copy whose text has the secrets masked (an API that echoes the
    token in its error message must not put it in the log, the summary or the JSON)."""
    text = str(error)
    masked = redact.redact(text)
    if masked == text:
        return error
    clean = PavedError(masked)
    clean.exit_code = error.exit_code
    return clean


def _glue_dashed_values(argv: Sequence[str], capability: str) -> list[str]:
    """`--pytest-args -v` means the value "-v"; argparse alone would read it as a flag."""
    found = capabilities.find(capability)
    handler = importlib.import_module(found.handler) if found else None
    flags: tuple[str, ...] = getattr(handler, "DASHED_VALUES", ())
    glued: list[str] = []
    items = iter(argv)
    for arg in items:
        value = next(items, None) if arg in flags else None
        glued.append(arg if value is None else f"{arg}={value}")
    return glued


def _json_flag(argv: Sequence[str]) -> Path | None:
    """The value of --json, found without parsing the rest."""
    for index, arg in enumerate(argv):
        if arg.startswith("--json="):
            return Path(arg.split("=", 1)[1])
        if arg == "--json" and index + 1 < len(argv):
            return Path(argv[index + 1])
    return None


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(redact.redact(text), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", name="--json") from exc


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """The `paved` console script."""
    verbose = "-v" in (argv or sys.argv[1:]) or "--verbose" in (argv or sys.argv[1:])
    log.install(log.StderrSink(verbose=verbose))
    try:
        code = run(sys.argv[1:] if argv is None else argv, ConsoleFrontend())
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)
