# crossguard: `make demo` and `make test` are the whole set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export OMP_THREAD_LIMIT := 1

LOCK := requirements.lock
LOCK_VENV := .lock-venv

.PHONY: demo test lint bench system-deps clean lock

# Exactly the locked versions, each checked against its hash; then crossguard itself.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r $(LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

# Regenerate the lock from pyproject.toml (run after changing a dependency, then `make`).
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install -q pip-tools
	$(LOCK_VENV)/bin/pip-compile -q --generate-hashes --extra dev --strip-extras \
	  --allow-unsafe --no-emit-index-url --no-emit-find-links --upgrade \
	  --output-file $(LOCK) pyproject.toml

# Debian packages the test suite drives for real (OCR, browser, MTA, systemd-analyze).
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  missing=""; \
	  command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v postfix >/dev/null || [ -x /usr/sbin/postfix ] || missing="$$missing postfix"; \
	  command -v swaks >/dev/null || missing="$$missing swaks"; \
	  command -v systemd-analyze >/dev/null || missing="$$missing systemd"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	  fi; \
	fi

demo: $(STAMP)
	$(BIN)/crossguard demo

test: $(STAMP) system-deps
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# `make bench BENCH_ARGS=--quick` for a short run; the full one includes a 10M-customer index.
bench: $(STAMP)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(LOCK_VENV) build *.egg-info
