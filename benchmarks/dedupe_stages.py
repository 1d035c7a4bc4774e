"""Throughput of each dedupe stage, wiredesk's and datasketch's, on the same corpus (used by benchmarks/dedupe.py).

- signatures: every body signed (wiredesk: `signatures()` on the whole corpus, as dedupe calls it; datasketch: one
  `MinHash` per body, its only API);
- LSH: candidate pairs from signatures already computed (wiredesk: `candidate_pairs` over band keys, sentences and
  body hashes; datasketch: every signature inserted into `MinHashLSH`, then every one queried);
- SQL join: the warehouse's candidate join (`sql/dedupe/candidates.sql`) with the whole corpus as the batch, against
  the corpus stored by the warehouse pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import closing

import sqlalchemy as sa
from datasketch import MinHash, MinHashLSH
from dedupe_corpus import CorpusItem

from pipeline.dedupe.minhash import signatures
from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.stories import Member, candidate_pairs
from pipeline.load.db import sql_file

STAGE_WHOLE_WAREHOUSE = """
INSERT INTO stage_signatures
SELECT article_id, algorithm, content_hash, shingles, minhash, terms, sentence_sizes FROM article_signatures;
INSERT INTO stage_bands SELECT key, article_id FROM article_bands;
INSERT INTO stage_sentences SELECT hash, article_id FROM article_sentences;
INSERT INTO stage_sentence_keys SELECT key, article_id FROM article_sentence_keys;
ANALYZE stage_signatures, stage_bands, stage_sentences, stage_sentence_keys;
"""


def wiredesk_stage_rates(items: Sequence[CorpusItem]) -> tuple[float, float]:
    """Docs/s of wiredesk's signatures and of its LSH candidate search."""
    params = DedupeParams()
    started = time.perf_counter()
    signed = signatures([item.body for item in items], params)
    signed_at = time.perf_counter()
    members = [
        Member(item.id, item.published_at, s.words, s.content_hash, s) for item, s in zip(items, signed, strict=True)
    ]
    candidate_pairs(members, params)
    done = time.perf_counter()
    return len(items) / (signed_at - started), len(items) / (done - signed_at)


def datasketch_stage_rates(
    items: Sequence[CorpusItem], shingle: Callable[[str], set[str]], num_perm: int, threshold: float
) -> tuple[float, float]:
    """Docs/s of datasketch's MinHash and of its MinHashLSH (insert every signature, then query every one)."""
    started = time.perf_counter()
    hashes = []
    for item in items:
        minhash = MinHash(num_perm=num_perm)
        minhash.update_batch([s.encode() for s in shingle(item.body)])
        hashes.append(minhash)
    signed_at = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for item, minhash in zip(items, hashes, strict=True):
        lsh.insert(item.id, minhash)
    for minhash in hashes:
        lsh.query(minhash)
    done = time.perf_counter()
    return len(items) / (signed_at - started), len(items) / (done - signed_at)


def sql_join_rate(engine: sa.Engine, count: int) -> float:
    """Docs/s of the candidate join, with every stored article staged as the batch (rolled back afterwards)."""
    connection = engine.raw_connection()
    try:
        with closing(connection.cursor()) as cursor:
            # The settings the dedupe pass runs its statements with.
            cursor.execute(sql_file("dedupe/session.sql"))
            cursor.execute(sql_file("dedupe/stage.sql"))
            cursor.execute(STAGE_WHOLE_WAREHOUSE)
            started = time.perf_counter()
            cursor.execute(
                sql_file("dedupe/candidates.sql"), {"common_sentence_limit": DedupeParams().common_sentence_limit}
            )
            cursor.fetchall()
            seconds = time.perf_counter() - started
        connection.rollback()
    finally:
        connection.close()
    return count / seconds
