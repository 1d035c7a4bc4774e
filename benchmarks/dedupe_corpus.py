"""The labelled corpus of the dedupe benchmark: real article bodies, and copies of them planted as outlets make them.

    from dedupe_corpus import build_corpus  # benchmarks/ on sys.path, as when running benchmarks/dedupe.py
    corpus = build_corpus(seed=7, scale=1)

Every ground-truth body of the article-extraction benchmark (at least `MIN_WORDS` words) and the bundled Peninsula
sample is the original of a story. Most stories get 3 to 6 copies of the kinds in `COPY_KINDS`; some stories are
merged into rewrites that take about half of each of two stories; `unrelated` items share a story's lead sentence
and names but are otherwise sentences of many other stories, so they must be linked to nothing. Stories on the same
subject (`SAME_TOPIC`) are real negatives too. The same seed and scale always give the same corpus.

The `REALISTIC_KINDS` behave like real updates and rewrites, whose copies share a third to a half of their 3-word
runs: a `rewrite` drops paragraphs, rewrites most of the others sentence by sentence (words dropped, replaced by
words of other stories, a clause moved to the front) and adds paragraphs; a `lede` rewrites the first paragraph; a
`shortened` version keeps the first third or so, its sentences rewritten or cut at a comma; a `correction` changes
a figure or a name and says so. An `agency` item is a second agency's account of a story's event: a rewritten lede,
a quote of the story's, and the story's names and figures in other stories' sentences. It is another story: it
must join nothing.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.resources import resource_dir

GROUND_TRUTH = Path(__file__).resolve().parent / "data" / "article-extraction" / "ground-truth.json"
SAMPLE = resource_dir("samples") / "peninsula-2022-01-22-us-russia-ukraine.txt"
MIN_WORDS = 80
COPY_KINDS = (
    "headline", "drop", "reorder", "boilerplate", "edits", "truncation", "update",
    "rewrite", "lede", "shortened", "correction",
)  # fmt: skip
REALISTIC_KINDS = ("rewrite", "lede", "shortened", "correction")
"""Copy kinds that behave like real updates and rewrites: few 5-word runs kept, most sentences recognisable."""
KINDS = ("original", *COPY_KINDS, "merged", "unrelated", "agency")
PLANTED_SHARE = 0.9
COPIES_PER_STORY = (3, 6)
MERGED_PER_REPLICA = 60
UNRELATED_PER_REPLICA = 60
AGENCY_PER_REPLICA = 60
EDIT_RATE = 0.05
REWRITE_SHARE = 0.6
"""Share of the kept paragraphs a `rewrite` copy rewrites."""
CORRECTIONS = (
    "Correction: An earlier version of this story misstated a figure.",
    "This story has been corrected to fix a name.",
    "(Corrects figure in paragraph {n})",
    "Editor's note: This article was updated to correct an error.",
)
AGENCY_TAGS = ("(AP)", "(Reuters)", "(AFP)", "(dpa)", "(UPI)")
# The ground truth was crawled on 18-19 November 2019; its bodies carry no date of their own.
GROUND_TRUTH_DAY = datetime(2019, 11, 18, 6, tzinfo=UTC)

REPUBLISHERS = (
    "gulf-times", "peninsula", "khaleej-times", "arab-news", "the-national", "dawn", "straits-times", "japan-times",
    "bangkok-post", "the-hindu", "france24", "yahoo-news", "msn", "daily-sabah", "jordan-times", "kuwait-times",
)  # fmt: skip
OUTLET_SUFFIXES = (" | Gulf Times", " - The Peninsula", " - AFP", " | Reuters", " (AP)", " | Arab News")
HEADLINE_PREFIXES = ("Analysis: ", "Explainer: ", "In brief: ", "Watch: ", "")
BOILERPLATE = (
    "Follow us on Twitter",
    "Read more:",
    "Subscribe to our newsletter",
    "© 2022 AFP",
    "Add Comment",
    "There are no comments.",
    "Share this article",
    "Advertisement",
    "Copyright 2022 Reuters. All rights reserved.",
    "Sign up for our morning briefing and get the day's top stories in your inbox.",
    "Download our app for the latest news and updates",
    "Join our WhatsApp channel",
)
# Distinct stories that share a subject, quotes or a site's boilerplate (found by shared 5-word shingles and by TF-IDF
# cosine of the ground-truth bodies): a clusterer must keep each apart from the others of its group.
SAME_TOPIC: dict[str, tuple[str, ...]] = {
    "wework investigation and layoffs": ("gt-06e5123e4ef7", "gt-1ace8c85aaee", "gt-bc13ff87b263"),
    "water vapour on Europa": ("gt-14cc2a0ca59c", "gt-686bb170effe", "gt-f344ca5fb36e"),
    "South Dakota meth campaign": ("gt-156770d676ce", "gt-3f65af7b6b98", "gt-776a1c046798", "gt-c13b9c0e04fb"),
    "Fort Worth kidnapping rescue": ("gt-2c46804d9db4", "gt-51d066b0602c"),
    "Doobie Brothers reunion tour": ("gt-35b158918c67", "gt-9cb8224b660f", "gt-ac1bfdd4c510"),
    "NASA lunar lander companies": ("gt-42aad16bde92", "gt-c00962aabe7b", "gt-c50845a7158a", "gt-d1c57d7821e5"),
    "Home Depot third quarter": ("gt-51374560f400", "gt-f8ff621a0b9b"),
    "Taylor Swift and Big Machine": ("gt-55bb6340e3d7", "gt-70cb2d5bca75", "gt-eb62ac8425e5"),
    "threat to kill Ilhan Omar": ("gt-6ebac05f637e", "gt-7a457a4f7173"),
    "feather duvet lung": ("gt-7bb1ca903543", "gt-9eef8162bbb6", "gt-a078b3656adc", "gt-bd673bd79881"),
    "Assange investigation dropped": ("gt-c7e39ac49fa1", "gt-dc7ccccc1f34"),
    "plague in China": ("gt-432362af0be4", "gt-8b1945303082", "gt-ba4dfe2d3e81", "gt-ea25dd7edff4"),
    "hibernating astronauts": ("gt-b37be3535e1f", "gt-e1c7023ee214"),
    "Google Stadia launch": ("gt-680c2848e94a", "gt-8267acacb9e4", "gt-aade2ec8d1e7", "gt-e100c9612ad8"),
    "Trump impeachment and Ukraine": (
        "gt-04a6711caa7c", "gt-7a664e40d256", "gt-82b6d780c792", "gt-c90731f051d0", "gt-f5c90a6d5253",
        "gt-aec5deeaada8",
    ),
    "Epstein and Prince Andrew": ("gt-1f765c487806", "gt-87bf60570e6e", "gt-c58aa507c4de"),
    "Hong Kong": ("gt-360c732d1fdb", "gt-5fa3154ec031", "gt-624fcd903d56", "gt-e4c6a3b48240"),
    "US-China trade war": ("gt-702d1da63b8e", "gt-39d5c43beb60", "gt-b6906ca016bb", "gt-57d46c9d751e"),
    "new MacBook Pro keyboard": ("gt-232a43fb15ab", "gt-5fa5679de56c", "gt-65bf3048b500"),
    "Apple deals": ("gt-ad826691a8a2", "gt-cc4aa22b8212", "gt-e7d77f186980"),
    "US and Russia": ("peninsula-2022-01-22", "gt-1ee91d1fce65"),
    "Browns-Steelers fight": ("gt-08f793762792", "gt-7ab16ade3238"),
    "Ascom partnerships": ("gt-5ae11e580afc", "gt-c69e539d689a"),
    "new electric cars": ("gt-05844573ca7e", "gt-06ee193de4bd", "gt-3cb22bfabed8", "gt-3cb5e2f46626"),
    "Afghanistan and the Taliban": ("gt-7916ecca969f", "gt-a1fca19b884e"),
    "my6sense press releases": ("gt-57e2e98887a1", "gt-dfd43bc0d46e"),
    "Jeongdong Theater pages": ("gt-521118842884", "gt-8cad00dc22de"),
    "comoeducarseusfilhos posts": ("gt-23aaecd14171", "gt-3252222e61fe"),
    "bigbrandsystem posts": ("gt-c582d3b77257", "gt-ec7fc408c5ce"),
    "entermedia columns": ("gt-0ec95c7261d1", "gt-9da36ae4714b"),
}  # fmt: skip

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(]?[^\sa-z])|(?<=[.!?][\"”’)])\s+(?=[\"“‘(]?[^\sa-z])")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*")
_NOT_NAMES = frozenset(
    [
        "A",
        "An",
        "The",
        "In",
        "On",
        "At",
        "But",
        "And",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "This",
        "That",
        "His",
        "Her",
        "Its",
        "Mr",
        "Mrs",
        "Ms",
    ]
)


@dataclass(frozen=True, slots=True)
class Story:
    """An original article: the text every copy of its story is made from."""

    id: str
    source: str
    title: str
    paragraphs: tuple[str, ...]
    published_at: datetime

    @property
    def sentences(self) -> list[str]:
        """The body's sentences, in order."""
        return [s for p in self.paragraphs for s in _SENTENCE_END.split(p) if s]


@dataclass(frozen=True, slots=True)
class CorpusItem:
    """One article of the corpus, labelled with the story (or two) it belongs to."""

    id: str
    """Unique within the corpus."""
    source: str
    """Slug of the outlet that published it."""
    title: str
    body: str
    """Paragraphs separated by newlines."""
    published_at: datetime
    story: str
    """The original's id; an unrelated item is a story of its own."""
    kind: str
    """`original`, one of `COPY_KINDS`, `merged` or `unrelated`."""
    also_story: str | None = None
    """The second story a merged rewrite takes from."""

    @property
    def stories(self) -> frozenset[str]:
        """Every story the item belongs to."""
        return frozenset((self.story,) if self.also_story is None else (self.story, self.also_story))


def build_corpus(seed: int = 7, scale: int = 1) -> list[CorpusItem]:
    """The originals and `scale` rounds of planted copies, merged rewrites and unrelated items, by publication time."""
    if scale < 1:
        raise ValueError("scale must be >= 1")
    stories = load_stories()
    items = [_original(story) for story in stories]
    for replica in range(scale):
        items += plant(stories, random.Random(f"{seed}/{replica}"), replica)
    return sorted(items, key=lambda item: (item.published_at, item.id))


def load_stories(ground_truth: Path = GROUND_TRUTH, sample: Path = SAMPLE) -> list[Story]:
    """The originals: each ground-truth body of at least `MIN_WORDS` words, then the Peninsula sample."""
    records = json.loads(ground_truth.read_text(encoding="utf-8"))
    stories = []
    for key in sorted(records):
        url, body = records[key]["url"], records[key]["articleBody"]
        if len(body.split()) < MIN_WORDS:
            continue
        paragraphs = as_paragraphs(body)
        published = GROUND_TRUTH_DAY + timedelta(minutes=int(key[:8], 16) % (36 * 60))
        stories.append(
            Story(f"gt-{key[:12]}", outlet_slug(url), title_from_url(url, paragraphs[0]), paragraphs, published)
        )
    stories.append(peninsula_story(sample))
    if len({story.id for story in stories}) != len(stories):
        raise ValueError("two ground-truth ids share their first 12 characters")
    return stories


