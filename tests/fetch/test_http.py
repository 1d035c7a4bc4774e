"""The polite HTTP client against a real server on 127.0.0.1: every failure a reject with a stable reason."""

from __future__ import annotations

import hashlib
import socket
import string
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import ConfigError, RejectedInput, TransientError
from pipeline.fetch.encoding import decode_text
from pipeline.fetch.http import FetchPolicy, PoliteClient
from pipeline.fetch.responses import Fetched, Validators
from pipeline.record import Reject
from tests.fetch import server
from tests.fetch.server import PageServer

POLICY = FetchPolicy(
    min_interval=0,
    retries=3,
    backoff=0.01,
    connect_timeout=2,
    read_timeout=2,
    total_timeout=1,
    max_bytes=1_000_000,
    allow_private_hosts=True,
)


class FakeTime:
    """A clock that only moves when the client sleeps, so waits are recorded instead of spent."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def client() -> Iterator[PoliteClient]:
    with PoliteClient(POLICY) as polite:
        yield polite


def rejected(client: PoliteClient, url: str) -> RejectedInput:
    with pytest.raises(RejectedInput) as caught:
        client.fetch(url)
    assert url in caught.value.detail or caught.value.detail.startswith("http")
    return caught.value


def streamed(status: int) -> httpx.Response:
    """A small page as a transport sends it: unread, for the client to stream."""
    return httpx.Response(status, headers={"Content-Type": "text/html"}, stream=httpx.ByteStream(b"<p>ok</p>"))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- pages, validators, compression


def test_a_real_page_comes_back_with_its_headers_hash_and_text(client: PoliteClient, base_url: str) -> None:
    fetched = client.fetch(f"{base_url}/page/thespacereview")
    body = server.page("thespacereview")
    assert (fetched.status, fetched.payload, fetched.redirects) == (200, body, ())
    assert fetched.sha256 == hashlib.sha256(body).hexdigest()
    assert fetched.headers["content-type"] == "text/html; charset=utf-8"
    assert fetched.headers["last-modified"] == server.LAST_MODIFIED
    assert set(fetched.headers) <= {"content-type", "etag", "last-modified", "content-length", "date"}
    assert fetched.encoding == "utf-8" and fetched.text is not None and "The Space Review" in fetched.text
    assert fetched.fetched_at.tzinfo is not None and not fetched.not_modified


def test_the_raw_document_names_the_asked_url_as_origin_and_the_final_one_as_url(
    client: PoliteClient, base_url: str
) -> None:
    fetched = client.fetch(f"{base_url}/hops/2")
    document = fetched.raw_document("gulf-times")
    assert (document.origin, document.url) == (f"{base_url}/hops/2", f"{base_url}/hops/0")
    assert (document.media_type, document.payload, document.sha256) == ("text/html", fetched.payload, fetched.sha256)


def test_a_second_fetch_with_the_etag_is_a_304(client: PoliteClient, base_url: str, page_server: PageServer) -> None:
    first = client.fetch(f"{base_url}/page/comwrap")
    second = client.fetch(f"{base_url}/page/comwrap", first.validators)
    assert (second.status, second.not_modified, second.payload, second.sha256) == (304, True, b"", first.sha256)
    assert page_server.requests[-1]["if-none-match"] == first.headers["etag"]
    assert page_server.requests[-1]["if-modified-since"] == server.LAST_MODIFIED
    with pytest.raises(ValueError, match="304"):
        second.raw_document("gulf-times")


def test_a_server_ignoring_if_none_match_is_caught_by_the_body_hash(client: PoliteClient, base_url: str) -> None:
    first = client.fetch(f"{base_url}/ignores-validators/comwrap")
    second = client.fetch(f"{base_url}/ignores-validators/comwrap", first.validators)
    assert (second.status, second.not_modified, second.payload) == (200, True, first.payload)
    changed = client.fetch(f"{base_url}/ignores-validators/comwrap", Validators(sha256="0" * 64))
    assert not changed.not_modified


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compressed_pages_are_decompressed(client: PoliteClient, base_url: str, encoding: str) -> None:
    fetched = client.fetch(f"{base_url}/{encoding}/lighthouse-ip")
    assert fetched.payload == server.page("lighthouse-ip")
    assert fetched.headers["content-encoding"] == encoding
    assert fetched.text is not None and "商標法" in fetched.text


# --- retries


def test_a_500_is_retried_and_then_succeeds(client: PoliteClient, base_url: str, page_server: PageServer) -> None:
    fetched = client.fetch(f"{base_url}/flaky")
    assert fetched.status == 200
    assert page_server.hits["/flaky"] == 2


def test_a_429_waits_for_retry_after_before_retrying(base_url: str, page_server: PageServer) -> None:
    fake = FakeTime()
    with PoliteClient(POLICY, clock=fake.clock, sleep=fake.sleep) as polite:
        fetched = polite.fetch(f"{base_url}/rate-limited")
    assert fetched.status == 200 and page_server.hits["/rate-limited"] == 2
    assert fake.sleeps == [1.0]


def test_a_retry_after_longer_than_the_run_waits_defers_the_url(base_url: str, page_server: PageServer) -> None:
    fake = FakeTime()
    policy = replace(POLICY, max_wait=0.25)
    with PoliteClient(policy, clock=fake.clock, sleep=fake.sleep) as polite:
        error = rejected(polite, f"{base_url}/rate-limited")
    assert error.reason == "retry-after" and "later run" in error.detail
    assert fake.sleeps == [] and page_server.hits["/rate-limited"] == 1, "never asked again sooner than the server said"


def test_back_off_grows_exponentially_with_jitter(base_url: str, page_server: PageServer) -> None:
    fake = FakeTime()
    policy = replace(POLICY, backoff=1.0)
    with PoliteClient(policy, clock=fake.clock, sleep=fake.sleep) as polite:
        assert rejected(polite, f"{base_url}/always-500").reason == "server-error"
    assert page_server.hits["/always-500"] == 4
    for wait, base in zip(fake.sleeps, (1.0, 2.0, 4.0), strict=True):
        assert base / 2 <= wait <= base


def test_always_500_is_a_server_error_after_the_retries(
    client: PoliteClient, base_url: str, page_server: PageServer
) -> None:
    error = rejected(client, f"{base_url}/always-500")
    assert error.reason == "server-error" and "4 attempts" in error.detail
    assert page_server.hits["/always-500"] == POLICY.retries + 1


def test_always_429_is_rate_limited_after_the_retries(client: PoliteClient, base_url: str) -> None:
    assert rejected(client, f"{base_url}/always-429").reason == "rate-limited"


def test_a_404_is_not_retried(client: PoliteClient, base_url: str, page_server: PageServer) -> None:
    assert rejected(client, f"{base_url}/missing").reason == "http-404"
    assert page_server.hits["/missing"] == 1


# --- caps


def test_a_dripping_body_is_cut_at_the_total_timeout(client: PoliteClient, base_url: str) -> None:
    started = time.monotonic()
    error = rejected(client, f"{base_url}/drip")
    elapsed = time.monotonic() - started
    assert error.reason == "timeout" and "cut at" in error.detail
    assert POLICY.total_timeout <= elapsed < POLICY.total_timeout + 1


def test_a_stalled_read_times_out_and_is_retried(base_url: str, page_server: PageServer) -> None:
    with PoliteClient(replace(POLICY, read_timeout=0.2, retries=1)) as polite:
        error = rejected(polite, f"{base_url}/stall")
    assert error.reason == "timeout" and "2 attempts" in error.detail
    assert page_server.hits["/stall"] == 2


@pytest.mark.parametrize("path", ["/huge", "/huge-unannounced"])
def test_a_50_mb_body_is_too_large(client: PoliteClient, base_url: str, path: str) -> None:
    assert rejected(client, f"{base_url}{path}").reason == "too-large"


def test_a_gzip_bomb_is_cut_without_being_inflated(client: PoliteClient, base_url: str) -> None:
    server.gzip_bomb()  # built before measuring: the test measures the client
    tracemalloc.start()
    try:
        error = rejected(client, f"{base_url}/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.reason == "decompression-bomb"
    assert peak < 20_000_000, f"peak {peak} bytes while reading a bomb capped at {POLICY.max_bytes}"


# --- redirects


def test_redirects_are_followed_and_recorded(client: PoliteClient, base_url: str) -> None:
    fetched = client.fetch(f"{base_url}/hops/3")
    assert fetched.final_url == f"{base_url}/hops/0"
    assert fetched.redirects == tuple(f"{base_url}/hops/{n}" for n in (3, 2, 1))


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/loop-a", "redirect-loop"), ("/hops/7", "too-many-redirects"), ("/hops/6", "too-many-redirects")],
)
def test_bad_redirect_chains_are_rejected(client: PoliteClient, base_url: str, path: str, reason: str) -> None:
    assert rejected(client, f"{base_url}{path}").reason == reason


def test_five_redirects_are_within_the_limit(client: PoliteClient, base_url: str) -> None:
    assert len(client.fetch(f"{base_url}/hops/5").redirects) == 5


def test_a_redirect_to_another_host_is_refused_unless_allowed(base_url: str, page_server: PageServer) -> None:
    with PoliteClient(POLICY) as polite:
        assert rejected(polite, f"{base_url}/off-host").reason == "redirect-off-host"
    allowing = replace(POLICY, allow_redirects_off_host=True)
    with PoliteClient(allowing) as polite:
        fetched = polite.fetch(f"{base_url}/off-host")
    assert fetched.final_url == f"http://localhost:{page_server.port}/page/comwrap"
    assert fetched.redirects == (f"{base_url}/off-host",)


def test_a_redirect_off_host_must_still_land_on_an_allowed_host(base_url: str) -> None:
    policy = replace(POLICY, allow_redirects_off_host=True, allowed_hosts=frozenset({"127.0.0.1"}))
    with PoliteClient(policy) as polite:
        assert rejected(polite, f"{base_url}/off-host").reason == "host-not-allowed"


# --- robots.txt


def test_robots_txt_is_obeyed_and_fetched_once_per_host(
    client: PoliteClient, base_url: str, page_server: PageServer
) -> None:
    client.fetch(f"{base_url}/page/comwrap")
    assert rejected(client, f"{base_url}/private/comwrap").reason == "robots-disallowed"
    client.fetch(f"{base_url}/page/thespacereview")
    assert page_server.hits["/robots.txt"] == 1
    assert page_server.hits["/private/comwrap"] == 0
    client.fetch(f"http://localhost:{page_server.port}/page/comwrap")
    assert page_server.hits["/robots.txt"] == 2


def test_robots_rules_for_our_user_agent_apply_to_us(
    client: PoliteClient, base_url: str, page_server: PageServer
) -> None:
    page_server.robots_body = "User-agent: wiredesk\nDisallow: /page/\n\nUser-agent: *\nAllow: /\n"
    assert rejected(client, f"{base_url}/page/comwrap").reason == "robots-disallowed"


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (500, False), (503, False)])
def test_a_missing_robots_txt_allows_all_and_a_broken_one_forbids_all(
    client: PoliteClient, base_url: str, page_server: PageServer, status: int, allowed: bool
) -> None:
    page_server.robots_status = status
    if allowed:
        assert client.fetch(f"{base_url}/private/comwrap").status == 200
    else:
        assert rejected(client, f"{base_url}/page/comwrap").reason == "robots-disallowed"
        assert page_server.hits["/page/comwrap"] == 0


# --- content types and encodings


def test_an_image_is_not_text(client: PoliteClient, base_url: str) -> None:
    assert rejected(client, f"{base_url}/image.png").reason == "not-text"


def test_arabic_in_cp1256_labelled_utf8_comes_out_right(client: PoliteClient, base_url: str) -> None:
    fetched = client.fetch(f"{base_url}/arabic")
    assert (fetched.text, fetched.encoding) == (server.ARABIC_PAGE, "cp1256")


def test_windows_1252_with_a_meta_charset_comes_out_right(client: PoliteClient, base_url: str) -> None:
    fetched = client.fetch(f"{base_url}/cp1252-meta")
    assert (fetched.text, fetched.encoding) == (server.CP1252_PAGE, "cp1252")


def test_a_utf8_bom_beats_the_header(client: PoliteClient, base_url: str) -> None:
    fetched = client.fetch(f"{base_url}/utf8-bom")
    assert (fetched.text, fetched.encoding) == (server.BOM_PAGE, "utf-8")


FEED = '<?xml version="1.0" encoding="windows-1256"?><rss><channel><title>الشرق</title></channel></rss>'


@pytest.mark.parametrize(
    ("payload", "content_type", "text", "encoding"),
    [
        (server.ARABIC_PAGE.encode("cp1256"), "text/html; charset=utf-8", server.ARABIC_PAGE, "cp1256"),
        (server.ARABIC_PAGE.encode("cp1256"), "text/html", server.ARABIC_PAGE, "cp1256"),
        (server.CP1252_PAGE.encode("cp1252"), "text/html", server.CP1252_PAGE, "cp1252"),
        (server.FRENCH.encode("cp1252"), "text/html; charset=ISO-8859-1", server.FRENCH, "cp1252"),
        (server.FRENCH.encode("utf-8"), "text/html; charset=windows-1252", server.FRENCH, "utf-8"),
        (server.ARABIC.encode("utf-8"), 'text/html; charset="windows-1256"', server.ARABIC, "utf-8"),
        (b"\xef\xbb\xbf" + server.FRENCH.encode(), "text/html; charset=windows-1252", server.FRENCH, "utf-8"),
        (b"\xff\xfe" + server.FRENCH.encode("utf-16-le"), "text/html", server.FRENCH, "utf-16-le"),
        (FEED.encode("cp1256"), "application/rss+xml", FEED, "cp1256"),
        ("日本語の記事です。".encode("shift_jis"), "text/html; charset=Shift_JIS", "日本語の記事です。", "cp932"),
        (b"<p>plain</p>", None, "<p>plain</p>", "utf-8"),
        (b"<p>plain</p>", "text/html; charset=utf-7", "<p>plain</p>", "utf-8"),
        (b"<p>\\u0041</p>", "text/html; charset=unicode_escape", "<p>\\u0041</p>", "utf-8"),
    ],
)
def test_the_encoding_is_decided_from_bom_header_meta_and_detection(
    payload: bytes, content_type: str | None, text: str, encoding: str
) -> None:
    decoded = decode_text(payload, content_type)
    assert (decoded.text, decoded.encoding) == (text, encoding)


@settings(max_examples=300, deadline=None)
@given(payload=st.binary(max_size=600), content_type=st.one_of(st.none(), st.text(max_size=60)))
def test_any_bytes_with_any_declared_charset_decode_to_text(payload: bytes, content_type: str | None) -> None:
    decoded = decode_text(payload, content_type)
    assert isinstance(decoded.text, str) and decoded.encoding


CHARSETS = st.one_of(
    st.sampled_from(["utf-8", "cp1256", "windows-1252", "latin1", "shift_jis", "utf-16", "utf-7", "bogus", ""]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_.", max_size=20),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.binary(max_size=400), charset=CHARSETS, media_type=st.sampled_from(["text/html", "application/xml"]))
def test_any_bytes_served_with_any_charset_become_text_or_a_reject(
    client: PoliteClient, base_url: str, payload: bytes, charset: str, media_type: str
) -> None:
    content_type = f"{media_type}; charset={charset}"
    query = httpx.QueryParams({"hex": payload.hex(), "type": content_type})
    try:
        fetched = client.fetch(f"{base_url}/bytes?{query}")
    except RejectedInput as error:
        assert error.reason
        return
    assert fetched.payload == payload and isinstance(fetched.text, str)


# --- safety


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file", "file:///etc/passwd", "javascript:alert(1)", "data:,hi"])
def test_only_http_and_https_are_fetched(client: PoliteClient, url: str) -> None:
    assert rejected(client, url).reason == "not-http"


def test_a_host_outside_the_allow_list_is_refused(base_url: str, page_server: PageServer) -> None:
    policy = replace(POLICY, allowed_hosts=frozenset({"localhost"}))
    with PoliteClient(policy) as polite:
        assert rejected(polite, f"{base_url}/page/comwrap").reason == "host-not-allowed"
        assert polite.fetch(f"http://localhost:{page_server.port}/page/comwrap").status == 200
    assert sum(page_server.hits.values()) == 2  # robots.txt and the page on localhost; nothing on 127.0.0.1


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com/a", True),
        ("https://news.example.com/a", True),
        ("https://www.example.com./a", True),
        ("https://notexample.com/a", False),
        ("https://example.com.evil.net/a", False),
        ("https://evil.net/?https://example.com/", False),
    ],
)
def test_allowed_hosts_match_the_host_and_its_subdomains(url: str, allowed: bool) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return streamed(404 if request.url.path == "/robots.txt" else 200)

    policy = replace(POLICY, allowed_hosts=frozenset({"example.com"}))
    with PoliteClient(policy, transport=httpx.MockTransport(answer)) as polite:
        if allowed:
            assert polite.fetch(url).text == "<p>ok</p>"
        else:
            assert rejected(polite, url).reason == "host-not-allowed"


def test_loopback_is_refused_without_allow_private_hosts(base_url: str, page_server: PageServer) -> None:
    with PoliteClient(replace(POLICY, allow_private_hosts=False)) as polite:
        assert rejected(polite, f"{base_url}/page/comwrap").reason == "private-address"
        assert rejected(polite, f"http://localhost:{page_server.port}/").reason == "private-address"
    assert sum(page_server.hits.values()) == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
    ],
)
def test_private_and_reserved_addresses_are_refused(url: str) -> None:
    with PoliteClient(replace(POLICY, allow_private_hosts=False)) as polite:
        assert rejected(polite, url).reason == "private-address"


@settings(max_examples=200, deadline=None)
@given(url=st.one_of(st.text(max_size=80), st.builds(lambda path: f"http://example.com/{path}", st.text(max_size=40))))
def test_any_url_string_is_fetched_or_rejected(url: str) -> None:
    transport = httpx.MockTransport(lambda request: streamed(200))
    policy = replace(POLICY, allowed_hosts=frozenset({"example.com"}))
    with PoliteClient(policy, transport=transport) as polite:
        try:
            assert polite.fetch(url).text == "<p>ok</p>"
        except RejectedInput as error:
            assert error.reason and error.detail


# --- pacing and batches


def test_requests_to_one_host_are_spaced_by_the_minimum_interval(base_url: str) -> None:
    fake = FakeTime()
    policy = replace(POLICY, min_interval=1.5)
    with PoliteClient(policy, clock=fake.clock, sleep=fake.sleep) as polite:
        polite.fetch(f"{base_url}/page/comwrap")  # robots.txt, then the page
        polite.fetch(f"{base_url}/page/thespacereview")
    assert fake.sleeps == [1.5, 1.5]


def test_fetch_many_caps_requests_in_flight_per_host_and_rejects_the_bad_ones(
    base_url: str, page_server: PageServer
) -> None:
    policy = replace(POLICY, per_host_concurrency=2)
    urls = [f"{base_url}/slow/{n}" for n in range(16)] + [f"{base_url}/missing/{n}" for n in range(3)]
    urls.append(f"{base_url}/private/comwrap")
    with PoliteClient(policy) as polite:
        results = list(polite.fetch_many((url, None) for url in urls))
    assert page_server.max_in_flight == 2
    assert sorted(_origin(result) for result in results) == sorted(urls)
    rejects = {result.origin: result for result in results if isinstance(result, Reject)}
    assert {reject.reason for reject in rejects.values()} == {"http-404", "robots-disallowed"}
    assert len(rejects) == 4 and all(reject.stage == "fetch" for reject in rejects.values())
    assert all(origin in reject.detail for origin, reject in rejects.items())


def test_a_dead_host_is_rejected_and_the_batch_goes_on(base_url: str) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    with PoliteClient(POLICY) as polite:
        results = list(
            polite.fetch_many([(f"{dead}/a", None), (f"{base_url}/page/comwrap", None), (f"{dead}/b", None)])
        )
    reasons = sorted(result.reason if isinstance(result, Reject) else "fetched" for result in results)
    assert reasons == ["connection-failed", "connection-failed", "fetched"]


def test_a_dead_network_is_a_transient_error(base_url: str) -> None:
    port = closed_port()
    urls = [(f"http://{host}:{port}/{n}", None) for host in ("127.0.0.1", "localhost") for n in range(3)]
    yielded: list[Fetched | Reject] = []
    with PoliteClient(POLICY) as polite, pytest.raises(TransientError, match="network"):
        yielded.extend(polite.fetch_many(urls))
    assert yielded == []


# --- policy


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min_interval": -1}, "min_interval must be >= 0"),
        ({"per_host_concurrency": 0}, "per_host_concurrency must be >= 1"),
        ({"total_timeout": 0}, "total_timeout must be > 0"),
        ({"max_bytes": 0}, "max_bytes must be > 0"),
        ({"retries": -1}, "retries and max_redirects must be >= 0"),
        ({"user_agent": "two\nlines"}, "user_agent must be a non-empty single line"),
        ({"allowed_hosts": frozenset({"https://example.com"})}, "bare lowercase host names"),
        ({"allowed_hosts": frozenset({"Example.com"})}, "bare lowercase host names"),
    ],
)
def test_the_policy_refuses_bad_values_with_a_specific_message(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FetchPolicy(**change)  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "allowed"), [(None, False), ("", False), ("0", False), ("1", True)])
def test_private_hosts_are_allowed_only_by_the_environment_variable(value: str | None, allowed: bool) -> None:
    environ = {} if value is None else {"WIREDESK_ALLOW_PRIVATE_HOSTS": value}
    assert FetchPolicy.from_env(environ).allow_private_hosts is allowed
    assert FetchPolicy.from_env(environ, POLICY).total_timeout == POLICY.total_timeout


def test_a_bad_private_hosts_variable_names_itself() -> None:
    with pytest.raises(ConfigError, match="WIREDESK_ALLOW_PRIVATE_HOSTS"):
        FetchPolicy.from_env({"WIREDESK_ALLOW_PRIVATE_HOSTS": "yes"})


def _origin(result: Fetched | Reject) -> str:
    return result.url if isinstance(result, Fetched) else result.origin
