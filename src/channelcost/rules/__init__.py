"""Rules as data: loading the lexicon tables, matching them, and the modifier layer.

Every table in ``data/lexicon/`` that holds patterns has the columns ``id``, ``pattern``,
``must_match`` and ``must_not_match`` (examples separated by ``;``), and most a ``priority``.
``lexicon`` loads and checks them, ``matcher`` finds their spans with the rule ids and resolves
overlaps by the stated precedence; the scopes of the modifiers (after NegEx/ConText) are applied in
``channelcost.claims``.
"""
