"""The two extraction benchmark sets, read into one page type: article-extraction (181 pages, bodies) and
news-metadata (titles, authors, publication dates, some bodies).

Both are bundled under `data/`: article-extraction whole, news-metadata as a sample (its `sample.py` says which
pages). Either can be read from a folder of the shared layout instead (`html/*.html.gz` with `ground-truth.json` or
`ground-truth.jsonl`), such as `../shared/benchmarks/news-metadata/`, which holds all 1,026 pages.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

DATA = Path(__file__).resolve().parent / "data"
BODIES = DATA / "article-extraction"
METADATA = DATA / "news-metadata"


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page and what its set says is on it; a field the set has no truth for is None."""

    item: str
    """The page's id in its set (the article-extraction hash, the news-metadata `file`)."""
    url: str | None
    html: bytes
    set_name: str
    """`article-extraction` or `news-metadata`."""
    subset: str
    """The news-metadata subset (where its pages and truth came from); the set's name for article-extraction."""
    tier: str
    """`A` for truth written or reviewed by people, `B` for another tool's output kept as a snapshot."""
    language: str | None
    truth: str | None
    """The expected body text, paragraphs separated by newlines."""
    title: str | None = None
    authors: tuple[str, ...] | None = None
    published: str | None = None
    """The publication date or time as the set gives it (ISO 8601; some day-only, some converted to UTC)."""
    published_has_zone: bool = False
    """Whether `published` states a time and a zone, so an instant can be compared."""


def load_pages(folder: Path | None = None) -> list[Page]:
    """The article-extraction pages with their bodies, from `folder` (the shared layout) or the bundled archive."""
    truth = json.loads(((folder or BODIES) / "ground-truth.json").read_text(encoding="utf-8"))
    html = dict(_folder_pages(folder) if folder else _bundled_pages(BODIES))
    return [
        Page(item, record["url"], html[item], "article-extraction", "article-extraction", "A", None,
             record["articleBody"])
        for item, record in sorted(truth.items())
    ]  # fmt: skip


def load_metadata_pages(folder: Path | None = None) -> list[Page]:
    """The news-metadata pages with their truth, from `folder` (the full set) or the bundled sample."""
    records = [json.loads(line) for line in _truth_lines((folder or METADATA) / "ground-truth.jsonl")]
    html = dict(_folder_pages(folder) if folder else _bundled_pages(METADATA))
    return [_metadata_page(record, html[_item(record["file"])]) for record in records]


def metadata_scorer(folder: Path | None = None) -> ModuleType:
    """The news-metadata set's own `score.py`, whose normalisation (`norm`, `day`, `instant`, `f1`) scoring reuses."""
    path = (folder or METADATA) / "score.py"
    spec = importlib.util.spec_from_file_location("news_metadata_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _metadata_page(record: dict[str, object], html: bytes) -> Page:
    authors = record.get("authors")
    return Page(
        item=str(record["file"]),
        url=str(record["url"]) if record.get("url") else None,
        html=html,
        set_name="news-metadata",
        subset=str(record["subset"]),
        tier=str(record["tier"]),
        language=str(record["language"]) if record.get("language") else None,
        truth=str(record["body"]) if record.get("body") else None,
        title=str(record["title"]) if record.get("title") else None,
        authors=tuple(str(name) for name in authors) if isinstance(authors, list) and authors else None,
        published=str(record["published"]) if record.get("published") else None,
        published_has_zone=bool(record.get("published_has_time") and record.get("published_has_zone")),
    )


def _truth_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _item(file: str) -> str:
    """The key a page's bytes are found under: its file name without folder and `.gz`/`.html` suffixes."""
    return Path(file).name.removesuffix(".gz").removesuffix(".html")


def _folder_pages(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted((folder / "html").glob("*.html.gz")):
        yield _item(path.name), gzip.decompress(path.read_bytes())


def _bundled_pages(folder: Path) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(folder / "html.tar.xz", "r:xz") as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".html"):
                handle = archive.extractfile(member)
                if handle is not None:
                    yield _item(member.name), handle.read()
