# The two commands: `make run` serves the demo city, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
VENDOR := static/vendor

.PHONY: run test setup vendor browser services redis screenshots bench clean

run: setup
	$(PY) run.py serve

# A test run writes nothing into the work tree: no bytecode, no pytest cache, screenshots and
# Hypothesis examples under the temporary folder.
test: setup $(VENV)/.test-installed browser services
	PYTHONDONTWRITEBYTECODE=1 $(PY) -m pytest -q -p no:cacheprovider

setup: $(VENV)/.installed vendor

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

vendor: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.min.js \
	   node_modules/jsqr/dist/jsQR.js \
	   node_modules/chart.js/dist/chart.umd.min.js \
	   node_modules/qrcode-generator/dist/qrcode.mjs $(VENDOR)/
	cp node_modules/simple-keyboard/build/index.modern.esm.js $(VENDOR)/simple-keyboard.esm.js
	cp node_modules/simple-keyboard/build/css/index.css $(VENDOR)/simple-keyboard.css
	cp node_modules/simple-keyboard-layouts/build/layouts/chinese.js $(VENDOR)/simple-keyboard-chinese.js

browser:
	scripts/ensure-browser.sh

services:
	scripts/ensure-services.sh

# A Redis for development with LEIFENG_WORKERS > 1 (LEIFENG_REDIS_URL=redis://127.0.0.1:6379/0), in
# the foreground, nothing kept on disk; on a server use Debian's redis-server service (README, 运维).
redis: services
	redis-server --bind 127.0.0.1 --port $${REDIS_PORT:-6379} --save "" --appendonly no

screenshots: setup $(VENV)/.test-installed browser
	LEIFENG_SCREENSHOTS_DIR=$(CURDIR)/screenshots $(PY) -m pytest -q -p no:cacheprovider -m screenshots tests/browser

bench: setup $(VENV)/.test-installed browser services
	test -f instance/city-year.sqlite3 || $(PY) run.py demo --scale city-year -o instance/city-year.sqlite3
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
