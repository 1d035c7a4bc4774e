"""How politely and how safely to fetch: every number the polite client (`pipeline.fetch.http`) goes by."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from pipeline.errors import ConfigError
from pipeline.fetch import identity
from pipeline.fetch.backoff import FeedBackoff
from pipeline.fetch.sitemaps import SitemapLimits

PRIVATE_HOSTS_VARIABLE = "WIREDESK_ALLOW_PRIVATE_HOSTS"
MAX_DUMP_VARIABLE = "WIREDESK_MAX_DUMP_BYTES"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how safely to fetch; the defaults suit fetching news sites."""

    user_agent: str = identity.PRODUCT
    """Sent with every request; its product token (`wiredesk`) is what robots.txt groups are matched against."""
    from_address: str | None = None
    """Sent as the From header, when given: an e-mail address where the operator can be reached."""
    min_interval: float = 1.0
    """Seconds between the starts of two requests to one host; robots.txt's Crawl-delay or Request-rate, when
    longer, replaces it for its host."""
    per_host_concurrency: int = 1
    """Most requests in flight to one host: one connection per host, as publishers expect."""
    total_concurrency: int = 8
    """Most requests in flight in `fetch_many`, over all hosts."""
    retries: int = 3
    """Retries after the first attempt on 429, 5xx, timeouts and dropped connections."""
    backoff: float = 0.5
    """Base of the exponential back-off in seconds (jittered); a Retry-After header replaces it."""
    max_wait: float = 120.0
    """Longest a request waits for its host's turn. A host whose Retry-After (on 429 or 503) or Crawl-delay asks
    for longer is never asked sooner: its URLs are deferred to a later run (rejects `retry-after`, `crawl-delay`)."""
    max_host_failures: int = 5
    """Attempts in a row a host may leave unanswered (timeouts, refused connections) before the run gives it up:
    its remaining URLs are rejected with the same reason, without a request."""
    connect_timeout: float = 10.0
    """Seconds to connect (at most `total_timeout`)."""
    read_timeout: float = 20.0
    """Seconds to wait for any one read, the headers' included (at most `total_timeout`)."""
    total_timeout: float = 30.0
    """Wall-clock seconds for a whole response: a server that never answers costs this much per request, and a
    body still dripping in after it is cut."""
    max_bytes: int = 10_000_000
    """Largest body, both as received and once decompressed."""
    max_redirects: int = 5
    """Most redirects followed for one URL."""
    max_dump_bytes: int = 20 * 2**30
    """Largest dump `wire_import` downloads by URL (`WIREDESK_MAX_DUMP_BYTES`): a larger one is refused before a
    byte is written when the server says its size, and cut off (nothing kept) when it does not."""
    allowed_hosts: frozenset[str] = frozenset()
    """Hosts that may be fetched (each with its subdomains); empty allows any public host."""
    allow_redirects_off_host: bool = False
    """Whether a redirect may lead to another host (`www.` aside); the target must still be allowed."""
    allow_private_hosts: bool = False
    """Whether loopback, private, link-local and reserved addresses may be fetched (tests, intranets)."""
    robots_ttl: float = 24 * 3600.0
    """Seconds a robots.txt read is kept before it is asked for again (RFC 9309: at most a day)."""
    robots_failure_ttl: float = 600.0
    """Seconds an origin stays disallowed after its robots.txt failed (5xx, timeout) before it is asked again."""
    feed_backoff: FeedBackoff = field(default_factory=FeedBackoff)
    """When a feed, sitemap or listing page that failed runs in a row is asked again."""
    sitemap_limits: SitemapLimits = field(default_factory=SitemapLimits)
    """How deep, how many sitemaps and how many of their URLs one run reads per source."""

    def __post_init__(self) -> None:
        if identity.header_value_problem(self.user_agent):
            raise ValueError(f"user_agent must be a non-empty single line of printable ASCII, got {self.user_agent!r}")
        if self.from_address is not None and identity.header_value_problem(self.from_address):
            raise ValueError(f"from_address must be a single line of printable ASCII, got {self.from_address!r}")
        for name in ("min_interval", "backoff", "max_wait"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")
        for name in (
            "connect_timeout",
            "read_timeout",
            "total_timeout",
            "max_bytes",
            "max_dump_bytes",
            "robots_ttl",
            "robots_failure_ttl",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)}")
        for name in ("per_host_concurrency", "total_concurrency", "max_host_failures"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.retries < 0 or self.max_redirects < 0:
            raise ValueError(f"retries and max_redirects must be >= 0, got {self.retries}, {self.max_redirects}")
        for host in self.allowed_hosts:
            if not host or host != host.strip().lower() or any(c in host for c in "/:@ "):
                raise ValueError(f"allowed_hosts entries must be bare lowercase host names, got {host!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, base: FetchPolicy | None = None) -> FetchPolicy:
        """`base` (default: the defaults) with `allow_private_hosts` from WIREDESK_ALLOW_PRIVATE_HOSTS=1, the
        User-Agent and From that WIREDESK_USER_AGENT, WIREDESK_CONTACT_URL and WIREDESK_FROM set, and the largest
        dump WIREDESK_MAX_DUMP_BYTES allows."""
        value = environ.get(PRIVATE_HOSTS_VARIABLE, "").strip()
        if value not in ("", "0", "1"):
            raise ConfigError(f"{PRIVATE_HOSTS_VARIABLE} must be 1 or 0, got {value!r}")
        policy = replace(base or cls(), allow_private_hosts=value == "1")
        dump_cap = environ.get(MAX_DUMP_VARIABLE, "").strip()
        if dump_cap:
            if not dump_cap.isdigit() or int(dump_cap) <= 0:
                raise ConfigError(f"{MAX_DUMP_VARIABLE} must be a positive number of bytes, got {dump_cap!r}")
            policy = replace(policy, max_dump_bytes=int(dump_cap))
        user_agent, sender = identity.identity_from_env(environ)
        return replace(policy, user_agent=user_agent or policy.user_agent, from_address=sender or policy.from_address)

    @property
    def identity_headers(self) -> dict[str, str]:
        """User-Agent, and From when there is one: what every request says about who asks."""
        headers = {"User-Agent": self.user_agent}
        if self.from_address:
            headers["From"] = self.from_address
        return headers
