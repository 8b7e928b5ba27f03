"""Running programs: the one process runner every adapter that starts a program uses."""
