"""Read an article exactly as the contract defines it, or say in one line why not.

The text is ``open(path, encoding="utf-8-sig").read()``: UTF-8, a leading BOM dropped, and
universal newlines (``\\r\\n`` and ``\\r`` become ``\\n``). Every offset in the project is a
code-point offset into that string. Input that is not such a text raises a subclass of
:class:`ArticleError` whose message names the file and what is wrong; the command line turns
it into the contract's ``error:`` line.
"""

from __future__ import annotations

import os
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
    "file_problem",
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
# A line of a fragment copied from a page: it opens with a block element (and usually closes one)
_HTML_BLOCK_LINE = re.compile(r"^\s*<(p|div|li|ul|ol|h[1-6]|table|tr|td|th|section|article|blockquote|br)\b[^<>]*>", re.I)


def _is_html_fragment(text: str) -> bool:
    """A fragment without a doctype: at least two lines, and most of the non-blank lines, open with
    a block element (``<p>…</p>`` lines). Prose that mentions a tag is not one."""
    lines = [line for line in text[:20000].split("\n") if line.strip()]
    tagged = sum(1 for line in lines if _HTML_BLOCK_LINE.match(line))
    return tagged >= 2 and tagged * 2 > len(lines)


def _looks_utf32(data: bytes) -> str | None:
    """UTF-32 without a BOM: the two high bytes of every four are NUL (Chinese and ASCII alike)."""
    if len(data) < 8 or len(data) % 4:
        return None
    sample = data[:4096]
    if not any(sample[2::4]) and not any(sample[3::4]):
        return "UTF-32LE"
    if not any(sample[0::4]) and not any(sample[1::4]):
        return "UTF-32BE"
    return None


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


# Characters that make up much of any Chinese text (function words, and the words of this genre), in
# simplified and traditional forms. Text in another script decoded as GB18030 or Big5 yields level-1
# characters at random, of which few are these; real Chinese text is a third or more of them.
_COMMON_ZH = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用"
    "道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心本前开但因只从想实日意无"
    "与长把机十第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应向头文体相见被利什二等产或新己"
    "身果加月话合回特代内信表化老给位次度门任常先通教原东声提立及比员电费免收客服号码钱打拨线网务请您吗呢吧"
    "這個們來為國說時會對於後裡過發麼還進種經樣現當沒動開見從實與長機點業將兩問應頭體產話電費號碼錢撥線網務"
    "請給門專撥嗎"
)
_COMMON_SHARE = 0.3  # of the decoded CJK characters, at least this share must be common
_MIN_CJK = 6  # fewer decoded CJK characters than this is no evidence at all


def _common_share(s: str) -> float:
    """Share of the CJK characters of a decoded string that are common in Chinese text (0 if too few)."""
    cjk = [ch for ch in s if "\u4e00" <= ch <= "\u9fff"]
    if len(cjk) < _MIN_CJK:
        return 0.0
    return sum(ch in _COMMON_ZH for ch in cjk) / len(cjk)


# (Python codec, name shown to the user): the legacy encodings Chinese pages still use, and UTF-16
# without a byte-order mark or ASCII (so without NUL bytes), as Windows editors save it
_LEGACY = (("gb18030", "GB18030"), ("big5", "Big5"), ("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE"))


def _guess_legacy_encoding(data: bytes) -> str | None:
    """Name the encoding of text that is not UTF-8 only on strong evidence, else None.

    A byte-order mark names UTF-32 or UTF-16; NUL bytes in every other place name UTF-16 without
    one. GB18030 (a superset of GBK and GB2312) or Big5 is named only when the text decodes
    strictly in it AND reads as Chinese: a third of its characters are among the most common
    ones (``_COMMON_ZH``). Japanese, Korean or Western text in a legacy encoding decodes into
    random characters or fails, and is left unnamed: a wrong name misleads more than none.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    utf16 = _looks_utf32(data) or _looks_utf16(data)
    if utf16:
        return utf16
    best: tuple[float, str] | None = None
    for codec, name in _LEGACY:
        if codec.startswith("utf-16") and len(data) % 2:
            continue
        try:
            score = _common_share(data.decode(codec))
        except UnicodeDecodeError:
            continue
        if best is None or score > best[0]:
            best = (score, name)
    if best and best[0] >= _COMMON_SHARE:
        return best[1]
    return None


def decode_article(data: bytes, path: str | Path = "<bytes>") -> str:
    """Bytes to THE text, or raise the :class:`ArticleError` that says why not."""
    if not data:
        raise EmptyArticle(path, "empty file (0 bytes)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or _looks_utf32(data) or _looks_utf16(data):
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
        # Text in any encoding has hardly any control bytes; binary data has many (1 byte in 8 at random)
        controls = sum(1 for b in data[:65536] if b < 32 and b not in b"\t\n\r\f\v\x1b")
        if b"\x00" in data or controls > max(8, 0.01 * min(len(data), 65536)):
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
    if (_HTML_START.search(head) or len(_HTML_STRUCTURE.findall(head)) >= 2 or len(_HTML_TAG.findall(text)) >= 10
            or _is_html_fragment(text)):
        raise HtmlArticle(path, "HTML, not plain text; extract the article's text first")
    return text


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be an article file (missing, a folder, not reachable or not readable), or
    None; nothing is read."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "no such file"
    except OSError as exc:  # a folder on the way that may not be entered, a loop of links
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        if not os.access(path, os.R_OK | os.X_OK):
            return "is a folder that cannot be read (Permission denied)"
        return "is a directory, not a file"
    if not os.access(path, os.R_OK):
        return "cannot be read (Permission denied)"
    return None


def read_article(path: str | Path) -> Article:
    """Read one article file per the contract, raising :class:`ArticleError` on bad input."""
    p = Path(path)
    problem = file_problem(p)
    if problem:
        raise MissingArticle(path, problem)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise MissingArticle(path, f"cannot be read ({exc.strerror or exc})") from None
    return Article(article_id=article_id_for(p), text=decode_article(data, path), source=str(path))
