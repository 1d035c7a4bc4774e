"""Words, word hashes and sentences of many texts at once, computed over their UTF-16 code units with numpy.

The texts of a chunk are joined by NUL into one array of code units, so that every step is one numpy pass over
the chunk instead of a Python loop per word (or many small numpy calls per text). A NUL in a text is read as
U+0001 first: both are neither letters nor spaces, and NUL must stay free to mark where a text ends. UTF-16 keeps
the array narrow (English text would fit in bytes, but a curly quote makes every character two bytes wide); a
character beyond the Basic Multilingual Plane is two code units, both of its class.

A word is a run of letters and digits of the casefolded text (`pipeline.record.WORD`, so the words here are the
ones `Article.content_hash` joins). A word's hash is the polynomial hash of its code units modulo 2**64, read off
two prefix sums: with S[i] = sum(c[j] * B**-j for j < i), the word c[s:e] hashes to (S[e] - S[s]) * B**(e - 1),
whatever its position. B is odd, so B**-1 exists modulo 2**64. The result goes through a 64-bit finalizer so that
every bit depends on every code unit. A sentence ends at a line break, at the end of a text, or at whitespace
after `.`, `!` or `?` followed by nothing but closing quotes and brackets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Hashes = npt.NDArray[np.uint64]
Indices = npt.NDArray[np.intp]
CodeUnits = npt.NDArray[np.uint8] | npt.NDArray[np.uint16]
Classes = npt.NDArray[np.uint8]

_BASE = 0x100000001B3
_FMIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)
_BMP = 0x10000
# Classes at or above _BREAK end a sentence wherever they stand.
_OTHER, _WORD, _SPACE, _END, _CLOSE, _SURROGATE, _BREAK, _TEXT_END = 0, 1, 2, 3, 4, 5, 6, 7
_HIGH_SURROGATES, _LOW_SURROGATES = range(0xD800, 0xDC00), range(0xDC00, 0xE000)
_SEPARATOR = "\x00"
_POWERS_START = 1 << 19


def _classes() -> Classes:
    """The class of every code point of the Basic Multilingual Plane."""
    table = np.array([_WORD if chr(c).isalnum() else _SPACE if chr(c).isspace() else _OTHER for c in range(_BMP)])
    table[[ord(c) for c in ".!?"]] = _END
    table[[ord(c) for c in "\"'”’)]"]] = _CLOSE
    table[_HIGH_SURROGATES.start : _LOW_SURROGATES.stop] = _SURROGATE
    table[ord("\n")] = _BREAK
    table[ord(_SEPARATOR)] = _TEXT_END
    return table.astype(np.uint8)


def _folds() -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.bool_]]:
    """Each BMP code point's casefolded code point, and whether the table cannot fold it: its casefold is longer
    than one character (ß -> ss), or it is half of a UTF-16 surrogate pair (a character beyond the BMP)."""
    folded = [chr(c).casefold() for c in range(_BMP)]
    single = [ord(f) if len(f) == 1 else c for c, f in enumerate(folded)]
    unusual = np.array([len(f) != 1 for f in folded])
    unusual[_HIGH_SURROGATES.start : _LOW_SURROGATES.stop] = True
    return np.array(single, dtype=np.uint16), unusual


_CLASS = _classes()
_FOLD, _UNUSUAL = _folds()


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


def tokenize(texts: Sequence[str]) -> Tokens:
    """The words, word hashes and sentences of `texts`."""
    if not texts:
        return Tokens(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.intp), np.zeros(0, dtype=np.intp))
    units = _casefolded([text.replace(_SEPARATOR, "\x01") for text in texts])
    classes = _classes_of(units)
    is_word = classes == _WORD
    # The code units start and end with a separator, so words begin and end where `is_word` flips.
    edges = np.flatnonzero(is_word[1:] != is_word[:-1]) + 1
    starts, ends = edges[0::2], edges[1::2]
    breaks = np.flatnonzero(classes >= _BREAK)
    text_starts = np.searchsorted(starts, breaks[classes[breaks] == _TEXT_END])
    return Tokens(_word_hashes(units, starts, ends), text_starts, _sentence_starts(classes, breaks, starts))


def _casefolded(texts: list[str]) -> CodeUnits:
    """The UTF-16 code units of the casefolded texts, each between two separators (bytes for ASCII texts)."""
    joined = _SEPARATOR + _SEPARATOR.join(texts) + _SEPARATOR
    if joined.isascii():
        return np.frombuffer(joined.lower().encode("ascii"), dtype=np.uint8)
    units = np.frombuffer(joined.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    # Casefolding maps each character on its own, so a table does it, except for a character that folds to
    # several (ß -> ss) or lies beyond the BMP: the few texts holding one are casefolded by Python first (folding
    # is idempotent, so the table then leaves them as they are).
    unusual = np.flatnonzero(np.take(_UNUSUAL, units))
    if unusual.size:
        owners = set((np.searchsorted(np.flatnonzero(units == 0), unusual) - 1).tolist())
        texts = [text.casefold() if n in owners else text for n, text in enumerate(texts)]
        joined = _SEPARATOR + _SEPARATOR.join(texts) + _SEPARATOR
        units = np.frombuffer(joined.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    return np.take(_FOLD, units)


def _classes_of(units: CodeUnits) -> Classes:
    classes = np.take(_CLASS, units)
    surrogates = np.flatnonzero(classes == _SURROGATE)
    if surrogates.size:
        # A pair of surrogates is one character beyond the BMP: a letter or digit makes both halves word units
        # (no spaces or sentence ends live there). A surrogate without its other half is neither.
        first, second = units[surrogates[:-1]], units[surrogates[1:]]
        high, low = np.isin(first, _HIGH_SURROGATES), np.isin(second, _LOW_SURROGATES)
        pairs = surrogates[:-1][(surrogates[1:] == surrogates[:-1] + 1) & high & low]
        classes[surrogates] = _OTHER
        for at in pairs.tolist():
            if units[at : at + 2].tobytes().decode("utf-16-le").isalnum():
                classes[at : at + 2] = _WORD
    return classes


def _word_hashes(units: CodeUnits, starts: Indices, ends: Indices) -> Hashes:
    _POWERS.ensure(units.size + 1)
    prefix = np.zeros(units.size + 1, dtype=np.uint64)
    np.cumsum(units * _POWERS.down[: units.size], out=prefix[1:])
    return finalize((prefix[ends] - prefix[starts]) * _POWERS.up[ends - 1])


def _sentence_starts(classes: Classes, breaks: Indices, starts: Indices) -> Indices:
    """First word of each sentence: the words after a line break, a text's end (`breaks`), or a sentence end and
    whitespace."""
    # The first character after each sentence mark that is not a closing quote or bracket. Every text ends in a
    # separator, which is not closing, so this stays in range.
    after = np.flatnonzero(classes == _END) + 1
    while (closing := classes[after] == _CLOSE).any():
        after += closing
    marks = np.concatenate((after[classes[after] == _SPACE], breaks))
    # The first word after each mark starts a sentence (a mark after a text's last word points at the next text's
    # first word, which its separator marks anyway).
    firsts = np.unique(np.searchsorted(starts, marks))
    return firsts[firsts < starts.size]


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
