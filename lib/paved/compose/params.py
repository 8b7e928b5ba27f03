"""compose's parameters, declared once (see paved.params)."""

from __future__ import annotations

from paved.params import Declaration, Flag, PathParam, Text

DEFAULT_REPOSITORY = "pavedhq/paved"

DECLARATION = Declaration(
    "compose",
    description="Write a team's pipeline workflow from its pipeline-config.yaml: jobs that "
    "call paved's reusable workflows in dependency order, minimal permissions per job, a "
    "GitHub environment and a concurrency group per deploy stage, the image digest handed "
    "to every deploy, the guard after production and DORA metrics at the end.",
    params=(
        PathParam(
            name="config",
            default="pipeline-config.yaml",
            action=False,
            help="The pipeline configuration (its JSON Schema: paved compose --schema).",
        ),
        PathParam(
            name="output",
            default=".github/workflows/main.yaml",
            action=False,
            help="The workflow to write; GitHub runs only files directly in .github/workflows/.",
        ),
        Flag(
            name="dry-run",
            action=False,
            help="Print the workflow instead of writing it.",
        ),
        Flag(
            name="check",
            action=False,
            help="Write nothing; exit 1 when the output file is not what the config produces "
            "(a CI drift check).",
        ),
        Text(
            name="ref",
            default="v1",
            action=False,
            help="The ref of paved's reusable workflows: a tag such as v1, or a commit SHA (40 "
            "hex digits) to pin them.",
        ),
        Text(
            name="repository",
            default=DEFAULT_REPOSITORY,
            action=False,
            metavar="OWNER/NAME",
            help="Where paved's reusable workflows live (a fork or a vendored copy).",
        ),
        Flag(
            name="schema",
            action=False,
            help="Print the JSON Schema of pipeline-config.yaml and exit.",
        ),
    ),
)
