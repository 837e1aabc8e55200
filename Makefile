# eddy — top-level entry points. `make demo` and `make test` work on a fresh
# Debian 12 machine: they install missing dependencies first.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build test test-fast test-asan demo bench bench-drift bench-scaling clean fuzz fuzz-run

all: build

deps:
	@./scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Every test, in the normal build and again under ASan + UBSan.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) test-asan
	$(MAKE) fuzz

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DEDDY_SANITIZE=ON -DCMAKE_C_COMPILER=clang >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

demo: build
	@echo ""
	@echo "eddy demo: a sensor generator (20 readings/s) and two windowed queries."
	@echo "Watch the results from another terminal:"
	@echo "  ./$(BUILD)/eddy tail device_stats     # 5 s tumbling avg/max temperature per device"
	@echo "  ./$(BUILD)/eddy tail hot_readings     # 10 s hopping count of hot readings"
	@echo "or with any WebSocket client:"
	@echo "  ws://127.0.0.1:7070/ws/device_stats   ws://127.0.0.1:7070/ws/hot_readings"
	@echo "More: ./$(BUILD)/eddy queries, ./$(BUILD)/eddy shell, curl 127.0.0.1:7070/metrics. Ctrl-C stops."
	@echo ""
	./$(BUILD)/eddy serve -f examples/demo/demo.sql

# The benchmark set (~10 min): in-process Nexmark, JSON over TCP, latency
# (docs/latency.png), memory with a 60 s RSS drift run, Kafka intake.
bench: build
	EDDY=$(BUILD)/eddy EDDY_BENCH=$(BUILD)/eddy-bench EDDY_LATENCY=$(BUILD)/eddy-latency \
	  EDDY_KAFKA_MOCK=$(BUILD)/eddy-kafka-mock ./bench/run.sh

# The memory part alone with the full 10-minute q5 RSS drift run.
bench-drift: build
	EDDY=$(BUILD)/eddy EDDY_BENCH=$(BUILD)/eddy-bench EDDY_LATENCY=$(BUILD)/eddy-latency \
	  EDDY_KAFKA_MOCK=$(BUILD)/eddy-kafka-mock PARTS=memory DRIFT_SECONDS=600 \
	  BENCH_OUT=bench/results-drift.md ./bench/run.sh

# The two-thread q5 speedup repeated (REPEAT=10, ~5 min): how much it moves.
bench-scaling: build
	EDDY_BENCH=$(BUILD)/eddy-bench ./bench/scaling.sh

# libFuzzer targets (clang, ASan + UBSan, coverage of the code under test):
# `make fuzz` builds them (make test does too, so they cannot rot);
# `make fuzz-run FUZZ_SECONDS=300` runs each on a copy of its corpus.
FUZZ_TARGETS = fuzz_parser fuzz_json_decode fuzz_checkpoint
FUZZ_SECONDS ?= 60
fuzz: deps
	@cmake -S . -B build-fuzz -DEDDY_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target $(FUZZ_TARGETS)

fuzz-run: fuzz
	@./scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
