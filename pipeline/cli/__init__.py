"""The `wiredesk` command line: one module per command group, each calling `pipeline.run` and nothing below it."""

from __future__ import annotations

import typer

from pipeline.cli import boilerplate, db, dedupe, demo, extract, imports, ingest

app = typer.Typer(help="Wire stories from news outlets into a PostgreSQL warehouse.", no_args_is_help=True)
app.add_typer(ingest.app)
app.add_typer(imports.app, name="import")
app.add_typer(extract.app)
app.add_typer(dedupe.app)
app.add_typer(demo.app)
app.add_typer(db.app, name="db")
app.add_typer(boilerplate.app, name="boilerplate")
