"""Read scraped pages from files, folders and `.jsonl` dumps into raw documents."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from lxml.etree import ParserError
from lxml.html import document_fromstring

from pipeline.errors import RejectedInput
from pipeline.fetch.archives import WARC_SUFFIXES, read_warc
from pipeline.fetch.encoding import gunzip
from pipeline.record import RawDocument, Reject
from pipeline.sources import Source, source_serving
from pipeline.urls import stated_url

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
DUMP_SUFFIXES = (".jsonl",)
MAX_LINE_BYTES = 10_000_000
"""Longest line of a dump read; a longer one is rejected and read past without being held."""
MAX_PAGE_BYTES = 10_000_000
"""Largest page read from a file, once decompressed; a larger one (or a gzip bomb) is rejected unread."""
_SKIP_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class InputOptions:
    """What the command line says about inputs that do not say it themselves."""

    source: str | None = None
    """Source slug for every input (`--source`)."""
    url: str | None = None
    """URL of the page (`--url`), for a single file."""
    naming_a_source: str = "name it with --source SLUG"
    """How the caller's user names the source of inputs that do not say it, for messages: the command line's option,
    or a DAG's form field."""


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the readable inputs inside folders named (recursively, sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and _kind(p) is not None))
        else:
            found.append(path)
    return found


def read_documents(
    paths: Iterable[Path], sources: Mapping[str, Source], options: InputOptions
) -> Iterator[RawDocument | Reject]:
    """Each input as a raw document, or a reject naming the file (line, or archived URL) and the reason."""
    for path in paths:
        kind = _kind(path)
        if kind == "dump":
            yield from _read_dump(path, sources, options)
        elif kind == "warc":
            yield from read_warc(path, sources, options.source)
        else:
            yield _read_file(path, sources, options)


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(DUMP_SUFFIXES):
        return "dump"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def _read_file(path: Path, sources: Mapping[str, Source], options: InputOptions) -> RawDocument | Reject:
    origin = str(path)
    slug = options.source or source_from_path(path, sources)
    url = options.url
    try:
        kind = _kind(path)
        if not path.exists():
            raise RejectedInput("missing", f"{path}: no such file or folder")
        if kind is None:
            raise RejectedInput("unsupported-type", f"{path}: not .txt, .html, .html.gz, .jsonl or .warc(.gz)")
        if slug is not None and slug not in sources:
            raise RejectedInput("unknown-source", f"{path}: {_source_problem(slug, sources, options)}")
        payload = _read_bytes(path)
        if slug is None:
            # A page no source is named for belongs to the host of the address it gives (or --url gives).
            url = url or (_stated_url(payload) if kind == "html" else None)
            slug = _host_slug(url, sources)
        if slug is None:
            raise RejectedInput("unknown-source", f"{path}: {_source_problem(None, sources, options)}")
    except RejectedInput as error:
        return Reject(slug if slug in sources else None, origin, "read", error.reason, error.detail)
    media_type = "text/html" if kind == "html" else "text/plain"
    return RawDocument(slug, origin, payload, media_type, datetime.now(UTC), url=url)


def _stated_url(payload: bytes) -> str | None:
    try:
        return stated_url(document_fromstring(payload))
    except (ParserError, ValueError):
        return None


def _host_slug(url: str | None, sources: Mapping[str, Source]) -> str | None:
    source = source_serving(url, sources) if url else None
    return source.slug if source else None


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, inflated when it is gzipped: at most MAX_PAGE_BYTES either way, read a chunk at a time."""
    try:
        with path.open("rb") as handle:
            if path.name.lower().endswith(".gz"):
                return _gunzipped(handle, path)
            payload = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as error:
        raise RejectedInput("unreadable", f"{path}: cannot read: {error}") from error
    if len(payload) > MAX_PAGE_BYTES:
        raise RejectedInput("too-large", f"{path}: larger than {MAX_PAGE_BYTES} bytes")
    return payload


def _gunzipped(handle: BinaryIO, path: Path) -> bytes:
    try:
        return gunzip(iter(lambda: handle.read(_SKIP_CHUNK), b""), MAX_PAGE_BYTES, str(path))
    except RejectedInput as error:
        if error.reason == "decompression-bomb":
            raise
        raise RejectedInput("unreadable", f"{path}: cannot read: not a whole gzip file ({error.detail})") from error


def source_from_path(path: Path, sources: Mapping[str, Source]) -> str | None:
    """The source a file names: a slug that starts its file name (`peninsula-...`) or names its folder."""
    name = path.name.lower()
    prefixed = [slug for slug in sources if name.startswith((f"{slug}-", f"{slug}_", f"{slug}."))]
    if prefixed:
        return max(prefixed, key=len)
    parent = path.parent.name.lower()
    return parent if parent in sources else None


def _source_problem(slug: str | None, sources: Mapping[str, Source], options: InputOptions) -> str:
    if slug is None:
        return (
            f"no source: {options.naming_a_source}, start the file name with a slug from the sources file, or give "
            "the page's URL (an HTML page's own <link rel=canonical> or og:url serves)"
        )
    return f"unknown source {slug!r} (known: {', '.join(sorted(sources))})"


def _read_dump(path: Path, sources: Mapping[str, Source], options: InputOptions) -> Iterator[RawDocument | Reject]:
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Reject(options.source, str(path), "read", "unreadable", f"{path}: cannot read: {error}")
        return
    with handle:
        for number, line in enumerate(_bounded_lines(handle, MAX_LINE_BYTES), start=1):
            if line is None:
                detail = f"{path}:{number}: line longer than {MAX_LINE_BYTES} bytes"
                yield Reject(options.source, f"{path}:{number}", "read", "too-large", detail)
            elif line.strip():
                yield _dump_line(f"{path}:{number}", line, sources, options)


def _bounded_lines(handle: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Each line of `handle`, or None for a line longer than `limit` bytes (read past in chunks, never whole)."""
    while line := handle.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
            pass
        yield None


def _dump_line(origin: str, line: bytes, sources: Mapping[str, Source], options: InputOptions) -> RawDocument | Reject:
    try:
        item = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return Reject(options.source, origin, "read", "bad-json", f"{origin}: not a JSON object: {error}")
    if not isinstance(item, dict):
        return Reject(options.source, origin, "read", "bad-json", f"{origin}: not a JSON object")
    slug = item.get("source") or options.source
    text, url = item.get("text"), item.get("url")
    if not isinstance(slug, str) or slug not in sources:
        problem = _source_problem(slug if isinstance(slug, str) else None, sources, options)
        return Reject(None, origin, "read", "unknown-source", f"{origin}: {problem}")
    if not isinstance(text, str) or not text.strip():
        return Reject(slug, origin, "read", "no-text", f'{origin}: no "text" string')
    if url is not None and not isinstance(url, str):
        return Reject(slug, origin, "read", "bad-url", f'{origin}: "url" is not a string')
    try:
        payload = text.encode("utf-8")
    except UnicodeEncodeError as error:
        return Reject(slug, origin, "read", "bad-text", f'{origin}: "text" is not valid Unicode: {error}')
    return RawDocument(slug, origin, payload, "text/plain", datetime.now(UTC), url=url)
