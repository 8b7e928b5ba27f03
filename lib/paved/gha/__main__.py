"""`python -m paved.gha CAPABILITY`, as the actions' bootstrap runs it."""

import sys

from paved.gha.entry import main

sys.exit(main(sys.argv[1:]))
