"""pytest's own counts: from the plugin's JSON, or from JUnit when that is all there is."""

import json

import pytest
from paved.buildtest.junit import parse_junit
from paved.buildtest.tally import TALLY_SCHEMA, Tally, parse_tally, tally_from_report
from paved.errors import UsageError


def test_the_plugins_document_gives_pytests_categories():
    text = json.dumps(
        {
            "schema": TALLY_SCHEMA,
            "counts": {
                "passed": 5,
                "failed": 2,
                "skipped": 1,
                "xfailed": 1,
                "xpassed": 1,
                "error": 1,
                "rerun": 3,
            },
            "collection_errors": [],
            "exit_status": 1,
        }
    )
    tally = parse_tally(text)
    assert tally == Tally(passed=5, failed=2, skipped=1, xfailed=1, xpassed=1, errors=1)
    assert (tally.total, tally.broken) == (11, 3)


def test_collection_errors_are_kept_apart_from_tests():
    text = json.dumps(
        {"schema": TALLY_SCHEMA, "counts": {}, "collection_errors": ["tests/test_a.py"]}
    )
    tally = parse_tally(text)
    assert tally.collection_errors == ("tests/test_a.py",)
    assert (tally.total, tally.broken) == (0, 0)


@pytest.mark.parametrize(
    "text",
    ["{", '{"schema": "other"}', json.dumps({"schema": TALLY_SCHEMA, "counts": []})],
)
def test_anything_else_is_a_usage_error_naming_the_file(text):
    with pytest.raises(UsageError) as caught:
        parse_tally(text, source="results/pytest-tally.json")
    assert str(caught.value).startswith("results/pytest-tally.json: ")


JUNIT = """\
<testsuites><testsuite name="pytest">
<testcase classname="t.test_x" name="test_ok" file="t/test_x.py" line="1"/>
<testcase classname="t.test_x" name="test_xf" file="t/test_x.py" line="2">
  <skipped type="pytest.xfail" message=""/></testcase>
<testcase classname="t.test_x" name="test_sk" file="t/test_x.py" line="8">
  <skipped type="pytest.skip" message="unconditional skip"/></testcase>
<testcase classname="t.test_x" name="test_xps" file="t/test_x.py" line="6">
  <failure message="[XPASS(strict)] ">[XPASS(strict)] </failure></testcase>
<testcase classname="" name="t2.test_a"><error message="collection failure">ImportError</error>
</testcase>
</testsuite></testsuites>
"""


def test_from_junit_xfail_is_not_a_skip_and_a_collection_failure_is_not_a_test():
    tally = tally_from_report(parse_junit(JUNIT))
    assert tally == Tally(
        passed=1, failed=1, skipped=1, xfailed=1, collection_errors=("t2.test_a",)
    )
