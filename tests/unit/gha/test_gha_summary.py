import io

import pytest
from paved.gha.summary import SummaryWritten, fit_summary, truncation_note, write_summary


@pytest.fixture
def summary_file(tmp_path):
    path = tmp_path / "summary"
    path.write_text("", encoding="utf-8")
    return path


def size(text):
    return len(text.encode("utf-8"))


def test_small_summary_is_written_whole(summary_file):
    written = write_summary("# Build\n\nall good", {"GITHUB_STEP_SUMMARY": str(summary_file)})
    assert written == SummaryWritten(bytes_written=size("# Build\n\nall good\n"), truncated=False)
    assert summary_file.read_text(encoding="utf-8") == "# Build\n\nall good\n"


def test_exactly_at_the_limit_is_not_truncated():
    markdown = "a" * 99  # plus the closing line break: 100 bytes
    assert fit_summary(markdown, 100) == (markdown, False)
    text, truncated = fit_summary(markdown + "b", 100)
    assert truncated
    assert size(text) + 1 <= 100


def test_truncation_cuts_at_a_line_boundary_and_adds_the_note(summary_file):
    lines = [f"| row {index} | ok |\n" for index in range(10_000)]
    markdown = "".join(lines)
    limit = 4096
    written = write_summary(markdown, {"GITHUB_STEP_SUMMARY": str(summary_file)}, limit_bytes=limit)
    content = summary_file.read_text(encoding="utf-8")
    assert written.truncated
    assert written.bytes_written == size(content) <= limit
    body, note = content.rstrip("\n").rsplit("\n\n", 1)
    assert note.startswith("> **Summary truncated**: showing ")
    assert f"of {size(markdown)} bytes" in note
    assert markdown.startswith(body + "\n")
    assert note == truncation_note(size(body) + 1, size(markdown))


def test_cut_never_splits_a_multibyte_character():
    # One long line of 3-byte characters, so the cut has to fall inside the line.
    markdown = "€" * 1000
    for limit in range(300, 320):
        text, truncated = fit_summary(markdown, limit)
        assert truncated
        assert size(text) + 1 <= limit
        text.encode("utf-8").decode("utf-8")
        kept = text.split("\n")[0]
        assert set(kept) == {"€"}


def test_multibyte_lines_stay_whole():
    markdown = "ü" * 10 + "\n" + "日本語" * 100 + "\n"
    text, truncated = fit_summary(markdown, 300)
    assert truncated
    assert text.startswith("ü" * 10 + "\n\n> **Summary truncated**")


def test_limit_too_small_for_the_note_writes_nothing(summary_file):
    written = write_summary("x" * 100, {"GITHUB_STEP_SUMMARY": str(summary_file)}, limit_bytes=50)
    assert written == SummaryWritten(bytes_written=0, truncated=True)
    assert summary_file.read_text(encoding="utf-8") == ""


def test_earlier_writes_count_against_the_limit(summary_file):
    summary_file.write_text("x" * 900, encoding="utf-8")
    environ = {"GITHUB_STEP_SUMMARY": str(summary_file)}
    written = write_summary("line\n" * 100, environ, limit_bytes=1200)
    assert written.truncated
    assert size(summary_file.read_text(encoding="utf-8")) <= 1200


def test_default_limit_is_one_mib(summary_file):
    markdown = "x" * 1023 + "\n"
    written = write_summary(markdown * 1100, {"GITHUB_STEP_SUMMARY": str(summary_file)})
    assert written.truncated
    assert summary_file.stat().st_size == written.bytes_written <= 1024 * 1024


def test_unset_summary_writes_nothing():
    out = io.StringIO()
    assert write_summary("# x", {}, out) == SummaryWritten(bytes_written=0, truncated=False)
    assert out.getvalue() == ""


def test_act_echoes_the_summary_inside_a_fence(summary_file, commands_seen):
    out = io.StringIO()
    environ = {"GITHUB_STEP_SUMMARY": str(summary_file), "ACT": "true"}
    write_summary("# Report\n::error::from a test name", environ, out)
    log = out.getvalue()
    assert "# Report" in log
    assert "::error::from a test name" in log
    assert commands_seen(log) == []
