"""Fixtures for the fetch tests: a real HTTP server on 127.0.0.1 serving saved pages and misbehaviours."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fetch.server import PageServer


@pytest.fixture
def page_server() -> Iterator[PageServer]:
    """A fresh server (fresh counters) on an ephemeral port of 127.0.0.1, stopped after the test."""
    server = PageServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def base_url(page_server: PageServer) -> str:
    """The server's base URL, `http://127.0.0.1:<port>`."""
    return page_server.base_url
