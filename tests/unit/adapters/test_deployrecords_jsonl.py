"""Reading deploy-strategy's record lines back: the fields, commit times from git, bad lines."""

from __future__ import annotations

import json
import subprocess

import pytest
from paved.adapters.deployrecords.jsonl import SCHEMA, JsonLinesRecords
from paved.errors import UsageError
from paved.report.deploystrategy import RECORD_SCHEMA


def _line(**fields) -> str:
    document = {
        "schema": SCHEMA,
        "app": "shop",
        "environment": "production",
        "status": "succeeded",
        "started_at": "2026-12-01T10:00:00Z",
        "finished_at": "2026-12-01T10:01:30Z",
        **fields,
    }
    return json.dumps(document) + "\n"


def _git_commit(repo, when: str) -> str:
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "HOME": str(repo)}
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q",
         "--allow-empty", "-m", "change"],
        check=True, env=env,
    )  # fmt: skip
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_the_reader_speaks_the_schema_deploy_strategy_writes():
    assert SCHEMA == RECORD_SCHEMA


def test_times_and_fields_come_from_the_line(tmp_path):
    path = tmp_path / "deploys.jsonl"
    path.write_text(_line(sha="abc", committed_at="2026-12-01T09:00:00Z") + "\n", encoding="utf-8")
    (record,) = JsonLinesRecords(path, tmp_path).records()
    assert record.finished_at - record.started_at == 90
    assert record.started_at - record.committed_at == 3600
    assert (record.app, record.environment, record.status, record.sha) == (
        "shop", "production", "succeeded", "abc",
    )  # fmt: skip


def test_the_commit_time_comes_from_git_when_the_record_has_only_the_sha(tmp_path):
    repo = tmp_path / "repo"
    sha = _git_commit(repo, "2026-12-01T08:30:00+00:00")
    path = tmp_path / "deploys.jsonl"
    path.write_text(_line(sha=sha) + _line(sha="0" * 40) + _line(), encoding="utf-8")
    known, unknown, without = JsonLinesRecords(path, repo).records()
    assert known.started_at - known.committed_at == 90 * 60
    assert unknown.committed_at is None
    assert without.committed_at is None


def test_a_missing_file_says_which_and_what_writes_it(tmp_path):
    with pytest.raises(UsageError, match=r"no deploy record at .*deploys\.jsonl") as caught:
        JsonLinesRecords(tmp_path / "deploys.jsonl", tmp_path).records()
    assert caught.value.name == "deploy-records"


@pytest.mark.parametrize(
    "line",
    [
        "not json\n",
        '["a list"]\n',
        _line(schema="paved/deploy-record/v0"),
        _line(started_at="yesterday"),
        _line(finished_at="2026-12-01T10:01:30"),
        json.dumps({"schema": SCHEMA, "app": "shop"}) + "\n",
    ],
)
def test_a_bad_line_names_its_file_and_line(tmp_path, line):
    path = tmp_path / "deploys.jsonl"
    path.write_text(_line() + line, encoding="utf-8")
    with pytest.raises(UsageError, match=r"deploys\.jsonl:2 is not a deploy record"):
        JsonLinesRecords(path, tmp_path).records()
