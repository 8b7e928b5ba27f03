"""container-build: tags and labels, build and push, a digest verified against the registry."""
