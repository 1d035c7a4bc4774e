"""Calibrate the second dedupe stage's thresholds on development data, and check them on held-out data.

    python benchmarks/dedupe_calibrate.py

Development data: the planted corpus of seed 7 (`dedupe_corpus.py`) and the calibration split of the
wire-rewrites pairs (`dedupe_wire.py`); held-out: the planted corpus of seed 8 (other copies of the same
originals) and the held-out split. Every candidate pair the second stage would look at (not copies by shingles,
within the time window) is scored once; then, for each combination of `rewrite_score`, `rewrite_min_sentences` and
`rewrite_min_containment`, the pairs it accepts are counted: planted pairs are right when the two items share a
story, wire pairs are the labelled ones. It prints the combinations whose precision on both development sets is
at least `--precision`, most development recall first, and the same figures on held-out data; the parameters in use
are marked (and always shown).

The default asks for no wrong development pair at all (precision 1.0 over the second stage's pairs): the clustering
target is precision >= 0.99 and no join between different stories of one topic, and a looser choice (0.45, 5, 0.20:
precision 0.990 over these pairs) joined another agency's account of an event to its story in the held-out corpus.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from dedupe_corpus import build_corpus
from dedupe_wire import load_split
from rich import box
from rich.console import Console
from rich.table import Table

from pipeline.dedupe.minhash import signatures
from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.stories import ALIGNMENT, Member, candidate_pairs, copy_edges

SCORES = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
MIN_SENTENCES = (3, 5, 8, 10)
MIN_CONTAINMENT = (0.1, 0.15, 0.2, 0.25, 0.3)
SHOWN = 12


@dataclass(frozen=True, slots=True)
class Scored:
    """One pair the second stage looked at, with its evidence and its label."""

    same: bool
    score: float
    sentences: int
    containment: float


@dataclass(frozen=True, slots=True)
class Document:
    """A text with its time and the stories it belongs to."""

    id: str
    body: str
    published_at: datetime | None
    stories: frozenset[str]


def scored_pairs(documents: Sequence[Document], params: DedupeParams) -> dict[tuple[str, str], Scored]:
    """Every pair the second stage scores, by its two ids (in input order), with no threshold applied."""
    accept_all = replace(params, rewrite_score=1e-9, rewrite_min_sentences=1, rewrite_min_containment=0.0)
    signed = signatures([d.body for d in documents], accept_all)
    members = [Member(d.id, d.published_at, s.words, s.content_hash, s) for d, s in zip(documents, signed, strict=True)]
    edges = copy_edges(candidate_pairs(members, accept_all), members, accept_all)
    found = {}
    for n in (edges.scorer == ALIGNMENT).nonzero()[0].tolist():
        first, second = documents[edges.first[n]], documents[edges.second[n]]
        same = bool(first.stories & second.stories)
        score = float(edges.aligned[n]) / max(1, int(edges.sentences[n]))
        found[first.id, second.id] = Scored(same, score, int(edges.sentences[n]), float(edges.containment[n]))
    return found


def planted(seed: int, params: DedupeParams) -> list[Scored]:
    """The scored pairs of the planted corpus of `seed`."""
    items = build_corpus(seed)
    documents = [Document(i.id, i.body, i.published_at, i.stories) for i in items]
    return list(scored_pairs(documents, params).values())


def wire(split: str, params: DedupeParams) -> list[Scored]:
    """The labelled pairs of a wire-rewrites split, each scored if the second stage looks at it (else never
    accepted)."""
    texts, pairs = load_split(split)
    documents = [Document(t.id, t.text, None, frozenset((t.article,))) for t in texts]
    found = scored_pairs(documents, params)
    never = Scored(False, 0.0, 0, 0.0)
    labelled = []
    for pair in pairs:
        seen = found.get((pair.first, pair.second)) or found.get((pair.second, pair.first)) or never
        labelled.append(replace(seen, same=pair.same))
    return labelled


def accepted(pairs: Sequence[Scored], score: float, sentences: int, containment: float) -> tuple[int, int]:
    """How many of the pairs the thresholds accept rightly, and wrongly."""
    right = wrong = 0
    for pair in pairs:
        if pair.score >= score and pair.sentences >= sentences and pair.containment >= containment:
            right += pair.same
            wrong += not pair.same
    return right, wrong


def figures(pairs: Sequence[Scored], thresholds: tuple[float, int, float]) -> tuple[float, float]:
    """Precision and recall of the thresholds over the pairs."""
    right, wrong = accepted(pairs, *thresholds)
    positives = sum(pair.same for pair in pairs)
    return (right / (right + wrong) if right + wrong else 1.0), right / max(1, positives)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--precision", type=float, default=1.0, help="least precision on each development set")
    args = parser.parse_args()
    console = Console()
    params = DedupeParams()
    with console.status("scoring the second stage's candidate pairs"):
        development = {"planted seed 7": planted(7, params), "wire calibration": wire("calibration", params)}
        held_out = {"planted seed 8": planted(8, params), "wire held-out": wire("held-out", params)}
    current = (params.rewrite_score, params.rewrite_min_sentences, params.rewrite_min_containment)
    rows = []
    for thresholds in itertools.product(SCORES, MIN_SENTENCES, MIN_CONTAINMENT):
        dev = [figures(pairs, thresholds) for pairs in development.values()]
        if all(precision >= args.precision for precision, _ in dev) or thresholds == current:
            rows.append((sum(recall for _, recall in dev), thresholds, dev))
    rows.sort(key=lambda row: -row[0])
    rows = rows[:SHOWN] + [row for row in rows[SHOWN:] if row[1] == current]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("score, sentences, containment")
    for name in (*development, *held_out):
        table.add_column(f"{name}\nprecision / recall", justify="right")
    for _, thresholds, dev in rows:
        held = [figures(pairs, thresholds) for pairs in held_out.values()]
        mark = " (in use)" if thresholds == current else ""
        cells = [f"{precision:.3f} / {recall:.3f}" for precision, recall in (*dev, *held)]
        table.add_row(f"{thresholds[0]:.2f}, {thresholds[1]}, {thresholds[2]:.2f}{mark}", *cells)
    console.print(table)


if __name__ == "__main__":
    main()