def peninsula_story(sample: Path = SAMPLE) -> Story:
    """The bundled Peninsula page: its headline, and its body up to the comment box."""
    lines = [line.strip() for line in sample.read_text(encoding="utf-8").splitlines() if line.strip()]
    # Ticker, headline, attribution, date line, then the body down to "Add Comment".
    body = tuple(lines[4 : lines.index("Add Comment")])
    return Story("peninsula-2022-01-22", "peninsula", lines[1], body, datetime(2022, 1, 21, 21, 28, tzinfo=UTC))


def as_paragraphs(body: str) -> tuple[str, ...]:
    """The body's non-empty lines; a body of fewer than five is regrouped into paragraphs of ~40 words of sentences."""
    lines = tuple(line.strip() for line in body.splitlines() if line.strip())
    if len(lines) >= 5:
        return lines
    paragraphs: list[str] = []
    current: list[str] = []
    for sentence in (s for line in lines for s in _SENTENCE_END.split(line) if s):
        current.append(sentence)
        if sum(len(s.split()) for s in current) >= 40:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return tuple(paragraphs) if len(paragraphs) > len(lines) else lines


def outlet_slug(url: str) -> str:
    """The outlet's name in a URL's host: `www.nytimes.com` -> `nytimes`, `entermedia.co.kr` -> `entermedia`."""
    labels = (urlsplit(url).hostname or "unknown").removeprefix("www.").split(".")
    second_level = len(labels) >= 3 and labels[-2] in {"co", "com", "org", "net", "ac"} and len(labels[-1]) == 2
    name = labels[-3] if second_level else labels[-2] if len(labels) >= 2 else labels[0]
    return re.sub(r"[^a-z0-9]+", "-", name.lower())


