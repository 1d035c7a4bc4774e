"""Wire-copy dedupe: wiredesk's clusterer against datasketch's MinHash LSH, on one labelled corpus, in one run.

    python benchmarks/dedupe.py [--seed 7] [--scale 1]

The corpus (benchmarks/dedupe_corpus.py) is the article-extraction ground truth and the Peninsula sample as
originals, with planted copies of eleven kinds (four of them realistic updates and rewrites), merged rewrites of
two stories, unrelated same-topic items, and other agencies' accounts of a story's event. For wiredesk, wiredesk
with hashing alone (no second stage) and datasketch it prints pairwise precision over the predicted same-story
pairs, recall per copy kind, the share of merged rewrites linked to both their stories, false links (unrelated
items, other agencies' accounts, same-topic stories), and
docs/s end to end (the median of `--repeat` runs, and the first run alone, whose worker processes have only just
started) and per stage (signatures, LSH candidates), with wiredesk/datasketch throughput ratios; then the
same quality figures, the dedupe pass's docs/s and the SQL candidate join's docs/s of wiredesk's warehouse path, and
the machine's load average (other work on the cores lowers every docs/s); then the same three clusterers on the
wire-rewrites pairs (benchmarks/dedupe_wire.py), calibration and held-out splits. Targets: precision >= 0.99,
recall >= 0.98 on every copy kind, merged linked >= 0.70, no false links, clustering >= 3,000 docs/s end to end;
on wire-rewrites precision >= 0.99 and recall >= 0.90.

`--scale N` plants N rounds of copies of the same ~180 stories, for throughput: each story then has ~N times the
copies and merged rewrites, so the quality figures are calibrated at scale 1 only.

The baseline is datasketch used the plain way: `MinHash(num_perm=128)` over the same lowercased `\\w+` 5-word
shingles, `MinHashLSH(threshold=0.5)` (its own default is 0.9), every document inserted then queried, and the
matches joined by union-find.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from math import comb
from zoneinfo import ZoneInfo

from datasketch import MinHash, MinHashLSH
from dedupe_corpus import COPY_KINDS, CorpusItem, build_corpus, same_topic_pairs
from dedupe_stages import datasketch_stage_rates, sql_join_rate, wiredesk_stage_rates
from dedupe_wire import SPLITS, WIRE_REWRITES, WireScores, WireText, run_split
from load import ADMIN_URL, scratch_engine
from rich import box
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from pipeline.dedupe import workers
from pipeline.dedupe.offline import Copy, cluster
from pipeline.dedupe.params import DedupeParams
from pipeline.load.runs import start_run, sync_sources
from pipeline.load.stories import dedupe_pending
from pipeline.load.warehouse import Batch, load_batch
from pipeline.record import Article, RawDocument
from pipeline.sources import Source

SHINGLE_WORDS = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.5
TARGET_PRECISION = 0.99
TARGET_RECALL = 0.98
TARGET_MERGED = 0.70
TARGET_RATE = 3_000
TARGET_WIRE_RECALL = 0.90
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Clustering:
    """What a clusterer said of each corpus item, in corpus order, and how long it took."""

    cluster: tuple[str, ...]
    """The item's cluster (story) id."""
    also_in: tuple[tuple[str, ...], ...]
    """Other clusters the item is linked to as a merged rewrite (always empty for datasketch)."""
    seconds: float
    """The median run's time."""
    first_seconds: float
    """The first run's time."""
    join_docs_per_s: float | None = None
    """For the warehouse run: docs/s of the SQL candidate join alone."""


@dataclass(frozen=True, slots=True)
class Scores:
    """A clustering measured against the corpus labels."""

    precision: float
    pairs: int
    recall: dict[str, float]
    """Per copy kind: share of the copies put in their original's cluster."""
    overall_recall: float
    merged_linked: float
    unrelated_linked: int
    """Unrelated items put in a cluster with anything else."""
    agency_linked: int
    """Other agencies' accounts of a story's event put in a cluster with anything else."""
    same_topic_linked: int
    """Pairs of distinct same-topic stories whose originals share a cluster."""
    docs_per_s: float
    first_docs_per_s: float


def shingles(text: str) -> set[str]:
    """The text's 5-word shingles over lowercased `\\w+` words (the whole text when it is shorter)."""
    words = _WORD.findall(text.lower())
    width = min(SHINGLE_WORDS, len(words))
    return {" ".join(words[i : i + width]) for i in range(len(words) - width + 1)} if words else set()


