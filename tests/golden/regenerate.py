"""Regenerate the golden extraction files for review: `python -m tests.golden.regenerate [--add ITEM SLUG ...]`.

Each golden page is `tests/golden/<source>/<name>.html.gz` (or `.txt`) with `<name>.json` next to it: the fields
wiredesk extracts (title, authors, agencies, dateline, published_at, modified_at, language, canonical_url) and two
curated lists, `must_contain` and `must_not_contain`, of body snippets. Regenerating rewrites the fields from the
current extractor and keeps the curated lists, so `git diff tests/golden` shows exactly what an extractor change did.

`--add ITEM SLUG` copies benchmark page ITEM (an id from benchmarks/data/article-extraction) into the SLUG folder
and seeds its lists: `must_contain` with the start of the ground truth's first and last paragraphs, and
`must_not_contain` with the lines plain trafilatura keeps that the ground truth does not have. Review the seeds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import trafilatura

from pipeline.extract.document import extract_article
from pipeline.record import Article, RawDocument
from pipeline.sources import Source, load_sources

GOLDEN = Path(__file__).resolve().parent
SOURCES = GOLDEN / "sources.toml"
FIELDS = (
    *("title", "authors", "agencies", "dateline", "published_at", "modified_at", "language", "canonical_url"),
    "publisher",
    "credits",
)
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)
_WORDS = re.compile(r"\w+")


def golden_pages() -> list[Path]:
    """Every golden page (`.html.gz` or `.txt`), sorted."""
    return sorted([*GOLDEN.glob("*/*.html.gz"), *GOLDEN.glob("*/*.txt")])


def expected_path(page: Path) -> Path:
    """The expected-JSON file of a golden page."""
    return page.with_name(page.name.removesuffix(".gz").removesuffix(".html").removesuffix(".txt") + ".json")


def extract_golden(page: Path, sources: dict[str, Source]) -> Article:
    """The article wiredesk extracts from a golden page (its source is its folder's name)."""
    expected = expected_path(page)
    url = json.loads(expected.read_text(encoding="utf-8")).get("url") if expected.exists() else None
    if page.suffix == ".txt":
        document = RawDocument(page.parent.name, str(page), page.read_bytes(), "text/plain", FETCHED_AT, url=url)
    else:
        html = gzip.decompress(page.read_bytes())
        document = RawDocument(page.parent.name, str(page), html, "text/html", FETCHED_AT, url=url)
    return extract_article(document, sources[page.parent.name])


def fields_of(article: Article) -> dict[str, Any]:
    """The golden fields of an article, JSON-ready."""
    values = {name: getattr(article, name) for name in FIELDS}
    for name in ("published_at", "modified_at"):
        instant = getattr(article, name)
        values[name] = instant.isoformat() if instant else None
    return {name: list(value) if isinstance(value, tuple) else value for name, value in values.items()}


def regenerate(page: Path, sources: dict[str, Source]) -> None:
    """Rewrite a page's expected fields from the current extractor, keeping its curated snippet lists."""
    path = expected_path(page)
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    record = {"url": old.get("url"), **fields_of(extract_golden(page, sources))}
    record |= {"must_contain": old.get("must_contain", []), "must_not_contain": old.get("must_not_contain", [])}
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def add_benchmark_page(item: str, slug: str) -> Path:
    """Copy a benchmark page into the golden folder of `slug`, with seeded snippet lists."""
    sys.path.append(str(GOLDEN.parents[1] / "benchmarks"))
    import extraction_sets as extraction

    [bench] = [page for page in extraction.load_pages() if page.item.startswith(item)]
    folder = GOLDEN / slug
    folder.mkdir(exist_ok=True)
    page = folder / f"{bench.item[:12]}.html.gz"
    page.write_bytes(gzip.compress(bench.html, mtime=0))
    body = bench.truth or ""
    truth = [line for line in body.splitlines() if line.strip()]
    kept = trafilatura.bare_extraction(bench.html, url=bench.url)
    plain = kept.text.splitlines() if kept is not None and not isinstance(kept, dict) and kept.text else []
    truth_words = " ".join(_WORDS.findall(body))
    furniture = [line.strip() for line in plain if " ".join(_WORDS.findall(line)) not in truth_words]
    seed = {
        "url": bench.url,
        "must_contain": [truth[0][:80], truth[-1][:80]],
        "must_not_contain": [line[:80] for line in furniture if line],
    }
    expected_path(page).write_text(json.dumps(seed, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--add", nargs=2, action="append", default=[], metavar=("ITEM", "SLUG"))
    args = parser.parse_args()
    for item, slug in args.add:
        print(f"added {add_benchmark_page(item, slug)}")
    sources = load_sources(SOURCES)
    for page in golden_pages():
        regenerate(page, sources)
        print(f"regenerated {expected_path(page).relative_to(GOLDEN)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
