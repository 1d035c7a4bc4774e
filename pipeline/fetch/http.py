"""A polite HTTP client: robots.txt, per-host pacing, retries, caps, safe hosts; every failure a reject.

Failures of one URL raise `RejectedInput` with a stable reason, so a batch records them and goes on. That
includes 5xx, 429 and timeouts once the retries are spent (`server-error`, `rate-limited`, `timeout`): a site
that is down today is a fact about that URL, not a reason to rerun the whole batch. Only `fetch_many` raises
`TransientError`, when every URL of a batch spanning two hosts or more failed to connect: that is the network.
"""

from __future__ import annotations

import io
import itertools
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import replace
from types import TracebackType
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from pipeline.errors import RejectedInput, TransientError
from pipeline.fetch import pacing, robots, safety
from pipeline.fetch.pacing import HostGate
from pipeline.fetch.policy import FetchPolicy as FetchPolicy  # the client and its policy, from one module
from pipeline.fetch.responses import (
    REDIRECT_STATUSES,
    Answer,
    BodyStream,
    Deadline,
    Fetched,
    ReadOptions,
    Retryable,
    Validators,
    conditional_headers,
    fetched_from,
    read_answer,
    retry_after_seconds,
)
from pipeline.record import Reject

ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
STREAM_BUFFER = 1 << 20
"""Bytes read ahead of a stream's reader."""


