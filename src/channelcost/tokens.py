"""jieba, set up once for the project: quiet, cached under the project, with the domain dictionary.

jieba's module-level functions share one global tokenizer whose cache lives in the system temp
folder and which logs to stderr. This module builds its own :class:`jieba.Tokenizer` instead,
with the cache in ``.cache/jieba`` and the user dictionary ``data/lexicon/userdict.txt``
loaded, and binds part-of-speech tagging and keyword extraction to that same instance (a
tokenizer's added words do not reach ``jieba.posseg`` or ``jieba.analyse`` otherwise).
"""

from __future__ import annotations

import logging
import math
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths
from .textnorm import simplified

def _import_jieba():
    """jieba 0.42 imports pkg_resources (a tenth of a second, and a deprecation warning in new
    setuptools) only to open its own data files; without it, jieba opens them from its folder, the
    same files. So it is hidden while jieba is imported, and left importable for anyone else."""
    import sys

    hidden = "pkg_resources" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # None in sys.modules: an ImportError, which jieba expects
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"pkg_resources is deprecated", category=UserWarning)
            warnings.filterwarnings("ignore", message=r"Deprecated call to `pkg_resources", category=DeprecationWarning)
            import jieba
    finally:
        if hidden:
            del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()

jieba.setLogLevel(logging.WARNING)


def _jieba_module(name: str):
    """Import ``jieba.posseg`` or ``jieba.analyse`` on first use (extraction needs neither).

    Importing jieba.analyse builds a default TF-IDF extractor whose loader leaves its file open.
    Importing jieba.posseg parses the default dictionary for its word tags (0.7 s): it is pointed at
    an empty file while it is imported, and the same tags come from the project's cache instead.
    """
    import importlib
    import sys

    if name == "analyse":  # which imports jieba.posseg
        _jieba_module("posseg")
    fresh = name == "posseg" and "jieba.posseg" not in sys.modules and jieba.dt.dictionary == jieba.DEFAULT_DICT
    if fresh:
        jieba.dt.dictionary = os.devnull
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            warnings.filterwarnings("ignore", message=r"pkg_resources is deprecated", category=UserWarning)
            module = importlib.import_module(f"jieba.{name}")
    finally:
        if fresh:
            jieba.dt.dictionary = jieba.DEFAULT_DICT
    if fresh:
        module.dt.word_tag_tab = _cached_table("word-tags", os.path.join(os.path.dirname(jieba.__file__), "dict.txt"),
                                               lambda: _read_word_tags(module))
    return module


def _read_word_tags(posseg) -> dict[str, str]:
    """The default dictionary's word tags, read by jieba.posseg's own loader."""
    tagger = object.__new__(posseg.POSTokenizer)
    tagger.load_word_tag(jieba.dt.get_dict_file())
    return tagger.word_tag_tab


def _cached_table(name: str, source: str, build) -> dict:
    """A table (a dict of strings) that ``build`` reads from jieba's file ``source``, kept in the
    tokenizer cache (marshal, a tenth of the time of parsing) while jieba and the file are unchanged."""
    import hashlib
    import marshal

    st = os.stat(source)
    key = hashlib.sha256(f"{jieba.__version__}|{os.path.basename(source)}|{st.st_size}|{st.st_mtime_ns}".encode())
    folder = cache_folder()
    path = folder / f"channelcost-{name}-{key.hexdigest()[:16]}.marshal" if folder else None
    return _cached(path, marshal.loads, marshal.dumps, lambda table: isinstance(table, dict), build)


def _cached(path: Path | None, loads, dumps, valid, build):
    """What ``loads`` reads from the cache file ``path`` when it is there, readable and ``valid``; else
    ``build()``, written there (atomically) for the next process. No path, or a cache that cannot be
    written (a full disk, a folder gone read-only): built each time, quietly."""
    import pickle

    if path is not None and path.is_file():
        try:
            value = loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
            value = None
        if value is not None and valid(value):
            return value
    value = build()
    if path is not None:
        from .io import write_bytes_atomic

        try:
            write_bytes_atomic(path, dumps(value))
        except OSError:
            pass
    return value

__all__ = [
    "Token",
    "get_tokenizer",
    "get_pos_tokenizer",
    "tokenize",
    "cut",
    "pos_tag",
    "load_stopwords",
    "load_user_words",
    "tfidf_keywords",
    "textrank_keywords",
    "is_punctuation",
]


@dataclass(frozen=True)
class Token:
    """A token with its code-point span in the text it came from."""

    start: int
    end: int
    word: str


