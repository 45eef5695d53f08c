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

test: $(STAMP)
	$(BIN)/python -m pytest -q

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
