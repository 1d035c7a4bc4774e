"""`wiredesk db`: create, upgrade, describe and reach the warehouse database.

The commands borrow the main CLI's engine and error handling; they import it when they run, because the main CLI
imports this module to register them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pipeline.load import db
from pipeline.load.catalog import grant_reader, schema_markdown
from pipeline.load.stories import delete_source_articles
from pipeline.settings import Settings

db_app = typer.Typer(help="The warehouse database.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the warehouse schema."""
    from pipeline.cli import _engine, _failing_cleanly, _list, err

    settings = Settings.from_env()
    with _failing_cleanly():
        engine = _engine(settings)
        applied = db.upgrade(engine)
    err.print(f"warehouse {escape(db.describe(engine.url))}: applied {len(applied)} migration(s){_list(applied)}")


@db_app.command("url")
def db_url(
    airflow: Annotated[
        bool, typer.Option("--airflow", help="Print it as an Airflow connection (AIRFLOW_CONN_WIREDESK_WAREHOUSE).")
    ] = False,
) -> None:
    """Print the warehouse URL, usable as `psql "$(wiredesk db url)"`."""
    from pipeline.cli import _failing_cleanly

    with _failing_cleanly():
        url = db.warehouse_url(Settings.from_env())
    print(db.airflow_connection_json(url) if airflow else url.set(drivername="postgresql").render_as_string(False))


@db_app.command("grant-reader")
def db_grant_reader(
    role: Annotated[str, typer.Argument(help="Name of the role to create or grant.")],
    login: Annotated[bool, typer.Option("--login", help="Let the role log in (set its password yourself).")] = False,
) -> None:
    """Create a read-only role that can SELECT the warehouse's tables and views, and nothing else."""
    from pipeline.cli import _engine, _failing_cleanly, err

    with _failing_cleanly():
        created = grant_reader(_engine(Settings.from_env()), role, login)
    err.print(f"role {escape(role)} {'created' if created else 'already existed'}; read-only access granted")


@db_app.command("docs")
def db_docs(
    output: Annotated[Path, typer.Option("--output", help="Where to write the data dictionary.")] = Path(
        "docs/schema.md"
    ),
) -> None:
    """Write the data dictionary (every table, view and column with its comment) as Markdown."""
    from pipeline.cli import _current_warehouse, _failing_cleanly, err

    with _failing_cleanly():
        engine = _current_warehouse(Settings.from_env())
        text = schema_markdown(engine)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote {escape(str(output))}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded Postgres (when WIREDESK_DATABASE_URL is not set)."""
    from pipeline.cli import err

    settings = Settings.from_env()
    stopped = db.stop_embedded_server(settings.data_dir)
    err.print("embedded Postgres stopped" if stopped else "embedded Postgres was not running")


@db_app.command("delete-source")
def db_delete_source(slug: Annotated[str, typer.Argument(help="Source slug whose articles to delete.")]) -> None:
    """Delete a source's articles and take them out of their stories."""
    from pipeline.cli import _current_warehouse, _failing_cleanly, err

    settings = Settings.from_env()
    with _failing_cleanly():
        engine = _current_warehouse(settings)
        deleted = delete_source_articles(engine, slug)
    err.print(f"deleted {deleted} article(s) of {escape(slug)}")
