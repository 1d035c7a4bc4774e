"""Compose the stages: read inputs, extract articles, load them in batches, and record the run."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from pipeline.dedupe.params import DedupeParams
from pipeline.errors import RejectedInput
from pipeline.extract.boilerplate import Boilerplate, LearnedLine, LearnParams, SamplePage, learn_lines
from pipeline.extract.document import extract_article, extract_page
from pipeline.fetch.files import InputOptions, expand_paths, read_documents
from pipeline.fetch.http import FetchPolicy, PoliteClient
from pipeline.fetch.web import Window, discover, download, new_urls
from pipeline.load.boilerplate import learned_boilerplate, recent_documents, store_learned
from pipeline.load.runs import (
    Scheduled,
    add_fetch_counts,
    finish_run,
    start_run,
    stored_payloads,
    stored_urls,
    stored_validators,
    sync_sources,
)
from pipeline.load.search import index_search
from pipeline.load.stories import DedupeCounts, dedupe_pending
from pipeline.load.summaries import refresh_summaries
from pipeline.load.warehouse import Batch, LoadCounts, load_batch, stored_documents
from pipeline.record import Article, RawDocument, Reject, Stored, Unchanged
from pipeline.sources import Source, allowed_hosts
from pipeline.urls import canonical_url

DEFAULT_BATCH_SIZE = 1000


@dataclass(frozen=True, slots=True)
class RunResult:
    """The run's id in `ingest_runs` and its counts."""

    run_id: int
    counts: LoadCounts
    stories: DedupeCounts = field(default_factory=DedupeCounts)

    def summary(self) -> str:
        """One line for people: the run, what its load did, and what dedupe did."""
        return f"run {self.run_id}: {self.counts.summary()} · stories: {self.stories.summary()}"


def extract_all(
    items: Iterable[RawDocument | Reject | Unchanged | Stored],
    sources: Mapping[str, Source],
    boilerplate: Mapping[str, Boilerplate] | None = None,
) -> Iterator[tuple[RawDocument | None, Article | Reject | Unchanged | Stored]]:
    """Each read input paired with its article or reject (the raw document is None when nothing was read), with
    each source's learned `boilerplate` removed from the bodies."""
    learned = boilerplate or {}
    for item in items:
        if isinstance(item, Reject | Unchanged | Stored):
            yield None, item
            continue
        source = sources.get(item.source)
        if source is None:
            # A stored document of a source since removed from the sources file.
            detail = f"{item.origin}: source {item.source!r} is not in the sources file"
            yield item, Reject(None, item.origin, "extract", "unknown-source", detail, item.sha256)
            continue
        try:
            yield item, extract_article(item, source, learned.get(item.source))
        except RejectedInput as error:
            yield item, Reject(item.source, item.origin, "extract", error.reason, error.detail, item.sha256)


def ingest(
    engine: sa.Engine,
    paths: list[Path],
    sources: Mapping[str, Source],
    options: InputOptions | None = None,
    *,
    command: str = "ingest",
    batch_size: int = DEFAULT_BATCH_SIZE,
    params: DedupeParams | None = None,
    scheduled: Scheduled | None = None,
    on_progress: Callable[[], None] = lambda: None,
    skip_stored: bool = False,
) -> RunResult:
    """Load the articles in `paths` (files or folders), place them in stories and index them for search, as
    one recorded run.

    Bad inputs become rejects and the rest goes on. With `skip_stored` (archive imports), an input whose
    payload the warehouse holds already under the same URL is passed over and counted skipped, so a rerun
    after an interrupted import does only the rest.
    """
    sync_sources(engine, sources.values())
    run_id = start_run(engine, command, [str(path) for path in paths], scheduled)
    items: Iterable[RawDocument | Reject | Stored] = read_documents(
        expand_paths(paths), sources, options or InputOptions()
    )
    if skip_stored:
        items = passing_over_stored(engine, items, batch_size)
    return _load_run(engine, run_id, items, sources, batch_size, params, on_progress)


