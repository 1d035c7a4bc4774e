"""The second stage's scorer: how many of one article's sentences have a near match in another's.

Two versions of one story (an update that adds, drops and rewrites paragraphs; a rewrite to another length) keep
most of the shorter one's sentences recognisable: each has a sentence in the other holding at least
`DedupeParams.aligned_share` of its content words. Two stories on the same subject and day (a second agency's
account of one event among them) share names, numbers and a quote or two, but few whole sentences. The score is
the share of the shorter article's sentences (fewer sentences) that have a near match.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pipeline.dedupe.minhash import TextSignature


@dataclass(frozen=True, slots=True)
class Alignment:
    """How two articles' sentences align."""

    aligned: int
    """Sentences of the shorter article with a near match in the other."""
    sentences: int
    """Sentences of the shorter article (those compared)."""

    @property
    def score(self) -> float:
        """The share of the shorter article's sentences with a near match."""
        return self.aligned / self.sentences if self.sentences else 0.0


class SentenceSets:
    """One article's sentences as lists of terms, and which sentences hold each term, built once per article."""

    __slots__ = ("postings", "sentences")

    def __init__(self, signature: TextSignature) -> None:
        terms, sizes = signature.terms.tolist(), signature.sentence_sizes.tolist()
        self.sentences: list[list[int]] = []
        self.postings: dict[int, list[int]] = defaultdict(list)
        start = 0
        for number, size in enumerate(sizes):
            sentence = terms[start : start + size]
            start += size
            self.sentences.append(sentence)
            for term in sentence:
                self.postings[term].append(number)


def align(first: SentenceSets, second: SentenceSets, share: float) -> Alignment:
    """How many of the shorter article's sentences have a sentence in the other holding `share` of their terms."""
    shorter, longer = (first, second) if len(first.sentences) <= len(second.sentences) else (second, first)
    postings = longer.postings
    aligned = 0
    for sentence in shorter.sentences:
        needed = share * len(sentence)
        counts: dict[int, int] = defaultdict(int)
        for term in sentence:
            for other in postings.get(term, ()):
                counts[other] += 1
        aligned += bool(counts) and max(counts.values()) >= needed
    return Alignment(aligned, len(shorter.sentences))