def datasketch_minhash(text: str) -> MinHash:
    """datasketch's MinHash of the text's shingles."""
    signature = MinHash(num_perm=NUM_PERM)
    signature.update_batch([shingle.encode() for shingle in shingles(text)])
    return signature


Labels = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
"""Each item's cluster, and the other clusters it is linked to as a merged rewrite."""


def run_both(items: Sequence[CorpusItem], progress: Progress, repeat: int) -> tuple[Clustering, Clustering]:
    """wiredesk's and datasketch's clusterings of `items`, each run `repeat` times, turn about (so that other work
    on the machine slows both alike)."""
    runs: dict[str, list[float]] = {"wiredesk": [], "datasketch": []}
    labels: dict[str, Labels] = {}
    task = progress.add_task("clustering, wiredesk and datasketch in turn", total=2 * repeat)
    for _ in range(repeat):
        for name, run in (("wiredesk", run_wiredesk), ("datasketch", run_datasketch)):
            started = time.perf_counter()
            found = run(items)
            runs[name].append(time.perf_counter() - started)
            if labels.setdefault(name, found) != found:
                raise RuntimeError(f"{name} clustered the same corpus differently in two runs")
            progress.advance(task)
    progress.remove_task(task)
    ours, theirs = (Clustering(*labels[n], statistics.median(runs[n]), runs[n][0]) for n in ("wiredesk", "datasketch"))
    return ours, theirs


def run_datasketch(items: Sequence[CorpusItem]) -> Labels:
    """Insert every item in a MinHash LSH, query each, and join the matches into clusters."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    signatures = []
    for item in items:
        signatures.append(datasketch_minhash(item.body))
        lsh.insert(item.id, signatures[-1])
    parent = {item.id: item.id for item in items}
    for item, signature in zip(items, signatures, strict=True):
        for match in lsh.query(signature):
            _union(parent, item.id, match)
    return tuple(_find(parent, item.id) for item in items), ((),) * len(items)


def _find(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def _union(parent: dict[str, str], first: str, second: str) -> None:
    parent[_find(parent, first)] = _find(parent, second)


def run_wiredesk(items: Sequence[CorpusItem], params: DedupeParams | None = None) -> Labels:
    """wiredesk's offline clusterer over the corpus, with its tuned parameters (or `params`)."""
    copies = [Copy(item.id, item.source, item.title, item.body, item.published_at) for item in items]
    assignments = cluster(copies, params or DedupeParams())
    if [a.id for a in assignments] != [item.id for item in items]:
        raise RuntimeError("cluster() must return one assignment per copy, in input order")
    return tuple(a.story_id for a in assignments), tuple(a.also_in for a in assignments)


def run_hashing_alone(items: Sequence[CorpusItem]) -> Clustering:
    """wiredesk's offline clusterer without its second stage, timed once."""
    started = time.perf_counter()
    labels = run_wiredesk(items, DedupeParams(second_stage=False))
    seconds = time.perf_counter() - started
    return Clustering(*labels, seconds, seconds)


def wire_clusterers() -> dict[str, Callable[[Sequence[WireText]], dict[str, str]]]:
    """wiredesk, wiredesk with hashing alone and datasketch, each as a function from texts to their clusters."""

    def wiredesk(params: DedupeParams) -> Callable[[Sequence[WireText]], dict[str, str]]:
        def run(texts: Sequence[WireText]) -> dict[str, str]:
            copies = [Copy(text.id, "wire", None, text.text, None) for text in texts]
            return {a.id: a.story_id for a in cluster(copies, params)}

        return run

    def datasketch(texts: Sequence[WireText]) -> dict[str, str]:
        items = [CorpusItem(t.id, "wire", "", t.text, WIRE_TIME, t.article, "original") for t in texts]
        return dict(zip((t.id for t in texts), run_datasketch(items)[0], strict=True))

    return {
        "wiredesk": wiredesk(DedupeParams()),
        "hashing alone": wiredesk(DedupeParams(second_stage=False)),
        "datasketch": datasketch,
    }


WIRE_TIME = datetime(2026, 1, 1, tzinfo=UTC)


