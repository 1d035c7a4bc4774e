"""Compose the stages: read inputs, extract articles, load them in batches, place them in stories, and record the
run.

The CLI and the Airflow tasks call this module and nothing below it: what they need of the stages (the warehouse's
administration, option types) is named here, in `__all__`.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import URL

from pipeline.dedupe import workers
from pipeline.dedupe.offline import Assignment, OfflineStories, dedupe_file
from pipeline.dedupe.params import DedupeParams
from pipeline.errors import ConfigError, NothingLanded, RejectedInput, SourceUnreachable
from pipeline.extract.boilerplate import Boilerplate, LearnedLine, LearnParams, SamplePage, learn_lines
from pipeline.extract.document import extract_article, extract_page
from pipeline.extract.page import ScrapedPage
from pipeline.fetch.backoff import health_after
from pipeline.fetch.ccnews import archive_items, cc_news_archives
from pipeline.fetch.dumps import download_dump, is_url
from pipeline.fetch.files import InputOptions, expand_paths, read_documents
from pipeline.fetch.http import PoliteClient
from pipeline.fetch.policy import FetchPolicy
from pipeline.fetch.probe import Probe, probe_source
from pipeline.fetch.web import Window, discover, download, new_urls
from pipeline.load import db
from pipeline.load.archives import archives_read, finish_archive_read, start_archive_read
from pipeline.load.boilerplate import learned_boilerplate, recent_documents, store_learned
from pipeline.load.catalog import grant_reader, schema_markdown
from pipeline.load.checks import CheckLimits, CheckResult, Night, require_passing, run_checks
from pipeline.load.db import airflow_connection_json, describe, stop_embedded_server, upgrade, warehouse_url
from pipeline.load.feeds import feed_health, record_feed_attempts
from pipeline.load.health import RejectClass, SourceActivity, SourceHealth, SourceRequests, record_source_runs
from pipeline.load.hosts import hold_hosts, host_holds
from pipeline.load.queries import Answer, ask
from pipeline.load.runs import (
    STORIES_JOB,
    DagRunTotals,
    RunRecord,
    Scheduled,
    add_fetch_counts,
    dag_run_totals,
    exclusive,
    live_run,
    recent_runs,
    stored_payloads,
    stored_urls,
    stored_validators,
    sync_sources,
)
from pipeline.load.search import index_search
from pipeline.load.stories import DedupeCounts, dedupe_pending, delete_source_articles
from pipeline.load.summaries import refresh_summaries
from pipeline.load.warehouse import Batch, LoadCounts, load_batch, stored_documents
from pipeline.record import Fate, Outcome, RawDocument, Reject
from pipeline.report import write_report
from pipeline.settings import Settings
from pipeline.sources import Source, allowed_hosts, host_source, source_for_url
from pipeline.urls import canonical_url

__all__ = [  # noqa: RUF022 - grouped by what they are to the caller, not sorted
    # Composed here.
    "DEFAULT_BATCH_SIZE", "OfflineStories", "RunResult", "dedupe", "dedupe_file", "dump_path",
    "cc_news_archive_urls", "expand_paths", "explain_boilerplate", "extract_all", "extract_files", "fetch",
    "import_cc_news", "ingest",
    "learn_boilerplate", "open_warehouse", "passing_over_stored", "probe_sources", "publish", "reextract",
    "start_workers", "write_report",
    # The warehouse's administration and checks, as the stages below provide them.
    "airflow_connection_json", "ask", "dag_run_totals", "delete_source_articles", "describe", "grant_reader",
    "learned_boilerplate", "recent_runs", "require_passing", "run_checks", "schema_markdown", "stop_embedded_server",
    "sync_sources", "upgrade", "warehouse_url",
    # Types the callers build or read.
    "Answer", "ArchiveProgress", "Assignment", "CheckLimits", "CheckResult", "DagRunTotals", "DedupeCounts",
    "DedupeParams", "FetchPolicy", "InputOptions", "LearnParams", "LoadCounts", "Night", "Probe", "RunRecord",
    "Scheduled", "ScrapedPage", "SourceHealth", "Window",
]  # fmt: skip

DEFAULT_BATCH_SIZE = 1000

log = logging.getLogger(__name__)


class RejectTally:
    """Rejected inputs counted by source, stage and reason, with one example each: a log line per class of failure
    rather than one per input."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str, str]] = Counter()
        self._examples: dict[tuple[str, str, str], str] = {}

    def add(self, rejects: Iterable[Reject]) -> None:
        """Count `rejects`."""
        for reject in rejects:
            kind = (reject.source or "no source", reject.stage, reject.reason)
            self._counts[kind] += 1
            self._examples.setdefault(kind, reject.detail)

    def of_source(self, source: str) -> tuple[RejectClass, ...]:
        """`source`'s rejects by stage and reason, the largest class first."""
        return tuple(
            RejectClass(stage, reason, count, self._examples[slug, stage, reason])
            for (slug, stage, reason), count in self._counts.most_common()
            if slug == source
        )

    def lines(self) -> list[str]:
        """`source: N input(s) rejected at STAGE (REASON), e.g. DETAIL`, the largest class first."""
        return [
            f"{source}: {count} input(s) rejected at {stage} ({reason}), e.g. {self._examples[source, stage, reason]}"
            for (source, stage, reason), count in self._counts.most_common()
        ]


