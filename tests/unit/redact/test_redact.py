"""The run's secrets are masked in every form paved's writers may have turned them into."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from paved import redact
from paved.report.markdown import code, escape_cell, escape_text

SECRET = 'ghs_ab_cd*e[f]#g|h&i<j>"k\\l\u00e9'  # noqa: S105 - a planted test secret


@pytest.fixture(autouse=True)
def _registry():
    redact.forget_all()
    redact.add(SECRET)
    yield
    redact.forget_all()


@pytest.mark.parametrize(
    "written",
    [
        SECRET,
        escape_text(SECRET),
        escape_cell(SECRET),
        code(SECRET),
        json.dumps(SECRET),
        json.dumps(SECRET, ensure_ascii=False),
        json.dumps({"error": {"message": f"401: token {SECRET} is bad"}}),
        quote(SECRET, safe=""),
    ],
    ids=[
        "raw",
        "markdown-text",
        "markdown-cell",
        "code-span",
        "json",
        "json-utf8",
        "nested",
        "url",
    ],
)
def test_every_form_of_the_secret_is_masked(written):
    masked = redact.redact(f"before {written} after")
    assert "ghs_ab" not in masked
    assert "cd" not in masked.replace("before", "")
    assert masked.startswith("before ")
    assert masked.endswith(" after")


def test_text_without_secrets_is_untouched_and_short_values_are_not_registered():
    redact.add("abc")
    assert redact.redact("abc def ghs_ other") == "abc def ghs_ other"
    assert redact.known() == 1


def test_each_line_of_a_multiline_secret_is_masked_on_its_own():
    redact.add("first-line-secret\nsecond-line-secret")
    assert redact.redact("x second-line-secret y") == "x *** y"