class PoliteClient:
    """Fetches pages politely and safely over one `httpx.Client`; use it as a context manager."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._policy, self._clock, self._sleep = policy, clock, sleep
        # No wait may outlast the response's whole time cap: the headers of a server that never answers included.
        total = policy.total_timeout
        timeout = httpx.Timeout(min(policy.read_timeout, total), connect=min(policy.connect_timeout, total), pool=total)
        headers = policy.identity_headers | {"Accept": ACCEPT, "Accept-Encoding": "gzip, deflate, br"}
        # No proxies from the environment: a proxy would resolve hosts where the private-address check cannot see.
        # A `transport` given (tests, benchmarks) replaces the pinned one, and with it the private-address check.
        transport = transport or safety.pinned_transport(policy.allow_private_hosts)
        self._client = httpx.Client(
            transport=transport, timeout=timeout, headers=headers, follow_redirects=False, trust_env=False
        )
        self._token = robots.product_token(policy.user_agent)
        self._robots = robots.RobotsCache(
            self._token, self._fetch_robots, clock, policy.robots_ttl,
            policy.robots_failure_ttl,
        )  # fmt: skip
        self._gates: dict[str, HostGate] = {}
        self._gates_lock = threading.Lock()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    @property
    def policy(self) -> FetchPolicy:
        """How this client fetches."""
        return self._policy

    def fetch(self, url: str, validators: Validators | None = None, *, require_text: bool = True) -> Fetched:
        """The page at `url`; raises RejectedInput (stable reason, detail naming the URL) when it cannot be had.

        Without `require_text`, a body of any media type is kept (a gzipped sitemap served as application/x-gzip).
        """
        validators = validators or Validators()
        options = ReadOptions(conditional_headers(validators), self._policy.max_bytes, require_text=require_text)
        return fetched_from(url, self._follow(url, options), validators, require_text=require_text)

    @contextmanager
    def open_stream(self, url: str) -> Iterator[BinaryIO]:
        """The body at `url` as a file read as it arrives, for an archive too large to hold: robots.txt, pacing,
        identity and safe hosts as for `fetch`, and one of the host's slots held while it is read. No size or
        total time cap; each read still times out.

        Raises RejectedInput when there is no body to read (an HTTP error, a refused host); a read that breaks off
        midway raises OSError.
        """
        start = current = self._checked(url)
        redirects: list[str] = []
        while True:
            rules = self._robots.check(_origin(current), str(current))
            gate = self._gate(current.host)
            gate.pace(rules.interval(self._token))
            with gate.slot(str(current), self._policy.max_wait):
                response = self._send_streaming(current, gate)
                try:
                    location = _stream_location(current, response, gate)
                    if location is None:
                        yield io.BufferedReader(BodyStream(response, str(current)), STREAM_BUFFER)
                        return
                finally:
                    response.close()
            redirects.append(str(current))
            current = self._redirect_target(start, current, location, redirects, False)

    def _send_streaming(self, url: httpx.URL, gate: HostGate) -> httpx.Response:
        request = self._client.build_request("GET", url, headers={"Accept-Encoding": "identity"})
        try:
            response = self._client.send(request, stream=True)
        except safety.PrivateAddress as error:
            raise RejectedInput(safety.PRIVATE_ADDRESS, f"{url}: {error}") from None
        except httpx.TimeoutException as error:
            gate.unanswered("timeout", f"no answer in time ({type(error).__name__})")
            raise RejectedInput("timeout", f"{url}: no answer in time ({type(error).__name__})") from error
        except httpx.TransportError as error:
            gate.unanswered(robots.UNREACHABLE, f"{type(error).__name__}: {error}")
            raise RejectedInput(robots.UNREACHABLE, f"{url}: {type(error).__name__}: {error}") from error
        gate.answered()
        return response

    def hold(self, host: str, seconds: float) -> None:
        """Ask `host` nothing for `seconds`: what it asked (Retry-After) of a run before this one."""
        self._gate(host).hold(seconds)

    def holds(self) -> dict[str, float]:
        """The hosts that asked (Retry-After) not to be asked for a while yet, with the seconds left."""
        with self._gates_lock:
            gates = dict(self._gates)
        return {host: seconds for host, gate in gates.items() if (seconds := gate.held_for()) > 0}

    def robots_sitemaps(self, origin: str) -> tuple[str, ...]:
        """The `Sitemap:` URLs of the origin's robots.txt (none when it has no readable one)."""
        return self._robots.rules_for(origin).sitemaps

    def fetch_many(self, urls: Iterable[tuple[str, Validators | None]]) -> Iterator[Fetched | Reject]:
        """Each URL fetched (concurrently, paced per host; order not kept) or rejected at stage `fetch`.

        Rejects carry no source (the caller knows it: `dataclasses.replace(reject, source=...)`).

        Raises TransientError, having yielded nothing that failed, when every URL failed to connect and
        they span two hosts or more: the network is down, and the batch should be retried whole.
        """
        watch = _NetworkWatch()
        for result in self._fetch_concurrently(urls):
            yield from watch.pass_on(result)
        yield from watch.remaining()

    def _fetch_concurrently(self, urls: Iterable[tuple[str, Validators | None]]) -> Iterator[Fetched | Reject]:
        pool = ThreadPoolExecutor(self._policy.total_concurrency, thread_name_prefix="wiredesk-fetch")
        try:
            futures = [pool.submit(self._fetch_or_reject, url, v) for url, v in _interleaved_by_host(urls)]
            for future in as_completed(futures):
                yield future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _fetch_or_reject(self, url: str, validators: Validators | None) -> Fetched | Reject:
        try:
            return self.fetch(url, validators)
        except RejectedInput as error:
            return Reject(None, url, "fetch", error.reason, error.detail)

    def _follow(self, url: str, options: ReadOptions) -> Answer:
        start = self._checked(url)
        current = start
        redirects: list[str] = []
        while True:
            if options.obey_robots:
                rules = self._robots.check(_origin(current), str(current))
                self._gate(current.host).pace(rules.interval(self._token))
            answer = self._with_retries(current, options)
            if answer.location is None:
                return replace(answer, redirects=tuple(redirects))
            redirects.append(str(current))
            current = self._redirect_target(start, current, answer.location, redirects, options.redirect_off_host)

    def _redirect_target(
        self, start: httpx.URL, current: httpx.URL, location: str, seen: list[str], off_host: bool
    ) -> httpx.URL:
        try:
            target = current.join(location).copy_with(fragment=None)
        except (httpx.InvalidURL, ValueError) as error:
            raise RejectedInput("bad-url", f"{start}: redirect to an invalid URL {location!r}: {error}") from error
        if str(target) in seen:
            raise RejectedInput("redirect-loop", f"{start}: redirects loop back to {target}")
        if len(seen) > self._policy.max_redirects:
            raise RejectedInput("too-many-redirects", f"{start}: more than {self._policy.max_redirects} redirects")
        if not (off_host or self._policy.allow_redirects_off_host) and not safety.same_site(start.host, target.host):
            raise RejectedInput("redirect-off-host", f"{start}: redirects to another host, {target}")
        return self._checked(str(target), start)

    def _checked(self, text: str, start: httpx.URL | None = None) -> httpx.URL:
        """The URL parsed, once it is http(s) and on an allowed host (its address is checked on connecting)."""
        named = f"{start}: redirect to {text}" if start else text
        try:
            url = httpx.URL(text)
        except (httpx.InvalidURL, ValueError, TypeError) as error:
            raise RejectedInput("bad-url", f"{named}: not a URL: {error}") from error
        if url.scheme not in ("http", "https"):
            raise RejectedInput("not-http", f"{named}: only http and https are fetched")
        if not url.host:
            raise RejectedInput("bad-url", f"{named}: no host")
        if not safety.host_allowed(url.host, self._policy.allowed_hosts):
            raise RejectedInput("host-not-allowed", f"{named}: {url.host} is not in the allowed hosts")
        return url

    def _with_retries(self, url: httpx.URL, options: ReadOptions) -> Answer:
        attempt = 0
        while True:
            try:
                return self._attempt(url, options)
            except Retryable as failure:
                attempt += 1
                gate = self._gate(url.host)
                if failure.retry_after is not None:
                    # The server's word holds for the whole host, and for longer than our retries of this URL.
                    gate.hold(failure.retry_after)
                    if failure.retry_after > self._policy.max_wait:
                        raise self._deferred(url, failure) from None
                if attempt > self._policy.retries:
                    raise RejectedInput(failure.reason, f"{url}: {failure.why} ({attempt} attempts)") from None
                if failure.retry_after is None:
                    gate.defer(self._backoff_wait(attempt))

    def _deferred(self, url: httpx.URL, failure: Retryable) -> RejectedInput:
        asked = f"{failure.why} with Retry-After {failure.retry_after:.0f} s"
        waits = f"longer than this run waits ({self._policy.max_wait:g} s); left for a later run"
        return RejectedInput(pacing.RETRY_AFTER, f"{url}: {asked}, {waits}")

    def _backoff_wait(self, attempt: int) -> float:
        # Half fixed, half random: retries from many workers spread out instead of arriving together.
        base = self._policy.backoff * 2.0 ** (attempt - 1)
        return min(base / 2 + random.uniform(0, base / 2), self._policy.max_wait)

    def _attempt(self, url: httpx.URL, options: ReadOptions) -> Answer:
        gate = self._gate(url.host)
        with gate.slot(str(url), self._policy.max_wait):
            total = self._policy.total_timeout
            deadline = Deadline(self._clock() + total, total, self._clock)
            try:
                with self._client.stream("GET", url, headers=options.headers) as response:
                    gate.answered()
                    return read_answer(url, response, deadline, options)
            except safety.PrivateAddress as error:
                raise RejectedInput(safety.PRIVATE_ADDRESS, f"{url}: {error}") from None
            except httpx.TimeoutException as error:
                failure = Retryable("timeout", f"no answer in {total:g} s ({type(error).__name__})")
            except httpx.TransportError as error:
                failure = Retryable(robots.UNREACHABLE, f"{type(error).__name__}: {error}")
        gate.unanswered(failure.reason, failure.why)
        raise failure

    def _fetch_robots(self, origin: str) -> robots.RobotsRules:
        options = ReadOptions(
            {}, robots.MAX_ROBOTS_BYTES, obey_robots=False, require_text=False, cut_at_limit=True,
            redirect_off_host=True,
        )  # fmt: skip
        try:
            answer = self._follow(f"{origin}/robots.txt", options)
        except RejectedInput as error:
            if error.reason in (safety.PRIVATE_ADDRESS, pacing.RETRY_AFTER, pacing.CRAWL_DELAY):
                # Not a fact about robots.txt: the page itself is refused (or deferred) for the same reason.
                raise
            return robots.rules_from_failure(error)
        return robots.rules_from_text(answer.payload.decode("utf-8", errors="replace"))

    def _gate(self, host: str) -> HostGate:
        with self._gates_lock:
            if host not in self._gates:
                policy = self._policy
                self._gates[host] = HostGate(
                    host, policy.per_host_concurrency, policy.min_interval, self._clock, self._sleep,
                    policy.max_host_failures,
                )  # fmt: skip
            return self._gates[host]


