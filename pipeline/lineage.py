"""OpenLineage for wiredesk's Airflow tasks: what each read and wrote, so lineage tools see the outlets' feeds
become raw documents, then articles, then stories in the warehouse.

The OpenLineage provider finds no lineage in a TaskFlow task by itself. This extractor gives it, for the tasks of
wiredesk's DAGs, once `[openlineage] extractors` names it (`make airflow` and docker-compose.yml set
`AIRFLOW__OPENLINEAGE__EXTRACTORS=pipeline.lineage.WiredeskExtractor`). Events go wherever the provider's transport
is configured: none configured, none sent. The Python tasks of other DAGs get no lineage from it.

Datasets are named as the OpenLineage naming conventions say: a warehouse table is `postgres://HOST:PORT` /
`DATABASE.wiredesk.TABLE`, a feed or a dump fetched over HTTP is `https://HOST` / `PATH`, a local dump `file` / `PATH`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from airflow.providers.openlineage.extractors.base import BaseExtractor, OperatorLineage
from openlineage.client.event_v2 import Dataset

from pipeline.settings import Settings
from pipeline.sources import load_sources
from pipeline.tasks import warehouse_url

SCHEMA = "wiredesk"
DAGS = ("wire_ingest", "wire_import")

TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # task id: (warehouse tables it reads, tables it writes)
    "fetch": (("raw_documents",), ("raw_documents", "articles", "rejects", "source_runs")),
    "import_dump": (("raw_documents",), ("raw_documents", "articles", "rejects", "source_runs")),
    "extract": (("raw_documents",), ("articles", "rejects")),
    "reextract": (("raw_documents",), ("articles", "rejects")),
    "dedupe": (("articles",), ("stories",)),
    "check": (("articles", "stories", "rejects", "source_runs"), ()),
    "publish": (("articles", "stories"), ("article_search",)),
}
"""What each task of wiredesk's DAGs reads and writes in the warehouse; its own inputs (feeds, dumps) come first."""


class WiredeskExtractor(BaseExtractor):
    """The inputs and outputs of wiredesk's TaskFlow tasks."""

    @classmethod
    def get_operator_classnames(cls) -> list[str]:
        """The operator `@task` makes."""
        return ["_PythonDecoratedOperator"]

    def _execute_extraction(self) -> OperatorLineage[Dataset, Any] | None:
        """The task's lineage as it starts (a dump's location is known once it ran)."""
        return self.extract_on_complete(None)

    def extract_on_complete(self, task_instance: Any) -> OperatorLineage[Dataset, Any] | None:
        """The task's lineage (its source's feeds, the dump its run was given, the tables); None for a task of
        another DAG."""
        dag_id, task_id = self.operator.dag_id, self.operator.task_id
        if dag_id not in DAGS or task_id not in TABLES:
            return None
        reads, writes = TABLES[task_id]
        own = list(self._own_inputs(task_instance))
        return OperatorLineage(inputs=own + _tables(reads), outputs=_tables(writes))

    def _own_inputs(self, task_instance: Any | None) -> Iterable[Dataset]:
        if self.operator.task_id == "fetch":
            slug = self.operator.op_kwargs.get("slug")
            source = load_sources(Settings.from_env().sources_path).get(str(slug))
            if source is not None:
                yield from map(location_dataset, (*source.feeds, *source.sitemaps, *source.listing_pages))
        elif self.operator.task_id == "import_dump" and task_instance is not None:
            params = task_instance.get_template_context().get("params") or {}
            if str(params.get("path") or "").strip():
                yield location_dataset(str(params["path"]).strip())


def location_dataset(location: str) -> Dataset:
    """The dataset of a URL (`https://HOST` / path) or of a local path (`file` / absolute path)."""
    parts = urlsplit(location)
    if parts.scheme in ("http", "https"):
        query = f"?{parts.query}" if parts.query else ""
        return Dataset(namespace=f"{parts.scheme}://{parts.netloc}", name=f"{parts.path or '/'}{query}")
    return Dataset(namespace="file", name=str(Path(location).expanduser().absolute()))


def _tables(names: Iterable[str]) -> list[Dataset]:
    url = warehouse_url()
    namespace = f"postgres://{url.host or 'localhost'}:{url.port or 5432}"
    return [Dataset(namespace=namespace, name=f"{url.database}.{SCHEMA}.{name}") for name in names]
