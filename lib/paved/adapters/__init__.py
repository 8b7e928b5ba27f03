"""I/O behind interfaces: one subpackage per kind, the interface beside its backends."""
