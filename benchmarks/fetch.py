"""Fetch throughput: wiredesk's polite client against plain httpx, on the same local server, in one run.

    python benchmarks/fetch.py [--pages 2000] [--workers 8]

Serves the saved real pages from the test server (tests/fetch/server.py) on 127.0.0.1 and downloads `--pages` of
them twice: with plain `httpx.Client` GETs on a thread pool (the baseline), and with `PoliteClient.fetch_many`
with per-host politeness off (no minimum interval, the same concurrency) but everything else on: robots.txt,
address checks, size and time caps, encoding detection, hashing. Prints pages/s for both, the ratio, and the
client's overhead per page in milliseconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from rich.progress import Progress

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test server lives in tests/

from pipeline.fetch.http import FetchPolicy, PoliteClient
from pipeline.record import Reject
from tests.fetch.server import PAGE_NAMES, PageServer


def urls(base: str, count: int) -> list[str]:
    """`count` distinct URLs of the saved pages."""
    return [f"{base}/page/{PAGE_NAMES[n % len(PAGE_NAMES)]}?n={n}" for n in range(count)]


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
    server = PageServer().start()
    try:
        targets = urls(server.base_url, args.pages)
        with Progress(transient=True) as progress:
            baseline = time_httpx(targets, args.workers, progress)
            wiredesk = time_wiredesk(targets, args.workers, progress)
    finally:
        server.stop()
    print(f"{args.pages} pages of {len(PAGE_NAMES)} saved real pages, {args.workers} workers, one host (127.0.0.1)")
    print(f"plain httpx     : {args.pages / baseline:8.0f} pages/s")
    print(f"wiredesk client : {args.pages / wiredesk:8.0f} pages/s")
    print(f"ratio           : {baseline / wiredesk:8.2f}")
    print(f"overhead        : {(wiredesk - baseline) / args.pages * 1000:8.2f} ms per page")


if __name__ == "__main__":
    main()
