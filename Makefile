# Two environments (see README): .venv (Python >= 3.11, ticketing and tooling) and
# .venv-rasa (Python 3.10, Rasa 3.6 and the action server). They meet only over HTTP.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)
PYTHON311 ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; done)
PYTHON310 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.10.*/bin/python3.10) $(shell command -v python3.10 2>/dev/null))

VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
RASA_PY := $(RASA_VENV)/bin/python
RASA := $(RASA_VENV)/bin/rasa
MODEL := models/bot.tar.gz
# What make publish has published (procedure/published.py): the help page, the console and the bot serve it.
PUBLISHED := var/published

export TICKETING_PORT ?= 8000
export ACTIONS_PORT ?= 5055
export RASA_PORT ?= 5005
export TICKETING_URL ?= http://localhost:$(TICKETING_PORT)
export RASA_URL ?= http://localhost:$(RASA_PORT)
export ACTION_ENDPOINT_URL ?= http://localhost:$(ACTIONS_PORT)/webhook
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1
# Rasa's dependencies print pages of deprecation warnings at start; telemetry would try the internet.
export PYTHONWARNINGS ?= ignore::DeprecationWarning
export RASA_TELEMETRY_ENABLED := false

# The model depends on the domain, the config, the training data and our NLU components (bot/nlu), not on
# the editors' tools (bot/tools): changing a report must not retrain.
RASA_INPUTS := domain.yml config.yml $(shell find data bot/nlu -name '*.yml' -o -name '*.py' 2>/dev/null)

.PHONY: help provision setup train run test validate lint lock clean bench bench-screen chaos private-var

help:
	@echo "make run    — всё поднять на встроенных настройках (Rasa :$(RASA_PORT), действия :$(ACTIONS_PORT), обращения :$(TICKETING_PORT))"
	@echo "make test   — все тесты (сам доустановит окружения и обучит модель)"
	@echo "make provision — системные пакеты для тестов (Dovecot, Chromium, шрифты, HAProxy); нужен root"
	@echo "make setup | train | validate | lint | audit | bench | bench-screen | chaos | lock | clean"

# Debian packages the tests and run-prod need (scripts/provision says which and why); installs only
# what is missing, so it costs nothing once done. Without root it names the command to run.
provision:
	@scripts/provision

setup: $(VENV)/.installed $(RASA_VENV)/.installed

# Each environment: its locks (run time + tests and lint), then the project itself, editable and without
# dependencies (pyproject.toml says why), so that its packages import from anywhere without path tricks.
PIP_QUIET := --quiet --disable-pip-version-check
$(VENV)/.installed: requirements/ticketing.lock requirements/ticketing-dev.lock pyproject.toml
	@test -n "$(PYTHON311)" || { echo "Нужен Python 3.11 или новее (python3.11/python3.12 в PATH)."; exit 1; }
	@test -x $(PY) || $(PYTHON311) -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) --upgrade pip
	$(PY) -m pip install $(PIP_QUIET) -r requirements/ticketing.lock -r requirements/ticketing-dev.lock
	$(PY) -m pip install $(PIP_QUIET) --no-deps --editable .
	@touch $@

$(RASA_VENV)/.installed: requirements/rasa.lock requirements/rasa-dev.lock pyproject.toml
	@test -n "$(PYTHON310)" || { echo "Нужен Python 3.10 для Rasa 3.6 (pyenv install 3.10)."; exit 1; }
	@test -x $(RASA_PY) || $(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_PY) -m pip install $(PIP_QUIET) --upgrade pip
	$(RASA_PY) -m pip install $(PIP_QUIET) -r requirements/rasa.lock -r requirements/rasa-dev.lock
	$(RASA_PY) -m pip install $(PIP_QUIET) --no-deps --editable .
	@touch $@

