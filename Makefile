# Rx Assist: `make run` serves the app, `make test` runs the whole suite.
# Both set up everything first: the virtualenv, system packages, the ICD-10-CM index
# and the database.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 5000
INDEX := icd10_data/build/icd10cm-index.json.gz
ICD_SOURCE := $(wildcard icd10_data/source/*.xml.gz)
export FLASK_APP := app

.PHONY: run dev test test-fast bench load lint setup system browser db clean

run: setup db
	@echo "Rx Assist on http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	RX_ICD_PRELOAD=1 $(VENV)/bin/gunicorn --preload --no-control-socket --workers 2 \
		--bind 127.0.0.1:$(PORT) \
		--access-logfile - --logger-class serving.RedactingLogger \
		--access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(M)sms' 'app:create_app()'

dev: setup db
	$(VENV)/bin/flask run --debug --port $(PORT)

test: setup browser
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not browser"

bench: setup
	@scripts/ensure-system-packages.sh wrk=wrk
	$(PY) bench/run.py

# 50 physicians through the wizard against gunicorn on PostgreSQL, e.g. LOAD_ARGS=--seconds=20
load: setup
	$(PY) bench/load_wizard.py $(LOAD_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

setup: $(VENV)/.installed system $(INDEX)

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
		echo "Could not create $(VENV) with $(PYTHON): install Python 3.11 with venv"; \
		echo "(sudo apt-get install -y python3.11-venv) and run make again."; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

system:
	@scripts/ensure-system-packages.sh wkhtmltopdf=wkhtmltopdf,fonts-dejavu-core,fonts-liberation

browser:
	@scripts/ensure-system-packages.sh chromium=chromium chromedriver=chromium-driver

$(INDEX): $(ICD_SOURCE) rxassist/icd_build.py | $(VENV)/.installed
	$(PY) -m rxassist.icd_build

db: $(VENV)/.installed
	$(VENV)/bin/flask db upgrade

clean:
	rm -rf $(VENV) icd10_data/build .pytest_cache
