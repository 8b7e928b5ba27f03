"""One redaction step for every text paved writes: the run's secrets, in every form.

The runner masks a secret only where it appears exactly as given. paved transforms text on
the way out (markdown escapes `_` as `\\_`, JSON escapes `"` and non-ASCII, HTML turns `&`
into `&amp;`, URLs percent-encode), and each of those forms would slip past an exact match.
So the CLI registers every secret value it reads (`add`), and everything it writes (the log,
the summary, the JSON outcome, SARIF, annotations, outputs) goes through `redact`, which
finds each secret however it was escaped and puts `***` in its place.
"""

from __future__ import annotations

import json
import re
import threading
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_LENGTH = 4
"""Shorter values are not redacted: a three-letter secret would blank out ordinary words."""

_HTML = {"&": "(?:&|&amp;)", "<": "(?:<|&lt;)", ">": "(?:>|&gt;)", '"': '(?:"|&quot;)'}
_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def _char(char: str) -> str:
    """One character of a secret, however an escaper may have written it."""
    exact = _HTML.get(char, re.escape(char))
    json_forms = {json.dumps(char)[1:-1], json.dumps(char, ensure_ascii=False)[1:-1]}
    alternatives = [exact, *(re.escape(f) for f in sorted(json_forms) if f != char)]
    # Markdown, JSON and shell escapers put a backslash (or two) in front of a character.
    return r"(?:\\{0,2})(?:" + "|".join(alternatives) + ")"


def _forms(secret: str) -> list[str]:
    """Regular expressions that match `secret` as written by any of paved's escapers."""
    per_char = "".join(_char(c) for c in secret)
    literal = {quote(secret, safe=""), quote_plus(secret)} - {secret}
    return [per_char, *(re.escape(form) for form in sorted(literal))]


def add(secret: str | None) -> None:
    """Know `secret` (and each of its lines) from now on, for every later `redact`."""
    global _pattern  # noqa: PLW0603 - one registry per process, like the runner's masks
    if not secret:
        return
    values = {secret.strip(), *(line.strip() for line in secret.splitlines())}
    values = {v for v in values if len(v) >= MIN_LENGTH}
    with _lock:
        if values <= _secrets:
            return
        _secrets.update(values)
        # Longest first, so a secret that contains another is masked whole.
        forms = [f for value in sorted(_secrets, key=len, reverse=True) for f in _forms(value)]
        _pattern = re.compile("|".join(forms))


def redact(text: str) -> str:
    """`text` with every known secret, in any of its forms, replaced by ***."""
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


def known() -> int:
    """How many secret values are registered (for tests and debug lines)."""
    with _lock:
        return len(_secrets)


def forget_all() -> None:
    """Drop every registered secret (tests; a long-lived process between runs)."""
    global _pattern  # noqa: PLW0603 - see add
    with _lock:
        _secrets.clear()
        _pattern = None
