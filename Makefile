# Retorno: `make run` serves the app with demo data, `make test` runs every test.
#
# PocketBase v0.40 needs Go 1.27; machines that ship an older Go with
# GOTOOLCHAIN=local get Go 1.27.3 from the module proxy through this export.
export GOTOOLCHAIN := go1.27.3
export CGO_ENABLED := 0

GO       ?= go
NPM      ?= npm
DATA     ?= pb_data
HTTP     ?= 127.0.0.1:8090
FUZZTIME ?= 5s
# issue 6: the precached app shell, gzip, at most 150 KB of JS and CSS and index.html (ui-check, ui-size)
UI_SHELL_MAX_KB ?= 150

.PHONY: build run test vet fuzz clean litestream run-replicated restore test-backup bench bench-quick \
	ui ui-deps ui-labels ui-types ui-check ui-size ui-unit e2e e2e-deps

LITESTREAM_VERSION ?= v0.5.18
LITESTREAM         ?= $(CURDIR)/bin/litestream
REPLICA            ?= backups/replica
RESTORE            ?= restored/pb_data
LS_ENV              = RETORNO_DATA=$(abspath $(DATA)) LITESTREAM_REPLICA=$(abspath $(REPLICA))

## build: compile the single static binary ./retorno
build:
	$(GO) build -ldflags "-s -w" -o retorno .

## run: build, apply migrations, load demo data on first start, print logins, serve
run: build
	./retorno seed --demo --dir $(DATA)
	./retorno serve --dir $(DATA) --http $(HTTP)

## test: vet, the web app's types (svelte-check, warnings as errors), the committed web app matches
## its source, unit tests (Go, TypeScript), fuzz, browser tests
test: vet ui-types ui-check ui-unit
	$(GO) test -count=1 ./...
	$(MAKE) fuzz
	$(MAKE) e2e

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzValidate -fuzztime=$(FUZZTIME) ./curp/
	$(GO) test -run='^$$' -fuzz=FuzzDecodePush -fuzztime=$(FUZZTIME) -fuzzminimizetime=2s ./devicesync/

## bench: sync vs plain PocketBase on the real binary, one table (docs/BENCHMARKS.md)
bench:
	$(GO) run ./bench

## bench-quick: the same benchmark on small sizes (about 30 s); make test runs it once (bench/bench_test.go)
bench-quick:
	$(GO) run ./bench --quick

## bench-ui: the web app on the real binary in Debian's chromium: precached shell size (gzip),
## first load under DevTools' slow 3G and 4x CPU, 500 registrations offline then synced, the
## page's memory (about 3 min; not part of make test; docs/BENCHMARKS.md, "Web app").
## RETORNO_BIN=<binary> skips the build; BENCH_UI_FLAGS=--json prints JSON.
.PHONY: bench-ui
bench-ui: e2e-deps
	@test -n "$(RETORNO_BIN)" || $(MAKE) build
	cd e2e && RETORNO_BIN=$(abspath $(or $(RETORNO_BIN),retorno)) node bench.mjs $(BENCH_UI_FLAGS)

## litestream: install the pinned Litestream (pure Go) into ./bin; the first build takes minutes
litestream: $(LITESTREAM)
$(LITESTREAM):
	GOBIN=$(dir $(LITESTREAM)) $(GO) install github.com/benbjohnson/litestream/cmd/litestream@$(LITESTREAM_VERSION)

## run-replicated: as run, with Litestream replicating $(DATA)/data.db to $(REPLICA) (backup/litestream.yml)
run-replicated: build litestream
	./retorno seed --demo --dir $(DATA)
	$(LS_ENV) $(LITESTREAM) replicate -config backup/litestream.yml \
		-exec "./retorno serve --dir $(DATA) --http $(HTTP)"

## restore: restore the replica of $(DATA) into $(RESTORE), a new directory; then ./retorno serve --dir $(RESTORE)
restore: litestream
	@test ! -e $(RESTORE)/data.db || { echo "$(RESTORE)/data.db exists: choose a new RESTORE="; exit 1; }
	mkdir -p $(RESTORE)
	$(LS_ENV) $(LITESTREAM) restore -config backup/litestream.yml -o $(RESTORE)/data.db $(abspath $(DATA))/data.db

## test-backup: the restore test through the litestream command and backup/litestream.yml:
## replicate while devices write, lose the machine, restore, find every acknowledged record.
## make test runs the same test with Litestream as a Go library (TestBinary_RestoreFromReplica,
## backup_test.go); this target adds the command and the config file, and builds the command
## first (minutes cold). LITESTREAM_VERSION, backup.LitestreamVersion and go.mod's
## github.com/benbjohnson/litestream must name the same release.
test-backup: litestream
	LITESTREAM=$(LITESTREAM) $(GO) test -count=1 -run '^TestBinary_LitestreamRestore$$' -v .

## ui: build the web app (ui/) into pb_public/, which the binary embeds (commit the result)
ui: ui-deps
	cd ui && $(NPM) run build

ui-deps:
	@test -x ui/node_modules/.bin/svelte-check || (cd ui && $(NPM) ci --no-audit --no-fund)

## ui-labels: write the web app's labels of enumeration values and of fields from package catalog
## (ui/src/i18n/catalogs/values.json, labels.json and their en/ twins); then make ui
ui-labels:
	$(GO) test ./catalog -run TestUILabels_Generated -update -count=1

## ui-types: type-check the web app, .svelte files included (tsc and svelte-check; a warning fails)
ui-types: ui-deps
	cd ui && $(NPM) run --silent check

## ui-check: fail if the committed pb_public/ is not what the ui/ sources build to, or if
## its app shell is over budget
ui-check: ui-deps
	@out=$$(mktemp -d); \
	(cd ui && RETORNO_UI_OUT=$$out $(NPM) run --silent build -- --logLevel error) >/dev/null || { rm -rf $$out; exit 1; }; \
	node ui/scripts/shell-size.mjs $$out --max $(UI_SHELL_MAX_KB) || { rm -rf $$out; exit 1; }; \
	if diff -r $$out pb_public >/dev/null; then rm -rf $$out; echo "pb_public matches ui/"; \
	else diff -rq $$out pb_public; rm -rf $$out; echo "pb_public is stale: run make ui and commit pb_public/"; exit 1; fi

## ui-size: the app shell of pb_public/ (precached JS, CSS and index.html, gzip) file by file; fails over
## UI_SHELL_MAX_KB (issue 6: 150 KB)
ui-size:
	@node ui/scripts/shell-size.mjs pb_public --files --max $(UI_SHELL_MAX_KB)

## ui-unit: the web app's unit tests (Vitest)
ui-unit: ui-deps
	cd ui && $(NPM) run --silent test

e2e-deps:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || apt-get install -y chromium
	@test -d e2e/node_modules || (cd e2e && $(NPM) ci --no-audit --no-fund)

## e2e: browser tests: Debian's chromium against the real binary on demo data (docs/screenshots/)
e2e: build e2e-deps
	cd e2e && RETORNO_BIN=$(CURDIR)/retorno $(NPM) test

clean:
	rm -rf retorno $(DATA)
