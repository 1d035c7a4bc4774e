"""Where the fetcher may go: allowed hosts, one site across www., and no private or loopback addresses."""

from __future__ import annotations

import ipaddress
import socket

import httpx

from pipeline.errors import RejectedInput


def host_allowed(host: str, allowed: frozenset[str]) -> bool:
    """True when `host` is in `allowed` or a subdomain of an entry; an empty allow-list allows every host."""
    host = host.rstrip(".")
    return not allowed or any(host == entry or host.endswith(f".{entry}") for entry in allowed)


def same_site(first: str, second: str) -> bool:
    """True when two hosts are one site, ignoring a `www.` prefix."""
    # example.com and www.example.com are one site: sites redirect between the two all the time.
    return first.removeprefix("www.") == second.removeprefix("www.")


def refuse_private_address(url: httpx.URL, named: str) -> None:
    """Raise RejectedInput unless every address `url`'s host resolves to is public."""
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(url.raw_host.decode("ascii"), port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise RejectedInput("connection-failed", f"{named}: cannot resolve {url.host}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not is_public(address):
            raise RejectedInput("private-address", f"{named}: {url.host} is at non-public address {address}")


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a global unicast address (IPv4-mapped IPv6 judged by its IPv4 address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast
