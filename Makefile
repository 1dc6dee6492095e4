# channelcost: `make reproduce` rebuilds everything, `make test` checks it. `make help` lists targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# A fixed hash seed, so that nothing in a run can depend on set or dict hashing order.
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

.DEFAULT_GOAL := help
.PHONY: help venv data reproduce test fuzz bench report corpus html clean-venv

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

venv: $(STAMP) ## create .venv and install the pinned environment (runs once)

# the scores (reports/metrics.json, the README's tables) need none of the built tables: they are computed
# while the tables are built, and the target fails if either part does
data: $(STAMP) ## build the dataset: data/processed/ and reports/figures/ (the seed), data/processed/corpus/ (the development articles and the seed compared), the data docs, reports/metrics.json
	@$(PY) -m channelcost.metrics & scores=$$!; built=0; \
	for step in "channelcost build" \
	            "channelcost compare tests/data/articles data/raw/tmall-call-free.txt --out data/processed/corpus --jobs 2" \
	            "channelcost.datadict"; do \
		echo "$(PY) -m $$step"; $(PY) -m $$step || { built=1; break; }; \
	done; \
	wait $$scores; scored=$$?; test $$built = 0 && test $$scored = 0

reproduce: data ## make data, then execute every notebook in place on it, outputs saved
	$(PY) -m channelcost.notebooks $(NOTEBOOKS)

# Two worker processes; each test file, and so each notebook's cells, stays on one worker (nbval runs a
# notebook's cells in order on one kernel)
TEST_WORKERS ?= 2

test: $(STAMP) ## unit tests, data contract tests and every notebook under strict nbval (TEST_WORKERS=2 processes)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --nbval --nbval-current-env tests $(NOTEBOOKS)

fuzz: $(STAMP) ## a long random fuzzing run (make test runs a short derandomized one)
	CHANNELCOST_FUZZ=long $(PY) -m pytest -q tests/test_fuzz.py

# The article's name reaches the program unchanged: taken unexpanded ($ stays $) and single-quoted
ARTICLE_ARG = '$(subst ','\'',$(value ARTICLE))'

report: $(STAMP) ## build ARTICLE=path/to/article.txt and run every notebook on it into reports/<article_id>/
	@test -n $(ARTICLE_ARG) || { echo "error: give the article: make report ARTICLE=path/to/article.txt" >&2; exit 2; }
	$(PY) -m channelcost report $(ARTICLE_ARG)

# The folder reaches the program unchanged, as ARTICLE does
DIR_ARG = '$(subst ','\'',$(value DIR))'
CORPUS_OUT ?= reports/corpus

corpus: $(STAMP) ## compare every article of DIR=folder (near-duplicates, consensus, contradictions) into reports/corpus/ (CORPUS_OUT=…), with notebook 05 run on it
	@test -n $(DIR_ARG) || { echo "error: give the folder: make corpus DIR=path/to/articles" >&2; exit 2; }
	$(PY) -m channelcost compare $(DIR_ARG) --out '$(CORPUS_OUT)' --jobs 2 --notebook

html: $(STAMP) ## render every executed notebook (seed and reports/*) to a static site in reports/site/
	$(PY) -m channelcost.site

bench: $(STAMP) ## benchmarks, not tests: extraction against bare jieba (10 MB, one core; 1,000 and 10,000 articles, --jobs 2); one 10 and one 50 MB article; a report on 1 MB
	$(PY) -m channelcost.bench --mb 10
	$(PY) -m channelcost.bench --article-mb 10 50 --report-mb 1
	$(PY) -m channelcost.bench --articles 1000 10000 --jobs 2

clean-venv: ## remove .venv (the next target reinstalls it)
	rm -rf $(VENV)
