"""The one error a harness component raises when it cannot start."""


class ComponentError(RuntimeError):
    """A real component could not start; the message says what to install or fix."""
