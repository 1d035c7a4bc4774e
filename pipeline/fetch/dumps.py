"""Download an archive or dump named by URL, so `import` reads it like a local file."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import httpx

from pipeline.errors import RejectedInput, TransientError
from pipeline.fetch.policy import MAX_DUMP_VARIABLE, FetchPolicy
from pipeline.fetch.safety import PrivateAddress, pinned_transport

CHUNK_BYTES = 1 << 20


def is_url(location: str) -> bool:
    """True when `location` is an http(s) URL rather than a path."""
    return location.startswith(("http://", "https://"))


def download_dump(url: str, folder: Path, policy: FetchPolicy) -> Path:
    """Stream the file at `url` into `folder` (named after the URL's last path segment) and return its path.

    Raises RejectedInput for a URL that cannot be a dump (private address, 4xx, larger than the policy's
    `max_dump_bytes`) and TransientError for what a retry may fix (network failures, 5xx).
    """
    parsed = httpx.URL(url)
    name = PurePosixPath(parsed.path).name
    if not name:
        raise RejectedInput("bad-url", f"{url}: the URL names no file")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = target.with_name(f"{name}.part")
    headers = policy.identity_headers
    transport = pinned_transport(policy.allow_private_hosts)
    try:
        with (
            httpx.Client(transport=transport, follow_redirects=True, timeout=policy.read_timeout) as client,
            client.stream("GET", url, headers=headers) as answer,
        ):
            if answer.status_code >= 500:
                raise TransientError(f"{url}: HTTP {answer.status_code}")
            if answer.status_code >= 400:
                raise RejectedInput(f"http-{answer.status_code}", f"{url}: HTTP {answer.status_code}")
            _refuse_when_declared_too_large(url, answer, policy.max_dump_bytes)
            with partial.open("wb") as out:
                written = 0
                for chunk in answer.iter_raw(CHUNK_BYTES):
                    written += len(chunk)
                    if written > policy.max_dump_bytes:
                        raise _too_large(url, "more bytes arrived", policy.max_dump_bytes)
                    out.write(chunk)
    except PrivateAddress as error:
        raise RejectedInput("private-address", f"{url}: {error}") from error
    except httpx.TransportError as error:
        partial.unlink(missing_ok=True)
        raise TransientError(f"{url}: {type(error).__name__}: {error}") from error
    except RejectedInput:
        partial.unlink(missing_ok=True)
        raise
    # Renamed only once complete, so a cut download is never read as a whole dump.
    partial.replace(target)
    return target


def _refuse_when_declared_too_large(url: str, answer: httpx.Response, cap: int) -> None:
    declared = answer.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(url, f"the server says it is {int(declared)} bytes", cap)


def _too_large(url: str, why: str, cap: int) -> RejectedInput:
    return RejectedInput("too-large", f"{url}: {why}, over the {cap}-byte cap on a dump ({MAX_DUMP_VARIABLE})")
