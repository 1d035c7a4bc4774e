"""robots.txt: fetched once per origin and run, kept, and obeyed for our User-Agent."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.robotparser import RobotFileParser

from pipeline.errors import RejectedInput

MAX_ROBOTS_BYTES = 512 * 1024
"""Largest robots.txt read; RFC 9309 asks crawlers to parse at least 500 KiB."""

UNREACHABLE = "connection-failed"
"""The reason a refused or unresolvable origin is reported with, rather than as a robots.txt ban."""

DISALLOW_ALL = ("User-agent: *", "Disallow: /")


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one origin's robots.txt allows, or why it could not be read."""

    parser: RobotFileParser
    """The parsed file; an empty one (allow all) or `DISALLOW_ALL` when there was no usable file."""
    unreachable: str | None = None
    """Why the origin could not be reached at all (its pages are then rejected as `connection-failed`)."""


def rules_from_text(text: str) -> RobotsRules:
    """Rules parsed from the text of a robots.txt."""
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return RobotsRules(parser)


def rules_from_failure(error: RejectedInput) -> RobotsRules:
    """Rules for an origin whose robots.txt could not be fetched: allow all, forbid all, or unreachable."""
    # No file (any 4xx) lets anyone crawl, as RFC 9309 says. Any other failure (5xx, 429 after retries, a
    # timeout, a bad redirect) forbids the whole origin for this run, as Google does: a site too broken to
    # serve robots.txt is not one to crawl blindly. A refused connection is reported as such, not as a ban.
    if error.reason.startswith("http-4"):
        return rules_from_text("")
    unreachable = error.detail if error.reason == UNREACHABLE else None
    return replace(rules_from_text("\n".join(DISALLOW_ALL)), unreachable=unreachable)


class RobotsCache:
    """robots.txt rules per origin (`scheme://host:port`), each fetched once by `fetch_rules` and kept."""

    def __init__(self, user_agent: str, fetch_rules: Callable[[str], RobotsRules]) -> None:
        self._user_agent = user_agent
        self._fetch_rules = fetch_rules
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def check(self, origin: str, url: str) -> None:
        """Return if robots.txt lets us fetch `url`; raise RejectedInput when it does not or is unreachable."""
        rules = self.rules_for(origin)
        if rules.unreachable is not None:
            raise RejectedInput(UNREACHABLE, f"{url}: cannot reach the host for robots.txt: {rules.unreachable}")
        if not rules.parser.can_fetch(self._user_agent, url):
            raise RejectedInput("robots-disallowed", f"{url}: {origin}/robots.txt disallows it for our User-Agent")

    def rules_for(self, origin: str) -> RobotsRules:
        """The origin's rules, fetched on first use; concurrent callers for one origin wait for one fetch."""
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._rules:
                self._rules[origin] = self._fetch_rules(origin)
            return self._rules[origin]