# Retrains only when the domain, config, training data or our NLU components changed — their content, not
# their time stamps: a file restored to what it was (an editor's undo, git checkout) does not retrain. The
# digest file is rewritten only when the content's digest changes, and the model depends on it. On its first
# run beside an up-to-date model it takes the model's time, so that adopting it retrains nothing.
TRAIN_DIGEST := models/inputs.sha256
.PHONY: FORCE
$(TRAIN_DIGEST): FORCE
	@mkdir -p models; new="$$(sha256sum $(sort $(RASA_INPUTS)) | sha256sum | cut -c1-64)"; \
	if [ "$$(cat $@ 2>/dev/null)" != "$$new" ]; then \
		adopt=; if [ ! -e $@ ] && [ -e $(MODEL) ] && [ -z "$$(find $(RASA_INPUTS) -newer $(MODEL) | head -1)" ]; then adopt=1; fi; \
		echo "$$new" > $@; if [ -n "$$adopt" ]; then touch -r $(MODEL) $@; fi; \
	fi

train: $(MODEL)
$(MODEL): $(RASA_VENV)/.installed $(TRAIN_DIGEST)
	@mkdir -p models
	$(RASA) train --fixed-model-name bot --out models --quiet
	@touch $@

var/service.token: $(VENV)/.installed
	@mkdir -p var
	$(PY) -m ticketing db upgrade
	$(PY) -m ticketing token ensure --role service --name "action-server" --file $@ > /dev/null

# The secret Rasa sends the action server (endpoints.yml, README «Продакшн»): made once, readable by its owner only.
var/action-server.token: $(VENV)/.installed
	@mkdir -p var
	@(umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(32))' > $@)

# var/ holds real people's data (tickets, conversations, the outbox; 152-ФЗ): its owner's alone, files made
# before included. make run starts every process with umask 077, so what they create there is private too.
private-var:
	@mkdir -p var && chmod 700 var && find var -maxdepth 1 -type f -exec chmod 600 {} +

run: setup $(MODEL) var/service.token var/action-server.token private-var
	$(PY) -m ticketing db upgrade
	@$(PY) -m ticketing token ensure --role service --name "action-server" --file var/service.token > /dev/null
	@# endpoints.yml names the default action server; a moved ACTIONS_PORT is written into a copy.
	@sed 's#http://localhost:5055/webhook#$(ACTION_ENDPOINT_URL)#' endpoints.yml > var/endpoints.yml
	@# The model just started is trained from the files as they are: the help page, the console and the bot's
	@# titles start from the same files (published), or, if one does not read, from the last published version.
	@$(RASA_PY) -m bot.tools.publish --content-only --published $(PUBLISHED)
	@echo "Чат: make ask QUESTION=привет  (или curl -s localhost:$(RASA_PORT)/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"привет\"}' | python3 -m json.tool --no-ensure-ascii)"
	umask 077 && PUBLISHED_CONTENT=$(PUBLISHED) TICKETING_TOKEN=$$(cat var/service.token) \
		ACTION_SERVER_TOKEN=$$(cat var/action-server.token) $(VENV)/bin/honcho start -f Procfile

# Rasa's own check of the data; its last word is in Russian for the editors (docs/editors.md).
# The appeal form's responses (utter_ask_*, utter_invalid_*, utter_explain_* and two more) are said by its
# actions, never by a story, so Rasa's «not used in any story» about them is left out; about any other it stays.
# The same for the replies after «Помогло?», inside the form and at the summary that actions/ chooses among.
FORM_RESPONSES := utter_(ask|ask_again|invalid|explain)_[a-z_]+|utter_login_unknown_ok|utter_draft_declined|utter_(instruction_helped|escalate_instruction|instruction_failed_noted|form_help_is_coming|form_problem_noted|out_of_scope_in_form|request_kind_set)
FORM_RESPONSES_UNUSED := The utterance '($(FORM_RESPONSES))' is not used in any story or rule
# A YAML slip is named first, in Russian, with its file, line and what to do (bot/tools/content.py): Rasa would
# say it in English and send the editor to an outside website.
validate: $(RASA_VENV)/.installed
	@$(RASA_PY) -m bot.tools.content || { \
		echo "make validate: исправьте файл в названной строке и запустите make validate ещё раз."; exit 1; }
	@set -o pipefail; $(RASA) data validate --fail-on-warnings 2>&1 | grep -v -E "$(FORM_RESPONSES_UNUSED)" \
		| sed -E 's# ?You can use https://yamlchecker\.com/ to validate (the )?YAML syntax of your file\.##' || { \
		echo "make validate: Rasa нашла ошибку — она выше, красным или жёлтым, с именем файла и строкой."; exit 1; }
	@echo "make validate: данные Rasa в порядке (жёлтое «duplicated intents ... faq» выше — ожидаемое, не ошибка)."

