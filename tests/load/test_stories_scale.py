"""A night's batch against a large warehouse: candidates come from one SQL join in bounded time and memory.

Reports timings (see `-rP` or the captured output); asserts behaviour, never a time.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline import run
from pipeline.dedupe.params import DedupeParams
from pipeline.load.stories import DedupeCounts, dedupe_pending
from pipeline.run import ingest
from pipeline.sources import Source

STORED = 200_000
BATCH = 5_000
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Stored articles are generated in the database itself, with random band keys and sentence hashes in the same
# numbers real signatures have: the candidate join sees a warehouse of the real size and shape.
GENERATE = """
INSERT INTO ingest_runs (command, started_by, status, finished_at) VALUES ('generated', 'test', 'succeeded', now());
INSERT INTO raw_documents (sha256, source, origin, media_type, fetched_at, size_bytes, payload, first_run_id)
SELECT md5(n::text) || md5((n + 1)::text), 'gulf-times', 'generated:' || n, 'text/plain', now(), 1, '\\x00', 1
FROM generate_series(1, {stored}) AS n;
INSERT INTO stories (copies) SELECT 1 FROM generate_series(1, {stored});
INSERT INTO articles (key, source, title, body, word_count, content_hash, raw_document_id, extractor,
                      first_run_id, last_run_id, published_at, story_id)
SELECT 'generated:' || n, 'gulf-times', 'Generated ' || n, 'Body ' || n, 2, md5(n::text) || md5(n::text), n,
       'generated', 1, 1, '2021-12-01'::timestamptz + n * interval '1 minute', n
FROM generate_series(1, {stored}) AS n;
INSERT INTO article_signatures (article_id, algorithm, content_hash, shingles, minhash)
SELECT id, '{algorithm}', content_hash, 600, decode(repeat('00', {permutations} * 4), 'hex') FROM articles;
INSERT INTO article_bands (key, article_id)
SELECT (random() * 9.2e18 * (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END))::bigint, a.id
FROM articles AS a, generate_series(1, {bands}) ON CONFLICT DO NOTHING;
INSERT INTO article_sentences (hash, article_id)
SELECT (random() * 9.2e18 * (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END))::bigint, a.id
FROM articles AS a, generate_series(1, 20) ON CONFLICT DO NOTHING;
ANALYZE;
"""


def test_a_batch_of_5000_against_200000_stored_articles(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = DedupeParams()
    dedupe_seconds = []

    def timed_dedupe(*args: object, **kwargs: object) -> DedupeCounts:
        # The run's own dedupe pass, timed apart from extraction and loading.
        started = time.perf_counter()
        counts = dedupe_pending(*args, **kwargs)  # type: ignore[arg-type]
        dedupe_seconds.append(time.perf_counter() - started)
        return counts

    monkeypatch.setattr(run, "dedupe_pending", timed_dedupe)
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO sources (slug, name, domain, timezone) VALUES "
            "('gulf-times', 'Gulf Times', 'gulf-times.com', 'Asia/Qatar')"
        )
        for statement in GENERATE.format(
            stored=STORED, algorithm=params.algorithm, bands=params.bands, permutations=params.permutations
        ).split(";\n"):
            if statement.strip():
                connection.exec_driver_sql(statement.replace("%", "%%"))
    generated = time.perf_counter() - started

    dump = tmp_path / "night.jsonl"
    dump.write_text("".join(json.dumps(line) + "\n" for line in _night(BATCH)), encoding="utf-8")
    started = time.perf_counter()
    result = ingest(engine, [dump], sources, params=params)
    took = time.perf_counter() - started

    with engine.connect() as connection:
        plan = connection.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT count(*) FROM article_bands AS b "
            "JOIN article_bands AS o ON o.key = b.key AND o.article_id <> b.article_id "
            "WHERE b.article_id > %(stored)s",
            {"stored": STORED},
        ).scalar_one()
        stories = connection.exec_driver_sql("SELECT count(*) FROM stories").scalar_one()
    join_ms = plan[0]["Execution Time"]
    print(
        f"\ngenerated {STORED} stored articles in {generated:.1f} s; ingest + dedupe of {BATCH} new in {took:.1f} s "
        f"({BATCH / took:.0f} docs/s), of which the dedupe pass {dedupe_seconds[0]:.1f} s "
        f"({BATCH / dedupe_seconds[0]:.0f} docs/s); band join of the batch against the warehouse: {join_ms:.0f} ms"
    )
    assert result.counts.loaded == BATCH
    assert result.stories.articles == BATCH
    # Every planted pair is found and nothing joins the generated stories.
    assert result.stories.duplicates == BATCH // 5 * 2
    assert stories == STORED + BATCH - BATCH // 5
    assert plan[0]["Plan"]["Node Type"] == "Aggregate"


def _night(count: int) -> list[dict[str, str]]:
    """`count` distinct stories built from real paragraphs; every fifth one republished by a second outlet."""
    paragraphs = [
        p for story in json.loads((FIXTURES / "wire_bodies.json").read_text())["stories"] for p in story["paragraphs"]
    ]
    sentences = [s.strip().split() for p in paragraphs for s in p.split(". ") if len(s.split()) >= 6]
    vocabulary = sorted({word for sentence in sentences for word in sentence})
    rng = random.Random(5)
    items = []
    for n in range(count - count // 5):
        # Real sentences made the story's own by a few other words, as stories on one topic share phrases only.
        picked = [_reworded(sentence, vocabulary, rng) for sentence in rng.sample(sentences, 24)]
        body = "\n".join(" ".join(picked[i : i + 4]) for i in range(0, 24, 4))
        text = f"Story {n}\n\nAFP\n\n21 January 2022 11:00 PM\n\n{body}"
        items.append({"url": f"https://gulf-times.com/night/{n}", "source": "gulf-times", "text": text})
        if n % 4 == 0:
            items.append({"url": f"https://thepeninsulaqatar.com/night/{n}", "source": "peninsula", "text": text})
    return items


def _reworded(sentence: list[str], vocabulary: list[str], rng: random.Random) -> str:
    words = list(sentence)
    for _ in range(max(2, len(words) // 5)):
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    return " ".join(words) + "."
