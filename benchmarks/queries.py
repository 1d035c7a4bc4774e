"""Analyst query latency: every sql/queries/*.sql against a generated warehouse of realistic shape, in one run.

    python benchmarks/queries.py [--articles 1000000] [--stories 200000] [--runs 5]

Builds the warehouse in SQL (INSERT ... SELECT generate_series) in a scratch database created next to --admin-url
(default: the local Postgres on 127.0.0.1:5432) and dropped afterwards, then runs each query `--runs` times under
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), with the server's own settings. Prints a table of median and max
execution time, median planning time and rows returned per query against the target (< 200 ms), then the top of
the plan of every query that missed it. A full sequential scan, `SELECT count(*) FROM articles`, is timed the same
way in the same run, so the figures can be read against the machine's speed.

The warehouse: 20 sources; articles published over 120 days up to END (the end of a month, so the latest month
is a full one), denser towards the end; 360 succeeded ingest runs, one every 8 hours; one raw document per article;
stories of skewed size (most 1-3 copies, a few 20-60); about 3% of stories about Ukraine; ~70% of articles
crediting a wire agency; MinHash signatures and search documents for every article; 3,000 rejects. Bodies are
SHORT (5-8 sentences, ~90 words, drawn from the 5,000 commonest words of the article-extraction ground truth,
whose articles have a median of ~530 words), so search documents here are smaller than in production. The stories
are filled by the project's own sql/dedupe/refresh_stories.sql and the search documents by
sql/search/index_articles.sql.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from load import ADMIN_URL, scratch_engine
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.load.db import sql_file
from pipeline.resources import resource_dir

GENERATION_SQL = Path(__file__).parent / "sql" / "generate"


def _generation_sql(name: str) -> str:
    """One generation statement, from benchmarks/sql/generate/NAME.sql."""
    return (GENERATION_SQL / f"{name}.sql").read_text(encoding="utf-8")


TARGET_MS = 200.0
END = datetime(2022, 3, 31, 23, 0, tzinfo=UTC)
DAYS = 120
RUNS = 360
COPY_SPREAD = timedelta(hours=36)
"""The last copy of a story appears at most this long after the first."""
POOL_SENTENCES = 50_000
VOCABULARY_SIZE = 5_000
REJECTS = 3_000
REFRESH_CHUNK = 10_000
SEARCH_BATCH = 20_000
GROUND_TRUTH = Path(__file__).parent / "data" / "article-extraction" / "ground-truth.json"
_LETTERS = re.compile(r"[A-Za-z]+")
_EDGES = ".,;:!?\"'()[]{}“”‘’—–-…"

SOURCES = (
    ("peninsula", "The Peninsula", "thepeninsulaqatar.com", "Asia/Qatar"),
    ("gulf-times", "Gulf Times", "gulf-times.com", "Asia/Qatar"),
    ("khaleej-times", "Khaleej Times", "khaleejtimes.com", "Asia/Dubai"),
    ("gulf-news", "Gulf News", "gulfnews.com", "Asia/Dubai"),
    ("the-national", "The National", "thenationalnews.com", "Asia/Dubai"),
    ("arab-news", "Arab News", "arabnews.com", "Asia/Riyadh"),
    ("saudi-gazette", "Saudi Gazette", "saudigazette.com.sa", "Asia/Riyadh"),
    ("times-of-oman", "Times of Oman", "timesofoman.com", "Asia/Muscat"),
    ("oman-observer", "Oman Observer", "omanobserver.om", "Asia/Muscat"),
    ("kuwait-times", "Kuwait Times", "kuwaittimes.com", "Asia/Kuwait"),
    ("arab-times", "Arab Times", "arabtimesonline.com", "Asia/Kuwait"),
    ("gdn-online", "Gulf Daily News", "gdnonline.com", "Asia/Bahrain"),
    ("daily-tribune", "Daily Tribune", "newsofbahrain.com", "Asia/Bahrain"),
    ("jordan-times", "The Jordan Times", "jordantimes.com", "Asia/Amman"),
    ("egypt-independent", "Egypt Independent", "egyptindependent.com", "Africa/Cairo"),
    ("ahram-online", "Ahram Online", "english.ahram.org.eg", "Africa/Cairo"),
    ("dawn", "Dawn", "dawn.com", "Asia/Karachi"),
    ("hindustan-times", "Hindustan Times", "hindustantimes.com", "Asia/Kolkata"),
    ("straits-times", "The Straits Times", "straitstimes.com", "Asia/Singapore"),
    ("daily-sabah", "Daily Sabah", "dailysabah.com", "Europe/Istanbul"),
)
DATELINES = ("Doha", "Dubai", "Riyadh", "Cairo", "Beirut", "London", "Paris", "Washington", "Beijing", "Geneva")
AUTHORS = ("Sarah Malik", "Ahmed Hassan", "John Carter", "Priya Nair", "Omar Farouk", "Lena Weber", "Tom Fisher")

SETTINGS = _generation_sql("settings")

INSERT_RUNS = _generation_sql("insert_runs")

VOCABULARY_AND_SENTENCES = _generation_sql("vocabulary_and_sentences")

# Every story gets one copy; the other articles go to stories in proportion to a skewed weight, with integer
# cumulative sums so that the copies add up to exactly the number of articles asked for.
STORY_PLAN = _generation_sql("story_plan")

# Each story's text in two versions: the full one and one cut by its last sentence (what outlets do to fit).
STORY_TEXT = _generation_sql("story_text")

# Articles are numbered in publication order, so ids grow with time as they do when the pipeline loads them.
ARTICLE_PLAN = _generation_sql("article_plan")

INSERT_STORIES = _generation_sql("insert_stories")

INSERT_RAW_DOCUMENTS = _generation_sql("insert_raw_documents")

INSERT_ARTICLES = _generation_sql("insert_articles")

# Copies with the same body get the same signature; a cut copy shares 106 of the 126 slots (similarity 0.84).
INSERT_SIGNATURES = _generation_sql("insert_signatures")

REJECT_PLAN = _generation_sql("reject_plan")

INSERT_REJECTS = _generation_sql("insert_rejects")

# A reject seen again by a later run counts as read and rejected in every run from its first to its last.
RUN_COUNTS = _generation_sql("run_counts")

ADVANCE_IDENTITIES = _generation_sql("advance_identities")

FULL_SCAN = _generation_sql("full_scan")


@dataclass(frozen=True, slots=True)
class Shape:
    """How big a warehouse to generate."""

    articles: int
    stories: int

    def __post_init__(self) -> None:
        if not 1 <= self.stories <= self.articles:
            raise ValueError(f"stories must be in [1, articles={self.articles}], got {self.stories}")

    def params(self) -> dict[str, Any]:
        """The statement parameters shared by every generation step."""
        start = END - timedelta(days=DAYS)
        run_every = timedelta(days=DAYS) / RUNS
        return {
            "articles": self.articles,
            "stories": self.stories,
            "extra": self.articles - self.stories,
            "start": start,
            "span": END - start - COPY_SPREAD,
            "spread": COPY_SPREAD,
            "runs": RUNS,
            "run_every": run_every,
            "run_seconds": run_every.total_seconds(),
            "pool": POOL_SENTENCES,
            "rejects": REJECTS,
            "paragraph": "\n\n",
            "sources": [slug for slug, *_ in SOURCES],
            "datelines": list(DATELINES),
            "authors": list(AUTHORS),
        }


@dataclass(frozen=True, slots=True)
class Timing:
    """One query run several times under EXPLAIN ANALYZE."""

    execution_ms: list[float]
    planning_ms: list[float]
    rows: int
    plan: dict[str, Any]
    """The plan of the slowest run."""

    @property
    def median_ms(self) -> float:
        """Median execution time."""
        return statistics.median(self.execution_ms)

    @property
    def max_ms(self) -> float:
        """Slowest execution time."""
        return max(self.execution_ms)


class Steps:
    """Generation steps shown as rich progress rows, each keeping its elapsed time."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        """A progress row for `label`; the yielded callable advances it by a number of rows."""
        task = self.progress.add_task(label, total=total)
        started = time.perf_counter()
        yield lambda done: self.progress.advance(task, done)
        self.seconds[label] = time.perf_counter() - started
        self.progress.update(task, total=total or 1, completed=total or 1)

    def describe(self, label: str, description: str) -> None:
        """Replace the text of the finished row `label`."""
        for task in self.progress.tasks:
            if task.description == label:
                self.progress.update(task.id, description=description)


def vocabulary() -> list[str]:
    """The commonest words of the ground-truth bodies, each repeated as often as it occurs there, minus Ukraine."""
    bodies = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    words = (word.strip(_EDGES) for item in bodies.values() for word in item["articleBody"].split())
    counts = Counter(word for word in words if _LETTERS.fullmatch(word) and "ukrain" not in word.lower())
    return [word for word, count in counts.most_common(VOCABULARY_SIZE) for _ in range(count)]


def run_sql(connection: sa.Connection, statement: str, params: dict[str, Any]) -> int:
    """Execute `statement` (one or several) and commit; return the rows the last one touched."""
    rowcount = connection.exec_driver_sql(statement, params).rowcount
    connection.commit()
    return int(rowcount)


def add_sources(connection: sa.Connection) -> None:
    """The outlets, through the project's own upsert."""
    rows = [{"slug": s, "name": n, "domain": d, "timezone": z, "language": "en"} for s, n, d, z in SOURCES]
    connection.exec_driver_sql(sql_file("load/upsert_source.sql"), rows)
    connection.commit()


