# `make run` serves the site with demo content; `make test` runs the checks and the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
# The address canonical and sharing links name under `make run`: SITE_URL from the environment
# or .env when set there, else where the server listens (0.0.0.0, every interface, as this
# machine's own address).
DEV_SITE_URL = $(or $(SITE_URL),$(shell sed -n 's/^SITE_URL=//p' .env 2>/dev/null | tail -n 1),http://$(subst 0.0.0.0,127.0.0.1,$(HOST)))

.PHONY: install run test e2e e2e-tools lint format messages superuser demo clean

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
	@echo "  Site:  $(DEV_SITE_URL)/"
	@echo "  Admin: $(DEV_SITE_URL)/admin/  (no login yet? run 'make superuser' in another terminal)"
	@echo ""
	DEBUG=1 SITE_URL=$(DEV_SITE_URL) $(BIN)/python manage.py runserver $(HOST)

superuser: install
	DEBUG=1 $(BIN)/python manage.py createsuperuser

test: install lint
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} $(BIN)/pytest

# The browser suite (tests/e2e/): headless Chromium through selenium, axe-core, the Nu HTML
# validator and Lighthouse from tests/e2e/node/, wrk for the publish-under-load run, Varnish
# with its modules (xkey) for the HTTP cache in front (tests/e2e/test_varnish.py). Installs
# what is missing (apt-get needs root, as in CI). Use PostgreSQL: search and Lighthouse need it.
E2E_NODE := tests/e2e/node

e2e: install e2e-tools
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} $(BIN)/pytest tests/e2e -m e2e

e2e-tools:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update && apt-get install -y chromium chromium-driver)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	command -v varnishd >/dev/null && test -n "$$(find /usr/lib -name libvmod_xkey.so)" || \
		(apt-get update && apt-get install -y varnish varnish-modules)
	command -v java >/dev/null || (apt-get update && apt-get install -y default-jre-headless)
	test -d $(E2E_NODE)/node_modules/lighthouse || npm ci --prefix $(E2E_NODE) --no-audit --no-fund

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The German catalogue: new interface strings into locale/de/…/django.po, then django.mo
# compiled from it. Translate the new entries, run it again and commit both files.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l de --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages -l de --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache $(E2E_NODE)/node_modules
