"""Bylines a page shows without declaring them: elements marked as the byline or author (`class="byline"`,
`class="author-name"`, `id="autor"`), links to an author's page (`rel=author`, `/author/jane-doe`), and short lines
opening with the word for "by" in many languages (`By`, `Von`, `Par`, `Por`, `Door`, `Przez`, `Di`, `Av`, `Автор`).

Read from the tree before trafilatura drops them (it keeps bylines out of the body). Of each kind, only the first
byline block counts: the first match after the start of the headline's block, and the matches next to it. Bylines
of other stories (a related-stories rail, a list of teasers) come later and elsewhere. Comment authors, author
biographies, footers and navigation are not bylines. Each text node is a text of its own, so `<a>Jane Doe</a><span>Staff
Writer</span>` gives `Jane Doe` and `Staff Writer`, not one glued string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lxml.html import HtmlElement

from pipeline.extract.people import BY_LINE

# A class or id naming the byline: `byline`, `c-byline__author`, `author-name`, `authorname-txt`, `postAuthor`.
_MARKED = re.compile(
    r"(?:^|[\s_-])(?:byline|by-line|author|authors|autor|autore|auteur|verfasser|writer|reporter|contributor|creator)"
    r"(?:name|names|link|txt|text)?(?:$|[\s_-])|(?:byline|author)(?:name|s)?(?:$|[\s_-])",
    re.IGNORECASE,
)
_AUTHOR_PATH = re.compile(
    r"/(?:author|authors|autor|autoren|auteur|auteurs|autore|writers?|journalists?|redakteur|profile/author|staff"
    r"|editors|columnists?|contributors?|reporters?)/[^/?#]+/?(?:$|[?#])",
    re.IGNORECASE,
)
_NOT_BYLINE = re.compile(r"comment|avatar|image|img|photo|picture|thumb|social|share|follow|bio(?:$|[\s_-])", re.I)
_UNWANTED_AROUND = re.compile(
    r"comment|related|recommend|more-from|popular|trending|teaser|(?:^|\s)bio(?:$|\s)|about-author"
    r"|author-(?:box|card|info|bio)",
    re.IGNORECASE,
)
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "button"})
_MAX_TEXT = 120
_BLOCK_LEVELS = 2
_MAX_BLOCK_TEXT = 300


def visible_bylines(tree: HtmlElement) -> list[list[str]]:
    """Byline texts the page shows, one list per kind of evidence: marked elements, author links, "By" lines."""
    elements = list(_from_headline(tree))
    taken: list[HtmlElement] = []
    kinds = (_is_marked, _is_author_link, _is_by_line)
    # An element one kind read is not read by another: one byline is one piece of evidence, however it is found.
    return [texts for texts in (_first_block_texts(elements, kind, taken) for kind in kinds) if texts]


def _from_headline(tree: HtmlElement) -> Iterator[HtmlElement]:
    """The page's elements from the start of the block holding its first `<h1>` (from the top when it has none), in
    document order, outside footers, asides, navigation and comment or related-story sections."""
    first = next(tree.iter("h1"), None)
    start = first
    for _ in range(_BLOCK_LEVELS):
        parent = start.getparent() if start is not None else None
        if parent is None or parent.tag in ("body", "html"):
            break
        start = parent
    started = start is None
    for element in tree.iter():
        if element is start:
            started = True
        if started and isinstance(element.tag, str) and element.tag not in _SKIPPED and not _unwanted(element):
            yield element


def _unwanted(element: HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "html"):
            break  # their classes are the whole site's feature flags ("f_related_stories_on")
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        # Not <aside>: some sites put the byline in one, next to the story; nor an article's own <footer>.
        if node.tag == "nav" or _UNWANTED_AROUND.search(marks):
            return True
        if node.tag == "footer" and not any(up.tag == "article" for up in node.iterancestors()):
            return True
    return False


def _first_block_texts(
    elements: list[HtmlElement], matches: Callable[[HtmlElement], bool], taken: list[HtmlElement]
) -> list[str]:
    """The texts of the first matching element and of the matching elements in the same block, none of them in,
    around or among the `taken` elements (to which they are added)."""
    found = [element for element in elements if matches(element) and not _overlaps(element, taken)]
    if not found:
        return []
    block = found[0]
    for _ in range(_BLOCK_LEVELS):
        parent = block.getparent()
        if parent is None or len(_text(parent)) > _MAX_BLOCK_TEXT:
            break  # the block is the byline line, not the story or a list around it
        block = parent
    chosen: list[HtmlElement] = []
    for element in found:
        inside = element is block or block in element.iterancestors()
        if inside and not any(ancestor in chosen for ancestor in element.iterancestors()):
            chosen.append(element)
    taken += chosen
    texts = [" ".join(part.split()) for element in chosen for part in element.itertext()]
    return list(dict.fromkeys(text for text in texts if text))


def _overlaps(element: HtmlElement, taken: list[HtmlElement]) -> bool:
    return any(
        element is other or other in element.iterancestors() or element in other.iterancestors() for other in taken
    )


def _text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _is_marked(element: HtmlElement) -> bool:
    marks = f"{element.get('class') or ''} {element.get('id') or ''}"
    if not _MARKED.search(marks) or _NOT_BYLINE.search(marks):
        return False
    text = _text(element)
    return bool(text) and len(text) <= _MAX_TEXT


def _is_author_link(element: HtmlElement) -> bool:
    if element.tag != "a":
        return False
    rel = (element.get("rel") or "").lower().split()
    if "author" not in rel and not _AUTHOR_PATH.search(element.get("href") or ""):
        return False
    text = _text(element)
    # A link inside running text names someone the story is about, not its author.
    parent = element.getparent()
    return bool(text) and len(text) <= 60 and (parent is None or len(_text(parent)) <= _MAX_TEXT)


def _is_by_line(element: HtmlElement) -> bool:
    text = _text(element)
    return bool(text) and len(text) <= _MAX_TEXT and BY_LINE.match(text) is not None
