"""The project's own promises: one source of dependencies, CI runs the README's test command."""

import re
import tomllib

from channelcost import paths


def _pyproject():
    return tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _env_yaml_items():
    """The dependency items of environment.yml (a tiny reader: the file is a flat list)."""
    items = []
    for line in (paths.ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*-\s+(.+?)\s*$", line)
        if m and not line.strip().startswith("#"):
            items.append(m.group(1))
    return items


def test_environment_yml_installs_exactly_the_pyproject_dependencies():
    items = _env_yaml_items()
    assert "conda-forge" in items  # the channel
    deps = [i for i in items if i not in ("conda-forge", "pip:")]
    conda = [d for d in deps if not d.startswith("-e ")]
    pip = [d for d in deps if d.startswith("-e ")]
    # conda provides only Python (at the version pyproject requires) and pip ...
    py = [d for d in conda if d.startswith("python")]
    assert py == [f"python{_pyproject()['project']['requires-python']}"]
    assert sorted(set(conda) - set(py)) == ["pip"]
    # ... and pip installs the project itself with the extras pyproject defines
    assert pip == ["-e .[dev]"]
    assert "dev" in _pyproject()["project"]["optional-dependencies"]


def test_required_packages_are_pinned_in_pyproject():
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    deps = project["dependencies"] + [d for group in extras.values() for d in group]
    own = [d for d in deps if d.startswith(f"{project['name']}[")]  # an extra that includes another (dev: cluster)
    assert all(d[len(project["name"]) + 1 : -1] in extras for d in own)
    deps = [d for d in deps if d not in own]
    names = {re.split(r"[=<>!~\[]", d)[0].lower() for d in deps}
    for required in ("jupyterlab", "pandas", "matplotlib", "jieba", "nbval"):
        assert required in names
    assert all("==" in d for d in deps), "pin every direct dependency so outputs stay byte-stable"


def test_ci_runs_the_readme_test_command():
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
    assert "make test" in readme and "make reproduce" in readme


def test_every_make_target_has_a_help_line_and_no_target_is_dead():
    mk = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z-]*):", mk, re.M)
    helped = re.findall(r"^([a-z][a-z-]*):.*## ", mk, re.M)
    assert set(targets) == set(helped)
    phony = set(re.search(r"^\.PHONY:(.*)$", mk, re.M).group(1).split())
    assert phony == set(targets)
