"""Fetch throughput: wiredesk's polite client against plain httpx, on the same local server, in one run.

    python benchmarks/fetch.py [--pages 2000] [--workers 8]

Serves the 181 real pages of the extraction benchmark (data/article-extraction/) from a plain HTTP server on
127.0.0.1 and downloads `--pages` of them twice: with plain `httpx.Client` GETs on a thread pool (the baseline),
and with `PoliteClient.fetch_many` with per-host politeness off (no minimum interval, the same concurrency) but
everything else on: robots.txt, address checks, size and time caps, encoding detection, hashing. Prints pages/s
for both, the ratio, and the client's overhead per page in milliseconds.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx
from extraction_sets import load_pages  # benchmarks/ is on sys.path when this file runs as a script
from rich.progress import Progress

from pipeline.fetch.http import FetchPolicy, PoliteClient
from pipeline.record import Reject


class PageServer:
    """The saved pages at `/page/<name>` and a robots.txt allowing everything, on an ephemeral port of 127.0.0.1."""

    def __init__(self, pages: Mapping[str, bytes]) -> None:
        handler = type("Handler", (_PageHandler,), {"pages": pages})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> PageServer:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _PageHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    pages: Mapping[str, bytes] = {}

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif (body := self.pages.get(path.removeprefix("/page/"))) is not None:
            self._send(200, body, "text/html; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would drown the figures


def urls(base: str, names: list[str], count: int) -> list[str]:
    """`count` distinct URLs of the saved pages."""
    return [f"{base}/page/{names[n % len(names)]}?n={n}" for n in range(count)]


def time_httpx(targets: list[str], workers: int, progress: Progress) -> float:
    """Seconds for plain httpx GETs of every URL, bodies read."""
    task = progress.add_task("plain httpx", total=len(targets))

    def get(client: httpx.Client, url: str) -> None:
        client.get(url).read()
        progress.advance(task)

    started = time.perf_counter()
    with httpx.Client(limits=httpx.Limits(max_connections=workers)) as client, ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda url: get(client, url), targets))
    return time.perf_counter() - started


def time_wiredesk(targets: list[str], workers: int, progress: Progress) -> float:
    """Seconds for PoliteClient.fetch_many over every URL, politeness off; fails on any reject."""
    task = progress.add_task("wiredesk client", total=len(targets))
    policy = FetchPolicy(
        min_interval=0, per_host_concurrency=workers, total_concurrency=workers, allow_private_hosts=True
    )
    started = time.perf_counter()
    with PoliteClient(policy) as client:
        for result in client.fetch_many((url, None) for url in targets):
            if isinstance(result, Reject):
                raise RuntimeError(f"benchmark page rejected: {result.detail}")
            progress.advance(task)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    pages = {page.item: page.html for page in load_pages()}
    with PageServer(pages) as server:
        targets = urls(server.base_url, sorted(pages), args.pages)
        with Progress(transient=True) as progress:
            baseline = time_httpx(targets, args.workers, progress)
            wiredesk = time_wiredesk(targets, args.workers, progress)
    print(f"{args.pages} pages of {len(pages)} saved real pages, {args.workers} workers, one host (127.0.0.1)")
    print(f"plain httpx     : {args.pages / baseline:8.0f} pages/s")
    print(f"wiredesk client : {args.pages / wiredesk:8.0f} pages/s")
    print(f"ratio           : {baseline / wiredesk:8.2f}")
    print(f"overhead        : {(wiredesk - baseline) / args.pages * 1000:8.2f} ms per page")


if __name__ == "__main__":
    main()
