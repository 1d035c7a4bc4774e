"""Cluster a set of copies into stories in memory, touching no database (`wiredesk dedupe --jsonl`)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.dedupe.minhash import signatures
from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.planner import Holder, Neighbourhood, NewStory, Placement, plan
from pipeline.dedupe.stories import Member, candidate_pairs, canonical
from pipeline.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Copy:
    """One article given to the offline clusterer."""

    id: str
    source: str
    title: str | None
    body: str
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one copy landed: its story (named after the story's canonical copy) and the other stories it
    rewrites, when it is a merged rewrite."""

    id: str
    story_id: str
    canonical: bool
    also_in: tuple[str, ...] = ()


def cluster(copies: Sequence[Copy], params: DedupeParams | None = None) -> list[Assignment]:
    """Each copy's story, in input order."""
    params = params or DedupeParams()
    ids = [copy.id for copy in copies]
    if len(set(ids)) != len(ids):
        raise ValueError("copy ids must be unique")
    signed = signatures([copy.body for copy in copies], params)
    members = [
        Member(copy.id, copy.published_at, sig.words, sig.content_hash, sig)
        for copy, sig in zip(copies, signed, strict=True)
    ]
    # Nothing is stored: the copies hold each other's sentences, whole.
    own = tuple(Holder(member, len(member.signature.sentences)) for member in members)
    placement = plan(members, candidate_pairs(members, params), Neighbourhood(holders=own, relinked=own), params)
    return _assignments(members, placement)


def _assignments(members: list[Member[str]], placement: Placement[str]) -> list[Assignment]:
    """`placement` carried out in memory, each story named after its canonical copy."""
    by_key = {member.key: member for member in members}
    names = [canonical(by_key[key] for key in story).key for story in placement.new_stories]
    story_of = {key: name for name, story in zip(names, placement.new_stories, strict=True) for key in story}
    also: dict[str, dict[str, None]] = defaultdict(dict)
    for link in placement.links:
        # Only new stories exist here; a stored story's id would stand for itself.
        name = names[link.story.index] if isinstance(link.story, NewStory) else str(link.story)
        if name != story_of[link.article]:
            also[link.article][name] = None
    return [
        Assignment(member.key, story_of[member.key], story_of[member.key] == member.key, tuple(also[member.key]))
        for member in members
    ]


@dataclass(frozen=True, slots=True)
class OfflineStories:
    """What clustering a file of copies gave: each copy's story, and the lines that could not be read."""

    assignments: list[Assignment]
    skipped: list[str]
    """One message per line that is not a copy, naming the file and line."""


def dedupe_file(path: Path, params: DedupeParams | None = None) -> OfflineStories:
    """Cluster the copies of a `{"id", "source", "title", "body", "published_at"}` JSON-lines file into stories in
    memory, touching no database; ConfigError when the file cannot be read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    copies, skipped = [], []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                copies.append(parse_copy(line, f"{path}:{number}"))
            except ValueError as error:
                skipped.append(str(error))
    return OfflineStories(cluster(copies, params), skipped)


def parse_copy(line: str, origin: str) -> Copy:
    """One `{"id", "source", "title", "body", "published_at"}` line; raises ValueError naming `origin`."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{origin}: not JSON: {error}") from error
    if not isinstance(item, dict):
        raise ValueError(f"{origin}: not a JSON object")
    for key in ("id", "body"):
        if not isinstance(item.get(key), str | int) or item.get(key) == "":
            raise ValueError(f"{origin}: {key!r} is missing or not a string")
    published = item.get("published_at")
    return Copy(
        id=str(item["id"]),
        source=str(item.get("source") or ""),
        title=item.get("title") if isinstance(item.get("title"), str) else None,
        body=str(item["body"]),
        published_at=_aware(published, origin) if published else None,
    )


def _aware(value: object, origin: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ValueError(f"{origin}: published_at {value!r} is not an ISO 8601 time") from error
    if moment.tzinfo is None:
        raise ValueError(f"{origin}: published_at {value!r} has no time zone")
    return moment
