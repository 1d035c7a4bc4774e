"""Read web archives (WARC and WARC.gz, as CC-NEWS ships them) into raw documents, one record at a time."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.record import RawDocument, Reject
from pipeline.sources import Source, source_for_url

WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_RECORD_BYTES = 10_000_000
_SKIP_CHUNK = 1 << 16
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _BrokenRecord(Exception):
    """A record warcio parsed from what cannot be one."""


# What warcio raises on a broken or cut archive: its own error, the compression's, and (on a record header cut
# short) an AttributeError or ValueError from parsing what is not there.
_BROKEN_ARCHIVE = (OSError, EOFError, zlib.error, ArchiveLoadFailed, AttributeError, ValueError, _BrokenRecord)


def read_warc(path: Path, sources: Mapping[str, Source], source: str | None = None) -> Iterator[RawDocument | Reject]:
    """Each HTML response of the archive as a raw document, or a reject naming its URL and the reason.

    Requests, metadata and non-HTML responses are not documents and are passed over. Memory stays bounded by
    one record, whatever the archive's size. An archive cut short (a download interrupted) gives its whole
    records, and a `truncated` reject for the record it ends inside.
    """
    try:
        stream = path.open("rb")
    except OSError as error:
        yield Reject(source, str(path), "read", "unreadable", f"{path}: not a readable WARC file: {error}")
        return
    with stream:
        yield from read_warc_stream(stream, str(path), sources, source)


def read_warc_stream(
    stream: BinaryIO,
    origin: str,
    sources: Mapping[str, Source],
    source: str | None = None,
    *,
    source_of: Callable[[str], str | None] | None = None,
    skip_unknown_hosts: bool = False,
) -> Iterator[RawDocument | Reject]:
    """`read_warc` of an archive read from `stream` (a file, or a response being downloaded), named `origin` in
    rejects.

    `source_of` gives the source of a page's URL (default: `source`, else the source whose domain serves it).
    With `skip_unknown_hosts` (an archive of the whole web), pages of no source are passed over, unread, rather
    than rejected.
    """
    pick = _Picker(sources, source_of or (lambda url: source or source_for_url(url, sources)), skip_unknown_hosts)
    records = truncated = 0
    iterator = ArchiveIterator(stream)
    try:
        for record in iterator:
            if record.format != "warc":
                continue
            # Every WARC record has a type and a length; a header cut short lacks them, or has half of one.
            length = (record.rec_headers.get_header("Content-Length") or "").strip()
            if not record.rec_type or not length.isdigit():
                raise _BrokenRecord("a record header without WARC-Type or Content-Length: cut or corrupt there")
            records += 1
            item = _response(record, pick) if record.rec_type == "response" else _cut_record(record, origin, source)
            truncated += isinstance(item, Reject) and item.reason == "truncated"
            if item is not None:
                yield item
    except _BROKEN_ARCHIVE as error:
        if records:
            detail = f"{origin}: breaks off inside the record after {records} whole ones: {error}"
            yield Reject(source, origin, "read", "truncated", detail)
        else:
            yield Reject(source, origin, "read", "unreadable", f"{origin}: not a readable WARC file: {error}")
        return
    if records == 0:
        yield Reject(source, origin, "read", "unreadable", f"{origin}: holds no WARC record")
    # Bytes past the last whole record that made no record: the archive ends inside a record's header.
    elif not truncated and iterator.offset < iterator.fh.tell():
        detail = f"{origin}: ends inside a record's header at byte {iterator.offset}, after {records} whole records"
        yield Reject(source, origin, "read", "truncated", detail)


@dataclass(frozen=True, slots=True)
class _Picker:
    """Which source a page belongs to, and what becomes of a page of none."""

    sources: Mapping[str, Source]
    source_of: Callable[[str], str | None]
    skip_unknown_hosts: bool


def _response(record: Any, pick: _Picker) -> RawDocument | Reject | None:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    status = record.http_headers.get_statuscode() if record.http_headers else None
    content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    slug = pick.source_of(url)
    known = slug is not None and slug in pick.sources
    is_page = (
        status == "200" and content_type.lower().startswith(_HTML_TYPES) and (known or not pick.skip_unknown_hosts)
    )
    payload = record.content_stream().read(MAX_RECORD_BYTES + 1) if is_page else b""
    if len(payload) > MAX_RECORD_BYTES:
        return Reject(slug, url, "read", "too-large", f"{url}: page larger than {MAX_RECORD_BYTES} bytes")
    # A record the archive ends inside is reported as such, whatever part of it (headers, body) is missing.
    missing = _missing_bytes(record)
    if missing:
        detail = f"{url}: the archive ends {missing} bytes before the end of this record"
        return Reject(slug if known else None, url, "read", "truncated", detail)
    if not is_page:
        return None
    if slug is None or not known:
        return Reject(None, url, "read", "unknown-source", f"{url}: no source in the sources file has this host")
    return RawDocument(slug, url, payload, "text/html", _warc_date(record), url=url)


def _cut_record(record: Any, origin: str, source: str | None) -> Reject | None:
    """A reject naming the archive when it ends inside this record (a request, metadata...), else None."""
    missing = _missing_bytes(record)
    if not missing:
        return None
    what = f"its {record.rec_type} record for {record.rec_headers.get_header('WARC-Target-URI') or 'no URL'}"
    return Reject(source, origin, "read", "truncated", f"{origin}: ends {missing} bytes before the end of {what}")


def _missing_bytes(record: Any) -> int:
    """How many of the bytes the record's header announces the archive lacks (0 for a whole record); what is left
    of the record is read past a chunk at a time, never held."""
    raw = record.raw_stream
    while raw.read(_SKIP_CHUNK):
        pass
    return int(getattr(raw, "limit", 0) or 0)


def _warc_date(record: Any) -> datetime:
    stamp = record.rec_headers.get_header("WARC-Date") or ""
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.now(UTC)
