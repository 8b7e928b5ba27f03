"""advisories' parameters, declared once (see paved.params)."""

from __future__ import annotations

from paved.adapters.scanners.interface import OSV_PYPI_ZIP
from paved.params import Choice, Declaration, PathParam, Text
from paved.securityscan.advisorydb import DEFAULT_MAX_AGE, MaxAge

OPERATIONS = ("show", "update", "import")

DECLARATION = Declaration(
    "advisories",
    description="Keep the OSV PyPI database that `security-scan --osv-database` audits "
    "against (air-gapped runners): update downloads OSV's PyPI export, import takes a zip or "
    "folder brought in by hand, show reports what the database holds and its age. Exit 0 "
    "usable, 1 older than max-age, 2 not an OSV PyPI database, 3 the download failed.",
    params=(
        Choice(
            name="operation",
            choices=OPERATIONS,
            default="show",
            positional=True,
            metavar="OPERATION",
            help="show, update (download, needs network) or import (a zip or folder).",
        ),
        PathParam(
            name="source",
            allow_outside=True,
            positional=True,
            metavar="SOURCE",
            help="For import: OSV's PyPI all.zip, or the PyPA advisory database (a checkout or "
            "a zip of one), relative to the workspace.",
        ),
        Text(
            name="url",
            default=OSV_PYPI_ZIP,
            help="For update: the zip to download (https; plain http only from a loopback mirror).",
        ),
        PathParam(
            name="database",
            allow_outside=True,
            help="The database folder. Empty means ~/.cache/paved/advisories/osv-pypi "
            "(PAVED_CACHE_DIR or XDG_CACHE_HOME move it).",
        ),
        MaxAge(
            name="max-age",
            default=str(DEFAULT_MAX_AGE.days),
            help="Days the newest record may be old before the step fails, or any for no limit.",
        ),
    ),
)
