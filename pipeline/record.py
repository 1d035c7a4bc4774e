"""The record types that flow through the stages: a `RawDocument` becomes an `Article`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class HttpInfo:
    """How a fetched document was answered, kept with it."""

    final_url: str
    """The URL that answered, after redirects."""
    status: int
    """HTTP status of the final answer."""
    etag: str | None = None
    """ETag header, for the next conditional GET."""
    last_modified: str | None = None
    """Last-Modified header, for the next conditional GET."""
    content_type: str | None = None
    """Content-Type header as sent."""
    redirects: tuple[str, ...] = ()
    """URLs that answered with a redirect, in order."""


@dataclass(frozen=True, slots=True)
class RawDocument:
    """Bytes as they were read or fetched, before any extraction; kept in the warehouse for re-extraction."""

    source: str
    """Slug of the source in `config/sources.toml` (for example `peninsula`)."""
    origin: str
    """Where the bytes came from: a file path, `path:line` inside a dump, or the fetched URL."""
    payload: bytes
    """The document exactly as read, undecoded."""
    media_type: str
    """`text/plain` for scraped text, `text/html` for pages."""
    fetched_at: datetime
    """When the bytes were read or fetched (aware, UTC)."""
    url: str | None = None
    """The article's URL when the input says it; None for a bare scraped file."""
    encoding: str | None = None
    """The text encoding decided when the document was fetched (headers, BOM, meta, detection); None for files."""
    http: HttpInfo | None = None
    """The HTTP answer, for fetched documents."""
    sha256: str = field(init=False)
    """Hex SHA-256 of `payload`: the document's identity."""

    def __post_init__(self) -> None:
        if self.fetched_at.tzinfo is None:
            raise ValueError("RawDocument.fetched_at must be timezone-aware")
        object.__setattr__(self, "sha256", hashlib.sha256(self.payload).hexdigest())


