# pilotfunnel: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
PF := $(VENV)/bin/pilotfunnel
STAMP := $(VENV)/.installed
LOCK := requirements.lock
SCENARIO ?= data/clients/demo.yaml
OUT ?= exports
LABEXT := src/pilotfunnel/share/labextensions/pilotfunnel-export-menu

# Exact versions from the lock, then the kit itself on top of them.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@# An editable install skips data files: link the export menu's JupyterLab extension, as
	@# `jupyter labextension develop` would (a wheel installs it under share/jupyter itself).
	mkdir -p $(VENV)/share/jupyter/labextensions
	ln -sfn $(CURDIR)/$(LABEXT) $(VENV)/share/jupyter/labextensions/pilotfunnel-export-menu
	@touch $(STAMP)

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: env
env: $(STAMP) nbfilter ## Create the virtual environment (.venv) if missing; set up the notebook filter

# Git stores notebooks/*.ipynb through scripts/nbclean.py (.gitattributes names the filter), so
# outputs JupyterLab autosaves never show as changes. Paths are relative: git runs a filter at
# the top of the work tree, and every worktree of the repository shares this setting, so the
# launcher (scripts/nbclean.sh) finds a Python in any of them. Outside a git checkout (an
# unpacked archive) there is nothing to set.
.PHONY: nbfilter
nbfilter: ## Strip notebook outputs from what git stores (a git clean filter; no-op outside git)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbclean.clean 'sh scripts/nbclean.sh' && \
	  git config filter.nbclean.smudge cat && \
	  echo "git filter nbclean: notebooks/*.ipynb are stored without outputs"; \
	else echo "not a git checkout: no notebook filter to set"; fi

.PHONY: lock
lock: $(STAMP) ## Refresh requirements.lock (exact versions) from pyproject.toml, then install it
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 \
	  --upgrade --quiet -o $(LOCK)
	$(PY) -m pip install --quiet -r $(LOCK)

.PHONY: labextension
labextension: $(STAMP) ## Rebuild the export menu's JupyterLab extension from labextension/ (needs npm)
	@# The core path is read before the cd: $(PY) is relative to the checkout.
	core=$$($(PY) -c 'import jupyterlab, pathlib; print(pathlib.Path(jupyterlab.__file__).parent / "staging")') && \
	  cd labextension && npm ci --no-audit --no-fund && \
	  node node_modules/@jupyterlab/builder/lib/build-labextension.js --core-path "$$core" .

.PHONY: brief
brief: $(STAMP) ## Export the demo client's brief (PDF + HTML) to exports/
	$(PF) brief $(SCENARIO) --format pdf,html --out $(OUT)

.PHONY: lab
lab: $(STAMP) nbfilter ## Open JupyterLab on the kit's notebooks
	@# The kit's notebooks are templates: saved without outputs, so git sees no change after a session.
	$(VENV)/bin/jupyter lab --notebook-dir=. \
	  --ContentsManager.pre_save_hook=pilotfunnel.ui.notebook_clean.pre_save_hook \
	  notebooks/01-evidence.ipynb $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

.PHONY: present
present: $(STAMP) ## Serve the client explorer for a meeting (Voila, no code); PORT=N to choose the port
	$(PF) present $${PORT:+--port $$PORT}

.PHONY: figures
figures: $(STAMP) ## Write the evidence and demo charts to figures/ (PNG + SVG, for slides)
	$(PF) figures

.PHONY: readme-images
readme-images: brief ## Regenerate the README's pictures (needs pdftoppm, chromium, LibreOffice)
	mkdir -p docs/img
	pdftoppm -png -r 40 -f 1 -l 2 $(OUT)/northwind-logistics-$$(date +%F).pdf docs/img/demo-brief
	$(PY) scripts/review_image.py
	$(PY) scripts/deck_image.py
	$(PY) scripts/present_images.py
	@ls docs/img

.PHONY: test
test: $(STAMP) lint ## Lint and run the whole test suite
	$(PY) -m pytest -q -p no:cacheprovider

.PHONY: lint
lint: $(STAMP) ## Ruff lint and format check; notebooks must have no outputs
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

.PHONY: format
format: $(STAMP) ## Format the code and strip notebook outputs
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/nbstripout notebooks/*.ipynb

.PHONY: sources
sources: $(STAMP) ## Validate data/sources.csv
	$(PF) sources check

.PHONY: model
model: $(STAMP) ## Model the demo client (SCENARIO=path to change)
	$(PF) model $(SCENARIO)

.PHONY: bench
bench: $(STAMP) ## Run the benchmarks in bench/ (by hand; results go to docs/benchmarks.md)
	$(PY) bench/model.py
	$(PY) bench/explorer.py
	$(PY) bench/batch.py
	$(PY) bench/deck.py

.PHONY: soak
soak: $(STAMP) ## Soak run: 1,000 generated briefs, failures and memory (by hand, ~15 min)
	$(PY) bench/soak.py 1000

.PHONY: fuzz
fuzz: $(STAMP) ## Fuzz a loader by hand: TARGET=scenario|sources|assumptions|evidence (atheris if installed)
	$(PY) bench/fuzz/loaders.py $${TARGET:-scenario} $(ARGS)

.PHONY: clean
clean: ## Remove generated exports and figures (keeps .venv)
	rm -rf exports/* figures/*
