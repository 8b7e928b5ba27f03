"""`paved rollback-guard`: flags that cannot work are one usage error before any query."""

import pytest
from paved.cli import run

URL = "--prometheus-url=http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--prometheus-url=ftp://x"], "prometheus-url"),
        ([URL, "--checks=error-rate,latency"], "--checks"),
        ([URL, "--mann-whitney=speed"], "--mann-whitney"),
        ([URL, "--candidate-selector={job=x}"], "--candidate-selector"),
        ([URL, '--stable-selector=job="x"}'], "--stable-selector"),
        ([URL, "--looks=2", "--required-passes=3"], "looks"),
        ([URL, "--on-inconclusive=promote"], "--on-inconclusive"),
        ([URL, "--error-rate-limit=5"], "--error-rate-limit"),
        ([URL, "--mode=canary"], "--mode"),
        ([], "--prometheus-url"),
    ],
)
def test_invalid_flags_are_usage_errors_naming_the_flag(frontend, tmp_path, flags, named):
    record = tmp_path / "record.json"
    code = run(["rollback-guard", *flags, f"--record={record}"], frontend)
    capability, message = frontend.only_error()
    assert (code, capability) == (2, "rollback-guard")
    assert named in message
    assert not record.exists()
