"""The data dictionary: one schema per CSV in ``data/processed/``, the single source of truth.

``datapackage.json`` (Frictionless Data Package with Table Schemas) and ``data/README.md``
are both generated from :data:`SCHEMAS` by :func:`write_docs`; tests check that they are up to
date and that every CSV matches its schema (:func:`validate_csv`).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from . import paths
from .vocab import CHANNELS, COSTS
from .io import write_text_atomic

__all__ = ["SCHEMAS", "datapackage", "render_readme", "write_docs", "validate_csv"]


def _f(name: str, type_: str, description: str, **constraints) -> dict:
    field = {"name": name, "type": type_, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


ARTICLE_ID = _f("article_id", "string", "The article's file name without its extension.", required=True)

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
}

_CHANNELS = list(CHANNELS)  # from data/lexicon/channel_labels.csv
_COSTS = list(COSTS)

SCHEMAS["claims"] = {
    "path": "claims.csv",
    "title": "Channel-cost claims",
    "description": (
        "One row per contact channel mentioned in a sentence (the contract's claims.csv), from "
        "channelcost.claims.extract_claims; rows sorted by (article_id, start, channel). The rules are "
        "in data/annotations/GUIDELINES.md and the claims module's docstring."
    ),
    "primaryKey": ["claim_id"],
    "fields": [
        ARTICLE_ID,
        _f("claim_id", "string", "{article_id}-{n:03d}, n counting from 1 in text order.", required=True, pattern=r".+-\d{3,}"),
        _f("sentence_id", "integer", "0-based sentence index (sentences.csv).", required=True, minimum=0),
        _f("start", "integer", "Code-point offset of the evidence in the article text.", required=True, minimum=0),
        _f("end", "integer", "Code-point offset just past the evidence; text[start:end] == evidence.", required=True, minimum=1),
        _f("evidence", "string", "The sentence that makes the claim, verbatim.", required=True),
        _f("channel", "string", "The contact channel (the contract's channel vocabulary).", required=True, enum=_CHANNELS),
        _f("cost", "string", "What the text says using the channel costs the consumer.", required=True, enum=_COSTS),
        _f("cue", "string", "The words that decided cost, verbatim, '|'-separated; empty when unstated."),
        _f("hedged", "boolean", "A hedge (通常, 一般, 有些, 可能, 大部分 …) qualifies the cost statement.", required=True),
        _f("negated", "boolean", "A negation flips a cost word (并非免费, 不完全免费, 不收费, 非付费 …).", required=True),
        _f("rules", "string", "The ;-separated ids of the rules that decided the row: sentence type, channel pattern, cost cue, modifiers (negation, hedge, condition, question) and attribution (data/lexicon/*.csv; attr.* are the attribution steps of channelcost.claims).", required=True),
        _f("mention", "string", "The words that name the channel, verbatim, '|'-separated (for anaphora: the pointing words).", required=True),
        _f("mention_start", "integer", "Code-point offset of the first mention in the article text.", required=True, minimum=0),
        _f("mention_end", "integer", "Code-point offset just past the first mention.", required=True, minimum=1),
        _f("via", "string", "How the channel was found: named (mention), through a reference back (anaphora), or carried over from the clause before (context).", required=True, enum=["mention", "anaphora", "context"]),
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
        _f("verdict", "string", "The consolidated cost.", required=True, enum=_COSTS + ["conflicting"]),
        _f("n_claims", "integer", "Claims about the channel.", required=True, minimum=1),
        _f("n_stated", "integer", "Claims that state a cost (not unstated).", required=True, minimum=0),
        _f("n_free", "integer", "Claims saying free.", required=True, minimum=0),
        _f("n_paid", "integer", "Claims saying paid.", required=True, minimum=0),
        _f("n_varies", "integer", "Claims saying it varies.", required=True, minimum=0),
        _f("n_hedged", "integer", "Cost-stating claims that are hedged.", required=True, minimum=0),
        _f("n_negated", "integer", "Cost-stating claims that are negated.", required=True, minimum=0),
        _f("claim_ids", "string", "The claims behind the verdict, ';'-separated (claims.csv).", required=True),
        _f("dissent", "string", "Claims whose stated cost differs from the verdict, ';'-separated."),
    ],
}

_AUDIENCES = ["consumer", "platform", "merchant"]


def _actions() -> list[str]:
    import csv as _csv

    with (paths.LEXICON / "actions.csv").open(encoding="utf-8", newline="") as fh:
        return [r["action"] for r in _csv.DictReader(fh)]


SCHEMAS["recommendations"] = {
    "path": "recommendations.csv",
    "title": "Recommendations (pieces of advice)",
    "description": (
        "One row per piece of advice at clause level (the contract's recommendations.csv), from "
        "channelcost.advice.extract_recommendations; rows sorted by (article_id, start). The rules are in "
        "data/annotations/ADVICE_GUIDELINES.md; the actions are data/lexicon/actions.csv."
    ),
    "primaryKey": ["rec_id"],
    "fields": [
        ARTICLE_ID,
        _f("rec_id", "string", "{article_id}-r{n:03d}, n counting from 1 in text order.", required=True, pattern=r".+-r\d{3,}"),
        _f("sentence_id", "integer", "Sentence index, as in claims.csv.", required=True, minimum=0),
        _f("start", "integer", "Code-point offset of the evidence in the article text.", required=True, minimum=0),
        _f("end", "integer", "Code-point offset just past the evidence; text[start:end] == evidence.", required=True, minimum=1),
        _f("evidence", "string", "The advice, verbatim (a clause or a run of clauses).", required=True),
        _f("audience", "string", "Who is advised.", required=True, enum=_AUDIENCES),
        _f("action", "string", "What they are advised to do (data/lexicon/actions.csv).", required=True, enum=_actions()),
        _f("channels", "string", "Channel labels the advice names or implies, ';'-separated, empty if none."),
        _f("cue", "string", "The words that mark it as advice (建议, 应该, 最好, 尽量, 可以先, 需要 …, or 首先/例如 for steps and examples).", required=True),
        _f("section", "string", "The heading of the section the advice stands in (empty before the first heading)."),
        _f("basis", "string", "Why it counts as advice: an advice word (cue), a duty (duty), an option in a situation (option), a step or an example in an advice section (step, example).", required=True, enum=["cue", "duty", "option", "step", "example"]),
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
        _f("action", "string", "What they are advised to do.", required=True, enum=_actions()),
        _f("description", "string", "The action's description from data/lexicon/actions.csv.", required=True),
        _f("occurrences", "integer", "How many times the article gives this advice.", required=True, minimum=1),
        _f("rec_ids", "string", "The recommendations grouped here, ';'-separated.", required=True),
        _f("sentence_ids", "string", "Their sentences, ';'-separated.", required=True),
        _f("channels", "string", "Union of the channels they point to, ';'-separated."),
        _f("channel_costs", "string", "channel=verdict for each, from channels.csv (not_in_claims if the article states nothing about it)."),
        _f("example", "string", "The first occurrence's evidence.", required=True),
    ],
}

SCHEMAS["fact_checks"] = {
    "path": "fact_checks.csv",
    "title": "Fact checks of the cost claims",
    "description": (
        "One row per claim of claims.csv that states a cost (free, paid, varies), checked against the sourced "
        "billing facts of data/reference/billing.csv by channelcost.factcheck (the rules are in its docstring)."
    ),
    "primaryKey": ["claim_id"],
    "fields": [
        ARTICLE_ID,
        _f("claim_id", "string", "The claim checked (claims.csv).", required=True),
        _f("sentence_id", "integer", "Its sentence.", required=True, minimum=0),
        _f("channel", "string", "The claim's channel.", required=True, enum=_CHANNELS),
        _f("cost", "string", "The claim's cost.", required=True, enum=["free", "paid", "varies"]),
        _f("number_types", "string", "Kinds of number the check used (95xxx, 400, 800, carrier_service, complaint_hotline, ordinary), ';'-separated; empty if none."),
        _f("verdict", "string", "How the sourced facts bear on the claim.", required=True,
           enum=["supported", "contradicted", "partly supported", "not checkable"]),
        _f("fact_ids", "string", "The reference rows used (data/reference/billing.csv), ';'-separated."),
        _f("reason", "string", "One sentence saying why.", required=True),
    ],
}

PACKAGE = {
    "name": "channelcost",
    "title": "channelcost: what it costs to reach customer service, as Chinese articles tell it",
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ],
}


def datapackage() -> dict:
    """The Data Package descriptor for every table in :data:`SCHEMAS`."""
    resources = []
    for name, sch in SCHEMAS.items():
        resources.append(
            {
                "name": name,
                "path": sch["path"],
                "title": sch["title"],
                "description": sch["description"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": sch["fields"],
                    "primaryKey": sch["primaryKey"],
                    "missingValues": [""],
                },
            }
        )
    return {**PACKAGE, "resources": resources}


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
"""


def render_readme() -> str:
    """``data/README.md``: a data dictionary per file (field, type, description, unique key)."""
    parts = [_README_HEAD]
    for name, sch in SCHEMAS.items():
        parts.append(f"\n## `processed/{sch['path']}`\n\n{sch['description']}\n")
        parts.append(f"\nUnique key: ({', '.join(sch['primaryKey'])}).\n")
        parts.append("\n| field | type | description | allowed values |\n| --- | --- | --- | --- |\n")
        for f in sch["fields"]:
            enum = f.get("constraints", {}).get("enum")
            allowed = ", ".join(f"`{v}`" for v in enum) if enum else ""
            parts.append(f"| `{f['name']}` | {f['type']} | {f['description']} | {allowed} |\n")
    return "".join(parts)


def write_docs() -> None:
    """Write ``data/processed/datapackage.json`` and ``data/README.md`` (unchanged files untouched)."""
    write_text_atomic(paths.DATAPACKAGE, json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n")
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
    sch = SCHEMAS[name or path.stem]
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
