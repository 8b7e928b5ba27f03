"""Markdown building blocks that are safe for untrusted text (test names, tool output)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_cell(value: object) -> str:
    """A table cell: pipes escaped, HTML neutralised, line breaks kept as <br>."""
    text = str(value).translate(_HTML).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(part.strip() for part in text.splitlines()) if text else ""


def escape_text(value: object) -> str:
    """Running text: HTML neutralised and markdown emphasis characters escaped."""
    return re.sub(r"([\\`*_\[\]#])", r"\\\1", str(value).translate(_HTML)).replace("\n", " ")


def code(value: object) -> str:
    """An inline code span that survives backticks and pipes inside it (for table cells)."""
    text = str(value).replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}".replace("|", "\\|")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A markdown table; `align` has one of l, r, c per column (default left)."""
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    spec = [marks[align[i]] if i < len(align) else "---" for i in range(len(headers))]
    lines = [
        "| " + " | ".join(escape_cell(h) for h in headers) + " |",
        "| " + " | ".join(spec) + " |",
    ]
    lines.extend("| " + " | ".join(_cell(v) for v in row) + " |" for row in rows)
    return "\n".join(lines)


class Raw(str):
    """A cell value that is already markdown (made by `code`), not to be escaped again."""

    __slots__ = ()


def _cell(value: object) -> str:
    return str(value) if isinstance(value, Raw) else escape_cell(value)


def code_block(text: str, language: str = "") -> str:
    """A fenced block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def details(summary: str, body: str) -> str:
    """A collapsed section."""
    return f"<details><summary>{escape_text(summary)}</summary>\n\n{body}\n\n</details>"


def seconds(value: float) -> str:
    """A duration for people: 0.42 s, 12.3 s, 2 min 05 s."""
    if value < 10:  # noqa: PLR2004
        return f"{value:.2f} s"
    if value < 60:  # noqa: PLR2004
        return f"{value:.1f} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest:02d} s"


def percent(value: float | None) -> str:
    """A percentage at two decimals at most (as the coverage gate judges it), or a dash."""
    return "—" if value is None else f"{round(value, 2):g}%"


def dropped_annotations_note(dropped: dict[str, int]) -> str:
    """Says how many annotations GitHub's per-step cap kept off the diff view."""
    counts = [f"{n} {level}" + ("s" if n != 1 else "") for level, n in dropped.items() if n]
    if not counts:
        return ""
    return (
        f"> **{', '.join(counts)} not shown as annotations**: GitHub shows at most 10 of "
        "each level per step. Every finding is listed above and in the JSON outcome.\n"
    )


def error_summary(capability: str, message: str) -> str:
    """The job summary of a run that stopped on an error."""
    return f"## ⚠️ {capability} stopped on an error\n\n{escape_text(message)}\n"
