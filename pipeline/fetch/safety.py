"""Where the fetcher may go: allowed hosts, one site across www., and no private or loopback addresses.

The address check happens where the connection is made: `PinnedBackend` resolves a host once, checks every
address the answer holds, and connects to one of those same addresses. A check made before httpx resolves the
host again would leave a window for DNS rebinding (public on the first answer, 127.0.0.1 on the second).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable

import httpcore
import httpx

PRIVATE_ADDRESS = "private-address"
"""The reject reason for a host that resolves to a loopback, private, link-local or reserved address."""

Resolver = Callable[[str, int], list[str]]
"""Host and port to the addresses to connect to, in the order to try them."""


def host_allowed(host: str, allowed: frozenset[str]) -> bool:
    """True when `host` is in `allowed` or a subdomain of an entry; an empty allow-list allows every host."""
    host = host.rstrip(".")
    return not allowed or any(host == entry or host.endswith(f".{entry}") for entry in allowed)


def same_site(first: str, second: str) -> bool:
    """True when two hosts are one site, ignoring a `www.` prefix."""
    # example.com and www.example.com are one site: sites redirect between the two all the time.
    return first.removeprefix("www.") == second.removeprefix("www.")


class PrivateAddress(Exception):
    """A host resolved to an address the fetcher must not connect to."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} is at non-public address {address}")
        self.host, self.address = host, address


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host`, without repeats, in its order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class PinnedBackend(httpcore.SyncBackend):
    """Connects to an address from one resolution of the host, after checking every address it gave."""

    def __init__(self, allow_private: bool, resolve: Resolver = system_resolver) -> None:
        self._allow_private, self._resolve = allow_private, resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """A stream to one of `host`'s checked addresses; TLS, SNI and Host still use `host` (httpcore's job)."""
        addresses = self._resolve(host, port)
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no address")
        if not self._allow_private:
            # One non-public answer refuses the host: a fallback to it must not be possible either.
            for address in addresses:
                if not is_public(ipaddress.ip_address(address.split("%")[0])):
                    raise PrivateAddress(host, address)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure


def pinned_transport(
    allow_private: bool, resolve: Resolver = system_resolver, verify: ssl.SSLContext | bool = True
) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through `PinnedBackend`; proxies from the environment ignored."""
    transport = httpx.HTTPTransport(verify=verify, trust_env=False)
    # httpx takes no network backend, so the transport's httpcore pool (`_pool`, what it sends every request
    # through) is replaced by one built with ours; the limits are httpx's defaults. tests/fetch/test_safety.py
    # fails if a future httpx stops sending requests through it.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=PinnedBackend(allow_private, resolve),
    )
    return transport


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a global unicast address (IPv4-mapped IPv6 judged by its IPv4 address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast
