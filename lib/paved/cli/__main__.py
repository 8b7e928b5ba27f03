"""`python -m paved.cli`."""

from paved.cli import main

main()
