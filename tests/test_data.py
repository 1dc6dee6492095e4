"""The committed data: raw seed unchanged, processed CSVs current and true to their dictionary."""

import hashlib
import json

import pandas as pd
import pytest

from channelcost import datadict, paths, pipeline
from channelcost.io import frame_to_csv_bytes
from channelcost.reading import read_article

SEED_SHA256 = "b5fc5fd4858e5bad9f562386fb7e26716fc9d763d25685ee77743125c00ace05"


def test_seed_is_byte_identical_to_its_recorded_hash():
    digest = hashlib.sha256(paths.SEED_ARTICLE.read_bytes()).hexdigest()
    assert digest == SEED_SHA256
    assert SEED_SHA256 in (paths.RAW / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(datadict.SCHEMAS))
def test_processed_csv_matches_its_schema(name):
    path = paths.PROCESSED / datadict.SCHEMAS[name]["path"]
    assert path.is_file(), f"{path.name} missing: run make reproduce"
    assert datadict.validate_csv(path) == []


def test_validator_catches_bad_rows(tmp_path):
    good = (paths.PROCESSED / "sentences.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "sentences.csv"
    row = good[1].split(",")
    row[1] = "x"  # sentence_id not an integer
    row[5] = "yes"  # is_heading not true/false
    bad.write_text("\n".join([good[0], ",".join(row), good[2], good[2]]) + "\n", encoding="utf-8")
    problems = datadict.validate_csv(bad)
    assert any("not an integer" in p for p in problems)
    assert any("not a boolean" in p for p in problems)
    assert any("duplicate key" in p for p in problems)


def test_datapackage_and_data_readme_are_generated_from_the_schemas():
    assert json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8")) == datadict.datapackage()
    assert (paths.DATA / "README.md").read_text(encoding="utf-8") == datadict.render_readme()


def test_data_dictionary_lists_every_column_with_the_type_found_in_the_data():
    readme = (paths.DATA / "README.md").read_text(encoding="utf-8")
    for name, sch in datadict.SCHEMAS.items():
        df = pd.read_csv(paths.PROCESSED / sch["path"], keep_default_na=False, dtype=str)
        assert list(df.columns) == [f["name"] for f in sch["fields"]]
        section = readme.split(f"## `processed/{sch['path']}`")[1].split("\n## ")[0]
        for f in sch["fields"]:
            assert f"| `{f['name']}` | {f['type']} |" in section
            col = df[f["name"]]
            if f["type"] == "integer":
                assert col.str.fullmatch(r"-?\d+").all(), f["name"]
            elif f["type"] == "boolean":
                assert col.isin(["true", "false"]).all(), f["name"]


def test_processed_tables_are_current_and_offsets_slice_back():
    article = read_article(paths.SEED_ARTICLE)
    sentences = pipeline.sentences_frame(article)
    tokens = pipeline.tokens_frame(article)
    assert (paths.PROCESSED / "sentences.csv").read_bytes() == frame_to_csv_bytes(sentences)
    assert (paths.PROCESSED / "tokens.csv").read_bytes() == frame_to_csv_bytes(tokens)
    committed = pd.read_csv(paths.PROCESSED / "sentences.csv", keep_default_na=False)
    for row in committed.itertuples(index=False):
        assert article.text[row.start : row.end] == row.text
    toks = pd.read_csv(paths.PROCESSED / "tokens.csv", keep_default_na=False, dtype={"token": str})
    for row in toks.itertuples(index=False):
        assert article.text[row.start : row.end] == row.token
    # every token lies inside the sentence it names
    spans = committed.set_index("sentence_id")[["start", "end"]]
    joined = toks.merge(spans, left_on="sentence_id", right_index=True, suffixes=("", "_s"))
    assert ((joined["start"] >= joined["start_s"]) & (joined["end"] <= joined["end_s"])).all()
