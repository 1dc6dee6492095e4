"""The data dictionary: one schema per table the project writes or reads, the single source of truth.

* :data:`SCHEMAS`: the tables of ``data/processed/`` (an article build writes the same tables
  into ``reports/<article_id>/``), with their primary and foreign keys;
* :data:`LEXICON_SCHEMAS`, :data:`BILLING_SCHEMA`, :func:`annotation_schema`: the lexicon rule tables,
  the sourced billing facts and the seed's gold annotations.

Generated from them: ``data/README.md`` and the root ``datapackage.json`` by :func:`write_docs`, and
each build folder's ``datapackage.json`` (``data/processed/`` for the seed) by ``channelcost build``
through :func:`table_package` (a Frictionless Data Package of those tables, paths relative to
its own folder). The root ``datapackage.json`` (:func:`project_package`) holds all of the project's
tabular data, paths relative to the project root. Tests validate both with ``frictionless`` and check that every
CSV matches its schema (:func:`validate_csv`, the quick home-made check kept for the processed tables).

No vocabulary list that has a home elsewhere is spelled here: channel labels, costs and audiences
come from :mod:`channelcost.vocab`, actions from ``data/lexicon/actions.csv``
(:func:`channelcost.advice.load_actions`), the consolidated and fact-check verdicts from
:mod:`channelcost.consolidate` and :mod:`channelcost.factcheck`, the number types from
``data/reference/billing.csv``. Only the values that no other list holds are written here
(``claims.via``, ``recommendations.basis``, a cost cue's ``none``, an action's audience ``any``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import compare, consolidate, factcheck, paths
from .advice import ADVICE_RULE_CATEGORIES, load_actions
from .companies import COMPANIES
from .io import write_text_atomic
from .pipeline import KEYWORD_METHODS
from .reading import read_article
from .vocab import AUDIENCES, CHANNELS, COSTS, STATED_COSTS

__all__ = ["SCHEMAS", "ALL_TABLES", "LEXICON_SCHEMAS", "BILLING_SCHEMA", "ROOT_DATAPACKAGE", "annotation_schema",
           "article_source", "billing_sources", "table_package", "project_package", "datapackage", "package_json",
           "render_readme", "write_docs", "validate_csv"]

ROOT_DATAPACKAGE = paths.ROOT / "datapackage.json"


def _f(name: str, type_: str, description: str, **constraints) -> dict:
    field = {"name": name, "type": type_, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _fk(fields: list[str], resource: str, ref_fields: list[str] | None = None) -> dict:
    """A foreign key: ``fields`` of this table must be found as ``ref_fields`` of ``resource``."""
    return {"fields": fields, "reference": {"resource": resource, "fields": ref_fields or fields}}


SENTENCE_KEY = ["article_id", "sentence_id"]
ARTICLE_ID = _f("article_id", "string", "The article's file name without its extension.", required=True)
SENTENCE_ID = _f("sentence_id", "integer", "0-based sentence index (sentences.csv).", required=True, minimum=0)


def _offsets(of: str) -> list[dict]:
    """The start and end fields of a row whose text is ``of`` (the evidence, the number) in the article."""
    return [_f("start", "integer", f"Code-point offset of the {of} in the article text.", required=True, minimum=0),
            _f("end", "integer", f"Code-point offset just past the {of}; text[start:end] == {of}.", required=True, minimum=1)]


SCHEMAS: dict[str, dict] = {
    "sentences": {
        "path": "sentences.csv",
        "title": "Sentences",
        "description": "One row per sentence of each article, from channelcost.sentences.split_sentences.",
        "primaryKey": ["article_id", "sentence_id"],
        "fields": [
            ARTICLE_ID,
            _f("sentence_id", "integer", "0-based index of the sentence in the article.", required=True, minimum=0),
            _f("paragraph_id", "integer", "0-based index of the paragraph (non-blank line).", required=True, minimum=0),
            _f("start", "integer", "Code-point offset where the sentence starts in the article text.", required=True, minimum=0),
            _f("end", "integer", "Code-point offset just past the sentence; text[start:end] is the sentence.", required=True, minimum=1),
            _f("is_heading", "boolean", "A short line without closing punctuation (a heading).", required=True),
            _f("n_chars", "integer", "Characters in the sentence (end - start).", required=True, minimum=1),
            _f("n_tokens", "integer", "jieba tokens in the sentence, punctuation included, white space excluded.", required=True, minimum=0),
            _f("text", "string", "The sentence, verbatim.", required=True),
        ],
    },
    "tokens": {
        "path": "tokens.csv",
        "title": "Tokens",
        "description": "One row per jieba token (white space excluded), with the project's user dictionary loaded.",
        "primaryKey": ["article_id", "token_id"],
        "foreignKeys": [_fk(SENTENCE_KEY, "sentences")],
        "fields": [
            ARTICLE_ID,
            _f("token_id", "integer", "0-based index of the token in the article.", required=True, minimum=0),
            _f("sentence_id", "integer", "The sentence the token belongs to (sentences.csv).", required=True, minimum=0),
            _f("start", "integer", "Code-point offset of the token in the article text.", required=True, minimum=0),
            _f("end", "integer", "Code-point offset just past the token; text[start:end] is the token.", required=True, minimum=1),
            _f("token", "string", "The token, verbatim.", required=True),
            _f("pos", "string", "jieba.posseg part-of-speech tag where the tagger cut the same span, else empty."),
            _f("is_punct", "boolean", "The token is only punctuation or symbols.", required=True),
            _f("is_stopword", "boolean", "The token is in data/lexicon/stopwords-zh.txt.", required=True),
            _f("in_user_dict", "boolean", "The token is a word of data/lexicon/userdict.txt.", required=True),
        ],
    },
    "segmentation": {
        "path": "segmentation.csv",
        "title": "What the user dictionary changes",
        "description": (
            "One row per word of data/lexicon/userdict.txt that occurs in the article: how jieba cuts it "
            "with its default dictionary and with the project's, in the first sentence that has it "
            "(channelcost.pipeline.segmentation_comparison)."
        ),
        "primaryKey": ["article_id", "word"],
        "fields": [
            ARTICLE_ID,
            _f("word", "string", "The user-dictionary word.", required=True),
            _f("occurrences", "integer", "Times the word occurs in the article text (substring count).", required=True, minimum=1),
            _f("default_cut", "string", "The default tokenizer's tokens over the word, '/'-joined.", required=True),
            _f("project_cut", "string", "The project tokenizer's tokens over the word, '/'-joined.", required=True),
            _f("fixed", "boolean", "The project keeps the word whole where default jieba did not.", required=True),
        ],
    },
    "keywords": {
        "path": "keywords.csv",
        "title": "Keywords",
        "description": (
            "The article's top keywords by two methods of jieba.analyse run with the project's tokenizer: "
            "TF-IDF (jieba's IDF table, stop words of data/lexicon/stopwords-zh.txt removed) and TextRank "
            "(nouns and verbs, over the part-of-speech tagger). Ties are ranked by the word."
        ),
        "primaryKey": ["article_id", "method", "rank"],
        "fields": [
            ARTICLE_ID,
            _f("method", "string", "How the keyword was ranked.", required=True, enum=list(KEYWORD_METHODS)),
            _f("rank", "integer", "1 for the top keyword of the method.", required=True, minimum=1),
            _f("word", "string", "The keyword.", required=True),
            _f("weight", "number", "The method's weight (TF-IDF score, or TextRank weight scaled to 1 at the top), rounded to 4 places.", required=True, minimum=0),
        ],
    },
}

_CHANNELS = list(CHANNELS)  # from data/lexicon/channel_labels.csv
_COMPANIES = list(COMPANIES)  # from data/lexicon/companies.csv
_COSTS = list(COSTS)
_STATED = list(STATED_COSTS)
_AUDIENCES = list(AUDIENCES)
_ACTIONS = [a.action for a in load_actions()]  # data/lexicon/actions.csv

SCHEMAS["claims"] = {
    "path": "claims.csv",
    "title": "Channel-cost claims",
    "description": (
        "One row per contact channel mentioned in a sentence (the contract's claims.csv), from "
        "channelcost.claims.extract_claims; rows sorted by (article_id, start, channel). The rules are "
        "in data/annotations/GUIDELINES.md and the claims module's docstring."
    ),
    "primaryKey": ["claim_id"],
    "foreignKeys": [_fk(SENTENCE_KEY, "sentences"), _fk(["article_id", "channel"], "channels")],
    "fields": [
        ARTICLE_ID,
        _f("claim_id", "string", "{article_id}-{n:03d}, n counting from 1 in text order.", required=True, pattern=r".+-\d{3,}"),
        SENTENCE_ID,
        *_offsets("evidence"),
        _f("evidence", "string", "The sentence that makes the claim, verbatim.", required=True),
        _f("channel", "string", "The contact channel (the contract's channel vocabulary).", required=True, enum=_CHANNELS),
        _f("cost", "string", "What the text says using the channel costs the consumer.", required=True, enum=_COSTS),
        _f("cue", "string", "The words that decided cost, verbatim, '|'-separated; empty when unstated."),
        _f("hedged", "boolean", "A hedge (通常, 一般, 有些, 可能, 大部分 …) qualifies the cost statement.", required=True),
        _f("negated", "boolean", "A negation flips a cost word (并非免费, 不完全免费, 不收费, 非付费 …).", required=True),
        _f("rules", "string", "The ;-separated ids of the rules that decided the row: sentence type, channel pattern, cost cue, modifiers (negation, hedge, condition, question) and attribution (data/lexicon/*.csv; attr.* are the attribution steps of channelcost.claims).", required=True),
        _f("mention", "string", "The words that name the channel, verbatim, '|'-separated (for anaphora: the pointing words); empty when the channel is carried over from the clause or field before (via context), which names it."),
        _f("mention_start", "integer", "Code-point offset of the first mention in the article text.", required=True, minimum=0),
        _f("mention_end", "integer", "Code-point offset just past the first mention.", required=True, minimum=1),
        _f("via", "string", "How the channel was found: named (mention), through a reference back (anaphora), or carried over from the clause before (context).", required=True, enum=["mention", "anaphora", "context"]),
        _f("company", "string", "The company the claim is about (data/lexicon/companies.csv id; channelcost.companies, rules in data/annotations/COMPANY_GUIDELINES.md); empty when the text names none.", enum=_COMPANIES),
    ],
}

SCHEMAS["channels"] = {
    "path": "channels.csv",
    "title": "Consolidated verdict per channel",
    "description": (
        "One row per article and channel mentioned, from channelcost.consolidate. Rule: unstated claims "
        "only count as mentions; no cost stated gives unstated; all stated costs equal gives that cost; "
        "free beside paid gives conflicting; otherwise the most frequent stated cost (varies on a tie)."
    ),
    "primaryKey": ["article_id", "channel"],
    "fields": [
        ARTICLE_ID,
        _f("channel", "string", "The contact channel.", required=True, enum=_CHANNELS),
        _f("verdict", "string", "The consolidated cost.", required=True, enum=list(consolidate.VERDICTS)),
        _f("n_claims", "integer", "Claims about the channel.", required=True, minimum=1),
        _f("n_stated", "integer", "Claims that state a cost (not unstated).", required=True, minimum=0),
        _f("n_free", "integer", "Claims saying free.", required=True, minimum=0),
        _f("n_paid", "integer", "Claims saying paid.", required=True, minimum=0),
        _f("n_varies", "integer", "Claims saying it varies.", required=True, minimum=0),
        _f("n_hedged", "integer", "Cost-stating claims that are hedged.", required=True, minimum=0),
        _f("n_negated", "integer", "Cost-stating claims that are negated.", required=True, minimum=0),
        _f("claim_ids", "string", "The claims behind the verdict, ';'-separated (claims.csv; a list, so no foreign key).", required=True),
        _f("dissent", "string", "Claims whose stated cost differs from the verdict, ';'-separated."),
        _f("company", "string", "The company most of the channel's claims are about (the first in text order on a tie; companies.csv id); empty when none names one.", enum=_COMPANIES),
    ],
}

SCHEMAS["recommendations"] = {
    "path": "recommendations.csv",
    "title": "Recommendations (pieces of advice)",
    "description": (
        "One row per piece of advice at clause level (the contract's recommendations.csv), from "
        "channelcost.advice.extract_recommendations; rows sorted by (article_id, start). What counts as advice is "
        "in data/annotations/ADVICE_GUIDELINES.md; the rules that find it are data/lexicon/advice_rules.csv, the "
        "actions data/lexicon/actions.csv."
    ),
    "primaryKey": ["rec_id"],
    "foreignKeys": [_fk(SENTENCE_KEY, "sentences"), _fk(["article_id", "audience", "action"], "advice")],
    "fields": [
        ARTICLE_ID,
        _f("rec_id", "string", "{article_id}-r{n:03d}, n counting from 1 in text order.", required=True, pattern=r".+-r\d{3,}"),
        _f("sentence_id", "integer", "Sentence index, as in claims.csv.", required=True, minimum=0),
        *_offsets("evidence"),
        _f("evidence", "string", "The advice, verbatim (a clause or a run of clauses).", required=True),
        _f("audience", "string", "Who is advised.", required=True, enum=_AUDIENCES),
        _f("action", "string", "What they are advised to do (data/lexicon/actions.csv).", required=True, enum=_ACTIONS),
        _f("channels", "string", "Channel labels the advice names or implies, ';'-separated, empty if none."),
        _f("cue", "string", "The words that mark it as advice (建议, 应该, 最好, 尽量, 可以先, 需要 …, or 首先/例如 for steps and examples).", required=True),
        _f("section", "string", "The heading of the section the advice stands in (empty before the first heading)."),
        _f("basis", "string", "Why it counts as advice: an advice word (cue), a duty (duty), an option in a situation (option), a step or an example in an advice section (step, example).", required=True, enum=["cue", "duty", "option", "step", "example"]),
        _f("rules", "string", "The ;-separated ids of the rules of data/lexicon/advice_rules.csv that decided the row: the cue (with the condition that makes an option, or the step word and the advice heading), an alternative clause joined to it, and the action.", required=True),
    ],
}

SCHEMAS["advice"] = {
    "path": "advice.csv",
    "title": "Unique advice items",
    "description": (
        "One row per article, audience and action: the article's repeated advice grouped, with the "
        "consolidated cost (channels.csv) of every channel it points to."
    ),
    "primaryKey": ["advice_id"],
    "fields": [
        ARTICLE_ID,
        _f("advice_id", "string", "{article_id}-a{n:02d}, numbered by first occurrence.", required=True),
        _f("audience", "string", "Who is advised.", required=True, enum=_AUDIENCES),
        _f("action", "string", "What they are advised to do.", required=True, enum=_ACTIONS),
        _f("description", "string", "The action's description from data/lexicon/actions.csv.", required=True),
        _f("occurrences", "integer", "How many times the article gives this advice.", required=True, minimum=1),
        _f("rec_ids", "string", "The recommendations grouped here, ';'-separated (recommendations.csv; a list, so no foreign key: recommendations point here by article, audience and action).", required=True),
        _f("sentence_ids", "string", "Their sentences, ';'-separated.", required=True),
        _f("channels", "string", "Union of the channels they point to, ';'-separated."),
        _f("channel_costs", "string", "channel=verdict for each, from channels.csv (not_in_claims if the article states nothing about it)."),
        _f("example", "string", "The first occurrence's evidence.", required=True),
    ],
}

_NUMBER_TYPES = list(factcheck.NUMBER_TYPES)  # data/lexicon/number_types.csv

SCHEMAS["fact_checks"] = {
    "path": "fact_checks.csv",
    "title": "Fact checks of the cost claims",
    "description": (
        "One row per claim of claims.csv that states a cost (free, paid, varies), checked against the sourced "
        "billing facts of data/reference/billing.csv by channelcost.factcheck (the rules are in its docstring). "
        "fact_ids and number_types are ';'-lists, so they are no foreign keys into billing.csv."
    ),
    "primaryKey": ["claim_id"],
    "foreignKeys": [_fk(["claim_id"], "claims"), _fk(SENTENCE_KEY, "sentences"), _fk(["article_id", "channel"], "channels")],
    "fields": [
        ARTICLE_ID,
        _f("claim_id", "string", "The claim checked (claims.csv).", required=True),
        _f("sentence_id", "integer", "Its sentence.", required=True, minimum=0),
        _f("channel", "string", "The claim's channel.", required=True, enum=_CHANNELS),
        _f("cost", "string", "The claim's cost.", required=True, enum=_STATED),
        _f("number_types", "string", f"Kinds of number the check used (data/lexicon/number_types.csv: {', '.join(_NUMBER_TYPES)}), ';'-separated; empty if none."),
        _f("verdict", "string", "How the sourced facts bear on the claim.", required=True, enum=list(factcheck.VERDICTS)),
        _f("fact_ids", "string", "The reference rows used (data/reference/billing.csv), ';'-separated."),
        _f("reason", "string", "One sentence saying why.", required=True),
        _f("number_source", "string", "Where the number types come from: the numbers the claim gives (given, numbers.csv), the kind of number its sentence names (named), numbers given for the channel elsewhere in the article (elsewhere), or the type the channel implies (channel); empty when there are none.", enum=list(factcheck.NUMBER_SOURCES)),
    ],
}

SCHEMAS["numbers"] = {
    "path": "numbers.csv",
    "title": "Phone numbers",
    "description": (
        "One row per phone number the article gives, in text order, from channelcost.numbers (the rules are in its "
        "docstring; the types in data/lexicon/number_types.csv, from libphonenumber where it knows the number and "
        "from a sourced prefix table where it does not), each linked to the claim of its sentence whose phone "
        "channel is named nearest it."
    ),
    "primaryKey": ["number_id"],
    "foreignKeys": [_fk(SENTENCE_KEY, "sentences"), _fk(["claim_id"], "claims")],
    "fields": [
        ARTICLE_ID,
        _f("number_id", "string", "{article_id}-n{n:03d}, n counting from 1 in text order.", required=True, pattern=r".+-n\d{3,}"),
        SENTENCE_ID,
        *_offsets("number"),
        _f("number", "string", "The number as written, verbatim.", required=True),
        _f("normalized", "string", "E.164 (+86…) where libphonenumber knows the number, else its digits.", required=True),
        _f("number_type", "string", "The kind of number (data/lexicon/number_types.csv).", required=True, enum=_NUMBER_TYPES),
        _f("type_source", "string", "What decided the type: phonenumbers:<libphonenumber type>, or the id of the number_types.csv row whose sourced prefix pattern matched.", required=True),
        _f("region", "string", "The region the number belongs to (CN, TW, HK …; ISO 3166), empty when unknown."),
        _f("claim_id", "string", "The claim the number belongs to (claims.csv): in its sentence, the phone channel named nearest it; empty if none."),
        _f("channel", "string", "That claim's channel; empty if none.", enum=_CHANNELS),
        _f("company", "string", "That claim's company (companies.csv id); empty if none.", enum=_COMPANIES),
    ],
}

ALL_TABLES = tuple(SCHEMAS)  # the tables of one article's build (channelcost build)

# the tables of a corpus comparison (channelcost compare): the per-article tables of every article,
# and three that compare them; in the project, data/processed/corpus/ (the development articles and the seed)
CORPUS_FOLDER = "corpus"
_VERDICT_COUNTS = [_f(f"n_{v}", "integer", f"Articles whose claims about the company's channel come to {v}.", required=True, minimum=0)
                   for v in consolidate.VERDICTS]
COMPARE_SCHEMAS: dict[str, dict] = {
    "consensus": {
        "path": "consensus.csv",
        "title": "What the articles say together, per company and channel",
        "description": (
            "One row per company and channel the articles name (channelcost.compare): how many articles give each "
            "verdict (the articles' channels.csv rule applied to their claims about that company's channel; a "
            "cluster of near-duplicate articles counts once, through its first article), the consensus over the "
            "articles by the same rule (an article at odds with itself counts as varies; free beside paid is "
            "conflicting), and how the claims behind it stand against the billing facts."
        ),
        "primaryKey": ["company", "channel"],
        "fields": [
            _f("company", "string", "The company (companies.csv id); empty: claims about no company named.", enum=_COMPANIES),
            _f("channel", "string", "The contact channel.", required=True, enum=_CHANNELS),
            _f("articles", "integer", "Articles (clusters counted once) with claims about it.", required=True, minimum=1),
            *_VERDICT_COUNTS,
            _f("consensus", "string", "The verdict over the articles.", required=True, enum=list(consolidate.VERDICTS)),
            _f("facts", "string", "The fact-check verdicts of its claims: all supported, all contradicted, mixed, or none checkable.",
               required=True, enum=list(compare.FACT_STANDING)),
            _f("article_ids", "string", "The articles counted, ';'-separated.", required=True),
        ],
    },
    "contradictions": {
        "path": "contradictions.csv",
        "title": "Articles that contradict each other",
        "description": (
            "For every company and channel that some articles call free and others paid (clusters of near-duplicates "
            "counted once; claims about no company left out), one row per such article with the claim that states "
            "its verdict, side by side."
        ),
        "primaryKey": ["company", "channel", "article_id"],
        "fields": [
            _f("company", "string", "The company (companies.csv id).", required=True, enum=_COMPANIES),
            _f("channel", "string", "The contact channel.", required=True, enum=_CHANNELS),
            ARTICLE_ID,
            _f("verdict", "string", "What the article's claims about it come to.", required=True, enum=["free", "paid"]),
            _f("claim_id", "string", "The article's first claim that states that cost (claims.csv).", required=True),
            _f("sentence_id", "integer", "Its sentence.", required=True, minimum=0),
            _f("evidence", "string", "Its sentence, verbatim.", required=True),
        ],
    },
    "duplicates": {
        "path": "duplicates.csv",
        "title": "Clusters of near-duplicate articles",
        "description": (
            "One row per article: the cluster of near-duplicates it belongs to (MinHash over character 5-grams, "
            "128 hash functions, candidates from locality-sensitive hashing in 32 bands, joined from an estimated "
            "Jaccard similarity of 0.8; channelcost.compare)."
        ),
        "primaryKey": ["article_id"],
        "fields": [
            ARTICLE_ID,
            _f("cluster_id", "string", "The cluster: its first article id (an article alone is its own cluster).", required=True),
            _f("cluster_size", "integer", "Articles in the cluster.", required=True, minimum=1),
            _f("similarity", "number", "Estimated Jaccard similarity of its 5-grams to the cluster's first article.",
               required=True, minimum=0, maximum=1),
        ],
    },
}
CORPUS_TABLES = ("claims", "channels", "fact_checks", "numbers", *COMPARE_SCHEMAS)


def corpus_package(articles: Sequence[dict]) -> dict:
    """The Data Package descriptor of a corpus comparison folder (channelcost compare)."""
    resources = []
    for name in CORPUS_TABLES:
        sch = SCHEMAS.get(name) or COMPARE_SCHEMAS[name]
        keys = [fk for fk in sch.get("foreignKeys", []) if fk["reference"]["resource"] in CORPUS_TABLES]
        resources.append(_resource(name, sch["path"], sch, keys))
    return _fresh({
        "name": "channelcost-corpus",
        "title": _TITLE + ": many articles compared",
        "description": (
            "The claims, channel verdicts, fact checks and phone numbers of every article of a corpus, and what they "
            "say together: the consensus per company and channel, the articles that contradict each other, and the "
            "clusters of near-duplicate articles (channelcost.compare). " + _RIGHTS
        ),
        "profile": "tabular-data-package",
        "licenses": _LICENSES,
        "sources": [*articles, *billing_sources()],
        "resources": resources,
    })

# --- the other tables of the project: lexicon rule tables, billing facts, gold annotations ---------

_RULE_ID = _f("id", "string", "The rule's id, unique in its table (claims.csv rules cites it).", required=True)
_PRIORITY = _f("priority", "integer", "Where rules of the table overlap, the lower priority wins, then the longer match, then the earlier one.", required=True)
_PATTERN = _f("pattern", "string", "A Python regular expression on width-folded, lower-cased, simplified text (channelcost.claims.normalize_for_matching); {platform} / {merchant} stand for the actor patterns of actors.csv.", required=True)
_MUST_MATCH = _f("must_match", "string", "Examples the pattern must match, ';'-separated (tests/test_rules.py checks them).", required=True)
_MUST_NOT = _f("must_not_match", "string", "Examples the pattern must not match, ';'-separated; empty if none.")
_NOTES = _f("notes", "string", "What the rule is for, and the hard calls behind it.")


def _rule_table(title: str, description: str, *own: dict, priority: bool = True, foreign_keys: list | None = None) -> dict:
    """The schema of a rule table: id, its own columns, [priority,] pattern, examples and notes."""
    fields = [_RULE_ID, *own, *([_PRIORITY] if priority else []), _PATTERN, _MUST_MATCH, _MUST_NOT, _NOTES]
    return {"title": title, "description": description, "primaryKey": ["id"], "foreignKeys": foreign_keys or [],
            "fields": fields}


_LABELS = "lexicon-channel_labels"
_LEX_ACTIONS = "lexicon-actions"

# file stem in data/lexicon/ -> schema (resource name lexicon-<stem> in the root package)
LEXICON_SCHEMAS: dict[str, dict] = {
    "channel_labels": {
        "title": "Channel labels",
        "description": "The contract's channel vocabulary with a display name and a description; the only list of channels (channelcost.vocab).",
        "primaryKey": ["label"],
        "fields": [
            _f("label", "string", "The channel label used in every table.", required=True),
            _f("display", "string", "The name shown to readers.", required=True),
            _f("description", "string", "What the label covers.", required=True),
            _f("family", "string", "Labels named together (chat: the app's chat, human or robot); a sentence that goes on about one of a family without naming it is about every member the sentence before named. Empty for most.", required=False),
            _f("phone", "string", "line: a phone line one dials (拨打 with no line named goes to the last one named); number: a channel a phone number can also belong to (a callback's, the service's); empty: no phone.", required=False, enum=["line", "number"]),
            _f("receivable", "boolean", "Whether a call or message on it can reach the consumer (接到…电话, 收到短信): named as what came in, it is no channel the consumer uses.", required=True),
        ],
    },
    "channels": _rule_table(
        "Channel patterns", "Patterns that name a contact channel (data/lexicon/README.md).",
        _f("label", "string", "The channel the pattern names (channel_labels.csv).", required=True),
        _f("kind", "string", "How context decides the channel (the kinds are explained in data/lexicon/README.md).", required=True),
        foreign_keys=[_fk(["label"], _LABELS)],
    ),
    "actors": _rule_table(
        "Actors", "Platforms, carriers, banks and brands (platform), shops (merchant) and the consumer (consumer); the first two are named in other tables' patterns as {platform} / {merchant}.",
        _f("kind", "string", "Which kind of actor the pattern names: platform, merchant or consumer (the audiences of recommendations.csv).", required=True, enum=_AUDIENCES),
        priority=False,
    ),
    "cost_cues": _rule_table(
        "Cost cues", "Words that state what a channel costs, and distractors (运费, 扣费日) that only claim their text.",
        _f("cost", "string", "The cost the cue states, or none for a distractor.", required=True, enum=[*_STATED, "none"]),
        _f("category", "string", "The kind of cue.", required=True),
    ),
    "modifiers": _rule_table(
        "Modifiers", "ConText-style modifiers (questions, negations, hedges, conditions …) that change or drop a cost statement.",
        _f("category", "string", "The kind of modifier (data/lexicon/README.md).", required=True),
        _f("effect", "string", "What it does to the cost statement.", required=True),
        _f("direction", "string", "Which part of the text it governs.", required=True),
    ),
    "anaphora": _rule_table(
        "References back", "Words that point back to channels named before (前者, 后者, 这些渠道, 它) and how each is resolved.",
        _f("kind", "string", "How the reference is resolved.", required=True),
        priority=False,
    ),
    "sentence_types": _rule_table(
        "Sentence types", "Sentence types by pattern (table separator, table row, Q&A line, infobox field, list item); the first that matches.",
        _f("type", "string", "The sentence type.", required=True),
        priority=False,
    ),
    "number_types": _rule_table(
        "Number types", "Kinds of phone number the fact check knows, how the text names them, and which channels use them (channelcost.factcheck).",
        _f("number_type", "string", "The number type, as in the number_type column of data/reference/billing.csv.", required=True, unique=True),
        _f("covers", "string", "The prefix_or_number values of billing.csv that are about the type as such, ';'-separated (narrower facts are kept but not applied); empty for a type no source covers."),
        _f("channels", "string", "The channel labels whose claims are checked against this type when their sentence names it, ';'-separated; empty for a type only numbers.csv gives."),
        _f("implied", "boolean", "true: a claim about those channels is about this type whatever its sentence names; false: only when its sentence (or the article, for the same channel) names a number of the type.", required=True),
        _f("checked_as", "string", "The number type whose billing facts apply to a number of this type (a mobile or landline number is an ordinary one); empty: its own."),
        _f("digits", "string", "The sourced prefix pattern: a Python regular expression the whole digit string of a mainland number of the type matches (channelcost.numbers; a group named local marks a form that needs a call spoken of); empty for types only libphonenumber decides."),
        _f("library_type", "string", "The libphonenumber (phonenumbers) type that is this type, where there is one."),
        _f("needs_context", "boolean", "true: a number of the type counts only where a call is spoken of right before it (number_words.csv, call_before).", required=True),
        _f("source", "string", "Where the prefix pattern or the type comes from."),
        priority=False,
    ),
    "advice_rules": _rule_table(
        "Advice rules", "Patterns that find advice and decide its action (channelcost.advice; data/lexicon/README.md lists the categories).",
        _f("category", "string", "What the rule marks: an advice cue, a condition, a clause role, an action …", required=True,
           enum=list(ADVICE_RULE_CATEGORIES)),
        _f("action", "string", "For category action: the action label the pattern marks (actions.csv); empty otherwise."),
        foreign_keys=[_fk(["action"], _LEX_ACTIONS)],
    ),
    "actions": {
        "title": "Advice actions",
        "description": (
            "The advice action vocabulary (channelcost.advice.load_actions); the patterns that mark each action are "
            "the action rows of advice_rules.csv. channels is a ';'-list of channel labels, so it is no foreign key."
        ),
        "primaryKey": ["action"],
        "fields": [
            _f("action", "string", "The action label used in recommendations.csv and advice.csv.", required=True),
            _f("audience", "string", "Who the action is for (any: every audience).", required=True, enum=[*_AUDIENCES, "any"]),
            _f("description", "string", "What the action means.", required=True),
            _f("channels", "string", "Channel labels the action implies, ';'-separated; empty if none."),
            _f("fallback", "boolean", "A general label, used only when no specific one matches.", required=True),
        ],
    },
    "claim_roles": _rule_table(
        "Claim roles", "The words that give a clause, a table cell or a span its role for the claim extractor (channelcost.claims): a list opener, a copula, a group noun, a yes or no cell, a cost header, a place word, a dialling verb.",
        _f("role", "string", "The role the pattern marks; one row per role.", required=True, unique=True),
        priority=False,
    ),
    "companies": _rule_table(
        "Companies", "The companies a claim can be about, with their names in both scripts and the pattern of their names and aliases (channelcost.companies); the only list of companies.",
        _f("company", "string", "The company's id: the value of the company column of claims.csv, channels.csv and numbers.csv.", required=True, unique=True),
        _f("name", "string", "The company's name in simplified script.", required=True),
        _f("traditional", "string", "The name in traditional script (normalises to name).", required=True),
        _f("sector", "string", "The company's sector (a carrier named as the caller's network is not the company of a claim).", required=True),
    ),
    "number_words": _rule_table(
        "Number words", "The words that find a phone number in the text and tell it from a quantity (channelcost.numbers).",
        _f("role", "string", "candidate: the text of a possible number; unit_after and label_before: it is a quantity or an identifier; call_before: a call is spoken of.", required=True, unique=True),
        priority=False,
    ),
    "problem_kinds": _rule_table(
        "Problem kinds", "Kinds of problem for the decision guide, with their patterns.",
        _f("problem_kind", "string", "The problem kind.", required=True, unique=True),
        _f("description", "string", "What it covers.", required=True),
        priority=False,
    ),
}

BILLING_SCHEMA = {
    "title": "Sourced billing facts",
    "description": (
        "Sourced facts on who pays for a call to each kind of Chinese number, one source a row "
        "(data/reference/README.md tells how they were found, and what was left out). fact_checks.csv cites "
        "fact_id and number_type in ';'-lists, so they are no foreign keys."
    ),
    "primaryKey": ["fact_id"],
    "foreignKeys": [_fk(["number_type"], "lexicon-number_types")],
    "fields": [
        _f("fact_id", "string", "b01, b02, …", required=True, pattern=r"b\d{2,}"),
        _f("number_type", "string", "Kind of number (data/lexicon/number_types.csv; data/reference/README.md).", required=True),
        _f("prefix_or_number", "string", "The prefix or number the fact is about.", required=True),
        _f("who_pays", "string", "Who bears the call charge, as the source states it (data/reference/README.md).", required=True),
        _f("caller_cost", "string", "What the caller pays.", required=True, enum=_STATED),
        _f("applies_to", "string", "Which callers, networks, periods or kind of source the fact covers.", required=True),
        _f("statement", "string", "What the source says, paraphrased in English.", required=True),
        _f("source_title", "string", "The source's title; [in brackets] a short description where it had none.", required=True),
        {**_f("source_url", "string", "The source's address.", required=True), "format": "uri"},
        _f("retrieved", "date", "Date of retrieval.", required=True),
    ],
}


ANNOTATION_KINDS = ("advice", "numbers")  # <article>-<kind>.csv; <article>.csv holds the claims


def annotation_kind(path: Path) -> tuple[str, str]:
    """(kind, article id) of a gold file of ``data/annotations/``: claims, advice or numbers."""
    for kind in ANNOTATION_KINDS:
        if path.stem.endswith(f"-{kind}"):
            return kind, path.stem.removesuffix(f"-{kind}")
    return "claims", path.stem


def annotation_schema(kind: str) -> dict:
    """The schema of a gold annotation of ``data/annotations/``: claims, advice (``<article>-advice.csv``)
    or phone numbers (``<article>-numbers.csv``)."""
    if kind == "numbers":
        return {
            "title": "Gold phone numbers",
            "description": "Hand-made gold list of the phone numbers the article gives, with their types (data/annotations/COMPANY_GUIDELINES.md).",
            "primaryKey": [],
            "foreignKeys": [_fk(SENTENCE_KEY, "sentences"), _fk(["number_type"], "lexicon-number_types")],
            "fields": [
                ARTICLE_ID,
                SENTENCE_ID,
                _f("number", "string", "The number as written, verbatim.", required=True),
                _f("number_type", "string", "Its type (data/lexicon/number_types.csv).", required=True, enum=_NUMBER_TYPES),
            ],
        }
    if kind == "advice":
        return {
            "title": "Gold advice",
            "description": "Hand-made gold annotation of the advice in the article (data/annotations/ADVICE_README.md, ADVICE_GUIDELINES.md).",
            "primaryKey": ["article_id", "sentence_id", "evidence"],
            "foreignKeys": [_fk(SENTENCE_KEY, "sentences"), _fk(["action"], _LEX_ACTIONS)],
            "fields": [
                ARTICLE_ID,
                SENTENCE_ID,
                _f("evidence", "string", "The advice, verbatim.", required=True),
                _f("audience", "string", "Who is advised.", required=True, enum=_AUDIENCES),
                _f("action", "string", "What they are advised to do (data/lexicon/actions.csv).", required=True, enum=_ACTIONS),
                _f("channels", "string", "Channel labels the advice names or implies, ';'-separated, empty if none."),
            ],
        }
    return {
        "title": "Gold claims",
        "description": "Hand-made gold annotation of the channel-cost claims in the article (data/annotations/README.md, GUIDELINES.md).",
        "primaryKey": ["article_id", "sentence_id", "channel"],
        "foreignKeys": [_fk(SENTENCE_KEY, "sentences"), _fk(["channel"], _LABELS, ["label"])],
        "fields": [
            ARTICLE_ID,
            SENTENCE_ID,
            _f("channel", "string", "The contact channel.", required=True, enum=_CHANNELS),
            _f("cost", "string", "What the sentence says using the channel costs the consumer.", required=True, enum=_COSTS),
            _f("hedged", "boolean", "A hedge qualifies the cost statement.", required=True),
            _f("negated", "boolean", "A negation flips a cost word.", required=True),
            _f("evidence", "string", "The sentence, verbatim.", required=True),
            _f("company", "string", "The company the claim is about (data/lexicon/companies.csv; COMPANY_GUIDELINES.md), empty if none; new:<name> for a company the vocabulary lacks."),
        ],
    }


# foreign keys of the processed tables into the lexicon: only where the lexicon is in the same package
_LEXICON_KEYS = {
    "claims": [_fk(["channel"], _LABELS, ["label"])],
    "channels": [_fk(["channel"], _LABELS, ["label"])],
    "fact_checks": [_fk(["channel"], _LABELS, ["label"])],
    "recommendations": [_fk(["action"], _LEX_ACTIONS)],
    "advice": [_fk(["action", "description"], _LEX_ACTIONS)],
}

# --- the descriptors ------------------------------------------------------------------------------

_TITLE = "channelcost: what it costs to reach customer service, as Chinese articles tell it"
_LICENSES = [
    {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
]
_RIGHTS = (
    "The tables are CC BY 4.0, the channelcost authors; the article text they quote (sentence text, tokens, "
    "evidence) stays its authors' (data/raw/README.md)."
)
_CSV = {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\n", "quoteChar": '"'}


def _resource(name: str, path: str, sch: dict, foreign_keys: list[dict], sources: list[dict] | None = None) -> dict:
    schema = {"fields": sch["fields"], "missingValues": [""]}
    if sch["primaryKey"]:  # a gold list of numbers has none: a number may be given twice in a sentence
        schema["primaryKey"] = sch["primaryKey"]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    res = {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": sch["title"],
        "description": sch["description"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": dict(_CSV),
        "schema": schema,
    }
    if sources:
        res["sources"] = sources
    return res


def _fresh(descriptor: dict) -> dict:
    """A copy that shares no dict or list with the schemas, nor within itself: readers such as
    frictionless change the descriptors they are given (a field used by two tables would lose its name)."""
    return json.loads(json.dumps(descriptor))


def article_source(path: str | Path, url: str | None = None, article=None) -> dict:
    """A data-package source for an article file: its first line, id and SHA-256 as the title; ``url``
    (or a path relative to the package) as its path, if given. ``article``: the file as already read."""
    path = Path(path)
    article = article or read_article(path)
    heading = next((line.strip() for line in article.text.splitlines() if line.strip()), "")
    if len(heading) > 60:
        heading = heading[:60] + "…"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    source = {"title": f"{heading} (article {article.article_id}, SHA-256 {digest})"}
    if url:
        source["path"] = url
    return source


def billing_sources() -> list[dict]:
    """The sources of ``data/reference/billing.csv``, one per address in file order, with the facts each backs."""
    by_url: dict[str, tuple[str, list[str]]] = {}
    for row in factcheck.load_facts().itertuples(index=False):
        by_url.setdefault(row.source_url, (row.source_title, []))[1].append(row.fact_id)
    return [{"title": f"{title} (billing facts {', '.join(ids)})", "path": url} for url, (title, ids) in by_url.items()]


def table_package(names: Iterable[str] = ALL_TABLES, *, articles: Sequence[dict] | None = None) -> dict:
    """The Data Package descriptor of a folder holding the tables ``names`` as ``<name>.csv``.

    Paths are relative to that folder, so the same descriptor serves ``data/processed/`` and an
    article's build folder. Foreign keys are kept where the table they point to is among ``names``.
    ``articles`` are the sources the tables were made from (:func:`article_source`), by default the
    seed article; the billing facts' sources are added when ``fact_checks`` is among the tables.
    """
    names = set(names)
    unknown = sorted(names - set(SCHEMAS))
    if unknown:
        raise ValueError(f"unknown tables {unknown}; the tables are {list(SCHEMAS)}")
    resources = []
    for name in ALL_TABLES:
        if name in names:
            sch = SCHEMAS[name]
            keys = [fk for fk in sch.get("foreignKeys", []) if fk["reference"]["resource"] in names]
            resources.append(_resource(name, sch["path"], sch, keys))
    sources = list(articles) if articles is not None else [article_source(paths.SEED_ARTICLE)]
    if "fact_checks" in names:
        sources += billing_sources()
    return _fresh({
        "name": "channelcost",
        "title": _TITLE,
        "description": (
            "The tables channelcost writes for its articles: sentences and tokens, channel-cost claims with a "
            "verdict per channel, advice, and fact checks against sourced billing facts. Keys and foreign keys "
            "are declared where a column or a set of columns is one; ';'-separated lists are described instead. "
            + _RIGHTS
        ),
        "profile": "tabular-data-package",
        "licenses": _LICENSES,
        "sources": sources,
        "resources": resources,
    })


def datapackage() -> dict:
    """The descriptor of ``data/processed/``: :func:`table_package` of every table."""
    return table_package()


def project_package() -> dict:
    """The descriptor of the root ``datapackage.json``: all of the project's tabular data, paths
    relative to the project root (processed tables, lexicon rule tables, billing facts, gold annotations)."""
    resources = []
    for name, sch in SCHEMAS.items():
        keys = sch.get("foreignKeys", []) + _LEXICON_KEYS.get(name, [])
        resources.append(_resource(name, paths.relative(paths.PROCESSED / sch["path"]), sch, keys))
    corpus = paths.PROCESSED / CORPUS_FOLDER
    for name in CORPUS_TABLES:
        sch = SCHEMAS.get(name) or COMPARE_SCHEMAS[name]
        keys = [{**fk, "reference": {**fk["reference"], "resource": f"corpus-{fk['reference']['resource']}"}}
                for fk in sch.get("foreignKeys", []) if fk["reference"]["resource"] in CORPUS_TABLES]
        resources.append(_resource(f"corpus-{name}", paths.relative(corpus / sch["path"]), sch, keys))
    for stem, sch in LEXICON_SCHEMAS.items():
        resources.append(_resource(f"lexicon-{stem}", paths.relative(paths.LEXICON / f"{stem}.csv"), sch,
                                   sch.get("foreignKeys", [])))
    resources.append(_resource("reference-billing", paths.relative(factcheck.BILLING), BILLING_SCHEMA, [],
                               billing_sources()))
    for path in sorted(paths.ANNOTATIONS.glob("*.csv")):
        kind, article_id = annotation_kind(path)
        sch = annotation_schema(kind)
        sch = {**sch, "title": f"{sch['title']}: {article_id}"}
        resources.append(_resource(f"annotations-{path.stem}", paths.relative(path), sch, sch["foreignKeys"]))
    seed = article_source(paths.SEED_ARTICLE, url=paths.relative(paths.SEED_ARTICLE))
    return _fresh({
        "name": "channelcost-project",
        "title": _TITLE,
        "description": (
            "All of channelcost's tabular data: the tables of data/processed/ (from the seed article), the "
            "lexicon rule tables the extractor reads (data/lexicon/; the jieba user dictionary and stop-word "
            "list are plain text and not described here), the sourced billing facts (data/reference/) and the "
            "seed's gold annotations (data/annotations/). Foreign keys are declared where a column or a set "
            "of columns is one; ';'-separated lists (fact_checks.fact_ids and number_types, channels.claim_ids, "
            "advice.rec_ids, the channels columns) are no keys and are described instead. " + _RIGHTS
        ),
        "profile": "tabular-data-package",
        "licenses": _LICENSES,
        "sources": [seed, *billing_sources()],
        "resources": resources,
    })


def package_json(descriptor: dict) -> str:
    """A descriptor as the project writes it: UTF-8 JSON, sorted keys, two-space indent, final newline."""
    return json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


_README_HEAD = """# Data

