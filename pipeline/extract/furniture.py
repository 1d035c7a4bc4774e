"""Page furniture that trafilatura leaves in a body: the headline repeated, bylines and credits, dates,
newsletter and app prompts, "Read more" links, lists of other headlines, comment sections.

Each rule names what it removes, so every removed line comes with its reason. The rules are generic (no site is
named); what one outlet repeats on all its pages is learned per outlet instead (`boilerplate`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pipeline.extract.attribution import parse_attribution
from pipeline.extract.dates import parse_date_line

_LEAD_WINDOW = 4  # headline, byline and date come before the story's first paragraph
_HEADLINE_MAX_WORDS = 20
_SENTENCE_END = (".", "!", "?", "…")

# A line that opens the comment section or a "more stories" rail: nothing after it is the story.
_END_MARKER = re.compile(
    r"(?:top rated comments|view comments|\d* ?comments?|leave a (?:comment|reply)|add (?:a )?comment"
    r"|tell us what you think|popular on [\w .]+|more stories|trending now"
    r"|you may also like|recommended for you|explore further|something to consider|tags?)[\s:.!?…»›-]*",
    re.IGNORECASE,
)
# A line that introduces a list of other headlines: the headline-like lines right after it go with it.
_LIST_MARKER = re.compile(
    r"(?:related(?: (?:posts?|stories|articles|coverage|content))?|more|see also|also read|read also|read more"
    r"|don'?t miss|more from [\w .]+|more on this (?:story|topic)|watch|recommended|most read(?: in [\w ]+)?"
    r"|você pode gostar|leia também|leggi anche|lesen sie auch|vous aimerez aussi|te puede interesar)\W*",
    re.IGNORECASE,
)
_PROMPT = re.compile(
    r"(?:read more|related(?: post)?|see more|see also|also on [\w.]+|also read|more|also|watch|listen|download"
    r"|itunes|source|sources|tags?|filed under|copyright|photo|photos|image|credit|(?:our|editorial) standards)\s*:"
    r"|(?:click here|click to|sign up|subscribe|get the [\w ]*app|get [\w ]+ on the go|like this story"
    r"|share (?:this|it) |follow (?:us|@|[\w' ]+ on (?:twitter|facebook|instagram|youtube))|listen to [\w ]+ live"
    r"|copyright\b|©|ⓒ|all rights reserved|無断転載|無断複製|版权所有|版權所有|무단\s?전재|tous droits réservés"
    r"|alle rechte vorbehalten|todos los derechos reservados|this copy is for your personal|order reprints"
    r"|print article"
    r"|thanks for signing up|keep an eye on your inbox|there was an error|an error has occurred"
    r"|this article has been sent|if you (?:buy|purchase) something|if you enjoyed this article)",
    re.IGNORECASE,
)
# Calls to action that make a short line a prompt wherever they stand in it.
_PROMPT_ANYWHERE = re.compile(r"\bclick here\b|\bfollow .{0,80}\bat https?://", re.IGNORECASE)
# "Also on rt.com <headline>", "(Leggi anche su: <headline>)": a link to another story, whatever follows.
_OTHER_STORY = re.compile(r"\(?(?:also on [\w-]+\.[a-z]{2,4}\b|leggi anche|lesen sie auch|leia também)", re.IGNORECASE)
# An image address or a WordPress shortcode left as text is markup, not prose.
_MARKUP_LEFTOVER = re.compile(r"https?://\S+\.(?:jpe?g|png|gif|webp|svg)(?:\?\S*)?|\[(\w+)[^\]]*\].*\[/\1\]", re.I)
_NEWSLETTER = re.compile(r"\bnewsletters?\b|\binbox\b", re.IGNORECASE)
_NEWSLETTER_ACTION = re.compile(r"\b(?:sign(?:ing)? up|subscrib\w*|get|delivered|join)\b", re.IGNORECASE)
_CREDITS = re.compile(
    r"\(?(?:(?:additional )?reporting by|writing by|editing by|compiled by|with reporting by)\b"
    r"|.{0,120}\bcontributed (?:reporting|to this (?:report|story|article))\b"
    r"|(?:associated press|ap) writers? .{0,200}\bcontributed\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"(?:write to|email|e-mail|reach|contact) [\w .'-]{2,60} (?:at|on|via) \S+@\S+.*"
    r"|have a tip\?.*|reach the reporters? .*",
    re.IGNORECASE,
)
_DATE_PREFIX = re.compile(r"[-–•\s]*(?:updated|published|posted|last updated|publicado)\b.{0,60}\d", re.IGNORECASE)
# A line holding nothing but a date and a time, in any language: `segunda-feira, 22 de janeiro de 2018 às 0:13`.
_YEAR_AND_TIME = re.compile(r"(?=.*\b(?:19|20)\d\d\b)(?=.*\b\d{1,2}[:.h]\d\d\b).{0,80}")
_NUMERIC_DATE = re.compile(r"\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d\d\b.{0,120}")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
_PROMO_TAG = re.compile(r".*\[(?:insight|video|reaction|warning|news|pictures|poll|latest|revealed)\]\W*$", re.I)
_BYLINE = re.compile(
    r"(?:by|por|von|par|di|door|przez|(?:un )?texte de|escrito por|geschrieben von|rédigé par|écrit par)\s+\S.{0,80}",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Cleaned:
    """A body's kept paragraphs and its removed lines with their reasons."""

    body: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


