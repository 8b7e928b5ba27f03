"""Getting an OSV PyPI database onto disk: download OSV's zip, or import a zip or a folder.

Sources understood: OSV's per-ecosystem export (`PyPI/all.zip`, one `<ID>.json` per record at
the top), and the PyPA advisory database as a checkout or a zip of one (`vulns/<package>/
<ID>.yaml`, possibly under one top folder as GitHub's archives have it). Whatever the source,
the records are written as `vulns/<package>/<ID>.json`, one copy per affected PyPI package,
with a manifest; the new copy replaces the old one only once it is complete, so an
interrupted refresh leaves the previous database in place.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import tempfile
import urllib.parse
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NoReturn

import requests
import yaml
from packaging.utils import canonicalize_name

from paved.adapters.scanners.osv_offline import MANIFEST, RECORD_SUFFIXES, affected_pypi_packages
from paved.errors import EnvironmentProblemError, UsageError

if TYPE_CHECKING:
    from collections.abc import Iterator

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_MAX_DOWNLOAD = 1 << 30
_MAX_RECORD = 16 << 20
_MAX_TOTAL = 4 << 30
_MAX_MEMBERS = 1_000_000
_ZIP_TYPES = {"application/zip", "application/x-zip-compressed", "application/octet-stream"}
_CHUNK = 1 << 16


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote."""

    records: int
    """Record files written (a record about two packages is written twice)."""
    packages: int
    skipped: int
    """Records that name no PyPI package."""


@dataclass(frozen=True)
class _Record:
    name: str
    """Where it came from, for messages."""
    text: str
    suffix: str
    folder: str | None
    """The package folder it was filed under (PyPA layout), else None."""


def download(url: str, into: Path, *, timeout: float = 60.0) -> Path:
    """Fetch the zip at `url` into the folder `into`; https, or http to a loopback host only."""
    check_url(url)
    target = into / "download.zip"
    try:
        with requests.get(url, stream=True, timeout=timeout) as answer:
            if answer.status_code != 200:  # noqa: PLR2004 - HTTP OK
                raise EnvironmentProblemError(
                    f"{url} answered HTTP {answer.status_code}",
                    hint="check the address, or download the zip elsewhere and use "
                    "`paved advisories import`",
                )
            kind = answer.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if kind not in _ZIP_TYPES:
                raise EnvironmentProblemError(
                    f"{url} answered with {kind or 'no content type'}, not a zip",
                    hint="give the address of the database's zip file",
                )
            _save(answer, target, url)
    except requests.RequestException as exc:
        raise EnvironmentProblemError(
            f"cannot download {url}: {type(exc).__name__}",
            hint="without network, fetch the zip elsewhere and run `paved advisories import`",
        ) from exc
    return target


def check_url(url: str) -> None:
    """Refuse an address a database must not come from (before any connection)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and _loopback(host):
        return
    raise UsageError(
        f"{url!r} is not an address to download an advisory database from",
        name="url",
        valid="an https:// address (http:// only for a loopback host)",
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _save(answer: requests.Response, target: Path, url: str) -> None:
    written = 0
    with target.open("wb") as sink:
        for chunk in answer.iter_content(_CHUNK):
            written += len(chunk)
            if written > _MAX_DOWNLOAD:
                raise EnvironmentProblemError(
                    f"{url} sent more than {_MAX_DOWNLOAD >> 20} MiB", hint="check the address"
                )
            sink.write(chunk)


def import_database(source: Path, target: Path, *, origin: str, now: datetime) -> ImportSummary:
    """Write the records of `source` (zip or folder) as a database at `target`, replacing it."""
    _check_replaceable(target)
    records = _zip_records(source) if source.is_file() else _folder_records(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        summary = _write(records, staging, source)
        manifest = {
            "schema": "paved/advisories/v1",
            "source": origin,
            "imported_at": now.isoformat(),
            "records": summary.records,
            "packages": summary.packages,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def _check_replaceable(target: Path) -> None:
    """Only a missing or empty folder, or one paved imported before, is ever replaced: a wrong
    --database must not delete someone's files."""
    if not target.exists() and not target.is_symlink():
        return
    folder = target.is_dir() and not target.is_symlink()
    if folder and ((target / MANIFEST).is_file() or not any(target.iterdir())):
        return
    raise UsageError(
        f"{target} exists and is not a database paved imported (no {MANIFEST} in it)",
        name="database",
        valid="a new or empty folder, or one an earlier import or update wrote",
    )


