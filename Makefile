# TopoForge — one binary for anomaly detection and streaming topology.
GO        ?= go
BIN       ?= bin/topoforge
PKGS      ?= ./...
BENCHTIME ?= 1s

.PHONY: all build run test test-race vet lint bench bench-load nab proto check-generate clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/topoforge

## run: start the server on :8000 with an embedded Badger store in ./data
run:
	$(GO) run ./cmd/topoforge serve -addr :8000 -data ./data

## test: gofmt check, vet and every test (what CI runs)
test: lint
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-race:
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

vet:
	$(GO) vet $(PKGS)

## lint: gofmt and vet (golangci-lint is not assumed to be installed)
lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## bench: every Go benchmark with allocations
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)

## bench-load: start the binary as a server and load it over loopback (figures: bench/RESULTS.md)
bench-load: build
	$(BIN) bench -scenario batch,detect,stream -duration 15s

## nab: replay the Numenta Anomaly Benchmark through the stream actors and score it
nab: build
	$(BIN) nab -data ../shared/data/nab -out results

## proto: regenerate messages/*.pb.go (needs Debian's protobuf-compiler; protoc-gen-go is a go.mod tool)
proto:
	@command -v protoc >/dev/null || { echo "protoc missing: apt-get install -y protobuf-compiler"; exit 1; }
	$(GO) build -o bin/protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go
	protoc --plugin=protoc-gen-go=bin/protoc-gen-go --go_out=. --go_opt=paths=source_relative messages/*.proto

## check-generate: fail when the committed generated code differs from what `make proto` makes
check-generate: proto
	git diff --exit-code -- messages/

clean:
	rm -rf bin
