"""Parse a credit line (`AFP/Reuters/ Geneva`, `By Joseph Varghese / The Peninsula`) into its parts.

Grammar, applied to one whole line (anything that does not fit is not an attribution line)::

    line      := [prefix ":"] segments          prefix: a place ("Doha: QNA") or "Source:"
    segments  := segment (SEP segment)*         SEP: "/", "|", or "-", "–", "—" with spaces around
    segment   := agency-list | by | place "(" agency ")" | "(" agency ")" | plain
    agency-list := piece ("," | " and " | " & ") piece ...   split only when a piece is an agency or outlet
    by        := "By " piece ("," | " and " | " & ") piece ...

An *anchor* is an agency (`AFP`, `Agence France-Presse`, `Agencies`...), the outlet itself (any of
`outlet_names`, case-insensitive), a generic desk (`Staff Reporter`, `Web Desk`...), or a `By` segment naming
someone. Plain segments before the first anchor are authors (`Joseph Varghese / The Peninsula`); after it,
the last is the dateline and earlier ones are authors (`AFP / Sanaullah Ataie / Kabul`). Authors must look
like a person's name (two to five capitalised words), so places, desks and organisations never become authors.

A line is an attribution line only if it has at most 12 words, does not end in sentence punctuation, and has
an anchor; a sentence, a headline, or a lone place name is not one. `Photo: AFP` credits a picture, not the
story, so it is not one either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

_AGENCY_FORMS: dict[str, tuple[str, ...]] = {
    "AFP": ("afp", "agence france-presse", "agence france presse", "france-presse", "france presse"),
    "Reuters": ("reuters", "thomson reuters", "reuters news agency"),
    "AP": ("ap", "associated press", "the associated press"),
    "QNA": ("qna", "qatar news agency"),
    "dpa": ("dpa", "deutsche presse-agentur", "deutsche presse agentur"),
    "ANI": ("ani", "asian news international"),
    "PTI": ("pti", "press trust of india"),
    "Xinhua": ("xinhua", "xinhua news agency"),
    "WAM": ("wam", "emirates news agency"),
    "SPA": ("spa", "saudi press agency"),
    "KUNA": ("kuna", "kuwait news agency"),
    # AA is Anadolu's own abbreviation: one agency, one name, so copies credited either way group together.
    "Anadolu": ("anadolu", "anadolu agency", "aa"),
    "IANS": ("ians", "indo-asian news service"),
    "UNI": ("uni", "united news of india"),
    "Bloomberg": ("bloomberg", "bloomberg news"),
    "EFE": ("efe", "agencia efe"),
    "ANSA": ("ansa",),
    "Kyodo": ("kyodo", "kyodo news"),
    "Yonhap": ("yonhap", "yonhap news agency"),
    "Bernama": ("bernama",),
    "TASS": ("tass", "itar-tass"),
    "IRNA": ("irna", "islamic republic news agency"),
    "MENA": ("mena", "middle east news agency"),
    "BNA": ("bna", "bahrain news agency"),
    "ONA": ("ona", "oman news agency"),
    "APP": ("app", "associated press of pakistan"),
    "SANA": ("sana", "syrian arab news agency"),
    "WAFA": ("wafa",),
    "Petra": ("petra", "jordan news agency"),
    "Agencies": ("agencies", "news agencies", "wire services", "wires"),
}
_AGENCIES = {form: name for name, forms in _AGENCY_FORMS.items() for form in forms}
_DESKS = frozenset(
    {"staff reporter", "staff writer", "staff correspondent", "our correspondent", "special correspondent"}
    | {"web desk", "online desk", "news desk", "newsroom"}
)
# Words that make a capitalised phrase an organisation or a desk rather than a person.
_ORGANISATION_WORDS = frozenset(
    {
        *("agency", "agencies", "news", "press", "ministry", "office", "council", "desk", "staff", "bureau"),
        *("reporter", "reporters", "correspondent", "team", "editorial", "department", "media", "service"),
        *("services", "network", "times", "tribune", "gazette", "online", "newsroom", "post", "herald", "journal"),
        *("chronicle", "daily", "magazine", "telegraph", "courier", "inquirer", "weekly", "newspaper", "radio"),
        *("tv", "television", "channel", "broadcasting", "inc", "ltd", "llc", "gmbh", "corp", "corporation", "plc"),
        *("company", "group", "university", "institute", "foundation", "association", "society", "redaktion"),
    }
)
_NAME_PARTICLES = frozenset(
    {"al", "el", "bin", "bint", "ibn", "abu", "de", "del", "della", "da", "di", "du", "van", "von", "der"}
    | {"den", "le", "la", "dos", "das"}
)
_OUTLET_DESK_SUFFIXES = ("staff", "staff reporter", "online", "web desk", "news desk")
_SOURCE_PREFIXES = frozenset({"source", "sources", "credit", "credits"})
_PHOTO_PREFIXES = frozenset({"photo", "photos", "file photo", "image", "images", "pic", "picture", "video"})

_SEPARATOR = re.compile(r"\s*[/|]\s*|\s+[-–—]\s+")
_LIST_SEPARATOR = re.compile(r"(\s*,\s*|\s+(?:and|&)\s+)", re.IGNORECASE)
_BY = re.compile(r"by\s+(.+)", re.IGNORECASE)
_PREFIX = re.compile(r"([^:/|()]{2,40}?)\s*:\s*(\S.*)")
_PARENTHESIZED = re.compile(r"(.*?)\s*\(([^()]+)\)")
_ABBREVIATION_END = re.compile(r"(?:[A-Za-z]\.){2,}$")  # "Washington, D.C." ends in a period but no sentence
_PLACE = re.compile(r"[^\W\d_][^\W\d_ .,'’-]*(?:[ .,'’-]+[^\W\d_]+)*\.?")
_SENTENCE_END = frozenset(".!?;:,…")
_MAX_WORDS = 12


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a story is credited to and where it was filed from, as one credit line gives it."""

    agencies: tuple[str, ...]
    """Canonical agency names in the order given (`AFP`, `Reuters`); `Agencies` for a generic wire credit."""
    authors: tuple[str, ...]
    """People credited; never an agency, an organisation or a desk."""
    dateline: str | None
    """The place the story was filed from, as written (`Geneva`, `Washington, DC`)."""