def wire_table(scores: dict[str, dict[str, WireScores]]) -> Table:
    """The wire-rewrites figures: per split, each clusterer's precision, recall and recall per kind."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("wire-rewrites")
    for name in scores:
        for split in SPLITS:
            table.add_column(f"{name}\n{split}", justify="right")
    table.add_column("target", justify="right")
    first = next(iter(scores.values()))[SPLITS[0]]
    rows: list[tuple[str, Callable[[WireScores], float], str]] = [
        ("precision", lambda s: s.precision, f">= {TARGET_PRECISION}"),
        ("recall", lambda s: s.recall, f">= {TARGET_WIRE_RECALL}"),
        *((f"  recall {kind}", _kind_recall(kind), "") for kind in first.recall_by_kind),
        ("different pairs joined", lambda s: s.false_joins, "0"),
    ]
    for name, figure, target in rows:
        cells = [format(figure(by_split[split]), ".3f" if "joined" not in name else "d") for by_split in
                 scores.values() for split in SPLITS]  # fmt: skip
        table.add_row(name, *cells, target)
    return table


def _kind_recall(kind: str) -> Callable[[WireScores], float]:
    return lambda scores: scores.recall_by_kind[kind]


def run_warehouse(items: Sequence[CorpusItem], progress: Progress, admin_url: str) -> Clustering:
    """wiredesk's incremental dedupe in a scratch Postgres: the corpus loaded as articles, then one
    `dedupe_pending` (signatures, band and sentence storage, the candidate join, stories) timed."""
    sources = {slug: Source(slug, slug, f"{slug}.example", ZoneInfo("UTC")) for slug in {i.source for i in items}}
    batch = Batch()
    for item in items:
        document = RawDocument(item.source, item.id, item.body.encode(), "text/plain", item.published_at)
        article = Article(
            source=item.source,
            url=None,
            canonical_url=f"https://{item.source}.example/{item.id}",
            title=item.title,
            body=tuple(line for line in item.body.splitlines() if line.strip()),
            authors=(),
            agencies=(),
            dateline=None,
            published_at=item.published_at,
            language="en",
            raw_sha256=document.sha256,
            extractor="benchmark",
        )
        batch.documents.append(document)
        batch.articles.append(article)
        batch.read += 1
    with scratch_engine(admin_url) as engine:
        sync_sources(engine, sources.values())
        run_id = start_run(engine, "benchmark", [])
        load_batch(engine, run_id, batch)
        task = progress.add_task("wiredesk dedupe in Postgres", total=len(items))
        started = time.perf_counter()
        dedupe_pending(engine, run_id, DedupeParams(), on_progress=lambda done: progress.advance(task, done))
        seconds = time.perf_counter() - started
        progress.remove_task(task)
        join_rate = sql_join_rate(engine, len(items))
        with engine.connect() as connection:
            story_of: dict[str, int] = {key: story for key, story in connection.exec_driver_sql(WAREHOUSE_STORIES)}
            linked = defaultdict(list)
            for key, story in connection.exec_driver_sql(WAREHOUSE_LINKS):
                linked[key].append(story)
    keys = [f"https://{item.source}.example/{item.id}" for item in items]
    also = tuple(tuple(str(s) for s in linked[key] if s != story_of[key]) for key in keys)
    return Clustering(tuple(str(story_of[key]) for key in keys), also, seconds, seconds, join_rate)


WAREHOUSE_STORIES = "SELECT key, story_id FROM articles"
WAREHOUSE_LINKS = "SELECT a.key, l.story_id FROM story_links AS l JOIN articles AS a ON a.id = l.article_id"


def same_partition(first: Clustering, second: Clustering) -> int:
    """How many items are grouped differently by the two clusterings (0: the same stories)."""

    def groups(clustering: Clustering) -> list[frozenset[int]]:
        members: dict[str, set[int]] = defaultdict(set)
        for index, story in enumerate(clustering.cluster):
            members[story].add(index)
        return [frozenset(members[story]) for story in clustering.cluster]

    return sum(a != b for a, b in zip(groups(first), groups(second), strict=True))


def score(items: Sequence[CorpusItem], clustering: Clustering) -> Scores:
    """Precision, recall per kind, merged links and false links of a clustering of `items`."""
    precision, pairs = pair_precision(items, clustering.cluster)
    recall, overall = recall_by_kind(items, clustering.cluster)
    home = {item.story: c for item, c in zip(items, clustering.cluster, strict=True) if item.kind == "original"}
    sizes = Counter(clustering.cluster)
    return Scores(
        precision=precision,
        pairs=pairs,
        recall=recall,
        overall_recall=overall,
        merged_linked=merged_linked(items, clustering),
        unrelated_linked=sum(
            1 for item, c in zip(items, clustering.cluster, strict=True) if item.kind == "unrelated" and sizes[c] > 1
        ),
        agency_linked=sum(
            1 for item, c in zip(items, clustering.cluster, strict=True) if item.kind == "agency" and sizes[c] > 1
        ),
        same_topic_linked=sum(1 for a, b in same_topic_pairs() if a in home and b in home and home[a] == home[b]),
        docs_per_s=len(items) / clustering.seconds,
        first_docs_per_s=len(items) / clustering.first_seconds,
    )


def pair_precision(items: Sequence[CorpusItem], clusters: Sequence[str]) -> tuple[float, int]:
    """Share of the predicted same-cluster pairs whose items share a story, and the number of such pairs."""
    members: dict[str, list[CorpusItem]] = defaultdict(list)
    for item, label in zip(items, clusters, strict=True):
        members[label].append(item)
    predicted = correct = 0
    for group in members.values():
        predicted += comb(len(group), 2)
        # Pairs sharing a story, by inclusion-exclusion: an item has at most two stories, so only two merged
        # rewrites of the same pair of stories are counted twice by the first sum.
        per_story = Counter(story for item in group for story in item.stories)
        per_pair = Counter(item.stories for item in group if len(item.stories) == 2)
        correct += sum(comb(n, 2) for n in per_story.values()) - sum(comb(n, 2) for n in per_pair.values())
    return (correct / predicted if predicted else 1.0), predicted


def recall_by_kind(items: Sequence[CorpusItem], clusters: Sequence[str]) -> tuple[dict[str, float], float]:
    """Per copy kind, the share of copies in their original's cluster; and that share over all copy kinds."""
    home = {item.story: c for item, c in zip(items, clusters, strict=True) if item.kind == "original"}
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for item, label in zip(items, clusters, strict=True):
        if item.kind in COPY_KINDS:
            total[item.kind] += 1
            found[item.kind] += label == home[item.story]
    recall = {kind: found[kind] / total[kind] if total[kind] else float("nan") for kind in COPY_KINDS}
    return recall, sum(found.values()) / max(1, sum(total.values()))


