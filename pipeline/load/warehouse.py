"""Write a batch to the warehouse: COPY into staging tables, then one merge per table, in one transaction."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

import psycopg2
import sqlalchemy as sa

from pipeline.errors import TransientError
from pipeline.load.copy import CopyValue, copy_rows
from pipeline.load.counts import Counts
from pipeline.load.db import sql_file
from pipeline.record import Article, Fate, Outcome, RawDocument, Reject


@dataclass(slots=True)
class Batch:
    """What one batch of inputs became: the raw documents read, and for each an article or a reject."""

    documents: list[RawDocument] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    read: int = 0
    """Inputs read into this batch; each became an article, a reject, or was found unchanged."""
    unchanged: int = 0
    """Inputs the source says have not changed since they were stored (nothing to load)."""
    stored: int = 0
    """Inputs kept as raw documents only, not extracted (fetch --fetch-only)."""
    skipped: int = 0
    """Archived inputs the warehouse held already, passed over (import); not counted in `read`."""

    def add(self, outcome: Outcome) -> None:
        """Count `outcome` in the batch, keeping its raw document and its article or reject."""
        if outcome.document is not None:
            self.documents.append(outcome.document)
        if outcome.article is not None:
            self.articles.append(outcome.article)
        if outcome.reject is not None:
            self.rejects.append(outcome.reject)
        self.unchanged += outcome.fate is Fate.UNCHANGED
        self.stored += outcome.fate is Fate.READ
        # A skipped input is not read, as a URL fetch does not download is not: ingest_runs counts it apart.
        self.skipped += outcome.fate is Fate.SKIPPED
        self.read += outcome.fate is not Fate.SKIPPED

    @property
    def size(self) -> int:
        """Inputs in the batch, read or skipped."""
        return self.read + self.skipped

    @property
    def extracted(self) -> bool:
        """Whether the batch's raw documents went through extraction (False for documents stored only)."""
        return self.stored < len(self.documents) or not self.documents


@dataclass(frozen=True, slots=True)
class LoadCounts(Counts):
    """What a load did: inputs read, articles new/updated/unchanged, inputs rejected, stored or skipped."""

    read: int = 0
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    stored: int = 0
    skipped: int = 0

    def summary(self) -> str:
        """One line for people: `read 3 · new 2 · updated 0 · unchanged 0 · rejected 1`."""
        line = (
            f"read {self.read} · new {self.loaded} · updated {self.updated} · "
            f"unchanged {self.unchanged} · rejected {self.rejected}"
        )
        line = f"{line} · stored unextracted {self.stored}" if self.stored else line
        return f"{line} · skipped as stored {self.skipped}" if self.skipped else line


def load_batch(engine: sa.Engine, run_id: int, batch: Batch) -> LoadCounts:
    """Load `batch` and add its counts to the run, in one transaction: all of it lands, or none.

    When the database refuses a row (a value its constraints reject), the batch is loaded again one input at a
    time, so only the inputs it refuses become rejects (stage `load`) and the rest lands.
    """
    try:
        return _load_in_one_transaction(engine, run_id, batch)
    except (psycopg2.DataError, psycopg2.IntegrityError):
        return _load_one_by_one(engine, run_id, batch)


def _load_one_by_one(engine: sa.Engine, run_id: int, batch: Batch) -> LoadCounts:
    documents = {document.sha256: document for document in batch.documents}
    rejected_documents = [documents[r.raw_sha256] for r in batch.rejects if r.raw_sha256 in documents]
    counts = _load_in_one_transaction(engine, run_id, Batch(rejected_documents, [], batch.rejects, len(batch.rejects)))
    for article in batch.articles:
        document = documents[article.raw_sha256]
        try:
            counts += _load_in_one_transaction(engine, run_id, Batch([document], [article], [], 1))
        except (psycopg2.DataError, psycopg2.IntegrityError) as error:
            reason = (error.diag.message_primary or str(error)).strip()
            reject = Reject(
                article.source, document.origin, "load", "refused-by-database", f"{document.origin}: {reason}"
            )
            counts += _load_in_one_transaction(engine, run_id, Batch([], [], [reject], 1))
    return counts


