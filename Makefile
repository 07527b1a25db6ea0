# `make run` and `make test` do all set-up themselves: virtualenv, dependencies,
# database (a local PostgreSQL in .pgdata/ unless DATABASE_URL is set), migrations
# and the site's starting content.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
# Runs a command with DATABASE_URL pointing at a ready PostgreSQL (one local server for all of a target's steps).
WITH_DB := $(PY) scripts/devdb.py --
# manage.py uses development settings unless DJANGO_ENV=production says otherwise (config/settings.py).
MANAGE := $(PY) manage.py
# honcho starts the processes of a Procfile together and stops them all when one stops (or on Ctrl-C).
HONCHO := env PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start
SETUP := $(MANAGE) migrate --noinput && $(MANAGE) load_site_content

.PHONY: install run serve bench test test-ahead audit lint format clean-db backup restore system-deps check-security

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

## Development server with DEBUG on, at http://$(HOST):$(PORT)/, and the task worker (Procfile.dev).
run: install
	HOST=$(HOST) PORT=$(PORT) $(WITH_DB) bash -c 'set -e; $(SETUP); \
		$(MANAGE) create_dev_editor --site-url http://$(HOST):$(PORT); exec $(HONCHO) -f Procfile.dev'

## Production-style server until stopped: gunicorn (config/gunicorn.conf.py, workers from the CPU
## count), DEBUG off, persistent database connections, compressed hashed static files from whitenoise.
## With REDIS_URL set, anonymous readers get pages from the Redis page cache. The task worker runs beside
## gunicorn (Procfile) and stops with it.
serve: install
	DJANGO_ENV=production DEBUG=0 ALLOW_INSECURE_HTTP=1 SECRET_KEY="$${SECRET_KEY:-$$($(PY) scripts/local_secret.py)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),127.0.0.1,localhost}" HOST=$(HOST) PORT=$(PORT) \
	WEB_CONCURRENCY="$${WEB_CONCURRENCY:-$(WORKERS)}" \
	$(WITH_DB) bash -c 'set -e; $(SETUP); $(MANAGE) collectstatic --noinput --verbosity 0; \
		exec $(HONCHO) -f Procfile'

## Load test of the article page at 0, 50, 500 and 5,000 comments, then the busy site of 100 articles while comments
## flow (bench/run.py, bench/busy.py; about 8 minutes; BENCH_SCENARIOS=article or busy runs one).
bench: install
	SECRET_KEY="$${SECRET_KEY:-$$($(PY) scripts/local_secret.py)}" \
	$(WITH_DB) bash -c 'set -e; $(MANAGE) collectstatic --noinput --verbosity 0; exec $(PY) bench/run.py'

## Every check and test, against a real PostgreSQL; pytest-xdist runs the test files in one process per CPU,
## each with a test database of its own (PYTEST_WORKERS=0 runs them in this process).
PYTEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest --numprocesses $(PYTEST_WORKERS) --dist loadfile
test: install lint system-deps axe
	$(WITH_DB) bash -c 'set -e; $(SETUP); $(MANAGE) check --fail-level WARNING; \
		$(MANAGE) makemigrations --check --dry-run; $(MANAGE) collectstatic --noinput --verbosity 0; \
		$(PYTEST) $(PYTEST_ARGS)'

## The time-sensitive test modules once more with the clock a year ahead (tests/conftest.py, time-machine):
## a test that hard-codes today's date fails here now, not for whoever runs the suite next year.
TIME_SENSITIVE_TESTS := tests/comments/test_comments_ratelimit.py tests/comments/test_comments_confirmation.py \
	tests/comments/test_comments_first_visit.py tests/comments/test_comments_posting.py tests/comments/test_comments_thread.py \
	tests/comments/test_comments_commands.py tests/blog/test_editor_saves.py tests/blog/test_editor_preview.py \
	tests/blog/test_editor_update_history.py tests/blog/test_article_page.py tests/blog/test_home_and_author.py \
	tests/blog/test_content_archives.py tests/config/test_perf_cache.py tests/worker/test_periodic_jobs.py \
	tests/staff/test_login_lockouts.py tests/staff/test_two_factor.py tests/blog/test_site_content.py \
	tests/blog/test_unpublished_hidden.py tests/blog/test_web_feeds.py tests/blog/test_web_metadata.py tests/blog/test_web_sitemap.py \
	tests/config/test_admin.py tests/config/test_page_cache_tags.py tests/config/test_redirect_rules.py tests/comments/test_comments_held_notify.py \
	tests/staff/test_signin_events.py tests/staff/test_staff_power.py
test-ahead: install
	$(WITH_DB) bash -c 'set -e; $(SETUP); $(MANAGE) collectstatic --noinput --verbosity 0; \
		TESTS_CLOCK_AHEAD_DAYS=$${TESTS_CLOCK_AHEAD_DAYS:-366} $(PYTEST) $(TIME_SENSITIVE_TESTS) -q'

## Security figures, measured: hostile-input corpus, flood, 50-reader burst, admin lockout, check --deploy,
## headers (scripts/check_security.py runs tests/config/test_hostile_input.py and tests/config/test_burst.py; about 2 minutes).
check-security: install
	$(WITH_DB) bash -c 'set -e; $(MANAGE) collectstatic --noinput --verbosity 0; $(PY) scripts/check_security.py'

## pip-audit over requirements.txt (scripts/audit.py): exit 1 for a known vulnerability not listed with its reason
## in audit-ignore.txt, 3 when the vulnerability data could not be reached (nothing was checked).
audit: install
	$(PY) scripts/audit.py

## Back up the database and uploaded media into backups/site-<time>.tar.gz.
backup: install
	$(WITH_DB) $(MANAGE) backup_site $(if $(FILE),--output $(FILE))

## Restore a backup: make restore FILE=backups/site-....tar.gz (the current state is saved first).
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/site-....tar.gz"; exit 2; }
	$(WITH_DB) $(MANAGE) restore_site $(FILE)

## Debian packages the tests drive (chromium, pgbouncer, npm for axe-core), installed when missing.
system-deps:
	scripts/system-deps.sh

## ruff, then the import contracts in pyproject.toml (lint-imports): the apps depend one way, no app has an import
## cycle, and the comments app's modules keep their layers.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Delete the local PostgreSQL data folder (not used when DATABASE_URL is set).
clean-db:
	rm -rf .pgdata

## axe-core and Lighthouse (pinned) for the browser tests (tests/e2e/), from package-lock.json.
AXE := node_modules/axe-core/axe.min.js
.PHONY: axe
axe: $(AXE)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@