def refresh_stories(connection: sa.Connection, stories: int, advance: Callable[[int], None]) -> None:
    """Compute every story from its copies with the project's own statement, a chunk of story ids at a time."""
    connection.exec_driver_sql("ANALYZE articles")
    for first in range(1, stories + 1, REFRESH_CHUNK):
        ids = list(range(first, min(first + REFRESH_CHUNK, stories + 1)))
        run_sql(connection, sql_file("dedupe/refresh_stories.sql"), {"ids": ids})
        advance(len(ids))


def index_search(connection: sa.Connection, advance: Callable[[int], None]) -> int:
    """Fill article_search with the project's own statement until it has nothing left; return the rows built."""
    total = 0
    while done := run_sql(connection, sql_file("search/index_articles.sql"), {"limit": SEARCH_BATCH}):
        total += done
        advance(done)
    return total


def build_warehouse(engine: sa.Engine, shape: Shape, steps: Steps) -> None:
    """Generate the whole warehouse in the scratch database, step by step."""
    params = shape.params()
    with engine.connect() as connection:
        run_sql(connection, SETTINGS, {})
        with steps.step("sources and ingest runs"):
            add_sources(connection)
            run_sql(connection, INSERT_RUNS, params)
        with steps.step("vocabulary and sentence pool"):
            words = vocabulary()
            run_sql(connection, VOCABULARY_AND_SENTENCES, params | {"words": words, "vocabulary": len(words)})
        for label, statement in PLAN_STEPS:
            with steps.step(label):
                run_sql(connection, statement, params)
        with steps.step("stories (refresh_stories.sql)", total=shape.stories) as advance:
            refresh_stories(connection, shape.stories, advance)
        with steps.step("article_signatures"):
            run_sql(connection, INSERT_SIGNATURES, params)
        label = "article_search (index_articles.sql)"
        with steps.step(label, total=shape.articles) as advance:
            indexed = index_search(connection, advance)
        steps.describe(label, f"{label}: {indexed / steps.seconds[label]:,.0f} articles/s")
        with steps.step("rejects and run counts"):
            run_sql(connection, REJECT_PLAN, params)
            run_sql(connection, INSERT_REJECTS, params)
            run_sql(connection, RUN_COUNTS, params)
            run_sql(connection, ADVANCE_IDENTITIES, params)
        with steps.step("summaries (sql/summaries/refresh.sql)"):
            run_sql(connection, sql_file("summaries/refresh.sql"), {})
    # A fresh session for the measurements: none of the generation settings above may leak into them.
    engine.dispose()
    with steps.step("VACUUM ANALYZE"), engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
        autocommit.exec_driver_sql("VACUUM ANALYZE")


