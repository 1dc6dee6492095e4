"""Length-preserving normalisation for matching: offsets computed on the result are valid in
the original text, because every character maps to exactly one character.

Full-width ASCII forms (，？！０-９Ａ-Ｚ) become their half-width counterparts, the ideographic
space becomes a space, and Latin letters are lower-cased. Characters whose compatibility form
is longer than one character (ligatures, circled numbers) are left as they are.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["norm_char", "normalize", "strip_for_similarity"]


@lru_cache(maxsize=65536)
def norm_char(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch)
    if len(n) != 1:
        return ch
    return n.lower()


def normalize(text: str) -> str:
    """``text`` with each character normalised; ``len(normalize(t)) == len(t)`` always."""
    return "".join(norm_char(ch) for ch in text)


def strip_for_similarity(text: str) -> str:
    """Normalised text without punctuation, symbols or spaces, for comparing sentences."""
    return "".join(
        ch for ch in normalize(text) if unicodedata.category(ch)[0] not in ("P", "S", "Z", "C")
    )
