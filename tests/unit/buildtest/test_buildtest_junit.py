import pytest
from defusedxml import DefusedXmlException
from paved.buildtest.junit import CaseStatus, parse_junit
from paved.errors import UsageError

# What `pytest -o junit_family=xunit1 --junitxml=...` writes (one case per outcome).
PYTEST_XUNIT1 = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" \
time="0.412" timestamp="2024-05-01T10:00:00.000000" hostname="runner">
<testcase classname="tests.test_x" file="tests/test_x.py" line="4" name="test_adds" time="0.002" />
<testcase classname="tests.test_x" file="tests/test_x.py" line="11" name="test_total" \
time="0.310"><failure message="AssertionError: assert 1 == 2">tests/test_x.py:13: in test_total
    total = helper(1)
lib.py:3: in helper
    return check(value)
tests/test_x.py:8: in check
    return value
E   assert 1 == 2
tests/test_x.py:15: AssertionError</failure></testcase>
<testcase classname="tests.test_x" file="tests/test_x.py" line="17" name="test_boom" \
time="0.050"><error message="failed on setup with &quot;ValueError: boom&quot;">\
tests/test_x.py:20: in test_boom
    helper(0)
lib.py:3: ValueError</error></testcase>
<testcase classname="tests.test_x" file="tests/test_x.py" line="29" name="test_network" \
time="0.000"><skipped type="pytest.skip" message="needs network">\
tests/test_x.py:30: needs network</skipped></testcase>
</testsuite></testsuites>
"""

JEST_JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="1" errors="0" time="1.25">
  <testsuite name="math" errors="0" failures="1" skipped="1" time="1.0" tests="3">
    <testcase classname="math adds" name="math adds" time="0.004"></testcase>
    <testsuite name="math edge cases" time="0.5">
      <testcase classname="math edge cases divides by zero" name="divides by zero" time="0.02">
        <failure>Error: expect(received).toThrow()
    at Object.&lt;anonymous&gt; (/home/runner/work/app/math.test.js:12:5)</failure>
      </testcase>
      <testcase classname="math edge cases overflows" name="overflows" time="0">
        <skipped/>
      </testcase>
    </testsuite>
  </testsuite>
</testsuites>
"""

