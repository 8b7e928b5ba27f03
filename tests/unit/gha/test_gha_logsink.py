import io

from paved import log
from paved.gha.logsink import GhaLogSink, install_sink
from paved.log import LogSink


def fence_spans(lines):
    """(start, end) line indexes of each stop-commands fence."""
    spans = []
    index = 0
    while index < len(lines):
        if lines[index].startswith("::stop-commands::"):
            token = lines[index].removeprefix("::stop-commands::")
            end = lines.index(f"::{token}::", index)
            spans.append((index, end))
            index = end
        index += 1
    return spans


def test_has_every_log_sink_method():
    # mypy checks the signatures (install_sink passes a GhaLogSink to log.install).
    methods = {name for name in vars(LogSink) if not name.startswith("_")}
    assert methods
    assert all(callable(getattr(GhaLogSink, name, None)) for name in methods)


def test_plain_commands():
    out = io.StringIO()
    sink = GhaLogSink(out)
    sink.info("Installing")
    sink.debug("cache miss")
    sink.warning("slow: 10%\nsee log")
    assert out.getvalue().splitlines() == [
        "Installing",
        "::debug::cache miss",
        "::warning::slow: 10%25%0Asee log",
    ]


def test_tool_output_is_fenced_and_endgroup_comes_after_resume(commands_seen):
    out = io.StringIO()
    sink = GhaLogSink(out)
    sink.begin_section("pytest")
    sink.tool_output("collected 3 items")
    sink.tool_output("::error::x")
    sink.tool_output("  ::set-output name=a::b")
    sink.end_section()
    lines = out.getvalue().splitlines()
    [(start, end)] = fence_spans(lines)
    assert lines[0] == "::group::pytest"
    assert start == 1
    assert lines[start + 1 : end] == [
        "collected 3 items",
        "::error::x",
        "  ::set-output name=a::b",
    ]
    assert lines[end + 1 :] == ["::endgroup::"]
    assert commands_seen(out.getvalue()) == ["::group::pytest", "::endgroup::"]


def test_fence_closes_before_our_own_lines(commands_seen):
    out = io.StringIO()
    sink = GhaLogSink(out)
    sink.tool_output("::error::one")
    sink.warning("w")
    sink.tool_output("::error::two")
    sink.debug("d")
    sink.tool_output("three")
    sink.info("i")
    sink.tool_output("four")
    sink.begin_section("s")
    lines = out.getvalue().splitlines()
    assert len(fence_spans(lines)) == 4
    assert commands_seen(out.getvalue()) == ["::warning::w", "::debug::d", "::group::s"]
    assert "i" in lines


def test_each_fence_has_a_new_token():
    out = io.StringIO()
    sink = GhaLogSink(out)
    sink.tool_output("a")
    sink.info("b")
    sink.tool_output("c")
    sink.close()
    starts = [line for line in out.getvalue().splitlines() if "stop-commands" in line]
    assert len(set(starts)) == 2


def test_info_that_looks_like_a_command_is_fenced(commands_seen):
    out = io.StringIO()
    GhaLogSink(out).info("running test ::error::x\n  ::add-mask::y")
    assert commands_seen(out.getvalue()) == []
    assert "  ::add-mask::y" in out.getvalue().splitlines()


def test_close_and_context_manager_end_an_open_fence(commands_seen):
    out = io.StringIO()
    with GhaLogSink(out) as sink:
        sink.tool_output("::stop-commands::other")
    lines = out.getvalue().splitlines()
    assert fence_spans(lines) == [(0, 2)]
    sink.close()
    assert out.getvalue().splitlines() == lines


def test_install_sink_routes_paved_log(commands_seen):
    out = io.StringIO()
    before = log.current()
    try:
        sink = install_sink(out)
        with log.section("lint"):
            log.tool_output("::error::lint")
        sink.close()
    finally:
        log.install(before)
    assert commands_seen(out.getvalue()) == ["::group::lint", "::endgroup::"]
