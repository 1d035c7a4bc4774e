"""robots.txt by RFC 9309: the rules protego reads, what a missing or failing file means, and how long it is kept."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.errors import RejectedInput
from pipeline.fetch import robots
from pipeline.fetch.http import FetchPolicy, PoliteClient
from tests.fetch.server import PageServer
from tests.fetch.test_http import POLICY, FakeTime, rejected

RULES = """
User-agent: *
Disallow: /*.pdf$
Disallow: /*/secret
Disallow: /private/
Allow: /private/ok/
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/doc/report.pdf", False),
        ("/doc/report.pdf?download=1", True),  # `$` anchors the end of path and query
        ("/doc/report.pdfx", True),
        ("/x/y/secret/z.html", False),
        ("/secret/z.html", True),  # `/*/secret` needs a segment before it
        ("/private/", False),
        ("/private/page.html", False),
        ("/private/ok/", True),  # the longest match wins, not the first
        ("/private/ok/page.html", True),
        ("/privately", True),
        ("/", True),
        ("/robots.txt", True),
    ],
)
def test_wildcards_anchors_and_the_longest_match_decide(path: str, allowed: bool) -> None:
    rules = robots.rules_from_text(RULES)
    assert rules.allows(f"https://example.com{path}", "wiredesk") is allowed


def test_an_allow_all_before_a_disallow_does_not_win_by_coming_first() -> None:
    rules = robots.rules_from_text("User-agent: *\nAllow: /\nDisallow: /private/\n")
    assert not rules.allows("https://example.com/private/page", "wiredesk")
    assert rules.allows("https://example.com/public/page", "wiredesk")


@pytest.mark.parametrize(
    ("user_agent", "token"),
    [
        ("wiredesk/0.1.0 (+https://example.org/crawler)", "wiredesk"),
        ("WireDesk/2", "wiredesk"),
        ("news-bot_2/1.0", "news-bot_"),
        ("Mozilla/5.0 (compatible; wiredesk/0.1)", "mozilla"),
    ],
)
def test_the_product_token_is_the_user_agents_first_product(user_agent: str, token: str) -> None:
    assert robots.product_token(user_agent) == token


def test_groups_are_matched_against_the_product_token_only() -> None:
    text = (
        "User-agent: example\nDisallow: /\n\nUser-agent: WIREDESK\nDisallow: /wire/\n\nUser-agent: *\nDisallow: /all/\n"
    )
    rules = robots.rules_from_text(text)
    token = robots.product_token("wiredesk/0.1.0 (+https://example.org/crawler)")
    assert not rules.allows("https://example.com/wire/a", token)
    assert rules.allows("https://example.com/all/a", token), "our own group replaces the * group"
    assert rules.allows("https://example.com/a", token), "a token inside our contact URL is not our name"


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("User-agent: *\nCrawl-delay: 2\n", 2.0),
        ("User-agent: *\nRequest-rate: 1/5s\n", 5.0),
        ("User-agent: *\nRequest-rate: 30/1m\n", 2.0),
        ("User-agent: *\nCrawl-delay: 3\nRequest-rate: 1/1s\n", 3.0),
        ("User-agent: *\nCrawl-delay: soon\n", 0.0),
        ("User-agent: other\nCrawl-delay: 9\n", 0.0),
        ("", 0.0),
    ],
)
def test_the_interval_is_the_longer_of_crawl_delay_and_request_rate(text: str, interval: float) -> None:
    assert robots.rules_from_text(text).interval("wiredesk") == interval


def test_sitemaps_are_listed_once_in_order() -> None:
    text = "Sitemap: https://example.com/b.xml\nUser-agent: *\nSitemap: https://example.com/a.xml.gz\n"
    text += "Sitemap: https://example.com/b.xml\n"
    assert robots.rules_from_text(text).sitemaps == ("https://example.com/b.xml", "https://example.com/a.xml.gz")