def strip_furniture(lines: Sequence[str], headlines: Sequence[str], zone: ZoneInfo, outlets: Sequence[str]) -> Cleaned:
    """The body lines that are story, and the furniture lines with the reason each was removed."""
    cleaned = Cleaned()
    heads = {_key(text) for text in headlines if _key(text)}
    in_list = False
    for index, raw in enumerate(lines):
        line = " ".join(raw.split())
        if line.casefold().endswith("click to tweet"):
            line = line[: -len("click to tweet")].rstrip()
        if not line:
            continue
        if _END_MARKER.fullmatch(line):
            cleaned.removed += [("comments-or-rail", rest) for rest in lines[index:] if rest.strip()]
            break
        in_list = (in_list and _is_headline_like(line)) or _LIST_MARKER.fullmatch(line) is not None
        reason = "other-headlines" if in_list else _furniture_reason(line, index, heads, zone, outlets)
        if reason is None:
            cleaned.body.append(line)
        else:
            cleaned.removed.append((reason, line))
    return cleaned


def _furniture_reason(line: str, index: int, heads: set[str], zone: ZoneInfo, outlets: Sequence[str]) -> str | None:
    """Why `line` is not story text, or None when it is."""
    key = _key(line)
    if not key:
        return "punctuation"
    if key in heads:
        return "headline"
    lead = index < _LEAD_WINDOW
    words = len(line.split())
    if _NEWSLETTER.search(line) and (words <= 6 or (_NEWSLETTER_ACTION.search(line) and words <= 40)):
        return "newsletter"
    if _PROMPT.match(line) or _PROMO_TAG.match(line):
        return "prompt"
    if words <= 40 and _PROMPT_ANYWHERE.search(line):
        return "prompt"
    if _OTHER_STORY.match(line):
        return "other-headlines"
    if _MARKUP_LEFTOVER.fullmatch(line):
        return "markup"
    if _CREDITS.match(line):
        return "credits"
    if _CONTACT.fullmatch(line):
        return "contact"
    if _is_date_line(line, zone):
        return "date"
    if (lead or len(line.split()) <= 12) and _is_byline(line, outlets):
        return "byline"
    return None


def _is_date_line(line: str, zone: ZoneInfo) -> bool:
    words = len(line.split())
    if words > 20 or _DIGIT.search(line) is None:
        return False
    if _NUMERIC_DATE.match(line) or (words <= 12 and (_DATE_PREFIX.match(line) or _YEAR_AND_TIME.fullmatch(line))):
        return True
    return parse_date_line(line, zone) is not None


def _is_byline(line: str, outlets: Sequence[str]) -> bool:
    if _BYLINE.fullmatch(line) and len(line.split()) <= 12 and not line.endswith("."):
        return True
    return parse_attribution(line, outlets) is not None


def _is_headline_like(line: str) -> bool:
    words = line.split()
    return len(words) <= _HEADLINE_MAX_WORDS and not line.rstrip().endswith(_SENTENCE_END)


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))
