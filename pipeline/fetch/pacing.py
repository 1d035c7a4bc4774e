"""Per-host politeness: how many requests may be in flight to one host, how far apart they start, how long the
host asked us to stay away, and whether it has stopped answering."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pipeline.errors import RejectedInput

RETRY_AFTER = "retry-after"
"""The reason of a URL deferred to a later run because its host asked us (Retry-After) to wait longer than we do."""

CRAWL_DELAY = "crawl-delay"
"""The reason of a URL deferred because its host asks (robots.txt) for more time between requests than we wait."""


class HostGate:
    """One host's politeness: a cap on requests in flight, an interval between the end of one request and the start
    of the next, a time before which nothing starts (the host's Retry-After), and a count of attempts in a row it
    left unanswered.

    The interval counts from the end of the previous request (its answer read), so the host sees its requests
    arrive at least an interval apart whatever the time each takes in transit.
    """

    def __init__(
        self,
        host: str,
        concurrency: int,
        interval: float,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        max_failures: int = 5,
    ) -> None:
        self._host = host
        self._max_failures = max_failures
        self._slots = threading.BoundedSemaphore(concurrency)
        self._base_interval = self._interval = interval
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next_start = float("-inf")
        self._last_request = float("-inf")
        self._blocked_until = float("-inf")
        self._asked_until = float("-inf")
        self._unanswered = 0
        self._last_failure: tuple[str, str] | None = None

    @property
    def interval(self) -> float:
        """Seconds between two requests to the host."""
        return self._interval

    @contextmanager
    def slot(self, url: str, max_wait: float) -> Iterator[None]:
        """Hold one of the host's slots, starting no sooner than its pacing and its Retry-After allow.

        Raises RejectedInput (`retry-after` or `crawl-delay`) instead of waiting longer than `max_wait` seconds,
        and (with the last failure's reason) once the host left `max_failures` attempts in a row unanswered.
        """
        with self._slots:
            self._refuse_when_given_up(url)
            while True:
                wait = self._reserve_start(url, max_wait)
                if wait <= 0:
                    break
                self._sleep(wait)
                # A Retry-After that arrived while this request slept (another slot's 429) holds it back too.
                if self._clock() >= self._blocked_until:
                    break
            try:
                yield
            finally:
                self._finished()

    def pace(self, seconds: float) -> None:
        """Space requests by `seconds` (robots.txt's Crawl-delay or Request-rate), or the configured interval
        when that is longer; counted from the last request already made."""
        with self._lock:
            self._interval = max(self._base_interval, seconds)
            self._next_start = max(self._next_start, self._last_request + self._interval)

    def defer(self, seconds: float) -> None:
        """Start no request to this host for `seconds` (a back-off between retries)."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def hold(self, seconds: float) -> None:
        """Start no request to this host for `seconds`, because the host asked (Retry-After): kept for later runs."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)
            self._asked_until = max(self._asked_until, self._clock() + seconds)

    def held_for(self) -> float:
        """Seconds the host still asks us to stay away (Retry-After); 0 when it does not."""
        with self._lock:
            return max(0.0, self._asked_until - self._clock())

    def answered(self) -> None:
        """Note that the host answered (whatever the status)."""
        with self._lock:
            self._unanswered = 0

    def unanswered(self, reason: str, why: str) -> None:
        """Note an attempt the host left unanswered (a timeout, a refused or dropped connection)."""
        with self._lock:
            self._unanswered += 1
            self._last_failure = (reason, why)

    def _refuse_when_given_up(self, url: str) -> None:
        with self._lock:
            if self._unanswered < self._max_failures or self._last_failure is None:
                return
            reason, why = self._last_failure
        given_up = f"{self._host} left {self._unanswered} attempts in a row unanswered (last: {why})"
        raise RejectedInput(reason, f"{url}: {given_up}; the host is given up for this run")

    def _reserve_start(self, url: str, max_wait: float) -> float:
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start, self._blocked_until)
            if start - now > max_wait:
                raise self._deferred(url, start - now, max_wait, blocked=self._blocked_until - now > max_wait)
            self._last_request = start
            self._next_start = start + self._interval
            return start - now

    def _finished(self) -> None:
        with self._lock:
            self._last_request = max(self._last_request, self._clock())
            self._next_start = max(self._next_start, self._last_request + self._interval)

    def _deferred(self, url: str, wait: float, max_wait: float, blocked: bool) -> RejectedInput:
        if blocked:
            why = f"{self._host} asked (Retry-After) not to be asked for another {wait:.0f} s"
            return RejectedInput(
                RETRY_AFTER, f"{url}: {why}, longer than this run waits ({max_wait:g} s); left for a later run"
            )
        why = f"{self._host} asks (robots.txt) for {self._interval:g} s between requests"
        return RejectedInput(
            CRAWL_DELAY, f"{url}: {why}, longer than this run waits ({max_wait:g} s); left for a later run"
        )
