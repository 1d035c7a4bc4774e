"""Place new articles in stories, incrementally, in the warehouse: signatures in, one candidate join, merges out."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import psycopg2.extras
import sqlalchemy as sa

from pipeline.dedupe.minhash import TextSignature, signatures
from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.rewrites import merged_rewrites
from pipeline.dedupe.stories import (
    Member,
    UnionFind,
    copy_edges,
    near_identical,
    story_edges,
    strong_groups,
)
from pipeline.errors import TransientError
from pipeline.load.copy import copy_rows
from pipeline.load.counts import Counts
from pipeline.load.db import sql_file

DEFAULT_BATCH_SIZE = 5000
_NO_SIGNATURE = TextSignature(np.zeros(0, dtype=np.uint32), 0, (), frozenset())


@dataclass(frozen=True, slots=True)
class DedupeCounts(Counts):
    """What a dedupe pass did."""

    articles: int = 0
    """Articles placed in stories."""
    duplicates: int = 0
    """Of those, articles in a story with other copies."""
    new_stories: int = 0
    merged_stories: int = 0

    def summary(self) -> str:
        """One line for people."""
        return (
            f"articles {self.articles} · copies {self.duplicates} · new stories {self.new_stories} · "
            f"merged stories {self.merged_stories}"
        )


def dedupe_pending(
    engine: sa.Engine,
    run_id: int | None,
    params: DedupeParams | None = None,
    *,
    since: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[int], None] = lambda done: None,
) -> DedupeCounts:
    """Place every article without a current signature in its story, one transaction per batch."""
    params = params or DedupeParams()
    counts, after_id = DedupeCounts(), 0
    while True:
        pending = _pending(engine, params, since, after_id, batch_size)
        if not pending:
            return counts
        counts += _dedupe_batch(engine, run_id, params, pending)
        after_id = pending[-1][0]
        on_progress(len(pending))


def _pending(engine: sa.Engine, params: DedupeParams, since: datetime | None, after_id: int, limit: int) -> list[Any]:
    query = {"algorithm": params.algorithm, "since": since, "after_id": after_id, "limit": limit}
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(sql_file("dedupe/pending_articles.sql"), query))


def _dedupe_batch(engine: sa.Engine, run_id: int | None, params: DedupeParams, pending: list[Any]) -> DedupeCounts:
    signed = signatures([row[1] for row in pending], params)
    batch = {row[0]: Member(row[0], row[2], row[3], row[4], sig) for row, sig in zip(pending, signed, strict=True)}
    connection = engine.raw_connection()
    try:
        with closing(connection.cursor()) as cursor:
            counts = _place(cursor, run_id, params, batch)
        connection.commit()
        return counts
    except psycopg2.OperationalError as error:
        raise TransientError(f"the warehouse connection failed during dedupe: {error}") from error
    finally:
        connection.close()


def _place(cursor: Any, run_id: int | None, params: DedupeParams, batch: dict[int, Member[int]]) -> DedupeCounts:
    cursor.execute(sql_file("dedupe/session.sql"))
    _store_signatures(cursor, params, batch.values())
    cursor.execute(sql_file("dedupe/candidates.sql"), {"common_sentence_limit": params.common_sentence_limit})
    pairs = [(new, old) for new, old in cursor.fetchall()]
    stored, story_of = _stored_members(cursor, {old for _, old in pairs} | set(batch))
    members = stored | batch
    edges = copy_edges(pairs, members, params)
    holding, totals, holder_stories = _holders(cursor, set(batch), params)
    story_of |= holder_stories
    strong = _with_stories(strong_groups(members, edges, params), story_of)
    near = near_identical(edges, params)

    def own_of(key: int) -> int | None:
        return strong.find(key) if key in near else None

    # A batch article is judged on its whole signature; the warehouse knows only its sentences' holders.
    placed = {key: batch.get(key, member) for key, member in holding.items()}
    listed = list(placed.values())
    found = merged_rewrites(listed, strong.find, own_of, totals.__getitem__, params, among=batch)
    rewrites = {listed[n].key for n in found}
    components = _with_stories(UnionFind(), story_of)
    for key in batch:
        components.find(key)
    for edge in story_edges(edges, rewrites, params):
        components.union(edge.first, edge.second)
    counts, touched = _assign(cursor, run_id, batch, components)
    _relink_merged_rewrites(cursor, params, set(batch) | set(holding))
    cursor.execute(sql_file("dedupe/refresh_stories.sql"), {"ids": sorted(touched)})
    if run_id is not None:
        cursor.execute(sql_file("dedupe/add_dedupe_counts.sql"), counts.run_params(run_id))
    return counts


def _with_stories(groups: UnionFind[int], story_of: dict[int, int | None]) -> UnionFind[int]:
    """`groups` with each stored article joined to its story, a node of its own (the negative story id)."""
    for key, story in story_of.items():
        groups.find(key)
        if story is not None:
            groups.union(key, -story)
    return groups


def _holders(
    cursor: Any, ids: set[int], params: DedupeParams
) -> tuple[dict[int, Member[int]], dict[int, int], dict[int, int | None]]:
    """Every article holding a long sentence of `ids`, with those of its sentences; how many long sentences each
    has in all; their stories."""
    query = {"ids": sorted(ids), "common_sentence_limit": params.common_sentence_limit}
    cursor.execute(sql_file("dedupe/sentence_holders.sql"), query)
    holding: dict[int, Member[int]] = {}
    totals: dict[int, int] = {}
    story_of: dict[int, int | None] = {}
    for key, published_at, words, story_id, total, hashes in cursor.fetchall():
        signature = replace(_NO_SIGNATURE, sentences=frozenset(hashes))
        holding[key], totals[key], story_of[key] = Member(key, published_at, words, "", signature), total, story_id
    return holding, totals, story_of


def _store_signatures(cursor: Any, params: DedupeParams, members: Iterable[Member[int]]) -> None:
    cursor.execute(sql_file("dedupe/stage.sql"))
    signatures, bands, sentences = [], [], []
    for member in members:
        minhash = member.signature.minhash.astype("<u4").tobytes()
        signatures.append((member.key, params.algorithm, member.content_hash, member.signature.shingles, minhash))
        # Pairs of integers need no escaping: written directly, tens of thousands of rows cost milliseconds.
        suffix = f"\t{member.key}\n"
        bands.append(suffix.join(map(str, set(member.signature.band_keys))) + suffix)
        sentences.append(
            suffix.join(map(str, member.signature.sentences)) + suffix if member.signature.sentences else ""
        )
    cursor.copy_expert("COPY stage_signatures FROM STDIN", io.StringIO(copy_rows(signatures)))
    cursor.copy_expert("COPY stage_bands FROM STDIN", io.StringIO("".join(bands)))
    cursor.copy_expert("COPY stage_sentences FROM STDIN", io.StringIO("".join(sentences)))
    cursor.execute(sql_file("dedupe/store_signatures.sql"))


def _stored_members(cursor: Any, ids: set[int]) -> tuple[dict[int, Member[int]], dict[int, int | None]]:
    cursor.execute(sql_file("dedupe/members.sql"), {"ids": sorted(ids)})
    members, story_of = {}, {}
    for key, published_at, words, content_hash, story_id, shingles, minhash in cursor.fetchall():
        slots = np.frombuffer(bytes(minhash), dtype="<u4").astype(np.uint32)
        members[key] = Member(key, published_at, words, content_hash, TextSignature(slots, shingles, (), frozenset()))
        story_of[key] = story_id
    return members, story_of


def _assign(
    cursor: Any, run_id: int | None, batch: dict[int, Member[int]], components: UnionFind[int]
) -> tuple[DedupeCounts, set[int]]:
    """Give each component of the batch a story (new, existing, or the oldest of several, merged)."""
    groups = []
    for nodes in components.components().values():
        articles = [node for node in nodes if node in batch]
        if articles:
            groups.append((articles, sorted(-node for node in nodes if node < 0), sum(node > 0 for node in nodes)))
    fresh = iter(_create_stories(cursor, sum(not stories for _, stories, _ in groups)))
    assignments: list[tuple[int, int]] = []
    merged = duplicates = 0
    for articles, stories, size in groups:
        if not stories:
            stories = [next(fresh)]
        elif len(stories) > 1:
            bridge = {"survivor": stories[0], "merged": stories[1:], "bridge": min(articles), "run_id": run_id}
            cursor.execute(sql_file("dedupe/merge_stories.sql"), bridge)
            merged += len(stories) - 1
        duplicates += len(articles) if size > 1 else 0
        assignments += [(article, stories[0]) for article in articles]
    touched = {story for _, story in assignments}
    cursor.execute(sql_file("dedupe/previous_stories.sql"), {"ids": [article for article, _ in assignments]})
    touched |= {row[0] for row in cursor.fetchall()}
    psycopg2.extras.execute_values(cursor, sql_file("dedupe/assign_stories.sql"), assignments, page_size=1000)
    new_stories = sum(not stories for _, stories, _ in groups)
    return DedupeCounts(len(batch), duplicates, new_stories, merged), touched


def _create_stories(cursor: Any, count: int) -> list[int]:
    if count == 0:
        return []
    cursor.execute(sql_file("dedupe/create_stories.sql"), {"count": count})
    return [row[0] for row in cursor.fetchall()]


def _relink_merged_rewrites(cursor: Any, params: DedupeParams, ids: set[int]) -> None:
    """Recompute the merged-rewrite links of `ids`: the batch and every article sharing a long sentence with it."""
    holding, totals, story_of = _holders(cursor, ids, params)
    listed = list(holding.values())
    found = merged_rewrites(listed, _story_or_own(story_of), story_of.get, totals.__getitem__, params)
    links = [
        (listed[n].key, story, count)
        for n, groups in found.items()
        for story, count in groups
        if story > 0 and count > 0
    ]
    cursor.execute(sql_file("dedupe/replace_links.sql"), {"ids": sorted(holding)})
    if links:
        psycopg2.extras.execute_values(cursor, sql_file("dedupe/insert_links.sql"), links, page_size=1000)


def _story_or_own(story_of: dict[int, int | None]) -> Callable[[int], int]:
    """Article id -> its story id, or minus its own id when it has none yet (a story of its own)."""
    return lambda key: story_of.get(key) or -key


def delete_source_articles(engine: sa.Engine, source: str) -> int:
    """Delete every article of `source` and refresh the stories they were in; return how many were deleted."""
    with engine.begin() as connection:
        stories = [
            row[0]
            for row in connection.exec_driver_sql(sql_file("dedupe/delete_source_articles.sql"), {"source": source})
        ]
        refreshed = sorted({story for story in stories if story is not None})
        connection.exec_driver_sql(sql_file("dedupe/refresh_stories.sql"), {"ids": refreshed})
    return len(stories)
