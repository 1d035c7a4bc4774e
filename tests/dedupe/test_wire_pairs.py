"""The wire-rewrites scoring of the dedupe benchmark, on pairs whose figures are known."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.append(str(Path(__file__).resolve().parents[2] / "benchmarks"))

from dedupe_wire import WirePair, score_pairs, split_of

PAIRS = [
    WirePair("ose-001-adv", "ose-001-int", True, "adv->int"),
    WirePair("ose-001-adv", "ose-001-ele", True, "adv->ele"),
    WirePair("ose-003-adv", "ose-003-ele", True, "adv->ele"),
    WirePair("ose-001-adv", "ose-003-int", False, "different"),
]


def test_splits_keep_every_story_whole() -> None:
    assert split_of("ose-002-adv") == split_of("ose-002-ele") == "calibration"
    assert split_of("ose-003-int") == "held-out"


def test_pairs_joined_by_a_clustering_are_counted_per_kind() -> None:
    clusters = {"ose-001-adv": "a", "ose-001-int": "a", "ose-001-ele": "b", "ose-003-ele": "c", "ose-003-int": "a"}
    clusters["ose-003-adv"] = "c"
    scores = score_pairs(PAIRS, clusters)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.recall_by_kind == {"adv->ele": 0.5, "adv->int": 1.0}
    assert scores.false_joins == 1
    assert scores.precision == pytest.approx(2 / 3)


def test_nothing_joined_is_precise_and_recalls_nothing() -> None:
    scores = score_pairs(PAIRS, {pair_id: pair_id for pair in PAIRS for pair_id in (pair.first, pair.second)})
    assert (scores.precision, scores.recall, scores.false_joins) == (1.0, 0.0, 0)
