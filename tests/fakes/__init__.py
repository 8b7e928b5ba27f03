"""One fake per adapter interface, shared by every capability's unit tests.

Fakes subclass our own interfaces (paved.adapters.<kind>.interface) and hold only scripted
data: they stand in for I/O in tests of pure logic, never for a real server in integration
tests. A new capability's tests reuse these; a new interface gets its fake here.
"""
