"""Article-body extraction: wiredesk against plain trafilatura on the article-extraction benchmark, in one run.

    python benchmarks/extraction.py [--data DIR] [--rounds 1]

The pages and ground truth are the 181 of `scrapinghub/article-extraction-benchmark` (MIT; bundled here as
`data/article-extraction/html.tar.xz` and `ground-truth.json`; `--data` reads the same layout from a folder, such as
`../shared/benchmarks/article-extraction/`). Scoring follows that folder's README: bodies are split into runs of
Unicode word characters and compared as multisets of 4-token shingles; each page's true positives, false positives
and false negatives are divided by their sum so every page weighs the same; precision is averaged over the pages where
something was predicted, recall over the pages with a non-empty truth; F1 is the harmonic mean of the two averages.

The baselines are trafilatura 2.3.1 used plainly, `bare_extraction(html, url=url)` (its defaults: comments kept
apart, fallback extractors on), and the same with `favor_precision=True`. Each page is given to every extractor in
turn, starting with a different one on each page, so concurrent load on the machine falls on all of them alike.
wiredesk is timed from the raw page bytes to the Article, metadata included. Targets: F1 >= 0.970 and pages/s >= 1.0x
plain trafilatura's.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import trafilatura

from pipeline.errors import RejectedInput
from pipeline.extract.document import extract_article
from pipeline.record import RawDocument
from pipeline.sources import Source

DATA = Path(__file__).resolve().parent / "data" / "article-extraction"
TARGET_F1 = 0.970
TARGET_SPEED = 1.0
SHINGLE = 4
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: its id, URL, HTML bytes and ground-truth body."""

    item: str
    url: str
    html: bytes
    truth: str


@dataclass(slots=True)
class Tally:
    """Per-page precision and recall of one extractor, and the time it took."""

    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0

    def add(self, truth: str, predicted: str) -> None:
        """Score one page under the convention in the module docstring."""
        true_positive, false_positive, false_negative = shingle_match(truth, predicted)
        if true_positive + false_positive > 0:
            self.precisions.append(true_positive / (true_positive + false_positive))
        if truth.strip():
            recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 0.0
            self.recalls.append(recall)
        self.pages += 1

    @property
    def precision(self) -> float:
        return sum(self.precisions) / len(self.precisions) if self.precisions else 0.0

    @property
    def recall(self) -> float:
        return sum(self.recalls) / len(self.recalls) if self.recalls else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def shingles(text: str) -> Counter[str]:
    """The text's 4-token shingles as a multiset; a text shorter than 4 tokens is one shingle."""
    tokens = _TOKEN.findall(text or "")
    return Counter(" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)) if tokens)


def shingle_match(truth: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of `predicted` against `truth`, divided by their sum."""
    expected, found = shingles(truth), shingles(predicted)
    counts = (sum((expected & found).values()), sum((found - expected).values()), sum((expected - found).values()))
    total = sum(counts)
    true_positive, false_positive, false_negative = (count / total if total else 0.0 for count in counts)
    return true_positive, false_positive, false_negative


def load_pages(folder: Path | None = None) -> list[Page]:
    """The benchmark pages with their ground truth, from `folder` (the shared layout) or the bundled archive."""
    truth_file = (folder or DATA) / "ground-truth.json"
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    html = dict(_folder_pages(folder) if folder else _bundled_pages())
    return [Page(item, record["url"], html[item], record["articleBody"]) for item, record in sorted(truth.items())]


def _folder_pages(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted((folder / "html").glob("*.html.gz")):
        yield path.name.removesuffix(".html.gz"), gzip.decompress(path.read_bytes())


def _bundled_pages() -> Iterator[tuple[str, bytes]]:
    with tarfile.open(DATA / "html.tar.xz", "r:xz") as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".html"):
                handle = archive.extractfile(member)
                if handle is not None:
                    yield Path(member.name).name.removesuffix(".html"), handle.read()


def page_source(url: str) -> Source:
    """A source for a benchmark page's site: its host as name and domain, UTC, no language and no CSS rules."""
    host = (urlsplit(url).hostname or "example.org").removeprefix("www.")
    return Source(slug="benchmark", name=host, domain=host, timezone=ZoneInfo("UTC"))


def wiredesk_body(page: Page) -> str:
    """wiredesk's body for a page, from raw bytes to Article; empty when it rejects the page."""
    document = RawDocument("benchmark", page.url, page.html, "text/html", datetime.now(UTC), url=page.url)
    try:
        return "\n".join(extract_article(document, page_source(page.url)).body)
    except RejectedInput:
        return ""


def trafilatura_body(page: Page, *, favor_precision: bool = False) -> str:
    """trafilatura's body text for a page, used the plain way."""
    document = trafilatura.bare_extraction(page.html, url=page.url, favor_precision=favor_precision)
    return "" if document is None or isinstance(document, dict) else document.text or ""


EXTRACTORS: Mapping[str, Callable[[Page], str]] = {
    "wiredesk": wiredesk_body,
    "trafilatura": trafilatura_body,
    "trafilatura favor_precision": lambda page: trafilatura_body(page, favor_precision=True),
}


def score(pages: list[Page], extractors: Mapping[str, Callable[[Page], str]], rounds: int = 1) -> dict[str, Tally]:
    """Each extractor's tally over the pages; every page goes to every extractor in turn, `rounds` times."""
    tallies = {name: Tally() for name in extractors}
    names = list(extractors)
    for round_number in range(rounds):
        for number, page in enumerate(pages):
            # Who goes first on a page changes from page to page, so no extractor always finds the caches cold.
            for name in names[number % len(names) :] + names[: number % len(names)]:
                extract = extractors[name]
                started = time.perf_counter()
                body = extract(page)
                tallies[name].seconds += time.perf_counter() - started
                if round_number == 0:
                    tallies[name].add(page.truth, body)
    for tally in tallies.values():
        tally.pages *= rounds
    return tallies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="a folder with ground-truth.json and html/*.html.gz")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the pages for timing")
    args = parser.parse_args()
    pages = load_pages(args.data)
    tallies = score(pages, EXTRACTORS, args.rounds)
    baseline = tallies["trafilatura"]
    print(f"{len(pages)} pages · trafilatura {trafilatura.__version__}")
    print(f"{'extractor':30} {'F1':>7} {'prec':>7} {'recall':>7} {'pages/s':>8} {'F1 ratio':>9} {'speed ratio':>12}")
    for name, tally in tallies.items():
        print(
            f"{name:30} {tally.f1:7.4f} {tally.precision:7.4f} {tally.recall:7.4f} {tally.rate:8.1f}"
            f" {tally.f1 / baseline.f1:9.3f} {tally.rate / baseline.rate:11.2f}x"
        )
    ours = tallies["wiredesk"]
    met = ours.f1 >= TARGET_F1 and ours.rate >= TARGET_SPEED * baseline.rate
    print(f"targets: F1 >= {TARGET_F1} and >= {TARGET_SPEED}x trafilatura's pages/s: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
