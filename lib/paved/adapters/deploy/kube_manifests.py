"""A team's plain manifests, read from a file or a folder, for the Kubernetes target.

One Deployment and one Service (what paved derives the tracks from); every other object is
applied as it is. A document that is not a Kubernetes object is one ConfigError naming the
file, the line where the document starts, its index in the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from paved.errors import ConfigError, Location, UsageError

if TYPE_CHECKING:
    from pathlib import Path

SUFFIXES = (".yaml", ".yml", ".json")
REQUIRED = ("apiVersion", "kind")


@dataclass(frozen=True)
class TeamManifests:
    """What the team wrote."""

    deployment: dict[str, Any]
    service: dict[str, Any]
    others: tuple[dict[str, Any], ...]


def load(path: Path) -> TeamManifests:
    """Every document of `path` (a file, or the manifest files of a folder, sorted)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
    elif path.is_file():
        files = [path]
    else:
        raise UsageError(f"{path} does not exist", name="manifests", valid="a file or a folder")
    documents = [doc for file in files for doc in _documents(file)]
    return _split(documents, path)


def _documents(file: Path) -> list[dict[str, Any]]:
    try:
        text = file.read_text(encoding="utf-8")
        # Values from safe_load_all; where each document starts from compose_all.
        values = list(yaml.safe_load_all(text))
        starts = [
            node.start_mark.line + 1 for node in yaml.compose_all(text, Loader=yaml.SafeLoader)
        ]
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read it: {exc}", location=Location(str(file))) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(str(file), mark.line + 1, mark.column + 1) if mark else Location(str(file))
        raise ConfigError(f"not valid YAML: {exc}", location=where) from exc
    documents = []
    if len(starts) != len(values):
        starts = [None] * len(values)  # then the error names the document, not its line
    for index, (value, line) in enumerate(zip(values, starts, strict=True)):
        if value is None:
            continue
        _check(value, index, Location(str(file), line))
        documents.append(value)
    return documents


def _check(value: Any, index: int, where: Location) -> None:  # noqa: ANN401
    document = f"document {index + 1}"
    valid = "a Kubernetes object with apiVersion, kind and metadata.name"
    if not isinstance(value, dict):
        raise ConfigError(f"{document} is not a mapping", location=where, valid=valid)
    for key in REQUIRED:
        if not isinstance(value.get(key), str) or not value[key]:
            raise ConfigError(f"{document}: {key} is missing", location=where, valid=valid)
    meta = value.get("metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not meta["name"]:
        raise ConfigError(
            f"{document} ({value['kind']}): metadata.name is missing", location=where, valid=valid
        )


def _split(documents: list[dict[str, Any]], path: Path) -> TeamManifests:
    deployments = [d for d in documents if d["kind"] == "Deployment"]
    services = [d for d in documents if d["kind"] == "Service"]
    for kind, found in (("Deployment", deployments), ("Service", services)):
        if len(found) != 1:
            names = ", ".join(d["metadata"]["name"] for d in found) or "none"
            raise UsageError(
                f"{path} has {len(found)} {kind} objects ({names})",
                name="manifests",
                valid=f"exactly one {kind}, which paved derives the tracks from",
            )
    others = tuple(d for d in documents if d["kind"] not in {"Deployment", "Service"})
    return TeamManifests(deployments[0], services[0], others)
