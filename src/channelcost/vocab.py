"""The contract's vocabularies, each read from one data file.

* channel labels with display names, descriptions, families and which are phone lines or can reach
  the consumer: ``data/lexicon/channel_labels.csv``;
* costs: the contract's four labels (``COSTS``), of which ``STATED_COSTS`` state a cost;
* audiences of advice: ``AUDIENCES`` (who is advised: the reader, the platform, the shop).

Everything else that needs a channel list (the extractor, the data dictionary, the figures and
the plain-language summaries) imports it from here.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from . import paths

__all__ = ["CHANNELS", "CHANNEL_NAMES", "CHANNEL_DESCRIPTIONS", "CHANNEL_FAMILY", "PHONE_LINES", "NUMBER_CHANNELS",
           "RECEIVABLE", "COSTS", "STATED_COSTS", "AUDIENCES"]

COSTS = ("free", "paid", "varies", "unstated")
STATED_COSTS = tuple(c for c in COSTS if c != "unstated")
AUDIENCES = ("consumer", "platform", "merchant")


@lru_cache(maxsize=1)
def _labels() -> tuple[dict, ...]:
    with (paths.LEXICON / "channel_labels.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


CHANNELS = tuple(r["label"] for r in _labels())
CHANNEL_NAMES = {r["label"]: r["display"] for r in _labels()}
CHANNEL_DESCRIPTIONS = {r["label"]: r["description"] for r in _labels()}
# labels of one family are named together (an app's chat: 在线客服, first a robot): a sentence that goes
# on about one of them without naming it goes on about all of the family the sentence before named
CHANNEL_FAMILY = {r["label"]: r["family"] for r in _labels() if r["family"]}
# the phone lines one dials (phone = line): 拨打/打过去 with no line named goes to the last of them named
PHONE_LINES = tuple(r["label"] for r in _labels() if r["phone"] == "line")
# the channels a phone number in the text can belong to (phone = line or number), in the file's order,
# which breaks a tie between two equally near
NUMBER_CHANNELS = tuple(r["label"] for r in _labels() if r["phone"])
# the channels on which a call or message can reach the consumer (接到…电话, 收到短信): named as what
# came in, they are no channel the consumer uses
RECEIVABLE = tuple(r["label"] for r in _labels() if r["receivable"] == "true")
