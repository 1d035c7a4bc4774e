"""Settings from the environment (`WIREDESK_*`), read once and passed explicitly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from pipeline.errors import ConfigError
from pipeline.resources import resource_dir

CC_NEWS_URL = "https://data.commoncrawl.org/"
"""Common Crawl's site, which serves CC-NEWS."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the warehouse is and which sources file to read."""

    database_url: str | None
    """`WIREDESK_DATABASE_URL`: SQLAlchemy URL of the warehouse; None selects the embedded Postgres."""
    sources_path: Path
    """`WIREDESK_SOURCES`: the sources file; default `config/sources.toml`."""
    data_dir: Path
    """`WIREDESK_DATA_DIR`: where the embedded Postgres keeps its data; default the user's data directory."""
    cc_news_url: str = CC_NEWS_URL
    """`WIREDESK_CC_NEWS_URL`: where CC-NEWS's listings and WARC files are downloaded from (Common Crawl's own
    site, or a mirror)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Read the settings from `environ`, filling in defaults."""
        sources = environ.get("WIREDESK_SOURCES") or str(resource_dir("config") / "sources.toml")
        data_dir = environ.get("WIREDESK_DATA_DIR") or platformdirs.user_data_dir("wiredesk")
        return cls(
            database_url=environ.get("WIREDESK_DATABASE_URL") or None,
            sources_path=Path(sources),
            data_dir=Path(data_dir),
            cc_news_url=_http_url(environ, "WIREDESK_CC_NEWS_URL") or CC_NEWS_URL,
        )


def _http_url(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    if value and not value.startswith(("http://", "https://")):
        raise ConfigError(f"{name} must be an http(s) URL, got {value!r}")
    return value or None