Generated by `channelcost.datadict` from the schemas in `src/channelcost/datadict.py`; do not edit by hand.

| folder | what is in it | who made it |
| --- | --- | --- |
| `raw/` | the articles as published (see `raw/README.md`) | their authors |
| `lexicon/` | the jieba user dictionary, stop words, channel, cost-cue, hedge, action and problem lexicons (see `lexicon/README.md`) | hand-made / third party |
| `annotations/` | gold annotations of claims and advice, made by reading, with their guidelines | hand-made |
| `reference/` | sourced facts on how Chinese phone numbers are billed (see `reference/README.md`) | hand-made from cited sources |
| `interim/` | intermediate files (none kept yet) | code |
| `processed/` | the dataset: every CSV below, and `datapackage.json` describing them | code, from `raw/` and `lexicon/` |

All CSV files are UTF-8 with `\\n` line ends and a header row; booleans are written `true`/`false`;
an empty cell is a missing value. Offsets are code-point offsets into the article text as read by
`channelcost.reading.read_article` (UTF-8, BOM dropped, universal newlines). The data is licensed
CC BY 4.0; the code MIT.

`processed/datapackage.json` describes the tables below as a Frictionless data package; the
project's root `datapackage.json` describes every CSV of `processed/`, `lexicon/`, `reference/` and
`annotations/` in one package, with primary and foreign keys. `frictionless validate datapackage.json`,
run in the project folder, checks the data against it.
"""


def _key(fields: list[str]) -> str:
    return f"({', '.join(fields)})"


def render_readme() -> str:
    """``data/README.md``: a data dictionary per file (field, type, description, unique and foreign keys)."""
    parts = [_README_HEAD]
    for name, sch in SCHEMAS.items():
        parts.append(f"\n## `processed/{sch['path']}`\n\n{sch['description']}\n")
        parts.append(f"\nUnique key: {_key(sch['primaryKey'])}.\n")
        refs = [
            f"{_key(fk['fields'])} → `{SCHEMAS[fk['reference']['resource']]['path']}` {_key(fk['reference']['fields'])}"
            for fk in sch.get("foreignKeys", [])
        ]
        if refs:
            parts.append(f"\nForeign keys: {'; '.join(refs)}.\n")
        parts.append(_field_table(sch))
    parts.append(f"\n## `processed/{CORPUS_FOLDER}/`\n\nWhat `channelcost compare` writes for many articles (here the "
                 "development articles and the seed): their `claims.csv`, `channels.csv`, `fact_checks.csv` and "
                 "`numbers.csv` together, as above, and three tables that compare them.\n")
    for name, sch in COMPARE_SCHEMAS.items():
        parts.append(f"\n### `processed/{CORPUS_FOLDER}/{sch['path']}`\n\n{sch['description']}\n")
        parts.append(f"\nUnique key: {_key(sch['primaryKey'])}.\n")
        parts.append(_field_table(sch))
    return "".join(parts)


def _field_table(sch: dict) -> str:
    """A schema's fields as a Markdown table: name, type, description, allowed values."""
    rows = ["\n| field | type | description | allowed values |\n| --- | --- | --- | --- |\n"]
    for f in sch["fields"]:
        enum = f.get("constraints", {}).get("enum")
        allowed = ", ".join(f"`{v}`" for v in enum) if enum else ""
        rows.append(f"| `{f['name']}` | {f['type']} | {f['description']} | {allowed} |\n")
    return "".join(rows)


