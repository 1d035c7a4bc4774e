"""Downloading a dump named by URL for `wire_import`: whole or not at all, and only where the fetcher may go."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, RejectedInput
from pipeline.fetch.dumps import download_dump, is_url
from pipeline.fetch.http import FetchPolicy
from tests.fetch.server import PAGE_NAMES, PageServer, page

LOCAL = FetchPolicy(allow_private_hosts=True)


def test_a_dump_downloads_whole_under_its_own_name(page_server: PageServer, tmp_path: Path) -> None:
    path = download_dump(f"{page_server.base_url}/page/{PAGE_NAMES[0]}", tmp_path, LOCAL)
    assert path == tmp_path / PAGE_NAMES[0]
    assert path.read_bytes() == page(PAGE_NAMES[0])
    assert list(tmp_path.iterdir()) == [path], "no partial file is left behind"


@pytest.mark.parametrize(
    ("path", "policy", "reason"),
    [
        ("/missing", LOCAL, "http-404"),
        (f"/page/{PAGE_NAMES[0]}", FetchPolicy(), "private-address"),
        ("/", LOCAL, "bad-url"),
    ],
)
def test_a_dump_that_cannot_be_had_is_rejected_with_a_reason(
    page_server: PageServer, tmp_path: Path, path: str, policy: FetchPolicy, reason: str
) -> None:
    with pytest.raises(RejectedInput) as raised:
        download_dump(f"{page_server.base_url}{path}", tmp_path, policy)
    assert raised.value.reason == reason
    assert not any(tmp_path.iterdir()), "nothing is written for a rejected dump"


def test_only_http_urls_are_downloaded() -> None:
    assert is_url("https://example.org/cc-news.warc.gz") and not is_url("/data/cc-news.warc.gz")


@pytest.mark.parametrize("path", ["/huge", "/huge-unannounced"])
def test_a_dump_over_the_cap_is_refused_and_nothing_is_kept(page_server: PageServer, tmp_path: Path, path: str) -> None:
    cap = 1 << 20
    with pytest.raises(RejectedInput) as raised:
        download_dump(f"{page_server.base_url}{path}", tmp_path, replace(LOCAL, max_dump_bytes=cap))
    assert raised.value.reason == "too-large" and f"over the {cap}-byte cap" in raised.value.detail
    assert ("the server says it is" in raised.value.detail) == (path == "/huge")
    assert not any(tmp_path.iterdir()), "no partial file is left behind"


def test_the_dump_cap_is_read_from_the_environment() -> None:
    assert FetchPolicy.from_env({"WIREDESK_MAX_DUMP_BYTES": "1000"}).max_dump_bytes == 1000
    with pytest.raises(ConfigError, match="WIREDESK_MAX_DUMP_BYTES must be a positive number of bytes"):
        FetchPolicy.from_env({"WIREDESK_MAX_DUMP_BYTES": "1G"})