# mypy twice, once per environment: ticketing (and its tests) against .venv on Python 3.11; actions/, bot/
# (and theirs) against .venv-rasa's packages on Python 3.10 (pyproject.toml reads rasa's sources for types).
# procedure/ runs in both, so both check it; bench/bot_floor.py runs in .venv-rasa.
lint: $(VENV)/.installed $(RASA_VENV)/.installed
	$(VENV)/bin/ruff check ticketing procedure tests actions bot bench
	$(VENV)/bin/mypy --explicit-package-bases --exclude bench/bot_floor.py \
		ticketing procedure bench tests/unit tests/integration tests/content tests/e2e
	$(VENV)/bin/mypy --explicit-package-bases --python-executable $(RASA_PY) --python-version 3.10 \
		procedure actions bot bench/bot_floor.py tests/actions tests/bot

# tests/integration includes Schemathesis against the real server (about a minute, seeded; README «API») and
# tests/unit/properties the hypothesis properties (derandomised).
# Two lanes on the two cores. The ticketing tests need no model and run in the foreground; beside them, the
# model (trained only when its inputs changed: about 4 minutes on a fresh machine) and then everything that needs
# it: the Rasa environment's tests, `rasa test core` and the browser tests. That lane's output goes to
# var/test-bot.log and is printed when both lanes are done. (The two lanes share PostgreSQL and Redis safely:
# every test makes its own database, and Redis keys carry per-test prefixes.)
.PHONY: test-bot
test: provision setup
	@scripts/services
	$(MAKE) --no-print-directory validate
	@mkdir -p var; echo "make test: модель, тесты бота и браузерные тесты идут рядом с тестами обращений (вывод — var/test-bot.log)"; \
	$(MAKE) --no-print-directory test-bot > var/test-bot.log 2>&1 & bot=$$!; \
	$(VENV)/bin/pytest -q tests/unit tests/integration tests/content; tests=$$?; \
	wait $$bot; botrc=$$?; \
	echo "--- модель, тесты бота, тестовые истории и браузерные тесты (var/test-bot.log) ---"; \
	grep -v -E "WARNING: Location|DeprecationWarning|pkg_resources|declare_namespace|^  import pkg_resources" var/test-bot.log; \
	if [ $$botrc -ne 0 ]; then echo "make test: не прошли модель, тесты бота или браузерные тесты — выше и в var/test-bot.log"; fi; \
	[ $$tests -eq 0 ] && [ $$botrc -eq 0 ]

test-bot: $(MODEL)
	$(RASA_VENV)/bin/pytest -q tests/actions tests/bot
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) --fail-on-prediction-errors --out var/test-results --no-plot
	$(VENV)/bin/pytest -q tests/e2e

# Known vulnerabilities in every lock file, by pip-audit in a throw-away environment of its own (scripts/audit says
# why an unreachable advisory service is a failure, not a pass). Needs https://pypi.org, which these machines lack.
.PHONY: audit
audit:
	@test -x var/audit-venv/bin/pip-audit || { $(PYTHON311) -m venv var/audit-venv && \
		var/audit-venv/bin/pip install $(PIP_QUIET) -r requirements/audit.lock; }
	@var/audit-venv/bin/python scripts/audit var/audit-venv/bin/pip-audit

# Speed and memory, reported in docs/performance.md (never asserted in tests).
bench: $(VENV)/.installed
	$(PY) -m bench all
	$(PY) -m bench.screen

