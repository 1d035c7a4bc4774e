"""Every dedupe parameter in one place, validated when built."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DedupeParams:
    """How copies are recognised. Changing the signature fields changes `algorithm`, so old signatures are redone.

    The second stage's thresholds (`aligned_share`, `rewrite_score`, `rewrite_min_aligned`) were calibrated with
    `benchmarks/dedupe.py --calibrate` for precision >= 0.99 on the development data (docs/benchmarks.md)."""

    shingle_size: int = 5
    """Words per shingle."""
    permutations: int = 126
    """MinHash slots per signature."""
    bands: int = 42
    """LSH bands; `permutations` must be a multiple. 42 bands of 3 rows make a pair at Jaccard 0.3 a candidate
    with probability 0.68 and at 0.5 with 0.996, while stories on the same topic (Jaccard ~0.02) almost never are."""
    jaccard: float = 0.5
    """Estimated Jaccard at or above which two articles are copies."""
    containment: float = 0.8
    """Share of the shorter article's shingles inside the longer one at or above which they are copies."""
    sentence_min_words: int = 10
    """Sentences of at least this many words are hashed for the merged-rewrite signal."""
    merged_min_sentences: int = 2
    """A rewrite takes at least this many long sentences from each story it is linked to (two: short stories
    have few long sentences, and half of one has fewer)..."""
    merged_min_share: float = 0.2
    """...and at least this share of its own long sentences or of that story's."""
    common_sentence_limit: int = 50
    """A sentence found in more articles than this is boilerplate, not a signal."""
    second_stage: bool = True
    """Whether candidates that are not copies by shingles are compared sentence by sentence (off: hashing alone)."""
    sentence_min_terms: int = 4
    """Sentences of at least this many content words are compared by the second stage and keyed to find its
    candidates (`pipeline.dedupe.terms`)."""
    aligned_share: float = 0.5
    """A sentence has a near match in another article when a sentence there holds this share of its content
    words."""
    rewrite_score: float = 0.55
    """Share of the shorter article's sentences with a near match at or above which two articles that are not
    copies by shingles are versions of one story (an update or a rewrite)..."""
    rewrite_min_sentences: int = 8
    """...when the shorter one has at least this many sentences compared (in fewer, a shared lead and a quote or
    two make a high share)..."""
    rewrite_min_containment: float = 0.2
    """...and at least this share of the smaller one's 5-word shingles inside the other: a rewrite keeps some of
    its source's wording, while another outlet's account of the same event shares its names, figures and a quote
    or two, and sentences built around them, but rarely its phrasing."""
    rewrite_window_hours: float = 168.0
    """The second stage compares only articles published within this many hours of each other (either time
    unknown: compared)."""

    def __post_init__(self) -> None:
        _require(1 <= self.shingle_size <= 12, "shingle_size must be in [1, 12]")
        _require(16 <= self.permutations <= 1024, "permutations must be in [16, 1024]")
        _require(2 <= self.bands <= self.permutations, "bands must be in [2, permutations]")
        _require(self.permutations % self.bands == 0, "permutations must be a multiple of bands")
        _require(0 < self.jaccard <= 1, "jaccard must be in (0, 1]")
        _require(0 < self.containment <= 1, "containment must be in (0, 1]")
        _require(3 <= self.sentence_min_words <= 60, "sentence_min_words must be in [3, 60]")
        _require(1 <= self.merged_min_sentences <= 50, "merged_min_sentences must be in [1, 50]")
        _require(0 < self.merged_min_share < 0.5, "merged_min_share must be in (0, 0.5)")
        _require(self.common_sentence_limit >= 2, "common_sentence_limit must be >= 2")
        _require(2 <= self.sentence_min_terms <= 30, "sentence_min_terms must be in [2, 30]")
        _require(0 < self.aligned_share <= 1, "aligned_share must be in (0, 1]")
        _require(0 < self.rewrite_score <= 1, "rewrite_score must be in (0, 1]")
        _require(1 <= self.rewrite_min_sentences <= 100, "rewrite_min_sentences must be in [1, 100]")
        _require(0 <= self.rewrite_min_containment < 1, "rewrite_min_containment must be in [0, 1)")
        _require(self.rewrite_window_hours > 0, "rewrite_window_hours must be > 0")

    @property
    def rows(self) -> int:
        """MinHash slots per band."""
        return self.permutations // self.bands

    @property
    def algorithm(self) -> str:
        """Name and parameters of the signature, stored with each signature."""
        return f"wiredesk-oph/4 k={self.shingle_size} p={self.permutations} b={self.bands} t={self.sentence_min_terms}"


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
