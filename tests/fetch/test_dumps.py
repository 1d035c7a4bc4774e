"""Downloading a dump named by URL for `wire_import`: whole or not at all, and only where the fetcher may go."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import RejectedInput
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