PLAN_STEPS = (
    ("story plan", STORY_PLAN),
    ("story texts", STORY_TEXT),
    ("article plan", ARTICLE_PLAN),
    ("stories (empty rows)", INSERT_STORIES),
    ("raw_documents", INSERT_RAW_DOCUMENTS),
    ("articles", INSERT_ARTICLES),
)


def explain(engine: sa.Engine, query: str, runs: int, setup: str = "") -> Timing:
    """Run `query` `runs` times under EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), each in its own transaction."""
    executions: list[float] = []
    plannings: list[float] = []
    plans: list[dict[str, Any]] = []
    for _ in range(runs):
        connection = engine.raw_connection()
        try:
            with closing(connection.cursor()) as cursor:
                if setup:
                    cursor.execute(setup)
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)\n{query}")
                result = cursor.fetchall()[0][0]
            connection.rollback()
        finally:
            connection.close()
        document = (json.loads(result) if isinstance(result, str) else result)[0]
        executions.append(float(document["Execution Time"]))
        plannings.append(float(document["Planning Time"]))
        plans.append(document)
    slowest = plans[executions.index(max(executions))]
    return Timing(executions, plannings, int(slowest["Plan"]["Actual Rows"]), slowest)


PLAN_CONDITIONS = ("Filter", "Index Cond", "Recheck Cond", "Join Filter", "Hash Cond", "Sort Key", "Group Key")
PLAN_FIGURES = (
    "Strategy",
    "Rows Removed by Filter",
    "Rows Removed by Index Recheck",
    "Exact Heap Blocks",
    "Sort Method",
    "Sort Space Used",
    "HashAgg Batches",
    "Disk Usage",
    "Workers Launched",
)


