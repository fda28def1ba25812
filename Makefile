# Two entry points for a fresh machine: `make demo` and `make test`. Each builds .venv itself.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# The clock guard: after the full run, the tests marked wall_clock (not slow) run again with the
# system clock (libfaketime, ticking from the start time) at a day in Black Friday week, at Chinese
# New Year and at a day outside every peak window. CLOCK_GUARD=required fails without faketime.
CLOCK_DATES ?= 2026-11-27 2027-02-10 2026-10-06
CLOCK_GUARD ?= optional

.PHONY: demo test lint clock-guard bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/tradelane demo

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest
	@$(MAKE) --no-print-directory clock-guard

clock-guard: $(VENV)/.installed
	@if command -v faketime >/dev/null 2>&1; then \
		for day in $(CLOCK_DATES); do \
			echo "clock guard: wall_clock tests with the system clock at $$day 12:00 UTC"; \
			FAKETIME_DONT_FAKE_MONOTONIC=1 faketime "$$day 12:00:00 UTC" \
				$(BIN)/pytest -q -p no:cacheprovider -m "wall_clock and not slow" || exit 1; \
		done; \
	elif [ "$(CLOCK_GUARD)" = required ]; then \
		echo "clock guard FAILED: faketime is not installed (Debian package faketime)"; exit 1; \
	else \
		echo "clock guard SKIPPED: faketime is not installed (Debian/Ubuntu: apt-get install" \
			"faketime), so the tests ran on today's date only"; \
	fi

bench: $(VENV)/.installed
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
