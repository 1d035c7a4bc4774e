"""robots.txt as RFC 9309 has it (with Crawl-delay and Request-rate), parsed by protego and kept per origin.

What the RFC leaves to the crawler is decided here: a missing file (any 4xx, or a redirect chain too long to
follow) allows everything; a file the server fails to serve (5xx, 429, a timeout) disallows the whole origin until
it recovers, asked again after a short while; a file read is kept for a day. Groups are matched against our
User-Agent's product token (`wiredesk` in `wiredesk/0.1.0 (+https://...)`), case-insensitively.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from protego import Protego

from pipeline.errors import RejectedInput

MAX_ROBOTS_BYTES = 512 * 1024
"""Most of a robots.txt read; RFC 9309 asks crawlers to parse at least 500 KiB, and the rest is ignored."""

UNREACHABLE = "connection-failed"
"""The reason a refused or unresolvable origin is reported with, rather than as a robots.txt ban."""

DISALLOWED = "robots-disallowed"
"""The reason of a URL robots.txt keeps us from, or that waits for a robots.txt the server fails to serve."""

DISALLOW_ALL = "User-agent: *\nDisallow: /\n"

# A redirect chain robots.txt cannot be had through: the RFC lets the crawler treat the file as unavailable.
UNAVAILABLE_REDIRECTS = frozenset({"too-many-redirects", "redirect-loop"})

_PRODUCT_TOKEN = re.compile(r"[A-Za-z_-]+")


def product_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: `wiredesk` for `wiredesk/0.1.0 (+https://...)`."""
    match = _PRODUCT_TOKEN.match(user_agent.strip())
    return match.group(0).lower() if match else user_agent.strip().lower()


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one origin's robots.txt allows, or what its absence or failure means."""

    parser: Protego
    """The parsed file; empty (allow all) for a missing file, `DISALLOW_ALL` while the server fails to serve it."""
    failure: str | None = None
    """Why the origin is disallowed whole: how fetching its robots.txt failed (None when a file was read)."""
    unreachable: str | None = None
    """Why the origin could not be reached at all (its pages are then rejected as `connection-failed`)."""

    def allows(self, url: str, token: str) -> bool:
        """Whether the product `token` may fetch `url` (the longest matching rule wins; Allow wins a tie)."""
        return bool(self.parser.can_fetch(url, token))

    def interval(self, token: str) -> float:
        """Seconds the file asks between two requests of `token`: Crawl-delay, or Request-rate's period per
        request, whichever is longer; 0 when it asks neither."""
        delay = self.parser.crawl_delay(token) or 0.0
        rate = self.parser.request_rate(token)
        return max(delay, rate.seconds / rate.requests if rate else 0.0)

    @property
    def sitemaps(self) -> tuple[str, ...]:
        """The `Sitemap:` URLs the file lists, in order."""
        return tuple(dict.fromkeys(self.parser.sitemaps))


def rules_from_text(text: str) -> RobotsRules:
    """Rules parsed from the text of a robots.txt."""
    return RobotsRules(Protego.parse(text))


def rules_from_failure(error: RejectedInput) -> RobotsRules:
    """Rules for an origin whose robots.txt could not be fetched: allow all, forbid all, or unreachable."""
    # No file (any 4xx, or more redirects than the RFC's five) lets anyone crawl. Any other failure (5xx, 429
    # after retries, a timeout, a redirect to a host we may not visit) forbids the whole origin until it recovers:
    # a site too broken to serve robots.txt is not one to crawl blindly. A refused connection is reported as such.
    if error.reason.startswith("http-4") or error.reason in UNAVAILABLE_REDIRECTS:
        return rules_from_text("")
    unreachable = error.detail if error.reason == UNREACHABLE else None
    return RobotsRules(Protego.parse(DISALLOW_ALL), failure=f"{error.reason}: {error.detail}", unreachable=unreachable)


@dataclass(frozen=True, slots=True)
class _Kept:
    rules: RobotsRules
    expires_at: float


class RobotsCache:
    """robots.txt rules per origin (`scheme://host:port`), each fetched by `fetch_rules` on first use and kept
    `ttl` seconds (`failure_ttl` while the origin fails to serve it)."""

    def __init__(
        self,
        token: str,
        fetch_rules: Callable[[str], RobotsRules],
        clock: Callable[[], float],
        ttl: float,
        failure_ttl: float,
    ) -> None:
        self._token = token
        self._fetch_rules = fetch_rules
        self._clock = clock
        self._ttl, self._failure_ttl = ttl, failure_ttl
        self._kept: dict[str, _Kept] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def check(self, origin: str, url: str) -> RobotsRules:
        """The origin's rules when they let us fetch `url`; raises RejectedInput when they do not, or when the
        origin is unreachable."""
        rules = self.rules_for(origin)
        if rules.unreachable is not None:
            raise RejectedInput(UNREACHABLE, f"{url}: cannot reach the host for robots.txt: {rules.unreachable}")
        if rules.failure is not None:
            why = f"{origin}/robots.txt cannot be read ({rules.failure}); the site is not crawled until it can"
            raise RejectedInput(DISALLOWED, f"{url}: {why}")
        if not rules.allows(url, self._token):
            raise RejectedInput(DISALLOWED, f"{url}: {origin}/robots.txt disallows it for {self._token}")
        return rules

    def rules_for(self, origin: str) -> RobotsRules:
        """The origin's rules, fetched on first use and once expired; concurrent callers wait for one fetch."""
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            kept = self._kept.get(origin)
            if kept is None or self._clock() >= kept.expires_at:
                rules = self._fetch_rules(origin)
                ttl = self._ttl if rules.failure is None else self._failure_ttl
                kept = self._kept[origin] = _Kept(rules, self._clock() + ttl)
            return kept.rules
