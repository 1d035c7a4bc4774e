"""Per-host politeness: how many requests may be in flight to one host, and how far apart they start."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class HostGate:
    """One host's politeness: a cap on requests in flight, and starts spaced by a minimum interval."""

    def __init__(
        self, concurrency: int, interval: float, clock: Callable[[], float], sleep: Callable[[float], None]
    ) -> None:
        self._slots = threading.BoundedSemaphore(concurrency)
        self._interval = interval
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next_start = float("-inf")

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the host's slots, starting no sooner than its pacing allows."""
        with self._slots:
            wait = self._reserve_start()
            if wait > 0:
                self._sleep(wait)
            yield

    def defer(self, seconds: float) -> None:
        """Start no request to this host for `seconds` (a back-off, or the server's Retry-After)."""
        with self._lock:
            self._next_start = max(self._next_start, self._clock() + seconds)

    def _reserve_start(self) -> float:
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start)
            self._next_start = start + self._interval
            return start - now