def _load_in_one_transaction(engine: sa.Engine, run_id: int, batch: Batch) -> LoadCounts:
    connection = engine.raw_connection()
    try:
        with closing(connection.cursor()) as cursor:
            counts = _load(cursor, run_id, batch)
        connection.commit()
        return counts
    except psycopg2.OperationalError as error:
        raise TransientError(f"the warehouse connection failed during a batch load: {error}") from error
    finally:
        connection.close()


def _load(cursor: Any, run_id: int, batch: Batch) -> LoadCounts:
    params = {"run_id": run_id, "extracted": batch.extracted}
    cursor.execute(sql_file("load/stage.sql"))
    _copy(cursor, "stage_raw_documents", (raw_document_row(document) for document in batch.documents))
    _copy(cursor, "stage_articles", (article_row(i, article) for i, article in enumerate(batch.articles)))
    _copy(cursor, "stage_rejects", (_reject_row(reject) for reject in batch.rejects))
    cursor.execute(sql_file("load/merge_raw_documents.sql"), params)
    cursor.execute(sql_file("load/merge_articles.sql"), params)
    inserted = [row[0] for row in cursor.fetchall()]
    cursor.execute(sql_file("load/merge_rejects.sql"), params)
    loaded = sum(inserted)
    counts = LoadCounts(
        read=batch.read,
        loaded=loaded,
        updated=len(inserted) - loaded,
        unchanged=len(batch.articles) - len(inserted) + batch.unchanged,
        rejected=len(batch.rejects),
        stored=batch.stored,
        skipped=batch.skipped,
    )
    cursor.execute(sql_file("load/add_run_counts.sql"), counts.run_params(run_id))
    return counts


def _copy(cursor: Any, table: str, rows: Iterable[Sequence[CopyValue]]) -> None:
    cursor.copy_expert(f"COPY {table} FROM STDIN", io.StringIO(copy_rows(rows)))


def raw_document_row(document: RawDocument) -> tuple[CopyValue, ...]:
    """The staging row of a raw document, payload gzip-compressed."""
    http = document.http
    return (
        document.sha256,
        document.source,
        document.url,
        document.origin,
        document.media_type,
        document.fetched_at,
        len(document.payload),
        gzip.compress(document.payload, compresslevel=6, mtime=0),
        http.final_url if http else None,
        http.status if http else None,
        http.etag if http else None,
        http.last_modified if http else None,
        http.content_type if http else None,
        document.encoding,
        http.redirects if http else (),
    )


def article_row(ordinal: int, article: Article) -> tuple[CopyValue, ...]:
    """The staging row of an article; `ordinal` orders copies of one key within a batch."""
    return (
        ordinal,
        article.key,
        article.source,
        article.url,
        article.canonical_url,
        article.title,
        article.text,
        article.word_count,
        article.authors,
        article.agencies,
        article.dateline,
        article.published_at,
        article.language,
        article.content_hash,
        article.raw_sha256,
        article.extractor,
        article.modified_at,
        article.published_offset_minutes,
        article.publisher,
        article.credits,
    )


def _reject_row(reject: Reject) -> tuple[CopyValue, ...]:
    return (reject.source, reject.origin, reject.stage, reject.reason, reject.detail, reject.raw_sha256)


def stored_documents(
    engine: sa.Engine, source: str | None = None, *, unextracted: bool = False
) -> Iterator[RawDocument]:
    """The stored raw documents (all, or one source's; with `unextracted`, only those never extracted), streamed
    from a server-side cursor, oldest first."""
    with engine.connect() as connection:
        rows = connection.execution_options(yield_per=500).exec_driver_sql(
            sql_file("load/stored_documents.sql"), {"source": source, "unextracted": unextracted}
        )
        for slug, origin, payload, media_type, fetched_at, url, encoding in rows:
            yield RawDocument(slug, origin, gzip.decompress(bytes(payload)), media_type, fetched_at, url, encoding)
