"""The quality gate: wiredesk's body F1 on the 181 benchmark pages must not fall below the pinned floor."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The benchmarks are scripts run from their folder, so they import each other as top-level modules.
sys.path.append(str(Path(__file__).resolve().parents[2] / "benchmarks"))

import extraction as benchmark

FLOOR_FILE = benchmark.DATA / "f1-floor.txt"


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
    tally = benchmark.score(benchmark.load_pages(), {"wiredesk": benchmark.wiredesk_body})["wiredesk"]
    assert tally.f1 >= floor, f"body F1 {tally.f1:.4f} fell below the floor {floor} pinned in {FLOOR_FILE.name}"
