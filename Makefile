# `make demo` and `make test` each create .venv if missing and install the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m tfx_lite.demo

# The suite runs as two processes at once (tests/conftest.py --shard splits it by file), one per
# core; the second part's output follows the first's. Fails if either part fails.
test: $(STAMP)
	@$(BIN)/python -m pytest -q --shard 1/2 > .pytest-part-2.log 2>&1 & second=$$!; \
	$(BIN)/python -m pytest -q --shard 0/2; first=$$?; \
	wait $$second; status=$$?; echo "--- part 2 of 2 ---"; cat .pytest-part-2.log; \
	test $$first -eq 0 -a $$status -eq 0

bench: $(STAMP)
	$(BIN)/python bench/op_overhead.py
	$(BIN)/python bench/train_linear.py
	$(BIN)/python bench/train_cnn.py
	$(BIN)/python bench/data_pipeline.py
	$(BIN)/python bench/ragged_sparse.py
	$(BIN)/python bench/session_run.py
	$(BIN)/python bench/saved_model.py

seed: $(STAMP)
	$(BIN)/python ../shared/seed/check.py --python $(BIN)/python

clean:
	rm -rf $(VENV) build *.egg-info
