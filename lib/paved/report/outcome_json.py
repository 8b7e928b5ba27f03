"""The JSON outcome every capability writes with --json: schema-versioned, documented in README."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from paved.model import Rendered

if TYPE_CHECKING:
    from collections.abc import Mapping

    from paved.model import Annotation, Result

SCHEMA_VERSION = 1


def dump(capability: str, fields: Mapping[str, object]) -> str:
    """The outcome document: `schema`, `capability`, then the capability's fields."""
    document: dict[str, object] = {
        "schema": f"paved/{capability}/v{SCHEMA_VERSION}",
        "capability": capability,
    }
    document.update(fields)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def outputs_from(fields: Mapping[str, object]) -> dict[str, str]:
    """Action outputs mirror the outcome's top-level scalar fields, named in kebab-case."""
    outputs: dict[str, str] = {}
    for name, value in fields.items():
        if isinstance(value, (dict, list, tuple)):
            continue
        key = name.replace("_", "-")
        if value is None:
            outputs[key] = ""
        elif isinstance(value, bool):
            outputs[key] = "true" if value else "false"
        else:
            outputs[key] = str(value)
    return outputs


def error_document(capability: str, error: Exception) -> str:
    """The outcome document for a run that stopped on an error."""
    code = getattr(error, "exit_code", 2)
    return dump(
        capability,
        {"result": "error", "exit_code": int(code), "error": {"message": str(error)}},
    )


RESULT_ICON = {"passed": "✅", "failed": "❌", "error": "⚠️"}
"""How a summary heading shows a result."""


def assemble(
    capability: str,
    result: Result,
    fields: Mapping[str, object],
    *,
    summary: str,
    console: str,
    annotations: tuple[Annotation, ...] = (),
) -> Rendered:
    """One capability's Rendered: outputs and JSON both come from the same `fields`."""
    return Rendered(
        result=result,
        exit_code=result.to_exit_code(),
        outputs=outputs_from(fields),
        summary_markdown=summary,
        console_text=console,
        json_document=dump(capability, fields),
        annotations=annotations,
    )
