"""Judging a smoke check's response: status and JSON body assertions. Pure; the code is in
paved.adapters.smoke.interface, shared with rollback-guard."""

from paved.adapters.smoke.interface import SmokeResult, judge

__all__ = ["SmokeResult", "judge"]
