"""The phone numbers an article gives: where, as written, normalised, of which type, and the claim
each belongs to (``numbers.csv``).

A number is a run of digits with the dashes, single spaces, brackets and country code that group
it (``number_words.csv``, role ``candidate``), on the normalised text, so full-width digits count
and offsets stay valid. A run right after an identifier or amount word (订单号, 尾号, ¥) or right
before a unit (元, 年, %, 分钟) is a quantity, not a number.

Its type (``number_types.csv``, the one list of number types):

1. a number with a country code, or any number of 7 digits or more, is parsed with
   ``phonenumbers`` (libphonenumber's metadata): for the mainland, or for Taiwan or Hong Kong where
   the article is about one of them and the number is valid there. libphonenumber's type decides
   where a row of ``number_types.csv`` names it (``library_type``: SHARED_COST is 400, TOLL_FREE
   is 800, MOBILE, FIXED_LINE); outside the mainland TOLL_FREE is ``overseas_toll_free`` and any
   other valid number ``overseas``;
2. otherwise the digits are matched against each type's sourced prefix pattern (``digits``):
   95xxx, 96xxx, the carriers' lines, 12315, the other 12xxx lines, 110/119/120/122 …;
3. what neither knows is ``other``.

Numbers that are ambiguous without a call spoken of right before them (``needs_context``: 110, a
local number without its area code, ``other``) count only after 拨打, 电话：, 热线是 and the like.
A run that fits no type whole (two numbers side by side, 10086 10010) is read group by group.

``type_source`` says which decided: ``phonenumbers:<TYPE>`` or the row id of ``number_types.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from .claims import normalize_for_matching
from .rules import lexicon
from .sentences import Sentence
from .vocab import NUMBER_CHANNELS

__all__ = ["NUMBER_COLUMNS", "PhoneNumber", "find_numbers", "numbers_frame", "number_type_of"]

NUMBER_COLUMNS = ["article_id", "number_id", "sentence_id", "start", "end", "number", "normalized", "number_type",
                  "type_source", "region", "claim_id", "channel", "company"]
_LIBRARY_TYPE_NAMES = {v: k for k, v in vars(PhoneNumberType).items() if k.isupper() and isinstance(v, int)}


@dataclass(frozen=True)
class PhoneNumber:
    sentence_id: int
    start: int
    end: int
    number: str
    normalized: str
    number_type: str
    type_source: str
    region: str


@lru_cache(maxsize=1)
def _words() -> dict[str, re.Pattern]:
    return {r["role"]: r.regex for r in lexicon.load("number_words")}


@lru_cache(maxsize=1)
def _types() -> tuple[tuple[str, str, re.Pattern | None, str, bool], ...]:
    """(row id, number type, digits pattern, library type, needs context) per row of number_types.csv."""
    return tuple((r.id, r["number_type"], re.compile(r["digits"]) if r["digits"] else None, r["library_type"],
                  r["needs_context"] == "true") for r in lexicon.load("number_types"))


def _by_library_type(name: str, digits: str) -> tuple[str, str] | None:
    """The mainland type that is libphonenumber's type ``name`` for these digits: the row naming the
    library type whose prefix pattern (if it has one) the digits match (SHARED_COST is 400 only for
    400 numbers, not for the 1010 numbers libphonenumber also counts as shared cost)."""
    for rid, ntype, pattern, lib, _ctx in _types():
        if lib == name and not ntype.startswith("overseas") and (pattern is None or pattern.fullmatch(digits)):
            return rid, ntype
    return None


def number_type_of(text: str, regions: tuple[str, ...] = (), call_before: bool = True) -> tuple[str, str, str, str] | None:
    """(number type, type source, normalised form, region) of a number as written (normalised text),
    or None when it is no phone number here (ambiguous without a call spoken of). Digits masked with
    x (400-xxx-5288) are typed by their prefix and kept masked in the normalised form."""
    masked = bool(_MASK.search(text))
    digits = re.sub(r"[^\dx×*]", "", text)
    if masked and sum(ch.isdigit() for ch in digits) < _MASKED_MIN_DIGITS:
        return None  # 95xxx, 400-xxx: a kind of number written as a pattern, not a number
    # +86 95588 has a country code; +10000 (区号+10000) is a plus sign before a number
    international = text.lstrip().startswith("+") and (len(digits) >= 8 or digits.startswith(("86", "852", "853", "886")))
    national = digits[2:] if international and digits.startswith("86") else digits
    service = _service_number(national) if len(national) <= 8 else None
    if service:  # a mainland service number (95588, +86 95588) by its sourced prefix, before the library
        return service
    if not masked and (international or len(digits) >= 7):
        typed = _library_type(text, digits, regions, international, call_before)
        if typed is not False:
            return typed
    if international and not digits.startswith("86"):
        return None  # a number of another country that libphonenumber does not know
    digits = national  # what is left of a mainland number written with its country code
    prefix = _MASK.sub("0", digits)  # a masked digit stands for any digit: the prefix decides
    regional = None
    # Taiwan and Hong Kong short codes have 3 to 5 digits not starting with 0 (165, 1999; 0800 alone is
    # a kind of number), their local numbers 7 or 8 not starting with 0 or 1 (a mainland 1010 number,
    # a year of this century such as 2024, is none of them)
    short = 3 <= len(digits) <= 5 and prefix[0] != "0" and not re.fullmatch(r"20\d\d", digits)
    local = len(digits) in (7, 8) and prefix[0] not in "01"
    if regions and call_before and (short or local):
        # a short code or a local number of Taiwan or Hong Kong (165, 1000, 2887 3411) in an article about it
        regional = ("overseas", "number.overseas", digits, regions[0])
    for rid, ntype, pattern, _lib, needs_context in _types():
        m = pattern.fullmatch(prefix) if pattern else None
        if m:
            if needs_context or m.groupdict().get("local"):
                if regional:
                    return regional
                if not call_before:
                    return None
            return ntype, rid, digits, (regions[0] if regions else "") if ntype.startswith("overseas") else "CN"
    if regional:
        return regional
    if call_before and len(digits) >= 5:
        return "other", "number.other", digits, ""
    return None


def _service_number(digits: str) -> tuple[str, str, str, str] | None:
    """The type of a mainland service number (95xxx, 96xxx, 100xx, 12xxx) whose prefix row needs no
    library type and no call spoken of, or None."""
    for rid, ntype, pattern, lib, needs_context in _types():
        if pattern is not None and not lib and not needs_context and not ntype.startswith("overseas") \
                and pattern.fullmatch(digits):
            return ntype, rid, digits, "CN"
    return None


_MASK = re.compile(r"[x×*]")
_MASKED_MIN_DIGITS = 4  # a masked number shows at least this many of its digits


def _library_type(text: str, digits: str, regions: tuple[str, ...], international: bool, call_before: bool):
    """The type libphonenumber gives a whole number (None: no number here), or False when it knows
    none for it. The regions the article is about first (a local number there is theirs), then the
    mainland; Taiwan's 0800 and 0809 numbers are tried as such."""
    tried = (None,) if international else (*regions, "CN", *(("TW",) if digits[:4] in ("0800", "0809") else ()))
    for region in dict.fromkeys(tried):
        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(parsed):
            continue
        where = phonenumbers.region_code_for_number(parsed) or region or ""
        name = _LIBRARY_TYPE_NAMES.get(phonenumbers.number_type(parsed), "UNKNOWN")
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if where != "CN":
            ntype = "overseas_toll_free" if name == "TOLL_FREE" else "overseas"
            return ntype, f"phonenumbers:{name}", e164, where
        found = _by_library_type(name, digits)
        if found:
            local = found[1] == "landline" and not digits.startswith("0")
            if local and regions:
                continue  # a local number in an article about Taiwan or Hong Kong is theirs
            if local and not call_before:
                return None
            return found[1], f"phonenumbers:{name}", e164, "CN"
    return False


