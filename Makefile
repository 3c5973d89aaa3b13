# ProcLab — every command a developer or CI needs. Start with `make run` or `make test`.
SHELL := /bin/bash
GO ?= go
BIN := bin/proclab
WINDOW_BIN := bin/proclab-window
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.7.0
FYNE := fyne.io/tools/cmd/fyne@v1.7.4
# LANG=C makes Fyne log a locale parse error; a full locale keeps logs clean.
export LANG := en_US.UTF-8
# Every build here is against Fyne with ProcLab's change to its event loop
# (third_party/fyne): a workspace that replaces the module go.mod requires.
WORKSPACE := build/go.work
export GOWORK := $(CURDIR)/$(WORKSPACE)

# Debian/Ubuntu packages: cgo headers for Fyne's GLFW driver, and the
# virtual screen, keyboard driver and screenshot tool of the end-to-end test.
DEB_BUILD := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
DEB_TEST := xvfb xdotool imagemagick
# The peers the benchmarks measure ProcLab against (benchmark 10 opens the
# graphical ones on a virtual screen).
DEB_BENCH := tmux btop htop procps gnome-system-monitor xfce4-taskmanager

.PHONY: all run build deps deps-test test check unit fuzz e2e bench package clean

all: build

## run: install what is missing, build, open the window
run: build
	./$(BIN)

## build: compile bin/proclab (the command: no GUI toolkit, static) and bin/proclab-window beside it
build: deps $(WORKSPACE)
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/proclab
	$(GO) build -o $(WINDOW_BIN) ./cmd/proclab-window

## deps: install the missing system packages (apt-get; sudo when not root)
deps:
	@bash .ci/deps.sh $(DEB_BUILD)

deps-test:
	@bash .ci/deps.sh $(DEB_BUILD) $(DEB_TEST)

## build/go.work: Fyne with ProcLab's change to its event loop, and the workspace that uses it
$(WORKSPACE): go.mod go.sum $(wildcard third_party/fyne/*)
	@bash third_party/fyne/prepare.sh

## test: formatting, vet, staticcheck, unit tests with -race, a short fuzz of every parser, end-to-end under Xvfb
test: deps-test $(WORKSPACE) check unit fuzz e2e

check: $(WORKSPACE)
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed on: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags e2e ./cmd/proclab
	$(GO) run $(STATICCHECK) ./...

# Workers in the tests are the race-built test binary: by default the race
# runtime sleeps a second at exit, which would make every child a second slower.
unit: $(WORKSPACE)
	GORACE=atexit_sleep_ms=0 $(GO) test -race -count=1 ./...

# Every parser of outside input has a fuzz test: package and target.
FUZZ_TARGETS := ./procs:FuzzParseArgs ./procs:FuzzParseKwargs ./procs:FuzzPythonFraming ./procs:FuzzLineBlocks ./procs:FuzzBlockLinesWordAtATime ./procs/pyhook:FuzzHookMessages \
	./procs:FuzzSplitCommand ./procs:FuzzLessonFile ./procs/contain:FuzzParseMountinfo ./cmd/proclab:FuzzPreload ./ui:FuzzWrap
# A count, not a duration: Go 1.26's fuzz coordinator can report its own
# -fuzztime deadline as a failure ("context deadline exceeded", no input
# written; golang/go#75804, fixed in Go 1.27). 5,000 runs take 0.2-3 s here.
FUZZTIME ?= 5000x

## fuzz: each fuzz test FUZZTIME runs (5000x in make test; e.g. make fuzz FUZZTIME=1000000x for a long run)
fuzz: $(WORKSPACE)
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($${t%%:*}) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) $${t%%:*} > fuzz.log 2>&1 || { cat fuzz.log; rm -f fuzz.log; exit 1; }; \
	done; rm -f fuzz.log

## e2e: the real binary in a real window on Xvfb, driven by xdotool
e2e: $(WORKSPACE)
	PROCLAB_E2E_REQUIRED=1 PROCLAB_E2E_OUT=$(CURDIR)/e2e-out $(GO) test -tags e2e -count=1 -v -run E2E ./cmd/proclab

## bench: ProcLab against a bare /proc read, ps, btop, htop, seq | cat and GUI process viewers, on this machine (prints a table)
bench: build
	@bash .ci/deps.sh $(DEB_TEST) $(DEB_BENCH) || echo "some peers could not be installed: the table says which were skipped"
	$(GO) build -o bin/fynefloor ./internal/fynefloor
	./$(BIN) bench --seconds 20

## package: the Linux bundle (dist/ProcLab.tar.xz) with fyne package
package: deps $(WORKSPACE)
	@# fyne package reads FyneApp.toml from the main package's folder: lend it
	@# a copy (it also bumps the build number there, which we do not keep).
	cp FyneApp.toml cmd/proclab-window/FyneApp.toml
	cd cmd/proclab-window && $(GO) run $(FYNE) package --os linux --icon ../../assets/icon.png --release; \
		status=$$?; rm -f FyneApp.toml fyne_metadata_init.go; exit $$status
	@# The bundle is the window; the proclab command goes beside it, so that
	@# the lab's workers start as the small binary.
	rm -rf dist/pkg && mkdir -p dist/pkg && tar -xJf cmd/proclab-window/ProcLab.tar.xz -C dist/pkg && rm cmd/proclab-window/ProcLab.tar.xz
	bindir=$$(dirname "$$(find dist/pkg -path '*/bin/*' -type f | head -1)") && \
		CGO_ENABLED=0 $(GO) build -o "$$bindir/proclab" ./cmd/proclab
	tar -cJf dist/ProcLab.tar.xz -C dist/pkg . && rm -rf dist/pkg
	@echo "dist/ProcLab.tar.xz"

clean:
	rm -rf bin build dist e2e-out
