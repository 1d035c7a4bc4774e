"""DNS rebinding: the address a connection goes to is the address that was checked, from one resolution."""

from __future__ import annotations

import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpcore
import pytest

from pipeline.errors import RejectedInput
from pipeline.fetch import safety
from pipeline.fetch.http import FetchPolicy, PoliteClient
from tests.fetch.server import PageServer

POLICY = FetchPolicy(min_interval=0, retries=0, connect_timeout=2, read_timeout=2, total_timeout=5)


class Rebinding:
    """A resolver that gives each host its answers in turn, the last one for ever after, and logs every call."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        answers = self.answers[host]
        return answers.pop(0) if len(answers) > 1 else answers[0]


def test_the_backend_connects_to_the_address_it_resolved_once(page_server: PageServer) -> None:
    # The second answer is unroutable: a second lookup before connecting would fail the connection.
    resolver = Rebinding({"news.test": [["127.0.0.1"], ["192.0.2.1"]]})
    stream = safety.PinnedBackend(allow_private=True, resolve=resolver).connect_tcp("news.test", page_server.port, 2)
    try:
        assert stream.get_extra_info("server_addr") == ("127.0.0.1", page_server.port)
    finally:
        stream.close()
    assert resolver.calls == ["news.test"]


@pytest.mark.parametrize("answer", [["127.0.0.1"], ["93.184.215.14", "127.0.0.1"], ["10.0.0.7"], ["::1"]])
def test_a_host_answering_with_any_private_address_is_refused_before_connecting(
    page_server: PageServer, answer: list[str]
) -> None:
    backend = safety.PinnedBackend(allow_private=False, resolve=Rebinding({"rebind.test": [answer]}))
    with pytest.raises(safety.PrivateAddress):
        backend.connect_tcp("rebind.test", page_server.port, 2)
    assert sum(page_server.hits.values()) == 0


def test_a_host_that_does_not_resolve_is_a_connection_failure() -> None:
    backend = safety.PinnedBackend(allow_private=True, resolve=lambda host, port: [])
    with pytest.raises(httpcore.ConnectError):
        backend.connect_tcp("nowhere.test", 80, 2)


def test_the_client_fetches_through_the_pinned_address_with_the_host_name_kept(page_server: PageServer) -> None:
    resolver = Rebinding({"news.test": [["127.0.0.1"]]})
    transport = safety.pinned_transport(allow_private=True, resolve=resolver)
    with PoliteClient(POLICY, transport=transport) as client:
        fetched = client.fetch(f"http://news.test:{page_server.port}/page/comwrap")
    assert fetched.status == 200 and fetched.final_url == f"http://news.test:{page_server.port}/page/comwrap"
    assert {request["host"] for request in page_server.requests} == {f"news.test:{page_server.port}"}
    assert set(resolver.calls) == {"news.test"}


def test_the_client_rejects_a_rebound_host_without_reaching_it(page_server: PageServer) -> None:
    resolver = Rebinding({"rebind.test": [["127.0.0.1"]]})
    transport = safety.pinned_transport(allow_private=False, resolve=resolver)
    policy = replace(POLICY, allow_private_hosts=False)
    with PoliteClient(policy, transport=transport) as client, pytest.raises(RejectedInput) as caught:
        client.fetch(f"http://rebind.test:{page_server.port}/page/comwrap")
    assert caught.value.reason == safety.PRIVATE_ADDRESS and "rebind.test" in caught.value.detail
    assert sum(page_server.hits.values()) == 0


# --- TLS: the pinned connection still sends the host name as SNI and verifies the certificate against it


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><body><p>over TLS</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """A certificate for `name` (and its key) made by the openssl command."""
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
         "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, Path, list[str]]]:
    """An HTTPS server on 127.0.0.1 with a certificate for news.test, recording the SNI names it is sent."""
    cert, key = self_signed(tmp_path, "news.test")
    names: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name or "")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], cert, names
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_tls_to_a_pinned_address_verifies_the_host_name(tls_server: tuple[int, Path, list[str]]) -> None:
    port, cert, names = tls_server
    verify = ssl.create_default_context(cafile=str(cert))
    resolver = Rebinding({"news.test": [["127.0.0.1"]]})
    transport = safety.pinned_transport(allow_private=True, resolve=resolver, verify=verify)
    with PoliteClient(POLICY, transport=transport) as client:
        assert client.fetch(f"https://news.test:{port}/").text == "<html><body><p>over TLS</p></body></html>"
    assert names and set(names) == {"news.test"}


def test_tls_to_a_pinned_address_refuses_a_certificate_for_another_name(
    tls_server: tuple[int, Path, list[str]],
) -> None:
    port, cert, _ = tls_server
    verify = ssl.create_default_context(cafile=str(cert))
    resolver = Rebinding({"other.test": [["127.0.0.1"]]})
    transport = safety.pinned_transport(allow_private=True, resolve=resolver, verify=verify)
    with PoliteClient(POLICY, transport=transport) as client, pytest.raises(RejectedInput) as caught:
        client.fetch(f"https://other.test:{port}/")
    assert caught.value.reason == "connection-failed" and "CERTIFICATE_VERIFY_FAILED" in caught.value.detail