def title_from_url(url: str, lead: str) -> str:
    """A headline from the URL's slug, else from the lead's first words."""
    best: list[str] = []
    for segment in urlsplit(url).path.split("/"):
        words = [w for w in re.sub(r"\.\w+$", "", segment).split("-") if w and not _is_id(w)]
        if len(words) > len(best) and segment.count("-") >= 2:
            best = words
    if len(best) < 3:
        best = _SENTENCE_END.split(lead)[0].split()[:10]
    title = " ".join(best).rstrip(".,;:")
    return title[:1].upper() + title[1:]


def _is_id(word: str) -> bool:
    return (word.isdigit() and len(word) >= 4) or (len(word) >= 6 and any(c.isdigit() for c in word))


def same_topic_pairs() -> list[tuple[str, str]]:
    """Every pair of distinct stories that share a subject in `SAME_TOPIC`."""
    return [pair for group in SAME_TOPIC.values() for pair in combinations(group, 2)]


def plant(stories: Sequence[Story], rng: random.Random, replica: int) -> list[CorpusItem]:
    """One round of copies, merged rewrites and unrelated items, with ids marked by `replica`."""
    words = _other_words(stories)
    chosen = rng.sample(list(stories), round(PLANTED_SHARE * len(stories)))
    counts = [rng.randint(*COPIES_PER_STORY) for _ in chosen]
    deck = list(COPY_KINDS) * math.ceil(sum(counts) / len(COPY_KINDS))
    rng.shuffle(deck)
    items = []
    for story, count in zip(chosen, counts, strict=True):
        for n in range(count):
            kind = next((k for k in deck if _feasible(story, k)), "headline")
            if kind in deck:
                deck.remove(kind)
            items.append(_copy(story, kind, f"{story.id}~{kind}~{replica}.{n}", rng, words))
    for n, story in enumerate(rng.sample([s for s in stories if len(s.paragraphs) >= 2], MERGED_PER_REPLICA)):
        items.append(_merged(story, _merge_partner(story, stories, rng), f"{story.id}~merged~{replica}.{n}", rng))
    for n, story in enumerate(rng.sample(list(stories), UNRELATED_PER_REPLICA)):
        items.append(_unrelated(story, stories, f"unrelated~{story.id}~{replica}.{n}", rng))
    for n, story in enumerate(rng.sample(list(stories), AGENCY_PER_REPLICA)):
        items.append(_agency(story, stories, words, f"agency~{story.id}~{replica}.{n}", rng))
    return items