@pytest.mark.parametrize(
    ("reason", "allows", "unreachable"),
    [
        ("http-404", True, False),
        ("http-401", True, False),
        ("too-many-redirects", True, False),
        ("redirect-loop", True, False),
        ("server-error", False, False),
        ("rate-limited", False, False),
        ("timeout", False, False),
        ("host-not-allowed", False, False),
        ("connection-failed", False, True),
    ],
)
def test_a_missing_file_allows_all_and_a_failing_one_disallows_all(
    reason: str, allows: bool, unreachable: bool
) -> None:
    rules = robots.rules_from_failure(RejectedInput(reason, "https://example.com/robots.txt: why"))
    assert rules.allows("https://example.com/a", "wiredesk") is allows
    assert (rules.failure is None) is allows
    assert (rules.unreachable is not None) is unreachable


# --- against a real server


def test_rules_are_kept_a_day_and_asked_for_again_after(base_url: str, page_server: PageServer) -> None:
    fake = FakeTime()
    with PoliteClient(POLICY, clock=fake.clock, sleep=fake.sleep) as polite:
        polite.fetch(f"{base_url}/page/comwrap")
        fake.now += POLICY.robots_ttl - 1
        polite.fetch(f"{base_url}/page/comwrap")
        assert page_server.hits["/robots.txt"] == 1
        page_server.robots_body = "User-agent: *\nDisallow: /page/\n"
        fake.now += 2
        assert rejected(polite, f"{base_url}/page/comwrap").reason == "robots-disallowed"
    assert page_server.hits["/robots.txt"] == 2


def test_a_failing_robots_txt_disallows_the_site_until_it_recovers(base_url: str, page_server: PageServer) -> None:
    fake = FakeTime()
    page_server.robots_status = 503
    policy = replace(POLICY, retries=0)
    with PoliteClient(policy, clock=fake.clock, sleep=fake.sleep) as polite:
        error = rejected(polite, f"{base_url}/page/comwrap")
        assert error.reason == "robots-disallowed" and "503" in error.detail
        rejected(polite, f"{base_url}/page/thespacereview")
        assert page_server.hits["/robots.txt"] == 1, "asked once while it fails"
        page_server.robots_status = 200
        fake.now += policy.robots_failure_ttl
        assert polite.fetch(f"{base_url}/page/comwrap").status == 200
    assert page_server.hits["/robots.txt"] == 2 and page_server.hits["/page/thespacereview"] == 0


def test_robots_txt_redirects_are_followed_to_another_host(base_url: str, page_server: PageServer) -> None:
    elsewhere = f"http://localhost:{page_server.port}"
    page_server.serve("/robots.txt", b"", headers={"Location": f"{elsewhere}/moved-robots.txt"}, status=301)
    page_server.serve("/moved-robots.txt", "User-agent: *\nDisallow: /page/comwrap\n", "text/plain")
    with PoliteClient(POLICY) as polite:
        assert rejected(polite, f"{base_url}/page/comwrap").reason == "robots-disallowed"
        assert polite.fetch(f"{base_url}/page/thespacereview").status == 200
    assert page_server.hits["/page/comwrap"] == 0


def test_more_than_five_robots_redirects_count_as_no_file(base_url: str, page_server: PageServer) -> None:
    page_server.serve("/robots.txt", b"", headers={"Location": "/hops/9"}, status=302)
    with PoliteClient(POLICY) as polite:
        assert polite.fetch(f"{base_url}/private/comwrap").status == 200


def test_a_robots_txt_past_500_kib_is_read_up_to_the_cap(base_url: str, page_server: PageServer) -> None:
    comments = "# padding\n" * 60_000  # 600 KB
    page_server.robots_body = f"User-agent: *\nDisallow: /private/\n{comments}Disallow: /page/\n"
    with PoliteClient(POLICY) as polite:
        assert rejected(polite, f"{base_url}/private/comwrap").reason == "robots-disallowed"
        assert polite.fetch(f"{base_url}/page/comwrap").status == 200, "the rule past the cap is not read"


def test_the_user_agent_sent_is_the_one_robots_txt_is_read_for(base_url: str, page_server: PageServer) -> None:
    page_server.robots_body = "User-agent: newsreader\nDisallow: /page/\n"
    policy: FetchPolicy = replace(POLICY, user_agent="NewsReader/3.1 (+https://example.org/about)")
    with PoliteClient(policy) as polite:
        assert rejected(polite, f"{base_url}/page/comwrap").reason == "robots-disallowed"
    assert page_server.requests[0]["user-agent"] == "NewsReader/3.1 (+https://example.org/about)"
