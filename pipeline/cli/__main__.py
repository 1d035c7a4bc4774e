"""`python -m pipeline.cli`: the `wiredesk` command."""

import sys

from pipeline.cli import app

sys.exit(app())
