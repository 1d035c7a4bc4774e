"""A wire outlet on 127.0.0.1 for the DAG tests: an RSS feed of saved real news pages, one a syndicated copy.

The pages in `tests/fixtures/wire-site/` are Reuters and AP stories from the article-extraction benchmark (MIT,
Scrapinghub; licence in `tests/fixtures/LICENSE.article-extraction-benchmark`), named by their benchmark hash.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "wire-site"
STORIES = tuple(sorted(path.name.removesuffix(".html.gz") for path in PAGES.glob("*.html.gz")))
MIRRORED = STORIES[0]
"""A story the outlet also runs under a second URL, as outlets do with wire copy."""


class WireSite:
    """A ThreadingHTTPServer on an ephemeral port; `on_request` lets a test act when a path is asked for."""

    def __init__(self, published: str) -> None:
        self.published = published
        """RFC 822 date given to every feed item."""
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.site = self  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.hits: Counter[str] = Counter()
        self.on_request: Callable[[str, int], None] = lambda path, hit: None
        self.listed: tuple[str, ...] = STORIES
        """The stories the feed lists tonight (a night's feed lists that night's stories)."""
        self.failing: set[str] = set()
        """Paths that answer HTTP 500, as a feed whose server is broken does."""
        self.lists_gone_link = True
        """Whether the feed lists a link that is gone (404) too."""
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> WireSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def feed_urls(self) -> list[str]:
        """What the feed lists: every story listed (all by default), the mirrored one twice, and a link that is gone
        (404)."""
        urls = [f"{self.base_url}/news/{name}" for name in self.listed]
        mirror = [f"{self.base_url}/wire/{MIRRORED}"] if MIRRORED in self.listed else []
        gone = [f"{self.base_url}/news/withdrawn"] if self.lists_gone_link else []
        return [*urls, *mirror, *gone]

    def feed(self) -> bytes:
        """The RSS feed."""
        items = "".join(
            f"<item><title>Story {n}</title><link>{url}</link><pubDate>{self.published}</pubDate></item>"
            for n, url in enumerate(self.feed_urls())
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site: WireSite = self.server.site  # type: ignore[attr-defined]
        path = self.path.split("?", 1)[0]
        with site.lock:
            site.hits[path] += 1
            hit = site.hits[path]
        site.on_request(path, hit)
        name = path.rsplit("/", 1)[-1]
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if path in site.failing:
                self._send(500, b"internal error", "text/plain")
            elif path == "/robots.txt":
                self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            elif path == "/feed.rss":
                self._send(200, site.feed(), "application/rss+xml")
            elif path.startswith(("/news/", "/wire/")) and name in STORIES:
                self._send(200, gzip.decompress((PAGES / f"{name}.html.gz").read_bytes()), "text/html; charset=utf-8")
            else:
                self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