# Faults under load (issue 13, docs/reliability.md): private PostgreSQL, Redis and mail; not part of make test.
# CHAOS_ARGS=--quick for a short try.
chaos: $(VENV)/.installed $(RASA_VENV)/.installed
	$(PY) -m bench.chaos $(CHAOS_ARGS)

bench-screen: $(VENV)/.installed
	$(PY) -m bench.screen

# The bot against the stock `rasa init` assistant, alternately in one run (docs/performance.md, «Бот»):
# 50 concurrent conversations, then 45-message conversations, then the in-process floor of both.
# BENCH_BOT_ARGS passes options (e.g. --url http://127.0.0.1:8080 for the make run-prod topology).
.PHONY: bench-bot bench-bot-train run-prod
bench-bot: setup $(MODEL)
	$(PY) -m bench.bot_load --long $(BENCH_BOT_ARGS)

# Times a full training of the bot from scratch (into var/bench, the project's model stays as it is).
bench-bot-train: $(RASA_VENV)/.installed
	@mkdir -p var/bench
	@start=$$(date +%s); $(RASA) train --out var/bench/train --fixed-model-name bot --quiet --force && \
		echo $$(( $$(date +%s) - start )) > var/bench/train_seconds && \
		echo "полное обучение: $$(cat var/bench/train_seconds) с, модель $$(du -m var/bench/train/bot.tar.gz | cut -f1) МБ"

# The production topology on this machine (docs/deploy.md): HAProxy on PROD_PORT (8080), two Rasa
# replicas (5006, 5007) on PostgreSQL + Redis, two action servers, two ticketing processes, the mail worker.
run-prod: provision setup $(MODEL)
	@deploy/run-prod

# Regenerates the lock files from requirements/*.in in throw-away environments: the run-time lock from X.in,
# then X-dev.lock as what X-dev.in adds on top of it (production installs only the run-time lock).
lock:
	scripts/lock ticketing "$(PYTHON311)"
	scripts/lock rasa "$(PYTHON310)"

clean:
	rm -rf $(VENV) $(RASA_VENV) models var/test-results

# --- scenario answers: the content editors' tools (docs/editors.md) ---------------------
.PHONY: nlu-report review publish ask calibrate

# Cross-validation (per-key precision/recall, confused pairs) and the held-out questions
# against the trained model; the summary is reports/nlu-report.md. Takes 7-10 min here (3 NLU trainings).
nlu-report: $(RASA_VENV)/.installed $(MODEL)
	$(RASA_PY) -m bot.tools.nlu_report --folds 3 --out reports

# The «answer or ask» thresholds of config.yml from cross-validated confidences (bot/tools/calibration.py):
# 3 NLU trainings with the fallbacks off, then every threshold pair replayed; ~10 min here. Prints, changes nothing.
calibrate: $(RASA_VENV)/.installed
	$(RASA_PY) -m bot.tools.calibration --folds 3

# The recent messages that fell to the fallback or had low confidence, from the SQLite tracker
# store, grouped by the likely scenario; written to var/review.md (real people's messages).
review: $(RASA_VENV)/.installed
	$(RASA_PY) -m bot.tools.review --days 14

# Checks, trains if the data changed, and loads the model into the running Rasa (PUT /model);
# then asks QUESTION (make publish QUESTION="когда работает поддержка"; default «забыл пароль»).
# Asks the running bot (make run) one question, as a pupil would, and prints its answer in plain Russian.
ask: $(RASA_VENV)/.installed
	@$(RASA_PY) -m bot.tools.ask --rasa-url "$(RASA_URL)" "$(QUESTION)"

publish: $(RASA_VENV)/.installed $(VENV)/.installed
	$(MAKE) --no-print-directory validate
	$(VENV)/bin/pytest -q tests/content
	$(MAKE) --no-print-directory train
	$(RASA_PY) -m bot.tools.publish --model $(MODEL) --published $(PUBLISHED) $(if $(QUESTION),--question "$(QUESTION)")
