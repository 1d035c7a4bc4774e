"""Regenerate the golden extraction files for review: `python -m tests.golden.regenerate [--add ITEM SLUG ...]`.

Each golden page is `tests/golden/<source>/<name>.html.gz` (or `.txt`) with `<name>.json` next to it: the fields
wiredesk extracts (title, authors, agencies, dateline, published_at, modified_at, language, canonical_url) and two
curated lists, `must_contain` and `must_not_contain`, of body snippets. Regenerating rewrites the fields from the
current extractor and keeps the curated lists, so `git diff tests/golden` shows exactly what an extractor change did.

`--add ITEM SLUG` copies benchmark page ITEM (an id from benchmarks/data/article-extraction) into the SLUG folder
and seeds its lists: `must_contain` with the start of the ground truth's first and last paragraphs, and
`must_not_contain` with the lines plain trafilatura keeps that the ground truth does not have. Review the seeds.

`--add-metadata FOLDER FILE` copies page FILE of a news-metadata folder (`html/...html.gz`, licences in
benchmarks/data/news-metadata/LICENSES) into the folder of the source made for its URL's host, which needs no entry
in sources.toml, and seeds `must_contain` from its truth's body (or the start of it) the same way.
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
from pipeline.sources import Source, host_source, load_sources

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
    source = sources.get(page.parent.name) or (host_source(url) if url else None)
    assert source is not None and source.slug == page.parent.name, f"{page}: no source for its folder"
    return extract_article(document, source)


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


def add_metadata_page(folder: Path, file: str) -> Path:
    """Copy a news-metadata page into the folder of the source made for its host, with `must_contain` seeded from
    the first and last paragraphs of its truth's body (or the start of it)."""
    [record] = [
        json.loads(line)
        for line in (folder / "ground-truth.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["file"] == file
    ]
    source = host_source(record["url"])
    assert source is not None, f"{file}: no host in {record['url']!r}"
    target = GOLDEN / source.slug
    target.mkdir(exist_ok=True)
    page = target / Path(file).name.removeprefix("postlight_").removeprefix("readability_")
    page.write_bytes((folder / file).read_bytes())
    paragraphs = [line.strip() for line in (record.get("body") or "").splitlines() if line.strip()]
    snippets = [paragraphs[0][:80], paragraphs[-1][:80]] if paragraphs else [(record.get("body_prefix") or "")[:80]]
    seed = {"url": record["url"], "must_contain": list(dict.fromkeys(snippets)), "must_not_contain": []}
    expected_path(page).write_text(json.dumps(seed, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--add", nargs=2, action="append", default=[], metavar=("ITEM", "SLUG"))
    parser.add_argument("--add-metadata", nargs=2, action="append", default=[], metavar=("FOLDER", "FILE"))
    args = parser.parse_args()
    for item, slug in args.add:
        print(f"added {add_benchmark_page(item, slug)}")
    for folder, file in args.add_metadata:
        print(f"added {add_metadata_page(Path(folder), file)}")
    sources = load_sources(SOURCES)
    for page in golden_pages():
        regenerate(page, sources)
        print(f"regenerated {expected_path(page).relative_to(GOLDEN)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
