"""Canonical URLs: one spelling per article address."""

from __future__ import annotations

from urllib.parse import urldefrag

import courlan


def canonical_url(url: str) -> str | None:
    """`url` with lowercase scheme and host, sorted query without tracking parameters, and no fragment.

    None when `url` is not an absolute http(s) URL.
    """
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        normalized = courlan.normalize_url(url)
    except ValueError:
        return None
    return urldefrag(normalized).url or None
