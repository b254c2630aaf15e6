# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup install install-dev translations assets i18n migrate clean

run: setup  ## set everything up on SQLite with demo data and serve http://127.0.0.1:5000
	@echo ""
	@echo "Serving http://$(HOST):$(PORT)/ - demo logins are printed above (flask demo seed)."
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev translations assets  ## install the test tools and run the whole suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: install translations assets
	$(FLASK) db upgrade
	$(FLASK) countries sync
	$(FLASK) questionnaires load questionnaires/*/*.yaml
	$(FLASK) demo seed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(VENV)/.installed
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

translations: install
	$(BIN)/pybabel compile -d app/translations

assets: install  ## gzip and brotli copies of the static files (served to browsers that accept them)
	$(FLASK) assets compress >/dev/null

i18n: install  ## extract messages and update the Russian catalog (then translate the new ones)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location --sort-output -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --width 100

migrate: install  ## autogenerate a migration after a model change: make migrate m="what changed"
	$(FLASK) db migrate -m "$(m)"

clean:
	rm -rf $(VENV) build instance/customs.sqlite3*