@dataclass(frozen=True, slots=True)
class Article:
    """One story as published by one outlet, cleaned of page furniture: the record every stage passes on.

    Fields the input does not give are empty (None, or an empty tuple), never guessed.
    """

    source: str
    """Slug of the outlet that published this copy."""
    url: str | None
    """The URL the page was found at, when known."""
    canonical_url: str | None
    """`url` normalized (scheme and host lowercased, tracking parameters and fragment removed)."""
    title: str | None
    """The headline, without tickers of other headlines or site-name suffixes."""
    body: tuple[str, ...]
    """The story's paragraphs in order, whitespace-normalized; nothing else."""
    authors: tuple[str, ...]
    """People credited in the byline; never agencies or organizations."""
    agencies: tuple[str, ...]
    """Wire agencies credited (`AFP`, `Reuters`, `AP`, `QNA`, `dpa`...), in the order given."""
    dateline: str | None
    """The place the story was filed from (`Geneva`)."""
    published_at: datetime | None
    """Publication time, aware, in the offset the page gave it (`2022-01-22T00:28:00+03:00`); read in the outlet's
    time zone when the page gives none (UTC for an outlet known by its domain alone). A date without a time is its
    midnight there."""
    language: str | None
    """ISO 639-1 code of the text (`en`)."""
    raw_sha256: str
    """SHA-256 of the `RawDocument` this article was extracted from."""
    extractor: str
    """Name and version of the extractor, so re-extraction can be targeted."""
    modified_at: datetime | None = None
    """When the page says the story was last modified (JSON-LD dateModified, article:modified_time), aware."""
    credits: tuple[str, ...] = ()
    """The story's production credits as the page prints them below it (`Additional reporting by ...; Editing by
    ...`): who reported, wrote and edited, kept out of the body and apart from the byline's authors."""
    publisher: str | None = None
    """The organisation the page says publishes it, as it names itself (JSON-LD `publisher`, else `og:site_name`):
    kept apart from `authors`, who are people, and from `source`, which is the configured outlet's slug."""

    def __post_init__(self) -> None:
        for instant in (self.published_at, self.modified_at):
            if instant is not None and instant.tzinfo is None:
                raise ValueError("Article.published_at and modified_at must be timezone-aware")

    @property
    def published_offset_minutes(self) -> int | None:
        """The UTC offset of `published_at` as the page gave it, in minutes east (180 for Doha); None without one."""
        offset = self.published_at.utcoffset() if self.published_at is not None else None
        return None if offset is None else int(offset.total_seconds() // 60)

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by a blank line (as stored in the warehouse)."""
        return "\n\n".join(self.body)

    @property
    def content_hash(self) -> str:
        """Hex SHA-256 of the normalized body: equal for copies whose text differs only in case or spacing."""
        return hashlib.sha256(normalize_for_hash(self.text).encode("utf-8")).hexdigest()

    @property
    def word_count(self) -> int:
        """Number of words in the body."""
        return sum(len(paragraph.split()) for paragraph in self.body)

    @property
    def key(self) -> str:
        """The article's identity in the warehouse: its canonical URL, else the raw document's hash."""
        return self.canonical_url or f"sha256:{self.raw_sha256}"


WORD = re.compile(r"[^\W_]+")
"""A word: a run of letters and digits. Dedupe tokenizes with the same pattern, so its hashes agree."""


def normalize_for_hash(text: str) -> str:
    """Lowercase words separated by single spaces, with punctuation and quotes dropped."""
    return " ".join(WORD.findall(text.casefold()))


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not become an article, and why; stored in the warehouse's rejects table."""

    source: str | None
    """Slug of the source the input was for, when known."""
    origin: str
    """The input: file path, `path:line` inside a dump, or URL."""
    stage: str
    """Stage that rejected it: `read`, `decode`, `extract`, `load` or `fetch`."""
    reason: str
    """Stable reason code (`unreadable`, `not-utf8`, `empty-body`...)."""
    detail: str
    """Human explanation, naming the input."""
    raw_sha256: str | None = None
    """The raw document, when the bytes could be read (and are stored)."""


class Fate(StrEnum):
    """What became of one input."""

    READ = "read"
    """Its bytes were read into a raw document, not extracted (yet): stored as is by `fetch --fetch-only`."""
    EXTRACTED = "extracted"
    """An article came out of it."""
    REJECTED = "rejected"
    """It could not become an article; the reject says why."""
    UNCHANGED = "unchanged"
    """A fetched URL whose page has not changed since it was stored (a 304, or the same body hash)."""
    SKIPPED = "skipped"
    """An archived input the warehouse holds already (same payload, same URL): passed over, not read again."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One input and what became of it, as it goes from fetch through extract to load."""

    fate: Fate
    source: str | None
    """Slug of the source the input belongs to, when known."""
    origin: str
    """The input: file path, `path:line` inside a dump, or URL."""
    document: RawDocument | None = None
    """The bytes read, kept in the warehouse (None when nothing was read)."""
    article: Article | None = None
    """The article extracted, for `EXTRACTED`."""
    reject: Reject | None = None
    """Why it was rejected, for `REJECTED`."""

    def __post_init__(self) -> None:
        if (self.article is not None) != (self.fate is Fate.EXTRACTED):
            raise ValueError(f"{self.origin}: an article goes with fate 'extracted' only, not {self.fate.value!r}")
        if (self.reject is not None) != (self.fate is Fate.REJECTED):
            raise ValueError(f"{self.origin}: a reject goes with fate 'rejected' only, not {self.fate.value!r}")
        if self.document is None and self.fate in (Fate.READ, Fate.EXTRACTED):
            raise ValueError(f"{self.origin}: fate {self.fate.value!r} needs the raw document")

    @classmethod
    def of(cls, item: RawDocument | Reject) -> Outcome:
        """What a reader gave: a raw document read, or a reject."""
        return cls.read(item) if isinstance(item, RawDocument) else cls.rejected(item)

    @classmethod
    def read(cls, document: RawDocument) -> Outcome:
        """A raw document read, not extracted yet."""
        return cls(Fate.READ, document.source, document.origin, document)

    @classmethod
    def extracted(cls, document: RawDocument, article: Article) -> Outcome:
        """A raw document and the article extracted from it."""
        return cls(Fate.EXTRACTED, document.source, document.origin, document, article=article)

    @classmethod
    def rejected(cls, reject: Reject, document: RawDocument | None = None) -> Outcome:
        """An input rejected, with its raw document when the bytes were read (they are kept)."""
        return cls(Fate.REJECTED, reject.source, reject.origin, document, reject=reject)

    @classmethod
    def unchanged(cls, source: str, url: str) -> Outcome:
        """A fetched URL whose page has not changed since it was stored."""
        return cls(Fate.UNCHANGED, source, url)

    @classmethod
    def skipped(cls, document: RawDocument) -> Outcome:
        """An archived input the warehouse holds already, passed over."""
        return cls(Fate.SKIPPED, document.source, document.origin)
