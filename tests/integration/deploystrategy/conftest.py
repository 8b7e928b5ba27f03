"""deploy-strategy against real components: a private dockerd, a registry, Debian's HAProxy
(the fixtures `service_images` and `docker_host` are in tests/conftest.py, shared with
rollback-guard)."""
