"""Words, word hashes and sentences of many texts at once, computed over their code points with numpy.

The texts of a chunk are joined by NUL into one array of code points, so that every step is one numpy pass over
the chunk instead of a Python loop per word (or many small numpy calls per text). A NUL in a text is read as
U+0001 first: both are neither letters nor spaces, and NUL must stay free to mark where a text ends.

A word is a run of letters and digits of the casefolded text (`pipeline.record.WORD`, so the words here are the
ones `Article.content_hash` joins). A word's hash is the polynomial hash of its code points modulo 2**64, read off
two prefix sums: with S[i] = sum(c[j] * B**-j for j < i), the word c[s:e] hashes to (S[e] - S[s]) * B**(e - 1),
whatever its position. B is odd, so B**-1 exists modulo 2**64. The result goes through a 64-bit finalizer so that
every bit depends on every code point. A sentence ends at a line break, at the end of a text, or at whitespace
after `.`, `!` or `?` followed by nothing but closing quotes and brackets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Hashes = npt.NDArray[np.uint64]
Indices = npt.NDArray[np.intp]
CodePoints = npt.NDArray[np.uint32]
Classes = npt.NDArray[np.uint8]

_BASE = 0x100000001B3
_FMIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)
_BMP = 0x10000
_OTHER, _WORD, _SPACE, _END, _CLOSE, _TEXT_END = 0, 1, 2, 3, 4, 5
_SEPARATOR = "\x00"
_POWERS_START = 1 << 19


def _classes() -> Classes:
    """The class of every code point of the Basic Multilingual Plane."""
    table = np.array([_WORD if chr(c).isalnum() else _SPACE if chr(c).isspace() else _OTHER for c in range(_BMP)])
    table[[ord(c) for c in ".!?"]] = _END
    table[[ord(c) for c in "\"'”’)]"]] = _CLOSE
    table[ord(_SEPARATOR)] = _TEXT_END
    return table.astype(np.uint8)


def _folds() -> tuple[CodePoints, npt.NDArray[np.bool_]]:
    """Each BMP code point's casefolded code point, and whether its casefold is longer than one character."""
    folded = [chr(c).casefold() for c in range(_BMP)]
    single = np.array([ord(f) if len(f) == 1 else c for c, f in enumerate(folded)], dtype=np.uint32)
    return single, np.array([len(f) != 1 for f in folded])


_CLASS = _classes()
_FOLD, _EXPANDS = _folds()
_LINE_BREAK = ord("\n")


def _inverse(odd: int) -> int:
    """The inverse of an odd number modulo 2**64, by Newton's iteration."""
    inverse = odd
    for _ in range(6):
        inverse = inverse * (2 - odd * inverse) % 2**64
    return inverse


class _Powers:
    """B**i and B**-i modulo 2**64 for i = 0, 1, ..., grown on demand and shared by every chunk."""

    def __init__(self, base: int) -> None:
        self._base, self._inverse = np.uint64(base), np.uint64(_inverse(base))
        self.up, self.down = self._table(_POWERS_START)

    def _table(self, size: int) -> tuple[Hashes, Hashes]:
        up = np.full(size, self._base, dtype=np.uint64)
        down = np.full(size, self._inverse, dtype=np.uint64)
        up[0] = down[0] = 1
        # Integer cumprod wraps modulo 2**64, which is the arithmetic wanted.
        return np.cumprod(up), np.cumprod(down)

    def ensure(self, size: int) -> None:
        """Make the tables at least `size` long."""
        if size > self.up.size:
            self.up, self.down = self._table(max(size, 2 * self.up.size))


_POWERS = _Powers(_BASE)


@dataclass(frozen=True, slots=True)
class Tokens:
    """Texts cut into words and sentences."""

    hashes: Hashes
    """One 64-bit hash per word, every text's words in order, text after text."""
    text_starts: Indices
    """Index of each text's first word in `hashes`, and the number of words at the end."""
    sentence_starts: Indices
    """Index of each sentence's first word in `hashes`; every text with words starts a sentence."""
    normalized: str
    """Every word, joined by single spaces."""
    normalized_starts: Indices
    """Offset of each word in `normalized`, and the length of `normalized` plus one at the end."""

    def normalized_text(self, text: int) -> str:
        """Text number `text`'s words joined by single spaces, as `pipeline.record.normalize_for_hash` gives them."""
        first, end = self.text_starts[text], self.text_starts[text + 1]
        return self.normalized[self.normalized_starts[first] : self.normalized_starts[end] - 1] if end > first else ""


