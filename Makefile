# Rx Assist: `make run` serves the app, `make test` runs the whole suite.
# Both set up everything first: the virtualenv, system packages, the ICD-10-CM index
# and the database.
# requirements.txt pins what runs in production (`make run`, `make setup`);
# requirements-dev.txt adds the test and tooling packages (`make test`, `lint`, `bench`,
# `load`, `setup-dev`). Both are compiled by `make lock` from requirements.in and
# requirements-dev.in, every transitive dependency pinned (LOCK_ARGS=--upgrade to move them).

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 5000
INDEX := icd10_data/build/icd10cm-index.json.gz
ICD_SOURCE := $(wildcard icd10_data/source/*.xml.gz)
export FLASK_APP := app

.PHONY: run dev test test-fast bench load lint setup setup-dev lock system browser test-tools db clean

# serving.py holds gunicorn's settings: one process of threads (README, Production).
run: setup db
	@echo "Rx Assist on http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	RX_ICD_PRELOAD=1 $(VENV)/bin/gunicorn -c python:serving --bind 127.0.0.1:$(PORT) \
		'app:create_app()'

dev: setup db
	$(VENV)/bin/flask run --debug --port $(PORT)

test: setup-dev browser test-tools
	$(PY) -m pytest -q

test-fast: setup-dev test-tools
	$(PY) -m pytest -q -m "not browser"

bench: setup-dev browser
	@scripts/ensure-system-packages.sh wrk=wrk
	$(PY) bench/run.py

# 50 physicians through the wizard against gunicorn on PostgreSQL (bench/README.md),
# e.g. LOAD_ARGS="--seconds 60 --api-clients 20 --hosts 2"
load: setup-dev
	$(PY) bench/load_wizard.py $(LOAD_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

setup: $(VENV)/.installed system $(INDEX)

setup-dev: setup $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
		echo "Could not create $(VENV) with $(PYTHON): install Python 3.11 with venv"; \
		echo "(sudo apt-get install -y python3.11-venv) and run make again."; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check \
		-r requirements.txt -r requirements-dev.txt
	@touch $@

LOCK_ARGS ?=
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

# Re-pin after editing a .in file; existing pins are kept unless they must move.
lock: $(VENV)/.installed-dev
	$(PIP_COMPILE) --output-file=requirements.txt requirements.in
	$(PIP_COMPILE) --output-file=requirements-dev.txt requirements-dev.in

system:
	@scripts/ensure-system-packages.sh wkhtmltopdf=wkhtmltopdf,fonts-dejavu-core,fonts-liberation

browser:
	@scripts/ensure-system-packages.sh chromium=chromium chromedriver=chromium-driver

# Tests look at PDFs as pictures and decode their QR codes, and share rate limits
# between two app processes through a private redis-server.
test-tools:
	@scripts/ensure-system-packages.sh pdftoppm=poppler-utils zbarimg=zbar-tools \
		redis-server=redis-server

$(INDEX): $(ICD_SOURCE) rxassist/icd_build.py | $(VENV)/.installed
	$(PY) -m rxassist.icd_build

db: $(VENV)/.installed
	$(VENV)/bin/flask db upgrade

clean:
	rm -rf $(VENV) icd10_data/build .pytest_cache
