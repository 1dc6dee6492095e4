"""Length-preserving normalisation for matching: offsets computed on the result are valid in
the original text, because every character maps to exactly one character.

Full-width ASCII forms (，？！０-９Ａ-Ｚ) become their half-width counterparts, the ideographic
space becomes a space, and Latin letters are lower-cased. Characters whose compatibility form
is longer than one character (ligatures, circled numbers) are left as they are.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["norm_char", "normalize", "strip_for_similarity", "t2s_table", "simplified"]


@lru_cache(maxsize=65536)
def norm_char(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch)
    if len(n) != 1:
        return ch
    return n.lower()


@lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    """OpenCC's traditional-to-simplified character table, one character to one character."""
    from importlib import resources

    table: dict[str, str] = {}
    text = (resources.files("opencc") / "dictionary" / "TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1:
            table[parts[0]] = parts[1]
    return table


@lru_cache(maxsize=1)
def _simplifying() -> dict[int, str]:
    return {ord(k): v for k, v in t2s_table().items()}


def simplified(text: str) -> str:
    """``text`` with its traditional characters simplified, one for one (nothing else changes):
    jieba's dictionary and tag model know simplified words."""
    return text.translate(_simplifying())


def normalize(text: str) -> str:
    """``text`` with each character normalised; ``len(normalize(t)) == len(t)`` always."""
    return "".join(norm_char(ch) for ch in text)


def strip_for_similarity(text: str) -> str:
    """Normalised text without punctuation, symbols or spaces, for comparing sentences."""
    return "".join(
        ch for ch in normalize(text) if unicodedata.category(ch)[0] not in ("P", "S", "Z", "C")
    )
