"""The quality gate: no field wiredesk extracts may fall below the floor pinned for it on the bundled benchmark sets
(body F1 on the 181 article-extraction pages; title, publication day and instant, and authors on the news-metadata
sample)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

# The benchmarks are scripts run from their folder, so they import each other as top-level modules.
sys.path.append(str(Path(__file__).resolve().parents[2] / "benchmarks"))

import extraction as benchmark

FLOOR_FILE = benchmark.BODIES / "f1-floor.txt"
METADATA_FLOORS = benchmark.METADATA / "floors.toml"


@pytest.mark.parametrize(
    ("truth", "predicted", "expected"),
    [
        ("one two three four five", "one two three four five", (1.0, 0.0, 0.0)),
        ("one two three four five", "", (0.0, 0.0, 1.0)),
        ("", "one two three four", (0.0, 1.0, 0.0)),
        # two shingles expected, one of them found, one extra: each a third
        ("a b c d e", "a b c d x", (1 / 3, 1 / 3, 1 / 3)),
        # a text shorter than four tokens is one shingle
        ("a b", "a b", (1.0, 0.0, 0.0)),
        # shingles are a multiset over the whole text: a repeated paragraph adds its shingle again, and the
        # shingles across the paragraph break (b c d a, c d a b, d a b c) are extra too
        ("a b c d", "a b c d\na b c d", (0.2, 0.8, 0.0)),
    ],
)
def test_shingle_match_follows_the_readme_convention(
    truth: str, predicted: str, expected: tuple[float, float, float]
) -> None:
    assert benchmark.shingle_match(truth, predicted) == pytest.approx(expected)


def test_averages_are_per_page_over_the_right_pages() -> None:
    tally = benchmark.Tally()
    tally.add("a b c d e", "a b c d e")  # perfect
    tally.add("a b c d e", "")  # nothing predicted: counts for recall only
    assert tally.precision == 1.0
    assert tally.recall == 0.5
    assert tally.f1 == pytest.approx(2 * 0.5 / 1.5)


def test_bundled_pages_match_the_ground_truth() -> None:
    pages = benchmark.load_pages()
    assert len(pages) == 181
    assert all(page.html.lstrip()[:1] == b"<" and page.truth for page in pages)


def test_wiredesk_body_f1_stays_above_the_pinned_floor() -> None:
    floor = float(FLOOR_FILE.read_text(encoding="utf-8"))
    pages = benchmark.load_pages()
    tally = benchmark.Tally()
    for page in pages:
        tally.add(page.truth or "", benchmark.wiredesk_body(page))
    assert tally.f1 >= floor, f"body F1 {tally.f1:.4f} fell below the floor {floor} pinned in {FLOOR_FILE.name}"


def test_every_metadata_field_stays_above_its_pinned_floor() -> None:
    floors = tomllib.loads(METADATA_FLOORS.read_text(encoding="utf-8"))
    pages = benchmark.load_metadata_pages()
    predictions, _ = benchmark.predict(pages, {"wiredesk": benchmark.wiredesk})
    scores = benchmark.score_pages(pages, predictions["wiredesk"], benchmark.metadata_scorer())
    measured = {field: scores[("news-metadata", "tier A", field)].value for field in floors}
    fallen = {field: f"{value:.3f} < {floors[field]}" for field, value in measured.items() if value < floors[field]}
    assert fallen == {}, f"fields below the floors pinned in {METADATA_FLOORS.name}"


def test_no_cleaning_step_loses_story_that_trafilatura_alone_keeps() -> None:
    """Every benchmark page against trafilatura alone on the same page: wiredesk's pre-clean, furniture cuts and
    byline reading may take text away, never the story. Its body's recall is never more than 0.2 below trafilatura's,
    and where its body is under half of trafilatura's, its recall is no lower (what went was not the story)."""
    import trafilatura

    lost = []
    for page in benchmark.load_pages():
        ours = benchmark.wiredesk_body(page)
        alone = trafilatura.bare_extraction(page.html.decode("utf-8", "replace"), url=page.url, with_metadata=False)
        theirs = (alone.text if alone is not None and not isinstance(alone, dict) else "") or ""
        recall, recall_alone = _recall(page.truth or "", ours), _recall(page.truth or "", theirs)
        if recall < recall_alone - 0.2 or (len(ours) < len(theirs) / 2 and recall < recall_alone):
            lost.append(f"{page.url}: {len(ours)} chars, recall {recall:.2f} vs {len(theirs)}, {recall_alone:.2f}")
    assert lost == []


def _recall(truth: str, predicted: str) -> float:
    found, _, missed = benchmark.shingle_match(truth, predicted)
    return found / (found + missed) if found + missed else 1.0