def load_user_words(path: Path = paths.USER_DICT) -> list[str]:
    """The words of a jieba user dictionary (``word [freq] [tag]`` a line, ``#`` comments)."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


def _user_dict_lines(path: Path) -> list[tuple[str, int | None, str | None]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        entries.append((word, freq, tag))
    return entries


_TOKENIZERS: dict[bool, jieba.Tokenizer] = {}
_POS_TOKENIZERS: dict = {}
_STATE: list[dict] = []  # the loaded dictionary state, once per process
_STATE_FORMAT = 1  # bump when the cached state's layout changes
JIEBA_CACHE = "jieba-default-dict.cache"  # jieba's own cache of its default dictionary


def cache_folder() -> Path | None:
    """Where tokenizer caches go: ``.cache/jieba`` under the project, or, where the project cannot
    be written, ``channelcost/jieba`` in the user's cache folder ($XDG_CACHE_HOME or ~/.cache);
    None where neither can be (the dictionary is then built in memory each time, quietly)."""
    return paths.cache_folder("jieba")


def _state_key() -> str:
    """What the cached state depends on: jieba's version and dictionary file, the user dictionary."""
    import hashlib
    import os

    dict_file = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    st = os.stat(dict_file)
    h = hashlib.sha256(f"{_STATE_FORMAT}|{jieba.__version__}|{st.st_size}|{st.st_mtime_ns}|".encode())
    h.update(paths.USER_DICT.read_bytes())
    return h.hexdigest()[:16]


def _build_state(folder: Path | None) -> dict:
    """Load jieba's default dictionary (through its own cache where there is a folder) and add the
    user dictionary, remembering jieba's own count of every entry that adding it touched."""
    tk = jieba.Tokenizer()
    if folder is not None:
        tk.tmp_dir, tk.cache_file = str(folder), JIEBA_CACHE
        tk.initialize()
    else:  # nowhere to cache: what jieba does on a cache miss, without writing the cache
        tk.FREQ, tk.total = tk.gen_pfdict(tk.get_dict_file())
        tk.initialized = True
    pristine: dict[str, int | None] = {}
    pristine_total = tk.total  # add_word adds to the total even for a known word
    for word, freq, tag in _user_dict_lines(paths.USER_DICT):
        for key in [word] + [word[: i + 1] for i in range(len(word) - 1)]:
            if key not in pristine:
                pristine[key] = tk.FREQ.get(key)
        tk.add_word(word, freq, tag)
    return {"freq": tk.FREQ, "total": tk.total, "tags": tk.user_word_tag_tab, "pristine": pristine,
            "pristine_total": pristine_total}


def _state() -> dict:
    """The dictionary state with the user words, from the project's cache when it is current.

    jieba's own cache (marshal) of its default dictionary takes about 0.9 s to load and the user
    words another 0.2 s; the whole state pickled loads in about 0.3 s. The cache is rebuilt when
    jieba, its dictionary or the user dictionary changes, or when it cannot be read.
    """
    if not _STATE:
        import pickle

        folder = cache_folder()
        path = folder / f"channelcost-tokenizer-{_state_key()}.pickle" if folder else None
        keys = {"freq", "total", "tags", "pristine", "pristine_total"}
        state = _cached(path, pickle.loads, lambda st: pickle.dumps(st, protocol=pickle.HIGHEST_PROTOCOL),
                        lambda st: isinstance(st, dict) and set(st) == keys, lambda: _build_state(folder))
        _STATE.append(state)
    return _STATE[0]


def get_tokenizer(user_dict: bool = True) -> jieba.Tokenizer:
    """The project's jieba tokenizer (``user_dict=False``: jieba's defaults, for comparison).

    Both come from one loaded state (:func:`_state`): the project's has the user words, the
    default one is a copy with the entries they touched set back to jieba's own counts.
    """
    user_dict = bool(user_dict)
    if user_dict not in _TOKENIZERS:
        state = _state()
        tk = jieba.Tokenizer()
        folder = cache_folder()
        if folder is not None:  # should anything re-initialize it, jieba's cache is there too
            tk.tmp_dir, tk.cache_file = str(folder), JIEBA_CACHE
        freq = dict(state["freq"])
        if user_dict:
            tk.total, tk.user_word_tag_tab = state["total"], dict(state["tags"])
        else:
            for word, count in state["pristine"].items():
                if count is None:
                    del freq[word]
                else:
                    freq[word] = count
            tk.total = state["pristine_total"]
        tk.FREQ, tk.initialized = freq, True
        _TOKENIZERS[user_dict] = tk
    return _TOKENIZERS[user_dict]


def get_pos_tokenizer(user_dict: bool = True):
    """A part-of-speech tagger bound to :func:`get_tokenizer` (so it knows the domain words).

    jieba hands a tokenizer's user-word tags to the first POSTokenizer that cuts with it and
    then forgets them, so the tags are set here explicitly from the user dictionary. The default
    dictionary's tags are the ones jieba.posseg read when it was imported (same file), copied.
    """
    user_dict = bool(user_dict)
    if user_dict not in _POS_TOKENIZERS:
        posseg = _jieba_module("posseg")
        tk = get_tokenizer(user_dict)
        if tk.dictionary == posseg.dt.tokenizer.dictionary:
            pt = object.__new__(posseg.POSTokenizer)
            pt.tokenizer, pt.word_tag_tab = tk, dict(posseg.dt.word_tag_tab)
        else:  # another dictionary: read its tags
            pt = posseg.POSTokenizer(tk)
        if user_dict:
            for word, _freq, tag in _user_dict_lines(paths.USER_DICT):
                if tag:
                    pt.word_tag_tab[word] = tag
        _POS_TOKENIZERS[user_dict] = pt
    return _POS_TOKENIZERS[user_dict]