def _write(records: Iterator[_Record], staging: Path, source: Path) -> ImportSummary:
    written = skipped = 0
    packages: set[str] = set()
    for record in records:
        document = _parse(record)
        names = affected_pypi_packages(document)
        if record.folder is not None and record.folder not in names:
            _refuse(source, f"{record.name} is filed under {record.folder} but is not about it")
        if not names:
            skipped += 1
            continue
        text = json.dumps(document, sort_keys=True, default=_rfc3339)
        for name in sorted(names):
            folder = staging / "vulns" / name
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{document['id']}.json").write_text(text, encoding="utf-8")
            written += 1
        packages.update(names)
    if not written:
        _refuse(source, "it holds no OSV record of a PyPI package")
    return ImportSummary(records=written, packages=len(packages), skipped=skipped)


def _rfc3339(value: object) -> str:
    """YAML records' times (read as datetimes) written back as OSV writes them."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _parse(record: _Record) -> dict[str, object]:
    try:
        document = (
            json.loads(record.text) if record.suffix == ".json" else yaml.safe_load(record.text)
        )
    except (ValueError, yaml.YAMLError) as exc:
        raise UsageError(f"{record.name} is not valid {record.suffix[1:]}: {exc}") from exc
    if not isinstance(document, dict):
        raise UsageError(f"{record.name} is not an OSV record (not a mapping)")
    ident = document.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise UsageError(f"{record.name} is not an OSV record (no usable id)")
    if not document.get("modified"):
        raise UsageError(f"{record.name} is not an OSV record (no modified time)")
    return document


def _replace(staging: Path, target: Path) -> None:
    """Swap the finished copy in; the old one is removed only after the swap."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _zip_records(source: Path) -> Iterator[_Record]:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UsageError(
            f"{source} is not a zip file ({exc})",
            name="SOURCE",
            valid="OSV's PyPI all.zip, a zip of the PyPA advisory database, or a folder",
        ) from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        _check_sizes(source, members)
        for member, folder in _select(source, members):
            text = archive.read(member).decode("utf-8", errors="replace")
            yield _Record(member.filename, text, PurePosixPath(member.filename).suffix, folder)


def _check_sizes(source: Path, members: list[zipfile.ZipInfo]) -> None:
    total = sum(m.file_size for m in members)
    if (
        len(members) > _MAX_MEMBERS
        or total > _MAX_TOTAL
        or any(m.file_size > _MAX_RECORD for m in members)
    ):
        _refuse(source, "its members are too many or too large for advisory records")


def _select(
    source: Path, members: list[zipfile.ZipInfo]
) -> list[tuple[zipfile.ZipInfo, str | None]]:
    """The record members and the package folder each is filed under (None: OSV's export)."""
    paths = [PurePosixPath(m.filename) for m in members]
    depths = [p.parts.index("vulns") for p in paths if "vulns" in p.parts[:-2]]
    if depths:
        at = min(depths)
        return [
            (member, _package(path.parts[at + 1]))
            for member, path in zip(members, paths, strict=True)
            if len(path.parts) == at + 3
            and path.parts[at] == "vulns"
            and path.suffix in RECORD_SUFFIXES
        ]
    flat: list[tuple[zipfile.ZipInfo, str | None]] = [
        (member, None)
        for member, path in zip(members, paths, strict=True)
        if len(path.parts) == 1 and path.suffix == ".json"
    ]
    if not flat:
        _refuse(source, _layout_hint(paths))
    return flat


def _folder_records(source: Path) -> Iterator[_Record]:
    if not source.is_dir():
        raise UsageError(
            f"{source} does not exist",
            name="SOURCE",
            valid="OSV's PyPI all.zip, a zip of the PyPA advisory database, or a folder",
        )
    vulns = source / "vulns"
    if vulns.is_dir():
        for folder in sorted(p for p in vulns.iterdir() if p.is_dir()):
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix in RECORD_SUFFIXES:
                    yield _read(path, source, _package(folder.name))
        return
    flat = sorted(p for p in source.glob("*.json") if p.is_file())
    if not flat:
        found = [PurePosixPath(p.relative_to(source).as_posix()) for p in source.glob("*/*")]
        _refuse(source, _layout_hint(found))
    for path in flat:
        yield _read(path, source, None)


def _read(path: Path, source: Path, folder: str | None) -> _Record:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    return _Record(path.relative_to(source).as_posix(), text, path.suffix, folder)


def _package(name: str) -> str:
    return str(canonicalize_name(name))


def _layout_hint(paths: list[PurePosixPath]) -> str:
    if any("github-reviewed" in p.parts or "unreviewed" in p.parts for p in paths):
        return (
            "it is laid out as GitHub's advisory database (advisories/github-reviewed/...), "
            "not as an OSV PyPI database"
        )
    return "it holds neither vulns/<package>/<ID>.yaml records nor OSV's <ID>.json export"


def _refuse(source: Path, why: str) -> NoReturn:
    raise UsageError(
        f"{source} is not an OSV PyPI database: {why}",
        name="SOURCE",
        valid="OSV's PyPI all.zip, or the PyPA advisory database (a checkout or a zip of one)",
    )
