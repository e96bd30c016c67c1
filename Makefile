# jisr — the commands a user and CI run. See README.md.
#   make run            install what is missing, build (Release), create var/node on first run, serve
#   make test           install what is missing, build, run every test through CTest
#   make test-sanitize  build and run the unit tests under ASan + UBSan
#   make build          build only; the binary lands at build/bin/jisr (and the web interface)
#   make web            build the web interface into web/dist (npm ci + vite)
#   make demo           two federated nodes on loopback (Rabat :8080, Paris :8081) in var/demo; Ctrl-C stops
#   make bench-http     HTTP throughput benchmark (wrk on loopback)
#   make bench-federation  envelopes/s and latency between two nodes on loopback
#   make bench-scale    screening and alert writes/s: 1 process on SQLite, 1 and 3 on PostgreSQL
#   make bench-campaign  a 200,000-applicant accreditation campaign in parts, one job: time, RSS, counts
#   make bench-names-accuracy | bench-names-cross-script | bench-names-candidates |
#        bench-names-speed | bench-names-micro   name matching and screening benchmarks
#   make fuzz           libFuzzer targets (clang) for a bounded time (FUZZ_SECONDS)

SHELL := /bin/bash
BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize
NODE_DIR ?= var/node
DEMO_DIR ?= var/demo
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

SHARED_DATA ?= ../shared/data
FUZZ_SECONDS ?= 60

.PHONY: all deps configure build run demo test test-sanitize bench-http bench-federation bench-scale bench-campaign clean \
        web web-deps \
        bench-names-accuracy bench-names-cross-script bench-names-candidates \
        bench-names-speed bench-names-micro fuzz

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure web
	@ninja -C $(BUILD_DIR) -j $(JOBS)

# The web interface (web/): npm packages pinned by web/package-lock.json,
# checked catalogues, type-checked TypeScript, a Vite build into web/dist.
# Quiet unless something fails.
web-deps:
	@scripts/install-web-deps.sh

web: web-deps
	@out=$$(cd web && npm run --silent build 2>&1) || { echo "$$out" >&2; exit 1; }

run: configure web
	@ninja -C $(BUILD_DIR) -j $(JOBS) jisr
	@if [ ! -f $(NODE_DIR)/jisr.json ]; then \
	  $(BUILD_DIR)/bin/jisr init --data $(NODE_DIR) --agency MA-DGSN --country MA \
	    --name-en "General Directorate for National Security" \
	    --name-fr "Direction générale de la Sûreté nationale" \
	    --name-ar "المديرية العامة للأمن الوطني" --demo; \
	fi
	@$(BUILD_DIR)/bin/jisr serve --data $(NODE_DIR) --listen $(LISTEN)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

test-sanitize: deps
	@cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DJISR_SANITIZE=ON \
	  -DJISR_WERROR=OFF $(CMAKE_FLAGS) >/dev/null
	@ninja -C $(SANITIZE_DIR) -j $(JOBS)
	@cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -L unit --timeout 900

# Two nodes, Rabat (MA-DGSN) and Paris (FR-DGPN), created in $(DEMO_DIR) on
# first run with demo data, paired, served until Ctrl-C.
demo: configure web
	@ninja -C $(BUILD_DIR) -j $(JOBS) jisr
	@scripts/demo.sh $(BUILD_DIR)/bin/jisr $(DEMO_DIR)

bench-http: build
	@bench/http/run.sh $(BUILD_DIR)/bin/jisr

bench-federation: build
	@bench/federation/run.sh $(BUILD_DIR)

bench-scale: build
	@bench/scale/run.sh $(BUILD_DIR)/bin/jisr

bench-campaign: build
	@bench/campaign/run.sh $(BUILD_DIR)

bench-names-accuracy: build
	@$(BUILD_DIR)/bin/jisr_bench_name_pairs $(SHARED_DATA) --sweep

bench-names-cross-script: build
	@$(BUILD_DIR)/bin/jisr_bench_cross_script $(SHARED_DATA)

bench-names-candidates: build
	@$(BUILD_DIR)/bin/jisr_bench_candidates $(SHARED_DATA)

bench-names-speed: build
	@scripts/bench-names-speed.sh $(BUILD_DIR) $(SHARED_DATA)

bench-names-micro: build
	@$(BUILD_DIR)/bin/jisr_bench_names_micro

fuzz: deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) web/dist web/test-artifacts
