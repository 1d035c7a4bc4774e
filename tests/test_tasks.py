"""The Airflow tasks' plumbing: which failures Airflow retries, and log lines that name the fetch's source."""

from __future__ import annotations

import logging
import threading

import pytest

from pipeline import tasks
from pipeline.errors import ConfigError, SourceUnreachable


def test_an_explained_failure_is_not_retried_and_carries_no_chained_traceback() -> None:
    from airflow.sdk.exceptions import AirflowFailException

    with (
        pytest.raises(AirflowFailException, match="ConfigError: no path") as caught,
        tasks.retried_only_when_transient(),
    ):
        raise ConfigError("no path")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__

    with pytest.raises(AirflowFailException) as unexpected, tasks.retried_only_when_transient():
        raise KeyError("surprise")
    assert isinstance(unexpected.value.__cause__, KeyError), "an unexpected failure keeps its traceback"


def test_a_dead_source_is_retried() -> None:
    with pytest.raises(SourceUnreachable), tasks.retried_only_when_transient():
        raise SourceUnreachable("gulf-times: every request failed")


def test_every_line_logged_while_fetching_names_the_source(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("pipeline.run")
    with caplog.at_level(logging.INFO):
        with tasks._lines_naming("gulf-times"):
            logger.info("run %d: read %d", 3, 10)
            logger.info("run %d: gulf-times: feeds 0 of 1 failed", 3)
            worker = threading.Thread(target=lambda: logging.getLogger("pipeline.fetch").info("GET %s", "/feed"))
            worker.start()
            worker.join()
        logger.info("run 4: after")
    assert [record.getMessage() for record in caplog.records] == [
        "gulf-times: run 3: read 10",
        "run 3: gulf-times: feeds 0 of 1 failed",
        "gulf-times: GET /feed",
        "run 4: after",
    ]
