"""The wire-rewrites pairs (`../shared/benchmarks/wire-rewrites/`, kept outside the repository): labelled same-story
and different-story pairs of real news texts, for the dedupe benchmark and the calibration of the second stage.

Each text belongs to one article (`article`); the texts of the even-numbered articles (`ose-000` ...) are the
calibration split, those of the odd-numbered ones the held-out split, so no story is in both. A clusterer runs over
all the texts of a split at once, as `wiredesk dedupe --jsonl` would; a pair counts as joined when both its texts
land in one cluster. The texts carry no publication time, so the second stage's time window does not apply.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

WIRE_REWRITES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "wire-rewrites"
SPLITS = ("calibration", "held-out")


@dataclass(frozen=True, slots=True)
class WireText:
    """One text of the set."""

    id: str
    article: str
    text: str


@dataclass(frozen=True, slots=True)
class WirePair:
    """One labelled pair."""

    first: str
    second: str
    same: bool
    kind: str
    """`adv->int`, `adv->ele` or `int->ele` for a same-story pair; `different` otherwise."""


@dataclass(frozen=True, slots=True)
class WireScores:
    """A clustering of one split measured on its labelled pairs."""

    precision: float
    recall: float
    recall_by_kind: dict[str, float]
    false_joins: int
    pairs: int


def split_of(text_id: str) -> str:
    """The split of a text: by the parity of its story's number (`ose-NNN-level`)."""
    return SPLITS[int(text_id.split("-")[1]) % 2]


def load_split(split: str, folder: Path = WIRE_REWRITES) -> tuple[list[WireText], list[WirePair]]:
    """The texts and the pairs of one split (pairs whose two texts are in it)."""
    texts = []
    for line in (folder / "texts.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if split_of(item["id"]) == split:
            texts.append(WireText(item["id"], item["article"], item["text"]))
    ids = {text.id for text in texts}
    pairs = []
    for line in (folder / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["a"] in ids and item["b"] in ids:
            same = item["label"] == "same"
            kind = item["kind"].split(":")[1] if same else "different"
            pairs.append(WirePair(item["a"], item["b"], same, kind))
    return texts, pairs


def score_pairs(pairs: Sequence[WirePair], cluster_of: dict[str, str]) -> WireScores:
    """Precision and recall (overall and per kind) of the same-story pairs, given each text's cluster."""
    joined = [cluster_of[pair.first] == cluster_of[pair.second] for pair in pairs]
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for pair, together in zip(pairs, joined, strict=True):
        if pair.same:
            total[pair.kind] += 1
            found[pair.kind] += together
    true = sum(found.values())
    false = sum(together for pair, together in zip(pairs, joined, strict=True) if not pair.same)
    return WireScores(
        precision=true / (true + false) if true + false else 1.0,
        recall=true / max(1, sum(total.values())),
        recall_by_kind={kind: found[kind] / total[kind] for kind in sorted(total)},
        false_joins=false,
        pairs=len(pairs),
    )


def run_split(split: str, clusterer: Callable[[Sequence[WireText]], dict[str, str]]) -> WireScores:
    """A clusterer's scores on one split."""
    texts, pairs = load_split(split)
    return score_pairs(pairs, clusterer(texts))
