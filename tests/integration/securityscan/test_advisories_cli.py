"""`paved advisories` and the offline audit's refusal of folders that are not OSV databases.

Real files throughout: the vendored PyPA records (tests/data/osv-pypi), zips built from them
in OSV's export layout and in the PyPA repository's, a GitHub advisory-database layout holding
a HIGH advisory for jinja2 2.10, and `update` downloading from an HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
OSV = ROOT / "tests" / "data" / "osv-pypi"
RECORDS = sorted((OSV / "vulns").glob("*/*.yaml"))
GHSA = {
    "schema_version": "1.4.0",
    "id": "GHSA-462w-v97r-4m45",
    "modified": "2026-11-20T18:36:34Z",
    "published": "2019-04-10T14:30:24Z",
    "aliases": ["CVE-2019-10906"],
    "summary": "Jinja2 sandbox escape via string formatting",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "jinja2"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.10.1"}]}],
        }
    ],
    "database_specific": {"severity": "HIGH", "github_reviewed": True},
}


def _paved(*argv: str, cwd: Path) -> tuple[int, dict, str]:
    outcome = cwd / "outcome.json"
    outcome.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "paved.cli", *argv, f"--json={outcome}"],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=300,
    )
    document = json.loads(outcome.read_text(encoding="utf-8")) if outcome.exists() else {}
    return done.returncode, document, done.stdout + done.stderr


def _import(source: Path, database: Path, *flags: str) -> tuple[int, dict, str]:
    """`paved advisories import SOURCE --database=DATABASE`, run beside the database."""
    return _paved(
        "advisories", "import", str(source), f"--database={database}", *flags,
        cwd=database.parent,
    )  # fmt: skip


def _osv_export_zip(path: Path) -> Path:
    """The vendored records as OSV's PyPI/all.zip holds them: `<ID>.json` at the top."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for record in RECORDS:
            document = yaml.safe_load(record.read_text(encoding="utf-8"))
            archive.writestr(f"{document['id']}.json", json.dumps(document, default=str))
        archive.writestr(
            "GO-2024-0001.json",
            json.dumps({"id": "GO-2024-0001", "modified": "2024-01-01T00:00:00Z", "affected": [
                {"package": {"ecosystem": "Go", "name": "example.com/x"}}]}),
        )  # fmt: skip
    return path


def _github_layout(root: Path) -> Path:
    folder = root / "advisories" / "github-reviewed" / "2019" / "04" / GHSA["id"]
    folder.mkdir(parents=True)
    (folder / f"{GHSA['id']}.json").write_text(json.dumps(GHSA), encoding="utf-8")
    return root


def _jinja_project(tmp_path: Path) -> Path:
    project = tmp_path / "repo" / "app"
    project.mkdir(parents=True)
    (project / "requirements.txt").write_text("jinja2==2.10\n", encoding="utf-8")
    return project


def _audit(project: Path, database: Path, *flags: str) -> tuple[int, dict, str]:
    return _paved(
        "security-scan",
        str(project),
        "--scanners=dependencies",
        f"--repo-root={project.parent}",
        f"--osv-database={database}",
        *flags,
        cwd=project.parent,
    )


def test_the_jinja2_2_10_advisories_are_found_in_a_pypa_database(tmp_path):
    code, outcome, log = _audit(_jinja_project(tmp_path), OSV, "--osv-max-age=any")
    assert code == 1, log
    assert {f["id"] for f in outcome["findings"]} == {"PYSEC-2019-217", "PYSEC-2021-66"}


def test_a_github_advisory_database_is_refused_not_audited_green(tmp_path):
    database = _github_layout(tmp_path / "advisory-database")
    code, outcome, log = _audit(_jinja_project(tmp_path), database, "--osv-max-age=any")
    assert code == 2, log
    assert outcome["result"] == "error"
    assert "not an OSV PyPI database" in log
    assert "GitHub's advisory database" in log


