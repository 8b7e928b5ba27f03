"""Constants the container-build integration tests share with their conftest."""

SHA = "0123456789abcdef0123456789abcdef01234567"
"""The commit every integration build pretends to be at."""
