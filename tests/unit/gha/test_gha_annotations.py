import io

from paved.gha.annotations import (
    MAX_ERRORS_PER_STEP,
    AnnotationTally,
    emit_annotations,
    plain_line,
)
from paved.model import Annotation, Level


def test_full_annotation_command():
    out = io.StringIO()
    annotation = Annotation(
        Level.ERROR,
        "expected 1\ngot 2 (100%)",
        title="test_a: failed, see log",
        file="src/a,b:c.py",
        line=12,
        end_line=12,
        column=5,
    )
    emit_annotations([annotation], out, {})
    assert out.getvalue() == (
        "::error file=src/a%2Cb%3Ac.py,line=12,endLine=12,col=5,"
        "title=test_a%3A failed%2C see log::expected 1%0Agot 2 (100%25)\n"
    )


def test_levels_and_missing_fields():
    out = io.StringIO()
    emit_annotations(
        [Annotation(Level.WARNING, "w", file="f.py"), Annotation(Level.NOTICE, "n")], out, {}
    )
    assert out.getvalue().splitlines() == ["::warning file=f.py::w", "::notice::n"]


def test_column_dropped_on_multi_line_span():
    out = io.StringIO()
    emit_annotations(
        [Annotation(Level.ERROR, "m", file="f", line=1, end_line=3, column=2)], out, {}
    )
    assert out.getvalue() == "::error file=f,line=1,endLine=3::m\n"


def test_fifteen_errors_emit_ten_and_drop_five(commands_seen):
    out = io.StringIO()
    errors = [Annotation(Level.ERROR, f"e{index}") for index in range(15)]
    warnings = [Annotation(Level.WARNING, "w")] * 3
    tally = emit_annotations(errors + warnings, out, {})
    assert MAX_ERRORS_PER_STEP == 10
    assert tally.emitted[Level.ERROR] == 10
    assert tally.dropped[Level.ERROR] == 5
    assert tally.emitted[Level.WARNING] == 3
    assert tally.dropped[Level.WARNING] == 0
    assert tally.emitted[Level.NOTICE] == 0
    assert tally.total_dropped() == 5
    assert tally.total_emitted() == 13
    seen = commands_seen(out.getvalue())
    assert seen[:10] == [f"::error::e{index}" for index in range(10)]
    assert len(seen) == 13


def test_empty_tally():
    tally = emit_annotations([], io.StringIO(), {})
    assert tally == AnnotationTally()
    assert tally.total_dropped() == 0


def test_plain_line():
    annotation = Annotation(Level.ERROR, "boom", file="path/to/file.py", line=12)
    assert plain_line(annotation) == "[error] path/to/file.py:12: boom"
    assert plain_line(Annotation(Level.NOTICE, "n", title="T")) == "[notice] T: n"


def test_act_prints_plain_lines_inside_a_fence(commands_seen):
    out = io.StringIO()
    annotations = [
        Annotation(Level.ERROR, "boom", file="path/to/file.py", line=12),
        Annotation(Level.WARNING, "::add-mask::a"),
    ]
    emit_annotations(annotations, out, {"ACT": "true"})
    log = out.getvalue()
    assert "[error] path/to/file.py:12: boom" in log
    assert "[warning] ::add-mask::a" in log
    assert commands_seen(log) == [
        "::error file=path/to/file.py,line=12::boom",
        "::warning::::add-mask::a",
    ]
