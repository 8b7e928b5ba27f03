"""Real components the test tiers start on loopback: a Docker engine, a registry, a base image.

Plain functions and context managers (no pytest inside), so every capability's conftest and
the benchmarks can use them. A component that cannot start raises ComponentError saying what
to install; callers turn that into a failing test, never a skip.
"""
