"""From bytes on the wire to text: undo the Content-Encoding within a size cap, then decide the charset."""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import brotli
import charset_normalizer

from pipeline.errors import RejectedInput

OUTPUT_STEP = 64 * 1024
"""Most bytes one decompression call may produce, so a bomb is cut before it is inflated."""

PRESCAN_BYTES = 2048
"""How much of the document is searched for `<meta charset>` or an XML encoding declaration."""

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16: its BOM starts with UTF-16-LE's
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels browsers accept that Python does not know, by their WHATWG names.
LABEL_ALIASES = {
    "windows-874": "cp874",
    "x-mac-cyrillic": "mac-cyrillic",
    "iso-8859-8-i": "iso8859-8",
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    "x-cp1252": "cp1252",
}

# Browsers decode these labels with a superset codec; pages labelled latin-1 are in practice windows-1252.
SUPERSETS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "utf-16": "utf-16-le",
}

# The encodings of the WHATWG Encoding Standard, by Python codec name; any other label (utf-7,
# unicode-escape, rot-13...) is ignored rather than trusted.
WEB_CODECS = frozenset(
    {"utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp866", "koi8-r", "koi8-u"}
    | {"mac-roman", "mac-cyrillic", "cp874", "gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "cp932", "cp949"}
    | {f"cp{number}" for number in range(1250, 1259)}
    | {f"iso8859-{number}" for number in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)}
)

TEXT_MEDIA_TYPES = frozenset({"application/xhtml+xml", "application/xml", "application/json", "application/javascript"})
"""Media types outside `text/*` (and `+xml`, `+json`) that are text."""

HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';\s]+)""", re.IGNORECASE)
META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A document's text and the codec it was decoded with."""

    text: str
    """The document as text; undecodable bytes (only when no codec fits) become U+FFFD."""
    encoding: str
    """Python name of the codec used (`utf-8`, `cp1256`, ...)."""


def decode_text(payload: bytes, content_type: str | None) -> DecodedText:
    """The payload as text, with the codec decided from BOM, header, in-document declaration and detection."""
    bom_codec = _bom_codec(payload)
    if bom_codec is not None:
        return DecodedText(payload.decode(bom_codec, errors="replace").removeprefix("\ufeff"), bom_codec)
    codec = _declared_codec_that_fits(payload, content_type) or _detected_codec(payload)
    return DecodedText(payload.decode(codec, errors="replace"), codec)


def header_charset(content_type: str | None) -> str | None:
    """The `charset` parameter of a Content-Type header value, if any."""
    match = HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def web_codec(label: str | None) -> str | None:
    """The Python codec a browser would use for a charset label, or None for unknown or unsafe labels."""
    if not label:
        return None
    label = label.strip().lower()
    try:
        name = codecs.lookup(LABEL_ALIASES.get(label, label)).name
    except (LookupError, ValueError):
        return None
    name = SUPERSETS.get(name, name)
    return name if name in WEB_CODECS else None


