# `make run` serves the site with demo content; `make test` runs the checks and the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint format messages superuser demo clean

install: $(STAMP) .env

# A local .env with a fresh secret key, so manage.py commands run in this checkout.
.env:
	$(PYTHON) -c 'import secrets; print("SECRET_KEY=" + secrets.token_urlsafe(50))' > .env

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_demo_content
	@echo ""
	@echo "  Site:  http://$(HOST)/"
	@echo "  Admin: http://$(HOST)/admin/  (no login yet? run 'make superuser' in another terminal)"
	@echo ""
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

superuser: install
	DEBUG=1 $(BIN)/python manage.py createsuperuser

test: install lint
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The German catalogue: new interface strings into locale/de/…/django.po, then django.mo
# compiled from it. Translate the new entries, run it again and commit both files.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l de --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages -l de --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