def _article_regions(norm_text: str) -> tuple[str, ...]:
    """The regions outside the mainland an article names (number_words.csv, region_tw and region_hk)."""
    words = _words()
    return tuple(region for region in ("TW", "HK") if words[f"region_{region.lower()}"].search(norm_text))


def find_numbers(text: str, sentences: Iterable[Sentence]) -> Iterator[PhoneNumber]:
    """Every phone number of the article ``text``, in text order."""
    words = _words()
    regions = _article_regions(normalize_for_matching(text))
    for s in sentences:
        norm = normalize_for_matching(s.text)
        if not any(ch.isdigit() for ch in norm):
            continue
        listed_until = -1  # the end of the latest number, when more may follow it in a list (110/119/120)
        for m in words["candidate"].finditer(norm):
            before, after = norm[max(0, m.start() - 12) : m.start()], norm[m.end() : m.end() + 6]
            if words["label_before"].search(before) or words["unit_after"].match(after) or words["date"].match(m.group()):
                continue
            call = bool(words["call_before"].search(before) or words["call_after"].match(after)) or (
                listed_until >= 0 and bool(words["list_joiner"].fullmatch(norm, listed_until, m.start())))
            found = list(_read_run(s, norm, m.start(), m.end(), regions, call))
            listed_until = m.end() if found and call else -1
            yield from found


