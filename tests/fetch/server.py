"""A real HTTP server on 127.0.0.1 for the fetcher's tests: saved real pages, and every way a server misbehaves.

The pages in `tests/fixtures/pages/` are from the article-extraction benchmark (MIT, Scrapinghub; licence in
`tests/fixtures/LICENSE.article-extraction-benchmark`): thespacereview.com (c00962aa...), blog.comwrap.com
(ba07d1e6...) and lhpat-tm.com, in Japanese (85439e26...).
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import gzip
import hashlib
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import brotli

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
PAGE_NAMES = tuple(sorted(path.name.removesuffix(".html.gz") for path in PAGES.glob("*.html.gz")))
LAST_MODIFIED = "Sat, 22 Jan 2022 10:00:00 GMT"
DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private\n"
HUGE_BYTES = 50_000_000
BOMB_BYTES = 200_000_000
DRIP_BYTES = 200
DRIP_EVERY = 0.05
SLOW_SECONDS = 0.1
STALL_SECONDS = 0.5
HANG_SECONDS = 10

ARABIC = (
    "قالت وزارة الخارجية القطرية في بيان صدر اليوم السبت إن المحادثات بين الطرفين ستستأنف الأسبوع المقبل في "
    "الدوحة، وإن الوفدين اتفقا على جدول أعمال يشمل وقف إطلاق النار وتبادل الأسرى وإعادة فتح المعابر أمام "
    "المساعدات الإنسانية. وأضاف البيان أن الوسطاء سيواصلون اتصالاتهم مع جميع الأطراف."
)
ARABIC_PAGE = (
    f'<!doctype html><html lang="ar" dir="rtl"><head><title>الدوحة</title></head><body><p>{ARABIC}</p></body></html>'
)
FRENCH = "«Le café était fermé», a déclaré l’élu — “une première” depuis 1998, pour 5 €."
CP1252_PAGE = f'<html><head><meta charset="windows-1252"><title>Café</title></head><body><p>{FRENCH}</p></body></html>'
BOM_PAGE = "<html><body><p>Ünïcödé with a BOM: ‘quoted’ — ok</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
BILLION_LAUGHS = (Path(__file__).resolve().parent.parent / "fixtures" / "feeds" / "billion-laughs.xml").read_bytes()


@functools.cache
def page(name: str) -> bytes:
    """The saved page, decompressed."""
    return gzip.decompress((PAGES / f"{name}.html.gz").read_bytes())


@functools.cache
def gzip_bomb() -> bytes:
    """Gzip of BOMB_BYTES zeros (about 200 KB), built a megabyte at a time so it never holds the zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(1_000_000)
    parts = [compressor.compress(zeros) for _ in range(BOMB_BYTES // len(zeros))]
    return b"".join([*parts, compressor.flush()])


class PageServer:
    """A ThreadingHTTPServer on an ephemeral port of 127.0.0.1, with counters the tests read."""

    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.page_server = self  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.robots_status = 200
        self.robots_body = DEFAULT_ROBOTS
        self.hits: Counter[str] = Counter()
        self.requests: list[dict[str, str]] = []
        self.log: list[tuple[float, str]] = []
        """(time.monotonic() when it arrived, path) of every request, in order."""
        self.served: dict[str, tuple[int, bytes, str, dict[str, str]]] = {}
        """Answers a test sets for paths of its own: status, body, content type and headers."""
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> PageServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def count(self, path: str, headers: dict[str, str]) -> int:
        """Record a request; the number of requests for `path` so far, this one included."""
        with self.lock:
            self.hits[path] += 1
            self.requests.append({"path": path, **headers})
            self.log.append((time.monotonic(), path))
            return self.hits[path]

    def serve(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> str:
        """Answer `path` (its query aside) with this from now on; the path's full URL."""
        payload = body.encode() if isinstance(body, str) else body
        self.served[path] = (status, payload, content_type, headers or {})
        return f"{self.base_url}{path}"

    def serve_feed(self, path: str, urls: list[str]) -> str:
        """Serve an RSS feed listing `urls` at `path`; the feed's URL."""
        items = "".join(f"<item><title>{n}</title><link>{url}</link></item>" for n, url in enumerate(urls))
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>{items}</channel></rss>'
        return self.serve(path, feed, "application/rss+xml")


class _Handler(BaseHTTPRequestHandler):
    server_version = "wiredesk-test/1"

    @property
    def state(self) -> PageServer:
        return self.server.page_server  # type: ignore[attr-defined, no-any-return]

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: pytest shows failures, not access logs

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        hit = self.state.count(parts.path, {k.lower(): v for k, v in self.headers.items()})
        # The client cuts drips, bombs and huge bodies short, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(parts.path, parse_qs(parts.query), hit)

    def _route(self, path: str, query: dict[str, list[str]], hit: int) -> None:
        name = path.rsplit("/", 1)[-1]
        routes: dict[str, Callable[[], None]] = {
            "/robots.txt": lambda: self._send(self.state.robots_status, self.state.robots_body.encode(), "text/plain"),
            "/flaky": lambda: self._page_or_error(hit == 1, 500, {}),
            "/rate-limited": lambda: self._page_or_error(hit == 1, 429, {"Retry-After": "1"}),
            "/always-500": lambda: self._send(500, b"down", "text/plain"),
            "/always-429": lambda: self._send(429, b"slow down", "text/plain", {"Retry-After": "0"}),
            "/drip": self._drip,
            "/stall": self._stall,
            "/huge": lambda: self._zeros(announce=True),
            "/huge-unannounced": lambda: self._zeros(announce=False),
            "/bomb": lambda: self._send(200, gzip_bomb(), "text/html", {"Content-Encoding": "gzip"}),
            "/loop-a": lambda: self._redirect("/loop-b"),
            "/loop-b": lambda: self._redirect("/loop-a"),
            "/off-host": lambda: self._redirect(f"http://localhost:{self.state.port}/page/comwrap"),
            "/image.png": lambda: self._send(200, PNG, "image/png"),
            "/arabic": lambda: self._send(200, ARABIC_PAGE.encode("cp1256"), "text/html; charset=utf-8"),
            "/cp1252-meta": lambda: self._send(200, CP1252_PAGE.encode("cp1252"), "text/html"),
            "/utf8-bom": lambda: self._send(200, b"\xef\xbb\xbf" + BOM_PAGE.encode(), "text/html; charset=iso-8859-1"),
            "/bytes": lambda: self._send(200, bytes.fromhex(query["hex"][0]), query["type"][0]),
            "/feed.rss": lambda: self._send(200, self._feed(), "application/rss+xml"),
            "/hostile.rss": lambda: self._send(200, self._hostile_feed(), "application/rss+xml"),
            "/billion-laughs.rss": lambda: self._send(200, BILLION_LAUGHS, "application/rss+xml"),
            "/sitemap-index.xml": lambda: self._send(200, self._sitemap_index(), "application/xml"),
            "/sitemap-news.xml": lambda: self._send(200, self._news_sitemap(), "application/xml"),
            "/section/world": lambda: self._send(200, self._listing_page().encode(), "text/html; charset=utf-8"),
        }
        if path in self.state.served:
            self._send(*self.state.served[path])
        elif path in routes:
            routes[path]()
        elif path.startswith(("/page/", "/private/")) and name in PAGE_NAMES:
            self._page(name, honour_validators=True)
        elif path.startswith("/ignores-validators/") and name in PAGE_NAMES:
            self._page(name, honour_validators=False)
        elif path.startswith("/gzip/") and name in PAGE_NAMES:
            self._send(200, gzip.compress(page(name)), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        elif path.startswith("/br/") and name in PAGE_NAMES:
            self._send(200, brotli.compress(page(name)), "text/html; charset=utf-8", {"Content-Encoding": "br"})
        elif path.startswith("/hops/") and name.isdigit() and int(name) > 0:
            self._redirect(f"/hops/{int(name) - 1}")
        elif path == "/hops/0":
            self._page("comwrap", honour_validators=True)
        elif path.startswith("/slow/"):
            self._slow()
        elif path.startswith("/retry-after/") and name.isdigit():
            self._page_or_error(hit == 1, 429, {"Retry-After": name})
        elif path.startswith("/retry-after-date/") and name.isdigit():
            when = email.utils.formatdate(time.time() + int(name), usegmt=True)
            self._page_or_error(hit == 1, 503, {"Retry-After": when})
        elif path.startswith("/hang/"):
            time.sleep(HANG_SECONDS)
            self._send(200, b"<p>too late</p>", "text/html")
        else:
            self._send(404, b"not here", "text/plain")

    def _feed(self) -> bytes:
        """An RSS feed listing every saved page, one with tracking parameters, and two URLs that fail."""
        base = self.state.base_url
        links = [f"{base}/page/{name}" for name in PAGE_NAMES[:2]]
        links += [f"{base}/page/{PAGE_NAMES[0]}?utm_source=rss", f"{base}/always-500", f"{base}/image.png"]
        items = "".join(
            f"<item><title>Item {n}</title><link>{link}</link><pubDate>Sat, 22 Jan 2022 0{n}:00:00 GMT</pubDate></item>"
            for n, link in enumerate(links)
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title>{items}</channel></rss>'.encode()

    def _hostile_feed(self) -> bytes:
        """A feed listing every way a server misbehaves, next to two pages that work after a retry."""
        paths = ["/flaky", "/rate-limited", "/arabic", "/drip", "/huge", "/bomb", "/loop-a", "/image.png", "/missing"]
        items = "".join(f"<item><title>{path}</title><link>{self.state.base_url}{path}</link></item>" for path in paths)
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>{items}</channel></rss>'.encode()
        )

    def _listing_page(self) -> str:
        """A section front: two saved pages among navigation, a repeat, off-site and non-http links."""
        base = self.state.base_url
        links = [
            (f"/page/{PAGE_NAMES[0]}", "Talks to resume next week"),
            (f"/page/{PAGE_NAMES[0]}#comments", "12 comments"),
            (f"{base}/page/{PAGE_NAMES[1]}", "Markets fall"),
            ("https://elsewhere.example/page/story", "Partner site"),
            ("/about", "About us"),
            ("mailto:desk@example.com", "Contact"),
            ("javascript:void(0)", "Menu"),
            ("#top", "Top"),
            ("/section/world", "World"),
        ]
        anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
        navigation = "<nav><a href='/'>Home</a></nav>"
        return f"<html><head><title>World</title></head><body>{navigation}<ul>{anchors}</ul></body></html>"

    def _sitemap_index(self) -> bytes:
        """A sitemap index pointing at the news sitemap."""
        loc = f"{self.state.base_url}/sitemap-news.xml"
        return (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{loc}</loc></sitemap></sitemapindex>"
        ).encode()

    def _news_sitemap(self) -> bytes:
        """A news sitemap: the third saved page in the window, and one page published long before it."""
        base = self.state.base_url
        entries = [
            (f"{base}/page/{PAGE_NAMES[2]}", "2022-01-22T06:00:00Z"),
            (f"{base}/gzip/{PAGE_NAMES[2]}", "2020-01-01"),
        ]
        urls = "".join(
            f"<url><loc>{loc}</loc><news:news><news:publication_date>{when}</news:publication_date></news:news></url>"
            for loc, when in entries
        )
        return (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
        ).encode()

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _page(self, name: str, honour_validators: bool) -> None:
        body = page(name)
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if honour_validators and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            for key, value in validators.items():
                self.send_header(key, value)
            self.end_headers()
            return
        self._send(200, body, "text/html; charset=utf-8", validators)

    def _page_or_error(self, fail: bool, status: int, headers: dict[str, str]) -> None:
        if fail:
            self._send(status, b"try again", "text/plain", headers)
        else:
            self._page("comwrap", True)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(DRIP_BYTES))
        self.end_headers()
        for _ in range(DRIP_BYTES):
            self.wfile.write(b"<")
            self.wfile.flush()
            time.sleep(DRIP_EVERY)

    def _stall(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "9")
        self.end_headers()
        self.wfile.flush()
        time.sleep(STALL_SECONDS)
        self.wfile.write(b"<p>ok</p>")

    def _zeros(self, announce: bool) -> None:
        # Generated a chunk at a time: the 50 MB never exist at once.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if announce:
            self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = b" " * 65536
        for _ in range(HUGE_BYTES // len(chunk)):
            self.wfile.write(chunk)

    def _slow(self) -> None:
        with self.state.lock:
            self.state.in_flight += 1
            self.state.max_in_flight = max(self.state.max_in_flight, self.state.in_flight)
        time.sleep(SLOW_SECONDS)
        with self.state.lock:
            self.state.in_flight -= 1
        self._send(200, b"<html><body><p>slow</p></body></html>", "text/html; charset=utf-8")