def media_type_of(content_type: str | None) -> str | None:
    """The media type of a Content-Type value, lowercased, without parameters; None when there is none."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    return media_type if "/" in media_type else None


def is_text(media_type: str) -> bool:
    """Whether a media type is text to decode (HTML, XML, feeds, JSON, plain text)."""
    return media_type.startswith("text/") or media_type in TEXT_MEDIA_TYPES or media_type.endswith(("+xml", "+json"))


def sniffed_media_type(url: str, payload: bytes, otherwise: str | None = None) -> str:
    """`text/html` or `application/xml` for a body that starts with markup; `otherwise` for another body, or
    RejectedInput when there is no `otherwise`."""
    head = payload[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        return "application/xml"
    if head.startswith(b"<"):
        return "text/html"
    if otherwise is not None:
        return otherwise
    raise RejectedInput("not-text", f"{url}: no Content-Type, and the body does not look like a page")


def _bom_codec(payload: bytes) -> str | None:
    return next((codec for bom, codec in BOMS if payload.startswith(bom)), None)


def _declared_codec_that_fits(payload: bytes, content_type: str | None) -> str | None:
    # Valid UTF-8 with non-ASCII bytes is almost never an accident in legacy-encoded text, while pages
    # labelled windows-1252 or windows-1256 that are really UTF-8 are common: so UTF-8 wins when it fits.
    if not payload.isascii() and _decodes(payload, "utf-8"):
        return "utf-8"
    for codec in (web_codec(header_charset(content_type)), _in_document_codec(payload)):
        # A declaration the bytes contradict (cp1256 bytes labelled utf-8) is ignored: detection decides.
        if codec is not None and _decodes(payload, codec):
            return codec
    return "utf-8" if payload.isascii() else None


def _in_document_codec(payload: bytes) -> str | None:
    head = payload[:PRESCAN_BYTES]
    match = XML_ENCODING.search(head) or META_CHARSET.search(head)
    if match is None:
        return None
    codec = web_codec(match.group(1).decode("ascii"))
    # A document that can say "utf-16" in ASCII is not UTF-16; browsers read it as UTF-8.
    return "utf-8" if codec is not None and codec.startswith("utf-16") else codec


def _detected_codec(payload: bytes) -> str:
    best = charset_normalizer.from_bytes(payload).best()
    codec = web_codec(best.encoding) if best is not None else None
    return codec or "utf-8"


def _decodes(payload: bytes, codec: str) -> bool:
    try:
        payload.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


class BodyDecoder(Protocol):
    """Undoes one Content-Encoding a chunk at a time, never holding more than the cap."""

    def feed(self, chunk: bytes) -> None:
        """Decompress `chunk` into the body; raises RejectedInput when the body passes the cap."""

    def finish(self) -> bytes:
        """The whole decompressed body; raises RejectedInput when the stream is truncated or corrupt."""

    @property
    def full(self) -> bool:
        """Whether a decoder that cuts has reached its cap: what follows is dropped, so reading can stop."""


class _Bounded:
    """Collects decompressed output; past `limit` bytes it rejects the body, or with `cut` keeps its start."""

    def __init__(self, limit: int, url: str, cut: bool = False) -> None:
        self._limit = limit
        self._url = url
        self._cut = cut
        self._parts: list[bytes] = []
        self._size = 0

    @property
    def full(self) -> bool:
        return self._cut and self._size >= self._limit

    def _keep(self, data: bytes, reason: str) -> None:
        if self.full:
            return
        self._size += len(data)
        if self._size > self._limit:
            if not self._cut:
                raise RejectedInput(reason, f"{self._url}: body passes {self._limit} bytes once decompressed")
            data = data[: len(data) - (self._size - self._limit)]
            self._size = self._limit
        self._parts.append(data)

    def _body(self) -> bytes:
        return b"".join(self._parts)


class _Identity(_Bounded):
    def feed(self, chunk: bytes) -> None:
        self._keep(chunk, "too-large")

    def finish(self) -> bytes:
        return self._body()


class _Zlib(_Bounded):
    def __init__(self, limit: int, url: str, wbits: int, cut: bool = False) -> None:
        super().__init__(limit, url, cut)
        self._wbits = wbits
        self._inflater = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, chunk: bytes) -> None:
        try:
            self._inflate(chunk)
        except zlib.error as error:
            if self._started or self._wbits != zlib.MAX_WBITS:
                raise _corrupt(self._url, error) from error
            # Servers send "deflate" both zlib-wrapped (as the RFC says) and raw; try raw, as browsers do.
            self._wbits, self._inflater = -zlib.MAX_WBITS, zlib.decompressobj(-zlib.MAX_WBITS)
            self.feed(chunk)

    def _inflate(self, data: bytes) -> None:
        while not self.full:
            output = self._inflater.decompress(data, OUTPUT_STEP)
            self._keep(output, "decompression-bomb")
            self._started = True
            data = self._inflater.unconsumed_tail
            # A full step may leave output pending inside zlib even when all input was taken.
            if not data and len(output) < OUTPUT_STEP:
                return

    def finish(self) -> bytes:
        if self._started and not self._inflater.eof and not self._cut:
            raise _corrupt(self._url, "the compressed stream is truncated")
        return self._body()


class _Brotli(_Bounded):
    def __init__(self, limit: int, url: str, cut: bool = False) -> None:
        super().__init__(limit, url, cut)
        self._decompressor = brotli.Decompressor()

    def feed(self, chunk: bytes) -> None:
        try:
            self._keep(self._decompressor.process(chunk, output_buffer_limit=OUTPUT_STEP), "decompression-bomb")
            # Output held back by the limit comes out of calls with empty input.
            while not self._decompressor.can_accept_more_data() and not self.full:
                self._keep(self._decompressor.process(b"", output_buffer_limit=OUTPUT_STEP), "decompression-bomb")
        except brotli.error as error:
            raise _corrupt(self._url, error) from error

    def finish(self) -> bytes:
        if not self._decompressor.is_finished() and not self._cut:
            raise _corrupt(self._url, "the compressed stream is truncated")
        return self._body()


def body_decoder(content_encoding: str | None, limit: int, url: str, *, cut: bool = False) -> BodyDecoder:
    """A decoder for the response's Content-Encoding, holding at most `limit` bytes: past it, the body is refused,
    or with `cut` its start kept; raises RejectedInput for an encoding we cannot undo."""
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("identity", ""):
        return _Identity(limit, url, cut)
    if encoding in ("gzip", "x-gzip"):
        return _Zlib(limit, url, zlib.MAX_WBITS | 16, cut)
    if encoding == "deflate":
        return _Zlib(limit, url, zlib.MAX_WBITS, cut)
    if encoding == "br":
        return _Brotli(limit, url, cut)
    raise RejectedInput("bad-content-encoding", f"{url}: cannot undo Content-Encoding {encoding!r}")


GZIP_MAGIC = b"\x1f\x8b"
"""The first two bytes of a gzip stream."""


def gunzip(chunks: Iterable[bytes], limit: int, origin: str) -> bytes:
    """The gzip stream in `chunks`, decompressed a step at a time; raises RejectedInput (`decompression-bomb`) as
    soon as the output passes `limit` bytes, and (`bad-content-encoding`) when the stream is corrupt or cut."""
    decoder = body_decoder("gzip", limit, origin)
    for chunk in chunks:
        decoder.feed(chunk)
    return decoder.finish()


def _corrupt(url: str, why: object) -> RejectedInput:
    return RejectedInput("bad-content-encoding", f"{url}: the compressed body is corrupt: {why}")
