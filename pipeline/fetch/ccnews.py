"""CC-NEWS, Common Crawl's archive of news pages: which of its WARC files cover a time window.

Common Crawl lists each month's files in `crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`, one path a line, each file
named after the time its first record was written (`CC-NEWS-20220122013004-00517.warc.gz`); a file holds the
records written until the next file starts. The base URL is configurable (`WIREDESK_CC_NEWS_URL`): a mirror, or a
local server in tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

from pipeline.errors import RejectedInput
from pipeline.fetch.archives import read_warc_stream
from pipeline.fetch.encoding import GZIP_MAGIC, gunzip
from pipeline.fetch.http import PoliteClient
from pipeline.record import RawDocument, Reject
from pipeline.sources import Source

MAX_LISTING_BYTES = 50_000_000
"""Largest monthly listing read, once decompressed (a month is about 200 KB)."""

_LISTING = "crawl-data/CC-NEWS/{year:04}/{month:02}/warc.paths.gz"
_WARC_NAME = re.compile(r"CC-NEWS-(\d{14})-\d+\.warc(?:\.gz)?$")


@dataclass(frozen=True, slots=True, order=True)
class ArchiveFile:
    """One CC-NEWS WARC file."""

    starts_at: datetime
    """When its first record was written (from its name, UTC)."""
    url: str
    """Where it is downloaded from."""


def listing_urls(base_url: str, since: datetime, until: datetime) -> list[str]:
    """The monthly listings (`warc.paths.gz`) of every month the window [since, until) touches."""
    if until <= since:
        raise ValueError(f"until must be after since, got {since.isoformat()} and {until.isoformat()}")
    base = base_url if base_url.endswith("/") else f"{base_url}/"
    last = (until - timedelta(microseconds=1)).astimezone(UTC)
    year, month = since.astimezone(UTC).year, since.astimezone(UTC).month
    urls = []
    while (year, month) <= (last.year, last.month):
        urls.append(urljoin(base, _LISTING.format(year=year, month=month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return urls


def listed_archives(payload: bytes, listing_url: str, base_url: str) -> list[ArchiveFile]:
    """The WARC files a monthly listing names (gzipped or not), oldest first; RejectedInput when it names none."""
    if payload.startswith(GZIP_MAGIC):
        payload = gunzip([payload], MAX_LISTING_BYTES, listing_url)
    base = base_url if base_url.endswith("/") else f"{base_url}/"
    files = []
    for line in payload.decode("utf-8", errors="replace").splitlines():
        match = _WARC_NAME.search(line.strip())
        if match:
            started = datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            files.append(ArchiveFile(started, urljoin(base, line.strip())))
    if not files:
        raise RejectedInput("bad-listing", f"{listing_url}: names no CC-NEWS WARC file")
    return sorted(files)


def archives_in_window(files: list[ArchiveFile], since: datetime, until: datetime) -> list[ArchiveFile]:
    """The files holding records written in [since, until): each starts before `until`, and the next one after
    `since` (the last one listed is kept when it starts before `until`)."""
    ordered = sorted(set(files))
    return [
        file
        for file, following in zip(ordered, [*ordered[1:], None], strict=True)
        if file.starts_at < until and (following is None or following.starts_at > since)
    ]


def cc_news_archives(
    client: PoliteClient, base_url: str, since: datetime, until: datetime
) -> tuple[list[ArchiveFile], list[Reject]]:
    """The CC-NEWS files holding records of [since, until), from the monthly listings at `base_url`, and a
    reject for each listing that could not be had or read."""
    files: list[ArchiveFile] = []
    rejects: list[Reject] = []
    for url in listing_urls(base_url, since, until):
        try:
            files += listed_archives(client.fetch(url, require_text=False).payload, url, base_url)
        except RejectedInput as error:
            rejects.append(Reject(None, url, "fetch", error.reason, error.detail))
    return archives_in_window(files, since, until), rejects


def archive_items(
    client: PoliteClient, url: str, sources: Mapping[str, Source], source_of: Callable[[str], str | None]
) -> Iterator[RawDocument | Reject]:
    """The pages of the sources in the WARC at `url`, streamed as it downloads (never saved), pages of other hosts
    passed over unread; a reject (stage fetch) when it cannot be downloaded, or (`truncated`) when it breaks off."""
    try:
        with client.open_stream(url) as stream:
            yield from read_warc_stream(stream, url, sources, source_of=source_of, skip_unknown_hosts=True)
    except RejectedInput as error:
        yield Reject(None, url, "fetch", error.reason, error.detail)
