"""Read web archives (WARC and WARC.gz, as CC-NEWS ships them) into raw documents, one record at a time."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.record import RawDocument, Reject
from pipeline.sources import Source, source_for_url

WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_RECORD_BYTES = 10_000_000
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: Path, sources: Mapping[str, Source], source: str | None = None) -> Iterator[RawDocument | Reject]:
    """Each HTML response of the archive as a raw document, or a reject naming its URL and the reason.

    Requests, metadata and non-HTML responses are not documents and are passed over. Memory stays bounded by
    one record, whatever the archive's size.
    """
    records = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.format != "warc" or record.rec_type is None:
                    continue
                records += 1
                item = _response(record, sources, source) if record.rec_type == "response" else None
                if item is not None:
                    yield item
    except (OSError, EOFError, zlib.error, ArchiveLoadFailed) as error:
        yield Reject(source, str(path), "read", "unreadable", f"{path}: not a readable WARC file: {error}")
        return
    if records == 0:
        yield Reject(source, str(path), "read", "unreadable", f"{path}: holds no WARC record")


def _response(record: Any, sources: Mapping[str, Source], source: str | None) -> RawDocument | Reject | None:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    status = record.http_headers.get_statuscode() if record.http_headers else None
    content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    if status != "200" or not content_type.lower().startswith(_HTML_TYPES):
        return None
    slug = source or source_for_url(url, sources)
    if slug is None or slug not in sources:
        return Reject(None, url, "read", "unknown-source", f"{url}: no source in the sources file has this host")
    payload = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(payload) > MAX_RECORD_BYTES:
        return Reject(slug, url, "read", "too-large", f"{url}: page larger than {MAX_RECORD_BYTES} bytes")
    return RawDocument(slug, url, payload, "text/html", _warc_date(record), url=url)


def _warc_date(record: Any) -> datetime:
    stamp = record.rec_headers.get_header("WARC-Date") or ""
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.now(UTC)
