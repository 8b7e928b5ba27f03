"""The Debian mirror this machine's apt uses, read from its sources at run time."""

from __future__ import annotations

import re
from pathlib import Path

from components.errors import ComponentError

SOURCES = Path("/etc/apt")
_ONE_LINE = re.compile(r"^\s*deb\s+(?:\[[^\]]*\]\s+)?(?P<uri>\S+)\s+(?P<suite>\S+)")


def debian_mirror(suite: str = "bookworm", root: Path = SOURCES) -> str:
    """The URI of the first `deb` source for `suite` (main archive, not security)."""
    for uri, suites in _sources(root):
        if suite in suites and "security" not in uri:
            return uri.rstrip("/")
    msg = (
        f"no apt source for Debian {suite} in {root}/sources.list or sources.list.d: "
        "add one (e.g. a deb line for your Debian mirror), then retry"
    )
    raise ComponentError(msg)


def _sources(root: Path) -> list[tuple[str, set[str]]]:
    found: list[tuple[str, set[str]]] = []
    files = [root / "sources.list", *sorted((root / "sources.list.d").glob("*.list"))]
    for path in files:
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                match = _ONE_LINE.match(line)
                if match:
                    found.append((match["uri"], {match["suite"]}))
    for path in sorted((root / "sources.list.d").glob("*.sources")):
        found.extend(_deb822(path.read_text(encoding="utf-8", errors="replace")))
    return found


def _deb822(text: str) -> list[tuple[str, set[str]]]:
    """URIs and Suites of every enabled `Types: deb` stanza."""
    found: list[tuple[str, set[str]]] = []
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes") == "no":
            continue
        suites = set(fields.get("suites", "").split())
        found.extend((uri, suites) for uri in fields.get("uris", "").split())
    return found
