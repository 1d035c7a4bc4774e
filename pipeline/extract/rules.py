"""A source's CSS rules from the sources file, applied with BeautifulSoup before trafilatura reads the page."""

from __future__ import annotations

from bs4 import BeautifulSoup

from pipeline.sources import ExtractRules


def apply_rules(html: str, rules: ExtractRules) -> str:
    """The page without the elements `rules.drop` selects, its body narrowed to `rules.body` when that matches."""
    soup = BeautifulSoup(html, "lxml")
    for selector in rules.drop:
        for element in soup.select(selector):
            element.decompose()
    if rules.body is None:
        return str(soup)
    container = soup.select_one(rules.body)
    if container is None:
        return str(soup)  # a page of another layout (a live blog, a gallery): trafilatura finds the body alone
    # The head stays: it carries the metadata (JSON-LD, OpenGraph) read after this.
    head = soup.head.decode() if soup.head is not None else ""
    return f"<html>{head}<body>{container.decode()}</body></html>"