def merged_linked(items: Sequence[CorpusItem], clustering: Clustering) -> float:
    """Share of merged rewrites whose cluster and `also_in` clusters hold other items of both their stories."""
    stories_in: dict[str, set[str]] = defaultdict(set)
    for item, label in zip(items, clustering.cluster, strict=True):
        if item.kind != "merged":
            stories_in[label].add(item.story)
    merged = linked = 0
    for item, label, also in zip(items, clustering.cluster, clustering.also_in, strict=True):
        if item.kind == "merged":
            merged += 1
            covered = stories_in[label].union(*(stories_in[other] for other in also))
            linked += item.stories <= covered
    return linked / merged if merged else float("nan")


def corpus_summary(items: Sequence[CorpusItem]) -> str:
    """One line: item count per kind and mean body length."""
    kinds = Counter(item.kind for item in items)
    words = sum(len(item.body.split()) for item in items) / len(items)
    per_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1]))
    return f"{len(items)} items ({per_kind}); mean body {words:.0f} words"


def results_table(
    ours: Scores, hashing: Scores, theirs: Scores, stages: tuple[tuple[float, float], tuple[float, float]]
) -> Table:
    """The comparison: one row per figure, wiredesk, wiredesk with hashing alone and datasketch side by side, with
    ratios (wiredesk/datasketch) and targets."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for header in ("", "wiredesk", "hashing alone", "datasketch", "ratio", "target"):
        table.add_column(header, justify="right" if header else "left")
    rows = [
        ("pairwise precision", ours.precision, theirs.precision, ".3f", _goal(ours.precision, TARGET_PRECISION)),
        ("  predicted pairs", ours.pairs, theirs.pairs, ",d", ""),
        *(
            (f"recall {kind}", ours.recall[kind], theirs.recall[kind], ".3f", _goal(ours.recall[kind], TARGET_RECALL))
            for kind in COPY_KINDS
        ),
        (
            "recall, copy kinds",
            ours.overall_recall,
            theirs.overall_recall,
            ".3f",
            _goal(ours.overall_recall, TARGET_RECALL),
        ),
        ("merged linked", ours.merged_linked, theirs.merged_linked, ".3f", _goal(ours.merged_linked, TARGET_MERGED)),
        ("unrelated items linked", ours.unrelated_linked, theirs.unrelated_linked, "d", "0"),
        ("other agencies' accounts linked", ours.agency_linked, theirs.agency_linked, "d", "0"),
        (
            "same-topic pairs joined",
            ours.same_topic_linked,
            theirs.same_topic_linked,
            "d",
            f"0 of {len(same_topic_pairs())}",
        ),
    ]
    alone = _hashing_figures(hashing)
    for name, mine, baseline, spec, target in rows:
        table.add_row(name, format(mine, spec), format(alone[name], spec), format(baseline, spec), "", target)
    speed = f"{ours.docs_per_s / theirs.docs_per_s:.2f}x"
    table.add_row(
        "clustering docs/s, end to end (median)",
        f"{ours.docs_per_s:,.0f}",
        f"{hashing.docs_per_s:,.0f}",
        f"{theirs.docs_per_s:,.0f}",
        speed,
        _goal(ours.docs_per_s, TARGET_RATE),
    )
    table.add_row(
        "  first run alone",
        f"{ours.first_docs_per_s:,.0f}",
        "",
        f"{theirs.first_docs_per_s:,.0f}",
        f"{ours.first_docs_per_s / theirs.first_docs_per_s:.2f}x",
        "",
    )
    for name, mine, baseline in zip(("  signatures docs/s", "  LSH candidates docs/s"), *stages, strict=True):
        table.add_row(name, f"{mine:,.0f}", "", f"{baseline:,.0f}", f"{mine / baseline:.2f}x", "")
    return table


def _hashing_figures(scores: Scores) -> dict[str, float]:
    """The quality figures of hashing alone, by the table's row names."""
    return {
        "pairwise precision": scores.precision,
        "  predicted pairs": scores.pairs,
        **{f"recall {kind}": scores.recall[kind] for kind in COPY_KINDS},
        "recall, copy kinds": scores.overall_recall,
        "merged linked": scores.merged_linked,
        "unrelated items linked": scores.unrelated_linked,
        "other agencies' accounts linked": scores.agency_linked,
        "same-topic pairs joined": scores.same_topic_linked,
    }