def plan_lines(node: dict[str, Any], depth: int = 0, limit: int = 12) -> list[str]:
    """The top `limit` levels of a JSON plan, one line per node (what, rows, time, buffers) and its conditions."""
    target = node.get("Relation Name") or node.get("CTE Name") or node.get("Function Name") or ""
    index = f" using {node['Index Name']}" if "Index Name" in node else ""
    role = f"[{node['Subplan Name']}] " if "Subplan Name" in node else ""
    figures = "".join(f", {key.lower()} {node[key]}" for key in PLAN_FIGURES if key in node)
    loops, each = node["Actual Loops"], node["Actual Total Time"]
    # EXPLAIN gives rows and time per loop: a subplan run once per group can hide most of the query.
    took = f"{each:,.1f} ms" if loops <= 1 else f"{each:,.3g} ms per loop, {each * loops:,.0f} ms in all"
    lines = [
        f"{'  ' * depth}{role}{node['Node Type']}{' on ' + target if target else ''}{index}: "
        f"rows {node['Actual Rows']:,} x {loops} loops, {took}, "
        f"buffers hit {node.get('Shared Hit Blocks', 0):,} read {node.get('Shared Read Blocks', 0):,}{figures}"
    ]
    lines += [f"{'  ' * depth}  {key}: {node[key]}" for key in PLAN_CONDITIONS if key in node]
    if depth + 1 < limit:
        for child in node.get("Plans", []):
            lines += plan_lines(child, depth + 1, limit)
    return lines


def jit_line(document: dict[str, Any]) -> str:
    """How much of the run JIT compilation took, if the server compiled the query."""
    if "JIT" not in document:
        return "JIT: not used"
    timing = document["JIT"]["Timing"]
    parts = ", ".join(f"{key.lower()} {value:.1f}" for key, value in timing.items() if key != "Total")
    return (
        f"JIT: {document['JIT']['Functions']} functions compiled in {timing['Total']:.1f} ms ({parts}) "
        f"of the {document['Execution Time']:.1f} ms"
    )