@dataclass(frozen=True, slots=True)
class RunResult:
    """The run's id in `ingest_runs`, its counts, and what it did for each source."""

    run_id: int
    counts: LoadCounts
    stories: DedupeCounts = field(default_factory=DedupeCounts)
    sources: tuple[SourceHealth, ...] = ()
    reject_lines: tuple[str, ...] = ()
    """The rejects by source, stage and reason, largest class first, as the run logged them."""

    def summary(self) -> str:
        """One line for people: the run, what its load did, and what dedupe did."""
        return f"run {self.run_id}: {self.counts.summary()} · stories: {self.stories.summary()}"


def extract_all(
    outcomes: Iterable[Outcome], sources: Mapping[str, Source], boilerplate: Mapping[str, Boilerplate] | None = None
) -> Iterator[Outcome]:
    """Each input with the article extracted from its raw document, or the reject saying why none could be, with
    each source's learned `boilerplate` removed from the bodies; inputs not read pass as they are."""
    learned = boilerplate or {}
    for outcome in outcomes:
        document = outcome.document
        if outcome.fate is not Fate.READ or document is None:
            yield outcome
            continue
        source = sources.get(document.source) or made_for_host(document)
        if source is None:
            # A stored document of a source since removed from the sources file.
            detail = f"{document.origin}: source {document.source!r} is not in the sources file"
            reject = Reject(None, document.origin, "extract", "unknown-source", detail, document.sha256)
            yield Outcome.rejected(reject, document)
            continue
        try:
            yield Outcome.extracted(document, extract_article(document, source, learned.get(document.source)))
        except RejectedInput as error:
            reject = Reject(document.source, document.origin, "extract", error.reason, error.detail, document.sha256)
            yield Outcome.rejected(reject, document)


def made_for_host(document: RawDocument) -> Source | None:
    """The source made for the host of a document no configured source serves (see `host_source`), when its slug
    is the document's; None otherwise."""
    made = host_source(document.url) if document.url else None
    return made if made is not None and made.slug == document.source else None


def _hosts_synced(engine: sa.Engine, items: Iterable[Outcome], sources: Mapping[str, Source]) -> Iterator[Outcome]:
    """The inputs as they are; the source made for the host of a document no configured source serves is written
    to the warehouse's sources before its first document goes on."""
    synced: set[str] = set()
    for item in items:
        document = item.document
        if document is not None and document.source not in sources and document.source not in synced:
            made = made_for_host(document)
            if made is not None:
                sync_sources(engine, [made])
                synced.add(made.slug)
        yield item


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
    with live_run(engine, command, [str(path) for path in paths], scheduled) as run_id:
        read = read_documents(expand_paths(paths), sources, options or InputOptions())
        items: Iterable[Outcome] = map(Outcome.of, read)
        if skip_stored:
            items = passing_over_stored(engine, items, batch_size)
        result = _load_run(engine, run_id, items, sources, batch_size, params, on_progress)
        if result.counts.read == 0 and result.counts.skipped == 0:
            raise NothingLanded(
                f"run {run_id}: no input found in {', '.join(map(str, paths))} "
                "(inputs are .txt, .html, .html.gz, .jsonl and .warc(.gz) files)"
            )
        _require_something_landed(result)
        return result