def _goal(figure: float, target: float) -> str:
    """The target, and whether wiredesk's figure meets it."""
    return f">= {target:,g} {'ok' if figure >= target else 'MISSED'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=1, help="rounds of planted copies (corpus size x ~N)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each clusterer (the median is shown)")
    parser.add_argument("--admin-url", default=ADMIN_URL, help="Postgres for the warehouse run (a scratch database)")
    args = parser.parse_args()
    console = Console()
    load_before = os.getloadavg()
    with console.status("building the corpus"):
        items = build_corpus(args.seed, args.scale)
    console.print(corpus_summary(items), soft_wrap=True)
    # As `wiredesk dedupe` does: the workers start before the progress display's thread, so they are forked.
    workers.start()
    with Progress(transient=True, console=console) as progress:
        offline, baseline = run_both(items, progress, args.repeat)
        ours, theirs = score(items, offline), score(items, baseline)
        hashing = score(items, run_hashing_alone(items))
        task = progress.add_task("stage throughput", total=None)
        stages = (
            wiredesk_stage_rates(items),
            datasketch_stage_rates(items, shingles, NUM_PERM, LSH_THRESHOLD),
        )
        progress.remove_task(task)
        warehouse = run_warehouse(items, progress, args.admin_url)
    console.print(results_table(ours, hashing, theirs, stages))
    in_db = score(items, warehouse)
    differ = same_partition(offline, warehouse)
    console.print(
        f"in the warehouse (scratch Postgres, one dedupe pass): {in_db.docs_per_s:,.0f} docs/s, precision "
        f"{in_db.precision:.3f}, recall {in_db.overall_recall:.3f}, merged linked {in_db.merged_linked:.3f}; "
        f"stories {'identical to' if differ == 0 else f'differ for {differ} items from'} the offline clusterer's; "
        f"SQL candidate join of the whole corpus as one batch: {warehouse.join_docs_per_s or 0:,.0f} docs/s",
        soft_wrap=True,
    )
    if WIRE_REWRITES.is_dir():
        with console.status("wire-rewrites pairs"):
            wire = {name: {split: run_split(split, run) for split in SPLITS} for name, run in wire_clusterers().items()}
        console.print(wire_table(wire))
    else:
        console.print(f"wire-rewrites pairs not found at {WIRE_REWRITES}: skipped")
    # Other work shares the machine's cores: a loaded machine lowers every docs/s above, both clusterers alike.
    load_after = os.getloadavg()
    console.print(
        f"{os.cpu_count()} cores; load average (1 min) {load_before[0]:.2f} before the run, {load_after[0]:.2f} after"
    )


if __name__ == "__main__":
    main()