def results_table(results: dict[str, Timing], baseline: Timing, runs: int) -> Table:
    """Median and max execution time per query against the target, with the full scan for scale."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=f"EXPLAIN ANALYZE, {runs} runs each")
    for column in ("query", "median ms", "max ms", "planning ms", "rows", "target", "result"):
        table.add_column(column, justify="left" if column in ("query", "result") else "right", no_wrap=True)
    for name, timing in results.items():
        ok = timing.median_ms < TARGET_MS
        table.add_row(
            name,
            f"{timing.median_ms:,.1f}",
            f"{timing.max_ms:,.1f}",
            f"{statistics.median(timing.planning_ms):.1f}",
            f"{timing.rows:,}",
            f"< {TARGET_MS:.0f} ms",
            "ok" if ok else "[bold red]MISSED[/]",
        )
    table.add_section()
    table.add_row(
        "count(*) FROM articles (seq scan)",
        f"{baseline.median_ms:,.1f}",
        f"{baseline.max_ms:,.1f}",
        f"{statistics.median(baseline.planning_ms):.1f}",
        f"{baseline.rows:,}",
        "-",
        "for scale",
    )
    return table


def warehouse_summary(engine: sa.Engine) -> str:
    """Row counts and sizes of the generated warehouse."""
    with engine.connect() as connection:
        counts = connection.exec_driver_sql(SUMMARY).one()
    return (
        f"warehouse: {counts.articles:,} articles ({counts.articles_size}), {counts.stories:,} stories "
        f"(max {counts.max_copies} copies, {counts.small:.0%} with 1-3), {counts.ukraine:.1%} of articles match "
        f"'Ukraine', {counts.credited:.0%} credit an agency, mean body {counts.words:.0f} words, "
        f"article_search {counts.search_size}, database {counts.database_size}"
    )


SUMMARY = """
SELECT (SELECT count(*) FROM articles) AS articles,
       (SELECT count(*) FROM stories) AS stories,
       (SELECT max(copies) FROM stories) AS max_copies,
       (SELECT avg((copies <= 3)::int) FROM stories) AS small,
       (SELECT count(*) FROM article_search WHERE document @@ websearch_to_tsquery('english', 'Ukraine'))::float
           / (SELECT count(*) FROM articles) AS ukraine,
       (SELECT avg((cardinality(agencies) > 0)::int) FROM articles) AS credited,
       (SELECT avg(word_count) FROM articles) AS words,
       pg_size_pretty(pg_total_relation_size('articles')) AS articles_size,
       pg_size_pretty(pg_total_relation_size('article_search')) AS search_size,
       pg_size_pretty(pg_database_size(current_database())) AS database_size
"""


def main() -> None:
    """Generate the warehouse, time every analyst query, print the table and the plans of the misses."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--stories", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5, help="EXPLAIN ANALYZE runs per query")
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args()
    try:
        shape = Shape(args.articles, args.stories)
    except ValueError as error:
        parser.error(str(error))
    console = Console()
    console.width = max(console.width, 120)
    console.print(
        f"{shape.articles:,} generated articles in {shape.stories:,} stories, {len(SOURCES)} sources, {DAYS} days "
        f"to {END:%Y-%m-%d %H:%M} UTC. Bodies are SHORT (5-8 sentences, ~90 words) from a {VOCABULARY_SIZE:,}-word "
        "vocabulary: search documents are smaller than real ones.",
        soft_wrap=True,
    )
    queries = sorted((resource_dir("sql") / "queries").glob("*.sql"))
    with scratch_engine(args.admin_url) as engine:
        started = time.perf_counter()
        columns = (TextColumn("{task.description}"), BarColumn(20), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            build_warehouse(engine, shape, Steps(progress))
        console.print(f"generated in {time.perf_counter() - started:,.0f} s", soft_wrap=True)
        console.print(warehouse_summary(engine), soft_wrap=True)
        with console.status("running the queries"):
            baseline = explain(engine, "SELECT count(*) FROM articles", args.runs, FULL_SCAN)
            results = {path.stem: explain(engine, path.read_text(encoding="utf-8"), args.runs) for path in queries}
    console.print(results_table(results, baseline, args.runs))
    for name, timing in results.items():
        if timing.median_ms >= TARGET_MS:
            console.print(f"\n[bold]{name}[/]: plan of the slowest run (top levels)", soft_wrap=True)
            console.print(jit_line(timing.plan), soft_wrap=True, highlight=False)
            console.print("\n".join(plan_lines(timing.plan["Plan"])), soft_wrap=True, highlight=False, markup=False)


if __name__ == "__main__":
    main()
