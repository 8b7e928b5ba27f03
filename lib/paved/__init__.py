"""paved: CI/CD as a platform service for GitHub Actions."""

__version__ = "0.1.0"
