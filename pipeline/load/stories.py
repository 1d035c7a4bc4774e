"""Place new articles in stories, incrementally, in the warehouse: signatures in, one candidate join, merges out.

The dedupe queries gather what `pipeline.dedupe.planner.plan` needs of the warehouse; the `Placement` it returns
is carried out here, in the same transaction.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import chain
from typing import Any

import numpy as np
import psycopg2.extras
import sqlalchemy as sa

from pipeline.dedupe.minhash import TextSignature, signatures
from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.planner import Holder, Neighbourhood, NewStory, Placement, StoryRef, plan
from pipeline.dedupe.stories import IndexPairs, Member
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
    batch = [Member(row[0], row[2], row[3], row[4], sig) for row, sig in zip(pending, signed, strict=True)]
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


def _place(cursor: Any, run_id: int | None, params: DedupeParams, batch: list[Member[int]]) -> DedupeCounts:
    cursor.execute(sql_file("dedupe/session.sql"))
    _store_signatures(cursor, params, batch)
    pairs, around = _neighbourhood(cursor, params, batch)
    placement = plan(batch, pairs, around, params)
    touched = _execute(cursor, run_id, placement)
    cursor.execute(sql_file("dedupe/refresh_stories.sql"), {"ids": sorted(touched)})
    counts = DedupeCounts(
        placement.articles, placement.duplicates, len(placement.new_stories), placement.merged_stories
    )
    if run_id is not None:
        cursor.execute(sql_file("dedupe/add_dedupe_counts.sql"), counts.run_params(run_id))
    return counts


def _neighbourhood(
    cursor: Any, params: DedupeParams, batch: list[Member[int]]
) -> tuple[IndexPairs, Neighbourhood[int]]:
    """The batch's candidate pairs (indices into the batch, then the stored members) and what is stored around it."""
    cursor.execute(sql_file("dedupe/candidates.sql"), {"common_sentence_limit": params.common_sentence_limit})
    ids = {member.key for member in batch}
    # A pair of batch articles comes both ways round: it is compared once.
    pairs = [(new, old) for new, old in cursor.fetchall() if old not in ids or new < old]
    stored, stories = _stored_members(cursor, {old for _, old in pairs} - ids)
    cursor.execute(sql_file("dedupe/batch_stories.sql"), {"ids": sorted(ids)})
    stories |= dict(cursor.fetchall())
    holders = _holders(cursor, ids, params)
    relinked = _holders(cursor, ids | {holder.member.key for holder in holders}, params)
    stories |= {holder.member.key: holder.story for holder in holders}
    index = {member.key: n for n, member in enumerate(chain(batch, stored))}
    flat = np.fromiter((index[key] for pair in pairs for key in pair), dtype=np.intp, count=2 * len(pairs))
    return (flat[0::2], flat[1::2]), Neighbourhood(tuple(stored), stories, holders, relinked)


def _holders(cursor: Any, ids: set[int], params: DedupeParams) -> tuple[Holder[int], ...]:
    """Every article holding a long sentence of `ids`, with those of its sentences."""
    query = {"ids": sorted(ids), "common_sentence_limit": params.common_sentence_limit}
    cursor.execute(sql_file("dedupe/sentence_holders.sql"), query)
    return tuple(
        Holder(Member(key, published_at, words, "", replace(_NO_SIGNATURE, sentences=frozenset(hashes))), total, story)
        for key, published_at, words, story, total, hashes in cursor.fetchall()
    )


def _store_signatures(cursor: Any, params: DedupeParams, members: Iterable[Member[int]]) -> None:
    cursor.execute(sql_file("dedupe/stage.sql"))
    signatures, bands, sentences, keys = [], [], [], []
    for member in members:
        signature = member.signature
        minhash = signature.minhash.astype("<u4").tobytes()
        terms, sizes = signature.terms.astype("<u4").tobytes(), signature.sentence_sizes.astype("<u2").tobytes()
        signatures.append(
            (member.key, params.algorithm, member.content_hash, signature.shingles, minhash, terms, sizes)
        )
        # Pairs of integers need no escaping: written directly, tens of thousands of rows cost milliseconds.
        suffix = f"\t{member.key}\n"
        bands.append(suffix.join(map(str, set(member.signature.band_keys))) + suffix)
        sentences.append(suffix.join(map(str, signature.sentences)) + suffix if signature.sentences else "")
        keys.append(suffix.join(map(str, signature.sentence_keys)) + suffix if signature.sentence_keys else "")
    cursor.copy_expert("COPY stage_signatures FROM STDIN", io.StringIO(copy_rows(signatures)))
    cursor.copy_expert("COPY stage_bands FROM STDIN", io.StringIO("".join(bands)))
    cursor.copy_expert("COPY stage_sentences FROM STDIN", io.StringIO("".join(sentences)))
    cursor.copy_expert("COPY stage_sentence_keys FROM STDIN", io.StringIO("".join(keys)))
    cursor.execute(sql_file("dedupe/store_signatures.sql"))