GO_JUNIT_REPORT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="3" failures="1">
\t<testsuite name="example.com/calc" tests="3" failures="1" errors="0" id="0" \
hostname="runner" time="0.004" timestamp="2024-05-01T10:00:00Z">
\t\t<properties><property name="go.version" value="go1.22.2 linux/amd64"></property></properties>
\t\t<testcase name="TestAdd" classname="example.com/calc" time="0.000"></testcase>
\t\t<testcase name="TestDiv" classname="example.com/calc" time="0.001">
\t\t\t<failure message="Failed" type="">    calc_test.go:14: Div(1, 0) = 0, want error</failure>
\t\t</testcase>
\t\t<testcase name="TestSlow" classname="example.com/calc" time="0.000">\
<skipped message="    calc_test.go:20: short mode"></skipped></testcase>
\t</testsuite>
</testsuites>
"""

BILLION_LAUGHS = """\
<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<testsuites><testsuite name="&lol9;"><testcase name="t"/></testsuite></testsuites>
"""

EXTERNAL_ENTITY = """\
<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<testsuites><testsuite name="&secret;"><testcase name="t"/></testsuite></testsuites>
"""


def by_name(report):
    return {case.name: case for case in report.cases}


def test_pytest_failure_points_at_the_last_traceback_line_in_the_test_file():
    failed = by_name(parse_junit(PYTEST_XUNIT1))["test_total"]
    assert failed.status is CaseStatus.FAILED
    assert (failed.file, failed.line) == ("tests/test_x.py", 15)
    assert failed.message == "AssertionError: assert 1 == 2"
    assert "lib.py:3: in helper" in failed.detail


def test_pytest_error_in_a_library_is_located_in_the_test_that_called_it():
    errored = by_name(parse_junit(PYTEST_XUNIT1))["test_boom"]
    assert errored.status is CaseStatus.ERROR
    assert (errored.file, errored.line) == ("tests/test_x.py", 20)


def test_pytest_report_counts_each_outcome_and_its_time():
    report = parse_junit(PYTEST_XUNIT1)
    counts = {status: report.count(status) for status in CaseStatus}
    assert counts == {
        CaseStatus.PASSED: 1,
        CaseStatus.FAILED: 1,
        CaseStatus.ERROR: 1,
        CaseStatus.SKIPPED: 1,
        CaseStatus.XFAILED: 0,
    }
    assert report.total == 4
    assert report.time == pytest.approx(0.412)


def test_slowest_lists_the_slowest_cases_first():
    slowest = parse_junit(PYTEST_XUNIT1).slowest(2)
    assert [case.name for case in slowest] == ["test_total", "test_boom"]


def test_xunit1_zero_based_line_of_a_passing_test_becomes_one_based():
    report = by_name(parse_junit(PYTEST_XUNIT1))
    assert report["test_adds"].line == 5
    assert report["test_network"].line == 30


def test_skipped_case_keeps_its_reason():
    skipped = by_name(parse_junit(PYTEST_XUNIT1))["test_network"]
    assert skipped.status is CaseStatus.SKIPPED
    assert skipped.message == "needs network"


def test_jest_junit_nested_suites_are_each_counted_once():
    report = parse_junit(JEST_JUNIT)
    assert [case.name for case in report.cases] == ["math adds", "divides by zero", "overflows"]
    assert (report.count(CaseStatus.FAILED), report.count(CaseStatus.SKIPPED)) == (1, 1)
    assert report.time == pytest.approx(1.25)


def test_jest_failure_without_file_attributes_has_no_location_but_keeps_its_text():
    failed = by_name(parse_junit(JEST_JUNIT))["divides by zero"]
    assert (failed.file, failed.line) == (None, None)
    assert failed.message == ""
    assert "expect(received).toThrow()" in failed.detail


def test_go_junit_report_is_read_with_package_as_classname():
    report = parse_junit(GO_JUNIT_REPORT)
    cases = by_name(report)
    assert report.total == 3
    assert cases["TestDiv"].status is CaseStatus.FAILED
    assert cases["TestDiv"].classname == "example.com/calc"
    assert cases["TestDiv"].message == "Failed"
    assert "want error" in cases["TestDiv"].detail
    assert cases["TestSlow"].status is CaseStatus.SKIPPED
    assert report.time == pytest.approx(0.004)


def test_a_single_testsuite_root_is_accepted():
    report = parse_junit(
        '<testsuite name="unit" tests="2" time="1,234.5">'
        '<testcase classname="a" name="one" time="0.1"/>'
        '<testcase classname="a" name="two" time="0.2"><error message="crash"/></testcase>'
        "</testsuite>"
    )
    assert [case.status for case in report.cases] == [CaseStatus.PASSED, CaseStatus.ERROR]
    assert report.time == pytest.approx(1234.5)


def test_cases_in_suites_nested_under_a_testsuite_root_are_counted():
    report = parse_junit(
        '<testsuite name="all"><testsuite name="calc">'
        '<testcase classname="calc" name="divides"><failure message="boom"/></testcase>'
        "</testsuite></testsuite>"
    )
    assert report.count(CaseStatus.FAILED) == 1


def test_malformed_xml_is_a_usage_error_naming_the_report():
    with pytest.raises(UsageError, match=r"reports/junit\.xml: is not well-formed XML"):
        parse_junit("<testsuites><testsuite>", source="reports/junit.xml")


def test_a_document_that_is_not_junit_is_a_usage_error_naming_its_root():
    with pytest.raises(UsageError) as caught:
        parse_junit('<coverage line-rate="1"/>', source="reports/junit.xml")
    message = str(caught.value)
    assert message.startswith("reports/junit.xml: has root element <coverage>")
    assert "<testsuites> or <testsuite>" in message


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["bomb", "xxe"])
def test_entity_declarations_are_refused_not_expanded(document):
    with pytest.raises(UsageError, match=r"^junit\.xml: is not well-formed XML") as caught:
        parse_junit(document, source="junit.xml")
    assert isinstance(caught.value.__cause__, DefusedXmlException)
    assert "lollol" not in str(caught.value)


NODE_REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testcase name="adds" time="0.001" classname="test"/>
  <testcase name="adds wrongly" time="0.002" classname="test">
    <failure type="testCodeFailure" message="Expected values to be strictly equal:4 !== 5">
      at helper (/proj/node_modules/lib/index.js:3:1)
      at TestContext.&lt;anonymous> (/proj/test/math.test.js:9:10)
      at Test.run (node:internal/test_runner/test:796:25)
    </failure>
  </testcase>
</testsuites>
"""


def test_node_builtin_reporter_cases_sit_under_the_root_and_get_a_stack_location():
    report = parse_junit(NODE_REPORT, project="/proj")

    assert report.total == 2
    failing = next(c for c in report.cases if c.status is CaseStatus.FAILED)
    assert (failing.file, failing.line) == ("test/math.test.js", 9)


def test_stack_locations_are_not_guessed_without_the_project():
    failing = next(c for c in parse_junit(NODE_REPORT).cases if c.status is CaseStatus.FAILED)
    assert (failing.file, failing.line) == (None, None)