def tokenize(texts: Sequence[str]) -> Tokens:
    """The words, word hashes and sentences of `texts`."""
    if not texts:
        nothing = np.zeros(0, dtype=np.intp)
        return Tokens(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.intp), nothing, "", np.zeros(1, np.intp))
    points = _casefolded([text.replace(_SEPARATOR, "\x01") for text in texts])
    classes = _code_point_classes(points)
    is_word = classes == _WORD
    edges = np.flatnonzero(np.diff(is_word.view(np.int8), prepend=np.int8(0), append=np.int8(0)))
    starts, ends = edges[0::2], edges[1::2]
    text_ends = np.flatnonzero(classes == _TEXT_END)
    text_starts = np.searchsorted(starts, np.concatenate(([0], text_ends)))
    normalized, normalized_starts = _normalized(points, is_word, starts, ends)
    return Tokens(
        _word_hashes(points, starts, ends),
        text_starts,
        _sentence_starts(points, classes, starts),
        normalized,
        normalized_starts,
    )


def _casefolded(texts: list[str]) -> CodePoints:
    """The code points of the casefolded texts, each followed by a separator."""
    joined = _SEPARATOR.join(texts) + _SEPARATOR
    if joined.isascii():
        return np.frombuffer(joined.lower().encode("ascii"), dtype=np.uint8).astype(np.uint32)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    # Casefolding maps each character on its own, so a table does it, except for a character that folds to
    # several (ß -> ss) or lies beyond the BMP: the few texts holding one are casefolded by Python first (folding
    # is idempotent, so the table then leaves them as they are).
    beyond = points >= _BMP
    unusual = np.flatnonzero(beyond | np.take(_EXPANDS, points, mode="clip"))
    if unusual.size:
        owners = set(np.searchsorted(np.flatnonzero(points == 0), unusual).tolist())
        texts = [text.casefold() if n in owners else text for n, text in enumerate(texts)]
        points = np.frombuffer((_SEPARATOR.join(texts) + _SEPARATOR).encode("utf-32-le"), dtype=np.uint32)
        beyond = points >= _BMP
    return np.where(beyond, points, np.take(_FOLD, points, mode="clip"))


def _code_point_classes(points: CodePoints) -> Classes:
    classes = np.take(_CLASS, points, mode="clip")
    astral = np.flatnonzero(points >= _BMP)
    if astral.size:
        # Beyond the BMP only letters and digits matter (no spaces or sentence ends live there).
        classes[astral] = [_WORD if chr(c).isalnum() else _OTHER for c in points[astral].tolist()]
    return classes


def _word_hashes(points: CodePoints, starts: Indices, ends: Indices) -> Hashes:
    _POWERS.ensure(points.size + 1)
    prefix = np.zeros(points.size + 1, dtype=np.uint64)
    np.cumsum(points * _POWERS.down[: points.size], out=prefix[1:])
    return finalize((prefix[ends] - prefix[starts]) * _POWERS.up[ends - 1])


def _sentence_starts(points: CodePoints, classes: Classes, starts: Indices) -> Indices:
    """First word of each sentence: the words after a line break, a text's end, or a sentence end and whitespace."""
    # The first character after each sentence mark that is not a closing quote or bracket. Every text ends in a
    # separator, which is not closing, so this stays in range.
    after = np.flatnonzero(classes == _END) + 1
    while (closing := classes[after] == _CLOSE).any():
        after += closing
    marks = np.concatenate(
        (after[classes[after] == _SPACE], np.flatnonzero((points == _LINE_BREAK) | (classes == _TEXT_END)))
    )
    marks.sort()
    # A word starts a sentence when a mark lies between it and the previous word.
    before = np.searchsorted(marks, starts)
    return np.flatnonzero(np.diff(before, prepend=-1))


def _normalized(
    points: CodePoints, is_word: npt.NDArray[np.bool_], starts: Indices, ends: Indices
) -> tuple[str, Indices]:
    """Every word joined by single spaces, and where each word starts in it: each gap between two words is
    reduced to its last character, made a space."""
    keep = is_word.copy()
    keep[starts[1:] - 1] = True
    spaced = points.copy()
    spaced[starts[1:] - 1] = ord(" ")
    offsets = np.zeros(starts.size + 1, dtype=np.intp)
    np.cumsum(ends - starts + 1, out=offsets[1:])
    return spaced[keep].tobytes().decode("utf-32-le"), offsets


def finalize(values: Hashes) -> Hashes:
    """MurmurHash3's 64-bit finalizer: every output bit depends on every input bit."""
    values = values ^ (values >> _SHIFT)
    values = values * _FMIX_1
    values = values ^ (values >> _SHIFT)
    values = values * _FMIX_2
    return values ^ (values >> _SHIFT)


def run_hashes(hashes: Hashes, starts: Indices, ends: Indices) -> Hashes:
    """The hash of each run of word hashes `hashes[start:end]`, independent of where the run sits."""
    _POWERS.ensure(hashes.size + 1)
    prefix = np.zeros(hashes.size + 1, dtype=np.uint64)
    np.cumsum(hashes * _POWERS.down[: hashes.size], out=prefix[1:])
    return finalize((prefix[ends] - prefix[starts]) * _POWERS.up[ends - 1])
