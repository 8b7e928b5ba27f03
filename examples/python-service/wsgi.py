"""WSGI entry point: `gunicorn wsgi:app`.

Run a single worker process (threads are fine): the request counters and the fault
accumulator live in the process, so several workers would each report and fault on
their own share of the traffic.
"""

from service import create_app

app = create_app()