def _original(story: Story) -> CorpusItem:
    body = "\n".join(story.paragraphs)
    return CorpusItem(story.id, story.source, story.title, body, story.published_at, story.id, "original")


def _feasible(story: Story, kind: str) -> bool:
    """Whether `kind` can be made of the story: a drop keeps at least three paragraphs, a reorder keeps the lead."""
    minimum = {"drop": 4, "reorder": 3, "truncation": 2, "rewrite": 4, "lede": 2, "shortened": 3}.get(kind, 1)
    return len(story.paragraphs) >= minimum and (kind != "update" or len(_long_sentences(story)) >= 2)


def _copy(story: Story, kind: str, item_id: str, rng: random.Random, words: Sequence[str]) -> CorpusItem:
    """A republished copy of `story` of the given kind (`words`: the words a rewrite brings of its own)."""
    paragraphs = VARIANTS[kind](story, rng) if kind in VARIANTS else REWRITES[kind](story, words, rng)
    source = rng.choice([s for s in REPUBLISHERS if s != story.source])
    published = story.published_at + timedelta(minutes=rng.randint(10, 36 * 60))
    body = "\n".join(paragraphs)
    return CorpusItem(item_id, source, _copy_title(story, kind, rng), body, published, story.id, kind)


def _copy_title(story: Story, kind: str, rng: random.Random) -> str:
    """A new headline for `headline` copies; else the original's, often with the outlet's suffix."""
    if kind == "headline":
        words = story.sentences[0].split()
        start = rng.randint(0, min(3, max(0, len(words) - 6)))
        title = " ".join(words[start : start + rng.randint(7, 11)]).rstrip('.,;:“”"')
        title = rng.choice(HEADLINE_PREFIXES) + title[:1].upper() + title[1:]
        return title if title != story.title else f"{title} (updated)"
    if kind == "update" and rng.random() < 0.5:
        return f"UPDATE {rng.randint(1, 3)}-{story.title}"
    return story.title if rng.random() < 0.5 else story.title + rng.choice(OUTLET_SUFFIXES)


def same_body(story: Story, rng: random.Random) -> list[str]:
    """The original's paragraphs, unchanged."""
    return list(story.paragraphs)


def drop_paragraphs(story: Story, rng: random.Random) -> list[str]:
    """One to three paragraphs other than the lead dropped, at least three kept."""
    paragraphs = story.paragraphs
    dropped = set(rng.sample(range(1, len(paragraphs)), rng.randint(1, min(3, len(paragraphs) - 3))))
    return [p for i, p in enumerate(paragraphs) if i not in dropped]