class _NetworkWatch:
    """Holds connection failures back until something answers, to tell a dead network from dead hosts."""

    def __init__(self) -> None:
        self._held: list[Reject] = []
        self._network_answered = False

    def pass_on(self, result: Fetched | Reject) -> list[Fetched | Reject]:
        """The results that can be yielded now."""
        if self._network_answered:
            return [result]
        if isinstance(result, Reject) and result.reason == robots.UNREACHABLE:
            self._held.append(result)
            return []
        self._network_answered = True
        held, self._held = self._held, []
        return [*held, result]

    def remaining(self) -> list[Reject]:
        """The failures held to the end; raises TransientError when they span two hosts or more."""
        hosts = {urlsplit(reject.origin).hostname for reject in self._held}
        if len(hosts) >= 2:
            raise TransientError(f"could not connect to any of {len(hosts)} hosts: is the network down?")
        return self._held


def _stream_location(url: httpx.URL, response: httpx.Response, gate: HostGate) -> str | None:
    """Where a redirect points, or None for a body to read; RejectedInput for any other answer (a Retry-After
    holding the host as for `fetch`)."""
    status, headers = response.status_code, response.headers
    if status in REDIRECT_STATUSES and "location" in headers:
        return headers["location"]
    if status == 200:
        if headers.get("content-encoding", "identity").strip().lower() not in ("identity", ""):
            raise RejectedInput(
                "bad-content-encoding", f"{url}: a stream must come as it is, not {headers['content-encoding']}"
            )
        return None
    retry_after = retry_after_seconds(headers.get("retry-after")) if status in (429, 503) else None
    if retry_after is not None:
        gate.hold(retry_after)
    reason = "rate-limited" if status == 429 else "server-error" if status >= 500 else f"http-{status}"
    raise RejectedInput(reason, f"{url}: HTTP {status}")


def _origin(url: httpx.URL) -> str:
    port = f":{url.port}" if url.port is not None else ""
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}{port}"


def _interleaved_by_host(urls: Iterable[tuple[str, Validators | None]]) -> list[tuple[str, Validators | None]]:
    """The URLs reordered round-robin over hosts, so one busy host does not hold every worker."""
    by_host: dict[str, list[tuple[str, Validators | None]]] = {}
    for item in urls:
        by_host.setdefault(_host_of(item[0]), []).append(item)
    rounds = itertools.zip_longest(*by_host.values())
    return [item for round_ in rounds for item in round_ if item is not None]


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""