@dataclass(slots=True)
class _Credits:
    """Pieces gathered while walking the segments of one line."""

    outlets: frozenset[str]
    agencies: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    place: str | None = None
    anchored: bool = False

    def add_agency(self, name: str) -> None:
        self.anchored = True
        if name not in self.agencies:
            self.agencies.append(name)

    def add_plain(self, text: str) -> None:
        (self.after if self.anchored else self.before).append(text)


def parse_attribution(line: str, outlet_names: Sequence[str] = ()) -> Attribution | None:
    """None when the line is not an attribution line."""
    text = " ".join(line.split())
    if not _has_credit_shape(text):
        return None
    credits = _Credits(outlets=_outlet_keys(outlet_names))
    rest = _take_prefix(credits, text)
    if rest is None:
        return None
    for segment in _segments(rest, credits.outlets):
        _add_segment(credits, segment)
    if not credits.anchored:
        return None
    return _finish(credits)


def _has_credit_shape(text: str) -> bool:
    if not text or len(text.split()) > _MAX_WORDS:
        return False
    return text[-1] not in _SENTENCE_END or _ABBREVIATION_END.search(text) is not None


def _outlet_keys(outlet_names: Sequence[str]) -> frozenset[str]:
    names = {name.casefold().strip() for name in outlet_names if name.strip()}
    names |= {name.removeprefix("the ") for name in names}
    # "Peninsula Staff", "The Peninsula Online": the outlet's own people, not authors.
    names |= {f"{name} {desk}" for name in names for desk in _OUTLET_DESK_SUFFIXES}
    return frozenset(names | _DESKS)


def _take_prefix(credits: _Credits, text: str) -> str | None:
    """Strip a `Doha:` or `Source:` prefix; None for a photo credit, which credits no story."""
    match = _PREFIX.fullmatch(text)
    if match is None:
        return text
    prefix, rest = match.group(1), match.group(2)
    key = prefix.casefold()
    if key in _PHOTO_PREFIXES:
        return None
    if key not in _SOURCE_PREFIXES and _looks_like_place(prefix):
        credits.place = prefix
    return rest


def _segments(text: str, outlets: frozenset[str]) -> Iterator[str]:
    for part in _SEPARATOR.split(text):
        part = part.strip()
        if part.startswith("(") and part.endswith(")"):
            part = part[1:-1].strip()
        if not part:
            continue
        if _BY.fullmatch(part):
            yield part
        else:
            yield from _split_anchor_list(part, outlets)


