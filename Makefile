# newstrace: two commands on a fresh machine with Python 3.11 — `make demo`, `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
OUT := out
# Extras the demo and the tests need (no torch: the semantic layer's encoder is numpy only).
EXTRAS := dev,semantic,parquet,web,spark,watch
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | cksum | cut -d' ' -f1)

.PHONY: demo test lint bench eval fuzz clean install chromium java screenshots

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS)]"
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: install
	@mkdir -p $(OUT)
	@rm -f $(OUT)/demo.db $(OUT)/demo.db-wal $(OUT)/demo.db-shm
	$(BIN)/newstrace --db $(OUT)/demo.db ingest examples/seeds examples/corpus
	$(BIN)/newstrace --db $(OUT)/demo.db detect
	$(BIN)/newstrace --db $(OUT)/demo.db trace examples/seeds/000_b532a79fb36ebd07.txt
	$(BIN)/newstrace --db $(OUT)/demo.db compare examples/seeds/000_b532a79fb36ebd07.txt \
		examples/seeds/001_56b3779ae79152f8.txt --html $(OUT)/seed-pair.html
	$(BIN)/newstrace --db $(OUT)/demo.db export --format csv --out $(OUT)/export
	$(BIN)/newstrace --db $(OUT)/demo.db report --out $(OUT)/report.html
	@echo
	@echo "Store:            $(OUT)/demo.db  (try: $(BIN)/newstrace --db $(OUT)/demo.db search Putin Trump)"
	@echo "Seed pair report: $(OUT)/seed-pair.html"
	@echo "Corpus report:    $(OUT)/report.html"
	@echo "Exports (CSV):    $(OUT)/export/"
	@echo "Web app:          $(BIN)/newstrace --db $(OUT)/demo.db serve   (then open http://localhost:8765/)"

# The browser tests drive Debian's Chromium (Playwright cannot download one here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# The README's pictures of the web app (docs/web-*.png), from the demo store (built when missing).
screenshots: install chromium
	$(BIN)/python docs/screenshots.py --db $(OUT)/demo.db --out docs

# The Spark tests need Java 17 (PySpark starts a JVM); without it they are skipped, and said so.
java:
	@command -v java >/dev/null 2>&1 || { \
		echo "*** Java is missing: the Spark tests (tests/spark) will be SKIPPED."; \
		echo "*** Install Java 17 to run them: sudo apt-get install -y openjdk-17-jre-headless"; \
		echo "*** (Debian/Ubuntu), or: brew install openjdk@17 (macOS); then re-run make test."; }

test: install chromium java
	$(BIN)/ruff check src tests benchmarks examples eval
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests benchmarks examples eval
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/compare.py

# Coverage-guided fuzzing of every parser and the aligner (atheris), FUZZ_SECONDS per target;
# the corpus grows in .fuzz/TARGET/ between runs; crashing inputs land in .fuzz/crashes/.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := text html warc jsonl json csv feed sitemap align
fuzz: install
	@mkdir -p .fuzz/crashes
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p .fuzz/$$t; echo "== fuzzing $$t for $(FUZZ_SECONDS) s"; \
		$(BIN)/python tests/fuzz/fuzz.py $$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix=.fuzz/crashes/ \
			.fuzz/$$t tests/nasty > .fuzz/$$t.log 2>&1; rc=$$?; \
		grep -E "^stat::(number_of_executed|new_units|peak_rss)" .fuzz/$$t.log; \
		if [ $$rc -ne 0 ]; then tail -40 .fuzz/$$t.log; echo "fuzz $$t FAILED (see .fuzz/crashes/)"; exit 1; fi; \
	done
# Quality figures (README "Measured"): real news labelled by reading first, then the generated
# corpora. Reuters-21578 (research use only, not in the repository) is built from ../shared/data
# when it is there; without it the other corpora are measured and the command says so.
# Files 000-001 to 018-019 are the labelled set's Reuters development corpora; 020-021 are held
# out (labelled, never tuned on).
REUTERS_FILES := 000-001 002-003 004-005 006-007 008-009 010-011 012-013 014-015 016-017 018-019 020-021
eval: install
	@mkdir -p $(OUT)
	@for f in $(REUTERS_FILES); do test -f $(OUT)/reuters-21578-$$f.jsonl.gz || { test -d ../shared/data/reuters-21578 && \
		$(BIN)/python eval/real/tools/build_reuters.py ../shared/data/reuters-21578 $(OUT)/reuters-21578-$$f.jsonl.gz \
		--files $$(echo $$f | sed 's/00\([0-9]\)-00\([0-9]\)/\1-\2/'); } || true; done
	$(BIN)/newstrace eval real eval/real --work $(OUT)/eval-real
	$(BIN)/newstrace eval real eval/multilingual --semantic --work $(OUT)/eval-multilingual
	$(BIN)/newstrace eval real eval/unseen --semantic --work $(OUT)/eval-unseen
	$(BIN)/newstrace eval generate-families $(OUT)/families-real.jsonl --real-distractors eval/real
	$(BIN)/newstrace eval families $(OUT)/families-real.jsonl
	$(BIN)/newstrace eval generate $(OUT)/pan --msrp ../shared/data/msrp/msr_paraphrase_train.txt
	$(BIN)/newstrace eval pan $(OUT)/pan
	$(BIN)/newstrace eval generate-families $(OUT)/families.jsonl
	$(BIN)/newstrace eval families $(OUT)/families.jsonl

clean:
	rm -rf $(OUT) build dist .pytest_cache .ruff_cache .mypy_cache .hypothesis
