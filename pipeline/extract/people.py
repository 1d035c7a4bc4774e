"""People's names out of one author field or byline text: `By A, B and C`, `Von A und B`, `A・B`, `Jane Doe, Senior
Editor`, `Jane Doe (http://example.org/jane)`.

A declared field (JSON-LD, `<meta name=author>`) is taken at its word that it names people, so a single name or one
in lower case passes; a byline read off the page must look like a name (capitalised words, or a short name in a
script without case). Either way agencies go apart, and the outlet itself, organisations, desks, roles (`admin`,
`Redaktion`), handles, addresses and dates are never people.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.extract.attribution import agency_name, looks_like_person, names_organisation, parse_attribution

_BY_WORD = (
    r"by|von|par|por|door|przez|di|da|av|af|od|от|автор|авторы|tekst|text|texto|testo|written by|posted by"
    r"|reported by|escrito por|publicado por|geschrieben von|rédigé par|écrit par|(?:un )?texte de|author|autor"
    r"|auteur|作者|著者|文"
)
BY_LINE = re.compile(rf"^\s*(?:{_BY_WORD})\s*[:：]?\s+\S", re.IGNORECASE)
_BY_PREFIX = re.compile(rf"^\s*(?:{_BY_WORD})\s*[:：]?\s+|^\s*(?:{_BY_WORD})\s*[:：●]\s*", re.IGNORECASE)
# In a declared field only words that cannot open a name: "Da Silva" and "Di Wang" are names.
_DECLARED_BY_PREFIX = re.compile(
    r"^\s*(?:by|von|par|por|door|przez|written by|posted by|author|autor|auteur|作者|著者)\s*[:：]?\s+"
    r"|^\s*(?:作者|著者|文)\s*[:：●]\s*",
    re.IGNORECASE,
)
# "Wednesday January 18, 2017 by Juli Clover": a byline after a date, "by" in lower case ("Daniel D. Von Hoff" is a
# name).
_BY_INSIDE = re.compile(r"\s(?:by|von|par|por|door|przez)\s+(?=\S)")
# Two words glued where markup separated them: "Teresa NewsomeDec", "Yomi KazeemPublished" ("McDonald" and
# "MacArthur" are not: the glue needs three lower-case letters before the capital).
_GLUED = re.compile(r"(?<=[^\W\d_][a-z]{3})(?=[A-Z][a-z])")
# Between names in one field: `A, B and C`, `A & B`, `A und B`, `A et B`, `A y B`, `A・B`, `A、B`, `A | B`.
_SEPARATOR = re.compile(r"\s*(?:[,;|/·•、・]|\s(?:and|und|et|y|e|en|og|och|i|и)\s|&)\s*", re.IGNORECASE)
# A link or an address in parentheses, or a date after the names: not part of them.
_NOT_NAME = re.compile(r"\(\s*(?:https?://|www\.|@)[^)]*\)?|https?://\S+|\S+@\S+\.\w+")
_AFTER_NAMES = re.compile(
    r"(?:^|\s)(?:published|updated|posted|veröffentlicht|aktualisiert|publié|publicado|mis à jour)\b.*$"
    r"|\s(?:on|am|le|el|il|em)\s.*$|\s*\d.*$"
    r"|\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d.*$",
    re.IGNORECASE,
)
# Words that start the role after a name: `Jane Doe Senior Editor`, `Jane Doe, Staff Writer`.
_ROLE_WORDS = frozenset(
    {"senior", "chief", "deputy", "managing", "executive", "associate", "assistant", "contributing", "staff"}
    | {"editor", "writer", "reporter", "correspondent", "columnist", "contributor", "photographer", "producer"}
    | {"analyst", "director", "intern", "redakteur", "redakteurin", "journalist", "journaliste", "periodista"}
    | {"officer", "president", "founder", "ceo", "cto", "host", "anchor", "critic", "illustrator", "author"}
    | {"authors", "autor", "auteur"}
)
_ROLES = frozenset(
    {"admin", "administrator", "editor", "editors", "redaktion", "rédaction", "redacción", "redazione", "staff"}
    | {"team", "desk", "newsroom", "webmaster", "guest", "anonymous", "unknown", "author", "autor", "auteur"}
    | {"by", "von", "par", "por", "phd", "mba"}
    | {"著者", "作者", "イラスト", "翻訳", "翻訳者", "監訳", "訳", "文", "写真", "編集", "編集部", "記者", "投稿者"}
)
_BY_ALONE = re.compile(rf"(?:{_BY_WORD})\s*[:：]?", re.IGNORECASE)
_CJK_NAME = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\s]{2,12}")
_FUNCTION_WORDS = frozenset(
    {"at", "for", "using", "with", "from", "in", "of", "the", "a", "an", "to", "about", "more", "all", "our", "your"}
)
# A declared author field holding one name written surname first: `Gillman, Steve`.
_SURNAME_FIRST = re.compile(r"(?P<surname>[A-Z][\w'’-]+),\s*(?P<given>[A-Z][\w'’.-]+)")
# A user name, not a person's: `mikecason`, `jdoe_42`.
_HANDLE = re.compile(r"[a-z0-9_.-]+")
_MAX_WORDS = 6
_MAX_CHARS = 60


@dataclass(slots=True)
class Named:
    """The people and agencies one or more author fields name, in order."""

    people: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)


def read_names(text: str, outlets: Sequence[str], *, declared: bool, into: Named | None = None) -> Named:
    """The people and agencies `text` names; `declared` for a field the page declares as its author."""
    found = into if into is not None else Named()
    parsed = parse_attribution(text, outlets)
    if parsed is not None:
        found.agencies += parsed.agencies
        found.people += [name for name in parsed.authors if _is_person(name, declared=declared)]
        return found
    keys = {outlet.casefold() for outlet in outlets}
    for piece in _pieces(text, _DECLARED_BY_PREFIX if declared else _BY_PREFIX):
        agency = agency_name(piece)
        if agency is not None:
            found.agencies.append(agency)
        elif piece.casefold() not in keys and _is_person(piece, declared=declared):
            found.people.append(piece)
    return found


def _pieces(text: str, by_prefix: re.Pattern[str]) -> list[str]:
    text = _NOT_NAME.sub(" ", " ".join(_GLUED.sub(" ", text).split()))
    inverted = _SURNAME_FIRST.fullmatch(text.strip(" |")) if by_prefix is _DECLARED_BY_PREFIX else None
    if inverted is not None:
        return [f"{inverted['given']} {inverted['surname']}"]  # "Gillman, Steve", as catalogues write a name
    inside = _BY_INSIDE.search(text) if by_prefix is _BY_PREFIX else None
    if inside is not None and not BY_LINE.match(text):
        text = text[inside.end() :]  # "Wednesday January 18, 2017 by Juli Clover"
    text = _AFTER_NAMES.sub("", by_prefix.sub("", text))
    pieces = [_without_role(piece.strip(" .:-–—()[]\"'《》【】")) for piece in _SEPARATOR.split(text)]
    return [piece for piece in pieces if piece]


def _without_role(piece: str) -> str:
    """`Jane Doe Senior Editor` -> `Jane Doe`: a name keeps at least its first two words."""
    words = piece.split()
    for index in range(2, len(words)):
        if words[index].casefold().strip(",") in _ROLE_WORDS:
            return " ".join(words[:index])
    return piece


def is_person(piece: str, *, declared: bool) -> bool:
    """True when `piece` (one name, already split off its field) can be a person's name."""
    return _is_person(piece, declared=declared)


def _is_person(piece: str, *, declared: bool) -> bool:
    words = piece.split()
    if len(piece) <= 2 or piece.casefold() in _ROLES or _BY_ALONE.fullmatch(piece) or names_organisation(piece):
        return False
    if any(word.casefold() in _ROLE_WORDS or word.casefold() in _FUNCTION_WORDS for word in words):
        return False
    if looks_like_person(piece) or _CJK_NAME.fullmatch(piece):
        return True
    if not declared or _HANDLE.fullmatch(piece):
        return False
    return (
        len(words) <= _MAX_WORDS
        and len(piece) <= _MAX_CHARS
        and any(character.isalpha() for character in piece)
        and not any(character.isdigit() or character in "@<>{}=:" for character in piece)
    )