def _split_anchor_list(part: str, outlets: frozenset[str]) -> Iterator[str]:
    """Split `AFP, Reuters` into agencies but keep `Washington, DC` whole: commas only part anchors."""
    pieces = _LIST_SEPARATOR.split(part)
    words, separators = [word.strip() for word in pieces[::2]], pieces[1::2]
    if not any(_is_anchor(word, outlets) for word in words):
        yield part
        return
    group = ""
    for index, word in enumerate(words):
        if _is_anchor(word, outlets):
            if group:
                yield group
            group = ""
            yield word
        else:
            group = group + separators[index - 1] + word if group else word
    if group:
        yield group


def _is_anchor(piece: str, outlets: frozenset[str]) -> bool:
    return _agency(piece) is not None or piece.casefold() in outlets


def _agency(piece: str) -> str | None:
    return _AGENCIES.get(piece.strip().casefold())


def _add_segment(credits: _Credits, segment: str) -> None:
    by = _BY.fullmatch(segment)
    if by is not None:
        _add_byline(credits, by.group(1))
        return
    if _add_anchor(credits, segment):
        return
    located = _PARENTHESIZED.fullmatch(segment)
    agency = _agency(located.group(2)) if located is not None else None
    if located is None or agency is None:
        credits.add_plain(segment)
        return
    # "GENEVA (Reuters)": the wire-copy convention of a dateline followed by the agency.
    credits.add_agency(agency)
    if located.group(1) and _looks_like_place(located.group(1)):
        credits.place = located.group(1)


def _add_anchor(credits: _Credits, piece: str) -> bool:
    agency = _agency(piece)
    if agency is not None:
        credits.add_agency(agency)
        return True
    if piece.casefold() in credits.outlets:
        credits.anchored = True
        return True
    return False


def _add_byline(credits: _Credits, names: str) -> None:
    """`By A, B and C`: people become authors; a trailing non-name (`By John Smith, Doha`) is a place."""
    pieces = [piece.strip() for piece in _LIST_SEPARATOR.split(names)[::2] if piece.strip()]
    trailing: str | None = None
    for index, piece in enumerate(pieces):
        if _add_anchor(credits, piece):
            continue
        if _looks_like_person(piece):
            credits.authors.append(piece)
            credits.anchored = True
        elif index == len(pieces) - 1:
            trailing = piece
    if trailing is not None and credits.anchored:
        credits.after.append(trailing)


def _finish(credits: _Credits) -> Attribution | None:
    """The attribution, or None when a plain segment is neither a person nor the dateline: then the line is
    something else (a headline with a slash in it), and reading it as a credit would be a guess."""
    after = list(credits.after)
    dateline = credits.place
    if dateline is None and after and _looks_like_place(after[-1]):
        dateline = after.pop()
    plain = credits.before + after
    if not all(_looks_like_person(text) for text in plain):
        return None
    return Attribution(
        agencies=tuple(credits.agencies),
        authors=tuple(dict.fromkeys([*credits.authors, *plain])),
        dateline=dateline,
    )


def _looks_like_person(text: str) -> bool:
    words = text.split()
    # "The Water Coolest", "The Newsroom": people's names do not start with an article.
    if not 2 <= len(words) <= 5 or _agency(text) is not None or words[0].casefold() == "the":
        return False
    if any(word.casefold() in _ORGANISATION_WORDS for word in words):
        return False
    return all(_is_name_word(word) for word in words)


def _is_name_word(word: str) -> bool:
    if any(char.isdigit() for char in word):
        return False
    lowered = word.casefold()
    if lowered in _NAME_PARTICLES:
        return True
    if lowered.startswith(("al-", "el-")):
        word = word[3:]
    core = word.lstrip("'‘’\"")
    return bool(core) and core[0].isupper()


def _looks_like_place(text: str) -> bool:
    if len(text.split()) > 5 or len(text) > 40 or _PLACE.fullmatch(text) is None:
        return False
    return text[0].isupper() and _agency(text) is None


def agency_name(text: str) -> str | None:
    """The canonical agency name `text` is a form of (`Associated Press` -> `AP`), else None."""
    return _agency(" ".join(text.split()))


def names_organisation(text: str) -> bool:
    """True when a word of `text` makes it an organisation or a desk (`News`, `Staff`, `Agency`...)."""
    return any(word.casefold().strip(".,") in _ORGANISATION_WORDS for word in text.split())


def looks_like_person(text: str) -> bool:
    """True when `text` reads as a person's name (two to five capitalised words, no organisation word)."""
    return _looks_like_person(" ".join(text.split()))
