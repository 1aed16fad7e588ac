# Roundtable: `make run` and `make test` are the whole quick start.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= roundtable.settings

.PHONY: run test test-postgres test-browser lint bench load load-opinions messages messages-check compilemessages clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Roundtable needs Python 3.11"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

compilemessages: $(STAMP)
	$(BIN)/roundtable compilemessages_po

# Development server with the demo jurisdiction.
run: compilemessages
	ROUNDTABLE_DEBUG=1 $(BIN)/roundtable migrate --no-input
	ROUNDTABLE_DEBUG=1 $(BIN)/roundtable demo --if-empty
	ROUNDTABLE_DEBUG=1 $(BIN)/roundtable demo --logins
	ROUNDTABLE_DEBUG=1 $(BIN)/roundtable serve --port $(PORT)

test: compilemessages
	$(BIN)/pytest -m "not browser" -n 2 -q $(PYTEST_ARGS)

test-postgres: compilemessages
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -m "not browser" -n 2 -q $(PYTEST_ARGS)

test-browser: compilemessages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m browser -q -p no:xdist $(PYTEST_ARGS)

lint: compilemessages messages-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy roundtable tests bench load
	$(BIN)/roundtable makemigrations --check --dry-run
	ROUNDTABLE_ENV=production ROUNDTABLE_SECRET_KEY=lint-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ROUNDTABLE_ALLOWED_HOSTS=roundtable.example.org REDIS_URL=redis://127.0.0.1:6379/0 \
	  ROUNDTABLE_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend \
	  $(BIN)/roundtable check --deploy --fail-level WARNING

bench: compilemessages
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

# 1,000 concurrent public submissions against PostgreSQL through gunicorn.
load: compilemessages
	$(BIN)/python -m load.public_inputs

# Votes per second on an opinion conversation (PostgreSQL, gunicorn and the
# task worker recomputing the map meanwhile); checks that no vote is lost.
load-opinions: compilemessages
	$(BIN)/python -m load.opinion_votes

# Refresh the .po catalogues from the source (needs GNU gettext).
messages: $(STAMP)
	cd roundtable && ../$(BIN)/roundtable makemessages -l es --no-obsolete --no-location --ignore 'migrations/*' -v 0

# Lint: every string in the source is in the catalogue. Extracting again must
# change nothing but the date; a test then checks that every entry is translated.
messages-check: messages
	git diff --exit-code -I '^"POT-Creation-Date' --stat -- roundtable/locale || \
	  (echo "The Spanish catalogue lacks strings from the source: run make messages and translate them." && exit 1)

clean:
	rm -rf $(VENV) var staticfiles