def tokenize(
    text: str, offset: int = 0, user_dict: bool = True, keep_space: bool = False, hmm: bool = True
) -> list[Token]:
    """Tokens of ``text`` with code-point spans (plus ``offset``); white space dropped by default.

    ``hmm=False`` skips jieba's HMM for unknown words: faster, same cuts around dictionary words.
    """
    out = []
    for word, s, e in get_tokenizer(user_dict).tokenize(text, HMM=hmm):
        if not keep_space and not word.strip():
            continue
        out.append(Token(s + offset, e + offset, word))
    return out


def cut(text: str, user_dict: bool = True) -> list[str]:
    """Words of ``text`` (white space dropped), as ``jieba.lcut`` would give with our tokenizer."""
    return [t.word for t in tokenize(text, user_dict=user_dict)]


def pos_tag(text: str, offset: int = 0, user_dict: bool = True) -> list[tuple[int, int, str, str]]:
    """``(start, end, word, flag)`` for each word, from jieba.posseg bound to our tokenizer.

    Traditional characters are tagged as their simplified forms, one for one, and the words given
    are the text's own: jieba's dictionary and its tag model are simplified, so a traditional text
    tagged as it is reads as runs of unknown characters, tagged badly and slowly (its HMM tries every
    tag on every such character: seconds for a page)."""
    return [(s + offset, e + offset, word, flag) for s, e, word, flag in _tagged(text, user_dict) if word.strip()]


def _tagged(text: str, user_dict: bool = True) -> Iterator[tuple[int, int, str, str]]:
    """Every word of ``text`` as jieba.posseg cuts its simplified form, white space included."""
    source = simplified(text)
    pos = 0
    for pair in get_pos_tokenizer(user_dict).cut(source):
        found = source.find(pair.word, pos)
        if found < 0:  # posseg never drops characters, but do not trust offsets blindly
            continue
        pos = found + len(pair.word)
        yield found, pos, text[found:pos], pair.flag


class _OwnWordsTagger:
    """What jieba's TextRank asks of a tagger (``cut``: every word with its flag), from :func:`_tagged`."""

    def cut(self, text: str):
        pair = _jieba_module("posseg").pair
        return [pair(word, flag) for _s, _e, word, flag in _tagged(text)]


_PUNCT_CATEGORIES = ("P", "S", "Z", "C")


def is_punctuation(word: str) -> bool:
    """True for tokens made only of punctuation, symbols, spaces or control characters."""
    import unicodedata

    return all(unicodedata.category(ch)[0] in _PUNCT_CATEGORIES for ch in word)


@lru_cache(maxsize=None)
def load_stopwords(path: Path = paths.STOPWORDS) -> frozenset[str]:
    """The stop-word list (one word a line)."""
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())


def _rank(pairs, top_k: int) -> list[tuple[str, float]]:
    # ties broken by the word itself, so the order never depends on dict or hash order
    ranked = sorted(((w, float(x)) for w, x in pairs), key=lambda p: (-round(p[1], 12), p[0]))
    return ranked[:top_k]


_TFIDF: list = []


def _tfidf_extractor():
    if not _TFIDF:
        analyse = _jieba_module("analyse")
        import copy

        ex = copy.copy(analyse.default_tfidf)  # its IDF table, read when jieba.analyse was imported
        ex.tokenizer = get_tokenizer()
        ex.postokenizer = get_pos_tokenizer()
        ex.stop_words = set(ex.stop_words) | set(load_stopwords())
        _TFIDF.append(ex)
    return _TFIDF[0]


def tfidf_keywords(text: str, top_k: int = 20, allow_pos: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    """TF-IDF keywords with jieba's IDF table, computed with the project's tokenizer."""
    pairs = _tfidf_extractor().extract_tags(text, topK=None, withWeight=True, allowPOS=allow_pos)
    return [(w, x) for w, x in _rank(pairs, top_k) if not math.isnan(x)]


def textrank_keywords(
    text: str, top_k: int = 20, allow_pos: tuple[str, ...] = ("ns", "n", "vn", "v", "nz")
) -> list[tuple[str, float]]:
    """TextRank keywords (jieba's implementation) over the project's part-of-speech tagger."""
    ex = _jieba_module("analyse").TextRank()
    ex.tokenizer = ex.postokenizer = _OwnWordsTagger()
    ex.stop_words = set(ex.stop_words) | set(load_stopwords())
    pairs = ex.textrank(text, topK=None, withWeight=True, allowPOS=allow_pos)
    return _rank(pairs, top_k)