def passing_over_stored(
    engine: sa.Engine, items: Iterable[RawDocument | Reject | Stored], size: int
) -> Iterator[RawDocument | Reject | Stored]:
    """The inputs in order, each raw document the warehouse holds already (same sha256 and canonical URL)
    replaced by `Stored`; the warehouse is asked once per `size` inputs."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        hashes = [item.sha256 for item in chunk if isinstance(item, RawDocument)]
        known = {(sha256, _url_key(url)) for sha256, url in stored_payloads(engine, hashes)} if hashes else set()
        for item in chunk:
            if isinstance(item, RawDocument) and (item.sha256, _url_key(item.url)) in known:
                yield Stored(item.source, item.origin)
            else:
                yield item


def _url_key(url: str | None) -> str | None:
    return (canonical_url(url) or url) if url else None


def fetch(
    engine: sa.Engine,
    sources: Mapping[str, Source],
    selected: Sequence[str],
    window: Window | None = None,
    *,
    feed: str | None = None,
    refresh: bool = False,
    fetch_only: bool = False,
    then_dedupe: bool = True,
    policy: FetchPolicy | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    params: DedupeParams | None = None,
    scheduled: Scheduled | None = None,
    on_progress: Callable[[], None] = lambda: None,
) -> RunResult:
    """Fetch the new articles the selected sources' feeds and sitemaps list (or one `feed`), then extract, load,
    place in stories and index them, as one recorded run.

    URLs the warehouse has already are not downloaded; with `refresh`, they are asked for again with the stored
    ETag and Last-Modified, and a page that has not changed (304, or the same body) is counted unchanged.
    With `fetch_only`, pages are stored as raw documents and not extracted (`reextract` does that later). Without
    `then_dedupe`, the articles wait for `dedupe` and `publish`.
    """
    sync_sources(engine, sources.values())
    run_id = start_run(engine, "fetch", [feed] if feed else list(selected), scheduled)
    policy = policy or FetchPolicy.from_env(base=FetchPolicy(allowed_hosts=allowed_hosts(sources.values())))
    with PoliteClient(policy) as client:
        chosen = [sources[slug] for slug in selected]
        items = _fetched_items(engine, run_id, client, chosen, window or Window(), feed, refresh)
        return _load_run(
            engine, run_id, items, sources, batch_size, params, on_progress, extract=not fetch_only,
            then_dedupe=then_dedupe,
        )  # fmt: skip


def reextract(
    engine: sa.Engine,
    sources: Mapping[str, Source],
    source: str | None = None,
    *,
    unextracted: bool = False,
    then_dedupe: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    params: DedupeParams | None = None,
    scheduled: Scheduled | None = None,
    on_progress: Callable[[], None] = lambda: None,
) -> RunResult:
    """Extract the stored raw documents again (all, or one source's) and load what comes out, as one run: for
    pages stored with --fetch-only, and after the extractor improves.

    With `unextracted`, only documents no run has extracted yet are read. Without `then_dedupe`, the new articles
    wait for `dedupe` and `publish` instead of being placed in stories and indexed by this run.
    """
    sync_sources(engine, sources.values())
    inputs = [source] if source else []
    run_id = start_run(engine, "extract" if unextracted else "reextract", inputs, scheduled)
    documents = stored_documents(engine, source, unextracted=unextracted)
    return _load_run(engine, run_id, documents, sources, batch_size, params, on_progress, then_dedupe=then_dedupe)


def _fetched_items(
    engine: sa.Engine,
    run_id: int,
    client: PoliteClient,
    selected: Sequence[Source],
    window: Window,
    feed: str | None,
    refresh: bool,
) -> Iterator[RawDocument | Reject | Unchanged]:
    for source in selected:
        found = discover(client, source, window, [feed] if feed else None)
        yield from found.rejects
        listed = [listing.url for listing in found.listings]
        urls = listed if refresh else new_urls(found.listings, lambda urls, keys: stored_urls(engine, urls, keys))
        add_fetch_counts(engine, run_id, listed=len(listed), skipped=len(listed) - len(urls))
        known = stored_validators(engine, urls) if refresh else {}
        yield from download(client, source, [(url, known.get(url)) for url in urls])


def _load_run(
    engine: sa.Engine,
    run_id: int,
    items: Iterable[RawDocument | Reject | Unchanged | Stored],
    sources: Mapping[str, Source],
    batch_size: int,
    params: DedupeParams | None,
    on_progress: Callable[[], None],
    *,
    extract: bool = True,
    then_dedupe: bool = True,
) -> RunResult:
    counts, stories = LoadCounts(), DedupeCounts()
    try:
        pairs = extract_all(items, sources, learned_boilerplate(engine)) if extract else _unextracted(items)
        for batch in _batches(pairs, batch_size, on_progress):
            counts += load_batch(engine, run_id, batch)
        if extract and then_dedupe:
            stories = dedupe_pending(engine, run_id, params)
            publish(engine)
    except BaseException as error:
        _record_failure(engine, run_id, error)
        raise
    finish_run(engine, run_id)
    return RunResult(run_id, counts, stories)


def learn_boilerplate(
    engine: sa.Engine, source: Source, params: LearnParams | None = None, *, now: datetime | None = None
) -> list[LearnedLine]:
    """Learn `source`'s boilerplate from its most recent stored pages, store it in place of what was learned before,
    and return it. Pages are read without the old boilerplate removed, so a line stops being learned once it stops
    recurring."""
    params = params or LearnParams()
    pages = []
    for document in recent_documents(engine, source.slug, params.sample):
        with suppress(RejectedInput):
            page = extract_page(document, source)
            pages.append(SamplePage(page.title, page.body))
    lines = learn_lines(pages, params, now or datetime.now(UTC))
    store_learned(engine, source.slug, lines)
    return lines


def _unextracted(
    items: Iterable[RawDocument | Reject | Unchanged | Stored],
) -> Iterator[tuple[RawDocument | None, Article | Reject | Unchanged | Stored | None]]:
    """Each input as it is: raw documents to store without an article (None), rejects and unchanged as they are."""
    for item in items:
        yield (item, None) if isinstance(item, RawDocument) else (None, item)


def dedupe(
    engine: sa.Engine,
    params: DedupeParams | None = None,
    *,
    since: datetime | None = None,
    then_refresh: bool = True,
    scheduled: Scheduled | None = None,
    on_progress: Callable[[int], None] = lambda done: None,
) -> tuple[int, DedupeCounts]:
    """Place every article not yet in a story (published since `since`, if given) as one recorded run, then
    refresh the summaries (unless `then_refresh` is False: `publish` does it later)."""
    run_id = start_run(engine, "dedupe", [f"since {since.isoformat()}"] if since else [], scheduled)
    try:
        counts = dedupe_pending(engine, run_id, params, since=since, on_progress=on_progress)
        if then_refresh:
            refresh_summaries(engine)
    except BaseException as error:
        _record_failure(engine, run_id, error)
        raise
    finish_run(engine, run_id)
    return run_id, counts


def publish(engine: sa.Engine) -> None:
    """Make loaded articles visible to analysts: index new and changed ones for search, refresh the summaries."""
    index_search(engine)
    refresh_summaries(engine)


def _record_failure(engine: sa.Engine, run_id: int, error: BaseException) -> None:
    # When the warehouse is gone too, the run row stays 'running' with no finished_at, which says as much.
    with suppress(sa.exc.SQLAlchemyError):
        finish_run(engine, run_id, error=f"{type(error).__name__}: {error}")


def _batches(
    pairs: Iterable[tuple[RawDocument | None, Article | Reject | Unchanged | Stored | None]],
    size: int,
    on_progress: Callable[[], None],
) -> Iterator[Batch]:
    batch = Batch()
    for document, outcome in pairs:
        on_progress()
        if document is not None:
            batch.documents.append(document)
        if isinstance(outcome, Article):
            batch.articles.append(outcome)
        elif isinstance(outcome, Unchanged):
            batch.unchanged += 1
        elif outcome is None:
            batch.stored += 1
        elif not isinstance(outcome, Stored):
            batch.rejects.append(outcome)
        # A skipped input is not read, as a URL fetch does not download is not: ingest_runs counts it apart.
        if isinstance(outcome, Stored):
            batch.skipped += 1
        else:
            batch.read += 1
        if batch.read + batch.skipped >= size:
            yield batch
            batch = Batch()
    if batch.read or batch.skipped:
        yield batch