def _read_run(s: Sentence, norm: str, start: int, end: int, regions: tuple[str, ...], call: bool) -> Iterator[PhoneNumber]:
    parts = [(start + p.start(), start + p.end()) for p in re.finditer(r"[^ ]+", norm[start:end])]
    if len(parts) > 1:  # numbers side by side (10086 10010): each group a whole number of a known type
        typed = [number_type_of(norm[a:b], regions, call) for a, b in parts]
        if all(t is not None and t[0] != "other" and len(norm[a:b]) >= 5 for t, (a, b) in zip(typed, parts)):
            for (a, b), t in zip(parts, typed):
                yield PhoneNumber(s.sentence_id, s.start + a, s.start + b, s.text[a:b], t[2], t[0], t[1], t[3])
            return
    typed = number_type_of(norm[start:end], regions, call)
    if typed is not None:
        yield PhoneNumber(s.sentence_id, s.start + start, s.start + end, s.text[start:end], typed[2], typed[0], typed[1],
                          typed[3])


def _linked_claim(number: PhoneNumber, claims: list[dict]) -> dict | None:
    """The claim of the number's sentence whose phone channel is named nearest the number."""
    near = [c for c in claims if c["channel"] in NUMBER_CHANNELS]
    if not near:
        return None
    return min(near, key=lambda c: (abs(c["mention_start"] - number.start), NUMBER_CHANNELS.index(c["channel"])))


def numbers_frame(article_id: str, text: str, sentences: Iterable[Sentence], claims=None):
    """``numbers.csv`` of one article: its numbers in text order, each linked to a claim of
    ``claims`` (the article's claims table) where one of its sentence is about a phone channel."""
    from .io import frame_of_rows

    by_sentence: dict[int, list[dict]] = {}
    if claims is not None:
        cols = ("sentence_id", "claim_id", "channel", "company", "mention_start")
        for values in zip(*(claims[c] for c in cols)):
            by_sentence.setdefault(int(values[0]), []).append(dict(zip(cols, values)))
    rows = []
    for n, num in enumerate(find_numbers(text, sentences), start=1):
        claim = _linked_claim(num, by_sentence.get(num.sentence_id, []))
        rows.append({"article_id": article_id, "number_id": f"{article_id}-n{n:03d}", "sentence_id": num.sentence_id,
                     "start": num.start, "end": num.end, "number": num.number, "normalized": num.normalized,
                     "number_type": num.number_type, "type_source": num.type_source, "region": num.region,
                     "claim_id": claim["claim_id"] if claim else "", "channel": claim["channel"] if claim else "",
                     "company": claim["company"] if claim else ""})
    # text columns as text even when the article gives no number (an empty table reads back so)
    return frame_of_rows(rows, NUMBER_COLUMNS, {"sentence_id": "int64", "start": "int64", "end": "int64"}, default="str")
