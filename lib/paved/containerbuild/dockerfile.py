"""Where a Dockerfile's instructions are, so a failing build step can be shown at its line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Instruction:
    """One instruction: its first line number (1-based) and its text, continuations joined."""

    line: int
    text: str

    @property
    def keyword(self) -> str:
        """FROM, RUN, COPY... in upper case."""
        return self.text.split(maxsplit=1)[0].upper() if self.text else ""


def instructions(text: str) -> tuple[Instruction, ...]:
    """Every instruction in order, as the classic builder numbers its steps."""
    found: list[Instruction] = []
    start: int | None = None
    parts: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            # Comments and blank lines may sit inside a continued instruction.
            continue
        if start is None:
            start = number
        continued = stripped.endswith("\\")
        parts.append(stripped[:-1].strip() if continued else stripped)
        if not continued:
            found.append(Instruction(line=start, text=" ".join(p for p in parts if p)))
            start, parts = None, []
    if start is not None:
        found.append(Instruction(line=start, text=" ".join(p for p in parts if p)))
    return tuple(found)


def locate(text: str, step: int | None, instruction: str) -> Instruction | None:
    """The instruction a build failed at: by step number when it agrees, else by its text."""
    listed = instructions(text)
    wanted = " ".join(instruction.split())
    if step is not None and 0 < step <= len(listed):
        candidate = listed[step - 1]
        if not wanted or candidate.keyword == wanted.split(maxsplit=1)[0].upper():
            return candidate
    matches = [i for i in listed if wanted and " ".join(i.text.split()) == wanted]
    return matches[0] if len(matches) == 1 else None