def _require_something_landed(result: RunResult) -> None:
    """NothingLanded when the run rejected every input it read."""
    counts = result.counts
    if counts.rejected and counts.rejected == counts.read and not counts.skipped:
        reasons = "; ".join(result.reject_lines) or f"see rejects_by_reason WHERE run_id = {result.run_id}"
        raise NothingLanded(f"run {result.run_id}: every one of its {counts.read} input(s) was rejected: {reasons}")


def passing_over_stored(engine: sa.Engine, items: Iterable[Outcome], size: int) -> Iterator[Outcome]:
    """The inputs in order, each raw document the warehouse holds already (same sha256 and canonical URL)
    skipped; the warehouse is asked once per `size` inputs."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        hashes = [item.document.sha256 for item in chunk if item.document is not None]
        known = {(sha256, _url_key(url)) for sha256, url in stored_payloads(engine, hashes)} if hashes else set()
        for item in chunk:
            document = item.document
            if document is not None and (document.sha256, _url_key(document.url)) in known:
                yield Outcome.skipped(document)
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
    require_reachable: bool = False,
) -> RunResult:
    """Fetch the new articles the selected sources' feeds and sitemaps list (or one `feed`), then extract, load,
    place in stories and index them, as one recorded run.

    URLs the warehouse has already are not downloaded; with `refresh`, they are asked for again with the stored
    ETag and Last-Modified, and a page that has not changed (304, or the same body) is counted unchanged.
    With `fetch_only`, pages are stored as raw documents and not extracted (`reextract` does that later). Without
    `then_dedupe`, the articles wait for `dedupe` and `publish`.

    What the run asked of each source and what came back is recorded in `source_runs`. With `require_reachable`,
    a source whose every request failed fails the run, once everything else has landed: SourceUnreachable (a
    TransientError: a retry may find it back) names each such source and the reasons.
    """
    sync_sources(engine, sources.values())
    policy = policy or FetchPolicy.from_env(base=FetchPolicy(allowed_hosts=allowed_hosts(sources.values())))
    inputs = [feed] if feed else list(selected)
    with live_run(engine, "fetch", inputs, scheduled) as run_id:
        chosen = [sources[slug] for slug in selected]
        requests = {slug: SourceRequests() for slug in selected}
        items = _fetched_items(engine, run_id, policy, chosen, window or Window(), feed, refresh, requests)
        result = _load_run(
            engine, run_id, items, sources, batch_size, params, on_progress, extract=not fetch_only,
            then_dedupe=then_dedupe, requests=requests,
        )  # fmt: skip
        unreachable = [health for health in result.sources if health.all_requests_failed]
        if require_reachable and unreachable:
            raise SourceUnreachable("; ".join(_unreachable_line(health) for health in unreachable))
        return result


def probe_sources(
    sources: Mapping[str, Source], selected: Sequence[str], policy: FetchPolicy | None = None
) -> Iterator[Probe]:
    """Ask each feed, sitemap and listing page of the selected sources once, as a fetch would (robots.txt, pacing,
    each source's User-Agent), without the warehouse: what each answered, as it answers."""
    policy = policy or FetchPolicy.from_env(base=FetchPolicy(allowed_hosts=allowed_hosts(sources.values())))
    for slug in selected:
        source = sources[slug]
        with PoliteClient(replace(policy, user_agent=source.user_agent or policy.user_agent)) as client:
            yield from probe_source(client, source)


def _unreachable_line(health: SourceHealth) -> str:
    requests = health.activity.requests
    reasons = "; ".join(reject.summary() for reject in health.activity.rejects)
    return (
        f"{health.source}: every request failed ({requests.feeds_failed} of {requests.feeds_tried} feeds, "
        f"{requests.pages_failed} of {requests.pages_tried} pages): {reasons or 'no reason recorded'}"
    )


@dataclass(frozen=True, slots=True)
class ArchiveProgress:
    """What an import did with one archive, for a progress display."""

    url: str
    status: str
    """`read` (to the end), `broken` (read again by the next import) or `skipped` (read to the end before)."""
    documents: int = 0
    """Pages of the kept sources it gave."""


def import_cc_news(
    engine: sa.Engine,
    sources: Mapping[str, Source],
    base_url: str,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    selected: Sequence[str] = (),
    all_hosts: bool = False,
    policy: FetchPolicy | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    params: DedupeParams | None = None,
    scheduled: Scheduled | None = None,
    on_archives: Callable[[int], None] = lambda count: None,
    on_archive: Callable[[ArchiveProgress], None] = lambda progress: None,
    on_progress: Callable[[], None] = lambda: None,
    archives: Sequence[str] | None = None,
) -> RunResult:
    """Import the pages of the CC-NEWS WARC files holding [since, until), streamed from `base_url` (never saved),
    then place them in stories and publish them, as one recorded run. `archives` (URLs `cc_news_archive_urls`
    gave) imports those files instead of the window's, without reading the listings: a task per file shares a
    month out.

    Only the pages of the `selected` sources (default: all) are kept, or with `all_hosts` every page (a host no
    source serves gets a source of its own). A file read to the end by an earlier import is not read again; one
    that breaks off is recorded (a `truncated` reject, `archive_reads`) and read again by the next import, which
    passes over the pages it stored already.
    """
    kept = {slug: sources[slug] for slug in selected} if selected else dict(sources)
    sync_sources(engine, kept.values())
    hosts = frozenset({(urlsplit(base_url).hostname or "").lower()})
    policy = policy or FetchPolicy.from_env(base=FetchPolicy(allowed_hosts=hosts))
    source_of = _any_host_source(engine, kept) if all_hosts else lambda url: source_for_url(url, kept)
    counts = LoadCounts()
    if archives is None and (since is None or until is None):
        raise ConfigError("a CC-NEWS import needs a window (since and until) or the archives to read")
    window = f"[{since.isoformat()}, {until.isoformat()})" if since and until else ""
    inputs = list(archives) if archives is not None else [f"{base_url} {window}"]
    with live_run(engine, "import-cc-news", inputs, scheduled) as run_id:
        with PoliteClient(policy) as client:
            urls = list(archives or ())
            if archives is None and since and until:
                listed, rejects = cc_news_archives(client, base_url, since, until)
                counts += load_batch(engine, run_id, _rejects_batch(rejects))
                urls = [archive.url for archive in listed]
            done = archives_read(engine, urls)
            on_archives(len(urls))
            for url in urls:
                if url in done:
                    on_archive(ArchiveProgress(url, "skipped"))
                    continue
                items = archive_items(client, url, kept, source_of)
                counts += _import_archive(engine, run_id, url, items, kept, batch_size, on_archive, on_progress)
        with exclusive(engine, STORIES_JOB, "placing articles in stories"):
            stories = dedupe_pending(engine, run_id, params)
            _publish(engine)
        result = RunResult(run_id, counts, stories)
        _require_something_landed(result)
        return result


def cc_news_archive_urls(
    base_url: str, since: datetime, until: datetime, policy: FetchPolicy | None = None
) -> list[str]:
    """The URLs of the CC-NEWS WARC files holding [since, until), from the monthly listings at `base_url`; raises
    RejectedInput naming each listing that could not be had or read, and when no file holds the window."""
    hosts = frozenset({(urlsplit(base_url).hostname or "").lower()})
    policy = policy or FetchPolicy.from_env(base=FetchPolicy(allowed_hosts=hosts))
    with PoliteClient(policy) as client:
        archives, rejects = cc_news_archives(client, base_url, since, until)
    if rejects:
        raise RejectedInput(rejects[0].reason, "; ".join(reject.detail for reject in rejects))
    if not archives:
        window = f"[{since.isoformat()}, {until.isoformat()})"
        raise RejectedInput("empty", f"{base_url}: no CC-NEWS file holds {window}")
    return [archive.url for archive in archives]


def _import_archive(
    engine: sa.Engine,
    run_id: int,
    url: str,
    items: Iterable[RawDocument | Reject],
    sources: Mapping[str, Source],
    batch_size: int,
    on_archive: Callable[[ArchiveProgress], None],
    on_progress: Callable[[], None],
) -> LoadCounts:
    start_archive_read(engine, run_id, url)
    watch = _ArchiveWatch()
    outcomes = passing_over_stored(engine, map(Outcome.of, map(watch.note, items)), batch_size)
    counts = LoadCounts()
    for batch in _batches(extract_all(outcomes, sources, learned_boilerplate(engine)), batch_size, on_progress):
        counts += load_batch(engine, run_id, batch)
    # Marked read only once every page it gave is loaded: an import killed before this reads it again.
    finish_archive_read(engine, url, watch.documents, watch.broken)
    on_archive(ArchiveProgress(url, "broken" if watch.broken else "read", watch.documents))
    return counts


class _ArchiveWatch:
    """Counts the pages an archive gives and notes why it broke off, if it did."""

    def __init__(self) -> None:
        self.documents = 0
        self.broken: str | None = None

    def note(self, item: RawDocument | Reject) -> RawDocument | Reject:
        """`item`, counted."""
        if isinstance(item, RawDocument):
            self.documents += 1
        elif item.reason == "truncated" or item.stage == "fetch" or item.reason == "unreadable":
            self.broken = f"{item.reason}: {item.detail}"
        return item


def _any_host_source(engine: sa.Engine, sources: dict[str, Source]) -> Callable[[str], str | None]:
    """The source of a URL: the one serving its host, or one made for its host (added to `sources` and the
    warehouse) when none does."""

    def source_of(url: str) -> str | None:
        slug = source_for_url(url, sources)
        if slug is not None:
            return slug
        made = host_source(url)
        if made is not None and made.slug not in sources:
            sync_sources(engine, [made])
            sources[made.slug] = made
        return made.slug if made else None

    return source_of


def _rejects_batch(rejects: Iterable[Reject]) -> Batch:
    batch = Batch()
    for reject in rejects:
        batch.add(Outcome.rejected(reject))
    return batch


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
    with live_run(engine, "extract" if unextracted else "reextract", inputs, scheduled) as run_id:
        documents = map(Outcome.read, stored_documents(engine, source, unextracted=unextracted))
        return _load_run(engine, run_id, documents, sources, batch_size, params, on_progress, then_dedupe=then_dedupe)


def _fetched_items(
    engine: sa.Engine,
    run_id: int,
    policy: FetchPolicy,
    selected: Sequence[Source],
    window: Window,
    feed: str | None,
    refresh: bool,
    requests: Mapping[str, SourceRequests],
) -> Iterator[Outcome]:
    for source in selected:
        # One client per source: a source may fetch under a User-Agent of its own.
        with PoliteClient(replace(policy, user_agent=source.user_agent or policy.user_agent)) as client:
            for host, until in host_holds(engine).items():
                client.hold(host, (until - datetime.now(UTC)).total_seconds())
            health = feed_health(engine, source.slug)
            found = discover(client, source, window, [feed] if feed else None, health)
            backoff = policy.feed_backoff
            attempts = [(each, health_after(each, health.get(each.url), backoff)) for each in found.attempts]
            record_feed_attempts(engine, run_id, source.slug, attempts)
            tally = requests[source.slug]
            tally.feeds_tried += len(found.attempts)
            tally.feeds_failed += sum(attempt.reason is not None for attempt in found.attempts)
            yield from map(Outcome.rejected, found.rejects)
            listed = [listing.url for listing in found.listings]
            urls = listed if refresh else new_urls(found.listings, lambda urls, keys: stored_urls(engine, urls, keys))
            add_fetch_counts(engine, run_id, listed=len(listed), skipped=len(listed) - len(urls))
            known = stored_validators(engine, urls) if refresh else {}
            tally.pages_tried += len(urls)
            for outcome in download(client, source, [(url, known.get(url)) for url in urls]):
                tally.pages_failed += outcome.reject is not None
                yield outcome
            now = datetime.now(UTC)
            hold_hosts(engine, run_id, {host: now + timedelta(seconds=s) for host, s in client.holds().items()})


def _load_run(
    engine: sa.Engine,
    run_id: int,
    items: Iterable[Outcome],
    sources: Mapping[str, Source],
    batch_size: int,
    params: DedupeParams | None,
    on_progress: Callable[[], None],
    *,
    extract: bool = True,
    then_dedupe: bool = True,
    requests: Mapping[str, SourceRequests] | None = None,
) -> RunResult:
    counts, stories, rejected, read = LoadCounts(), DedupeCounts(), RejectTally(), Counter[str]()
    items = _counted(_hosts_synced(engine, items, sources), read)
    outcomes = extract_all(items, sources, learned_boilerplate(engine)) if extract else items
    for batch in _batches(outcomes, batch_size, on_progress):
        counts += load_batch(engine, run_id, batch)
        rejected.add(batch.rejects)
    for line in rejected.lines():
        log.warning("run %d: %s", run_id, line)
    activities = [
        SourceActivity(slug, (requests or {}).get(slug, SourceRequests()), read[slug], rejected.of_source(slug))
        for slug in sorted(set(read) | set(requests or {}))
        if slug in sources
    ]
    health = record_source_runs(engine, run_id, activities)
    # What each source answered matters when the run asked it for pages; reading files, the counts say it all.
    for source in health:
        log.log(logging.INFO if requests else logging.DEBUG, "run %d: %s", run_id, source.summary())
    if extract and then_dedupe:
        with exclusive(engine, STORIES_JOB, "placing articles in stories"):
            stories = dedupe_pending(engine, run_id, params)
            _publish(engine)
    return RunResult(run_id, counts, stories, tuple(health), tuple(rejected.lines()))


def _counted(items: Iterable[Outcome], read: Counter[str]) -> Iterator[Outcome]:
    """The inputs as they are, each read one counted for its source."""
    for item in items:
        if item.source is not None and item.fate is not Fate.SKIPPED:
            read[item.source] += 1
        yield item


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
    inputs = [f"since {since.isoformat()}"] if since else []
    with live_run(engine, "dedupe", inputs, scheduled) as run_id:
        # Two passes at once would place the same articles twice: the second waits for the first, then finds
        # nothing left to place.
        with exclusive(engine, STORIES_JOB, "placing articles in stories"):
            counts = dedupe_pending(engine, run_id, params, since=since, on_progress=on_progress)
            if then_refresh:
                refresh_summaries(engine)
        return run_id, counts


def publish(engine: sa.Engine) -> None:
    """Make loaded articles visible to analysts: index new and changed ones for search, refresh the summaries."""
    with exclusive(engine, STORIES_JOB, "placing articles in stories"):
        _publish(engine)


def _publish(engine: sa.Engine) -> None:
    index_search(engine)
    refresh_summaries(engine)


def _batches(outcomes: Iterable[Outcome], size: int, on_progress: Callable[[], None]) -> Iterator[Batch]:
    batch = Batch()
    for outcome in outcomes:
        on_progress()
        batch.add(outcome)
        if batch.size >= size:
            yield batch
            batch = Batch()
    if batch.size:
        yield batch


def extract_files(paths: Iterable[Path], sources: Mapping[str, Source], options: InputOptions) -> Iterator[Outcome]:
    """Each input in `paths` (files or folders) with its article or reject, touching no database."""
    return extract_all(map(Outcome.of, read_documents(expand_paths(paths), sources, options)), sources)


def explain_boilerplate(
    engine: sa.Engine, paths: Iterable[Path], sources: Mapping[str, Source], options: InputOptions
) -> Iterator[tuple[str, ScrapedPage | Reject]]:
    """Each input in `paths` with what its extraction read off it (each removed line and why), its source's learned
    boilerplate included, or the reject saying why nothing could be read."""
    learned = learned_boilerplate(engine)
    for item in read_documents(expand_paths(paths), sources, options):
        if isinstance(item, Reject):
            yield item.origin, item
            continue
        try:
            yield item.origin, extract_page(item, sources[item.source], learned.get(item.source))
        except RejectedInput as error:
            yield item.origin, Reject(item.source, item.origin, "extract", error.reason, error.detail, item.sha256)


def start_workers() -> None:
    """Start dedupe's signing workers now, before a progress display or another thread starts, so they are forked."""
    workers.start()


def dump_path(location: str, settings: Settings) -> Path:
    """The dump at `location`: a file or folder as it is, an http(s) URL downloaded into the data folder first."""
    if not is_url(location):
        return Path(location)
    return download_dump(location, settings.data_dir / "downloads", FetchPolicy.from_env())


def open_warehouse(url: URL, *, current: bool = True) -> sa.Engine:
    """An engine on the warehouse at `url`; with `current`, ConfigError when its schema lacks migrations."""
    engine = db.create_engine(url)
    if current:
        try:
            db.require_current_schema(engine)
        except BaseException:
            engine.dispose()
            raise
    return engine
