"""Load throughput: wiredesk's real load path against a raw COPY into the same tables, in one run.

    python benchmarks/load.py [--articles 50000] [--batch-size 1000]

Prints both rates and their ratio (target: >= 0.8), the rate of the full-text search indexing that follows a
load (kept out of the load so its GIN index does not slow it), then the text extractor's throughput in docs/s on
one core (target: >= 2,000). Uses a scratch database created next to WIREDESK_BENCH_ADMIN_URL (default: the local
Postgres on 127.0.0.1:5432) and drops it afterwards.
"""

from __future__ import annotations

import argparse
import io
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import psycopg2
import sqlalchemy as sa
from rich.progress import Progress

from pipeline.extract.document import TEXT_EXTRACTOR, extract_article
from pipeline.load import db
from pipeline.load.copy import copy_rows
from pipeline.load.runs import start_run, sync_sources
from pipeline.load.search import index_search
from pipeline.load.warehouse import Batch, article_row, load_batch, raw_document_row
from pipeline.record import Article, RawDocument
from pipeline.resources import resource_dir
from pipeline.sources import Source, load_sources

ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
SAMPLE = resource_dir("samples") / "peninsula-2022-01-22-us-russia-ukraine.txt"


def synthetic_batches(count: int, batch_size: int, seed: int = 7) -> list[Batch]:
    """`count` distinct articles of ~4 KB built from the sample's words, with their raw documents."""
    words = SAMPLE.read_text(encoding="utf-8").split()
    rng = random.Random(seed)
    start = datetime(2022, 1, 1, tzinfo=UTC)
    batches: list[Batch] = []
    for first in range(0, count, batch_size):
        batch = Batch()
        for n in range(first, min(first + batch_size, count)):
            body = tuple(" ".join(rng.choices(words, k=60)) for _ in range(11))
            url = f"https://gulf-times.com/story/{n}"
            document = RawDocument("gulf-times", url, "\n".join(body).encode(), "text/plain", start, url=url)
            batch.documents.append(document)
            batch.articles.append(_article(n, url, body, document, start + timedelta(minutes=n)))
            batch.read += 1
        batches.append(batch)
    return batches


def _article(n: int, url: str, body: tuple[str, ...], document: RawDocument, published: datetime) -> Article:
    return Article(
        source="gulf-times",
        url=url,
        canonical_url=url,
        title=f"Story number {n}",
        body=body,
        authors=("Staff Writer Name",),
        agencies=("AFP", "Reuters")[: 1 + n % 2],
        dateline="Doha",
        published_at=published,
        language="en",
        raw_sha256=document.sha256,
        extractor=TEXT_EXTRACTOR,
    )


@contextmanager
def scratch_engine(admin_url: str) -> Iterator[sa.Engine]:
    """A migrated engine on a database that exists only for this benchmark."""
    name = f"wiredesk_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(sa.make_url(admin_url).set(drivername="postgresql").render_as_string(False))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    engine = db.create_engine(sa.make_url(admin_url).set(database=name))
    try:
        db.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


def reset(engine: sa.Engine, sources: dict[str, Source]) -> int:
    """Empty the warehouse and start a run to load into."""
    with engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE articles, rejects, raw_documents, ingest_runs RESTART IDENTITY CASCADE")
    sync_sources(engine, sources.values())
    return start_run(engine, "benchmark", [])


def time_wiredesk(engine: sa.Engine, run_id: int, batches: list[Batch], progress: Progress) -> float:
    """Seconds to load every batch through `load_batch`."""
    task = progress.add_task("wiredesk load path", total=len(batches))
    started = time.perf_counter()
    for batch in batches:
        load_batch(engine, run_id, batch)
        progress.advance(task)
    return time.perf_counter() - started


def time_raw_copy(engine: sa.Engine, run_id: int, batches: list[Batch], progress: Progress) -> float:
    """Seconds to COPY the same rows straight into raw_documents and articles, one transaction per batch."""
    task = progress.add_task("raw COPY baseline", total=len(batches))
    next_raw_id = 1
    started = time.perf_counter()
    connection = engine.raw_connection()
    try:
        for batch in batches:
            raw_rows = [(*raw_document_row(document), run_id) for document in batch.documents]
            article_rows = []
            for offset, article in enumerate(batch.articles):
                row = article_row(0, article)
                # Same columns the merge writes, with the raw document's id the identity column will give it.
                article_rows.append((*row[1:14], next_raw_id + offset, row[15], run_id, run_id))
            next_raw_id += len(batch.documents)
            with closing(connection.cursor()) as cursor:
                cursor.copy_expert(RAW_COPY, io.StringIO(copy_rows(raw_rows)))
                cursor.copy_expert(ARTICLE_COPY, io.StringIO(copy_rows(article_rows)))
            connection.commit()
            progress.advance(task)
    finally:
        connection.close()
    return time.perf_counter() - started


def time_search_index(engine: sa.Engine, articles: int, progress: Progress) -> float:
    """Seconds to build the full-text search documents of the loaded articles (a separate step after loading)."""
    task = progress.add_task("search index", total=articles)
    started = time.perf_counter()
    index_search(engine, on_progress=lambda done: progress.advance(task, done))
    return time.perf_counter() - started


RAW_COPY = (
    "COPY raw_documents (sha256, source, url, origin, media_type, fetched_at, size_bytes, payload, final_url, "
    "http_status, etag, last_modified, content_type, encoding, redirects, first_run_id) FROM STDIN"
)
ARTICLE_COPY = (
    "COPY articles (key, source, url, canonical_url, title, body, word_count, authors, agencies, dateline, "
    "published_at, language, content_hash, raw_document_id, extractor, first_run_id, last_run_id) FROM STDIN"
)


def extraction_rate(source: Source, seconds: float = 3.0) -> float:
    """Scraped-text pages extracted per second on one core."""
    payload = SAMPLE.read_bytes()
    document = RawDocument(source.slug, str(SAMPLE), payload, "text/plain", datetime.now(UTC))
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(100):
            extract_article(replace(document), source)
        done += 100
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args()
    sources = load_sources(resource_dir("config") / "sources.toml")
    batches = synthetic_batches(args.articles, args.batch_size)
    size = sum(len(a.text) for b in batches for a in b.articles) / args.articles
    print(f"{args.articles} articles, mean body {size / 1024:.1f} KB, batches of {args.batch_size}")
    with scratch_engine(args.admin_url) as engine, Progress(transient=True) as progress:
        baseline = time_raw_copy(engine, reset(engine, sources), batches, progress)
        wiredesk = time_wiredesk(engine, reset(engine, sources), batches, progress)
        searching = time_search_index(engine, args.articles, progress)
    copy_rate, load_rate = args.articles / baseline, args.articles / wiredesk
    print(f"raw COPY baseline : {copy_rate:8.0f} articles/s")
    print(f"wiredesk load path: {load_rate:8.0f} articles/s")
    print(f"ratio             : {load_rate / copy_rate:8.2f}  (target >= 0.80)")
    print(f"search index      : {args.articles / searching:8.0f} articles/s, built after the load, outside it")
    rate = extraction_rate(sources["peninsula"])
    print(f"text extraction   : {rate:8.0f} docs/s on one core  (target >= 2,000)")


if __name__ == "__main__":
    main()
