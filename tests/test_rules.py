"""Rules are data: every row of every rule table has an id, a pattern, a stated precedence and
examples, and does what its examples promise (checked row by row)."""

import re

import pytest

from channelcost.claims import normalize_for_matching
from channelcost.rules import lexicon
from channelcost.vocab import CHANNELS

ROWS = [(table, rule) for table in lexicon.TABLES for rule in lexicon.load(table)]


@pytest.mark.parametrize("table,rule", ROWS, ids=[f"{t}:{r.id}" for t, r in ROWS])
def test_rule_row_keeps_its_examples(table, rule):
    assert rule.must_match, f"{rule.id} has no example that must match"
    for ex in rule.must_match:
        assert rule.regex.search(normalize_for_matching(ex)), f"{rule.id} does not match {ex!r}"
    for ex in rule.must_not_match:
        hit = rule.regex.search(normalize_for_matching(ex))
        assert not hit, f"{rule.id} matches {hit.group(0)!r} in {ex!r}"


def test_ids_are_unique_across_tables_and_say_their_table():
    ids = [r.id for _t, r in ROWS]
    assert len(ids) == len(set(ids))
    prefix = {"channels": "ch.", "actors": "actor.", "cost_cues": "cue.", "modifiers": "mod.", "anaphora": "ana.",
              "sentence_types": "type.", "number_types": "number.", "advice_rules": "adv.", "problem_kinds": "problem.",
              "claim_roles": "role.", "companies": "company.", "number_words": "num."}
    for table, rule in ROWS:
        assert rule.id.startswith(prefix[table]), rule.id


def test_vocabularies_are_the_contracts():
    assert {r["label"] for r in lexicon.load("channels")} <= set(CHANNELS)
    assert {r["cost"] for r in lexicon.load("cost_cues")} <= {"free", "paid", "varies", "none"}
    assert {r["category"] for r in lexicon.load("modifiers")} == {
        "question", "pseudo", "negation", "belief", "hedge", "condition", "restriction", "terminator", "scam", "focus",
        "organisation", "extra", "outbound", "rhetorical", "correction", "surcharge", "avoid"}
    from channelcost.advice import ADVICE_RULE_CATEGORIES, load_actions

    advice_rules = lexicon.load("advice_rules")
    assert {r["category"] for r in advice_rules} == set(ADVICE_RULE_CATEGORIES)
    actions = {a.action for a in load_actions()}
    marked = {r["action"] for r in advice_rules if r["category"] == "action"}
    assert marked - {"other"} == actions - {"other"}  # every action but other has a pattern (other may have some)
    assert {r["action"] for r in advice_rules if r["category"] == "action_general"} <= actions
    assert all(bool(r["action"]) == r["category"].startswith("action") for r in advice_rules)


def test_precedence_is_stated_not_file_order():
    for table in ("channels", "cost_cues", "modifiers", "advice_rules"):
        for rule in lexicon.load(table):
            assert rule.fields["priority"].strip().isdigit(), (table, rule.id)


def test_no_giant_patterns():
    for _t, rule in ROWS:
        assert len(rule.pattern) <= 400 or re.search(r"\{(?:platform|merchant|consumer|actor)\}", rule.fields["pattern"]), rule.id


def test_distractors_win_over_cost_cues():
    from channelcost.claims import _find_cues

    cues, _ = _find_cues(normalize_for_matching("每月的扣费日和运费"))
    assert cues == []


def test_skipping_rules_loses_no_span():
    """find_all tries, of a loaded table, only the rules that can start with one of the text's
    characters, and may_match searches the union of a table's rules: on every example of every
    table, and on the seed, find_all finds exactly the spans the rules find one by one (a plain
    list is never skipped), and may_match says yes wherever one rule matches."""
    from channelcost import paths
    from channelcost.rules.matcher import find_all, may_match

    texts = [normalize_for_matching(ex) for _t, r in ROWS for ex in r.must_match + r.must_not_match]
    texts += normalize_for_matching(next(paths.RAW.glob("*.txt")).read_text(encoding="utf-8")).splitlines()
    texts.append("今天天气很好")
    for table in lexicon.TABLES:
        rules = lexicon.load(table)
        assert rules.union is not None, table
        for text in texts:
            one_by_one = find_all(list(rules), text)
            assert find_all(rules, text) == one_by_one, (table, text)
            if one_by_one:
                assert may_match(rules, text), (table, text)


@pytest.mark.parametrize("pattern, first", [
    ("免费", "免"),
    ("(?:免|减)费", "免减"),
    ("不?收费", "不收"),
    ("(?<=打)电话", "电"),  # a lookbehind is zero-width: the match starts at 电
    ("(?:\\b)?400", "4"),
    ("[0-3]元", "0123"),
    (".收费", None),  # any character
    ("[^不]收费", None),  # a negated class
    ("[\\u4e00-\\u9fff]费", None),  # a wide range bounds nothing useful
    ("\\d+元", None),  # a category
    ("a*", None),  # can match empty
    ("(?i)vip", None),  # case folded
])
def test_first_chars_bounds_where_a_match_can_start(pattern, first):
    from channelcost.rules.lexicon import first_chars

    assert first_chars(pattern) == (None if first is None else frozenset(first))


def test_a_rule_left_out_of_the_first_character_index_is_missed():
    """The index decides which rules run: emptying it skips every indexed rule (so the test above
    can fail)."""
    from channelcost.rules.matcher import find_all

    rules = lexicon.load("cost_cues")
    text = normalize_for_matching("拨打客服电话是免费的")
    assert find_all(rules, text)
    saved_index, saved_cache = rules.by_first_char, rules._by_mask
    try:
        rules.by_first_char, rules._by_mask = {}, {}
        assert [s for s in find_all(rules, text) if rules.index(s.rule) not in _bits(rules.unindexed_mask)] == []
    finally:
        rules.by_first_char, rules._by_mask = saved_index, saved_cache


def _bits(mask: int) -> set[int]:
    return {i for i in range(mask.bit_length()) if mask >> i & 1}


def test_a_row_can_name_another_rows_words_once(tmp_path):
    """{=id} stands for the pattern of another row of the same table (claim_roles writes the nouns for a
    kind of channel once for two rows); a reference to no row is an error, not a literal."""
    roles = {r["role"]: r for r in lexicon.load("claim_roles")}
    kinds = roles["channel_kinds"].pattern
    assert kinds in roles["group_noun"].pattern and kinds in roles["kind_of_channel"].pattern
    assert roles["group_noun"].regex.search("这些途径")  # 途径 comes only from the shared row
    (tmp_path / "t.csv").write_text("id,pattern,must_match\nx.a,{=x.b}费,免费\n", encoding="utf-8")
    with pytest.raises(ValueError, match="names no row"):
        lexicon.load.__wrapped__("t", tmp_path)