@pytest.mark.parametrize(
    "inside", ["advisories/github-reviewed", "advisories/github-reviewed/2019/04"]
)
def test_a_folder_inside_a_github_advisory_database_is_refused_too(tmp_path, inside: str):
    database = _github_layout(tmp_path / "advisory-database") / inside
    code, outcome, log = _audit(_jinja_project(tmp_path), database, "--osv-max-age=any")
    assert code == 2, log
    assert outcome["result"] == "error"
    assert "not an OSV PyPI database" in log


def test_a_stale_database_stops_the_audit_with_an_environment_error(tmp_path):
    code, outcome, log = _audit(_jinja_project(tmp_path), OSV)
    assert code == 3, log
    assert outcome["result"] == "error"
    assert "too old to audit against" in log
    assert "paved advisories update" in log


def test_import_of_a_folder_writes_every_record_and_a_manifest(tmp_path):
    database = tmp_path / "db"
    code, outcome, log = _import(OSV, database, "--max-age=any")
    assert code == 0, log
    assert (outcome["records"], outcome["packages"], outcome["written"]) == (46, 12, 46)
    assert outcome["newest_modified"] == "2024-07-11T17:21:37.216928+00:00"
    assert outcome["source"] == str(OSV)
    assert sorted(p.stem for p in (database / "vulns").glob("*/*.json")) == sorted(
        p.stem for p in RECORDS
    )
    code, audited, log = _audit(_jinja_project(tmp_path), database, "--osv-max-age=any")
    assert code == 1, log
    assert {f["id"] for f in audited["findings"]} == {"PYSEC-2019-217", "PYSEC-2021-66"}


def test_import_of_osv_export_zip_files_each_record_under_its_packages(tmp_path):
    archive = _osv_export_zip(tmp_path / "all.zip")
    database = tmp_path / "db"
    code, outcome, log = _import(archive, database, "--max-age=any")
    assert code == 0, log
    assert (outcome["records"], outcome["packages"]) == (46, 12)
    assert (database / "vulns" / "jinja2" / "PYSEC-2019-217.json").is_file()
    assert not list(database.rglob("GO-2024-0001.json"))  # not a PyPI record


def test_import_of_a_zip_of_the_pypa_repository(tmp_path):
    archive = tmp_path / "advisory-database-main.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("advisory-database-main/README.md", "# PyPA advisories\n")
        for record in RECORDS:
            out.write(record, f"advisory-database-main/{record.relative_to(OSV).as_posix()}")
    database = tmp_path / "db"
    code, outcome, log = _import(archive, database, "--max-age=any")
    assert code == 0, log
    assert outcome["records"] == 46


def test_a_refused_import_leaves_the_previous_database_in_place(tmp_path):
    database = tmp_path / "db"
    _import(OSV, database)
    before = sorted(p.relative_to(database) for p in database.rglob("*"))
    github = _github_layout(tmp_path / "advisory-database")
    archive = tmp_path / "github.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in github.rglob("*.json"):
            out.write(path, f"advisory-database-main/{path.relative_to(github).as_posix()}")
    for source in (github, archive, tmp_path / "missing.zip", Path(__file__)):
        code, outcome, log = _import(source, database)
        assert code == 2, log
        assert outcome["result"] == "error"
        assert sorted(p.relative_to(database) for p in database.rglob("*")) == before
    assert "GitHub's advisory database" in _import(github, database)[2]


def test_import_never_replaces_a_folder_it_did_not_write(tmp_path):
    mine = tmp_path / "projects"
    (mine / "app").mkdir(parents=True)
    (mine / "app" / "main.py").write_text("print('mine')\n", encoding="utf-8")
    code, _, log = _import(OSV, mine)
    assert code == 2, log
    assert "is not a database paved imported" in log
    assert sorted(p.name for p in mine.rglob("*")) == ["app", "main.py"]


def test_a_record_with_an_id_that_is_a_path_is_refused(tmp_path):
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as out:
        record = {"id": "../../escape", "modified": "2026-11-01T00:00:00Z", "affected": [
            {"package": {"ecosystem": "PyPI", "name": "flask"}}]}  # fmt: skip
        out.writestr("PYSEC-1.json", json.dumps(record))
    code, _, log = _import(archive, tmp_path / "db")
    assert code == 2, log
    assert "no usable id" in log
    assert not (tmp_path.parent / "escape.json").exists()


