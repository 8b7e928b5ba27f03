"""Read what `docker build` and `docker buildx build --progress plain` print."""

from __future__ import annotations

import re
from dataclasses import dataclass

from paved.adapters.docker.interface import FailedStep

_LEGACY_STEP = re.compile(r"^Step (?P<n>[0-9]+)/(?P<total>[0-9]+) : (?P<instruction>.*)$")
_LEGACY_CACHED = re.compile(r"^ ---> Using cache$")
_LEGACY_ERRORS = (
    re.compile(r"^The command .* returned a non-zero code: [0-9]+$"),
    re.compile(r"^(COPY|ADD) failed: .*"),
    re.compile(r"^(failed to|unable to|error|Error response from daemon)[: ].*", re.IGNORECASE),
)
_KIT_STEP = re.compile(r"^#[0-9]+ \[(?:[^\]]*? )?(?P<n>[0-9]+)/(?P<total>[0-9]+)\] (?P<instr>.*)$")
_KIT_CACHED = re.compile(r"^#[0-9]+ CACHED$")
_KIT_FAILED = re.compile(r"^\s*> \[(?:[^\]]*? )?(?P<n>[0-9]+)/[0-9]+\] (?P<instr>.*?):?$")
_KIT_LINE = re.compile(r"^\s*Dockerfile(?:\.[\w.-]+)?:(?P<line>[0-9]+)\s*$")
_KIT_ERROR = re.compile(r"^(ERROR|error): (?P<message>.*)$")


@dataclass(frozen=True)
class BuildLog:
    """What a build printed, summed up."""

    steps: int | None
    cache_hits: int
    failed_step: FailedStep | None


def read_legacy(lines: list[str], *, failed: bool) -> BuildLog:
    """The classic builder: `Step 3/8 : RUN ...`, ` ---> Using cache`, then the error line."""
    total: int | None = None
    cached = 0
    last: tuple[int, str] | None = None
    for line in lines:
        step = _LEGACY_STEP.match(line)
        if step:
            total = int(step["total"])
            last = (int(step["n"]), step["instruction"])
        elif _LEGACY_CACHED.match(line):
            cached += 1
    failure = None
    if failed:
        message = next(
            (line for line in reversed(lines) if any(p.match(line) for p in _LEGACY_ERRORS)),
            lines[-1] if lines else "",
        )
        if last is not None:
            failure = FailedStep(instruction=last[1], number=last[0], message=message.strip())
        else:
            failure = FailedStep(instruction="", message=message.strip())
    return BuildLog(steps=total, cache_hits=cached, failed_step=failure)


def read_buildkit(lines: list[str], *, failed: bool) -> BuildLog:
    """BuildKit's plain progress: `#7 [2/5] RUN ...`, `#7 CACHED`, `> [2/5] RUN ...:`."""
    numbered: set[str] = set()
    cached = 0
    for line in lines:
        step = _KIT_STEP.match(line)
        if step:
            numbered.add(step["instr"])
        elif _KIT_CACHED.match(line):
            cached += 1
    failure = None
    if failed:
        instruction, number, line_no, message = "", None, None, ""
        for line in lines:
            if match := _KIT_FAILED.match(line):
                instruction, number = match["instr"], int(match["n"])
            elif match := _KIT_LINE.match(line):
                line_no = int(match["line"])
            elif match := _KIT_ERROR.match(line):
                message = match["message"]
        failure = FailedStep(instruction=instruction, number=number, line=line_no, message=message)
    return BuildLog(steps=len(numbered) or None, cache_hits=cached, failed_step=failure)
