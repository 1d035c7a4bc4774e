"""`wiredesk db`: create, upgrade, describe and reach the warehouse database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pipeline import run
from pipeline.cli.common import current_warehouse, err, failing_cleanly, listed, warehouse
from pipeline.settings import Settings

app = typer.Typer(help="The warehouse database.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the warehouse schema."""
    settings = Settings.from_env()
    with failing_cleanly():
        engine = warehouse(settings)
        applied = run.upgrade(engine)
    err.print(f"warehouse {escape(run.describe(engine.url))}: applied {len(applied)} migration(s){listed(applied)}")


@app.command("url")
def db_url(
    airflow: Annotated[
        bool, typer.Option("--airflow", help="Print it as an Airflow connection (AIRFLOW_CONN_WIREDESK_WAREHOUSE).")
    ] = False,
) -> None:
    """Print the warehouse URL, usable as `psql "$(wiredesk db url)"`."""
    with failing_cleanly():
        url = run.warehouse_url(Settings.from_env())
    print(run.airflow_connection_json(url) if airflow else url.set(drivername="postgresql").render_as_string(False))


@app.command("grant-reader")
def db_grant_reader(
    role: Annotated[str, typer.Argument(help="Name of the role to create or grant.")],
    login: Annotated[bool, typer.Option("--login", help="Let the role log in (set its password yourself).")] = False,
) -> None:
    """Create a read-only role that can SELECT the warehouse's tables and views, and nothing else."""
    with failing_cleanly():
        created = run.grant_reader(warehouse(Settings.from_env()), role, login)
    err.print(f"role {escape(role)} {'created' if created else 'already existed'}; read-only access granted")


@app.command("docs")
def db_docs(
    output: Annotated[Path, typer.Option("--output", help="Where to write the data dictionary.")] = Path(
        "docs/schema.md"
    ),
) -> None:
    """Write the data dictionary (every table, view and column with its comment) as Markdown."""
    with failing_cleanly():
        engine = current_warehouse(Settings.from_env())
        text = run.schema_markdown(engine)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote {escape(str(output))}")


@app.command("stop")
def db_stop() -> None:
    """Stop the embedded Postgres (when WIREDESK_DATABASE_URL is not set)."""
    settings = Settings.from_env()
    stopped = run.stop_embedded_server(settings.data_dir)
    err.print("embedded Postgres stopped" if stopped else "embedded Postgres was not running")


@app.command("delete-source")
def db_delete_source(slug: Annotated[str, typer.Argument(help="Source slug whose articles to delete.")]) -> None:
    """Delete a source's articles and take them out of their stories."""
    settings = Settings.from_env()
    with failing_cleanly():
        engine = current_warehouse(settings)
        deleted = run.delete_source_articles(engine, slug)
    err.print(f"deleted {deleted} article(s) of {escape(slug)}")
