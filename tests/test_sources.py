"""The sources file: shipped sources load, and mistakes are errors that name the file and the key."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.errors import ConfigError
from pipeline.fetch.safety import host_allowed
from pipeline.resources import resource_dir
from pipeline.settings import Settings
from pipeline.sources import allowed_hosts, host_source, load_sources, source_for_url

VALID = """
[sources.peninsula]
name = "The Peninsula"
domain = "www.thepeninsulaqatar.com"
timezone = "Asia/Qatar"
feeds = []
sitemaps = []
"""


def test_shipped_sources_include_the_peninsula() -> None:
    peninsula = load_sources(resource_dir("config") / "sources.toml")["peninsula"]
    assert (peninsula.name, peninsula.domain, peninsula.timezone.key) == (
        "The Peninsula",
        "thepeninsulaqatar.com",
        "Asia/Qatar",
    )


def test_domain_loses_its_www(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(VALID)
    assert load_sources(path)["peninsula"].domain == "thepeninsulaqatar.com"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (VALID + 'colour = "red"\n', "sources.peninsula.colour: unknown key"),
        (
            VALID.replace("Asia/Qatar", "Asia/Atlantis"),
            "sources.peninsula.timezone: 'Asia/Atlantis' is not an IANA",
        ),
        (VALID.replace('name = "The Peninsula"\n', ""), "sources.peninsula.name: missing"),
        (VALID.replace("feeds = []", 'feeds = "x"'), "sources.peninsula.feeds: must be a list"),
        (
            VALID.replace("feeds = []", 'feeds = ["ftp://x"]'),
            "sources.peninsula.feeds: 'ftp://x' is not an http(s) URL",
        ),
        (
            VALID.replace("[sources.peninsula]", "[sources.The_Peninsula]"),
            "sources.The_Peninsula: slug must be",
        ),
        (VALID + 'language = "English"\n', "sources.peninsula.language: 'English' is not a lowercase ISO 639"),
        (VALID + "extract = 3\n", "sources.peninsula.extract: must be a dict"),
        (VALID + '[sources.peninsula.extract]\nbdy = "article"\n', "sources.peninsula.extract.bdy: unknown key"),
        (VALID + '[sources.peninsula.extract]\nbody = ["article"]\n', "sources.peninsula.extract.body: must be a str"),
        (VALID + '[sources.peninsula.extract]\ndrop = "aside"\n', "sources.peninsula.extract.drop: must be a list"),
        (
            VALID + '[sources.peninsula.extract]\ndrop = ["div[class"]\n',
            "sources.peninsula.extract: 'div[class' is not a valid CSS selector",
        ),
        (VALID + '[sources.peninsula.extract]\ndrop = [""]\n', "sources.peninsula.extract: '' is not a CSS selector"),
        ('[outlets.x]\nname = "x"\n', "unknown top-level key 'outlets'"),
        ("[sources.x\n", "not valid TOML"),
        ("", "no [sources.SLUG] tables"),
    ],
)
def test_mistakes_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_sources(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_extract_rules_are_read(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(VALID + '[sources.peninsula.extract]\nbody = "div.article-body"\ndrop = [".related", "aside"]\n')
    rules = load_sources(path)["peninsula"].rules
    assert rules is not None
    assert (rules.body, rules.drop) == ("div.article-body", (".related", "aside"))


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the sources file"):
        load_sources(tmp_path / "absent.toml")


def test_wiredesk_sources_selects_another_file(tmp_path: Path) -> None:
    settings = Settings.from_env({"WIREDESK_SOURCES": str(tmp_path / "mine.toml")})
    assert settings.sources_path == tmp_path / "mine.toml"
    assert Settings.from_env({}).sources_path == resource_dir("config") / "sources.toml"


def test_listing_pages_and_their_article_pattern_load(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(VALID + 'listing_pages = ["https://thepeninsulaqatar.com/category/qatar"]\n'
                    "article_url_pattern = '/article/\\d{2}/'\n")  # fmt: skip
    peninsula = load_sources(path)["peninsula"]
    assert peninsula.listing_pages == ("https://thepeninsulaqatar.com/category/qatar",)
    assert peninsula.article_url_pattern is not None and peninsula.article_url_pattern.search("/article/22/01")


def test_a_source_may_fetch_under_its_own_user_agent(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(VALID + 'user_agent = "PeninsulaReader/1.0 (+https://example.org/contact)"\n')
    assert load_sources(path)["peninsula"].user_agent == "PeninsulaReader/1.0 (+https://example.org/contact)"
    assert load_sources(resource_dir("config") / "sources.toml")["peninsula"].user_agent is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('listing_pages = ["/category/qatar"]', "sources.peninsula.listing_pages: '/category/qatar' is not an http(s)"),
        (
            "article_url_pattern = '/article/(['",
            "sources.peninsula.article_url_pattern: '/article/([' is not a regular",
        ),
        ("article_url_pattern = 3", "sources.peninsula.article_url_pattern: must be a str"),
        ('user_agent = "Bot/1\\nX-Evil: 1"', "sources.peninsula.user_agent: 'Bot/1\\nX-Evil: 1' must be one line"),
        ("user_agent = 1", "sources.peninsula.user_agent: must be a str"),
    ],
)
def test_bad_listing_settings_name_the_key(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(VALID + line + "\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_sources(path)


def test_the_shipped_sources_are_real_wire_heavy_outlets_the_fetcher_may_reach() -> None:
    sources = load_sources(resource_dir("config") / "sources.toml")
    allowed = allowed_hosts(sources.values())
    assert {"peninsula", "gulf-times"} <= set(sources) and len(sources) >= 8
    for slug, source in sources.items():
        urls = [*source.feeds, *source.sitemaps, *source.listing_pages]
        assert urls, f"{slug} has nothing to fetch"
        for url in urls:
            parts = urlsplit(url)
            host = parts.hostname or ""
            assert parts.scheme == "https", url
            assert host == source.domain or host.endswith(f".{source.domain}"), f"{url} is not on {source.domain}"
            assert host_allowed(host, allowed) and source_for_url(url, sources) == slug, url
        assert source.language == "en" and source.timezone.key != "UTC", slug


def test_the_cc_news_url_is_common_crawls_unless_set_and_must_be_http() -> None:
    assert Settings.from_env({}).cc_news_url == "https://data.commoncrawl.org/"
    assert (
        Settings.from_env({"WIREDESK_CC_NEWS_URL": "http://mirror.example/cc/"}).cc_news_url
        == "http://mirror.example/cc/"
    )
    with pytest.raises(ConfigError, match="WIREDESK_CC_NEWS_URL must be an http"):
        Settings.from_env({"WIREDESK_CC_NEWS_URL": "/data/cc-news"})


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://www.BBC.co.uk/news/1", "bbc-co-uk"),
        ("http://news.example:8080/a", "news-example"),
        ("https://xn--mgbh0fb.example/", "xn-mgbh0fb-example"),
        ("not a url", None),
    ],
)
def test_a_host_no_source_serves_gets_a_source_of_its_own(url: str, slug: str | None) -> None:
    made = host_source(url)
    assert (made.slug if made else None) == slug
    if made is not None:
        assert made.name == made.domain and made.timezone.key == "UTC"
