"""Canonical URLs: one spelling per article address, whatever variant an outlet or a feed links to."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan
from lxml.html import HtmlElement

# Subdomains that serve the same article as the main site: mobile and AMP editions.
_EDITION_PREFIXES = ("www.", "m.", "mobile.", "amp.", "www.m.")
# Query parameters that only select an edition or track a click (courlan drops utm_* and friends already).
_EDITION_PARAMETERS = frozenset({"amp", "outputtype", "output", "mobile", "m", "platform"})
_AMP_PATH = re.compile(r"(?:/amp|/amp\.html|\.amp)/?$", re.IGNORECASE)


def canonical_url(url: str) -> str | None:
    """`url` as one canonical spelling: https/http kept, lowercase host without `www.`, `m.` or `amp.`, no AMP
    path suffix, no tracking or edition parameters, sorted query, no fragment.

    None when `url` is not an absolute http(s) URL.
    """
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        normalized = courlan.normalize_url(url)
    except ValueError:
        return None
    parts = urlsplit(normalized)
    host = parts.hostname or ""
    if not host:
        return None
    for prefix in _EDITION_PREFIXES:
        if host.startswith(prefix) and host.count(".") > prefix.count("."):
            host = host.removeprefix(prefix)
            break
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _EDITION_PARAMETERS]
    )
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def stated_url(tree: HtmlElement) -> str | None:
    """The address a page gives for itself: its `<link rel=canonical>`, else its `og:url`; None when it gives no
    absolute http(s) URL."""
    for element in tree.iter("link"):
        rel = (element.get("rel") or "").strip().lower()
        if rel == "canonical" and (element.get("href") or "").strip().startswith("http"):
            return str(element.get("href")).strip()
    for element in tree.iter("meta"):
        if (element.get("property") or element.get("name") or "").strip().lower() == "og:url":
            content = (element.get("content") or "").strip()
            if content.startswith("http"):
                return content
    return None
