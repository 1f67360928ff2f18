# Retorno: `make run` serves the app with demo data, `make test` runs every test.
#
# PocketBase v0.40 needs Go 1.27; machines that ship an older Go with
# GOTOOLCHAIN=local get Go 1.27.3 from the module proxy through this export.
export GOTOOLCHAIN := go1.27.3
export CGO_ENABLED := 0

GO       ?= go
DATA     ?= pb_data
HTTP     ?= 127.0.0.1:8090
FUZZTIME ?= 5s

.PHONY: build run test vet fuzz clean

## build: compile the single static binary ./retorno
build:
	$(GO) build -ldflags "-s -w" -o retorno .

## run: build, apply migrations, load demo data on first start, print logins, serve
run: build
	./retorno seed --demo --dir $(DATA)
	./retorno serve --dir $(DATA) --http $(HTTP)

## test: vet, every Go test, and a short fuzz run of each fuzz target
test: vet
	$(GO) test -count=1 ./...
	$(MAKE) fuzz

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzValidate -fuzztime=$(FUZZTIME) ./curp/
	$(GO) test -run='^$$' -fuzz=FuzzDecodePush -fuzztime=$(FUZZTIME) -fuzzminimizetime=2s ./devicesync/

clean:
	rm -rf retorno $(DATA)