def write_docs() -> None:
    """Write ``data/README.md`` and the root ``datapackage.json`` (atomically; unchanged files
    untouched). ``data/processed/datapackage.json`` is written by the build, with its tables."""
    write_text_atomic(ROOT_DATAPACKAGE, package_json(project_package()))
    write_text_atomic(paths.DATA / "README.md", render_readme())


_INT = re.compile(r"^-?\d+$")


def _check_value(field: dict, value: str) -> str | None:
    c = field.get("constraints", {})
    if value == "":
        return "missing value in a required field" if c.get("required") else None
    t = field["type"]
    if t == "integer":
        if not _INT.match(value):
            return f"not an integer: {value!r}"
        num = int(value)
    elif t == "number":
        try:
            num = float(value)
        except ValueError:
            return f"not a number: {value!r}"
    elif t == "boolean":
        if value not in ("true", "false"):
            return f"not a boolean (true/false): {value!r}"
        num = None
    else:
        num = None
    if num is not None:
        if "minimum" in c and num < c["minimum"]:
            return f"{value} is below the minimum {c['minimum']}"
        if "maximum" in c and num > c["maximum"]:
            return f"{value} is above the maximum {c['maximum']}"
    if "enum" in c and value not in c["enum"]:
        return f"{value!r} is not one of {c['enum']}"
    if "pattern" in c and not re.fullmatch(c["pattern"], value):
        return f"{value!r} does not match {c['pattern']}"
    return None


def validate_csv(path: str | Path, name: str | None = None, max_problems: int = 20) -> list[str]:
    """Problems found in a CSV against its schema (an empty list when it conforms)."""
    path = Path(path)
    sch = SCHEMAS.get(name or path.stem) or COMPARE_SCHEMAS[name or path.stem]
    fields = sch["fields"]
    problems: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        want = [f["name"] for f in fields]
        if header != want:
            return [f"header {header} is not {want}"]
        key_idx = [want.index(k) for k in sch["primaryKey"]]
        seen: set[tuple[str, ...]] = set()
        for lineno, row in enumerate(reader, start=2):
            if len(row) != len(fields):
                problems.append(f"line {lineno}: {len(row)} cells, expected {len(fields)}")
                continue
            for f, v in zip(fields, row):
                msg = _check_value(f, v)
                if msg:
                    problems.append(f"line {lineno}, {f['name']}: {msg}")
            key = tuple(row[i] for i in key_idx)
            if key in seen:
                problems.append(f"line {lineno}: duplicate key {key}")
            seen.add(key)
            if len(problems) >= max_problems:
                break
    return problems


if __name__ == "__main__":
    write_docs()
