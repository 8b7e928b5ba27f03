"""Running commands and reading files in the project under test."""

from paved.adapters.workspace.interface import Command, CommandResult, Workspace

__all__ = ["Command", "CommandResult", "Workspace"]
