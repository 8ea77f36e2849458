# Qianfa. The two set-up commands are `make run` and `make test`; both
# install what a fresh Debian or Ubuntu machine lacks first.

export PATH := /usr/local/go/bin:$(PATH)

SAMPLE_DB := .workspace/sample.db
BIN := bin

.PHONY: run test bench build lint clean deps deps-test cli app fuzz screenshots

run: deps build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  $(BIN)/qianfa-cli --db $(SAMPLE_DB) init --sample >/dev/null && \
	  echo "没有图形显示（DISPLAY/WAYLAND_DISPLAY 未设置），无法打开窗口；示例工作区可用命令行操作：$(BIN)/qianfa-cli --db $(SAMPLE_DB) list"; \
	else \
	  $(BIN)/qianfa --db $(SAMPLE_DB) --sample; \
	fi

test: deps-test
	go vet ./...
	CGO_ENABLED=0 go build -o /dev/null ./cmd/qianfa-cli
	go test -count=1 ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...

build: app cli

app:
	go build -o $(BIN)/qianfa ./cmd/qianfa

cli:
	CGO_ENABLED=0 go build -o $(BIN)/qianfa-cli ./cmd/qianfa-cli

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...

# Each fuzz target for a short while; longer runs by hand. Minimizing is
# capped: on a new interesting input it can otherwise take the whole run.
fuzz:
	@for p in $$(go list ./...); do \
	  for f in $$(go test -list '^Fuzz' $$p | grep '^Fuzz'); do \
	    go test -run '^$$' -fuzz "^$$f$$" -fuzztime 20s -fuzzminimizetime 5s $$p || exit 1; \
	  done; \
	done

# Screenshots of the app under Xvfb, kept current in docs/screenshots.
screenshots: build
	scripts/screenshots.sh

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

clean:
	rm -rf $(BIN) .workspace