def reorder_paragraphs(story: Story, rng: random.Random) -> list[str]:
    """A few paragraphs after the lead swapped."""
    paragraphs = list(story.paragraphs)
    while paragraphs == list(story.paragraphs):
        for _ in range(rng.randint(1, max(1, min(3, (len(paragraphs) - 1) // 2)))):
            i, j = rng.sample(range(1, len(paragraphs)), 2)
            paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    return paragraphs


def add_boilerplate(story: Story, rng: random.Random) -> list[str]:
    """Two to four boilerplate lines, mostly at the end, some at the top or in between."""
    paragraphs = list(story.paragraphs)
    for line in rng.sample(BOILERPLATE, rng.randint(2, 4)):
        where = rng.random()
        position = len(paragraphs) if where < 0.6 else 0 if where < 0.75 else rng.randint(1, len(paragraphs))
        paragraphs.insert(position, line)
    return paragraphs


def edit_words(story: Story, rng: random.Random) -> list[str]:
    """`EDIT_RATE` of the words replaced, deleted, or preceded by an inserted word of the same story."""
    tokens = [paragraph.split() for paragraph in story.paragraphs]
    vocabulary = sorted({word for paragraph in tokens for word in paragraph})
    positions = [(i, j) for i, paragraph in enumerate(tokens) for j in range(len(paragraph))]
    # From the end, so that an insertion or deletion does not shift the positions still to edit.
    for i, j in sorted(rng.sample(positions, max(1, round(EDIT_RATE * len(positions)))), reverse=True):
        operation = rng.choice(("replace", "delete", "insert"))
        if operation == "replace":
            tokens[i][j] = rng.choice([w for w in rng.sample(vocabulary, 3) if w != tokens[i][j]] or ["the"])
        elif operation == "delete" and len(tokens[i]) > 1:
            del tokens[i][j]
        else:
            tokens[i].insert(j, rng.choice(vocabulary))
    return [" ".join(paragraph) for paragraph in tokens]


def truncate(story: Story, rng: random.Random) -> list[str]:
    """Only the first 40-70% of the paragraphs."""
    count = len(story.paragraphs)
    return list(story.paragraphs[: max(1, min(count - 1, round(count * rng.uniform(0.4, 0.7))))])


def add_update(story: Story, rng: random.Random) -> list[str]:
    """The original with one to three new paragraphs, each spliced from halves of the story's own sentences."""
    paragraphs = list(story.paragraphs)
    sentences = _long_sentences(story)
    for _ in range(rng.randint(1, 3)):
        splices = []
        for _ in range(rng.randint(1, 2)):
            first, second = (s.split() for s in rng.sample(sentences, 2))
            splices.append(" ".join(first[: len(first) // 2] + second[len(second) // 2 :]))
        position = len(paragraphs) if rng.random() < 0.7 else 1
        paragraphs.insert(position, " ".join(splices))
    return paragraphs


VARIANTS: dict[str, Callable[[Story, random.Random], list[str]]] = {
    "headline": same_body,
    "drop": drop_paragraphs,
    "reorder": reorder_paragraphs,
    "boilerplate": add_boilerplate,
    "edits": edit_words,
    "truncation": truncate,
    "update": add_update,
}


def rewrite_update(story: Story, words: Sequence[str], rng: random.Random) -> list[str]:
    """An update rewritten: paragraphs after the lead dropped, `REWRITE_SHARE` of the others rewritten sentence by
    sentence, and one or two new paragraphs of the story's rewritten sentences."""
    paragraphs = list(story.paragraphs)
    dropped = set(rng.sample(range(1, len(paragraphs)), rng.randint(1, max(1, (len(paragraphs) - 1) // 4))))
    kept = [p for i, p in enumerate(paragraphs) if i not in dropped]
    rewritten = [rewrite_paragraph(p, words, rng) if rng.random() < REWRITE_SHARE else p for p in kept]
    for _ in range(rng.randint(1, 2)):
        source = rng.choice(_long_sentences(story) or story.sentences)
        rewritten.insert(rng.randint(1, len(rewritten)), rewrite_sentence(source, words, rng))
    return rewritten


def rewrite_lede(story: Story, words: Sequence[str], rng: random.Random) -> list[str]:
    """The first paragraph rewritten, with a new first sentence; the rest as it was."""
    lede = rewrite_paragraph(story.paragraphs[0], words, rng)
    opening = rewrite_sentence(rng.choice(_long_sentences(story) or story.sentences), words, rng)
    return [f"{opening} {lede}", *story.paragraphs[1:]]


def shorten(story: Story, words: Sequence[str], rng: random.Random) -> list[str]:
    """The first 25-45% of the paragraphs, each sentence rewritten or cut at its last comma, or kept."""
    count = max(1, round(len(story.paragraphs) * rng.uniform(0.25, 0.45)))
    kept = []
    for paragraph in story.paragraphs[:count]:
        sentences = []
        for sentence in _SENTENCE_END.split(paragraph):
            choice = rng.random()
            if choice < 0.4:
                sentence = rewrite_sentence(sentence, words, rng)
            elif choice < 0.7 and "," in sentence[: len(sentence) * 3 // 4]:
                sentence = sentence[: sentence.rindex(",", 0, len(sentence) * 3 // 4)] + "."
            sentences.append(sentence)
        kept.append(" ".join(sentences))
    return kept


def correct(story: Story, words: Sequence[str], rng: random.Random) -> list[str]:
    """A figure (or, without one, a name) changed in one paragraph, and a line that says the story was corrected."""
    paragraphs = list(story.paragraphs)
    n = rng.randrange(len(paragraphs))
    figure = re.search(r"\d+", paragraphs[n])
    if figure:
        changed = str(int(figure.group()) + rng.randint(1, 9))
        paragraphs[n] = paragraphs[n][: figure.start()] + changed + paragraphs[n][figure.end() :]
    else:
        names = story_names(story)
        if names:
            paragraphs[n] = paragraphs[n].replace(names[0], rng.choice(names[1:] or ["Smith"]), 1)
    note = rng.choice(CORRECTIONS).format(n=n + 1)
    return [note, *paragraphs] if rng.random() < 0.3 else [*paragraphs, note]


REWRITES: dict[str, Callable[[Story, Sequence[str], random.Random], list[str]]] = {
    "rewrite": rewrite_update,
    "lede": rewrite_lede,
    "shortened": shorten,
    "correction": correct,
}


def rewrite_paragraph(paragraph: str, words: Sequence[str], rng: random.Random) -> str:
    """Each of the paragraph's sentences rewritten."""
    return " ".join(rewrite_sentence(s, words, rng) for s in _SENTENCE_END.split(paragraph) if s)


def rewrite_sentence(sentence: str, words: Sequence[str], rng: random.Random) -> str:
    """The sentence as a rewriter might put it: its last clause moved to the front half the time, then about one
    word in six dropped, one in six replaced by a word of other stories (a synonym stands for one), and now and
    then a word put in."""
    clauses = sentence.rstrip(".").rsplit(", ", 1)
    if len(clauses) == 2 and rng.random() < 0.5:
        sentence = f"{clauses[1][:1].upper()}{clauses[1][1:]}, {clauses[0][:1].lower()}{clauses[0][1:]}."
    out = []
    for word in sentence.split():
        roll = rng.random()
        if roll < 0.16:
            continue
        out.append(rng.choice(words) if roll < 0.32 else word)
        if rng.random() < 0.05:
            out.append(rng.choice(words))
    text = " ".join(out) or sentence
    return text if text.endswith((".", "!", "?", '"', "”")) else text + "."


def _other_words(stories: Sequence[Story]) -> list[str]:
    """Lowercase words of the stories, for rewriting (a rewrite brings words of its own)."""
    return sorted({w for s in stories for p in s.paragraphs for w in re.findall(r"[a-z]{4,}", p)})


def _agency(
    story: Story, stories: Sequence[Story], words: Sequence[str], item_id: str, rng: random.Random
) -> CorpusItem:
    """A second agency's account of the story's event: its lede rewritten, one of its quotes, and sentences of
    5-8 other stories carrying its names and figures."""
    names = story_names(story) or story.title.split()[:3]
    figures = re.findall(r"\d+", story.paragraphs[0] + " ".join(story.paragraphs[1:3])) or ["2"]
    donors = rng.sample([s for s in stories if s.id != story.id], rng.randint(5, 8))
    borrowed = []
    for donor in donors:
        sentence = rng.choice([s for s in donor.sentences if len(s.split()) >= 8] or donor.sentences)
        sentence = _NAME.sub(lambda _: rng.choice(names), sentence)
        borrowed.append(re.sub(r"\d+", lambda _: rng.choice(figures), sentence))
    quotes = [s for s in story.sentences if "“" in s or '"' in s]
    lede = f"{rng.choice(AGENCY_TAGS)} {rewrite_sentence(story.sentences[0], words, rng)}"
    sentences = [lede, *borrowed[:2], *(rng.sample(quotes, 1) if quotes else []), *borrowed[2:]]
    paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    published = story.published_at + timedelta(minutes=rng.randint(-6 * 60, 6 * 60))
    source = rng.choice(REPUBLISHERS)
    return CorpusItem(item_id, source, story.title, "\n".join(paragraphs), published, item_id, "agency")


def _long_sentences(story: Story) -> list[str]:
    return [s for s in story.sentences if len(s.split()) >= 6]


def _merge_partner(story: Story, stories: Sequence[Story], rng: random.Random) -> Story:
    """Another story of comparable length, from the same subject half the time when there is one."""
    size = _word_count(story)
    comparable = [
        s for s in stories if s.id != story.id and len(s.paragraphs) >= 2 and 2 / 3 <= _word_count(s) / size <= 3 / 2
    ]
    group = next((g for g in SAME_TOPIC.values() if story.id in g), ())
    kin = [s for s in comparable if s.id in group]
    if kin and rng.random() < 0.5:
        return rng.choice(kin)
    return rng.choice(comparable or [s for s in stories if s.id != story.id])


def _word_count(story: Story) -> int:
    return sum(len(p.split()) for p in story.paragraphs)


def _first_half(story: Story) -> list[str]:
    """The leading paragraphs that hold the nearest to half of the story's words (at least one, not all)."""
    total, running, cut = _word_count(story), 0, 1
    for count, paragraph in enumerate(story.paragraphs[:-1], 1):
        before, running = running, running + len(paragraph.split())
        if running >= total / 2:
            cut = count if running - total / 2 <= total / 2 - before or count == 1 else count - 1
            break
    else:
        cut = max(1, len(story.paragraphs) - 1)
    return list(story.paragraphs[:cut])


def _merged(first: Story, second: Story, item_id: str, rng: random.Random) -> CorpusItem:
    """A rewrite of about half of each story's words, one after the other or interleaved by paragraph."""
    half_first, half_second = _first_half(first), _first_half(second)
    if rng.random() < 0.5:
        paragraphs = half_first + half_second
    else:
        paragraphs = [p for pair in zip(half_first, half_second, strict=False) for p in pair]
        shorter = min(len(half_first), len(half_second))
        paragraphs += half_first[shorter:] + half_second[shorter:]
    published = max(first.published_at, second.published_at) + timedelta(minutes=rng.randint(30, 24 * 60))
    source = rng.choice([s for s in REPUBLISHERS if s not in {first.source, second.source}])
    body = "\n".join(paragraphs)
    return CorpusItem(item_id, source, first.title, body, published, first.id, "merged", second.id)


def _unrelated(story: Story, stories: Sequence[Story], item_id: str, rng: random.Random) -> CorpusItem:
    """The story's lead sentence, then one sentence each of 6-10 other stories with the story's names put in."""
    names = story_names(story)
    donors = rng.sample([s for s in stories if s.id != story.id], rng.randint(6, 10))
    borrowed = []
    for donor in donors:
        sentence = rng.choice([s for s in donor.sentences if len(s.split()) >= 8] or donor.sentences)
        borrowed.append(_NAME.sub(lambda _: rng.choice(names), sentence) if names else sentence)
    paragraphs = [" ".join([story.sentences[0], borrowed[0]])]
    for start in range(1, len(borrowed), 2):
        paragraphs.append(" ".join(borrowed[start : start + 2]))
    lead_names = " and ".join(names[:2]) if names else " ".join(story.title.split()[:4])
    title = f"{lead_names}: " + " ".join(borrowed[1].split()[:6]).rstrip(".,;:")
    published = story.published_at + timedelta(minutes=rng.randint(-6 * 60, 24 * 60))
    source = rng.choice(REPUBLISHERS)
    return CorpusItem(item_id, source, title, "\n".join(paragraphs), published, item_id, "unrelated")


def story_names(story: Story) -> list[str]:
    """The story's eight most frequent capitalized names, not counting a sentence's first word."""
    counts = Counter(name for sentence in story.sentences for name in _NAME.findall(sentence) if name not in _NOT_NAMES)
    return [name for name, _ in counts.most_common(8)]
