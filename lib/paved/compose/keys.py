"""The config's own keys (top level, stages, canary, the seed's spellings), declared like a
capability's parameters so that reading, errors and the JSON Schema come from one place.
Every task setting is a capability's declared parameter (paved.compose.tasks)."""

from __future__ import annotations

from paved.params import Flag, Integer, Number, PathParam, Text

NAME = Text(
    name="name",
    required=True,
    help="The application: the image's name and the app the deploys roll out.",
)
LANGUAGE_VERSION = Text(
    name="language-version",
    help="The Python version the project is built and tested with: build-and-test creates its "
    "venv with python<version> (which the runner must have).",
)
IMAGE_REGISTRY = Text(
    name="image-registry",
    help="Where the image goes, host[/path]: ghcr.io/myorg pushes ghcr.io/myorg/<name>.",
)
WORKING_DIRECTORY = PathParam(
    name="working-directory",
    default=".",
    help="The project directory: build-and-test and security-scan run there, and it is the "
    "image's build context.",
)
BRANCH = Text(
    name="branch",
    default="main",
    help="The branch whose pushes build the image, deploy and measure; pull requests only "
    "build, test and scan.",
)
TOP_LEVEL = (NAME, LANGUAGE_VERSION, IMAGE_REGISTRY, WORKING_DIRECTORY, BRANCH)
"""The top-level keys besides `language` (build-test's own), `stages` and the task blocks."""

STAGE_NAME = Text(
    name="name",
    required=True,
    help="The stage; a deploy stage's name is its job's id.",
)
ENVIRONMENT = Text(
    name="environment",
    help="The GitHub environment the stage deploys to (its approval rules and secrets apply).",
)
STAGE_APP = Text(
    name="app",
    help="The app's name on this stage's target (default: the config's name); give staging "
    "its own when staging and production share one Docker host or namespace.",
)

INITIAL_WEIGHT = Integer(
    name="initial-weight",
    minimum=1,
    maximum=100,
    default="10",
    help="Percent of traffic on the canary at the first step; each step adds as much.",
)
MAX_WEIGHT = Integer(
    name="max-weight",
    minimum=1,
    maximum=100,
    default="100",
    help="The largest canary weight analysed before all traffic moves to it.",
)
INTERVAL_MINUTES = Number(
    name="interval-minutes",
    minimum=0,
    maximum=1440,
    default="5",
    help="Minutes each canary step is analysed before the next.",
)
CANARY = (INITIAL_WEIGHT, MAX_WEIGHT, INTERVAL_MINUTES)
"""The seed's canary block, read as Flagger reads stepWeight and maxWeight."""

PYTHON_VERSION = Text(
    name="python-version",
    help="The seed's spelling of language-version.",
)
CUSTOM_BUILD = Text(
    name="custom-build",
    help="The seed's custom build command (e.g. poetry build): run in the image's build "
    "context before the image is built (container-build's prepare-command).",
)
SEED_BUILD = (PYTHON_VERSION, CUSTOM_BUILD)
"""Keys of the seed's `build:` block that are not build-test parameters."""

SCAN_CONTAINER = Flag(
    name="scan-container",
    default="false",
    help="Also scan the built image (Trivy, which the runner must have) before any deploy.",
)
SCAN_DEPENDENCIES = Flag(
    name="scan-dependencies",
    default="true",
    help="Audit the dependencies (false leaves the dependencies scanner out of scanners).",
)
SEED_SECURITY = (SCAN_CONTAINER, SCAN_DEPENDENCIES)
"""Keys of the seed's `security:` block that are not security-scan parameters."""

SEED_KEYS = {"build-and-test": SEED_BUILD, "security-scan": SEED_SECURITY}
"""The seed's extra keys, by the task whose block holds them."""
