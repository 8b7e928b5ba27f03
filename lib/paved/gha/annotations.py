"""Annotations: ::error/::warning/::notice commands, capped the way GitHub caps them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, TextIO

from paved.errors import Location
from paved.gha import commands
from paved.model import Annotation, Level

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

MAX_ERRORS_PER_STEP = 10
MAX_WARNINGS_PER_STEP = 10
MAX_NOTICES_PER_STEP = 10
LIMITS: Mapping[Level, int] = MappingProxyType(
    {
        Level.ERROR: MAX_ERRORS_PER_STEP,
        Level.WARNING: MAX_WARNINGS_PER_STEP,
        Level.NOTICE: MAX_NOTICES_PER_STEP,
    }
)
"""GitHub shows at most this many annotations of each level per step and drops the rest."""


def _zero() -> Mapping[Level, int]:
    return MappingProxyType(dict.fromkeys(Level, 0))


@dataclass(frozen=True)
class AnnotationTally:
    """How many annotations of each level were emitted and how many were dropped."""

    emitted: Mapping[Level, int] = field(default_factory=_zero)
    dropped: Mapping[Level, int] = field(default_factory=_zero)

    def total_emitted(self) -> int:
        """Annotations emitted, all levels."""
        return sum(self.emitted.values())

    def total_dropped(self) -> int:
        """Annotations not emitted because a level was at its cap, all levels."""
        return sum(self.dropped.values())


def annotation_properties(annotation: Annotation) -> dict[str, str | int | None]:
    """The command properties for `annotation`, in GitHub's names."""
    column = annotation.column
    # GitHub refuses a column on an annotation that spans several lines.
    if annotation.end_line is not None and annotation.end_line != annotation.line:
        column = None
    return {
        "file": annotation.file,
        "line": annotation.line,
        "endLine": annotation.end_line,
        "col": column,
        "title": annotation.title,
    }


def plain_line(annotation: Annotation) -> str:
    """`[error] path/to/file.py:12: message`, for logs that do not show annotations."""
    parts = [f"[{annotation.level}]"]
    if annotation.file:
        parts.append(f"{Location(annotation.file, annotation.line, annotation.column)}:")
    if annotation.title:
        parts.append(f"{annotation.title}:")
    parts.append(annotation.message)
    return " ".join(parts)


def emit_annotations(
    annotations: Sequence[Annotation],
    stream: TextIO | None = None,
    environ: Mapping[str, str] = os.environ,
) -> AnnotationTally:
    """Issue each annotation, at most LIMITS[level] per level; count the rest as dropped.

    Under act, which has no annotation UI, every annotation is also printed as a plain
    log line inside a stop-commands fence.
    """
    emitted = dict.fromkeys(Level, 0)
    dropped = dict.fromkeys(Level, 0)
    for annotation in annotations:
        level = annotation.level
        if emitted[level] >= LIMITS[level]:
            dropped[level] += 1
            continue
        emitted[level] += 1
        commands.issue(
            str(level), annotation.message, stream=stream, **annotation_properties(annotation)
        )
    if annotations and commands.is_act(environ):
        with commands.stop_commands(stream=stream):
            for annotation in annotations:
                commands.write_line(plain_line(annotation), stream=stream)
    return AnnotationTally(emitted=MappingProxyType(emitted), dropped=MappingProxyType(dropped))
