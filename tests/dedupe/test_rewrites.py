"""The merged-rewrite search: its vectorised first pass never drops an article the full test would keep."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline.dedupe.minhash import signatures
from pipeline.dedupe.offline import Copy, cluster
from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.rewrites import Holdings, rewrite_suspects, rewritten_from
from pipeline.dedupe.stories import Member, candidate_pairs, component_labels, copy_edges, near_identical

sys.path.append(str(Path(__file__).resolve().parents[2] / "benchmarks"))

from dedupe_corpus import build_corpus


@pytest.mark.parametrize("seed", [7, 8])
def test_suspects_hold_every_rewrite(seed: int) -> None:
    params = DedupeParams()
    copies = [Copy(i.id, i.source, i.title, i.body, i.published_at) for i in build_corpus(seed)]
    signed = signatures([copy.body for copy in copies], params, workers=1)
    members = [Member(c.id, c.published_at, s.words, s.content_hash, s) for c, s in zip(copies, signed, strict=True)]
    edges = copy_edges(candidate_pairs(members, params), members, params)
    near = near_identical(edges, params)
    first, second = edges.first[near], edges.second[near]
    groups: list[int] = component_labels(len(members), first, second).tolist()
    index = {member.key: n for n, member in enumerate(members)}
    near_ones = {members[n].key for n in [*first.tolist(), *second.tolist()]}
    holders = defaultdict(list)
    for member in sorted(members, key=lambda member: member.age_order):
        for sentence in member.signature.sentences:
            holders[sentence].append(member)
    sentences = {member.key: len(member.signature.sentences) for member in members}

    def group_of(key: str) -> int:
        return groups[index[key]]

    def own_of(key: str) -> int | None:
        return group_of(key) if key in near_ones else None

    def full_test(member: Member[str]) -> bool:
        return bool(rewritten_from(member, holders, group_of, params, sentences.__getitem__, own_of(member.key)))

    suspects, suspect_holders = rewrite_suspects(Holdings.of(members), group_of, own_of, params)
    rewrites = {n for n, member in enumerate(members) if full_test(member)}
    assert len(rewrites) >= 50
    assert rewrites <= set(suspects) and len(suspects) < 3 * len(rewrites)
    for n in suspects:
        for sentence in members[n].signature.sentences:
            assert suspect_holders[sentence] == holders[sentence]


def test_input_order_changes_no_story_and_no_link() -> None:
    copies = [Copy(i.id, i.source, i.title, i.body, i.published_at) for i in build_corpus(8)]

    def placed(order: list[Copy]) -> dict[str, tuple[str, frozenset[str]]]:
        return {a.id: (a.story_id, frozenset(a.also_in)) for a in cluster(order)}

    forward = placed(copies)
    assert sum(1 for _, also in forward.values() if also) >= 50
    assert placed(copies[::-1]) == forward
    assert placed(copies[1::2] + copies[0::2]) == forward
