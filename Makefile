# Qingdan — the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
BIN     := bin/qingdan
ADDR    ?= :8080
export QINGDAN_TEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: run test build frontend frontend-test e2e go-test fuzz bench clean

## run: build the web UI and the binary, then serve on the embedded SQLite with demo accounts
run: build
	./$(BIN) serve --demo --addr $(ADDR)

## build: the single binary with the web UI embedded
build: frontend
	$(GO) build -o $(BIN) ./cmd/qingdan

# npm ci only when the lock file changed since the last install.
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

## test: the whole suite — Go tests on PostgreSQL and SQLite, the UI's component and end-to-end tests
test: go-test frontend-test e2e

go-test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

frontend-test: frontend/node_modules/.package-lock.json
	cd frontend && npm run test

e2e: build
	cd frontend && node e2e/run.mjs ../$(BIN)

## fuzz: each fuzz target briefly (CI runs this too). Minimising is capped: on the
## 80 KB seed inputs the default minute of shrinking would eat the whole run.
## A run that ends in a bare "context deadline exceeded" with no failing input
## written is Go's coordinator racing its own -fuzztime deadline on a loaded
## machine (golang/go#75804), not a finding: that target is run once more.
## Any other failure, and a second deadline, fails.
FUZZTIME ?= 10s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; \
	    for try in 1 2; do \
	      out=$$($(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10x $$pkg 2>&1); rc=$$?; echo "$$out"; \
	      [ $$rc -eq 0 ] && break; \
	      if [ $$try -eq 1 ] && echo "$$out" | grep -q 'context deadline exceeded' && ! echo "$$out" | grep -q 'Failing input'; then \
	        echo "fuzz $$f: deadline race of the fuzzing engine, no input failed; once more"; continue; fi; \
	      exit 1; \
	    done; \
	  done; \
	done

clean:
	rm -rf bin data frontend/dist/assets frontend/dist/index.html