def _stored_members(cursor: Any, ids: set[int]) -> tuple[list[Member[int]], dict[int, int | None]]:
    """The signatures (no band keys, sentences or sentence keys) and stories of `ids`."""
    cursor.execute(sql_file("dedupe/members.sql"), {"ids": sorted(ids)})
    members, stories = [], {}
    for key, published_at, words, content_hash, story_id, shingles, minhash, terms, sizes in cursor.fetchall():
        slots = np.frombuffer(bytes(minhash), dtype="<u4").astype(np.uint32)
        signature = TextSignature(
            slots,
            shingles,
            (),
            frozenset(),
            terms=np.frombuffer(bytes(terms), dtype="<u4").astype(np.uint32),
            sentence_sizes=np.frombuffer(bytes(sizes), dtype="<u2").astype(np.uint16),
        )
        members.append(Member(key, published_at, words, content_hash, signature))
        stories[key] = story_id
    return members, stories


def _execute(cursor: Any, run_id: int | None, placement: Placement[int]) -> set[int]:
    """Carry out `placement`; return the stories it touched (those its articles are in now, or were in before)."""
    created = _create_stories(cursor, len(placement.new_stories))
    for merge in placement.merges:
        query = {"survivor": merge.survivor, "merged": list(merge.merged), "bridge": merge.bridge, "run_id": run_id}
        cursor.execute(sql_file("dedupe/merge_stories.sql"), query)
    assignments = [(article, created[n]) for n, group in enumerate(placement.new_stories) for article in group]
    assignments += [(join.article, join.story) for join in placement.joins]
    touched = {story for _, story in assignments}
    cursor.execute(sql_file("dedupe/previous_stories.sql"), {"ids": [article for article, _ in assignments]})
    touched |= {row[0] for row in cursor.fetchall()}
    psycopg2.extras.execute_values(cursor, sql_file("dedupe/assign_stories.sql"), assignments, page_size=1000)
    _replace_links(cursor, placement, created)
    _replace_edges(cursor, placement)
    return touched


def _replace_edges(cursor: Any, placement: Placement[int]) -> None:
    """Replace the copy edges of the batch's articles with the evidence the placement found."""
    batch = {article for story in placement.new_stories for article in story}
    batch |= {join.article for join in placement.joins}
    cursor.execute(sql_file("dedupe/replace_edges.sql"), {"ids": sorted(batch)})
    rows = (
        # Scores are rounded floats: their text is what COPY reads.
        (e.article, e.other, e.scorer, str(e.score), str(e.jaccard), str(e.containment), e.aligned, e.sentences)
        for e in placement.evidence
    )
    cursor.copy_expert("COPY story_edges FROM STDIN", io.StringIO(copy_rows(rows)))


def _replace_links(cursor: Any, placement: Placement[int], created: list[int]) -> None:
    """Replace the merged-rewrite links of the relinked articles with the placement's."""
    links = [(link.article, _story_id(link.story, created), link.sentences) for link in placement.links]
    cursor.execute(sql_file("dedupe/replace_links.sql"), {"ids": sorted(placement.relinked)})
    if links:
        psycopg2.extras.execute_values(cursor, sql_file("dedupe/insert_links.sql"), links, page_size=1000)


def _story_id(story: StoryRef, created: list[int]) -> int:
    return created[story.index] if isinstance(story, NewStory) else story


def _create_stories(cursor: Any, count: int) -> list[int]:
    """`count` new, empty stories, by increasing id (the order the planner numbered them in)."""
    if count == 0:
        return []
    cursor.execute(sql_file("dedupe/create_stories.sql"), {"count": count})
    return sorted(row[0] for row in cursor.fetchall())


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
