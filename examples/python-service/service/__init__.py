"""Example consumer service of paved: a small Flask API with metrics and a fault knob."""

from service.app import create_app
from service.settings import Settings

__all__ = ["Settings", "create_app"]
