"""Stories in the real warehouse: exact and near copies, bridges, merged rewrites, reruns, order, deletion."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipeline.dedupe.offline import Copy, cluster
from pipeline.dedupe.params import DedupeParams
from pipeline.load.stories import dedupe_pending, delete_source_articles
from pipeline.run import ingest
from pipeline.sources import Source
from tests.wire import STORIES, page, reworded

NIGHT = datetime(2022, 1, 21, 20, 0, tzinfo=UTC)


def item(url: str, source: str, published: datetime, paragraphs: list[str], credit: str = "AFP") -> dict[str, str]:
    """One dump line."""
    return {"url": url, "source": source, "text": page(f"Headline for {url}", credit, published, paragraphs)}


def load(engine: sa.Engine, sources: dict[str, Source], folder: Path, name: str, items: list[dict[str, str]]) -> Any:
    """Ingest `items` (load, then dedupe) as one run."""
    dump = folder / f"{name}.jsonl"
    dump.write_text("".join(json.dumps(line) + "\n" for line in items), encoding="utf-8")
    return ingest(engine, [dump], sources)


def stories_by_url(engine: sa.Engine) -> dict[str, int]:
    """Article URL -> story id."""
    with engine.connect() as connection:
        return {url: story for url, story in connection.exec_driver_sql("SELECT url, story_id FROM articles")}


def rows(engine: sa.Engine, query: str) -> list[Any]:
    """Every row of `query`, as mappings."""
    with engine.connect() as connection:
        return list(connection.execute(sa.text(query)).mappings())


def partition(engine: sa.Engine) -> set[frozenset[str]]:
    """The stories as sets of article URLs (independent of story ids)."""
    groups: dict[int, set[str]] = {}
    for url, story in stories_by_url(engine).items():
        groups.setdefault(story, set()).add(url)
    return {frozenset(group) for group in groups.values()}


def edited(paragraphs: list[str], rate: float, seed: int) -> list[str]:
    """`paragraphs` with a share of their words replaced."""
    rng = random.Random(seed)
    return [" ".join(w if rng.random() > rate else "tweaked" for w in p.split()) for p in paragraphs]


def test_exact_copies_share_a_story_and_the_earliest_is_canonical(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    body = STORIES[0]
    load(
        engine,
        sources,
        tmp_path,
        "night",
        [
            item("https://gulf-times.com/a", "gulf-times", NIGHT + timedelta(hours=2), body),
            item("https://thepeninsulaqatar.com/a", "peninsula", NIGHT, body, credit="AFP/Reuters/ Geneva"),
            item("https://gulf-times.com/other", "gulf-times", NIGHT, STORIES[1]),
        ],
    )
    by_url = stories_by_url(engine)
    [story] = rows(engine, f"SELECT * FROM stories WHERE id = {by_url['https://gulf-times.com/a']}")

    assert (
        by_url["https://gulf-times.com/a"]
        == by_url["https://thepeninsulaqatar.com/a"]
        != by_url["https://gulf-times.com/other"]
    )
    assert (story["copies"], story["outlets"], story["agencies"]) == (
        2,
        ["gulf-times", "peninsula"],
        ["AFP", "Reuters"],
    )
    [canonical] = rows(engine, f"SELECT url FROM articles WHERE id = {story['canonical_article_id']}")
    assert canonical["url"] == "https://thepeninsulaqatar.com/a"
    assert (story["first_seen"], story["last_seen"]) == (NIGHT, NIGHT + timedelta(hours=2))


def test_near_copies_join_and_unrelated_stories_stay_apart(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    original = STORIES[2]
    variants = {
        "dropped": original[:3] + original[5:],
        "edited": edited(original, 0.03, seed=1),
        "reordered": [original[0], *original[2:], original[1]],
        "extended": [*original, "The agency said more details would follow later in the day, officials added."],
        "truncated": original[: len(original) * 3 // 5],
    }
    items = [item("https://gulf-times.com/original", "gulf-times", NIGHT, original)]
    items += [
        item(f"https://thepeninsulaqatar.com/{name}", "peninsula", NIGHT, body) for name, body in variants.items()
    ]
    items += [
        item(f"https://gulf-times.com/unrelated/{n}", "gulf-times", NIGHT, body) for n, body in enumerate(STORIES[3:])
    ]
    result = load(engine, sources, tmp_path, "night", items)

    groups = partition(engine)
    assert (
        frozenset({"https://gulf-times.com/original", *(f"https://thepeninsulaqatar.com/{n}" for n in variants)})
        in groups
    )
    assert len(groups) == 1 + len(STORIES[3:])
    assert (result.stories.articles, result.stories.duplicates, result.stories.new_stories) == (
        len(items),
        1 + len(variants),
        1 + len(STORIES[3:]),
    )


def test_a_copy_bridging_two_stories_merges_them_into_the_older(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    full = STORIES[1]
    head, tail = full[: len(full) * 3 // 5], full[len(full) * 2 // 5 :]
    load(engine, sources, tmp_path, "first", [item("https://gulf-times.com/head", "gulf-times", NIGHT, head)])
    load(engine, sources, tmp_path, "second", [item("https://gulf-times.com/tail", "gulf-times", NIGHT, tail)])
    before = stories_by_url(engine)
    assert before["https://gulf-times.com/head"] != before["https://gulf-times.com/tail"]

    result = load(
        engine, sources, tmp_path, "third", [item("https://thepeninsulaqatar.com/full", "peninsula", NIGHT, full)]
    )
    after = stories_by_url(engine)
    older = min(before.values())

    assert set(after.values()) == {older}
    assert result.stories.merged_stories == 1
    [merge] = rows(engine, "SELECT * FROM story_merges")
    assert (merge["merged_story_id"], merge["into_story_id"]) == (max(before.values()), older)
    assert rows(engine, "SELECT id, copies FROM stories") == [{"id": older, "copies": 3}]


def test_a_rewrite_merged_from_two_stories_is_linked_to_both(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    a, b = STORIES[0], STORIES[5]
    merged = a[: len(a) // 2] + b[: len(b) // 2]
    load(
        engine,
        sources,
        tmp_path,
        "night",
        [
            item("https://gulf-times.com/afp", "gulf-times", NIGHT, a),
            item("https://gulf-times.com/reuters", "gulf-times", NIGHT, b, credit="Reuters"),
            item(
                "https://thepeninsulaqatar.com/rewrite",
                "peninsula",
                NIGHT + timedelta(hours=1),
                merged,
                credit="AFP/Reuters",
            ),
        ],
    )
    by_url = stories_by_url(engine)
    links = rows(engine, "SELECT a.url, l.story_id FROM story_links l JOIN articles a ON a.id = l.article_id")

    assert {(link["url"], link["story_id"]) for link in links} == {
        ("https://thepeninsulaqatar.com/rewrite", by_url["https://gulf-times.com/afp"]),
        ("https://thepeninsulaqatar.com/rewrite", by_url["https://gulf-times.com/reuters"]),
    }
    assert by_url["https://gulf-times.com/afp"] != by_url["https://gulf-times.com/reuters"]


def test_rerunning_dedupe_changes_nothing(engine: sa.Engine, sources: dict[str, Source], tmp_path: Path) -> None:
    night = [item(f"https://gulf-times.com/{n}", "gulf-times", NIGHT, body) for n, body in enumerate(STORIES)]
    night += [item("https://thepeninsulaqatar.com/0", "peninsula", NIGHT, STORIES[0])]
    load(engine, sources, tmp_path, "night", night)
    snapshot = rows(engine, "SELECT * FROM stories ORDER BY id"), stories_by_url(engine)

    assert dedupe_pending(engine, None).articles == 0
    again = load(engine, sources, tmp_path, "night", night)
    assert (again.counts.unchanged, again.stories.articles) == (len(night), 0)
    assert (rows(engine, "SELECT * FROM stories ORDER BY id"), stories_by_url(engine)) == snapshot


@pytest.mark.parametrize("order", [("one", "two", "three"), ("three", "one", "two"), ("two", "three", "one")])
def test_nights_in_any_order_give_the_same_stories(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path, order: tuple[str, ...]
) -> None:
    a, b = STORIES[0], STORIES[5]
    nights = {
        "one": [
            item("https://gulf-times.com/a-head", "gulf-times", NIGHT, a[:7]),
            item("https://gulf-times.com/b", "gulf-times", NIGHT, b, credit="Reuters"),
        ],
        "two": [
            item("https://gulf-times.com/a-tail", "gulf-times", NIGHT + timedelta(days=1), a[4:]),
            item("https://thepeninsulaqatar.com/mix", "peninsula", NIGHT + timedelta(days=1), a[:4] + b[:5]),
        ],
        "three": [item("https://thepeninsulaqatar.com/a", "peninsula", NIGHT + timedelta(days=2), a)],
    }
    for night in order:
        load(engine, sources, tmp_path, night, nights[night])

    assert partition(engine) == {
        frozenset(
            {"https://gulf-times.com/a-head", "https://gulf-times.com/a-tail", "https://thepeninsulaqatar.com/a"}
        ),
        frozenset({"https://gulf-times.com/b"}),
        frozenset({"https://thepeninsulaqatar.com/mix"}),
    }
    [canonical] = rows(
        engine, "SELECT a.url FROM stories s JOIN articles a ON a.id = s.canonical_article_id WHERE s.copies = 3"
    )
    assert canonical["url"] == "https://gulf-times.com/a-head"
    linked = rows(
        engine, "SELECT count(*) AS n FROM story_links l JOIN articles a ON a.id = l.article_id WHERE a.url LIKE '%mix'"
    )
    assert linked == [{"n": 2}]


def test_deleting_a_source_removes_its_articles_from_their_stories(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    load(
        engine,
        sources,
        tmp_path,
        "night",
        [
            item("https://gulf-times.com/a", "gulf-times", NIGHT + timedelta(hours=1), STORIES[0]),
            item("https://thepeninsulaqatar.com/a", "peninsula", NIGHT, STORIES[0]),
            item("https://thepeninsulaqatar.com/only", "peninsula", NIGHT, STORIES[1]),
        ],
    )
    assert delete_source_articles(engine, "peninsula") == 2

    [story] = rows(
        engine, "SELECT s.copies, s.outlets, a.url FROM stories s JOIN articles a ON a.id = s.canonical_article_id"
    )
    assert (story["copies"], story["outlets"], story["url"]) == (1, ["gulf-times"], "https://gulf-times.com/a")
    for table in ("article_bands", "article_sentences"):
        # No foreign key keeps these in step (a trigger does), so look for rows of articles that are gone.
        orphans = (
            f"SELECT count(*) AS n FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.article_id)"
        )
        assert rows(engine, orphans) == [{"n": 0}]
    assert rows(engine, "SELECT count(DISTINCT article_id) AS n FROM article_bands") == [{"n": 1}]
    with engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE articles CASCADE")
    assert rows(
        engine, "SELECT (SELECT count(*) FROM article_bands) + (SELECT count(*) FROM article_sentences) AS n"
    ) == [{"n": 0}]


def test_signatures_of_an_older_algorithm_are_recomputed(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    load(
        engine,
        sources,
        tmp_path,
        "night",
        [item(f"https://gulf-times.com/{n}", "gulf-times", NIGHT, body) for n, body in enumerate(STORIES)]
        + [item("https://thepeninsulaqatar.com/0", "peninsula", NIGHT, STORIES[0][1:])],
    )
    before = partition(engine)
    current = rows(engine, "SELECT article_id, minhash FROM article_signatures ORDER BY article_id")
    with engine.begin() as connection:
        # As a release with the previous signature algorithm left them: other values under another name.
        connection.exec_driver_sql(
            "UPDATE article_signatures SET algorithm = 'wiredesk-oph/1 k=5 p=126 b=42', minhash = '\\x00'"
        )
        connection.exec_driver_sql("DELETE FROM article_bands")

    assert dedupe_pending(engine, None).articles == len(STORIES) + 1
    assert rows(engine, "SELECT DISTINCT algorithm FROM article_signatures") == [
        {"algorithm": DedupeParams().algorithm}
    ]
    assert rows(engine, "SELECT article_id, minhash FROM article_signatures ORDER BY article_id") == current
    assert rows(engine, "SELECT count(DISTINCT article_id) AS n FROM article_bands") == [{"n": len(STORIES) + 1}]
    assert partition(engine) == before


def test_a_rewrite_that_nearly_copies_one_story_does_not_merge_it_with_the_other(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    a, b = STORIES[3], STORIES[2]
    head_a, half_b = a[: len(a) * 2 // 3], b[: len(b) // 2]
    later = NIGHT + timedelta(hours=1)
    load(
        engine,
        sources,
        tmp_path,
        "night",
        [
            item("https://gulf-times.com/a", "gulf-times", NIGHT, a),
            item("https://gulf-times.com/b", "gulf-times", NIGHT, b, credit="Reuters"),
            item("https://thepeninsulaqatar.com/a-head", "peninsula", later, head_a),
            item("https://thepeninsulaqatar.com/b-head", "peninsula", later, half_b, credit="Reuters"),
            item("https://thepeninsulaqatar.com/merged", "peninsula", later + timedelta(hours=1), head_a + half_b),
        ],
    )
    by_url = stories_by_url(engine)
    links = rows(engine, "SELECT l.story_id FROM story_links l JOIN articles a ON a.id = l.article_id")

    assert by_url["https://thepeninsulaqatar.com/a-head"] == by_url["https://gulf-times.com/a"]
    assert by_url["https://thepeninsulaqatar.com/b-head"] == by_url["https://gulf-times.com/b"]
    assert by_url["https://gulf-times.com/a"] != by_url["https://gulf-times.com/b"]
    linked = {by_url["https://thepeninsulaqatar.com/merged"]} | {link["story_id"] for link in links}
    assert linked == {by_url["https://gulf-times.com/a"], by_url["https://gulf-times.com/b"]}


def test_a_reworded_update_joins_its_story_with_evidence_and_the_versions_read_in_order(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    body = STORIES[1]
    load(engine, sources, tmp_path, "first", [item("https://gulf-times.com/a", "gulf-times", NIGHT, body)])
    later = [
        item("https://thepeninsulaqatar.com/a", "peninsula", NIGHT + timedelta(hours=1), body[:-1]),
        item("https://gulf-times.com/update", "gulf-times", NIGHT + timedelta(hours=6), reworded(body[:-2])),
        item("https://gulf-times.com/other", "gulf-times", NIGHT + timedelta(hours=7), STORIES[3]),
    ]
    load(engine, sources, tmp_path, "second", later)
    by_url = stories_by_url(engine)
    edges = rows(
        engine,
        "SELECT a.url AS later, o.url AS earlier, e.* FROM story_edges AS e "
        "JOIN articles AS a ON a.id = e.article_id JOIN articles AS o ON o.id = e.other_article_id",
    )
    versions = rows(
        engine,
        "SELECT v.*, a.url FROM story_versions AS v JOIN articles AS a ON a.id = v.article_id "
        f"WHERE v.story_id = {by_url['https://gulf-times.com/a']} ORDER BY v.version",
    )

    assert by_url["https://gulf-times.com/update"] == by_url["https://gulf-times.com/a"]
    assert by_url["https://gulf-times.com/other"] != by_url["https://gulf-times.com/a"]
    aligned = [e for e in edges if e["scorer"] == "alignment"]
    assert aligned and all(e["later"] == "https://gulf-times.com/update" for e in aligned)
    assert all(e["score"] >= 0.55 and 0 < e["aligned_sentences"] <= e["sentences"] for e in aligned)
    assert {(e["later"], e["earlier"]) for e in edges if e["scorer"] == "shingles"} == {
        ("https://thepeninsulaqatar.com/a", "https://gulf-times.com/a")
    }
    assert [v["url"] for v in versions] == [
        "https://gulf-times.com/a",
        "https://thepeninsulaqatar.com/a",
        "https://gulf-times.com/update",
    ]
    assert [v["original"] for v in versions] == [True, False, False]
    assert {v["original_article_id"] for v in versions} == {versions[0]["article_id"]}
    assert versions[0]["joined_via"] is None
    assert (versions[1]["scorer"], versions[2]["scorer"]) == ("shingles", "alignment")


def test_the_offline_clusterer_and_the_warehouse_agree_on_reworded_versions(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    bodies = [STORIES[1], reworded(STORIES[1][:-2]), STORIES[2], reworded(STORIES[2][2:]), STORIES[4]]
    items = [
        item(f"https://gulf-times.com/{n}", "gulf-times", NIGHT + timedelta(hours=n), body)
        for n, body in enumerate(bodies)
    ]
    load(engine, sources, tmp_path, "night", items)
    copies = [
        Copy(str(n), "gulf-times", None, "\n".join(body), NIGHT + timedelta(hours=n)) for n, body in enumerate(bodies)
    ]
    offline = {a.id: a.story_id for a in cluster(copies)}
    by_url = stories_by_url(engine)

    assert partition(engine) == {
        frozenset(f"https://gulf-times.com/{n}" for n in group) for group in ({"0", "1"}, {"2", "3"}, {"4"})
    }
    assert {frozenset(k for k, v in offline.items() if v == s) for s in offline.values()} == {
        frozenset({"0", "1"}),
        frozenset({"2", "3"}),
        frozenset({"4"}),
    }
    assert len(set(by_url.values())) == 3
