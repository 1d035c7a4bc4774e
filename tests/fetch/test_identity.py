"""Who the crawler says it is: the project and its version by default, a contact URL and From when configured,
and a source's own User-Agent, which robots.txt is then read for."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

import pipeline
from pipeline.errors import ConfigError
from pipeline.fetch.http import FetchPolicy, PoliteClient
from pipeline.run import fetch
from pipeline.sources import Source
from tests.fetch.server import PageServer
from tests.fetch.test_http import POLICY

CONTACT = "https://news.example.org/crawler"


def test_the_default_user_agent_names_the_project_and_its_version(page_server: PageServer) -> None:
    with PoliteClient(replace(POLICY, user_agent=FetchPolicy().user_agent)) as polite:
        polite.fetch(f"{page_server.base_url}/page/comwrap")
    agents = {request["user-agent"] for request in page_server.requests}
    assert agents == {f"wiredesk/{pipeline.__version__}"}
    assert not [request for request in page_server.requests if "from" in request]


@pytest.mark.parametrize(
    ("environ", "user_agent", "sender"),
    [
        ({}, f"wiredesk/{pipeline.__version__}", None),
        ({"WIREDESK_CONTACT_URL": CONTACT}, f"wiredesk/{pipeline.__version__} (+{CONTACT})", None),
        ({"WIREDESK_USER_AGENT": "DeskBot/2 (+https://x.example)", "WIREDESK_CONTACT_URL": CONTACT},
         "DeskBot/2 (+https://x.example)", None),
        ({"WIREDESK_FROM": "crawler@news.example.org"}, f"wiredesk/{pipeline.__version__}",
         "crawler@news.example.org"),
    ],
)  # fmt: skip
def test_the_environment_sets_the_user_agent_contact_and_from(
    environ: dict[str, str], user_agent: str, sender: str | None
) -> None:
    policy = FetchPolicy.from_env(environ)
    assert (policy.user_agent, policy.from_address) == (user_agent, sender)


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"WIREDESK_CONTACT_URL": "news.example.org"}, "WIREDESK_CONTACT_URL must be an http(s) URL"),
        ({"WIREDESK_USER_AGENT": "Désk/1"}, "WIREDESK_USER_AGENT must be one line of printable ASCII"),
        ({"WIREDESK_FROM": "the desk"}, "WIREDESK_FROM must be an e-mail address"),
    ],
)
def test_a_bad_identity_variable_names_itself(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable.replace("(", r"\(").replace(")", r"\)")):
        FetchPolicy.from_env(environ)


def test_from_is_sent_with_every_request(page_server: PageServer) -> None:
    policy = FetchPolicy.from_env(
        {"WIREDESK_FROM": "crawler@news.example.org", "WIREDESK_ALLOW_PRIVATE_HOSTS": "1"}, POLICY
    )
    with PoliteClient(policy) as polite:
        polite.fetch(f"{page_server.base_url}/page/comwrap")
    assert [request["from"] for request in page_server.requests] == ["crawler@news.example.org"] * 2


def rows(engine: sa.Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).mappings())


def test_a_source_fetches_with_its_own_user_agent_and_its_robots_group(
    engine: sa.Engine, page_server: PageServer
) -> None:
    base = page_server.base_url
    page_server.robots_body = "User-agent: partnerbot\nDisallow: /page/comwrap\n\nUser-agent: *\nDisallow: /page/\n"
    feed = page_server.serve_feed("/partner.rss", [f"{base}/page/comwrap", f"{base}/page/thespacereview"])
    source = Source(
        "local", "Local Times", "127.0.0.1", ZoneInfo("UTC"), "en", feeds=(feed,),
        user_agent="PartnerBot/1.0 (+https://partner.example/bot)",
    )  # fmt: skip
    fetch(engine, {"local": source}, ["local"], policy=replace(POLICY, allowed_hosts=frozenset({"127.0.0.1"})))

    assert {request["user-agent"] for request in page_server.requests} == {source.user_agent}
    assert (page_server.hits["/page/comwrap"], page_server.hits["/page/thespacereview"]) == (0, 1)
    assert [r["reason"] for r in rows(engine, "SELECT reason FROM rejects")] == ["robots-disallowed"]
