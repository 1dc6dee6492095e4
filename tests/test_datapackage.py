"""The Frictionless data packages: valid by frictionless itself, current, complete, and able to fail.

Read-only: nothing here writes into the repository (the broken copy lives in ``tmp_path``).
"""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest

from channelcost import datadict, paths

FOLDERS = (paths.PROCESSED, paths.LEXICON, paths.DATA / "reference", paths.ANNOTATIONS)


def _errors(report: frictionless.Report) -> list:
    """Every error of a report, package-level and per resource, as (resource, row, field, type, note)."""
    rows = [(None, None, None, e.type, e.note) for e in report.errors]
    for task in report.tasks:
        rows += [(task.name, getattr(e, "row_number", None), getattr(e, "field_name", None), e.type, e.note)
                 for e in task.errors]
    return rows


def _validate(path: Path) -> frictionless.Report:
    return frictionless.validate(str(path))


@pytest.mark.parametrize("path", [datadict.ROOT_DATAPACKAGE, paths.DATAPACKAGE], ids=["root", "processed"])
def test_package_is_valid_by_frictionless(path):
    report = _validate(path)
    assert report.valid, "\n".join(map(str, _errors(report)))


def test_committed_descriptors_are_current():
    for path, descriptor in ((datadict.ROOT_DATAPACKAGE, datadict.project_package()),
                             (paths.DATAPACKAGE, datadict.table_package())):
        text = path.read_text(encoding="utf-8")
        assert json.loads(text) == descriptor, f"{paths.relative(path)} is stale: run python -m channelcost.datadict"
        assert text == datadict.package_json(descriptor), f"{paths.relative(path)} is not in the project's JSON layout"


def test_every_csv_is_a_resource_of_the_root_package():
    package = json.loads(datadict.ROOT_DATAPACKAGE.read_text(encoding="utf-8"))
    described = [r["path"] for r in package["resources"]]
    assert len(described) == len(set(described))
    on_disk = {paths.relative(p) for folder in FOLDERS for p in folder.glob("*.csv")}
    assert on_disk - set(described) == set(), "CSV files the root datapackage.json leaves out"
    assert {paths.relative(paths.PROCESSED / f"{n}.csv") for n in datadict.ALL_TABLES} <= set(described)
    for p in described:
        assert (paths.ROOT / p).is_file(), p


def test_table_package_does_not_depend_on_its_folder():
    full = datadict.table_package()
    assert [r["path"] for r in full["resources"]] == [f"{n}.csv" for n in datadict.ALL_TABLES]
    some = datadict.table_package(["fact_checks", "sentences"])
    assert [r["name"] for r in some["resources"]] == ["sentences", "fact_checks"]
    keys = some["resources"][1]["schema"]["foreignKeys"]
    assert [k["reference"]["resource"] for k in keys] == ["sentences"]  # claims and channels are absent
    with pytest.raises(ValueError):
        datadict.table_package(["nope"])


def _break_a_claim(folder: Path) -> None:
    """Point one claim at a sentence its article does not have."""
    path = folder / "claims.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index("sentence_id")
    rows[3][col] = "99999"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_a_foreign_key_violation_is_detected(tmp_path):
    for name in datadict.ALL_TABLES:
        shutil.copy(paths.PROCESSED / f"{name}.csv", tmp_path / f"{name}.csv")
    (tmp_path / "datapackage.json").write_text(datadict.package_json(datadict.table_package()), encoding="utf-8")
    assert _validate(tmp_path / "datapackage.json").valid, "the unbroken copy should be valid"
    _break_a_claim(tmp_path)
    report = _validate(tmp_path / "datapackage.json")
    assert not report.valid
    errors = _errors(report)
    assert [(e[0], e[3]) for e in errors] == [("claims", "foreign-key")], errors
    assert "99999" in errors[0][4]


def _frictionless_cli() -> list[str]:
    script = Path(sys.executable).with_name("frictionless")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "frictionless"]


def _cli_validate(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*_frictionless_cli(), "validate", "datapackage.json"], cwd=folder,
                          capture_output=True, text=True, timeout=120)


def test_command_line_validate_exits_0_in_the_project_folder(tmp_path):
    done = _cli_validate(paths.ROOT)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    # and the command does fail on bad data: the broken copy of the processed tables
    for name in datadict.ALL_TABLES:
        shutil.copy(paths.PROCESSED / f"{name}.csv", tmp_path / f"{name}.csv")
    (tmp_path / "datapackage.json").write_text(datadict.package_json(datadict.table_package()), encoding="utf-8")
    _break_a_claim(tmp_path)
    done = _cli_validate(tmp_path)
    assert done.returncode != 0 and "foreign-key" in done.stdout, done.stdout[-4000:]
