"""Dedupe parameters: valid defaults, and a specific message for each value out of range."""

from __future__ import annotations

import pytest

from pipeline.dedupe.params import DedupeParams


def test_defaults_are_valid_and_name_their_algorithm() -> None:
    params = DedupeParams()
    assert params.rows * params.bands == params.permutations
    assert params.algorithm == "wiredesk-oph/4 k=5 p=126 b=42 t=4"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"shingle_size": 0}, "shingle_size must be in [1, 12]"),
        ({"permutations": 8}, "permutations must be in [16, 1024]"),
        ({"bands": 1}, "bands must be in [2, permutations]"),
        ({"bands": 40}, "permutations must be a multiple of bands"),
        ({"jaccard": 0}, "jaccard must be in (0, 1]"),
        ({"containment": 1.5}, "containment must be in (0, 1]"),
        ({"sentence_min_words": 2}, "sentence_min_words must be in [3, 60]"),
        ({"merged_min_sentences": 0}, "merged_min_sentences must be in [1, 50]"),
        ({"merged_min_share": 0.5}, "merged_min_share must be in (0, 0.5)"),
        ({"common_sentence_limit": 1}, "common_sentence_limit must be >= 2"),
        ({"sentence_min_terms": 1}, "sentence_min_terms must be in [2, 30]"),
        ({"aligned_share": 0}, "aligned_share must be in (0, 1]"),
        ({"rewrite_score": 1.2}, "rewrite_score must be in (0, 1]"),
        ({"rewrite_min_sentences": 0}, "rewrite_min_sentences must be in [1, 100]"),
        ({"rewrite_min_containment": 1}, "rewrite_min_containment must be in [0, 1)"),
        ({"rewrite_window_hours": 0}, "rewrite_window_hours must be > 0"),
    ],
)
def test_out_of_range_values_are_refused_with_a_specific_message(changes: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        DedupeParams(**changes)  # type: ignore[arg-type]
