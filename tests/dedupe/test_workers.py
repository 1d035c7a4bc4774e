"""Signing on worker processes gives what signing in this process gives, and survives losing a worker."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator

import numpy as np
import pytest

from pipeline.dedupe import workers
from pipeline.dedupe.minhash import TextSignature, signatures
from pipeline.dedupe.params import DedupeParams
from tests.wire import STORIES

PARAMS = DedupeParams()
# Enough text for several chunks: every story, each paragraph dropped in turn, with a numbered headline.
TEXTS = [
    f"Version {n} of story {s}\n" + "\n".join(p for i, p in enumerate(story) if i != n)
    for s, story in enumerate(STORIES)
    for n in range(len(story))
] * 40


def same(first: list[TextSignature], second: list[TextSignature]) -> bool:
    """True when both lists hold equal signatures, field by field."""
    return len(first) == len(second) and all(
        np.array_equal(a.minhash, b.minhash)
        and (a.shingles, a.band_keys, a.sentences, a.content_hash, a.words)
        == (b.shingles, b.band_keys, b.sentences, b.content_hash, b.words)
        for a, b in zip(first, second, strict=True)
    )


@pytest.fixture
def fresh_pool() -> Iterator[None]:
    workers.shutdown()
    yield
    workers.shutdown()


def test_the_texts_fill_several_chunks() -> None:
    assert sum(map(len, TEXTS)) > 4 * (1 << 18)


def test_workers_sign_as_this_process_does(fresh_pool: None) -> None:
    assert same(signatures(TEXTS, PARAMS, workers=2), signatures(TEXTS, PARAMS, workers=1))


def test_a_process_with_threads_gets_a_fork_server(fresh_pool: None) -> None:
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        assert workers._context().get_start_method() == "forkserver"
        assert same(signatures(TEXTS, PARAMS, workers=2), signatures(TEXTS, PARAMS, workers=1))
    finally:
        stop.set()
        waiting.join()


def test_a_lost_worker_costs_nothing_but_time(fresh_pool: None, caplog: pytest.LogCaptureFixture) -> None:
    # A worker that dies (killed for memory, say) breaks the pool: the batch is signed here instead.
    workers.pool(2).submit(os._exit, 1)
    with caplog.at_level(logging.WARNING):
        signed = signatures(TEXTS, PARAMS, workers=2)
    assert same(signed, signatures(TEXTS, PARAMS, workers=1))
    assert "dedupe workers stopped" in caplog.text
    assert same(signatures(TEXTS, PARAMS, workers=2), signed)