def test_show_reports_the_age_and_fails_when_over_the_limit(tmp_path):
    database = tmp_path / "db"
    _import(OSV, database)
    code, outcome, log = _paved("advisories", "show", f"--database={database}", cwd=tmp_path)
    assert code == 1, log
    assert outcome["result"] == "failed"
    assert outcome["age_days"] > 800
    assert outcome["max_age_days"] == 30
    assert "too old" in log
    code, outcome, log = _paved(
        "advisories", "show", f"--database={database}", "--max-age=any", cwd=tmp_path
    )
    assert code == 0, log
    assert "usable for an offline audit" in log


def test_show_refuses_a_copy_that_lost_records_since_its_import(tmp_path):
    database = tmp_path / "db"
    _import(OSV, database)
    (database / "vulns" / "flask" / "PYSEC-2023-62.json").unlink()
    code, _, log = _paved(
        "advisories", "show", f"--database={database}", "--max-age=any", cwd=tmp_path
    )
    assert code == 2, log
    assert "an incomplete copy" in log


class _Served(BaseHTTPRequestHandler):
    body = b""
    content_type = "application/zip"
    status = 200
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *_: object) -> None:
        """Quiet."""


@pytest.fixture
def osv_server(tmp_path):
    """An HTTP server on 127.0.0.1 serving an OSV export zip built from the vendored records."""
    handler = type("Handler", (_Served,), {"paths": []})
    handler.body = _osv_export_zip(tmp_path / "served.zip").read_bytes()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, handler
    finally:
        server.shutdown()
        server.server_close()


def test_update_downloads_the_zip_and_imports_it(tmp_path, osv_server):
    server, handler = osv_server
    url = f"http://127.0.0.1:{server.server_port}/PyPI/all.zip"
    database = tmp_path / "db"
    code, outcome, log = _paved(
        "advisories", "update", f"--url={url}", f"--database={database}", "--max-age=any",
        cwd=tmp_path,
    )  # fmt: skip
    assert code == 0, log
    assert handler.paths == ["/PyPI/all.zip"]
    assert (outcome["records"], outcome["source"]) == (46, url)


@pytest.mark.parametrize(
    ("status", "content_type", "said"),
    [(404, "application/zip", "answered HTTP 404"), (200, "text/html", "answered with text/html")],
)
def test_update_fails_on_a_bad_answer_and_keeps_the_old_database(
    tmp_path, osv_server, status, content_type, said
):
    server, handler = osv_server
    handler.status, handler.content_type = status, content_type
    database = tmp_path / "db"
    _import(OSV, database)
    url = f"http://127.0.0.1:{server.server_port}/PyPI/all.zip"
    code, outcome, log = _paved(
        "advisories", "update", f"--url={url}", f"--database={database}", cwd=tmp_path
    )
    assert code == 3, log
    assert said in log
    assert outcome["result"] == "error"
    assert len(list((database / "vulns").glob("*/*.json"))) == 46


def test_update_refuses_plain_http_to_another_host_before_connecting(tmp_path):
    code, _, log = _paved(
        "advisories", "update", "--url=http://osv.example/PyPI/all.zip",
        f"--database={tmp_path / 'db'}", cwd=tmp_path,
    )  # fmt: skip
    assert code == 2, log
    assert "https://" in log
    assert not (tmp_path / "db").exists()


def test_update_without_a_server_is_an_environment_error(tmp_path, osv_server):
    server, _ = osv_server
    port = server.server_port
    server.shutdown()
    server.server_close()
    code, _, log = _paved(
        "advisories", "update", f"--url=http://127.0.0.1:{port}/all.zip",
        f"--database={tmp_path / 'db'}", cwd=tmp_path,
    )  # fmt: skip
    assert code == 3, log
    assert "paved advisories import" in log
