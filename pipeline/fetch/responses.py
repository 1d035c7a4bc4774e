"""What an HTTP answer becomes: read within the size and time caps, judged by status, and kept as `Fetched`.

The client (`pipeline.fetch.http`) decides where to ask and how often; this module decides what an answer is
worth: a redirect to follow, a retryable failure, a reject, or a body read under its caps.
"""

from __future__ import annotations

import email.utils
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import httpx

from pipeline.errors import RejectedInput
from pipeline.fetch.encoding import body_decoder, decode_text, is_text, media_type_of, sniffed_media_type
from pipeline.record import HttpInfo, RawDocument

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
UNKNOWN_MEDIA_TYPE = "application/octet-stream"
KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-length", "content-encoding", "date")


@dataclass(frozen=True, slots=True)
class Validators:
    """What a previous fetch of the URL left, for a conditional GET and the sha256 fallback."""

    etag: str | None = None
    """The ETag header, sent back as If-None-Match."""
    last_modified: str | None = None
    """The Last-Modified header, sent back as If-Modified-Since."""
    sha256: str | None = None
    """Hex SHA-256 of the body, for servers that ignore both and send the same body again."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """One successful response, or the server's word that the page has not changed."""

    url: str
    """The URL asked for."""
    final_url: str
    """The URL that answered, after redirects."""
    status: int
    """HTTP status of the final answer (200-299, or 304)."""
    headers: dict[str, str]
    """The headers that matter later (lowercase names): content-type, etag, last-modified, ..."""
    redirects: tuple[str, ...]
    """The URLs that answered with a redirect, in order; empty when the first answer was final."""
    media_type: str
    """Content-Type without parameters (`text/html`); sniffed from the body when the server sent none."""
    payload: bytes
    """The body, decompressed but not decoded; empty for a 304."""
    text: str | None
    """The body decoded, for text, HTML, XML and JSON; None otherwise and for a 304."""
    encoding: str | None
    """The codec `text` was decoded with (BOM, header, meta tag or detection decided it)."""
    fetched_at: datetime
    """When the answer arrived (aware, UTC)."""
    sha256: str
    """Hex SHA-256 of the payload; for a 304, the validators' sha256 (empty when they had none)."""
    not_modified: bool
    """True for a 304, or for a body whose sha256 equals the one in the validators."""

    @property
    def validators(self) -> Validators:
        """What to keep for the next fetch of this URL."""
        return Validators(self.headers.get("etag"), self.headers.get("last-modified"), self.sha256 or None)

    def raw_document(self, source: str) -> RawDocument:
        """The body as a raw document of `source`; a 304 has no body and raises ValueError."""
        if self.status == 304:
            raise ValueError(f"{self.url}: a 304 answer has no body to make a raw document of")
        http = HttpInfo(
            final_url=self.final_url,
            status=self.status,
            etag=self.headers.get("etag"),
            last_modified=self.headers.get("last-modified"),
            content_type=self.headers.get("content-type"),
            redirects=self.redirects,
        )
        return RawDocument(
            source, self.url, self.payload, self.media_type, self.fetched_at, self.final_url, self.encoding, http
        )


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What differs between fetching a page and fetching a robots.txt."""

    headers: dict[str, str]
    """Extra request headers (the conditional GET's)."""
    max_bytes: int
    """Largest body, as received and once decompressed."""
    obey_robots: bool = True
    """Whether robots.txt is asked first (not for robots.txt itself)."""
    require_text: bool = True
    """Whether a body that is not text, HTML, XML or JSON is refused."""
    cut_at_limit: bool = False
    """Whether a body past `max_bytes` is cut there and kept (robots.txt) instead of refused."""
    redirect_off_host: bool = False
    """Whether a redirect may lead to another host even when the policy forbids it (robots.txt: RFC 9309)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP answer, read within the caps."""

    url: httpx.URL
    """The URL that gave this answer."""
    status: int
    """Its HTTP status."""
    headers: httpx.Headers
    """Its headers."""
    payload: bytes = b""
    """The body, decompressed; empty for redirects and 304."""
    location: str | None = None
    """Where a redirect points, as sent."""
    redirects: tuple[str, ...] = ()
    """The URLs that redirected before this answer."""
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    """When the answer arrived."""


class Retryable(Exception):
    """An attempt failed in a way another attempt may fix."""

    def __init__(self, reason: str, why: str, retry_after: float | None = None) -> None:
        super().__init__(why)
        self.reason, self.why, self.retry_after = reason, why, retry_after


@dataclass(frozen=True, slots=True)
class Deadline:
    """The wall-clock end of one response: a body still arriving after it is cut."""

    at: float
    """The moment, on `clock`."""
    seconds: float
    """The time cap it was set from, for the reject's detail."""
    clock: Callable[[], float]
    """The clock `at` is on."""


def read_answer(url: httpx.URL, response: httpx.Response, deadline: Deadline, options: ReadOptions) -> Answer:
    """The answer `response` gives: a redirect, a 304, or a body read within the caps.

    Raises Retryable for 429 and 5xx, and RejectedInput for other failures and for bodies past a cap.
    """
    status, headers = response.status_code, response.headers
    if status in REDIRECT_STATUSES and "location" in headers:
        return Answer(url, status, headers, location=headers["location"])
    if status == 304:
        return Answer(url, status, headers)
    if status == 429 or status >= 500:
        reason = "rate-limited" if status == 429 else "server-error"
        raise Retryable(reason, f"HTTP {status}", retry_after_seconds(headers.get("retry-after")))
    if not 200 <= status < 300:
        raise RejectedInput(f"http-{status}", f"{url}: HTTP {status}")
    media_type = media_type_of(headers.get("content-type"))
    if options.require_text and media_type is not None and not is_text(media_type):
        raise RejectedInput("not-text", f"{url}: {media_type} is not a page")
    if not options.cut_at_limit:
        _refuse_announced_size(url, headers.get("content-length"), options.max_bytes)
    return Answer(url, status, headers, _read_body(url, response, deadline, options))


def _read_body(url: httpx.URL, response: httpx.Response, deadline: Deadline, options: ReadOptions) -> bytes:
    limit = options.max_bytes
    decoder = body_decoder(response.headers.get("content-encoding"), limit, str(url), cut=options.cut_at_limit)
    received = 0
    for chunk in response.iter_raw():
        received += len(chunk)
        if received > limit:
            if not options.cut_at_limit:
                raise RejectedInput("too-large", f"{url}: body passes {limit} bytes; cut")
            decoder.feed(chunk[: len(chunk) - (received - limit)])
            break
        decoder.feed(chunk)
        if decoder.full:
            break
        # Not retried: a server that drips its body will drip it again.
        if deadline.clock() > deadline.at:
            raise RejectedInput(
                "timeout", f"{url}: body not complete after {deadline.seconds} s; cut at {received} bytes"
            )
    return decoder.finish()


def fetched_from(url: str, answer: Answer, validators: Validators, *, require_text: bool = True) -> Fetched:
    """The final answer for `url` as `Fetched`: decoded when it is text, and compared with the validators.

    A body without a Content-Type that does not look like markup is refused, unless text is not required.
    """
    headers = {name: answer.headers[name] for name in KEPT_HEADERS if name in answer.headers}
    has_body = answer.status != 304
    media_type = media_type_of(headers.get("content-type"))
    if media_type is None and has_body and not require_text:
        media_type = sniffed_media_type(url, answer.payload, UNKNOWN_MEDIA_TYPE)
    elif media_type is None:
        media_type = sniffed_media_type(url, answer.payload) if has_body else ""
    decoded = decode_text(answer.payload, headers.get("content-type")) if has_body and is_text(media_type) else None
    sha256 = hashlib.sha256(answer.payload).hexdigest() if has_body else validators.sha256 or ""
    return Fetched(
        url=url,
        final_url=str(answer.url),
        status=answer.status,
        headers=headers,
        redirects=answer.redirects,
        media_type=media_type,
        payload=answer.payload,
        text=decoded.text if decoded else None,
        encoding=decoded.encoding if decoded else None,
        fetched_at=answer.fetched_at,
        sha256=sha256,
        not_modified=not has_body or sha256 == validators.sha256,
    )


def conditional_headers(validators: Validators) -> dict[str, str]:
    """If-None-Match and If-Modified-Since from what the last fetch left."""
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds a Retry-After header asks to wait (delta or HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _refuse_announced_size(url: httpx.URL, content_length: str | None, limit: int) -> None:
    if content_length and content_length.strip().isdigit() and int(content_length) > limit:
        raise RejectedInput("too-large", f"{url}: announces {content_length} bytes, more than {limit}")


class BodyStream(io.RawIOBase):
    """A response's body as a file read as it arrives, for bodies too large to hold (an archive of a gigabyte).

    A download that breaks off (a dropped connection, a read timing out, a body shorter than announced) raises
    OSError, as a file that cannot be read does.
    """

    def __init__(self, response: httpx.Response, url: str) -> None:
        super().__init__()
        self._chunks = response.iter_raw()
        self._url = url
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        """True: this is a file to read."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Fill `buffer` with what has arrived (waiting for more when nothing has); 0 at the end of the body."""
        while not self._pending:
            try:
                self._pending = memoryview(next(self._chunks))
            except StopIteration:
                return 0
            except httpx.HTTPError as error:
                raise OSError(f"{self._url}: the download broke off: {type(error).__name__}: {error}") from error
        target = memoryview(buffer).cast("B")
        size = min(len(target), len(self._pending))
        target[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
