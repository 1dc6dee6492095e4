"""Read an article exactly as the contract defines it, or say in one line why not.

The text is ``open(path, encoding="utf-8-sig").read()``: UTF-8, a leading BOM dropped, and
universal newlines (``\\r\\n`` and ``\\r`` become ``\\n``). Every offset in the project is a
code-point offset into that string. Input that is not such a text raises a subclass of
:class:`ArticleError` whose message names the file and what is wrong; the command line turns
it into the contract's ``error:`` line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Article",
    "ArticleError",
    "BinaryArticle",
    "EmptyArticle",
    "HtmlArticle",
    "MissingArticle",
    "NotUtf8Article",
    "article_id_for",
    "decode_article",
    "read_article",
]


class ArticleError(ValueError):
    """An input that is not a readable article. ``str(err)`` is one line: ``PATH: problem``."""

    kind = "unreadable"

    def __init__(self, path: str | Path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class MissingArticle(ArticleError):
    kind = "missing"


class EmptyArticle(ArticleError):
    kind = "empty"


class NotUtf8Article(ArticleError):
    kind = "not-utf8"

    def __init__(self, path: str | Path, problem: str, encoding: str | None = None):
        self.encoding = encoding
        super().__init__(path, problem)


class BinaryArticle(ArticleError):
    kind = "binary"


class HtmlArticle(ArticleError):
    kind = "html"


@dataclass(frozen=True)
class Article:
    """One article: its id (the file stem), where it came from, and THE text."""

    article_id: str
    text: str
    source: str = ""


def article_id_for(path: str | Path) -> str:
    """The contract's ``article_id``: the file name's stem."""
    return Path(path).stem


# Magic numbers of common binary formats people mistake for text.
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\xd0\xcf\x11\xe0",  # OLE: .doc, .xls
    b"SQLite format 3",
)

_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html\b|<\?xml[^>]*>\s*<html\b)", re.I)
_HTML_STRUCTURE = re.compile(r"<\s*(html|head|body|meta|title|script|style)\b[^>]*>", re.I)
_HTML_TAG = re.compile(r"</?(p|div|span|br|a|li|ul|ol|h[1-6]|table|tr|td|img|strong|em)\b[^<>]*>", re.I)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: many NUL bytes, nearly all in even or nearly all in odd places."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "UTF-16LE"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "UTF-16BE"
    return None


def _share_of_text(s: str) -> float:
    """How much of a decoded string is letters, digits, punctuation or spaces (not controls)."""
    if not s:
        return 0.0
    good = sum(1 for ch in s if ch in "\n\r\t" or unicodedata.category(ch)[0] in "LNPSZ")
    return good / len(s)


def _plausibility(s: str, common_in: str) -> float:
    """Share of characters a Chinese text plausibly holds: ASCII, common CJK, CJK punctuation."""
    if not s:
        return 0.0
    good = 0
    for ch in s:
        o = ord(ch)
        if ch in "\n\r\t" or 32 <= o < 127 or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E or ch in "“”‘’…—·":
            good += 1
        elif 0x4E00 <= o <= 0x9FFF:
            try:
                ch.encode(common_in)
                good += 1
            except UnicodeEncodeError:
                pass
    return good / len(s)


# (Python codec, name shown to the user, character set whose members count as common)
_LEGACY = (
    ("gb18030", "GB18030", "gb2312"),
    ("big5", "Big5", "big5"),
    ("utf-16-le", "UTF-16LE", "gb18030"),
    ("utf-16-be", "UTF-16BE", "gb18030"),
)


def _guess_legacy_encoding(data: bytes) -> str | None:
    """Name the likely encoding of Chinese text that is not UTF-8, or None.

    GB18030 (a superset of GBK and GB2312) and Big5 are the encodings Chinese pages still use;
    UTF-16 comes from Windows editors. Each is tried strictly; the one whose decoded text is
    most plausible (ASCII, common CJK characters, CJK punctuation) wins if plausible enough.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    utf16 = _looks_utf16(data)
    if utf16:
        return utf16
    best: tuple[float, str] | None = None
    for codec, name, common in _LEGACY:
        if codec.startswith("utf-16") and len(data) % 2:
            continue
        try:
            s = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _plausibility(s, common)
        if best is None or score > best[0]:
            best = (score, name)
    if best and best[0] >= 0.9:
        return best[1]
    return None


def decode_article(data: bytes, path: str | Path = "<bytes>") -> str:
    """Bytes to THE text, or raise the :class:`ArticleError` that says why not."""
    if not data:
        raise EmptyArticle(path, "empty file (0 bytes)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        enc = _guess_legacy_encoding(data)
        raise NotUtf8Article(path, f"not UTF-8 (looks like {enc}); save it as UTF-8", enc)
    if data.startswith(_BINARY_MAGIC):
        raise BinaryArticle(path, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        enc = _guess_legacy_encoding(data)
        if enc:
            raise NotUtf8Article(
                path, f"not UTF-8 (invalid byte at {exc.start}; looks like {enc}); save it as UTF-8", enc
            ) from None
        replaced = data.decode("utf-8", errors="replace")
        if b"\x00" in data or _share_of_text(replaced.replace("\ufffd", "")) < 0.9 or (
            replaced.count("\ufffd") > max(8, 0.05 * len(replaced))
        ):
            raise BinaryArticle(path, "binary file, not text") from None
        raise NotUtf8Article(path, f"not UTF-8 (invalid byte at {exc.start}; encoding unknown)") from None
    if "\x00" in text:
        raise BinaryArticle(path, "binary file, not text (NUL bytes)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not any(not ch.isspace() and ch != "\ufeff" for ch in text):
        raise EmptyArticle(path, "empty article (only white space)")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\v")
    if controls > max(8, 0.05 * len(text)):
        raise BinaryArticle(path, "binary file, not text (control characters)")
    head = text[:4096]
    if _HTML_START.search(head) or len(_HTML_STRUCTURE.findall(head)) >= 2 or len(_HTML_TAG.findall(text)) >= 10:
        raise HtmlArticle(path, "HTML, not plain text; extract the article's text first")
    return text


def read_article(path: str | Path) -> Article:
    """Read one article file per the contract, raising :class:`ArticleError` on bad input."""
    p = Path(path)
    if not p.exists():
        raise MissingArticle(path, "no such file")
    if p.is_dir():
        raise MissingArticle(path, "is a directory, not a file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise MissingArticle(path, f"cannot be read ({exc.strerror or exc})") from None
    return Article(article_id=article_id_for(p), text=decode_article(data, path), source=str(path))
