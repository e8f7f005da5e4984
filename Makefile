# The two commands in the README: `make start` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# pip's whole output goes to this log, named (with its last lines) only when set-up fails.
SETUP_LOG := $(VENV)/setup.log

.PHONY: start test lint setup first-start-check

$(BIN)/spok-bot: pyproject.toml
	@echo "Setting up $(VENV) (first run, about a minute; pip's output: $(SETUP_LOG)) ..."
	@mkdir -p $(VENV)
	@{ $(PYTHON) -m venv $(VENV) \
	   && $(BIN)/pip install --upgrade pip \
	   && $(BIN)/pip install -e '.[dev]'; } > $(SETUP_LOG) 2>&1 \
	 || { echo "Set-up failed. The end of $(SETUP_LOG):"; tail -n 15 $(SETUP_LOG); \
	      echo "The whole log: $(SETUP_LOG)"; exit 1; }
	@touch $(BIN)/spok-bot
	@echo "Set up."

setup: $(BIN)/spok-bot

start: setup
	@$(BIN)/spok-bot run

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# Counts what a fresh clone's `make start` prints before the chat (at most 10 lines).
first-start-check:
	$(PYTHON) scripts/first_start.py
